#pragma once
// What differs between the PSAs that run on Kaseya's V2 platform (psa-apis.md §3-4): Kaseya BMS
// and Pulseway PSA share paths, fields, envelope, paging, filters and D19's budget, so one client,
// source and mapping serve both; a Platform names the product in errors and says which host to
// use when the user gives none.
#include <string_view>

namespace cairn::psa::bms {

struct Platform {
  std::string_view kind;         // the integration kind: "bms", "pulseway"
  std::string_view product;      // "Kaseya BMS", named in every error a person reads
  std::string_view default_url;  // the API host when the integration has no URL; "" when it must say
  std::string_view api_user;     // who logs in, for the login-refused message ("API user")
};

// BMS has one host per region (api.bms.kaseya.com, api.bmsemea…, api.bmsapac…): no default.
inline const Platform& kaseya_bms() {
  static constexpr Platform p{"bms", "Kaseya BMS", "", "user"};
  return p;
}

}  // namespace cairn::psa::bms
