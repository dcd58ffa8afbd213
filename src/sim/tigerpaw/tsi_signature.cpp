#include "sim/tigerpaw/tsi_signature.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "sim/crypto.h"

namespace cairn::sim::tigerpaw {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// Reads exactly n digits (n = 0: one or two) at s[pos].
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  std::size_t len = n;
  if (n == 0) {
    len = 0;
    while (pos + len < s.size() && len < 2 && std::isdigit(static_cast<unsigned char>(s[pos + len]))) ++len;
    if (len == 0) return false;
  }
  if (pos + len > s.size()) return false;
  for (std::size_t i = 0; i < len; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[pos + i]))) return false;
  std::from_chars(s.data() + pos, s.data() + pos + len, out);
  pos += len;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_rfc1123(Timestamp t) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const std::int64_t secs = t - days * 86400;
  const std::string_view weekday = kDays[static_cast<std::size_t>(((days % 7) + 7) % 7)];
  // civil_from_days
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*s, %02u %.*s %04lld %02lld:%02lld:%02lld GMT", 3, weekday.data(), d, 3,
                kMonths[m - 1].data(), static_cast<long long>(y), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

std::optional<Timestamp> parse_rfc1123(std::string_view s) {
  std::size_t pos = 0;
  // Optional "Www, "
  if (s.size() > 4 && s[3] == ',') {
    bool known = false;
    for (auto d : kDays) known = known || ieq(s.substr(0, 3), d);
    if (!known) return std::nullopt;
    pos = 4;
    while (pos < s.size() && s[pos] == ' ') ++pos;
  }
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (!digits(s, pos, 0, day) || !expect(s, pos, ' ')) return std::nullopt;
  if (pos + 3 > s.size()) return std::nullopt;
  unsigned month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (ieq(s.substr(pos, 3), kMonths[i])) month = static_cast<unsigned>(i) + 1;
  if (month == 0) return std::nullopt;
  pos += 3;
  if (!expect(s, pos, ' ') || !digits(s, pos, 4, year) || !expect(s, pos, ' ') || !digits(s, pos, 2, hh) ||
      !expect(s, pos, ':') || !digits(s, pos, 2, mm) || !expect(s, pos, ':') || !digits(s, pos, 2, ss) ||
      !expect(s, pos, ' '))
    return std::nullopt;
  const std::string_view zone = s.substr(pos);
  if (!ieq(zone, "GMT") && !ieq(zone, "UTC") && zone != "+0000") return std::nullopt;
  static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day < 1 || day > kMonthDays[month - 1] || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 + ss;
}

std::string tsi_string_to_sign(std::string_view method, std::string_view path, std::string_view timestamp) {
  std::string s;
  s.reserve(method.size() + path.size() + timestamp.size() + 2);
  s.append(method).append("|").append(path).append("|").append(timestamp);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string tsi_signature(std::string_view private_key, std::string_view method, std::string_view path,
                          std::string_view timestamp) {
  return base64(hmac_sha256(private_key, tsi_string_to_sign(method, path, timestamp)));
}

std::string tsi_authorization(std::string_view public_key, std::string_view signature) {
  std::string pair(public_key);
  pair.append(":").append(signature);
  return "TSI " + base64(pair);
}

std::string_view to_string(TsiVerdict v) {
  switch (v) {
    case TsiVerdict::Ok: return "ok";
    case TsiVerdict::NoHeader: return "no TSI Authorization header";
    case TsiVerdict::Malformed: return "malformed TSI Authorization header";
    case TsiVerdict::UnknownKey: return "unknown public key";
    case TsiVerdict::NoDate: return "no X-TSI-Date or Date header";
    case TsiVerdict::BadDate: return "the date is not RFC 1123";
    case TsiVerdict::StaleDate: return "the date is outside the allowed clock skew";
    case TsiVerdict::BadSignature: return "the signature does not match";
  }
  return "?";
}

TsiVerdict verify_tsi(const TsiRequest& req, const TsiKeys& keys, Timestamp now, int max_skew_seconds) {
  std::string_view auth = req.authorization;
  if (auth.size() < 4 || !ieq(auth.substr(0, 4), "TSI ")) return TsiVerdict::NoHeader;
  auth.remove_prefix(4);
  while (!auth.empty() && auth.front() == ' ') auth.remove_prefix(1);
  const auto decoded = base64_decode(auth);
  if (!decoded) return TsiVerdict::Malformed;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) return TsiVerdict::Malformed;
  const std::string_view public_key = std::string_view(*decoded).substr(0, colon);
  const std::string_view signature = std::string_view(*decoded).substr(colon + 1);
  if (!ieq(public_key, keys.public_key)) return TsiVerdict::UnknownKey;  // GUIDs compare ignoring case
  const std::string_view stamp = !req.tsi_date.empty() ? req.tsi_date : req.date;
  if (stamp.empty()) return TsiVerdict::NoDate;
  const auto when = parse_rfc1123(stamp);
  if (!when) return TsiVerdict::BadDate;
  if (*when < now - max_skew_seconds || *when > now + max_skew_seconds) return TsiVerdict::StaleDate;
  const std::string expected = tsi_signature(keys.private_key, req.method, req.path, stamp);
  // Constant-time comparison: the length is not secret.
  if (expected.size() != signature.size()) return TsiVerdict::BadSignature;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(expected[i] ^ signature[i]);
  return diff == 0 ? TsiVerdict::Ok : TsiVerdict::BadSignature;
}

}  // namespace cairn::sim::tigerpaw
