#include "bench/stats.h"

#include <sys/resource.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace kumo::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

double Rate(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0; }
double Millis(uint64_t nanos) { return static_cast<double>(nanos) / 1e6; }

std::string StatusName(int status) {
  if (status == 0) return "transport";
  if (status < 0) return "length";
  return std::to_string(status);
}

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

}  // namespace

void WorkerStats::Merge(const WorkerStats& other) {
  ops += other.ops;
  bytes += other.bytes;
  keys += other.keys;
  latency.Merge(other.latency);
  for (const auto& [status, count] : other.errors) errors[status] += count;
  if (!other.last_error.empty()) last_error = other.last_error;
}

uint64_t WorkerStats::error_count() const {
  uint64_t total = 0;
  for (const auto& [status, count] : errors) total += count;
  return total;
}

CpuTimes CpuTimes::Now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {Seconds(usage.ru_utime), Seconds(usage.ru_stime)};
}

void PrintText(const Summary& s) {
  const Options& o = *s.options;
  const WorkerStats& st = s.stats;
  std::printf("%s: mode=%s size=%s concurrency=%d threads=%d%s\n", s.phase.c_str(),
              std::string(ModeName(o.mode)).c_str(), FormatSizeSpec(o.size).c_str(), o.concurrency,
              o.threads, o.presigned ? " presigned" : "");
  std::printf("  ops:      %llu in %.2f s = %.1f ops/s, %.2f MiB/s\n",
              static_cast<unsigned long long>(st.ops), s.seconds,
              Rate(static_cast<double>(st.ops), s.seconds),
              Rate(static_cast<double>(st.bytes) / kMiB, s.seconds));
  if (o.rate > 0) {
    std::printf(
        "  rate:     target %.1f ops/s, achieved %.1f ops/s (open loop: latency from each "
        "operation's scheduled start)\n",
        o.rate, Rate(static_cast<double>(st.ops + st.error_count()), s.seconds));
  }
  if (o.mode == Mode::kList && s.phase == "run") {
    std::printf("  list:     %.1f pages/s, %.1f keys/s\n",
                Rate(static_cast<double>(st.ops), s.seconds),
                Rate(static_cast<double>(st.keys), s.seconds));
  }
  std::printf("  latency:  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms\n",
              Millis(st.latency.Percentile(0.50)), Millis(st.latency.Percentile(0.90)),
              Millis(st.latency.Percentile(0.99)), Millis(st.latency.max()));
  std::printf("  errors:   %llu", static_cast<unsigned long long>(st.error_count()));
  for (const auto& [status, count] : st.errors) {
    std::printf("  %s=%llu", StatusName(status).c_str(), static_cast<unsigned long long>(count));
  }
  if (!st.last_error.empty()) std::printf("  (last: %s)", st.last_error.c_str());
  std::printf("\n  client:   cpu user %.2f s + sys %.2f s = %.0f%% of wall time\n", s.cpu.user_s,
              s.cpu.sys_s, 100 * Rate(s.cpu.user_s + s.cpu.sys_s, s.seconds));
  std::fflush(stdout);
}

void PrintJson(const Summary& s) {
  const Options& o = *s.options;
  const WorkerStats& st = s.stats;
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [status, count] : st.errors) {
    errors[StatusName(status)] = count;
  }
  nlohmann::json j = {
      {"phase", s.phase},
      {"mode", ModeName(o.mode)},
      {"size_min", o.size.min},
      {"size_max", o.size.max},
      {"concurrency", o.concurrency},
      {"threads", o.threads},
      {"presigned", o.presigned},
      {"seconds", s.seconds},
      {"ops", st.ops},
      {"bytes", st.bytes},
      {"ops_per_s", Rate(static_cast<double>(st.ops), s.seconds)},
      // --rate: the target; operations done (failed ones too) per second of the run.
      {"target_rate", o.rate},
      {"achieved_rate", Rate(static_cast<double>(st.ops + st.error_count()), s.seconds)},
      {"mib_per_s", Rate(static_cast<double>(st.bytes) / kMiB, s.seconds)},
      {"latency_ms",
       {{"p50", Millis(st.latency.Percentile(0.50))},
        {"p90", Millis(st.latency.Percentile(0.90))},
        {"p99", Millis(st.latency.Percentile(0.99))},
        {"max", Millis(st.latency.max())}}},
      {"errors", st.error_count()},
      {"errors_by_status", errors},
      {"client_cpu",
       {{"user_s", s.cpu.user_s},
        {"sys_s", s.cpu.sys_s},
        {"pct_wall", 100 * Rate(s.cpu.user_s + s.cpu.sys_s, s.seconds)}}},
  };
  if (o.mode == Mode::kList) {
    j["pages"] = st.ops;
    j["keys"] = st.keys;
    j["pages_per_s"] = Rate(static_cast<double>(st.ops), s.seconds);
    j["keys_per_s"] = Rate(static_cast<double>(st.keys), s.seconds);
  }
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

}  // namespace kumo::bench
