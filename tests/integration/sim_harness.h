#pragma once
// A ConnectWise emulator served in-process on a free port, with a client that speaks to it as a
// ConnectWise integration would (Basic auth + clientId), and helpers for TLS test certificates.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "sim/autotask/emulator.h"
#include "sim/connectwise/emulator.h"
#include "sim/crypto.h"
#include "sim/sim_server.h"
#include "sim/world.h"

namespace cairn::test {

struct SimReply {
  int status = 0;  // 0: no answer (connection failed)
  nlohmann::json body;  // null when empty or not JSON
  std::string raw;
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline SimReply to_reply(const httplib::Result& r) {
  SimReply out;
  if (!r) return out;
  out.status = r->status;
  out.raw = r->body;
  out.headers = r->headers;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nullptr;
  return out;
}

// One request of any method a PSA API takes, with a JSON body.
inline SimReply send(httplib::Client& c, const std::string& method, const std::string& path, const std::string& body,
                     const httplib::Headers& h) {
  if (method == "GET") return to_reply(c.Get(path, h));
  if (method == "DELETE") return to_reply(c.Delete(path, h, body, "application/json"));
  if (method == "POST") return to_reply(c.Post(path, h, body, "application/json"));
  if (method == "PUT") return to_reply(c.Put(path, h, body, "application/json"));
  if (method == "PATCH") return to_reply(c.Patch(path, h, body, "application/json"));
  ADD_FAILURE() << "unsupported method " << method;
  return {};
}

class CwSim {
 public:
  explicit CwSim(sim::World world = sim::make_demo_world(1), sim::SimServerOptions options = {},
                 sim::connectwise::Options cw = {})
      : cw_(cw) {
    options.http.port = 0;
    auto emulator = std::make_unique<sim::connectwise::ConnectWiseEmulator>(std::move(world), cw);
    emulator_ = emulator.get();
    server_ = std::make_unique<sim::SimServer>(std::move(emulator), options);
    base_ = server_->start();
    client_ = std::make_unique<httplib::Client>(base_);
    client_->enable_server_certificate_verification(false);  // TLS tests verify separately
    client_->set_read_timeout(60);
  }

  // path is relative to the API root ("/company/companies?page=2").
  SimReply call(const std::string& method, const std::string& path, const std::string& body = "",
                httplib::Headers extra = {}, bool auth = true, bool client_id = true) {
    httplib::Headers h = std::move(extra);
    if (auth)
      h.emplace("Authorization",
                "Basic " + sim::base64(cw_.company_id + "+" + cw_.public_key + ":" + cw_.private_key));
    if (client_id) h.emplace("clientId", cw_.client_id);
    h.emplace("Accept", "application/vnd.connectwise.com+json; version=2025.1");
    return raw(method, api_prefix() + path, body, h);
  }
  SimReply get(const std::string& path, httplib::Headers extra = {}) { return call("GET", path, "", std::move(extra)); }
  SimReply post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body.dump()); }
  SimReply patch(const std::string& path, const nlohmann::json& ops) { return call("PATCH", path, ops.dump()); }
  SimReply put(const std::string& path, const nlohmann::json& body) { return call("PUT", path, body.dump()); }
  SimReply del(const std::string& path) { return call("DELETE", path); }
  SimReply admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method, std::string("/__sim") + path, body, {});
  }
  // Any path on the server, headers as given.
  SimReply raw(const std::string& method, const std::string& path, const std::string& body, const httplib::Headers& h) {
    return send(*client_, method, path, body, h);
  }

  std::string api_prefix() const { return "/" + cw_.codebase + "apis/3.0"; }
  const std::string& base_url() const { return base_; }
  const sim::connectwise::Options& options() const { return cw_; }
  sim::SimServer& server() { return *server_; }
  sim::connectwise::ConnectWiseEmulator& emulator() { return *emulator_; }

 private:
  sim::connectwise::Options cw_;
  sim::connectwise::ConnectWiseEmulator* emulator_ = nullptr;
  std::unique_ptr<sim::SimServer> server_;
  std::string base_;
  std::unique_ptr<httplib::Client> client_;
};

