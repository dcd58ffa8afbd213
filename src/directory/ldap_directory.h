#pragma once
// Reading users from Active Directory (or an LDAP directory shaped like it) over OpenLDAP's
// libldap: ldap:// or ldaps://, optional StartTLS, simple bind, and the paged-results control
// (RFC 2696), so a directory of any size is read in pages of page_size entries.
#include <string>
#include <vector>

#include "core/directory_user.h"
#include "core/error.h"

namespace cairn::directory {

struct LdapSettings {
  std::string url;      // ldap://host:389 or ldaps://host:636
  std::string bind_dn;  // or a user principal name, as AD accepts
  std::string password;
  std::string base_dn;
  std::string filter;  // optional, ANDed with (objectClass=user)
  bool start_tls = false;
  int page_size = 500;
  int timeout_seconds = 15;  // connecting, and each operation
};

struct DirectoryListing {
  std::vector<core::DirectoryUser> users;
  core::DirectoryPolicy policy;
  int pages = 0;  // how many pages the server sent
};

// Every user under the base DN. Errors (never the password): an unreachable server, a TLS
// failure, refused credentials, a base DN that does not exist, a filter the server refuses.
core::Result<DirectoryListing> read_directory(const LdapSettings& settings);

// The filter read_directory sends: "(objectClass=user)", ANDed with the source's own filter.
std::string user_filter(const std::string& extra);

}  // namespace cairn::directory
