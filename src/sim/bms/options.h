#pragma once
// What a Kaseya V2 platform emulator (Kaseya BMS, Pulseway PSA) is told at start: which product
// it is, the API user's credentials and the limits it enforces. The defaults are documented in
// docs/psa-sim.md; `cairn psa-sim` takes the credentials and limits as flags.
#include <cstdint>
#include <string>

namespace cairn::sim::bms {

// What differs between the products on the same V2 platform (psa-apis.md §4). Everything else
// (paths, envelope, paging, filters, fields) is the platform's and lives in this directory.
struct Profile {
  std::string kind = "bms";                 // `--kind` and the ready line's "kind"
  std::string product = "Kaseya BMS";       // named in error messages and userinfo
  std::string public_host = "api.bms.kaseya.com";  // the real PSA's host, shown in the ready line
  std::int64_t id_offset = 0;               // added to every seeded record id (Pulseway: large ids)
};

struct Options {
  Profile profile;
  std::string username = "cairn-api";      // UserName of /v2/security/authenticate
  std::string password = "SimPassword0001";
  std::string tenant = "CairnSim";         // Tenant: the PSA company name
  int hourly_request_limit = 1500;         // calls per rolling 60 minutes per endpoint (D19)
  int max_page_size = 100;                 // PageSize above this is capped
  int token_lifetime_seconds = 3600;       // access token
  int refresh_lifetime_seconds = 86400;    // refresh token
};

}  // namespace cairn::sim::bms
