// A handler is anything events are delivered to: a notification target (webhook) or,
// later, a function plugin. The dispatcher calls Deliver on the handler's own worker
// thread, one event at a time, in sequence order.
//
// [Threading] Deliver is called from one dispatcher thread per handler; it may block
// (network I/O) but should honour its own timeouts.
// [Exceptions] Deliver must not throw; failures are returned as values.
#pragma once

#include <string>

#include "storage/event_record.h"

namespace kumo::events {

enum class DeliveryOutcome {
  kDelivered,
  kRetryable,  // try again after a backoff, up to the attempt limit
  kPermanent,  // dead-letter immediately
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;  // human-readable, kept with the dead letter
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Stable name used for cursors and the CLI, e.g. "webhook:alerts".
  virtual const std::string& name() const = 0;
  // The ARN bindings use, e.g. "arn:kumo:sqs::alerts:webhook".
  virtual const std::string& arn() const = 0;
  // payload: the S3 event message JSON rendered for the matching rule.
  virtual DeliveryResult Deliver(const storage::EventRecord& record,
                                 const std::string& payload) = 0;
};

}  // namespace kumo::events
