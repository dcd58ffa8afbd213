#include "core/time.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace cairn::core {

std::string rfc3339(Clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string now_rfc3339() { return rfc3339(Clock::now()); }

namespace {
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}
}  // namespace

bool is_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
  return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::optional<Clock::time_point> parse_datetime(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, ms = 0;
  if (!is_date(s.substr(0, 10))) return std::nullopt;
  digits(s, 0, 4, y);
  digits(s, 5, 2, mo);
  digits(s, 8, 2, d);
  size_t p = 10;
  long offset_secs = 0;
  if (p < s.size()) {
    if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
    if (!digits(s, p + 1, 2, h) || s.size() < p + 9 || s[p + 3] != ':' || !digits(s, p + 4, 2, mi) || s[p + 6] != ':' ||
        !digits(s, p + 7, 2, se))
      return std::nullopt;
    p += 9;
    if (p < s.size() && s[p] == '.') {
      size_t start = ++p;
      int scale = 100;
      while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
        if (scale > 0) ms += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
      if (p == start) return std::nullopt;
    }
    if (p == s.size()) {
      // no zone: UTC, as Cairn's convention says
    } else if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om;
      if (!digits(s, p + 1, 2, oh) || s.size() < p + 6 || s[p + 3] != ':' || !digits(s, p + 4, 2, om)) return std::nullopt;
      offset_secs = (oh * 3600L + om * 60L) * (s[p] == '+' ? 1 : -1);
      p += 6;
    }
    if (p != s.size()) return std::nullopt;
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = se;
  std::time_t t = timegm(&tm) - offset_secs;
  return Clock::from_time_t(t) + std::chrono::milliseconds(ms);
}

std::optional<std::string> normalize_datetime(std::string_view text) {
  auto t = parse_datetime(text);
  if (!t) return std::nullopt;
  return rfc3339(*t);
}

}  // namespace cairn::core
