// `cairn psa-sim` as scripts use it: start on port 0, read the ready line, call the API, SIGTERM.
#include <gtest/gtest.h>

#include <csignal>

#include "sim_harness.h"

using nlohmann::json;

TEST(PsaSimCommand, PrintsOneReadyLineServesTheApiAndStopsOnSigterm) {
  cairn::test::ChildProcess child({CAIRN_BINARY, "psa-sim", "--kind", "connectwise", "--listen", "127.0.0.1:0",
                                   "--seed", "demo", "--company-id", "clitest", "--public-key", "pub",
                                   "--private-key", "priv", "--client-id", "11111111-2222-3333-4444-555555555555"});
  ASSERT_TRUE(child.started());
  const std::string line = child.read_line();
  auto ready = json::parse(line, nullptr, false);
  ASSERT_TRUE(ready.is_object()) << "ready line: " << line;
  EXPECT_EQ(ready["kind"], "connectwise");
  EXPECT_EQ(ready["company_id"], "clitest");
  EXPECT_EQ(ready["public_key"], "pub");
  EXPECT_EQ(ready["client_id"], "11111111-2222-3333-4444-555555555555");
  const std::string base = ready["base_url"];
  const std::string api = ready["api_url"];
  ASSERT_EQ(api.rfind(base, 0), 0u);
  httplib::Client client(base);
  httplib::Headers h = {{"Authorization", "Basic " + cairn::sim::base64("clitest+pub:priv")},
                        {"clientId", "11111111-2222-3333-4444-555555555555"}};
  auto r = client.Get(api.substr(base.size()) + "/company/companies/count", h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["count"], 11);
  EXPECT_EQ(child.signal_and_wait(SIGTERM), 0);
}

TEST(PsaSimCommand, RefusesABadSeedWithUsageExitAndNoReadyLine) {
  cairn::test::ChildProcess bad_seed({CAIRN_BINARY, "psa-sim", "--kind", "connectwise", "--seed", "huge"});
  ASSERT_TRUE(bad_seed.started());
  EXPECT_EQ(bad_seed.read_line(), "");  // nothing on standard output
  EXPECT_EQ(bad_seed.signal_and_wait(0), 2);
}
