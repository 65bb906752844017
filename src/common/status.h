// Status and Result<T>: errors are values (LevelDB/RocksDB style).
// A Status is OK or carries an ErrorCode and a human-readable message. Result<T> holds
// either a T or a non-OK Status. Both are cheap to move and safe to use from any thread
// (they are plain values). Ignoring a Status must be explicit: call PermitUnchecked().
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "common/error_code.h"

namespace kumo {

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status Internal(std::string msg) { return {ErrorCode::kInternalError, std::move(msg)}; }
  static Status IOError(std::string msg) { return {ErrorCode::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {ErrorCode::kCorruption, std::move(msg)}; }
  static Status InvalidArgument(std::string msg) {
    return {ErrorCode::kInvalidArgument, std::move(msg)};
  }
  static Status NoSuchKey(std::string msg = "The specified key does not exist.") {
    return {ErrorCode::kNoSuchKey, std::move(msg)};
  }
  static Status NoSuchBucket(std::string msg = "The specified bucket does not exist") {
    return {ErrorCode::kNoSuchBucket, std::move(msg)};
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool Is(ErrorCode c) const { return code_ == c; }
  bool IsNotFound() const {
    return code_ == ErrorCode::kNoSuchKey || code_ == ErrorCode::kNoSuchBucket ||
           code_ == ErrorCode::kNoSuchUpload;
  }
  std::string ToString() const;

  // Marks a deliberately ignored status; grep for it.
  void PermitUnchecked() const {}

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kumo

// Propagates a non-OK Status out of the enclosing function.
#define KUMO_RETURN_IF_ERROR(expr)       \
  do {                                   \
    ::kumo::Status _kumo_st = (expr);    \
    if (!_kumo_st.ok()) return _kumo_st; \
  } while (0)

#define KUMO_CONCAT_INNER(a, b) a##b
#define KUMO_CONCAT(a, b) KUMO_CONCAT_INNER(a, b)
// Assigns the value of a Result to lhs, or returns its Status.
#define KUMO_ASSIGN_OR_RETURN(lhs, expr) \
  KUMO_ASSIGN_OR_RETURN_IMPL(KUMO_CONCAT(_kumo_res_, __LINE__), lhs, expr)
#define KUMO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
