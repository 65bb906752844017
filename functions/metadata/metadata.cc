// metadata: the built-in function that describes each new object version for kumod's
// catalog. On s3:ObjectCreated:* it reads the object through the host API (streamed: at
// most head_bytes held, a PDF up to pdf_max_bytes), runs the configured extractors
// (extract.h: mime, sha256, image, exif, media, pdf, text) and stores their attributes
// and full-text text with Call::CatalogPut in the namespace "metadata". Other events:
// nothing to do (kumod's catalog drops a removed object's rows itself). An object
// overwritten or deleted since its event is skipped: the newer version has its own event.
// Config keys ([functions.metadata.config]): see config.h. A corrupt file is not a
// failure: its attributes carry an `error` and the event succeeds. A failed read is
// retried (kumo::plugin::Error). handle() may run concurrently on different keys.
#include <kumo/plugin.hpp>
#include <memory>
#include <string>
#include <utility>

#include "config.h"
#include "extract.h"

namespace {

namespace mp = kumo::plugin;
using kumo::metadata::Config;

// The object version changed between two reads of one event (a reopen for libavformat).
struct ObjectChanged {};

class ReaderStream : public kumo::metadata::Stream {
 public:
  explicit ReaderStream(mp::Reader reader) : reader_(std::move(reader)) {}
  size_t Read(void* buffer, size_t capacity) override { return reader_.Read(buffer, capacity); }

 private:
  mp::Reader reader_;
};

bool Gone(const mp::Error& e) {
  return e.status() == KUMO_ERR_NO_SUCH_KEY || e.status() == KUMO_ERR_NO_SUCH_BUCKET;
}

class Metadata : public mp::Function {
 public:
  // Parses the config (a bad one fails kumod's start, naming the key). libvips starts
  // (once, 20-50 ms, loading its modules) at the first image, not here: every kumod
  // loads this built-in, bound or not.
  explicit Metadata(const mp::Context& ctx)
      : config_(kumo::metadata::ParseConfig(ctx.config_json)) {}

  mp::Result Handle(const mp::Event& event, mp::Call& call) override {
    if (!event.created() || !config_.Matches(event.key())) return mp::Result::Success();
    const std::string bucket(event.bucket());
    const std::string key(event.key());
    std::unique_ptr<mp::Reader> first;
    try {
      first = std::make_unique<mp::Reader>(call.Open(bucket, key));
    } catch (const mp::Error& e) {
      if (Gone(e)) return mp::Result::Success();  // deleted since: its own event follows
      throw;
    }
    const std::string etag = first->etag().empty() ? std::string(event.etag()) : first->etag();
    kumo::metadata::Object object;
    object.size = first->size();
    object.content_type = first->content_type();
    object.open = [&]() -> std::unique_ptr<kumo::metadata::Stream> {
      if (first) return std::make_unique<ReaderStream>(std::move(*std::exchange(first, nullptr)));
      mp::Reader again = call.Open(bucket, key);
      if (again.etag() != etag) throw ObjectChanged{};
      return std::make_unique<ReaderStream>(std::move(again));
    };

    kumo::metadata::Extracted x;
    try {
      x = kumo::metadata::Extract(config_, object);
    } catch (const ObjectChanged&) {
      return mp::Result::Success();
    } catch (const mp::Error& e) {
      if (Gone(e)) return mp::Result::Success();
      throw;
    }
    if (auto error = x.attributes.Get("error")) {
      call.Log(KUMO_LOG_WARN, "metadata: " + std::get<std::string>(*error));
    }
    if (!call.CatalogPut(bucket, key, etag, "metadata", x.attributes.ToJson(), x.text)) {
      call.Log(KUMO_LOG_DEBUG, "metadata: the object changed since; not stored");
    }
    return mp::Result::Success();
  }

 private:
  Config config_;
};

}  // namespace

KUMO_PLUGIN(Metadata, "metadata", "1.0")
