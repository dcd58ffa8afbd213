#pragma once
// PSA credentials at rest (D24): sealed with a master key that is never in the database.
// The key comes from CAIRN_MASTER_KEY, else (SQLite only) from a key file beside the database,
// made with mode 0600 on first use. PostgreSQL is shared by many processes and machines, so it
// needs the key from the environment: a file on one machine would lock the others out.
#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "core/error.h"
#include "store/database.h"

namespace cairn::store {

class MasterKey {
 public:
  static constexpr std::size_t kSize = 32;  // crypto_secretbox_KEYBYTES

  // CAIRN_MASTER_KEY's text: 64 hex characters, or the base64 of 32 bytes. The error never
  // repeats the text (it is a secret, or close to one).
  static core::Result<MasterKey> parse(const std::string& text);
  static MasterKey generate();

  MasterKey(const MasterKey& other) = default;
  MasterKey& operator=(const MasterKey& other) = default;
  ~MasterKey();  // wipes the bytes

  // "v1:" + base64(nonce + crypto_secretbox(plain)); a fresh random nonce for every value.
  std::string encrypt(const std::string& plain) const;
  // The plain text, or an error when the value is malformed or was sealed with another key
  // (crypto_secretbox authenticates, so a wrong key is detected, never decrypted to garbage).
  core::Result<std::string> decrypt(const std::string& sealed) const;

  std::string hex() const;  // what a key file holds

 private:
  MasterKey() = default;
  std::array<unsigned char, kSize> bytes_{};
};

inline constexpr const char* kWrongKeyMessage = "credentials cannot be decrypted: wrong CAIRN_MASTER_KEY?";

// "<sqlite path>.key"
std::string key_file_path(const std::string& sqlite_path);

// The master key: env_value (CAIRN_MASTER_KEY's value when set and not empty) wins; else the key
// file beside a SQLite database, created (mode 0600) when it is missing and create_missing is
// true. An existing key file that group or others may read or write is refused. PostgreSQL
// without env_value is an error telling the operator to set CAIRN_MASTER_KEY.
core::Result<MasterKey> load_master_key(const std::optional<std::string>& env_value, Dialect dialect,
                                        const std::string& sqlite_path, bool create_missing = true);

// load_master_key for an open database with CAIRN_MASTER_KEY from the environment. It refuses to
// make a new key file while integrations hold credentials sealed with the old one (the file was
// lost or moved): a new key would silently make them unreadable.
core::Result<MasterKey> master_key_for(Database& db);

}  // namespace cairn::store
