#pragma once
// Where an organization's Active Directory is (issue 7): LDAP or LDAPS URL, bind DN, password,
// base DN, optional filter, StartTLS and a schedule. The password is sealed with the master key
// (store/secrets.h), like integration credentials, and exists in plain text only in memory.
// Every change writes audit rows, the password as "(changed)". The caller owns the transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/secrets.h"

namespace soci {
class session;
}

namespace cairn::store {

struct DirectorySource {
  std::int64_t id = 0;
  std::int64_t organization_id = 0;
  std::string name;
  std::string url;
  std::string bind_dn;
  std::string password;  // decrypted, in memory only
  std::string password_error;  // set (and password empty) when it cannot be decrypted
  std::string base_dn;
  std::string filter;  // "" when none
  bool start_tls = false;
  int schedule_hours = 24;  // 0: imports run only when asked
  std::string created_at;
  std::string updated_at;
};

// What a create or an update gives; on update, what is unset stays as it is.
struct DirectorySourceInput {
  std::optional<std::int64_t> organization_id;
  std::optional<std::string> name, url, bind_dn, password, base_dn, filter;
  std::optional<bool> start_tls;
  std::optional<int> schedule_hours;
};

// Errors point at pointer + "/organization-id", "/url", "/bind-dn", "/password", "/base-dn",
// "/filter", "/start-tls" or "/schedule-hours".
std::optional<core::Error> validate_directory_source(const DirectorySource& d, const std::string& pointer);
// The same checks for a source a create would make from in (no database needed).
std::optional<core::Error> validate_new_directory_source(const DirectorySourceInput& in, const std::string& pointer);

class DirectorySources {
 public:
  DirectorySources(soci::session& s, Dialect d, const MasterKey& key) : s_(s), d_(d), key_(key) {}

  core::Result<DirectorySource> create(const DirectorySourceInput& in, const Actor& who,
                                       const std::string& pointer = "/data/attributes");
  std::optional<DirectorySource> get(std::int64_t id, bool for_update = false);
  // All sources, or one organization's.
  std::vector<DirectorySource> list(std::optional<std::int64_t> organization_id = std::nullopt);
  core::Result<DirectorySource> update(std::int64_t id, const DirectorySourceInput& in, const Actor& who,
                                       const std::string& pointer = "/data/attributes");

 private:
  soci::session& s_;
  Dialect d_;
  const MasterKey& key_;
};

// Needs no master key: an operator who lost it can still remove a source.
core::Result<bool> remove_directory_source(soci::session& s, std::int64_t id, const Actor& who);

}  // namespace cairn::store
