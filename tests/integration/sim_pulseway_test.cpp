// The Pulseway PSA emulator over real HTTP: the Kaseya V2 platform (covered in depth by
// sim_bms_test.cpp) with Pulseway's profile: its own credentials and product, large record ids,
// and the same paging, filters, writes, limits and admin stamping.
#include <gtest/gtest.h>

#include <csignal>

#include "sim_bms_harness.h"

using namespace cairn;
using nlohmann::json;
using test::expect_failure;
using test::KaseyaSim;
using test::result_ids;

namespace {
std::string str(std::int64_t n) { return std::to_string(n); }
sim::bms::Options pulseway() { return sim::pulseway::default_options(); }
}  // namespace

TEST(PulsewaySimAuth, OwnCredentialsWorkAndBmsDefaultsAreRefused) {
  KaseyaSim sim(pulseway());
  const sim::bms::Options bms;
  auto wrong = sim.authenticate(bms.username, bms.password, bms.tenant);
  expect_failure(wrong, 401);
  EXPECT_EQ(wrong.body["error"]["code"], 978001);
  sim.login();
  auto me = sim.get("/security/userinfo");
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["result"]["product"], "Pulseway PSA");
  sim.set_token("expired-or-made-up");
  expect_failure(sim.get("/crm/accounts/summary"), 401);
}

TEST(PulsewaySimList, RecordIdsAreLargeAndPagesWalkToTheEnd) {
  KaseyaSim sim(pulseway(), sim::make_scale_world(150, 2));
  sim.login();
  std::vector<std::int64_t> all;
  for (int page = 1; page < 10; ++page) {
    auto r = sim.get("/servicedesk/hardwareasset/searchselect?PageNumber=" + str(page) + "&PageSize=100");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["totalRecords"], 150);
    auto ids = result_ids(r);
    all.insert(all.end(), ids.begin(), ids.end());
    if (ids.size() < 100) break;
  }
  ASSERT_EQ(all.size(), 150u);
  EXPECT_EQ(all.front(), sim.id(1));
  EXPECT_GT(all.front(), 4'000'000'000);
  auto one = sim.get("/servicedesk/hardwareasset/" + str(all.back()));
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_GT(one.body["result"]["accountId"].get<std::int64_t>(), 4'000'000'000);
  EXPECT_LT(one.body["result"]["categoryId"].get<std::int64_t>(), 100);  // picklists stay small
}

TEST(PulsewaySimWrite, ContactsCreateFilterUpdateDelete) {
  KaseyaSim sim(pulseway());
  sim.login();
  json body = {{"accountId", sim.id(2)}, {"firstName", "Pat"}, {"lastName", "Kim"},
               {"emails", {{{"emailAddress", "pat@x.example"}, {"emailTypeId", 1}}}}};
  auto created = sim.post("/crm/contacts/summary", body);
  ASSERT_EQ(created.status, 200) << created.raw;
  const auto id = created.body["result"]["id"].get<std::int64_t>();
  EXPECT_GT(id, sim.id(0));
  auto found = sim.get("/crm/contacts/search?Filter.EmailAddress=PAT@X.example");
  EXPECT_EQ(result_ids(found), std::vector<std::int64_t>{id});
  body["jobTitle"] = "Office Manager";
  auto put = sim.put("/crm/contacts/" + str(id), body);
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["result"]["jobTitle"], "Office Manager");
  ASSERT_EQ(sim.del("/crm/contacts/" + str(id)).status, 200);
  expect_failure(sim.get("/crm/contacts/summary/" + str(id)), 404);
  expect_failure(sim.get("/crm/contacts/search?Filter.IsPoc=sometimes"), 400);
}

TEST(PulsewaySimLimits, HourlyBudgetPerEndpointAnd429) {
  auto o = pulseway();
  o.hourly_request_limit = 2;
  KaseyaSim sim(o);
  sim.login();
  EXPECT_EQ(sim.get("/crm/accounts/summary").status, 200);
  EXPECT_EQ(sim.get("/crm/accounts/summary?PageNumber=2").status, 200);
  auto over = sim.get("/crm/accounts/summary");
  expect_failure(over, 429);
  EXPECT_FALSE(over.header("Retry-After").empty());
  EXPECT_EQ(sim.get("/crm/contacts/summary").status, 200);
}

TEST(PulsewaySimAdmin, AdminUpdateBumpsModifiedOn) {
  KaseyaSim sim(pulseway());
  sim.login();
  sim.admin("POST", "/clock", R"({"advance_seconds": 86400000})");
  sim.login();  // the old token expired with the jump
  const std::string now = sim.admin("GET", "/clock").body["now"];
  auto upd = sim.admin("PATCH", "/records/hardwareassets/" + str(sim.id(3)), R"({"serialNumber":"NEW-SERIAL"})");
  ASSERT_EQ(upd.status, 200) << upd.raw;
  auto one = sim.get("/servicedesk/hardwareasset/" + str(sim.id(3))).body["result"];
  EXPECT_EQ(one["serialNumber"], "NEW-SERIAL");
  EXPECT_EQ(one["modifiedOn"], now);
  auto acc = sim.admin("PATCH", "/records/accounts/" + str(sim.id(2)), R"({"website":"new.example"})");
  ASSERT_EQ(acc.status, 200) << acc.raw;
  EXPECT_EQ(result_ids(sim.get("/crm/accounts/summary?Filter.ModifiedOnFrom=" + now)), std::vector<std::int64_t>{sim.id(2)});
}

TEST(PulsewaySimCli, PsaSimKindPulsewayPrintsItsReadyLine) {
  test::ChildProcess child({CAIRN_BINARY, "psa-sim", "--kind", "pulseway", "--listen", "127.0.0.1:0", "--seed", "scale:200"});
  ASSERT_TRUE(child.started());
  const std::string line = child.read_line();
  auto ready = json::parse(line, nullptr, false);
  ASSERT_TRUE(ready.is_object()) << "ready line: " << line;
  EXPECT_EQ(ready["kind"], "pulseway");
  EXPECT_EQ(ready["product"], "Pulseway PSA");
  EXPECT_EQ(ready["real_host"], "api.psa.pulseway.com");
  EXPECT_EQ(ready["tenant"], sim::pulseway::default_options().tenant);
  EXPECT_EQ(child.signal_and_wait(SIGTERM), 0);
}
