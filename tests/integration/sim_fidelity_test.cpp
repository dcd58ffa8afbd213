// Fidelity: the public npm client `connectwise-rest`, unmodified, pages, gets, creates and
// updates companies on the ConnectWise emulator over HTTPS (tests/fidelity/connectwise/).
// Without node and npm the test is skipped, unless CAIRN_REQUIRE_NODE=1 (CI), where it fails.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sim_harness.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool have(const char* tool) {
  const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Runs cmd through the shell; returns the exit status and fills out with stdout+stderr.
int run(const std::string& cmd, std::string& out) {
  out.clear();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST(ConnectWiseFidelity, PublicConnectwiseRestClientPagesGetsCreatesAndUpdates) {
  if (!have("node") || !have("npm")) {
    const char* require = std::getenv("CAIRN_REQUIRE_NODE");
    if (require && std::string(require) == "1") FAIL() << "node and npm are required (CAIRN_REQUIRE_NODE=1)";
    GTEST_SKIP() << "node/npm not installed";
  }
  const fs::path source = fs::path(__FILE__).parent_path().parent_path() / "fidelity" / "connectwise";
  ASSERT_TRUE(fs::exists(source / "package-lock.json")) << source;
  // Install next to a copy of the script, outside the source tree; reuse node_modules while the
  // lock file is unchanged.
  const fs::path work = fs::temp_directory_path() / "cairn-fidelity-connectwise";
  fs::create_directories(work);
  for (const char* f : {"package.json", "package-lock.json", "fidelity.js"})
    fs::copy_file(source / f, work / f, fs::copy_options::overwrite_existing);
  const bool installed = fs::exists(work / "node_modules" / "connectwise-rest" / "package.json") &&
                         read_file(work / ".installed-lock") == read_file(work / "package-lock.json");
  std::string out;
  if (!installed) {
    ASSERT_EQ(run("cd '" + work.string() + "' && npm ci --no-audit --no-fund", out), 0) << out;
    fs::copy_file(work / "package-lock.json", work / ".installed-lock", fs::copy_options::overwrite_existing);
  }

  auto certs_dir = cairn::test::fresh_temp_dir("cairn-fidelity-tls");
  cairn::test::TestCertificates certs;
  ASSERT_TRUE(cairn::test::make_test_certificates(certs_dir, certs));
  cairn::sim::SimServerOptions opts;
  opts.http.tls_cert = certs.cert;
  opts.http.tls_key = certs.key;
  cairn::test::CwSim sim(cairn::sim::make_demo_world(1), opts);
  const std::string ready = sim.emulator().ready_json();

  std::string quoted;  // the ready line as one single-quoted shell word
  for (char c : ready) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  const int rc = run("cd '" + work.string() + "' && NODE_EXTRA_CA_CERTS='" + certs.ca_cert + "' node fidelity.js '" +
                         quoted + "'",
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
