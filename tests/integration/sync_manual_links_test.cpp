// D7: `cairn link` and `cairn unlink`, run as a person would, and what the next syncs make of them.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "integration/sim_harness.h"
#include "integration/sync_harness.h"
#include "psa/connectwise/source.h"
#include "support/cli_runner.h"
#include "sync/engine.h"

using namespace cairn;
using test::Backend;

namespace {

class ManualLinks : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    CAIRN_SKIP_WITHOUT_BACKEND(GetParam());
    h = std::make_unique<test::SyncHarness>(GetParam());
    sim = std::make_unique<test::CwSim>();
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.contacts_sync = false;
    integration = h->create_integration(test::connectwise_input(*sim, settings));
    // A Cairn organization no exact match would ever tie to the PSA's "Acme Inc".
    soci::session s(h->db().pool());
    s << "INSERT INTO organizations (name, created_at, updated_at) VALUES ('ACME (documented by hand)', "
         "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')";
    local_id = std::to_string(h->count("SELECT MAX(id) FROM organizations"));
    auto acme = sim->get("/company/companies?conditions=" + std::string("name%3D%22Acme%20Inc%22"));
    EXPECT_EQ(acme.body.size(), 1u) << acme.raw;
    acme_psa_id = std::to_string(acme.body[0]["id"].get<long long>());
  }

  test::CliRun cairn(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(h->tdb().spec());
    return test::run_cairn(args, {std::string("CAIRN_MASTER_KEY=") + test::kTestMasterKey});
  }
  sync::RunReport sync() {
    psa::connectwise::Source source(integration.base_url,
                                    {sim->options().company_id, sim->options().public_key, sim->options().private_key,
                                     sim->options().client_id});
    return sync::run_sync(h->db(), integration, source, {});
  }

  std::unique_ptr<test::SyncHarness> h;
  std::unique_ptr<test::CwSim> sim;
  store::Integration integration;
  std::string local_id, acme_psa_id;
};

TEST_P(ManualLinks, Link_TiesTheRecordAndThePsaWinsOnTheNextSync) {
  auto r = cairn({"link", "organization", local_id, acme_psa_id, "--integration", std::to_string(integration.id)});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("is linked to PSA organization " + acme_psa_id), std::string::npos) << r.err;
  EXPECT_EQ(h->text("SELECT actor FROM audit_events WHERE action = 'link'").rfind("cli:", 0), 0u);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(h->text("SELECT name FROM organizations WHERE id = " + local_id), "Acme Inc");
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM organizations WHERE name = 'Acme Inc'"), 1);  // no duplicate
  EXPECT_EQ(h->text("SELECT state FROM psa_links WHERE local_id = " + local_id + " AND entity = 'organization'"), "syncing");
}

TEST_P(ManualLinks, Unlink_IsKeptAcrossSyncs_NoRelinkAndNoDuplicate) {
  ASSERT_EQ(cairn({"link", "organization", local_id, acme_psa_id, "--integration", std::to_string(integration.id)}).code, 0);
  ASSERT_EQ(sync().state, "done");
  auto r = cairn({"unlink", "organizations", local_id});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("no longer syncs"), std::string::npos) << r.err;
  // A change in the PSA no longer reaches the record, and the PSA record is not created again.
  ASSERT_EQ(sim->admin("PATCH", "/records/companies/" + acme_psa_id, R"({"name": "Acme Renamed"})").status / 100, 2);
  auto report = sync();
  ASSERT_EQ(report.state, "done") << report.stopped.value_or("");
  EXPECT_EQ(h->text("SELECT name FROM organizations WHERE id = " + local_id), "Acme Inc");
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM organizations WHERE name = 'Acme Renamed'"), 0);
  EXPECT_EQ(h->text("SELECT state FROM psa_links WHERE local_id = " + local_id + " AND entity = 'organization'"), "disabled");
  EXPECT_EQ(report.totals.by_entity["organizations"].count("create"), 0u);
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM audit_events WHERE action = 'unlink'"), 1);
  // Linking the same pair again makes it sync again.
  ASSERT_EQ(cairn({"link", "organization", local_id, acme_psa_id, "--integration", std::to_string(integration.id)}).code, 0);
  ASSERT_EQ(sync().state, "done");
  EXPECT_EQ(h->text("SELECT name FROM organizations WHERE id = " + local_id), "Acme Renamed");
}

TEST_P(ManualLinks, Refusals_NameWhatIsWrong) {
  ASSERT_EQ(sync().state, "done");  // "Acme Inc" now has its own linked organization
  auto taken = cairn({"link", "organization", local_id, acme_psa_id, "--integration", std::to_string(integration.id)});
  EXPECT_EQ(taken.code, 4);
  EXPECT_NE(taken.err.find("is already linked to organization"), std::string::npos) << taken.err;
  auto entity = cairn({"link", "ticket", local_id, "1", "--integration", std::to_string(integration.id)});
  EXPECT_EQ(entity.code, 1);
  EXPECT_NE(entity.err.find("organization, "), std::string::npos) << entity.err;
  auto missing = cairn({"unlink", "organization", local_id});
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.err.find("is not linked to a PSA"), std::string::npos) << missing.err;
  auto no_record = cairn({"link", "organization", "999999", "77", "--integration", std::to_string(integration.id)});
  EXPECT_EQ(no_record.code, 3);
  EXPECT_NE(no_record.err.find("organization 999999 does not exist"), std::string::npos) << no_record.err;
  EXPECT_EQ(h->count("SELECT COUNT(*) FROM psa_links WHERE manual = 1"), 0);  // nothing half-written
}

INSTANTIATE_TEST_SUITE_P(Backends, ManualLinks, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const auto& info) { return test::backend_name(info.param); });

}  // namespace
