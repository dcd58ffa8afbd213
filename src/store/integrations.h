#pragma once
// Stored PSA connections (issue 4): kind, name, base URL, credentials, sync settings and state
// (D22). Credentials are one JSON object sealed with the master key (store/secrets.h) in
// integrations.credentials; they exist in plain text only in memory. Every change writes an
// audit row, credentials as "(changed)", never their values. The caller owns the transaction,
// as with Documents.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/psa_capabilities.h"
#include "core/sync_settings.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/secrets.h"

namespace soci {
class session;
}

namespace cairn::store {

// What each PSA needs, as data: the forms, the command line and validation read it.
struct IntegrationKind {
  std::string kind;                      // "connectwise"
  std::vector<std::string> credentials;  // required credential names, in the order forms show them
  bool url_required = true;              // false for Autotask (zone looked up) and Pulseway (one host)
  const core::Capabilities* capabilities = nullptr;  // what the PSA can do: its name, entities, two-way, ...
};
const std::vector<IntegrationKind>& integration_kinds();
// The secret Autotask signs webhooks with: Cairn makes it when it registers them, and keeps it
// sealed with the credentials. Optional, and only for kinds that send change notices.
inline constexpr const char* kWebhookSecretCredential = "webhook_secret";
const IntegrationKind* find_integration_kind(const std::string& kind);
std::string integration_kind_list();  // "connectwise, autotask, bms, pulseway or tigerpaw"
// Every credential name any kind uses, each once, in a stable order.
std::vector<std::string> all_credential_names();

enum class IntegrationState { Active, Paused, Error };
std::string state_name(IntegrationState s);
std::optional<IntegrationState> parse_integration_state(const std::string& s);

struct Integration {
  std::int64_t id = 0;
  std::string kind;
  std::string name;
  std::string base_url;                            // "" when none (Autotask looks its zone up)
  std::map<std::string, std::string> credentials;  // decrypted, in memory only
  // Set (and credentials empty) when the stored credentials cannot be decrypted: the row can
  // still be listed, paused or removed, and an update that gives every credential replaces them.
  std::string credentials_error;
  core::SyncSettings settings;
  IntegrationState state = IntegrationState::Active;
  std::string state_reason;  // why, for the error state (D22); "" otherwise
  std::string created_at;
  std::string updated_at;

  // The names of the credentials that are set, in the kind's order.
  std::vector<std::string> credential_names() const;
};

// What a create or an update gives. On update, what is unset stays as it is; credentials merge
// over the stored ones (a nullopt value removes that credential).
struct IntegrationInput {
  std::optional<std::string> kind;
  std::optional<std::string> name;
  std::optional<std::string> base_url;  // "" clears it
  std::map<std::string, std::optional<std::string>> credentials;
  std::optional<core::SyncSettings> settings;
};

// The checks every stored integration passes: a known kind, a name, an http(s) base URL where
// the kind needs one, every required credential (and no other), settings the kind supports.
// Errors point at pointer + "/kind", "/name", "/base-url", "/credentials/<kebab-name>" or
// "/settings/<kebab-member>".
std::optional<core::Error> validate_integration(const Integration& i, const std::string& pointer);

class Integrations {
 public:
  Integrations(soci::session& s, Dialect d, const MasterKey& key) : s_(s), d_(d), key_(key) {}

  // pointer: where the attributes sit in the request, for error pointers ("" on the command line).
  core::Result<Integration> create(const IntegrationInput& in, const Actor& who,
                                   const std::string& pointer = "/data/attributes");
  // for_update: lock the row until the transaction ends (PostgreSQL), for read-modify-write.
  std::optional<Integration> get(std::int64_t id, bool for_update = false);
  std::vector<Integration> list();
  // Writes and audits only what differs; an update that changes nothing writes nothing.
  core::Result<Integration> update(std::int64_t id, const IntegrationInput& in, const Actor& who,
                                   const std::string& pointer = "/data/attributes");
  core::Result<bool> remove(std::int64_t id, const Actor& who);
  // D22: pause, resume (active) or error with its reason. Setting the state it is in writes nothing.
  core::Result<Integration> set_state(std::int64_t id, IntegrationState state, const std::string& reason,
                                      const Actor& who);

 private:
  soci::session& s_;
  Dialect d_;
  const MasterKey& key_;
};

// Deletes the integration with its PSA links, sync runs and outbox rows (the documentation
// records stay). Needs no master key: an operator who lost it can still clean up.
core::Result<bool> remove_integration(soci::session& s, std::int64_t id, const Actor& who);

// The seam for connectors: the PSA's own names of types and statuses, as its API lists them.
struct PsaCatalogue {
  std::vector<std::string> org_types, org_statuses, config_types, config_statuses;
};
struct SettingRow {
  std::string group;  // org-type, org-status, config-type, config-status
  std::string name;
  bool enabled = false;
  bool in_psa = true;  // false: enabled here but the PSA (as listed) no longer has it
};
// The rows `cairn integration settings` shows. Without a catalogue (no connector yet) only the
// enabled names; with one, every PSA name with its enabled flag, then enabled names the PSA lacks.
std::vector<SettingRow> settings_rows(const core::SyncSettings& s, const PsaCatalogue* psa = nullptr);

}  // namespace cairn::store
