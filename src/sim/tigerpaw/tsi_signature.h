#pragma once
// Tigerpaw's "TSI" request signature (psa-apis.md §5.1), as a pure function of the request:
//   string to sign = lowercase("{method}|{path}|{timestamp}")   (path without host or query)
//   signature      = Base64(HMAC-SHA256(key = private key as UTF-8, string to sign))
//   Authorization  = "TSI " + Base64("{publicKey}:{signature}")
// with the timestamp in RFC 1123 form, sent as X-TSI-Date (or Date).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/sim_time.h"

namespace cairn::sim::tigerpaw {

// "Thu, 18 Jun 2015 07:25:43 GMT"
std::string format_rfc1123(Timestamp t);
// The form above (weekday optional, "GMT"/"UTC"/"+0000"); nullopt for anything else.
std::optional<Timestamp> parse_rfc1123(std::string_view text);

std::string tsi_string_to_sign(std::string_view method, std::string_view path, std::string_view timestamp);
std::string tsi_signature(std::string_view private_key, std::string_view method, std::string_view path,
                          std::string_view timestamp);
std::string tsi_authorization(std::string_view public_key, std::string_view signature);

// Why a request's signature was refused (the answer is the same 401; the reason is for logs/tests).
enum class TsiVerdict { Ok, NoHeader, Malformed, UnknownKey, NoDate, BadDate, StaleDate, BadSignature };
std::string_view to_string(TsiVerdict v);

struct TsiRequest {
  std::string_view method;
  std::string_view path;           // as received, without the query string
  std::string_view authorization;  // the Authorization header ("" when absent)
  std::string_view tsi_date;       // X-TSI-Date ("" when absent)
  std::string_view date;           // Date ("" when absent)
};

struct TsiKeys {
  std::string_view public_key;
  std::string_view private_key;
};

// Checks req against the one key pair the emulator knows; now is the server's wall clock.
TsiVerdict verify_tsi(const TsiRequest& req, const TsiKeys& keys, Timestamp now, int max_skew_seconds);

}  // namespace cairn::sim::tigerpaw
