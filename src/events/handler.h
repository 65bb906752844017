// A handler is anything events are delivered to: a notification target (webhook) or,
// later, a function plugin. The dispatcher calls Deliver from its own threads, in
// sequence order per object key (see concurrency()).
//
// [Threading] With concurrency() 1 (the default), Deliver is never called concurrently:
// the handler's worker thread, dead-letter retries and test events take turns. With
// concurrency() N > 1, up to N calls may run at once (Deliver must be thread-safe), but
// never two for the same (bucket, key). Deliver may block (network I/O) but should
// honour its own timeouts.
// [Exceptions] Deliver must not throw; failures are returned as values.
#pragma once

#include <string>

#include "storage/event_record.h"

namespace kumo::events {

enum class DeliveryOutcome {
  kDelivered,
  kRetryable,  // try again after a backoff, up to the attempt limit
  kPermanent,  // dead-letter immediately
  // The target cannot be reached (refused, reset, DNS, TLS handshake, timeout, 5xx, 408,
  // 429): the handler pauses and probes with the same event, its cursor stays, nothing
  // is dead-lettered until the outage has lasted DispatcherOptions::outage_max_ms.
  kUnavailable,
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;  // human-readable, kept with the dead letter
};

// The highest concurrency() the dispatcher honours; larger values count as this.
inline constexpr int kMaxHandlerConcurrency = 64;

class Handler {
 public:
  virtual ~Handler() = default;
  // Stable name used for cursors and the CLI, e.g. "webhook:alerts".
  virtual const std::string& name() const = 0;
  // The ARN bindings use, e.g. "arn:kumo:sqs::alerts:webhook".
  virtual const std::string& arn() const = 0;
  // How many deliveries the dispatcher may run at once for this handler; read once,
  // when the dispatcher is constructed (values below 1 count as 1). When above 1,
  // Deliver must be thread-safe; it is still never called concurrently for two events
  // with the same (bucket, key), and the events of one key are delivered in sequence
  // order (each one settled, i.e. delivered or dead-lettered, before the next).
  virtual int concurrency() const { return 1; }
  // payload: the S3 event message JSON rendered for the matching rule.
  virtual DeliveryResult Deliver(const storage::EventRecord& record,
                                 const std::string& payload) = 0;
};

}  // namespace kumo::events
