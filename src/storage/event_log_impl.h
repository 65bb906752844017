// The RocksDB-backed EventLog (see event_log.h). Thread safety: thread-safe.
#pragma once

#include "storage/event_log.h"
#include "storage/event_sequencer.h"
#include "storage/index.h"

namespace kumo::storage {

class EventLogImpl final : public EventLog {
 public:
  EventLogImpl(Index* index, EventSequencer* sequencer) : index_(index), sequencer_(sequencer) {}
  // The highest sequence ever handed out to a batch (0: none): the larger of the last
  // outbox record and kMetaEventSeqHigh, so trims and failed batches never lower it.
  static Result<uint64_t> LastSequence(Index* index);

  uint64_t Watermark() override { return sequencer_->Watermark(); }
  uint64_t WaitPast(uint64_t after, int timeout_ms) override {
    return sequencer_->WaitPast(after, timeout_ms);
  }
  Result<std::vector<EventRecord>> Read(uint64_t after, size_t max) override;
  Result<EventRecord> Get(uint64_t seq) override;
  Result<size_t> TrimBefore(int64_t cutoff_ms) override;

  Status PutState(std::string_view key, std::string_view value, bool synced) override;
  Status PutStates(const std::vector<std::pair<std::string, std::string>>& entries,
                   bool synced) override;
  Result<std::optional<std::string>> GetState(std::string_view key) override;
  Status DeleteState(std::string_view key) override;
  Status DeleteStates(const std::vector<std::string>& keys, bool synced) override;
  Result<std::vector<std::pair<std::string, std::string>>> ScanState(std::string_view prefix,
                                                                     size_t max) override;

 private:
  Index* const index_;
  EventSequencer* const sequencer_;
};

}  // namespace kumo::storage
