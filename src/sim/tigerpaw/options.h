#pragma once
// What a Tigerpaw emulator is told at start: the rep's REST API key pair and the limits it
// enforces. The defaults are documented in docs/psa-sim.md; `cairn psa-sim --kind tigerpaw`
// takes each as a flag.
#include <string>

namespace cairn::sim::tigerpaw {

struct Options {
  // The rep's key pair (Rep -> Admin -> REST API Security -> Generate): the public key is a GUID.
  std::string public_key = "6d2b9f3e-41a7-4c58-8e0d-93f1a2b4c7d5";
  std::string private_key = "SimTigerpawPrivateKey0001";
  int max_page_size = 100;        // largest PageSize a search honours (larger ones are capped)
  int clock_skew_seconds = 300;   // how far X-TSI-Date may be from the server's clock
};

}  // namespace cairn::sim::tigerpaw
