// The XML request documents of DeleteObjects (<Delete>) and CompleteMultipartUpload
// (the part list), parsed before the operation touches the store: exposed so that unit
// tests and the fuzzers of tests/fuzz/ reach them without a store. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http_request.h"
#include "common/status.h"

namespace kumo::s3 {

// At most this many <Object> entries in one DeleteObjects request.
constexpr size_t kMaxDeleteKeys = 1000;

struct DeleteRequest {
  bool quiet = false;
  std::vector<std::string> keys;  // as sent, not yet validated (each gets its own result)
};

// Parses <Delete>[<Quiet>true</Quiet>]<Object><Key>k</Key></Object>...</Delete>.
// Errors: kMalformedXML for a document that is not well-formed, lacks Delete or any
// Object, has an Object without Key, or more than kMaxDeleteKeys objects.
Result<DeleteRequest> ParseDeleteRequest(std::string_view body);

struct RequestedPart {
  int number = 0;
  std::string etag;       // without the quotes
  StringPairs checksums;  // {"crc32", "<base64>"} from ChecksumCRC32 etc.
};

// Parses <CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>"e"</ETag>
// [<ChecksumCRC32>...</ChecksumCRC32>]</Part>...</CompleteMultipartUpload>, in request
// order (the caller checks the order). Errors: kMalformedXML for a document that is not
// well-formed, has no Part, a PartNumber that is not a decimal int, or a Checksum*
// element of an unknown algorithm.
Result<std::vector<RequestedPart>> ParseCompleteMultipartUpload(std::string_view body);

}  // namespace kumo::s3
