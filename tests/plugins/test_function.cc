// The function the integration tests (tests/integration/test_plugins.py,
// test_bench_tool.py) and the event benchmarks (tests/bench/events.sh) bind. Its config
// selects a behaviour:
//   {"mode": "noop"}     returns success at once, for every event: the cost of delivery
//                        itself, with no work in the handler
//   {"mode": "loop"}     writes <key>+ into the same bucket for every created object: a
//                        function writing into its own trigger, stopped by the depth
//                        limit; its x-amz-meta-configuration-id is the binding's Id
//   {"mode": "throw"}    throws from Handle: a retryable failure, then a dead letter
//   {"mode": "permanent"} reports a permanent failure with a reason
//   {"mode": "barrier", "expect": N}
//                        waits (up to 10 s) until N calls run at once, then writes
//                        peak/<key> holding the highest number of concurrent calls seen
//   {"mode": "derive", "target": B}
//                        reads the created object and writes its bytes to
//                        derived/<key> in bucket B: the event's bucket when B is empty,
//                        the bucket the object's body names when B is "@body"; a denied
//                        call fails the event (test_function_principal.py)
//   {"mode": "fail_create"} the constructor throws: kumod must refuse to start
//   {"mode": "probe"}    exercises the API version 2 host calls on each created object
//                        outside probe/: stat_object, get_tags, list_objects (the
//                        key's directory), log_call, catalog_put, and delete_object
//                        when the key ends in ".remove"; writes probe/<key>.json with
//                        what they returned (test_plugins.py)
//   {"mode": "sleep", "seconds": N}
//                        takes N seconds for each event of a key ending in ".slow", then
//                        succeeds (other keys at once): a stuck call, for the
//                        slow-delivery warning
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <kumo/plugin.hpp>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

std::string ConfigString(const std::string& json, const std::string& name) {
  // The tests' configs are flat {"k": "v", "n": 3}: no JSON library needed here.
  size_t at = json.find("\"" + name + "\"");
  if (at == std::string::npos) return {};
  size_t colon = json.find(':', at);
  size_t begin = json.find_first_not_of(" \t\"", colon + 1);
  size_t end = json.find_first_of("\",}", begin);
  return json.substr(begin, end - begin);
}

class TestFunction : public kumo::plugin::Function {
 public:
  explicit TestFunction(const kumo::plugin::Context& ctx) : host_(ctx.host) {
    mode_ = ConfigString(ctx.config_json, "mode");
    if (mode_ == "fail_create") throw std::runtime_error("refusing to start as configured");
    std::string expect = ConfigString(ctx.config_json, "expect");
    expect_ = expect.empty() ? 1 : std::stoi(expect);
    target_ = ConfigString(ctx.config_json, "target");
    std::string seconds = ConfigString(ctx.config_json, "seconds");
    sleep_seconds_ = seconds.empty() ? 0 : std::stoi(seconds);
  }

  kumo::plugin::Result Handle(const kumo::plugin::Event& event, kumo::plugin::Call& call) override {
    if (mode_ == "noop" || !event.created()) return kumo::plugin::Result::Success();
    const std::string bucket(event.bucket()), key(event.key());
    if (mode_ == "loop") {
      call.WriteObject(bucket, key + "+", "depth " + std::to_string(event.depth() + 1), "",
                       {{"configuration-id", std::string(event.configuration_id())}});
      return kumo::plugin::Result::Success();
    }
    if (mode_ == "throw") throw std::runtime_error("boom from the test function");
    if (mode_ == "permanent") return kumo::plugin::Result::Permanent("this object is refused");
    if (mode_ == "barrier") return Barrier(bucket, key, call);
    if (mode_ == "derive") {
      std::string body = call.ReadObject(bucket, key);
      std::string target = target_.empty() ? bucket : target_ == "@body" ? body : target_;
      call.WriteObject(target, "derived/" + key, body);
      return kumo::plugin::Result::Success();
    }
    if (mode_ == "probe") return Probe(event, bucket, key, call);
    if (mode_ == "sleep") {
      if (key.size() > 5 && key.compare(key.size() - 5, 5, ".slow") == 0) {
        std::this_thread::sleep_for(std::chrono::seconds(sleep_seconds_));
      }
      return kumo::plugin::Result::Success();
    }
    return kumo::plugin::Result::Permanent("unknown mode " + mode_);
  }

