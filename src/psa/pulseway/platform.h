#pragma once
// Pulseway PSA is the Kaseya V2 platform (psa-apis.md §4): its connector is src/psa/bms/'s client,
// source and mapping with this Platform. What differs: the product name, the one public host
// (api.psa.pulseway.com, so the integration needs no URL), the "API Employee" user (no licence,
// no MFA), and record ids beyond 32 bits, which the V2 code keeps as text throughout.
#include "psa/bms/platform.h"

namespace cairn::psa::pulseway {

inline constexpr std::string_view kDefaultUrl = "https://api.psa.pulseway.com";

inline const bms::Platform& platform() {
  static constexpr bms::Platform p{"pulseway", "Pulseway PSA", kDefaultUrl, "API Employee"};
  return p;
}

}  // namespace cairn::psa::pulseway
