#include "psa/tigerpaw/source.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "psa/json_codec.h"
#include "psa/tigerpaw/mapping.h"

namespace cairn::psa::tigerpaw {

using core::SyncEntity;
using nlohmann::json;

namespace {

// No list-all in Tigerpaw: an advanced search that every record matches (psa-apis.md §5.2).
const json kEveryAccount = json::array({{{"SearchType", "AccountNumber"}, {"MatchType", "GreaterThan"}, {"Criteria", "0"}}});
const json kEveryContact = json::array({{{"SearchType", "LastName"}, {"MatchType", "StartsWith"}, {"Criteria", ""}}});

std::string number_text(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

const json& member(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

bool inactive(const json& contact) {
  const json& flag = member(member(contact, "Contact"), "Inactive");
  return flag.is_boolean() && flag.get<bool>();
}

void require_number(const std::string& id, const char* what) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(400, std::string("a Tigerpaw ") + what + " number is a number, not \"" + id + "\"");
}

core::PsaRecord location_record(const std::string& psa_id, const json& location) {
  core::PsaRecord r = decode(mapping(), SyncEntity::Location, location);
  r.psa_id = psa_id;
  return r;
}

// A missing record is 404 (assumption P8): gone from Tigerpaw.
template <typename F>
std::optional<json> read_or_gone(F read) {
  try {
    return read();
  } catch (const ApiError& e) {
    if (e.status == 404) return std::nullopt;
    throw;
  }
}

}  // namespace

core::PsaRecord organization_record(const json& account) {
  core::PsaRecord r = decode(mapping(), SyncEntity::Organization, account);
  r.psa_id = number_text(member(account, "AccountNumber"));
  return r;
}

core::PsaRecord contact_record(json contact) {
  if (!contact.is_object()) contact = json::object();
  add_communication_items(contact);
  core::PsaRecord r = decode(mapping(), SyncEntity::Contact, contact);
  r.psa_id = number_text(member(contact, "ContactNumber"));
  return r;
}

std::vector<core::PsaRecord> location_records(const std::vector<json>& accounts, const std::vector<json>& contacts) {
  // Active contacts by account, lowest number first, so a shared address is named by the same contact each run.
  std::unordered_map<std::string, std::vector<const json*>> by_account;
  for (const auto& c : contacts)
    if (!inactive(c)) by_account[number_text(member(member(c, "Contact"), "AccountNumber"))].push_back(&c);
  for (auto& [account, list] : by_account)
    std::sort(list.begin(), list.end(), [](const json* a, const json* b) {
      const json &x = member(*a, "ContactNumber"), &y = member(*b, "ContactNumber");
      return (x.is_number_integer() ? x.get<std::int64_t>() : 0) < (y.is_number_integer() ? y.get<std::int64_t>() : 0);
    });
  std::vector<core::PsaRecord> out;
  for (const auto& a : accounts) {
    const json& number = member(a, "AccountNumber");
    const std::string account = number_text(number);
    if (account.empty()) continue;
    const json& address = member(a, "Account");
    std::set<std::string> seen = {address_key(address)};
    if (auto loc = derived_location(address, member(a, "PhoneNumber"), member(a, "FaxNumber"), number, true))
      out.push_back(location_record(account_location_id(account), *loc));
    auto mine = by_account.find(account);
    if (mine == by_account.end()) continue;
    for (const json* c : mine->second) {
      const json& home = member(*c, "Contact");
      if (!seen.insert(address_key(home)).second) continue;
      if (auto loc = derived_location(home, member(*c, "PhoneNumber"), member(*c, "FaxNumber"), number, false))
        out.push_back(location_record(contact_location_id(number_text(member(*c, "ContactNumber"))), *loc));
    }
  }
  return out;
}

Source::Source(std::string base_url, Credentials c, net::HttpClientOptions http)
    : http_(std::make_unique<net::HttpClient>(std::move(http))),
      client_(std::make_unique<Client>(std::move(base_url), std::move(c), *http_)) {}

void Source::listed(List& list, const char* entity, const json& criteria, const char* rows,
                    const std::function<void(const json&)>& each) {
  if (list.complete) {
    for (const auto& row : list.rows) each(row);
    return;
  }
  list.rows.clear();
  client_->search(entity, criteria, rows, [&](const json& row) {
    list.rows.push_back(row);
    each(row);
  });
  list.complete = true;  // only a list read to its end is kept
}

void Source::accounts(const std::function<void(const json&)>& each) {
  listed(accounts_, "accounts", kEveryAccount, "Accounts", each);
}

void Source::contacts(const std::function<void(const json&)>& each) {
  listed(contacts_, "contacts", kEveryContact, "Contacts", each);
}

void Source::pull(SyncEntity e, const std::string&, const std::vector<std::string>&,
                  const std::function<void(const core::PsaRecord&)>& each) {
  switch (e) {
    case SyncEntity::Organization:
      accounts([&](const json& row) { each(organization_record(row)); });
      break;
    case SyncEntity::Location:
      accounts([](const json&) {});
      contacts([](const json&) {});
      for (const auto& r : location_records(accounts_.rows, contacts_.rows)) each(r);
      break;
    case SyncEntity::Contact:
      contacts([&](const json& row) {
        if (inactive(row)) return each(contact_record(row));  // skipped with its reason: no details needed
        const std::string n = number_text(member(row, "ContactNumber"));
        require_number(n, "contact");
        // Gone between the list and the read: left out, as if the list had not had it.
        if (auto detail = read_or_gone([&] { return client_->get("/contacts/" + n + "/details"); })) each(contact_record(*detail));
      });
      break;
    case SyncEntity::Configuration:
      break;  // Tigerpaw has no configuration sync (D6)
  }
}

std::optional<core::PsaRecord> Source::fetch(SyncEntity e, const std::string& psa_id, const std::string&) {
  switch (e) {
    case SyncEntity::Organization: {
      require_number(psa_id, "account");
      auto a = read_or_gone([&] { return client_->get("/accounts/" + psa_id); });
      if (!a) return std::nullopt;
      return organization_record(*a);
    }
    case SyncEntity::Contact: {
      require_number(psa_id, "contact");
      auto c = read_or_gone([&] { return client_->get("/contacts/" + psa_id + "/details"); });
      if (!c) return std::nullopt;
      return contact_record(*c);
    }
    case SyncEntity::Location: {
      // The owner of the address, and for a contact's its account too (the account's address wins).
      const auto colon = psa_id.find(':');
      const std::string owner = psa_id.substr(0, colon == std::string::npos ? 0 : colon);
      const std::string number = colon == std::string::npos ? "" : psa_id.substr(colon + 1);
      if (owner != "account" && owner != "contact")
        throw ApiError(400, "a Tigerpaw location is derived from an address: its id is account:N or contact:N, not \"" +
                                psa_id + "\"");
      require_number(number, owner.c_str());
      std::vector<json> account_rows, contact_rows;
      if (owner == "contact") {
        auto c = read_or_gone([&] { return client_->get("/contacts/" + number); });
        if (!c) return std::nullopt;
        contact_rows.push_back(*c);
        const std::string account = number_text(member(member(*c, "Contact"), "AccountNumber"));
        require_number(account, "account");
        auto a = read_or_gone([&] { return client_->get("/accounts/" + account); });
        if (!a) return std::nullopt;
        account_rows.push_back(*a);
      } else {
        auto a = read_or_gone([&] { return client_->get("/accounts/" + number); });
        if (!a) return std::nullopt;
        account_rows.push_back(*a);
      }
      for (auto& r : location_records(account_rows, contact_rows))
        if (r.psa_id == psa_id) return std::move(r);
      return std::nullopt;  // the address is blank now, or the account's own, or the contact inactive
    }
    case SyncEntity::Configuration:
      return std::nullopt;
  }
  return std::nullopt;
}

std::map<std::string, std::vector<std::string>> Source::catalogue() {
  std::map<std::string, std::vector<std::string>> out;
  auto values = [&](const std::string& path, const char* into) {
    auto& list = out[into];
    const json rows = client_->get(path);
    if (!rows.is_array()) throw ApiError(502, "Tigerpaw answered a master table that is not a list for " + path);
    for (const auto& row : rows)
      if (row.is_object() && row.contains("Value") && row["Value"].is_string()) list.push_back(row["Value"].get<std::string>());
  };
  values("/mastertables/accounts/types", "org_types");
  values("/mastertables/accounts/statuses", "org_statuses");
  // No configuration sync in Tigerpaw (D6): no configuration types or statuses to offer.
  out["config_types"] = {};
  out["config_statuses"] = {};
  return out;
}

}  // namespace cairn::psa::tigerpaw
