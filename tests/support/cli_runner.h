#pragma once
// Runs the real `cairn` binary as a person would, capturing its exit code and output.
#include <string>
#include <vector>

namespace cairn::test {

struct CliRun {
  int code = -1;  // the exit status; -1 when it did not exit normally
  std::string out, err;
};

// argv[0] is added; the environment is the test's own minus CAIRN_MASTER_KEY and CAIRN_DB, plus
// `env` ("NAME=value"); `input` is its standard input.
CliRun run_cairn(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                 const std::string& input = "");

}  // namespace cairn::test
