#include "sim/query_values.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <limits>

namespace cairn::sim::query {

using nlohmann::json;

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

int compare_num(const Num& a, const Num& b) {
  if (a.is_int && b.is_int) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  const double x = a.is_int ? static_cast<double>(a.i) : a.d;
  const double y = b.is_int ? static_cast<double>(b.i) : b.d;
  return x < y ? -1 : (x > y ? 1 : 0);
}

std::optional<Num> parse_number_text(std::string_view s) {
  std::size_t p = 0;
  if (p < s.size() && s[p] == '-') ++p;
  const std::size_t int_start = p;
  while (p < s.size() && is_digit(s[p])) ++p;
  if (p == int_start) return std::nullopt;
  bool fractional = false;
  if (p < s.size() && s[p] == '.') {
    const std::size_t frac_start = ++p;
    while (p < s.size() && is_digit(s[p])) ++p;
    if (p == frac_start) return std::nullopt;
    fractional = true;
  }
  if (p != s.size()) return std::nullopt;
  Num n;
  if (!fractional) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n.i);
    if (ec == std::errc() && ptr == s.data() + s.size()) return n;
  }
  n.is_int = false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n.d);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<Num> json_number(const json& v) {
  Num n;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      n.i = static_cast<std::int64_t>(u);
    } else {
      n.is_int = false;
      n.d = static_cast<double>(u);
    }
    return n;
  }
  if (v.is_number_integer()) {
    n.i = v.get<std::int64_t>();
    return n;
  }
  if (v.is_number_float()) {
    n.is_int = false;
    n.d = v.get<double>();
    return n;
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_datetime(std::string_view s) {
  std::size_t p = 0;
  auto digits = [&](std::size_t count, int& out) {
    if (p + count > s.size()) return false;
    int v = 0;
    for (std::size_t k = 0; k < count; ++k) {
      if (!is_digit(s[p + k])) return false;
      v = v * 10 + (s[p + k] - '0');
    }
    out = v;
    p += count;
    return true;
  };
  auto expect = [&](char c) {
    if (p < s.size() && s[p] == c) {
      ++p;
      return true;
    }
    return false;
  };

  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::int64_t frac_us = 0;
  std::int64_t offset_min = 0;
  if (!digits(4, y) || !expect('-') || !digits(2, mo) || !expect('-') || !digits(2, d)) return std::nullopt;
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    ++p;
    if (!digits(2, h) || !expect(':') || !digits(2, mi)) return std::nullopt;
    if (expect(':')) {
      if (!digits(2, sec)) return std::nullopt;
      if (expect('.')) {
        std::size_t n = 0;
        std::int64_t scale = 100000;
        while (p < s.size() && is_digit(s[p])) {
          if (n < 6) {
            frac_us += (s[p] - '0') * scale;
            scale /= 10;
          }
          ++n;
          ++p;
        }
        if (n == 0) return std::nullopt;
      }
    }
    if (expect('Z') || expect('z')) {
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      const bool negative = s[p] == '-';
      ++p;
      int oh = 0, om = 0;
      if (!digits(2, oh)) return std::nullopt;
      expect(':');
      if (!digits(2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_min = (negative ? -1 : 1) * (oh * 60 + om);
    }
  }
  if (p != s.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t secs = ((days * 24 + h) * 60 + mi) * 60 + sec - offset_min * 60;
  return secs * 1'000'000 + frac_us;
}

}  // namespace cairn::sim::query
