// Fidelity: the public npm client `connectwise-rest`, unmodified, pages, gets, creates and
// updates companies on the ConnectWise emulator over HTTPS (tests/fidelity/connectwise/).
// Without node and npm the test is skipped, unless CAIRN_REQUIRE_NODE=1 (CI), where it fails.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim_harness.h"
#include "support/npm_fidelity.h"

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ConnectWiseFidelity, PublicConnectwiseRestClientPagesGetsCreatesAndUpdates) {
  CAIRN_NEED_NODE();
  std::string out;
  const std::string work = cairn::test::prepare_fidelity_project("connectwise", "connectwise-rest", out);
  ASSERT_FALSE(work.empty()) << out;

  auto certs_dir = cairn::test::fresh_temp_dir("cairn-fidelity-tls");
  cairn::test::TestCertificates certs;
  ASSERT_TRUE(cairn::test::make_test_certificates(certs_dir, certs));
  cairn::sim::SimServerOptions opts;
  opts.http.tls_cert = certs.cert;
  opts.http.tls_key = certs.key;
  cairn::test::CwSim sim(cairn::sim::make_demo_world(1), opts);
  const std::string ready = sim.emulator().ready_json();

  const int rc = cairn::test::run_shell("cd " + cairn::test::shell_quote(work) + " && NODE_EXTRA_CA_CERTS=" +
                                             cairn::test::shell_quote(certs.ca_cert) + " node fidelity.js " +
                                             cairn::test::shell_quote(ready),
                                         out);
  ASSERT_EQ(rc, 0) << out;
  auto result = json::parse(out.substr(out.find('{')), nullptr, false);
  ASSERT_TRUE(result.is_object()) << out;
  EXPECT_EQ(result["paged"], 11);
  EXPECT_EQ(result["renamed"], "Fidelity Renamed Co");
  // The client really went through the emulator: pages of 4, then the rest.
  EXPECT_EQ(sim.server().requests().count("GET", sim.api_prefix() + "/company/companies?"), 3u);
  EXPECT_EQ(sim.server().requests().count("POST", sim.api_prefix() + "/company/companies"), 1u);
  EXPECT_EQ(sim.server().requests().count("PATCH", sim.api_prefix() + "/company/companies/"), 1u);
  fs::remove_all(certs_dir);
}
