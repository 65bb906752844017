// kumo-bench: an S3 load generator (see options.cc for the flags, README "Performance").
#include <boost/asio/io_context.hpp>
#include <cstdio>

#include "bench/options.h"
#include "bench/run.h"

namespace {

void Report(const kumo::bench::Options& options, const kumo::bench::Summary& summary) {
  if (!options.quiet) kumo::bench::PrintText(summary);
  if (options.json) kumo::bench::PrintJson(summary);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kumo::bench;
  Options options;
  if (auto exit_code = ParseOptions(argc, argv, &options)) return *exit_code;

  net::io_context resolver_ioc;
  tcp::resolver resolver(resolver_ioc);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(options.host, options.port, ec);
  if (ec) {
    std::fprintf(stderr, "kumo-bench: cannot resolve %s: %s\n", options.host.c_str(),
                 ec.message().c_str());
    return 1;
  }
  if (std::string error = EnsureBucket(options, endpoints); !error.empty()) {
    std::fprintf(stderr, "kumo-bench: bucket %s: %s\n", options.bucket.c_str(), error.c_str());
    return 1;
  }

  if (options.prepare && options.mode != Mode::kPut && options.mode != Mode::kMultipart) {
    Options prepare = PrepareOptions(options);
    std::vector<char> payload = MakePayload(prepare);
    Summary summary = RunPhase(prepare, payload, endpoints, "prepare");
    Report(options, summary);
    if (summary.stats.error_count() != 0) {
      std::fprintf(stderr, "kumo-bench: --prepare had errors; stopping\n");
      return 1;
    }
  }
  std::vector<char> payload = MakePayload(options);
  Summary summary = RunPhase(options, payload, endpoints, "run");
  Report(options, summary);
  return summary.stats.ops == 0 ? 1 : 0;
}
