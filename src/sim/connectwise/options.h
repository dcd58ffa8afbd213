#pragma once
// What a ConnectWise emulator is told at start: the tenant and the credentials that work.
// The defaults are documented in docs/psa-sim.md; `cairn psa-sim` takes each as a flag.
#include <string>

namespace cairn::sim::connectwise {

struct Options {
  std::string company_id = "cairnsim";                          // the login company ("CompanyId")
  std::string public_key = "SimPublicKey0001";                  // API member keys
  std::string private_key = "SimPrivateKey0001";
  std::string client_id = "3f5a0c1e-7b2d-4c8e-9a61-2d4b8e0f7c35";  // developer clientId GUID
  std::string company_name = "Cairn Sim MSP";                   // companyinfo's CompanyName
  std::string codebase = "v4_6_release/";                       // with the trailing slash, as companyinfo prints it
  std::string api_member = "CairnAPI";                          // identifier of the member the keys belong to
};

}  // namespace cairn::sim::connectwise
