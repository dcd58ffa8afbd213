// bench_push: edit-to-PSA latency of two-way sync (D14) on loopback. Cairn's API and pusher and
// the ConnectWise emulator run in this process; each of N sequential edits is a PATCH through
// the API, timed from sending it until the pusher has the PSA's answer (the emulator holds the
// value by then). Prints p50, p99 and the mean. Aim (issue 6): p99 under 50 ms.
// Usage: bench_push [EDITS]   (default 500)
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include <unistd.h>

#include "api/app.h"
#include "api/integration_routes.h"
#include "api/sync_routes.h"
#include "psa/connectwise/source.h"
#include "sim/connectwise/emulator.h"
#include "sim/sim_server.h"
#include "sim/world.h"
#include "store/api_keys.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/engine.h"
#include "sync/pusher.h"

using namespace cairn;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int edits = argc > 1 ? std::max(1, std::atoi(argv[1])) : 500;
  setenv("CAIRN_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
  const std::string path = std::filesystem::temp_directory_path() / ("bench_push_" + std::to_string(getpid()) + ".db");
  std::filesystem::remove(path);

  // The PSA.
  sim::connectwise::Options cw;
  sim::SimServerOptions sim_options;
  sim_options.http.port = 0;
  sim::SimServer psa(std::make_unique<sim::connectwise::ConnectWiseEmulator>(sim::make_demo_world(1), cw), sim_options);
  const std::string psa_url = psa.start();

  // Cairn: a store, an integration with two-way on, a first sync.
  auto db = store::Database::open(path, 12);
  std::string key;
  store::Integration integration;
  {
    soci::session s(db->pool());
    key = store::create_api_key(s, "bench", store::Role::Admin).secret;
    auto master = store::master_key_for(*db);
    if (!master) return std::fprintf(stderr, "%s\n", master.error().detail.c_str()), 1;
    store::IntegrationInput in;
    in.kind = "connectwise";
    in.name = "bench";
    in.base_url = psa_url;
    in.credentials = {{"company_id", cw.company_id}, {"public_key", cw.public_key}, {"private_key", cw.private_key},
                      {"client_id", cw.client_id}};
    core::SyncSettings settings;
    settings.org_types = {"Customer"};
    settings.org_statuses = {"Active"};
    settings.config_types = {"Managed Server", "Managed Workstation", "Firewall"};
    settings.config_statuses = {"Active"};
    settings.two_way = true;
    in.settings = settings;
    auto created = store::Integrations(s, db->dialect(), master.value()).create(in, {"bench", std::nullopt}, "");
    if (!created) return std::fprintf(stderr, "%s\n", created.error().detail.c_str()), 1;
    integration = created.value();
  }
  {
    psa::connectwise::Source source(psa_url, {cw.company_id, cw.public_key, cw.private_key, cw.client_id});
    auto report = sync::run_sync(*db, integration, source, {});
    if (report.state != "done") return std::fprintf(stderr, "first sync: %s\n", report.state.c_str()), 1;
  }
  std::string config, psa_id;
  {
    soci::session s(db->pool());
    s << "SELECT CAST(local_id AS TEXT), psa_id FROM psa_links WHERE entity = 'configuration' ORDER BY local_id LIMIT 1",
        soci::into(config), soci::into(psa_id);
  }

  api::App app(*db);
  api::add_integration_routes(app);
  api::add_sync_routes(app, nullptr);
  api::HttpOptions http;
  http.port = 0;
  http.threads = 4;
  api::ApiServer server(app, http);
  server.bind();
  std::thread serving([&] { server.serve(); });

  std::mutex mu;
  std::condition_variable settled;
  std::int64_t done = 0, failed = 0;
  sync::PusherOptions options;
  options.on_settled = [&](const store::OutboxRow&, const std::string& state) {
    std::lock_guard lock(mu);
    ++done;
    if (state != "pushed") ++failed;
    settled.notify_all();
  };
  sync::Pusher pusher(*db, options);
  pusher.start();

  httplib::Client client(server.base_url());
  client.set_keep_alive(true);
  // As curl and Cairn's own client do: without it Nagle holds the body back for a delayed ACK (40 ms).
  client.set_tcp_nodelay(true);
  httplib::Headers headers = {{"x-api-key", key}};
  std::vector<double> ms;
  ms.reserve(edits);
  for (int i = 0; i < edits; ++i) {
    json body = {{"data", {{"type", "configurations"}, {"attributes", {{"name", "bench-" + std::to_string(i)}}}}}};
    const auto t0 = Clock::now();
    auto r = client.Patch("/configurations/" + config, headers, body.dump(), "application/vnd.api+json");
    if (!r || r->status != 200) return std::fprintf(stderr, "PATCH failed: %s\n", r ? r->body.c_str() : "no answer"), 1;
    std::unique_lock lock(mu);
    if (!settled.wait_for(lock, std::chrono::seconds(10), [&] { return done > i; }))
      return std::fprintf(stderr, "edit %d was not pushed within 10 s\n", i), 1;
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  pusher.stop();

  // The PSA holds the last edit.
  httplib::Client cw_client(psa_url);
  httplib::Headers auth = {{"clientId", cw.client_id}};
  cw_client.set_basic_auth(cw.company_id + "+" + cw.public_key, cw.private_key);
  auto last = cw_client.Get("/" + cw.codebase + "apis/3.0/company/configurations/" + psa_id, auth);
  const bool arrived = last && json::parse(last->body, nullptr, false).value("name", "") == "bench-" + std::to_string(edits - 1);

  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))]; };
  double sum = 0;
  for (double v : ms) sum += v;
  std::printf("edits                 %d (sequential, one configuration, PATCH through the API)\n", edits);
  std::printf("failed pushes         %lld\n", static_cast<long long>(failed));
  std::printf("last edit in the PSA  %s\n", arrived ? "yes" : "NO");
  std::printf("edit-to-PSA p50       %.2f ms\n", pct(0.50));
  std::printf("edit-to-PSA p99       %.2f ms   (aim < 50 ms)\n", pct(0.99));
  std::printf("edit-to-PSA mean      %.2f ms\n", sum / static_cast<double>(ms.size()));
  std::printf("edit-to-PSA max       %.2f ms\n", ms.back());

  server.stop();
  serving.join();
  psa.stop();
  for (const char* suffix : {"", "-wal", "-shm", ".key"}) std::filesystem::remove(path + suffix);
  return arrived && failed == 0 ? 0 : 1;
}
