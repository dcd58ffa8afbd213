#pragma once
// API keys (D24): random, shown once, stored only as a hash, each with a role.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace cairn::store {

enum class Role { Reader, Editor, Admin };
std::optional<Role> parse_role(const std::string& s);
std::string role_name(Role r);

struct ApiKey {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::Reader;
  std::string prefix;  // the key's first characters, to tell keys apart in lists
  std::string created_at;
  std::optional<std::string> revoked_at;
};

struct NewApiKey {
  ApiKey key;
  std::string secret;  // the only time the whole key exists outside its holder
};

NewApiKey create_api_key(soci::session& s, const std::string& name, Role role);
std::vector<ApiKey> list_api_keys(soci::session& s);
// False when no such key exists or it was already revoked.
bool revoke_api_key(soci::session& s, std::int64_t id);
// The live key with that secret, if any.
std::optional<ApiKey> find_api_key(soci::session& s, const std::string& secret);
std::string hash_api_key(const std::string& secret);

}  // namespace cairn::store
