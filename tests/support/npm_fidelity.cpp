#include "support/npm_fidelity.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cairn::test {
namespace fs = std::filesystem;

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

bool node_available() {
  return std::system("command -v node >/dev/null 2>&1") == 0 && std::system("command -v npm >/dev/null 2>&1") == 0;
}

bool node_required() {
  const char* v = std::getenv("CAIRN_REQUIRE_NODE");
  return v && std::string(v) == "1";
}

int run_shell(const std::string& cmd, std::string& out) {
  out.clear();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string prepare_fidelity_project(const std::string& name, const std::string& installed_module, std::string& log) {
  const fs::path source = fs::path(CAIRN_FIDELITY_DIR) / name;
  if (!fs::exists(source / "package-lock.json")) {
    log = "no package-lock.json in " + source.string();
    return {};
  }
  // Outside the source tree; node_modules is reused while the lock file is unchanged.
  const fs::path work = fs::temp_directory_path() / ("cairn-fidelity-" + name);
  fs::create_directories(work);
  for (const char* f : {"package.json", "package-lock.json", "fidelity.js"})
    fs::copy_file(source / f, work / f, fs::copy_options::overwrite_existing);
  const bool installed = fs::exists(work / "node_modules" / installed_module / "package.json") &&
                         read_all(work / ".installed-lock") == read_all(work / "package-lock.json");
  if (!installed) {
    if (run_shell("cd " + shell_quote(work.string()) + " && npm ci --no-audit --no-fund", log) != 0) return {};
    fs::copy_file(work / "package-lock.json", work / ".installed-lock", fs::copy_options::overwrite_existing);
  }
  return work.string();
}

}  // namespace cairn::test
