#pragma once
// Pulseway PSA runs on the Kaseya V2 platform (psa-apis.md §4): no OpenAPI copy of its own was
// found, so its emulator is the BMS emulator (src/sim/bms/, assumptions B1-B20 apply) with the
// differences below. docs/psa-assumptions.md lists them for people; keep the two in step.
#include <cstdint>
#include <string_view>

namespace cairn::sim::pulseway::assumed {

// P1 [F] Product and host: "Pulseway PSA" at api.psa.pulseway.com (shown in the ready line).
inline constexpr std::string_view kProduct = "Pulseway PSA";
inline constexpr std::string_view kPublicHost = "api.psa.pulseway.com";
// P2 [C] Record ids are large tenant-specific numbers: every seeded account, location, contact
//    and asset id is the world's id plus this offset (picklist ids stay small), so a connector
//    that stores ids in 32 bits fails against this emulator as it would against Pulseway.
inline constexpr std::int64_t kIdOffset = 4'200'000'000;
// P3 [I] Paths, fields, paging, filters, envelope, errors, token lifetimes and the 1,500 calls
//    per hour per endpoint are BMS's. `crm/accounts/{id}/summaryinfo` (one client) is not served.
// P4 [F] The API user is an "API Employee" (no licence, no MFA): MFACode is never asked for.

}  // namespace cairn::sim::pulseway::assumed
