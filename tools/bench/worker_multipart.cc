// multipart mode: one operation is a whole object of --size uploaded in --part-size parts
// (CreateMultipartUpload, UploadPart in order on this worker's connection,
// CompleteMultipartUpload). Its latency is the whole upload's.
#include <string>

#include "bench/worker.h"
#include "bench/xml_scan.h"
#include "common/http_request.h"

namespace kumo::bench {

net::awaitable<Outcome> Worker::UploadPart(int number, uint64_t size, const std::string& upload_id,
                                           std::string* etag) {
  std::string query = "partNumber=" + std::to_string(number) + "&uploadId=" + UrlEncode(upload_id);
  builder_.SignedHead("PUT", path_, query, static_cast<int64_t>(size), &head_);
  SetBody(size);
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, body_, Capture{.etag = etag});
  co_return out;
}

net::awaitable<Outcome> Worker::Multipart(uint64_t key, uint64_t size) {
  ctx_.ObjectPath(key, &path_);
  builder_.SignedHead("POST", path_, "uploads", -1, &head_);
  xml_.clear();
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, no_body_, Capture{.body = &xml_});
  if (!out.ok()) co_return out;
  std::string upload_id = FirstTagText(xml_, "UploadId").value_or("");
  if (upload_id.empty()) {
    out.reply = Reply{0, 0, "CreateMultipartUpload reply without UploadId"};
    co_return out;
  }

  std::string complete = "<CompleteMultipartUpload>";
  std::string etag;
  uint64_t part_size = ctx_.options.part_size;
  int number = 1;
  for (uint64_t offset = 0; offset < size || number == 1; offset += part_size, ++number) {
    uint64_t length = std::min(part_size, size - offset);
    Outcome part = co_await UploadPart(number, length, upload_id, &etag);
    if (!part.ok()) co_return part;
    complete += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" + etag +
                "</ETag></Part>";
    if (length == 0) break;
  }
  complete += "</CompleteMultipartUpload>";

  builder_.SignedHead("POST", path_, "uploadId=" + UrlEncode(upload_id),
                      static_cast<int64_t>(complete.size()), &head_);
  std::vector<net::const_buffer> xml_body{net::buffer(complete)};
  xml_.clear();
  out = Outcome{};
  out.reply = co_await conn_.RoundTrip(head_, xml_body, Capture{.body = &xml_});
  // CompleteMultipartUpload may fail after a 200 status line, with an <Error> body.
  if (out.ok() && xml_.find("<Error>") != std::string::npos) {
    out.reply = Reply{0, 0, "CompleteMultipartUpload: " + xml_.substr(0, 200)};
  }
  out.bytes = size;
  co_return out;
}

}  // namespace kumo::bench
