// Phases of a kumo-bench run: bucket creation, the optional --prepare upload of the
// keyspace, and the measured run. Each phase has its own io_context with --threads threads
// and --concurrency workers. Not thread-safe: called from main only.
#pragma once

#include <string>
#include <vector>

#include "bench/connection.h"
#include "bench/options.h"
#include "bench/stats.h"

namespace kumo::bench {

// Creates options.bucket; "already owned by you" counts as success. Returns an empty
// string on success, else what went wrong.
std::string EnsureBucket(const Options& options, const tcp::resolver::results_type& endpoints);

// Runs options.mode with options' concurrency and limits, and returns what it measured.
Summary RunPhase(const Options& options, const std::vector<char>& payload,
                 const tcp::resolver::results_type& endpoints, std::string phase);

// The options of the --prepare phase: a PUT of every key of the keyspace, once.
Options PrepareOptions(const Options& options);

// Random bytes for request bodies: enough for the largest single request, up to 64 MiB
// (larger bodies repeat it).
std::vector<char> MakePayload(const Options& options);

}  // namespace kumo::bench
