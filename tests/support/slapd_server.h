#pragma once
// A throwaway LDAP server shaped like Active Directory for tests and benchmarks (BUILD-NOTES.md):
// Debian's slapd with the msuser schema, in a temporary directory, on a free loopback port,
// stopped by its pid. No gtest here, so benchmarks use it too; failures throw std::runtime_error.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cairn::test {

struct SeedUser {
  std::string account_name;  // sAMAccountName; "WS01$" for a computer
  std::string first, last, mail, telephone, mobile, title;
  std::int64_t user_account_control = 512;  // NORMAL_ACCOUNT; | 2 disables it
  bool computer = false;
  std::optional<std::int64_t> pwd_last_set, last_logon, account_expires;  // FILETIME ticks
};

class SlapdServer {
 public:
  static constexpr const char* kSuffix = "DC=example,DC=com";
  static constexpr const char* kUsersOu = "OU=Staff,DC=example,DC=com";
  static constexpr const char* kRootDn = "CN=admin,DC=example,DC=com";
  static constexpr const char* kRootPassword = "admin-secret-7f3a";

  // Configures and starts slapd, and adds the domain object (with maxPwdAge) and OU=Staff.
  // Throws when slapd is not installed or does not start: tests fail, they never skip.
  explicit SlapdServer(std::int64_t max_pwd_age = -36288000000000);  // 42 days, AD's default
  ~SlapdServer();
  SlapdServer(const SlapdServer&) = delete;
  SlapdServer& operator=(const SlapdServer&) = delete;

  std::string url() const;
  int port() const { return port_; }
  // ldapadd of this LDIF as the root DN; throws with ldapadd's message when it fails.
  void add(const std::string& ldif);
  void add_users(const std::vector<SeedUser>& users);
  void stop();

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

std::string user_ldif(const SeedUser& u);

}  // namespace cairn::test
