#include "bench/run.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <thread>

#include "bench/request_builder.h"
#include "bench/worker.h"
#include "common/http_request.h"

namespace kumo::bench {
namespace {

constexpr uint64_t kMaxPayload = 64ull << 20;
constexpr int64_t kPresignExpiry = 24 * 3600;

void RunThreads(net::io_context& ioc, int threads) {
  std::vector<std::thread> extra;
  for (int i = 1; i < threads; ++i) extra.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : extra) t.join();
}

PresignedTargets Presign(const RunContext& ctx) {
  const Options& o = ctx.options;
  RequestBuilder builder(o);
  PresignedTargets targets;
  std::string path;
  uint64_t keys = o.Keyspace();
  bool put = o.mode == Mode::kPut || o.mode == Mode::kMixed;
  bool get = o.mode == Mode::kGet || o.mode == Mode::kMixed;
  bool del = o.mode == Mode::kDelete;
  for (uint64_t k = 0; k < keys; ++k) {
    ctx.ObjectPath(k, &path);
    if (put) targets.put.push_back(builder.PresignedTarget("PUT", path, kPresignExpiry));
    if (get) targets.get.push_back(builder.PresignedTarget("GET", path, kPresignExpiry));
    if (del) targets.del.push_back(builder.PresignedTarget("DELETE", path, kPresignExpiry));
  }
  return targets;
}

}  // namespace

// Words drawn with a skewed (roughly Zipf) distribution from a fixed vocabulary, in lines:
// text whose common words match many objects and rare words few.
std::vector<char> MakeTextPayload(size_t bytes) {
  static constexpr const char* kWords[] = {
      "the",      "of",       "and",     "report",  "invoice", "photo",    "summer",  "kumo",
      "cloud",    "storage",  "bucket",  "object",  "event",   "catalog",  "search",  "river",
      "mountain", "harbor",   "lantern", "orchid",  "quartz",  "meridian", "tundra",  "saffron",
      "zephyr",   "obsidian", "juniper", "marble",  "falcon",  "glacier",  "citadel", "ember",
      "nebula",   "pelican",  "sequoia", "tidal",   "umbra",   "velvet",   "willow",  "yonder",
      "basalt",   "cobalt",   "delta",   "estuary", "fjord",   "granite",  "hollow",  "island",
      "jasmine",  "kelp",     "lagoon",  "monsoon", "nectar",  "oasis",    "prairie", "quill",
      "reef",     "sierra",   "thistle", "upland",  "valley",  "wharf",    "xylem"};
  constexpr size_t kCount = sizeof(kWords) / sizeof(kWords[0]);
  std::vector<char> payload;
  payload.reserve(bytes + 16);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  size_t line = 0;
  while (payload.size() < bytes) {
    // u^3 favours the first words: "the" is common, "xylem" rare.
    const char* w = kWords[static_cast<size_t>(std::pow(u(rng), 3.0) * kCount) % kCount];
    payload.insert(payload.end(), w, w + std::strlen(w));
    payload.push_back(++line % 12 == 0 ? '\n' : ' ');
  }
  payload.resize(bytes);
  return payload;
}

std::vector<char> MakePayload(const Options& o) {
  uint64_t largest = o.size.max;
  if (o.mode == Mode::kMultipart) largest = std::min(largest, o.part_size);
  if (!o.body_file.empty()) {
    std::ifstream in(o.body_file, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (o.text_body) {
    // Room for many different slices of the largest size.
    return MakeTextPayload(
        static_cast<size_t>(std::clamp<uint64_t>(largest * 64, 1 << 20, kMaxPayload)));
  }
  std::vector<char> payload(static_cast<size_t>(std::clamp<uint64_t>(largest, 1, kMaxPayload)));
  std::mt19937_64 rng(42);
  for (size_t i = 0; i + 8 <= payload.size(); i += 8) {
    uint64_t r = rng();
    std::memcpy(payload.data() + i, &r, 8);
  }
  return payload;
}

Options PrepareOptions(const Options& options) {
  Options prepare = options;
  prepare.mode = Mode::kPut;
  prepare.count = options.Keyspace();
  prepare.keys = 0;
  prepare.duration_s = 0;
  prepare.rate = 0;
  prepare.presigned = false;
  prepare.prepare = false;
  return prepare;
}

std::string EnsureBucket(const Options& options, const tcp::resolver::results_type& endpoints) {
  net::io_context ioc;
  Reply reply;
  std::string body;
  net::co_spawn(
      ioc,
      [&]() -> net::awaitable<void> {
        Connection conn(co_await net::this_coro::executor, endpoints, 64 * 1024);
        RequestBuilder builder(options);
        std::string head;
        std::string path = std::string("/").append(UrlEncode(options.bucket));
        builder.SignedHead("PUT", path, "", 0, &head);
        reply = co_await conn.RoundTrip(head, {}, Capture{.body = &body});
      },
      net::detached);
  ioc.run();
  if (reply.status == 200) return {};
  // Already there, owned by the caller or by someone who gave it access (a bucket policy):
  // the run itself finds out whether the caller may use it.
  if (reply.status == 409 && (body.find("BucketAlreadyOwnedByYou") != std::string::npos ||
                              body.find("BucketAlreadyExists") != std::string::npos)) {
    return {};
  }
  if (reply.status == 0) return reply.error;
  return "CreateBucket answered " + std::to_string(reply.status) + ": " + body.substr(0, 300);
}

Summary RunPhase(const Options& options, const std::vector<char>& payload,
                 const tcp::resolver::results_type& endpoints, std::string phase) {
  net::io_context ioc(options.threads);
  RunContext ctx(options, payload, endpoints);
  ctx.bucket_path = std::string("/").append(UrlEncode(options.bucket)).append("/");
  ctx.key_prefix = UrlEncode(options.prefix, /*keep_slash=*/true);
  PresignedTargets targets;
  if (options.presigned) {
    targets = Presign(ctx);
    ctx.presigned = &targets;
  }

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < options.concurrency; ++i) {
    workers.push_back(std::make_unique<Worker>(ctx, ioc.get_executor(), i));
  }
  Summary summary;
  summary.phase = std::move(phase);
  summary.options = &options;
  CpuTimes cpu_start = CpuTimes::Now();
  Clock::time_point start = Clock::now();
  ctx.start = start;
  if (options.duration_s > 0) {
    ctx.deadline = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options.duration_s));
  }
  for (auto& worker : workers) net::co_spawn(ioc, worker->Run(), net::detached);
  RunThreads(ioc, options.threads);
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  CpuTimes cpu_end = CpuTimes::Now();
  summary.cpu = {cpu_end.user_s - cpu_start.user_s, cpu_end.sys_s - cpu_start.sys_s};
  for (const auto& worker : workers) summary.stats.Merge(worker->stats());
  return summary;
}

}  // namespace kumo::bench
