#include "sim/sim_time.h"

#include <chrono>

#include "core/time.h"

namespace cairn::sim {

namespace {

// Howard Hinnant's civil_from_days: days since 1970-01-01 to year, month, day, without the
// locking and time-zone work of gmtime.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

void put2(char* p, unsigned v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void append_utc(std::string& out, Timestamp t) {
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) y = y < 0 ? 0 : 9999;  // outside what RFC 3339 prints; never seeded
  char buf[20];
  const auto yy = static_cast<unsigned>(y);
  put2(buf, yy / 100);
  put2(buf + 2, yy % 100);
  buf[4] = '-';
  put2(buf + 5, m);
  buf[7] = '-';
  put2(buf + 8, d);
  buf[10] = 'T';
  put2(buf + 11, static_cast<unsigned>(secs / 3600));
  buf[13] = ':';
  put2(buf + 14, static_cast<unsigned>(secs / 60 % 60));
  buf[16] = ':';
  put2(buf + 17, static_cast<unsigned>(secs % 60));
  buf[19] = 'Z';
  out.append(buf, 20);
}

std::string format_utc(Timestamp t) {
  std::string s;
  append_utc(s, t);
  return s;
}

std::optional<std::int64_t> parse_utc_millis(std::string_view text) {
  auto tp = core::parse_datetime(text);
  if (!tp) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(tp->time_since_epoch()).count();
}

Timestamp SimClock::now() const {
  const auto wall = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  return wall + offset_.load();
}

}  // namespace cairn::sim
