#pragma once
// A user as Active Directory (or any LDAP directory shaped like it) lists it: plain values, so
// the pure import logic in core/ never sees LDAP. directory/ fills these; core/ad_contacts reads them.
#include <cstdint>
#include <optional>
#include <string>

namespace cairn::core {

struct DirectoryUser {
  std::string dn;
  std::string account_name;  // sAMAccountName
  std::string given_name;    // givenName
  std::string surname;       // sn
  std::string title;
  std::string mail;
  std::string telephone;  // telephoneNumber
  std::string mobile;
  bool is_computer = false;  // objectClass computer
  std::optional<std::int64_t> user_account_control;
  // Windows FILETIME values (100 ns ticks since 1601-01-01 UTC), as AD stores them.
  std::optional<std::int64_t> last_logon;  // the later of lastLogon and lastLogonTimestamp
  std::optional<std::int64_t> pwd_last_set;
  std::optional<std::int64_t> account_expires;
};

// What the import needs from the domain object at the base DN.
struct DirectoryPolicy {
  // maxPwdAge: a negative tick count in AD; nullopt when the directory does not say.
  std::optional<std::int64_t> max_pwd_age;
};

}  // namespace cairn::core
