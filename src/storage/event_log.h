// EventLog: read access to the transactional outbox (the "events" column family that
// IndexWriter fills in the same batch as each change) and a small durable key-value
// space for the dispatcher's own state (cursors, outcomes, dead letters), whose values
// storage does not interpret.
// Thread safety: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "storage/event_record.h"

namespace kumo::storage {

class EventLog {
 public:
  virtual ~EventLog() = default;
  // Every sequence <= Watermark() is settled: committed, or never to appear.
  virtual uint64_t Watermark() = 0;
  // Blocks until the watermark passes `after` or timeout_ms elapses; returns it.
  virtual uint64_t WaitPast(uint64_t after, int timeout_ms) = 0;
  // Records with after < seq <= Watermark(), ascending, at most max.
  virtual Result<std::vector<EventRecord>> Read(uint64_t after, size_t max) = 0;
  // Errors: kNoSuchKey when the record is gone (trimmed) or never existed.
  virtual Result<EventRecord> Get(uint64_t seq) = 0;
  // Deletes records older than cutoff_ms (retention); returns how many.
  virtual Result<size_t> TrimBefore(int64_t cutoff_ms) = 0;

  // synced: the write is on disk when this returns (the RocksDB WAL is synced). Without
  // it the write survives a crash of the process, not of the machine, until the next
  // synced write of the index (every acknowledged object change is one) makes it
  // durable; for records that are cheap to lose, such as delivery outcomes.
  virtual Status PutState(std::string_view key, std::string_view value, bool synced = true) = 0;
  // Several entries in one index write, with PutState's meaning of synced.
  virtual Status PutStates(const std::vector<std::pair<std::string, std::string>>& entries,
                           bool synced) = 0;
  virtual Result<std::optional<std::string>> GetState(std::string_view key) = 0;
  virtual Status DeleteState(std::string_view key) = 0;
  // Several deletions in one index write, with PutState's meaning of synced.
  virtual Status DeleteStates(const std::vector<std::string>& keys, bool synced) = 0;
  // Entries whose key starts with prefix, in key order, at most max.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ScanState(
      std::string_view prefix, size_t max) = 0;
};

}  // namespace kumo::storage
