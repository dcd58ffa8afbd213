#pragma once
// Errors that come from input: what was wrong, and where (a JSON pointer or a flag name).
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cairn::core {

enum class ErrorKind { BadRequest, Invalid, NotFound, Conflict, Unauthorized, Forbidden, TooLarge, Unsupported };

struct Error {
  ErrorKind kind = ErrorKind::Invalid;
  std::string title;
  std::string detail;
  std::string pointer;  // JSON pointer into the request, or "" when it concerns the whole request
  std::string parameter;  // query parameter name, when the error is in the query string
};

inline Error invalid(std::string detail, std::string pointer = {}) {
  return Error{ErrorKind::Invalid, "Invalid attribute", std::move(detail), std::move(pointer), {}};
}
inline Error bad_request(std::string detail, std::string parameter = {}) {
  return Error{ErrorKind::BadRequest, "Bad request", std::move(detail), {}, std::move(parameter)};
}
inline Error not_found(std::string detail) { return Error{ErrorKind::NotFound, "Not found", std::move(detail), {}, {}}; }
inline Error conflict(std::string detail) { return Error{ErrorKind::Conflict, "Conflict", std::move(detail), {}, {}}; }

// A value or the error that kept it from being made.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace cairn::core
