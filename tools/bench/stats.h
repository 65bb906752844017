// Results of a kumo-bench run: per-worker counters (merged at the end, so the hot path
// takes no lock), the client's own CPU time, and the text and JSON reports.
// [Threading] WorkerStats belongs to one worker; Summary is built after the run.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "bench/histogram.h"
#include "bench/options.h"

namespace kumo::bench {

struct WorkerStats {
  uint64_t ops = 0;    // successful operations (list: pages; multipart: objects)
  uint64_t bytes = 0;  // object bytes sent or received by successful operations
  uint64_t keys = 0;   // list: keys returned
  LatencyHistogram latency;
  std::map<int, uint64_t> errors;  // HTTP status (0: transport) -> count
  std::string last_error;

  void Merge(const WorkerStats& other);
  uint64_t error_count() const;
};

// getrusage(RUSAGE_SELF) user and system seconds.
struct CpuTimes {
  double user_s = 0;
  double sys_s = 0;
  static CpuTimes Now();
};

struct Summary {
  std::string phase;  // "run" or "prepare"
  const Options* options = nullptr;
  double seconds = 0;  // wall time of the phase
  WorkerStats stats;
  CpuTimes cpu;  // used during the phase
};

// Human-readable report on stdout.
void PrintText(const Summary& summary);
// One JSON object on one line on stdout.
void PrintJson(const Summary& summary);

}  // namespace kumo::bench
