#pragma once
namespace cairn::cli {
// Parses the command line and runs the subcommand; returns the process exit code
// (0 done, 1 failed, 2 bad usage).
int run(int argc, char** argv);
}  // namespace cairn::cli
