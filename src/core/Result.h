// Status and Result<T>: how every core call reports success or a typed error, without exceptions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/ErrorCode.h"

namespace leadoutbox {

// An error, or success. `field` names the offending lead field, if any; `fieldErrors`
// holds one message per failing field so a form can show them all at once.
class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status ok() { return Status(); }

  bool isOk() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  const std::map<std::string, std::string>& fieldErrors() const { return fieldErrors_; }

  Status& withFieldErrors(std::map<std::string, std::string> errors) {
    fieldErrors_ = std::move(errors);
    return *this;
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
  std::map<std::string, std::string> fieldErrors_;
};

// A value of T, or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}     // NOLINT: implicit by design

  bool isOk() const { return status_.isOk(); }
  const Status& status() const { return status_; }
  // REQUIRES: isOk().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T value() && { return std::move(*value_); }  // by value: safe in range-for over a temporary

 private:
  Status status_;
  std::optional<T> value_;
};

// What every failure caused by damaged stored bytes (out of range, malformed, corrupt)
// says first. The JS layer keys on it: a store that fails to open with it keeps the
// damaged records aside and starts fresh. Transient failures (a full quota, a closed
// store) never carry it, so they are not mistaken for damage.
inline constexpr std::string_view kDamagedDataPrefix = "damaged stored data: ";

// kStorage for damaged stored data: `what` says which value and why.
inline Status damagedData(std::string_view what) {
  return Status(ErrorCode::kStorage, std::string(kDamagedDataPrefix) + std::string(what));
}

// True for a status damagedData made.
inline bool isDamagedData(const Status& s) {
  return s.code() == ErrorCode::kStorage && s.message().compare(0, kDamagedDataPrefix.size(), kDamagedDataPrefix) == 0;
}

}  // namespace leadoutbox
