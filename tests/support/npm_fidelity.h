#pragma once
// Fidelity tests run public npm clients, unmodified, against the emulators
// (tests/fidelity/<client>/). These helpers find node, install a client once per lock file, and
// run its script.
#include <gtest/gtest.h>

#include <string>

namespace cairn::test {

bool node_available();
bool node_required();  // CAIRN_REQUIRE_NODE=1 (CI): a missing node fails instead of skipping

// Copies tests/fidelity/<name>/{package.json,package-lock.json,fidelity.js} to a work directory
// outside the tree and runs `npm ci` there unless node_modules already matches the lock file.
// Returns the work directory, or "" with npm's output in log.
std::string prepare_fidelity_project(const std::string& name, const std::string& installed_module, std::string& log);

// Runs a shell command; the exit status, with standard output and error in out.
int run_shell(const std::string& cmd, std::string& out);
// s as one single-quoted shell word.
std::string shell_quote(const std::string& s);

}  // namespace cairn::test

#define CAIRN_NEED_NODE()                                                                        \
  do {                                                                                           \
    if (!::cairn::test::node_available()) {                                                      \
      if (::cairn::test::node_required()) FAIL() << "node and npm are required (CAIRN_REQUIRE_NODE=1)"; \
      GTEST_SKIP() << "node/npm not installed";                                                  \
    }                                                                                            \
  } while (0)