// The Autotask emulator on a loopback port, with its API headers.
class AtSim {
 public:
  explicit AtSim(sim::autotask::Options at = {}, sim::World world = sim::make_demo_world(1)) : at_(at), world_(world) {
    sim::SimServerOptions options;
    options.http.port = 0;
    auto emulator = std::make_unique<sim::autotask::AutotaskEmulator>(std::move(world), at);
    emulator_ = emulator.get();
    server_ = std::make_unique<sim::SimServer>(std::move(emulator), options);
    base_ = server_->start();
    client_ = std::make_unique<httplib::Client>(base_);
    client_->set_read_timeout(60);
  }

  httplib::Headers auth() const {
    return {{"ApiIntegrationCode", at_.integration_code}, {"UserName", at_.username}, {"Secret", at_.secret}};
  }
  // path is relative to /atservicesrest/v1.0 ("/Companies/query").
  SimReply call(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method, "/atservicesrest/v1.0" + path, body, auth());
  }
  SimReply get(const std::string& path) { return call("GET", path); }
  SimReply post(const std::string& path, const nlohmann::json& body) { return call("POST", path, body.dump()); }
  SimReply patch(const std::string& path, const nlohmann::json& body) { return call("PATCH", path, body.dump()); }
  SimReply put(const std::string& path, const nlohmann::json& body) { return call("PUT", path, body.dump()); }
  SimReply del(const std::string& path) { return call("DELETE", path); }
  SimReply raw(const std::string& method, const std::string& path, const std::string& body, const httplib::Headers& h) {
    return send(*client_, method, path, body, h);
  }
  // A URL the emulator printed (nextPageUrl), requested again with the API headers.
  SimReply follow(const std::string& method, const std::string& url, const std::string& body = "") {
    EXPECT_EQ(url.rfind(base_, 0), 0u) << url;
    return raw(method, url.substr(base_.size()), body, auth());
  }
  SimReply admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return raw(method, "/__sim" + path, body, {});
  }

  const std::string& base_url() const { return base_; }
  const sim::autotask::Options& options() const { return at_; }
  const sim::World& world() const { return world_; }
  sim::SimServer& server() { return *server_; }

 private:
  sim::autotask::Options at_;
  sim::World world_;
  sim::autotask::AutotaskEmulator* emulator_ = nullptr;
  std::unique_ptr<sim::SimServer> server_;
  std::string base_;
  std::unique_ptr<httplib::Client> client_;
};


// A throwaway CA and a certificate for 127.0.0.1/localhost signed by it, made with the openssl
// command-line tool in dir. Returns false (with a test failure) when openssl fails.
struct TestCertificates {
  std::string ca_cert, cert, key;
};
inline bool make_test_certificates(const std::filesystem::path& dir, TestCertificates& out) {
  std::filesystem::create_directories(dir);
  const std::string d = dir.string();
  {
    std::ofstream ext(dir / "san.ext");
    ext << "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
           "extendedKeyUsage=serverAuth\n";
  }
  const std::string cmd =
      "cd '" + d + "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Cairn Test CA' -keyout ca.key -out ca.pem "
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign >openssl.log 2>&1 && "
      "openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr >>openssl.log 2>&1 && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext "
      "-out server.pem >>openssl.log 2>&1";
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "openssl could not make test certificates; see " << d << "/openssl.log";
    return false;
  }
  out = {d + "/ca.pem", d + "/server.pem", d + "/server.key"};
  return true;
}

inline std::filesystem::path fresh_temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             (name + "-" + std::to_string(::getpid()) + "-" + sim::random_hex(4));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace cairn::test

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cairn::test {

// A child process whose standard output the test reads line by line.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
  }
  bool started() const { return pid_ > 0; }
  // One line of standard output ("" at end of file).
  std::string read_line() {
    std::string line;
    char c;
    while (::read(out_, &c, 1) == 1) {
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }
  // Sends sig and returns the exit status (-1 if it did not exit normally).
  int signal_and_wait(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool reaped_ = false;
};

}  // namespace cairn::test
