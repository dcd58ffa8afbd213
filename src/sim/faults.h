#pragma once
// Fault injection shared by every emulator: failures, latency, dropped connections, malformed
// bodies and a throttle, set from the command line and changeable at run time through the
// admin path. Each decision draws from a seeded generator so a run can be repeated.
#include <cstdint>
#include <mutex>
#include <string>
#include <variant>

#include "sim/rng.h"

namespace cairn::sim {

struct FaultSettings {
  double fail_rate = 0;       // share of requests answered with the PSA's own 500
  int latency_ms = 0;         // added before every answer
  double drop_rate = 0;       // share of requests whose connection closes before the body
  double malformed_rate = 0;  // share of requests answered 200 with a truncated, unparsable body
  int throttle_requests = 0;  // at most this many requests per window (0: no throttle) ...
  int throttle_window_seconds = 1;  // ... beyond it: 429 with Retry-After
};

// "" when the settings are usable, else what is wrong (rates in [0,1], latency 0..60000 ms,
// throttle >= 0, window 1..3600 s).
std::string validate(const FaultSettings& s);
// `--throttle` text: "N" (per second) or "N/S" (per S seconds).
std::variant<FaultSettings, std::string> parse_throttle(const std::string& text, FaultSettings base);
// JSON object with the fields above under their snake_case names plus "throttle" ("N/S" or "off").
std::string to_json(const FaultSettings& s);
// Applies the fields present in a JSON object (same names as to_json; "throttle" may be "off",
// "N" or "N/S"); returns the new settings or an error naming the field.
std::variant<FaultSettings, std::string> apply_json(const FaultSettings& s, const std::string& json_text);

class Faults {
 public:
  enum class Outcome { Pass, Throttle, Fail, Drop, Malformed };
  struct Decision {
    Outcome outcome = Outcome::Pass;
    int latency_ms = 0;
    int retry_after_seconds = 0;  // for Throttle
  };

  explicit Faults(FaultSettings s = {}, std::uint64_t seed = 1) : settings_(s), rng_(seed) {}
  FaultSettings settings() const;
  void set(const FaultSettings& s);
  // Decides the fate of one request arriving at now_ms (milliseconds since the epoch).
  Decision decide(std::int64_t now_ms);

 private:
  mutable std::mutex mu_;
  FaultSettings settings_;
  Rng rng_;
  std::int64_t window_start_ms_ = 0;
  int window_count_ = 0;
};

}  // namespace cairn::sim
