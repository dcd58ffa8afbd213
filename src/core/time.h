#pragma once
// UTC everywhere; RFC 3339 with milliseconds on the wire and in the store (sorts as text).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::core {

using Clock = std::chrono::system_clock;
std::string rfc3339(Clock::time_point t);
std::string now_rfc3339();
// Accepts YYYY-MM-DD, or a date-time with optional fraction and Z or +hh:mm; returns it normalised to UTC.
std::optional<std::string> normalize_datetime(std::string_view text);
std::optional<Clock::time_point> parse_datetime(std::string_view text);
bool is_date(std::string_view text);  // YYYY-MM-DD, a real calendar day

}  // namespace cairn::core
