#include "support/slapd_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace cairn::test {
namespace {

const char* kSlapd = "/usr/sbin/slapd";
const char* kSlapadd = "/usr/sbin/slapadd";
const char* kLdapadd = "/usr/bin/ldapadd";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a program to completion with its output in log; returns its exit status.
int run(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> text = args;
  std::vector<char*> argv;
  for (auto& a : text) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + args[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("no free loopback port");
  }
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string config_ldif(const std::string& dir) {
  std::string out = "dn: cn=config\nobjectClass: olcGlobal\ncn: config\nolcPidFile: " + dir +
                    "/slapd.pid\n\n"
                    "dn: cn=module{0},cn=config\nobjectClass: olcModuleList\ncn: module{0}\n"
                    "olcModulePath: /usr/lib/ldap\nolcModuleLoad: back_mdb\n\n"
                    "dn: cn=schema,cn=config\nobjectClass: olcSchemaConfig\ncn: schema\n\n";
  // msuser (Microsoft's AD user schema) needs nis loaded first.
  for (const char* schema : {"core", "cosine", "inetorgperson", "nis", "msuser"}) {
    std::string path = std::string("/etc/ldap/schema/") + schema + ".ldif";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("the schema " + path + " is missing (apt-get install slapd)");
    for (std::string line; std::getline(in, line);)
      if (line.empty() || line[0] != '#') out += line + "\n";
    out += "\n";
  }
  out += "dn: olcDatabase={-1}frontend,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcFrontendConfig\n"
         "olcDatabase: {-1}frontend\nolcSizeLimit: unlimited\n\n"
         "dn: olcDatabase={0}config,cn=config\nobjectClass: olcDatabaseConfig\nolcDatabase: {0}config\n"
         "olcAccess: {0}to * by * none\n\n"
         "dn: olcDatabase={1}mdb,cn=config\nobjectClass: olcDatabaseConfig\nobjectClass: olcMdbConfig\n"
         "olcDatabase: {1}mdb\nolcSuffix: " + std::string(SlapdServer::kSuffix) + "\nolcDbDirectory: " + dir +
         "/db\nolcRootDN: " + SlapdServer::kRootDn + "\nolcRootPW: " + SlapdServer::kRootPassword +
         "\nolcDbMaxSize: 4294967296\nolcDbNoSync: TRUE\nolcSizeLimit: unlimited\nolcAccess: {0}to * by * read\n";
  return out;
}

}  // namespace

SlapdServer::SlapdServer(std::int64_t max_pwd_age) {
  if (access(kSlapd, X_OK) != 0 || access(kLdapadd, X_OK) != 0)
    throw std::runtime_error(std::string(kSlapd) + " or " + kLdapadd +
                             " is missing: the directory tests need slapd and ldap-utils (scripts/install-deps)");
  char templ[] = "/tmp/cairn-slapd-XXXXXX";
  if (!mkdtemp(templ)) throw std::runtime_error("cannot make a temporary directory");
  dir_ = templ;
  std::filesystem::create_directories(dir_ + "/conf");
  std::filesystem::create_directories(dir_ + "/db");
  std::ofstream(dir_ + "/config.ldif") << config_ldif(dir_);
  if (run({kSlapadd, "-n0", "-F", dir_ + "/conf", "-l", dir_ + "/config.ldif"}, dir_ + "/slapadd.log") != 0)
    throw std::runtime_error("slapadd of the configuration failed: " + slurp(dir_ + "/slapadd.log"));

  port_ = free_port();
  // -d 0 keeps slapd in the foreground, so the pid is the child's and stopping it is a kill.
  std::vector<std::string> text = {kSlapd, "-h", url() + "/", "-F", dir_ + "/conf", "-d", "0"};
  std::vector<char*> argv;
  for (auto& a : text) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = dir_ + "/slapd.log";
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start slapd");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts(port_)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("slapd exited at start: " + slurp(log));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error("slapd did not listen within 20 s: " + slurp(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  add("dn: " + std::string(kSuffix) + "\nobjectClass: domain\nobjectClass: extensibleObject\ndc: example\nmaxPwdAge: " +
      std::to_string(max_pwd_age) + "\n\ndn: " + kUsersOu + "\nobjectClass: organizationalUnit\nou: Staff\n");
}

SlapdServer::~SlapdServer() {
  stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string SlapdServer::url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }

void SlapdServer::add(const std::string& ldif) {
  const std::string file = dir_ + "/add.ldif", log = dir_ + "/ldapadd.log";
  std::ofstream(file) << ldif;
  int rc = run({kLdapadd, "-x", "-H", url(), "-D", kRootDn, "-w", kRootPassword, "-f", file}, log);
  if (rc != 0) throw std::runtime_error("ldapadd failed (" + std::to_string(rc) + "): " + slurp(log));
}

void SlapdServer::add_users(const std::vector<SeedUser>& users) {
  std::string ldif;
  for (const auto& u : users) ldif += user_ldif(u) + "\n";
  add(ldif);
}

void SlapdServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 250 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (kill(pid_, 0) == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

std::string user_ldif(const SeedUser& u) {
  // CN is the account name (without a computer's "$"): unique, and free of characters DNs escape.
  std::string cn = u.account_name;
  if (!cn.empty() && cn.back() == '$') cn.pop_back();
  std::string out = "dn: CN=" + cn + "," + SlapdServer::kUsersOu + "\n";
  out += std::string("objectClass: ") + (u.computer ? "computer" : "user") + "\nobjectClass: extensibleObject\n";
  out += "cn: " + cn + "\nsn: " + (u.last.empty() ? cn : u.last) + "\n";
  if (!u.first.empty()) out += "givenName: " + u.first + "\n";
  out += "sAMAccountName: " + u.account_name + "\ninstanceType: 4\nnTSecurityDescriptor:: AQAEgA==\n";
  out += std::string("objectCategory: CN=") + (u.computer ? "Computer" : "Person") +
         ",CN=Schema,CN=Configuration," + SlapdServer::kSuffix + "\n";
  out += "userAccountControl: " + std::to_string(u.user_account_control) + "\n";
  auto line = [&](const char* name, const std::string& v) {
    if (!v.empty()) out += std::string(name) + ": " + v + "\n";
  };
  line("mail", u.mail);
  line("telephoneNumber", u.telephone);
  line("mobile", u.mobile);
  line("title", u.title);
  if (u.pwd_last_set) line("pwdLastSet", std::to_string(*u.pwd_last_set));
  if (u.last_logon) line("lastLogonTimestamp", std::to_string(*u.last_logon));
  if (u.account_expires) line("accountExpires", std::to_string(*u.account_expires));
  return out;
}

}  // namespace cairn::test
