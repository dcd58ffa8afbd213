// Two-way writes of the Kaseya V2 connector (source.h says which call writes what).
#include "psa/bms/mapping.h"
#include "psa/bms/source.h"
#include "psa/push_codec.h"

namespace cairn::psa::bms {

using core::SyncEntity;
using nlohmann::json;

namespace {

bool is_id(const std::string& s) {
  return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

// The name a new account's one required location gets (B18: an account is created with at
// least one); Cairn's own locations follow through V1 once the account exists.
constexpr const char* kMainLocationName = "Main";

}  // namespace

const Source::Picklist& Source::picklist(const std::string& table) {
  if (auto it = picklists_.find(table); it != picklists_.end()) return it->second;
  Picklist p;
  const json rows = client_->get(table == kAccountTypes ? "/system/accounttypes/lookup" : "/system/lookup/" + table);
  if (rows.is_array())
    for (const auto& row : rows) {
      if (!row.is_object() || !row.contains("id") || !row["id"].is_number_integer()) continue;
      const std::int64_t id = row["id"].get<std::int64_t>();
      if (row.contains("name") && row["name"].is_string()) p.ids.emplace(row["name"].get<std::string>(), id);
      const bool active = row.value("isActive", true);
      if (row.value("isDefault", false) && active) p.default_id = id;
      else if (!p.default_id && active) p.default_id = id;
    }
  return picklists_[table] = std::move(p);
}

std::optional<std::int64_t> Source::id_of(const std::string& table, const std::string& name) {
  const Picklist& p = picklist(table);
  if (auto it = p.ids.find(name); it != p.ids.end()) return it->second;
  return std::nullopt;
}

json Source::members_of(const core::PsaRecord& changes) {
  auto ids = [this](const std::string& t, const std::string& n) { return id_of(t, n); };
  // A contact's emails and phones go through their own sub-resources (update) or inline lists
  // (create), not as the codec's communication items.
  core::PsaRecord fields = changes;
  fields.fields.erase("contact_emails");
  fields.fields.erase("contact_phones");
  return v2_members(changes.entity, encode(mapping(), fields).members, ids, product_);
}

core::PsaRecord Source::update(const core::PsaRecord& changes, const std::string& company) {
  return pushing<ApiError>([&]() -> core::PsaRecord {
    if (!is_id(changes.psa_id)) throw PushError(400, "a " + product_ + " id is a number, not \"" + changes.psa_id + "\"");
    const std::string& id = changes.psa_id;
    json members = members_of(changes);
    switch (changes.entity) {
      case SyncEntity::Organization:
        if (members.empty()) break;
        return to_record(SyncEntity::Organization, client_->write("PATCH", "/crm/accounts/" + id, patch_operations(members)));
      case SyncEntity::Contact: {
        std::optional<json> now;
        if (!members.empty()) now = client_->write("PATCH", "/crm/contacts/" + id, patch_operations(members));
        auto ids = [this](const std::string& t, const std::string& n) { return id_of(t, n); };
        const auto emails = changes.fields.find("contact_emails");
        const auto phones = changes.fields.find("contact_phones");
        if (emails != changes.fields.end() || phones != changes.fields.end()) {
          if (!now) now = client_->get("/crm/contacts/summary/" + id);
          if (emails != changes.fields.end()) {
            json ops = email_operations(now->value("emails", json::array()), emails->second, contact_types_, ids);
            if (!ops.empty()) now = client_->write("PATCH", "/crm/contacts/" + id + "/emails", ops);
          }
          if (phones != changes.fields.end()) {
            json ops = phone_operations(now->value("phones", json::array()), phones->second, contact_types_, ids);
            if (!ops.empty()) now = client_->write("PATCH", "/crm/contacts/" + id + "/phones", ops);
          }
        }
        if (now) return to_record(SyncEntity::Contact, *now);
        break;
      }
      case SyncEntity::Configuration: {
        if (members.empty()) break;
        json body = client_->get("/servicedesk/hardwareasset/" + id);  // PUT replaces: start from what is there
        if (!body.is_object()) throw PushError(404, product_ + " has no hardware asset " + id);
        for (const auto& [k, v] : members.items()) body[k] = v;
        return to_record(SyncEntity::Configuration, client_->write("PUT", "/servicedesk/hardwareasset/" + id, body));
      }
      case SyncEntity::Location: {
        if (members.empty()) break;
        if (!is_id(company))
          throw PushError(400, product_ + " keeps locations under their account: the location's organization is not in " + product_);
        json view = client_->get("/crm/accounts/" + company + "/locations/" + id);
        json answer = client_->write_v1("PUT", "/crm/locations/" + id, v1_location(members, v1_location_of_view(view)));
        if (!answer.contains("accountId") || answer["accountId"].is_null()) answer["accountId"] = std::stoll(company);
        return to_record(SyncEntity::Location, std::move(answer));
      }
    }
    // Nothing the PSA holds changed (a Cairn-only row, an e-mail without a type): read it for the fingerprint.
    auto r = fetch(changes.entity, id, company);
    if (!r) throw PushError(404, product_ + " no longer has " + std::string(core::link_entity(changes.entity)) + " " + id);
    return *r;
  });
}

core::PsaRecord Source::create(const core::PsaRecord& record, const std::string& company, const std::string& owner) {
  return pushing<ApiError>([&]() -> core::PsaRecord {
    json body = members_of(record);
    switch (record.entity) {
      case SyncEntity::Organization: {
        if (owner.empty())
          throw PushError(422, product_ + " needs an account manager: set the default account manager in the integration's two-way settings");
        std::optional<std::int64_t> manager = is_id(owner) ? std::optional<std::int64_t>(std::stoll(owner)) : id_of(kEmployeesTable, owner);
        if (!manager) throw PushError(422, product_ + " has no employee named \"" + owner + "\" to be the account manager");
        body["accountManagerId"] = *manager;
        const std::int64_t business = picklist(kBusinessTypesTable).default_id;
        if (!business) throw PushError(422, product_ + " has no business type for a new account");
        body["businessTypeId"] = business;
        if (!body.contains("isActive")) body["isActive"] = true;
        body["locations"] = json::array({{{"locationName", kMainLocationName}, {"isMain", true}}});
        return to_record(SyncEntity::Organization, client_->write("POST", "/crm/accounts", body));
      }
      case SyncEntity::Contact: {
        auto ids = [this](const std::string& t, const std::string& n) { return id_of(t, n); };
        if (auto e = record.fields.find("contact_emails"); e != record.fields.end())
          body["emails"] = create_emails(e->second, contact_types_, ids);
        if (auto p = record.fields.find("contact_phones"); p != record.fields.end())
          body["phones"] = create_phones(p->second, contact_types_, ids);
        if (!body.contains("isActive")) body["isActive"] = true;
        return to_record(SyncEntity::Contact, client_->write("POST", "/crm/contacts/summary", body));
      }
      case SyncEntity::Configuration:
        if (!body.contains("isActive")) body["isActive"] = true;
        return to_record(SyncEntity::Configuration, client_->write("POST", "/servicedesk/hardwareasset", body));
      case SyncEntity::Location: {
        if (!is_id(company))
          throw PushError(400, product_ + " keeps locations under their account: the organization is not in " + product_ + " yet");
        json v1 = v1_location(body);
        v1["AccountId"] = std::stoll(company);
        if (!v1.contains("IsActive")) v1["IsActive"] = true;
        json answer = client_->write_v1("POST", "/crm/locations", v1);
        if (!answer.contains("accountId") || answer["accountId"].is_null()) answer["accountId"] = std::stoll(company);
        return to_record(SyncEntity::Location, std::move(answer));
      }
    }
    throw PushError(400, "nothing to create");
  });
}

}  // namespace cairn::psa::bms
