// list mode: ListObjectsV2 pages of --page-size keys over --prefix, following continuation
// tokens; at the last page the sweep starts over. One operation is one page.
#include <charconv>

#include "bench/worker.h"
#include "bench/xml_scan.h"
#include "common/http_request.h"

namespace kumo::bench {

net::awaitable<Outcome> Worker::ListPage() {
  const Options& o = ctx_.options;
  path_.assign(ctx_.bucket_path);
  std::string query =
      "list-type=2&max-keys=" + std::to_string(o.page_size) + "&prefix=" + UrlEncode(o.prefix);
  if (!continuation_.empty()) query += "&continuation-token=" + UrlEncode(continuation_);
  builder_.SignedHead("GET", path_, query, -1, &head_);
  xml_.clear();
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, no_body_, Capture{.body = &xml_});
  if (!out.ok()) {
    continuation_.clear();
    co_return out;
  }
  uint64_t keys = 0;
  std::string count = FirstTagText(xml_, "KeyCount").value_or("");
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), keys);
  if (ec != std::errc() || end != count.data() + count.size()) {
    out.reply.status = 0;
    out.reply.error = "list reply without a valid KeyCount";
    continuation_.clear();
    co_return out;
  }
  out.keys = keys;
  bool truncated = FirstTagText(xml_, "IsTruncated").value_or("false") == "true";
  continuation_ = truncated ? FirstTagText(xml_, "NextContinuationToken").value_or("") : "";
  co_return out;
}

}  // namespace kumo::bench
