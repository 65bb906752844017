#include "bench/options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <map>

namespace kumo::bench {
namespace {

std::string FromEnv(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

// http://HOST[:PORT][/] only (IPv6 literals in brackets).
bool SplitEndpoint(Options* o) {
  std::string_view url = o->endpoint;
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return false;
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@") != std::string_view::npos) return false;
  o->host_header = std::string(rest);
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && rest.find(']', colon) == std::string_view::npos) {
    o->host = std::string(rest.substr(0, colon));
    o->port = std::string(rest.substr(colon + 1));
  } else {
    o->host = std::string(rest);
    o->port = "80";
  }
  if (o->host.size() > 1 && o->host.front() == '[') o->host = o->host.substr(1, o->host.size() - 2);
  return !o->host.empty() && !o->port.empty();
}

}  // namespace

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kPut:
      return "put";
    case Mode::kGet:
      return "get";
    case Mode::kMixed:
      return "mixed";
    case Mode::kDelete:
      return "delete";
    case Mode::kList:
      return "list";
    case Mode::kMultipart:
      return "multipart";
  }
  return "?";
}

std::optional<int> ParseOptions(int argc, char** argv, Options* o) {
  CLI::App app{
      "kumo-bench: load generator for S3 endpoints (kumod or any other). Requests are signed\n"
      "with SigV4 and UNSIGNED-PAYLOAD (the client never hashes bodies), or use precomputed\n"
      "presigned URLs with --presigned. Talk to test endpoints only."};
  o->access_key = FromEnv({"KUMO_ROOT_ACCESS_KEY", "AWS_ACCESS_KEY_ID"});
  o->secret_key = FromEnv({"KUMO_ROOT_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"});
  if (std::string region = FromEnv({"AWS_REGION", "AWS_DEFAULT_REGION"}); !region.empty()) {
    o->region = region;
  }

  std::map<std::string, Mode> modes = {{"put", Mode::kPut},     {"get", Mode::kGet},
                                       {"mixed", Mode::kMixed}, {"delete", Mode::kDelete},
                                       {"list", Mode::kList},   {"multipart", Mode::kMultipart}};
  std::string size_text = "4KiB";
  std::string part_text = "8MiB";
  app.add_option("mode", o->mode, "put | get | mixed | delete | list | multipart")
      ->required()
      ->transform(CLI::CheckedTransformer(modes, CLI::ignore_case));
  app.add_option("--endpoint", o->endpoint, "http://HOST[:PORT]")->capture_default_str();
  app.add_option("--access-key", o->access_key, "env KUMO_ROOT_ACCESS_KEY or AWS_ACCESS_KEY_ID");
  app.add_option("--secret-key", o->secret_key,
                 "env KUMO_ROOT_SECRET_KEY or AWS_SECRET_ACCESS_KEY");
  app.add_option("--region", o->region, "SigV4 region")->capture_default_str();
  app.add_option("--bucket", o->bucket, "created if missing")->capture_default_str();
  app.add_option("--prefix", o->prefix, "key prefix")->capture_default_str();
  app.add_option("--size", size_text, "object size: 4KiB, 64MiB, or 1KiB-1MiB (uniform)")
      ->capture_default_str();
  app.add_option("--part-size", part_text, "multipart: part size")->capture_default_str();
  app.add_option("-c,--concurrency", o->concurrency, "connections (one request in flight each)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--threads", o->threads, "client I/O threads")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("-d,--duration", o->duration_s, "seconds to run (default 10 without --count)");
  app.add_option("-n,--count", o->count, "operations to run (list: pages; multipart: objects)");
  app.add_option("--rate", o->rate,
                 "open loop: N operations/s in all, at fixed intervals, latency measured "
                 "from each one's due time (default: closed loop)")
      ->check(CLI::PositiveNumber);
  app.add_option("--keys", o->keys,
                 "keyspace: get/mixed/delete/list use keys 0..N-1 (default 1000); put cycles "
                 "over them (default: a fresh key per request)");
  app.add_option("--read-ratio", o->read_ratio, "mixed: fraction of GETs")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--page-size", o->page_size, "list: max-keys per page")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_flag("--prepare", o->prepare, "upload the keyspace before the measured run");
  app.add_flag("--presigned", o->presigned,
               "put/get/mixed/delete: precomputed presigned URLs (wrk-style load)");
  app.add_flag("--verify", o->verify, "get/mixed: check each body's length");
  app.add_flag("--json", o->json, "also print one JSON line with the results");
  app.add_option("--content-type", o->content_type, "put: Content-Type of every object");
  app.add_option("--body-file", o->body_file, "put: every object is this file's bytes")
      ->check(CLI::ExistingFile);
  app.add_flag("--text-body", o->text_body,
               "put: bodies of words (each object a different slice) instead of random bytes");
  app.add_flag("-q,--quiet", o->quiet, "no human-readable report");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto usage = [&](const std::string& why) {
    std::fprintf(stderr, "kumo-bench: %s\n", why.c_str());
    return 2;
  };
  auto size = ParseSizeSpec(size_text);
  if (!size || size->max == 0) return usage("bad --size '" + size_text + "'");
  o->size = *size;
  if (!o->body_file.empty()) {
    std::error_code ec;
    const uintmax_t bytes = std::filesystem::file_size(o->body_file, ec);
    if (ec || bytes == 0) return usage("cannot use --body-file '" + o->body_file + "'");
    if (o->mode != Mode::kPut) return usage("--body-file is for put");
    if (o->text_body) return usage("--body-file and --text-body exclude each other");
    o->size = SizeSpec{bytes, bytes};
  }
  auto part = ParseBytes(part_text);
  if (!part || *part == 0) return usage("bad --part-size '" + part_text + "'");
  o->part_size = *part;
  if (!SplitEndpoint(o)) return usage("bad --endpoint '" + o->endpoint + "' (http://HOST:PORT)");
  if (o->access_key.empty() || o->secret_key.empty()) {
    return usage("no credentials: --access-key/--secret-key or KUMO_ROOT_* / AWS_* variables");
  }
  if (o->duration_s <= 0 && o->count == 0) o->duration_s = 10;
  if (o->presigned && (o->mode == Mode::kList || o->mode == Mode::kMultipart)) {
    return usage("--presigned applies to put, get, mixed and delete");
  }
  if (o->presigned && o->mode == Mode::kPut && o->keys == 0 && o->count == 0) {
    return usage("--presigned put needs a bounded keyspace: --keys or --count");
  }
  return std::nullopt;
}

}  // namespace kumo::bench
