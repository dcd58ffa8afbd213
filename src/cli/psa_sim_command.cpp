#include "cli/psa_sim_command.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <map>
#include <memory>

#include "api/http_server.h"
#include "sim/registry.h"
#include "sim/sim_server.h"
#include "sim/world.h"
#include "sim/world_json.h"

namespace cairn::cli {

namespace {

struct PsaSimArgs {
  std::string kind;
  std::string listen = "127.0.0.1:0";
  std::string seed = "demo";
  std::uint64_t seed_number = 1;
  std::string seed_file;
  std::string tls_cert;
  std::string tls_key;
  std::size_t threads = 8;
  double fail_rate = 0;
  int latency_ms = 0;
  double drop_rate = 0;
  double malformed_rate = 0;
  std::string throttle = "off";
  std::uint64_t fault_seed = 1;
  std::map<std::string, std::string> settings;  // per-kind flags that were given
};

int run_psa_sim(PsaSimArgs& a) {
  std::string host;
  int port = 0;
  if (!api::parse_listen(a.listen, host, port)) {
    std::cerr << "cairn psa-sim: --listen must be HOST:PORT, not \"" << a.listen << "\"\n";
    return 2;
  }
  if (a.tls_cert.empty() != a.tls_key.empty()) {
    std::cerr << "cairn psa-sim: --tls-cert and --tls-key go together\n";
    return 2;
  }
  auto spec = sim::parse_seed_spec(a.seed, a.seed_number);
  if (auto* err = std::get_if<std::string>(&spec)) {
    std::cerr << "cairn psa-sim: " << *err << "\n";
    return 2;
  }
  sim::FaultSettings faults;
  faults.fail_rate = a.fail_rate;
  faults.latency_ms = a.latency_ms;
  faults.drop_rate = a.drop_rate;
  faults.malformed_rate = a.malformed_rate;
  auto throttled = sim::parse_throttle(a.throttle, faults);
  if (auto* err = std::get_if<std::string>(&throttled)) {
    std::cerr << "cairn psa-sim: --throttle: " << *err << "\n";
    return 2;
  }
  faults = std::get<sim::FaultSettings>(throttled);
  if (auto err = sim::validate(faults); !err.empty()) {
    std::cerr << "cairn psa-sim: " << err << "\n";
    return 2;
  }

  // Signals are blocked before any thread starts, so all of them inherit the mask and only
  // the waiting thread receives SIGINT/SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sim::World world = sim::make_world(std::get<sim::SeedSpec>(spec));
  if (!a.seed_file.empty()) {
    auto extra = sim::read_world_file(a.seed_file);
    if (auto* err = std::get_if<std::string>(&extra)) {
      std::cerr << "cairn psa-sim: " << *err << "\n";
      return 1;
    }
    if (auto err = sim::merge_world(world, std::move(std::get<sim::World>(extra))); !err.empty()) {
      std::cerr << "cairn psa-sim: " << err << "\n";
      return 1;
    }
  }
  auto made = sim::make_emulator(a.kind, std::move(world), a.settings);
  if (auto* err = std::get_if<std::string>(&made)) {
    std::cerr << "cairn psa-sim: " << *err << "\n";
    return 1;
  }
  sim::SimServerOptions opts;
  opts.http.host = host;
  opts.http.port = port;
  opts.http.threads = a.threads;
  opts.http.tls_cert = a.tls_cert;
  opts.http.tls_key = a.tls_key;
  opts.faults = faults;
  opts.fault_seed = a.fault_seed;
  sim::SimServer server(std::move(std::get<std::unique_ptr<sim::Emulator>>(made)), opts);
  server.start();
  // The one line scripts read: where the emulator is and which credentials work.
  std::cout << server.emulator().ready_json() << std::endl;
  spdlog::info("psa-sim {} serving on {} (admin: {}/__sim)", a.kind, server.base_url(), server.base_url());
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

std::function<int()> add_psa_sim_command(CLI::App& app) {
  auto args = std::make_shared<PsaSimArgs>();
  auto* cmd = app.add_subcommand(
      "psa-sim",
      "Serve an emulated PSA REST API until SIGTERM/SIGINT; prints one JSON line (URL, credentials) when ready");
  std::vector<std::string> kinds;
  for (const auto& k : sim::emulator_kinds()) kinds.push_back(k.name);
  cmd->add_option("--kind", args->kind, "which PSA")->required()->check(CLI::IsMember(kinds));
  cmd->add_option("--listen", args->listen, "HOST:PORT (port 0: any free port)")->capture_default_str();
  cmd->add_option("--seed", args->seed, "demo, empty or scale:N (N configurations)")->capture_default_str();
  cmd->add_option("--seed-number", args->seed_number, "random seed: the same number gives the same records")
      ->capture_default_str();
  cmd->add_option("--seed-file", args->seed_file, "JSON file of extra world records (docs/psa-sim.md)");
  cmd->add_option("--tls-cert", args->tls_cert, "PEM certificate: serve HTTPS");
  cmd->add_option("--tls-key", args->tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--threads", args->threads, "request threads")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--fail-rate", args->fail_rate, "share of requests answered with the PSA's 500")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--latency-ms", args->latency_ms, "delay added to every request")->check(CLI::Range(0, 60000));
  cmd->add_option("--drop-rate", args->drop_rate, "share of connections closed before the body")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--malformed-rate", args->malformed_rate, "share of answers with a truncated JSON body")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--throttle", args->throttle, "N or N/S: at most N requests per S seconds (default 1), then 429")
      ->capture_default_str();
  cmd->add_option("--fault-seed", args->fault_seed, "random seed of fault injection")->capture_default_str();
  // Each kind's own settings (credentials), with their defaults.
  std::map<std::string, bool> seen;
  for (const auto& k : sim::emulator_kinds()) {
    for (const auto& s : k.settings) {
      if (seen[s.name]) continue;
      seen[s.name] = true;
      const std::string name = s.name;
      cmd->add_option_function<std::string>(
             "--" + name, [args, name](const std::string& v) { args->settings[name] = v; },
             s.help + " (default " + s.default_value + ")");
    }
  }
  return [cmd, args]() -> int {
    if (!*cmd) return -1;
    return run_psa_sim(*args);
  };
}

}  // namespace cairn::cli
