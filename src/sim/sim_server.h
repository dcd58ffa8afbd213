#pragma once
// Serves one Emulator over HTTP(S): the PSA's API at its own paths, and the emulator's test
// controls under /__sim (no PSA auth; docs/psa-sim.md): request log, faults, clock, and records
// changed as a PSA user would change them.
#include <memory>
#include <string>
#include <thread>

#include "api/http_server.h"
#include "sim/emulator.h"
#include "sim/faults.h"
#include "sim/request_log.h"

namespace cairn::sim {

inline constexpr const char* kAdminPrefix = "/__sim";

struct SimServerOptions {
  api::HttpOptions http;  // host, port (0: any free), threads, TLS certificate and key
  FaultSettings faults;
  std::uint64_t fault_seed = 1;
};

class SimServer {
 public:
  SimServer(std::unique_ptr<Emulator> emulator, SimServerOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds (throws std::runtime_error naming the address), tells the emulator its URL and serves
  // on a background thread. Returns the base URL ("http://127.0.0.1:PORT").
  std::string start();
  // Finishes the requests in flight and stops webhook delivery. Idempotent.
  void stop();

  const std::string& base_url() const { return base_url_; }
  Emulator& emulator() { return *emulator_; }
  Faults& faults() { return faults_; }
  RequestLog& requests() { return log_; }

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  void handle_admin(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<Emulator> emulator_;
  SimServerOptions options_;
  Faults faults_;
  RequestLog log_;
  std::unique_ptr<api::HttpServer> http_;
  std::thread thread_;
  std::string base_url_;
};

}  // namespace cairn::sim
