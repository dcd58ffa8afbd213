#pragma once
// Time in the emulators: whole seconds since the Unix epoch, UTC (PSAs print seconds), and a
// clock tests can move forward so "changed since" queries can be exercised without sleeping.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::sim {

using Timestamp = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

// "YYYY-MM-DDTHH:MM:SSZ", appended without allocating more than the text (hot path of list pages).
void append_utc(std::string& out, Timestamp t);
std::string format_utc(Timestamp t);
// Any date-time core::parse_datetime accepts, as milliseconds since the epoch.
std::optional<std::int64_t> parse_utc_millis(std::string_view text);

// The emulator's "now": the system clock plus an offset that only grows (POST /__sim/clock).
class SimClock {
 public:
  Timestamp now() const;
  void advance(std::int64_t seconds) { offset_ += seconds; }
  std::int64_t offset() const { return offset_.load(); }

 private:
  std::atomic<std::int64_t> offset_{0};
};

}  // namespace cairn::sim
