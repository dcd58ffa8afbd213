#pragma once
// What an Autotask emulator is told at start: the API user's credentials, the zone it answers
// and the limits it enforces. The defaults are documented in docs/psa-sim.md; `cairn psa-sim`
// takes the credentials and limits as flags.
#include <string>

namespace cairn::sim::autotask {

struct Options {
  std::string username = "cairn-api@cairnsim.example";  // the API-only user's UserName (an e-mail)
  std::string secret = "SimSecret0001";                 // its Secret
  std::string integration_code = "CAIRNSIMINTEGRATION0001";  // ApiIntegrationCode (tracking identifier)
  std::string zone_name = "America East (Cairn Sim)";
  std::string web_url = "https://ww1.autotask.example/";  // zoneInformation's webUrl (the UI, not served)
  int ci = 1;                                             // zoneInformation's ci (database number)
  int hourly_request_limit = 10000;  // requests per rolling 60 minutes for the whole database
  int thread_limit = 3;              // concurrent requests per (integration code x endpoint)
  int request_delay_ms = 0;          // tests: hold each API request this long (makes concurrency visible)
  // The slowdown from 50 % of the hourly budget on: max/2 at 50 % rising to this at 100 % (0: off).
  int threshold_latency_ms = 1000;
  std::string own_company_name = "Cairn Sim MSP";  // company id 0: the MSP itself, as Autotask has it
};

}  // namespace cairn::sim::autotask
