#include "bench/worker.h"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

namespace kumo::bench {
namespace {

constexpr int kKeyDigits = 10;

size_t ScratchBytes(const Options& o) {
  constexpr uint64_t kMin = 64 * 1024, kMax = 1024 * 1024;
  if (o.mode == Mode::kList || o.mode == Mode::kMultipart) return 256 * 1024;
  return static_cast<size_t>(std::clamp<uint64_t>(o.size.max, kMin, kMax));
}

}  // namespace

void RunContext::ObjectPath(uint64_t key, std::string* out) const {
  out->assign(bucket_path).append(key_prefix);
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof(digits), key).ptr;
  auto len = static_cast<int>(end - digits);
  if (len < kKeyDigits) out->append(static_cast<size_t>(kKeyDigits - len), '0');
  out->append(digits, end);
}

Worker::Worker(RunContext& ctx, net::any_io_executor executor, int id)
    : ctx_(ctx),
      conn_(executor, ctx.endpoints, ScratchBytes(ctx.options)),
      timer_(std::move(executor)),
      builder_(ctx.options),
      rng_(0x6b756d6fULL * static_cast<uint64_t>(id + 1)) {}

void Worker::SetBody(uint64_t size, uint64_t key) {
  body_.clear();
  const std::vector<char>& p = ctx_.payload;
  if (ctx_.options.text_body && size <= p.size()) {
    const uint64_t room = p.size() - size + 1;
    body_.emplace_back(p.data() + (key * 0x9E3779B97F4A7C15ull >> 17) % room,
                       static_cast<size_t>(size));
    return;
  }
  while (size > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, p.size()));
    body_.emplace_back(p.data(), n);
    size -= n;
  }
}

net::awaitable<void> Worker::Run() {
  uint64_t seq = 0;
  Clock::time_point due;
  while (ctx_.Claim(&seq, &due)) {
    if (due > Clock::now()) {
      timer_.expires_at(due);
      boost::system::error_code ec;  // never cancelled
      co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    Outcome out = co_await One(seq);
    // From the due time: with --rate, a late start (every connection was busy) counts.
    auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - due);
    if (out.ok()) {
      ++stats_.ops;
      stats_.bytes += out.bytes;
      stats_.keys += out.keys;
      stats_.latency.Record(static_cast<uint64_t>(nanos.count()));
    } else {
      ++stats_.errors[out.reply.status];
      stats_.last_error =
          out.reply.status == 0 ? out.reply.error : "HTTP " + std::to_string(out.reply.status);
    }
  }
}

net::awaitable<Outcome> Worker::One(uint64_t seq) {
  // Written without `co_return co_await`, which GCC 12 miscompiles in some forms.
  const Options& o = ctx_.options;
  uint64_t keyspace = o.Keyspace();
  Outcome out;
  switch (o.mode) {
    case Mode::kPut: {
      uint64_t key = o.keys != 0 || o.presigned ? seq % keyspace : seq;
      out = co_await Put(key, o.size.Draw(rng_));
      break;
    }
    case Mode::kGet:
      out = co_await Get(rng_() % keyspace);
      break;
    case Mode::kMixed: {
      bool read = std::uniform_real_distribution<double>(0, 1)(rng_) < o.read_ratio;
      uint64_t key = rng_() % keyspace;
      if (read) {
        out = co_await Get(key);
      } else {
        out = co_await Put(key, o.size.Draw(rng_));
      }
      break;
    }
    case Mode::kDelete:
      out = co_await Delete(seq % keyspace);
      break;
    case Mode::kList:
      out = co_await ListPage();
      break;
    case Mode::kMultipart:
      out = co_await Multipart(seq, o.size.Draw(rng_));
      break;
  }
  co_return out;
}

net::awaitable<Outcome> Worker::Put(uint64_t key, uint64_t size) {
  auto length = static_cast<int64_t>(size);
  if (ctx_.presigned != nullptr) {
    builder_.PlainHead("PUT", ctx_.presigned->put[key], length, &head_);
  } else {
    ctx_.ObjectPath(key, &path_);
    builder_.SignedHead("PUT", path_, "", length, &head_);
  }
  SetBody(size, key);
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, body_);
  out.bytes = size;
  co_return out;
}

net::awaitable<Outcome> Worker::Get(uint64_t key) {
  if (ctx_.presigned != nullptr) {
    builder_.PlainHead("GET", ctx_.presigned->get[key], -1, &head_);
  } else {
    ctx_.ObjectPath(key, &path_);
    builder_.SignedHead("GET", path_, "", -1, &head_);
  }
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, no_body_);
  out.bytes = out.reply.body_bytes;
  const SizeSpec& size = ctx_.options.size;
  if (ctx_.options.verify && out.ok() && size.fixed() && out.bytes != size.min) {
    out.reply.status = -1;  // reported as "length"
  }
  co_return out;
}

net::awaitable<Outcome> Worker::Delete(uint64_t key) {
  if (ctx_.presigned != nullptr) {
    builder_.PlainHead("DELETE", ctx_.presigned->del[key], -1, &head_);
  } else {
    ctx_.ObjectPath(key, &path_);
    builder_.SignedHead("DELETE", path_, "", -1, &head_);
  }
  Outcome out;
  out.reply = co_await conn_.RoundTrip(head_, no_body_);
  co_return out;
}

}  // namespace kumo::bench
