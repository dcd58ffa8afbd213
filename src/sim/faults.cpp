#include "sim/faults.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace cairn::sim {

std::string validate(const FaultSettings& s) {
  auto rate_ok = [](double r) { return r >= 0 && r <= 1; };
  if (!rate_ok(s.fail_rate)) return "fail_rate must be between 0 and 1";
  if (!rate_ok(s.drop_rate)) return "drop_rate must be between 0 and 1";
  if (!rate_ok(s.malformed_rate)) return "malformed_rate must be between 0 and 1";
  if (s.latency_ms < 0 || s.latency_ms > 60000) return "latency_ms must be between 0 and 60000";
  if (s.throttle_requests < 0) return "throttle must not be negative";
  if (s.throttle_window_seconds < 1 || s.throttle_window_seconds > 3600)
    return "the throttle window must be between 1 and 3600 seconds";
  return "";
}

namespace {
bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

std::variant<FaultSettings, std::string> parse_throttle(const std::string& text, FaultSettings s) {
  if (text == "off" || text == "0") {
    s.throttle_requests = 0;
    return s;
  }
  const auto slash = text.find('/');
  int n = 0, window = 1;
  if (!parse_int(std::string_view(text).substr(0, slash), n) ||
      (slash != std::string::npos && !parse_int(std::string_view(text).substr(slash + 1), window)))
    return "throttle must be N (requests per second), N/S (requests per S seconds) or off, not \"" + text + "\"";
  s.throttle_requests = n;
  s.throttle_window_seconds = window;
  if (auto err = validate(s); !err.empty()) return err;
  return s;
}

std::string to_json(const FaultSettings& s) {
  nlohmann::json j = {{"fail_rate", s.fail_rate},
                      {"latency_ms", s.latency_ms},
                      {"drop_rate", s.drop_rate},
                      {"malformed_rate", s.malformed_rate},
                      {"throttle", s.throttle_requests == 0 ? std::string("off")
                                                            : std::to_string(s.throttle_requests) + "/" +
                                                                  std::to_string(s.throttle_window_seconds)}};
  return j.dump();
}

std::variant<FaultSettings, std::string> apply_json(const FaultSettings& base, const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::string("the body must be a JSON object");
  FaultSettings s = base;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    if (k == "fail_rate" || k == "drop_rate" || k == "malformed_rate") {
      if (!v.is_number()) return k + " must be a number";
      (k == "fail_rate" ? s.fail_rate : k == "drop_rate" ? s.drop_rate : s.malformed_rate) = v.get<double>();
    } else if (k == "latency_ms") {
      if (!v.is_number_integer()) return k + " must be an integer";
      s.latency_ms = v.get<int>();
    } else if (k == "throttle") {
      std::string text = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? std::to_string(v.get<int>()) : "";
      auto r = parse_throttle(text, s);
      if (auto* err = std::get_if<std::string>(&r)) return *err;
      s = std::get<FaultSettings>(r);
    } else {
      return "unknown fault setting \"" + k + "\" (known: fail_rate, latency_ms, drop_rate, malformed_rate, throttle)";
    }
  }
  if (auto err = validate(s); !err.empty()) return err;
  return s;
}

FaultSettings Faults::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

void Faults::set(const FaultSettings& s) {
  std::lock_guard lock(mu_);
  settings_ = s;
  window_count_ = 0;
  window_start_ms_ = 0;
}

Faults::Decision Faults::decide(std::int64_t now_ms) {
  std::lock_guard lock(mu_);
  Decision d;
  d.latency_ms = settings_.latency_ms;
  if (settings_.throttle_requests > 0) {
    const std::int64_t window_ms = settings_.throttle_window_seconds * 1000LL;
    if (now_ms - window_start_ms_ >= window_ms) {
      window_start_ms_ = now_ms - now_ms % window_ms;
      window_count_ = 0;
    }
    if (window_count_ >= settings_.throttle_requests) {
      d.outcome = Outcome::Throttle;
      const std::int64_t left_ms = window_start_ms_ + window_ms - now_ms;
      d.retry_after_seconds = static_cast<int>((left_ms + 999) / 1000);
      if (d.retry_after_seconds < 1) d.retry_after_seconds = 1;
      return d;
    }
    ++window_count_;
  }
  // One draw per kind, in a fixed order, so the sequence depends only on the seed.
  const bool fail = settings_.fail_rate > 0 && rng_.chance(settings_.fail_rate);
  const bool drop = settings_.drop_rate > 0 && rng_.chance(settings_.drop_rate);
  const bool malformed = settings_.malformed_rate > 0 && rng_.chance(settings_.malformed_rate);
  if (fail) d.outcome = Outcome::Fail;
  else if (drop) d.outcome = Outcome::Drop;
  else if (malformed) d.outcome = Outcome::Malformed;
  return d;
}

}  // namespace cairn::sim
