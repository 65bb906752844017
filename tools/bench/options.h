// Command-line options of kumo-bench and their parsing (CLI11). Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bench/size_spec.h"

namespace kumo::bench {

enum class Mode { kPut, kGet, kMixed, kDelete, kList, kMultipart };

std::string_view ModeName(Mode mode);

struct Options {
  Mode mode = Mode::kPut;
  std::string endpoint = "http://127.0.0.1:9000";
  std::string host;  // resolver host, from endpoint
  std::string port;  // resolver port, from endpoint
  std::string host_header;
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string bucket = "kumo-bench";
  std::string prefix = "bench/";
  SizeSpec size{4096, 4096};
  uint64_t part_size = 8ull << 20;  // multipart
  int concurrency = 16;
  int threads = 1;
  double duration_s = 0;    // 0: unbounded (then count must be set)
  double rate = 0;          // operations/s over all connections (open loop); 0: closed loop
  uint64_t count = 0;       // 0: unbounded (then duration must be set)
  uint64_t keys = 0;        // keyspace; 0: put writes fresh keys, the others use 1000
  double read_ratio = 0.9;  // mixed
  uint32_t page_size = 1000;
  bool prepare = false;    // upload the keyspace first (get, mixed, delete, list)
  bool presigned = false;  // precomputed presigned URLs instead of per-request signing
  bool verify = false;     // GET: check that each body has the expected length
  bool json = false;
  std::string content_type;  // put: the Content-Type of every object (empty: none sent)
  // put: bodies are lines of English-like words, each object a different slice of them
  // (for the catalog's full-text figures), instead of random bytes.
  bool text_body = false;
  // put: every object is this file's bytes (its size overrides --size), e.g. a real
  // photo for the metadata function's figures.
  std::string body_file;
  bool quiet = false;  // no human-readable report (with --json: only the JSON line)

  // The keyspace the mode reads from (get, mixed, delete, list, presigned put).
  uint64_t Keyspace() const {
    return keys != 0 ? keys : (count != 0 && mode == Mode::kPut ? count : 1000);
  }
};

// Parses argv. On --help or a usage error, prints what CLI11 prints and returns the exit
// code to use; otherwise fills *out and returns std::nullopt.
std::optional<int> ParseOptions(int argc, char** argv, Options* out);

}  // namespace kumo::bench
