#pragma once
// Tigerpaw as a sync source, one way (D6): accounts, locations derived from account and contact
// addresses, and active contacts. Tigerpaw has no modified date (psa-apis.md §5.3), so every pull
// is a full read whatever `since` says, and the engine finds changes by comparing values (each
// link's fingerprint). A Source serves one sync run: the account and contact lists read for one
// entity are kept for the next (locations need both, contacts need the contact list again), so
// a full sync lists each once. Contacts: the search row has one phone and one e-mail, so each
// active contact's details are read (every phone number and e-mail address); an inactive contact
// is handed over from its row, marked inactive, and the engine skips it (or orphans it when it
// synced before) with the reason.
#include <memory>
#include <vector>

#include "psa/source.h"
#include "psa/tigerpaw/client.h"

namespace cairn::psa::tigerpaw {

class Source : public psa::Source {
 public:
  Source(std::string base_url, Credentials c, net::HttpClientOptions http = {});
  void pull(core::SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
            const std::function<void(const core::PsaRecord&)>& each) override;
  // Organizations and contacts by number; locations by their derived ids ("account:12", "contact:34").
  std::optional<core::PsaRecord> fetch(core::SyncEntity e, const std::string& psa_id, const std::string& company) override;
  // Account types and statuses from Tigerpaw's master tables; no configuration types or statuses.
  std::map<std::string, std::vector<std::string>> catalogue() override;
  std::int64_t requests() const override { return static_cast<std::int64_t>(http_->requests_sent()); }
  Client& client() { return *client_; }

 private:
  // The rows of a search, kept once read to the end.
  struct List {
    std::vector<nlohmann::json> rows;
    bool complete = false;
  };
  // Every account (contact) summary, listed once per Source: `each` sees the rows as they arrive.
  void accounts(const std::function<void(const nlohmann::json&)>& each);
  void contacts(const std::function<void(const nlohmann::json&)>& each);
  void listed(List& list, const char* entity, const nlohmann::json& criteria, const char* rows,
              const std::function<void(const nlohmann::json&)>& each);
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Client> client_;
  List accounts_, contacts_;
};

// An account summary as an organization. Pure.
core::PsaRecord organization_record(const nlohmann::json& account_summary);
// A contact's details as a contact. Pure.
core::PsaRecord contact_record(nlohmann::json contact_detail);
// The locations every account and active contact makes (see mapping.h), in the accounts' order,
// each account's own address first: one per distinct address of an account. Pure.
std::vector<core::PsaRecord> location_records(const std::vector<nlohmann::json>& account_summaries,
                                              const std::vector<nlohmann::json>& contact_summaries);

}  // namespace cairn::psa::tigerpaw
