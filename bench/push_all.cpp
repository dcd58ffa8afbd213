// bench_push_all: push-all (R17, D17) of N configurations to the Autotask emulator, in this
// process on loopback. Cairn's store is filled by a sync from one emulator (then unlinked: the
// partner's data before adopting the PSA); push-all then creates every organization (its phone
// from its primary location), that location and every configuration in a second emulator that
// holds only the products. Prints records a second,
// requests made, requests per hour of PSA-budget time (D19: at most 5,000, half of Autotask's
// 10,000) and the projected wall time at that pace. The run keeps to the budget by waiting for
// the hour to roll; here those waits move a simulated clock (the run's and the emulator's)
// instead of sleeping, so the bench takes minutes, not the hours it projects.
// Usage: bench_push_all [CONFIGURATIONS]   (default 50000)
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "measure.h"
#include "psa/autotask/source.h"
#include "sim/autotask/emulator.h"
#include "sim/sim_server.h"
#include "sim/world.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/engine.h"
#include "sync/push_all.h"

using namespace cairn;

namespace {

// Every type and status of the world syncs: all N configurations are Cairn's, and pushed.
core::SyncSettings every_record_syncs(const sim::World& w) {
  core::SyncSettings s;
  for (const auto& t : w.company_types) s.org_types.insert(t.name);
  for (const auto& t : w.company_statuses) s.org_statuses.insert(t.name);
  for (const auto& t : w.configuration_types) s.config_types.insert(t.name);
  for (const auto& t : w.configuration_statuses) s.config_statuses.insert(t.name);
  // Autotask has no status but its active flag (D26).
  s.org_statuses.insert({"Active", "Inactive"});
  s.config_statuses.insert({"Active", "Inactive"});
  s.two_way = true;
  s.default_account_manager = "John Smith";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? static_cast<std::size_t>(std::max(1, std::atoi(argv[1]))) : 50000;
  setenv("CAIRN_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
  const std::string path = std::filesystem::temp_directory_path() / ("bench_push_all_" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(path);

  const sim::World world = sim::make_scale_world(n, 7);
  sim::autotask::Options at;
  sim::SimServerOptions sim_options;
  sim_options.http.port = 0;
  sim::SimServer from(std::make_unique<sim::autotask::AutotaskEmulator>(world, at), sim_options);
  const std::string from_url = from.start() + "/atservicesrest/";
  sim::SimServer to(std::make_unique<sim::autotask::AutotaskEmulator>(sim::products_only(world), at), sim_options);
  const std::string to_url = to.start() + "/atservicesrest/";
  const psa::autotask::Credentials creds{at.username, at.secret, at.integration_code};

  auto db = store::Database::open(path, 4);
  store::Integration integration;
  {
    soci::session s(db->pool());
    auto master = store::master_key_for(*db);
    if (!master) return std::fprintf(stderr, "%s\n", master.error().detail.c_str()), 1;
    store::IntegrationInput in;
    in.kind = "autotask";
    in.name = "bench";
    in.base_url = from_url;
    in.credentials = {{"username", at.username}, {"secret", at.secret}, {"integration_code", at.integration_code}};
    in.settings = every_record_syncs(world);
    auto created = store::Integrations(s, db->dialect(), master.value()).create(in, {"bench", std::nullopt}, "");
    if (!created) return std::fprintf(stderr, "%s\n", created.error().detail.c_str()), 1;
    integration = created.value();
  }
  {
    psa::autotask::Source source(from_url, creds);
    auto report = sync::run_sync(*db, integration, source, {});
    if (report.state != "done") return std::fprintf(stderr, "first sync: %s\n", report.stopped.value_or("").c_str()), 1;
  }
  long long orgs = 0, locations = 0, configs = 0;
  {
    // Configurations, their organizations and those's primary locations (an Autotask company's
    // phone), none linked yet, and the integration on the new PSA.
    soci::session s(db->pool());
    s << "UPDATE configurations SET contact_id = NULL";
    s << "UPDATE configurations SET location_id = NULL WHERE location_id IN (SELECT id FROM locations WHERE is_primary = 0)";
    s << "DELETE FROM contacts";
    s << "DELETE FROM locations WHERE is_primary = 0";
    s << "DELETE FROM psa_links";
    s << "UPDATE integrations SET base_url = :u WHERE id = :i", soci::use(to_url), soci::use(integration.id);
    s << "SELECT COUNT(*) FROM organizations", soci::into(orgs);
    s << "SELECT COUNT(*) FROM locations", soci::into(locations);
    s << "SELECT COUNT(*) FROM configurations", soci::into(configs);
    integration.base_url = to_url;
  }

  // The run's clock: real time plus the waits, which move it (and the emulator's hour) on at once.
  std::chrono::system_clock::duration skipped{0};
  sync::PushAllOptions options;
  options.clock.now = [&] { return std::chrono::system_clock::now() + skipped; };
  // The emulator's request count at each wait: the requests of each budget hour are the
  // differences, which D19 bounds (the average over a run that ends early in an hour says little).
  std::vector<std::uint64_t> at_wait;
  options.clock.sleep_until = [&](std::chrono::system_clock::time_point t) {
    const auto ahead = t - (std::chrono::system_clock::now() + skipped);
    if (ahead.count() <= 0) return;
    at_wait.push_back(to.requests().total());
    skipped += ahead;
    to.emulator().clock().advance(std::chrono::duration_cast<std::chrono::seconds>(ahead).count() + 1);
  };
  int notices = 0;
  options.notice = [&](const std::string& text) {
    if (++notices <= 2) std::fprintf(stderr, "push-all: %s\n", text.c_str());
  };
  psa::autotask::Source source(to_url, creds);
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = bench::cpu_seconds();
  auto report = sync::run_push_all(*db, integration, source, options);
  const double wall = bench::since(t0), cpu = bench::cpu_seconds() - cpu0;
  if (report.state != "done") return std::fprintf(stderr, "push-all: %s\n", report.error.value_or("").c_str()), 1;

  const double budget_hours = report.seconds / 3600.0;
  at_wait.push_back(to.requests().total());
  std::uint64_t per_hour = 0, previous = 0;
  for (auto mark : at_wait) per_hour = std::max(per_hour, mark - previous), previous = mark;
  const long long records = static_cast<long long>(report.created + report.linked + report.skipped + report.failed);
  long long created_configs = 0;
  {
    soci::session s(db->pool());
    s << "SELECT COUNT(*) FROM psa_links WHERE entity = 'configuration'", soci::into(created_configs);
  }
  std::printf("bench_push_all: %lld configurations + %lld organizations + %lld primary locations to the Autotask emulator "
              "(loopback, in process)\n",
              configs, orgs, locations);
  std::printf("  configurations      %lld of %lld in the PSA and linked\n", created_configs, configs);
  int shown = 0;
  for (const auto& a : report.actions)
    if (a.kind == sync::PushAllKind::Skip && ++shown <= 3)
      std::printf("  skipped             %s %lld \"%s\": %s\n", core::link_entity(a.entity), static_cast<long long>(a.local_id),
                  a.label.c_str(), a.reason.c_str());
  std::printf("  records             %lld (created %lld, linked %lld, skipped %lld, failed %lld)\n", records,
              static_cast<long long>(report.created), static_cast<long long>(report.linked),
              static_cast<long long>(report.skipped), static_cast<long long>(report.failed));
  std::printf("  wall time           %.1f s of real time, CPU %.1f s, peak RSS %ld MB\n", wall, cpu, bench::peak_rss_mb());
  std::printf("  records/s           %.0f (real time, not counting budget waits)\n", static_cast<double>(records) / wall);
  std::printf("  requests made       %lld (%.2f a record)\n", static_cast<long long>(report.requests),
              records ? static_cast<double>(report.requests) / static_cast<double>(records) : 0.0);
  std::printf("  budget waits        %d, %.1f h in all (simulated: the clock moved on instead of sleeping)\n", report.waits,
              report.waited_seconds / 3600.0);
  std::printf("  requests per hour   at most %llu in one budget hour, %zu hour(s) (D19 limit: 5000; the emulator's count)%s\n",
              static_cast<unsigned long long>(per_hour), at_wait.size(), per_hour <= 5000 ? "" : "  ** OVER D19 **");
  std::printf("  projected wall time %.1f h at that pace (%.1f h of waits for the hourly budget + %.1f min of work)\n",
              budget_hours, report.waited_seconds / 3600.0, (report.seconds - report.waited_seconds) / 60.0);
  std::filesystem::remove(path);
  return per_hour <= 5000 && created_configs == configs ? 0 : 1;
}
