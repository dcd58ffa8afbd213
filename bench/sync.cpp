// bench_sync: a full ConnectWise sync from the emulator into SQLite, beside the time to fetch
// the same pages raw (the floor), then a resync with nothing changed.
// Usage: bench_sync [CONFIGURATIONS]   (default 1,000,000: 20,000 companies, 200,000 contacts,
// 40,000 sites). The emulator runs as its own process (`cairn psa-sim`), so the peak RSS printed
// is Cairn's alone. Aims (issue 4): full sync <= 60 s and <= 1.5 x the raw fetch; peak RSS <= 500 MB;
// the no-change resync <= 25 % of the full sync.
#include <nlohmann/json.hpp>
#include <signal.h>
#include <soci/soci.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "measure.h"
#include "psa/connectwise/client.h"
#include "psa/connectwise/source.h"
#include "store/integrations.h"
#include "store/secrets.h"
#include "sync/engine.h"

extern char** environ;
using namespace cairn;
using Clock = std::chrono::steady_clock;

namespace {

using bench::cpu_seconds;
using bench::since;

// CPU seconds another process (the emulator) has used, from /proc; 0 when unreadable.
double cpu_seconds_of(pid_t pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return 0;
  char buf[1024] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string stat(buf, n);
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  unsigned long utime = 0, stime = 0;
  if (std::sscanf(stat.c_str() + close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

struct Emulator {
  pid_t pid = -1;
  nlohmann::json ready;
  explicit Emulator(long n) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t a;
    posix_spawn_file_actions_init(&a);
    posix_spawn_file_actions_adddup2(&a, fds[1], 1);
    posix_spawn_file_actions_addclose(&a, fds[0]);
    std::string seed = "scale:" + std::to_string(n);
    std::vector<std::string> argv = {CAIRN_BINARY, "psa-sim", "--kind", "connectwise", "--seed", seed, "--listen", "127.0.0.1:0"};
    std::vector<char*> args;
    for (auto& s : argv) args.push_back(s.data());
    args.push_back(nullptr);
    if (posix_spawn(&pid, args[0], &a, nullptr, args.data(), environ) != 0) throw std::runtime_error("spawn psa-sim");
    posix_spawn_file_actions_destroy(&a);
    close(fds[1]);
    std::string line;
    char c;
    while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    ready = nlohmann::json::parse(line);
  }
  ~Emulator() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000000;
  auto t0 = Clock::now();
  Emulator sim(n);
  std::printf("emulator: scale:%ld ready in %.1f s at %s\n", n, since(t0), sim.ready["base_url"].get<std::string>().c_str());
  psa::connectwise::Credentials creds{sim.ready["company_id"], sim.ready["public_key"], sim.ready["private_key"],
                                      sim.ready["client_id"]};
  const std::string url = sim.ready["base_url"];

  // The floor: the same list pages the connector asks for, fetched and thrown away.
  std::vector<std::string> companies;
  long raw_requests = 0;
  auto raw0 = Clock::now();
  double raw_cpu0 = cpu_seconds(), raw_sim0 = cpu_seconds_of(sim.pid);
  {
    net::HttpClient http;
    psa::connectwise::Client client(url, creds, http);
    raw_requests += client.list("/company/companies", "", psa::connectwise::fields_for(core::SyncEntity::Organization),
                                [&](const nlohmann::json& j) { companies.push_back(std::to_string(j["id"].get<long>())); });
    raw_requests += client.list("/company/contacts", "", psa::connectwise::fields_for(core::SyncEntity::Contact), [](const auto&) {});
    raw_requests += client.list("/company/configurations", "", psa::connectwise::fields_for(core::SyncEntity::Configuration),
                                [](const auto&) {});
    for (const auto& id : companies)
      raw_requests += client.list("/company/companies/" + id + "/sites", "",
                                  psa::connectwise::fields_for(core::SyncEntity::Location), [](const auto&) {});
  }
  double raw = since(raw0), raw_cpu = cpu_seconds() - raw_cpu0, raw_sim = cpu_seconds_of(sim.pid) - raw_sim0;
  std::printf("raw fetch (floor): %.1f s (Cairn CPU %.1f s, emulator CPU %.1f s), %ld list requests (%zu of them per-company site lists)\n", raw, raw_cpu, raw_sim, raw_requests,
              companies.size());

  std::string dir = (std::filesystem::temp_directory_path() / ("cairn-bench-sync-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  setenv("CAIRN_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
  auto db = store::Database::open(dir + "/cairn.db", 4);
  auto key = store::master_key_for(*db);
  store::Integration integration;
  {
    psa::connectwise::Source probe(url, creds);
    auto cat = probe.catalogue();
    core::SyncSettings settings;
    for (auto& n2 : cat["org_types"]) settings.org_types.insert(n2);
    for (auto& n2 : cat["org_statuses"]) settings.org_statuses.insert(n2);
    for (auto& n2 : cat["config_types"]) settings.config_types.insert(n2);
    for (auto& n2 : cat["config_statuses"]) settings.config_statuses.insert(n2);
    settings.contacts_sync = true;
    soci::session s(db->pool());
    store::Integrations integrations(s, db->dialect(), key.value());
    store::IntegrationInput in;
    in.kind = "connectwise";
    in.name = "bench";
    in.base_url = url;
    in.credentials = {{"company_id", creds.company_id}, {"public_key", creds.public_key},
                      {"private_key", creds.private_key}, {"client_id", creds.client_id}};
    in.settings = settings;
    integration = integrations.create(in, {"bench", std::nullopt}, "").value();
  }

  psa::connectwise::Source source(url, creds);
  sync::RunOptions o;
  auto s0 = Clock::now();
  double full_cpu0 = cpu_seconds(), full_sim0 = cpu_seconds_of(sim.pid);
  auto full = sync::run_sync(*db, integration, source, o);
  double full_s = since(s0), full_cpu = cpu_seconds() - full_cpu0, full_sim = cpu_seconds_of(sim.pid) - full_sim0;
  long rss_full = peak_rss_mb();
  std::printf("full sync: %s in %.1f s (Cairn CPU %.1f s, emulator CPU %.1f s), %lld records (%.0f records/s), %lld requests, peak RSS %ld MB\n",
              full.state.c_str(), full_s, full_cpu, full_sim, static_cast<long long>(full.records), full.records / full_s, static_cast<long long>(full.requests), rss_full);
  for (const auto& [entity, counts] : full.totals.by_entity) {
    std::printf("  %-15s", entity.c_str());
    for (const auto& [action, k] : counts) std::printf(" %s=%lld", action.c_str(), static_cast<long long>(k));
    std::printf("\n");
  }
  long minimum = 4 + 1 + 3 * 0;  // the four type and status look-ups and the codebase look-up
  for (long count : {n / 50, n / 5, n}) minimum += (count + 999) / 1000;
  std::printf("requests: %lld made; minimum with global lists %ld (ConnectWise lists sites per company: +%zu)\n",
              static_cast<long long>(full.requests), minimum, companies.size());
  std::printf("full sync / raw fetch: %.2f x\n", full_s / raw);

  psa::connectwise::Source again(url, creds);
  auto r0 = Clock::now();
  double re_cpu0 = cpu_seconds();
  auto re = sync::run_sync(*db, integration, again, o);
  double re_s = since(r0), re_cpu = cpu_seconds() - re_cpu0;
  std::printf("resync, nothing changed: %s in %.1f s (Cairn CPU %.1f s) = %.0f %% of the full sync\n", re.state.c_str(), re_s,
              re_cpu, 100 * re_s / full_s);
  std::printf("aims: full <= 60 s: %s; <= 1.5 x raw: %s; RSS <= 500 MB: %s; resync <= 25 %%: %s\n",
              full_s <= 60 ? "met" : "NOT met", full_s <= 1.5 * raw ? "met" : "NOT met", rss_full <= 500 ? "met" : "NOT met",
              re_s <= 0.25 * full_s ? "met" : "NOT met");
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