 private:
  kumo::plugin::Result Barrier(const std::string& bucket, const std::string& key,
                               kumo::plugin::Call& call) {
    int peak;
    {
      std::unique_lock lock(mu_);
      ++in_flight_;
      peak_ = std::max(peak_, in_flight_);
      cv_.notify_all();
      cv_.wait_for(lock, std::chrono::seconds(10), [&] { return in_flight_ >= expect_; });
      peak = peak_;
    }
    call.WriteObject(bucket, "peak/" + key, std::to_string(peak));
    std::lock_guard lock(mu_);
    --in_flight_;
    return kumo::plugin::Result::Success();
  }

  // JSON text built with append (GCC 12 warns falsely about operator+ on literals).
  static void Quote(std::string* out, const std::string& s) {
    out->push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out->push_back('\\');
      out->push_back(c);
    }
    out->push_back('"');
  }
  static void Field(std::string* out, const char* name) {
    out->append(out->size() > 1 ? ",\"" : "\"").append(name).append("\":");
  }
  static void Object(std::string* out, const kumo::plugin::Pairs& pairs) {
    out->push_back('{');
    bool first = true;
    for (const auto& [name, value] : pairs) {
      if (!first) out->push_back(',');
      first = false;
      Quote(out, name);
      out->push_back(':');
      Quote(out, value);
    }
    out->push_back('}');
  }

  kumo::plugin::Result Probe(const kumo::plugin::Event& event, const std::string& bucket,
                             const std::string& key, kumo::plugin::Call& call) {
    if (key.rfind("probe/", 0) == 0) return kumo::plugin::Result::Success();
    kumo::plugin::ObjectStat st = call.Stat(bucket, key);
    kumo::plugin::Pairs tags = call.GetTags(bucket, key);
    const size_t slash = key.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : key.substr(0, slash + 1);
    kumo::plugin::ListPage page = call.List(bucket, dir, "", 2);
    call.Log(KUMO_LOG_INFO, "probed");
    const bool stored = call.CatalogPut(bucket, key, st.etag, "probe", R"({"probed": true})", "");
    const bool stale = !call.CatalogPut(bucket, key, "0123456789abcdef", "probe", "{}", "");
    const bool remove = key.size() > 7 && key.compare(key.size() - 7, 7, ".remove") == 0;
    if (remove) call.Delete(bucket, key);

    std::string r = "{";
    Field(&r, "size");
    r.append(std::to_string(st.size));
    Field(&r, "etag");
    Quote(&r, st.etag);
    Field(&r, "event_etag");
    Quote(&r, std::string(event.etag()));
    Field(&r, "content_type");
    Quote(&r, st.content_type);
    Field(&r, "metadata");
    Object(&r, st.metadata);
    Field(&r, "tags");
    Object(&r, st.tags);
    Field(&r, "get_tags");
    Object(&r, tags);
    Field(&r, "checksum_algorithm");
    Quote(&r, st.checksum_algorithm);
    Field(&r, "parts");
    r.append(std::to_string(st.parts));
    Field(&r, "listed");
    r.push_back('[');
    for (size_t i = 0; i < page.entries.size(); ++i) {
      if (i > 0) r.push_back(',');
      Quote(&r, page.entries[i].key);
    }
    r.push_back(']');
    Field(&r, "truncated");
    r.append(page.truncated ? "true" : "false");
    Field(&r, "catalog_stored");
    r.append(stored ? "true" : "false");
    Field(&r, "catalog_stale");
    r.append(stale ? "true" : "false");
    Field(&r, "removed");
    r.append(remove ? "true" : "false");
    r.push_back('}');
    call.WriteObject(bucket, std::string("probe/").append(key).append(".json"), r,
                     "application/json");
    return kumo::plugin::Result::Success();
  }

  kumo::plugin::Host host_;
  std::string mode_;
  std::string target_;
  int expect_ = 1;
  int sleep_seconds_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  int peak_ = 0;
};

}  // namespace

KUMO_PLUGIN(TestFunction, "test-function", "1")
