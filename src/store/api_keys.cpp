#include "store/api_keys.h"

#include <sodium.h>
#include <soci/soci.h>

#include <stdexcept>

#include "core/time.h"

namespace cairn::store {
namespace {
void need_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}
std::string hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}
ApiKey from_row(const soci::row& r) {
  ApiKey k;
  k.id = std::stoll(r.get<std::string>(0));
  k.name = r.get<std::string>(1);
  k.role = parse_role(r.get<std::string>(2)).value_or(Role::Reader);
  k.prefix = r.get<std::string>(3);
  k.created_at = r.get<std::string>(4);
  if (r.get_indicator(5) == soci::i_ok) k.revoked_at = r.get<std::string>(5);
  return k;
}
const char* kColumns = "SELECT CAST(id AS TEXT), name, role, key_prefix, created_at, revoked_at FROM api_keys";
}  // namespace

std::optional<Role> parse_role(const std::string& s) {
  if (s == "reader") return Role::Reader;
  if (s == "editor") return Role::Editor;
  if (s == "admin") return Role::Admin;
  return std::nullopt;
}

std::string role_name(Role r) {
  switch (r) {
    case Role::Reader: return "reader";
    case Role::Editor: return "editor";
    case Role::Admin: return "admin";
  }
  return "reader";
}

std::string hash_api_key(const std::string& secret) {
  need_sodium();
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  return hex(out, sizeof out);
}

NewApiKey create_api_key(soci::session& s, const std::string& name, Role role) {
  need_sodium();
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  NewApiKey k;
  k.secret = "cairn_" + hex(raw, sizeof raw);
  k.key.name = name;
  k.key.role = role;
  k.key.prefix = k.secret.substr(0, 12);
  k.key.created_at = core::now_rfc3339();
  std::string hash = hash_api_key(k.secret), role_text = role_name(role);
  long long id = 0;
  s << "INSERT INTO api_keys (name, role, key_hash, key_prefix, created_at) VALUES (:n, :r, :h, :p, :c) RETURNING id",
      soci::use(k.key.name), soci::use(role_text), soci::use(hash), soci::use(k.key.prefix), soci::use(k.key.created_at),
      soci::into(id);
  k.key.id = id;
  return k;
}

std::vector<ApiKey> list_api_keys(soci::session& s) {
  std::vector<ApiKey> out;
  soci::rowset<soci::row> rs = (s.prepare << std::string(kColumns) + " ORDER BY id");
  for (const auto& r : rs) out.push_back(from_row(r));
  return out;
}

bool revoke_api_key(soci::session& s, std::int64_t id) {
  std::string now = core::now_rfc3339();
  soci::statement st =
      (s.prepare << "UPDATE api_keys SET revoked_at = :t WHERE id = :id AND revoked_at IS NULL", soci::use(now), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::optional<ApiKey> find_api_key(soci::session& s, const std::string& secret) {
  std::string hash = hash_api_key(secret);
  soci::rowset<soci::row> rs =
      (s.prepare << std::string(kColumns) + " WHERE key_hash = :h AND revoked_at IS NULL", soci::use(hash));
  for (const auto& r : rs) return from_row(r);
  return std::nullopt;
}

}  // namespace cairn::store
