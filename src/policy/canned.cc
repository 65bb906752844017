#include "policy/canned.h"

#include <cstdlib>

namespace kumo::policy {

namespace {

constexpr std::string_view kReadWrite = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "ReadWrite", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
})";

constexpr std::string_view kReadOnly = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ReadOnly",
    "Effect": "Allow",
    "Action": ["s3:ListAllMyBuckets", "s3:ListBucket", "s3:ListBucketVersions",
               "s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion",
               "s3:GetObjectTagging", "s3:GetBucketTagging", "s3:GetObjectAcl",
               "s3:GetBucketAcl"],
    "Resource": "*"
  }]
})";

constexpr std::string_view kWriteOnly = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "WriteOnly",
    "Effect": "Allow",
    "Action": ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
    "Resource": "*"
  }]
})";

struct Canned {
  std::string_view name;
  std::string_view json;
};
constexpr Canned kCanned[] = {
    {"readwrite", kReadWrite}, {"readonly", kReadOnly}, {"writeonly", kWriteOnly}};

const Policy& Parsed(std::string_view json) {
  ParseOptions options;
  options.is_identity_policy = true;
  Result<Policy> parsed = ParsePolicy(json, options);
  // The constants above are tested; a failure here is a build defect, not a runtime one.
  if (!parsed.ok()) std::abort();
  return *new Policy(std::move(parsed).value());
}

}  // namespace

std::string_view CannedUserPolicyJson(std::string_view name) {
  for (const auto& c : kCanned) {
    if (c.name == name) return c.json;
  }
  return {};
}

const Policy* CannedUserPolicy(std::string_view name) {
  static const Policy* const kPolicies[] = {&Parsed(kReadWrite), &Parsed(kReadOnly),
                                            &Parsed(kWriteOnly)};
  for (size_t i = 0; i < std::size(kCanned); ++i) {
    if (kCanned[i].name == name) return kPolicies[i];
  }
  return nullptr;
}

}  // namespace kumo::policy
