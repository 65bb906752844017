// hello: the example Kumo function. For every object created under its binding it
//  - streams the object and counts its bytes and lines,
//  - writes "<output_prefix><key>.txt", a short greeting with those counts (this write
//    is an event of its own, traced back to the upload: `kumo events trace SEQ`),
//  - tags the uploaded object hello=seen and adds the metadata x-amz-meta-hello-bytes.
// Its config ([functions.hello.config] in kumod's configuration):
//   greeting       the first word of the greeting (default "Hello")
//   output_prefix  where greetings go (default "hello/"); keep it outside the binding's
//                  prefix, or the function triggers itself (the chain depth limit stops
//                  that loop, but it is wasted work)
#include <kumo/plugin.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace {

class Hello : public kumo::plugin::Function {
 public:
  explicit Hello(const kumo::plugin::Context& ctx) : host_(ctx.host) {
    // A config error throws: kumod refuses to start and prints this message.
    auto config = nlohmann::json::parse(ctx.config_json);
    greeting_ = config.value("greeting", "Hello");
    output_prefix_ = config.value("output_prefix", "hello/");
    if (output_prefix_.empty()) throw std::invalid_argument("output_prefix must not be empty");
    host_.Info("ready: greeting '" + greeting_ + "', writing under " + output_prefix_);
  }

  kumo::plugin::Result Handle(const kumo::plugin::Event& event, kumo::plugin::Call& call) override {
    if (!event.created()) return kumo::plugin::Result::Success();  // removals: nothing to do
    const std::string bucket(event.bucket()), key(event.key());
    if (key.rfind(output_prefix_, 0) == 0) return kumo::plugin::Result::Success();

    // Streamed: memory stays bounded whatever the object's size.
    uint64_t bytes = 0, lines = 0;
    kumo::plugin::Reader reader = call.Open(bucket, key);
    char buffer[64 * 1024];
    for (size_t n; (n = reader.Read(buffer, sizeof(buffer))) > 0;) {
      bytes += n;
      for (size_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
    }

    const std::string text = greeting_ + ", " + key + "! " + std::to_string(bytes) + " bytes, " +
                             std::to_string(lines) + " lines (event " +
                             std::to_string(event.sequence()) + ")\n";
    call.WriteObject(bucket, output_prefix_ + key + ".txt", text, "text/plain",
                     {{"source-sequence", std::to_string(event.sequence())}});
    call.SetTags(bucket, key, {{"hello", "seen"}});
    call.SetMetadata(bucket, key, {{"hello-bytes", std::to_string(bytes)}});
    host_.Info("greeted s3://" + bucket + "/" + key);
    return kumo::plugin::Result::Success();
  }

 private:
  kumo::plugin::Host host_;
  std::string greeting_;
  std::string output_prefix_;
};

}  // namespace

KUMO_PLUGIN(Hello, "hello", "1.0")
