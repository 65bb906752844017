// A Dispatcher over fake handlers for the dispatcher tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/dispatcher.h"
#include "test_util.h"

namespace kumo::events::testing {

struct Harness {
  std::unique_ptr<Dispatcher> dispatcher;
  std::vector<FakeHandler*> fakes;  // owned by the dispatcher

  Dispatcher* operator->() { return dispatcher.get(); }
  // Every handler's cursor has reached the watermark.
  bool Settled() {
    for (const auto& s : dispatcher->Stats()) {
      if (s.lag != 0) return false;
    }
    return true;
  }
};

inline DispatcherOptions FastOptions() {
  DispatcherOptions o;
  o.initial_backoff_ms = 1;
  o.max_backoff_ms = 5;
  return o;
}

inline Harness MakeDispatcher(storage::Store* store, const std::vector<std::string>& ids,
                              DispatcherOptions options = FastOptions(), bool start = true) {
  Harness h;
  std::vector<std::unique_ptr<Handler>> handlers;
  for (const auto& id : ids) {
    auto fake = std::make_unique<FakeHandler>(id);
    h.fakes.push_back(fake.get());
    handlers.push_back(std::move(fake));
  }
  h.dispatcher = std::make_unique<Dispatcher>(store, options, std::move(handlers));
  if (start) {
    Status s = h.dispatcher->Start();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return h;
}

}  // namespace kumo::events::testing
