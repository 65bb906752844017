#include "s3/copy_source.h"

#include "common/hash.h"
#include "s3/conditional.h"

namespace kumo::s3 {

namespace {
constexpr uint64_t kCopyBuffer = 1 << 20;
}

Result<CopySource> ParseCopySource(std::string_view header) {
  std::string_view raw = header.substr(0, header.find('?'));
  auto decoded = UrlDecode(raw);
  if (!decoded) return Status(ErrorCode::kInvalidArgument, "Invalid copy source encoding");
  std::string_view s = *decoded;
  if (!s.empty() && s.front() == '/') s.remove_prefix(1);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) {
    return Status(ErrorCode::kInvalidArgument,
                  "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  }
  return CopySource{std::string(s.substr(0, slash)), std::string(s.substr(slash + 1))};
}

Result<std::vector<Permission>> WithCopySourcePermission(const RequestContext& ctx,
                                                         Result<std::vector<Permission>> own) {
  KUMO_ASSIGN_OR_RETURN(std::vector<Permission> permissions, std::move(own));
  const std::string* header = ctx.Header("x-amz-copy-source");
  if (header == nullptr) return Status::InvalidArgument("Copy Source must be specified");
  KUMO_ASSIGN_OR_RETURN(CopySource source, ParseCopySource(*header));
  permissions.push_back({InfoOf(OpId::kGetObject).action, ObjectArn(source.bucket, source.key)});
  return permissions;
}

Result<std::unique_ptr<storage::ObjectReader>> OpenCopySource(const RequestContext& ctx,
                                                              const CopySource& source) {
  KUMO_ASSIGN_OR_RETURN(auto reader, ctx.store->OpenObject(source.bucket, source.key));
  const storage::ObjectMeta& meta = reader->meta();
  Conditions c{ctx.Header("x-amz-copy-source-if-match"),
               ctx.Header("x-amz-copy-source-if-none-match"),
               ctx.Header("x-amz-copy-source-if-modified-since"),
               ctx.Header("x-amz-copy-source-if-unmodified-since")};
  KUMO_RETURN_IF_ERROR(EvaluateCopySourceConditions(c, meta.etag, meta.mtime_ms / 1000));
  return reader;
}

Result<std::string> CopyRange(storage::ObjectReader& reader, uint64_t first, uint64_t length,
                              const std::function<Status(std::string_view)>& append) {
  Hasher md5(Hasher::Algorithm::kMd5);
  std::string buf(static_cast<size_t>(std::min(kCopyBuffer, std::max<uint64_t>(length, 1))), '\0');
  for (uint64_t done = 0; done < length;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), length - done));
    KUMO_ASSIGN_OR_RETURN(size_t n, reader.ReadAt(first + done, buf.data(), want));
    if (n == 0) return Status::Corruption("copy source shorter than its index record");
    std::string_view chunk(buf.data(), n);
    md5.Update(chunk);
    KUMO_RETURN_IF_ERROR(append(chunk));
    done += n;
  }
  return md5.Finish();
}

}  // namespace kumo::s3
