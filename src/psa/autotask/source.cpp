#include "psa/autotask/source.h"

#include "psa/autotask/mapping.h"
#include "psa/json_codec.h"
#include "psa/push_codec.h"

namespace cairn::psa::autotask {

using core::SyncEntity;
using nlohmann::json;

namespace {

const json kEverything = json::array({{{"op", "exist"}, {"field", "id"}}});

std::string id_text(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

}  // namespace

Source::Source(std::string zone_url, Credentials c, net::HttpClientOptions http, std::string lookup_url)
    : http_(std::make_unique<net::HttpClient>(std::move(http))),
      client_(std::make_unique<Client>(std::move(zone_url), std::move(c), *http_, std::move(lookup_url))) {}

const Source::Table& Source::lookup(const std::string& id_field) {
  auto found = tables_.find(id_field);
  if (found != tables_.end()) return found->second;
  Table& t = tables_[id_field];
  if (id_field == "companyType") {
    // A picklist: its labels come with the entity's field descriptions.
    json info = client_->get("/Companies/entityInformation/fields");
    for (const auto& f : info.value("fields", json::array())) {
      if (f.value("name", "") != "companyType" || !f.contains("picklistValues") || !f["picklistValues"].is_array()) continue;
      for (const auto& v : f["picklistValues"])
        if (v.contains("value") && v.contains("label")) t[id_text(v["value"])] = v["label"];
    }
  } else if (id_field == "configurationItemType") {
    client_->query("ConfigurationItemTypes", kEverything, {"id", "name"},
                   [&](const json& r) { t[id_text(r["id"])] = r.value("name", ""); });
  } else if (id_field == "productID") {
    client_->query("Products", kEverything, {"id", "name", "manufacturerName", "manufacturerProductName"},
                   [&](const json& r) { t[id_text(r["id"])] = r; });
  } else if (id_field == "installedByID") {
    client_->query("Resources", kEverything, {"id", "firstName", "lastName"}, [&](const json& r) {
      std::string name = r.value("firstName", "");
      const std::string last = r.contains("lastName") && r["lastName"].is_string() ? r["lastName"].get<std::string>() : "";
      if (!last.empty()) name += (name.empty() ? "" : " ") + last;
      t[id_text(r["id"])] = name;
    });
  }
  return t;
}

void Source::resolve(json& wire) {
  for (const auto& r : resolutions()) {
    auto id = wire.find(r.id_field);
    if (id == wire.end() || id->is_null()) continue;
    const Table& t = lookup(r.id_field);
    auto hit = t.find(id_text(*id));
    if (hit != t.end()) wire[r.member] = hit->second;
  }
}

core::PsaRecord Source::to_record(SyncEntity e, json wire) {
  resolve(wire);
  core::PsaRecord r = decode(mapping(), e, wire);
  if (auto m = wire.find(modified_field(e)); *modified_field(e) && m != wire.end() && m->is_string())
    r.updated_at = m->get<std::string>();
  return r;
}

void Source::pull(SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                  const std::function<void(const core::PsaRecord&)>& each) {
  pull_owned(e, since, syncing_orgs, [&](core::PsaRecord&& r) { each(r); });
}

void Source::pull_owned(SyncEntity e, const std::string& since, const std::vector<std::string>&,
                        const std::function<void(core::PsaRecord&&)>& take) {
  const std::string modified = modified_field(e);
  const json filter = since.empty() || modified.empty()
                          ? kEverything
                          : json::array({{{"op", "gt"}, {"field", modified}, {"value", since}}});
  client_->query(entity_path(e), filter, include_fields(e), [&](json& item) { take(to_record(e, std::move(item))); });
}

std::optional<core::PsaRecord> Source::fetch(SyncEntity e, const std::string& psa_id, const std::string&) {
  if (psa_id.empty() || psa_id.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(400, "an Autotask id is a number, not \"" + psa_id + "\"");
  // A missing id is {"item": null} with 200 (psa-apis.md §2.3).
  json answer = client_->get("/" + std::string(entity_path(e)) + "/" + psa_id);
  if (!answer.is_object() || !answer.contains("item") || !answer["item"].is_object()) return std::nullopt;
  return to_record(e, answer["item"]);
}

std::map<std::string, std::vector<std::string>> Source::catalogue() {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [id, label] : lookup("companyType"))
    if (label.is_string()) out["org_types"].push_back(label.get<std::string>());
  for (const auto& [id, name] : lookup("configurationItemType"))
    if (name.is_string()) out["config_types"].push_back(name.get<std::string>());
  // D26: Autotask has no status lists; its active flags stand for these two.
  out["org_statuses"] = {"Active", "Inactive"};
  out["config_statuses"] = {"Active", "Inactive"};
  return out;
}

}  // namespace cairn::psa::autotask

namespace cairn::psa::autotask {

namespace {


bool is_number(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

std::string Source::id_for(const std::string& id_field, const std::function<bool(const json&)>& match,
                           const std::string& what) {
  for (const auto& [id, value] : lookup(id_field))
    if (match(value)) return id;
  tables_.erase(id_field);  // it may be added in Autotask before the retry
  throw PushError(422, "Autotask has no " + what);
}

json Source::members_for(const core::PsaRecord& changes) {
  json members = encode(mapping(), changes).members;
  json out = json::object();
  for (auto& [member, value] : members.items()) {
    const Resolution* r = nullptr;
    for (const auto& res : resolutions())
      if (res.member == member) r = &res;
    if (!r) {
      out[member] = value;
      continue;
    }
    if (value.is_null()) {
      out[r->id_field] = nullptr;
      continue;
    }
    std::string id;
    if (value.is_object()) {
      // A product, by every member given (manufacturer and model).
      std::string what = "product";
      for (const auto& [k, v] : value.items()) what += " with " + k + " " + v.dump();
      id = id_for(r->id_field, [&](const json& product) {
        for (const auto& [k, v] : value.items())
          if (!product.contains(k) || product[k] != v) return false;
        return true;
      }, what);
    } else {
      id = id_for(r->id_field, [&](const json& name) { return name == value; }, r->id_field + " named " + value.dump());
    }
    out[r->id_field] = std::stoll(id);
  }
  return out;
}

std::string Source::write_path(SyncEntity e, const std::string& company) {
  if (e == SyncEntity::Contact || e == SyncEntity::Location) {
    // Children are written through their company's URL (psa-apis.md §2.3).
    if (!is_number(company)) throw PushError(400, "Autotask writes contacts and locations under their company: the company is not in Autotask");
    return "/Companies/" + company + (e == SyncEntity::Contact ? "/Contacts" : "/Locations");
  }
  return "/" + std::string(entity_path(e));
}

core::PsaRecord Source::written(SyncEntity e, const std::string& psa_id, const std::string& company) {
  // Autotask answers a write with the id only: read the record back for its fingerprint.
  auto r = fetch(e, psa_id, company);
  if (!r) throw PushError(404, "Autotask does not return " + std::string(entity_path(e)) + " " + psa_id + " after writing it");
  return *r;
}

core::PsaRecord Source::update(const core::PsaRecord& changes, const std::string& company) {
  return pushing<ApiError>([&] {
    if (!is_number(changes.psa_id)) throw PushError(400, "an Autotask id is a number, not \"" + changes.psa_id + "\"");
    json body = members_for(changes);
    body["id"] = std::stoll(changes.psa_id);
    client_->send("PATCH", write_path(changes.entity, company), body);
    return written(changes.entity, changes.psa_id, company);
  });
}

core::PsaRecord Source::create(const core::PsaRecord& record, const std::string& company, const std::string& owner) {
  return pushing<ApiError>([&] {
    json body = members_for(record);
    if (record.entity == SyncEntity::Organization) {
      if (owner.empty()) throw PushError(422, "Autotask needs a default account manager in the integration's two-way settings");
      body["ownerResourceID"] = std::stoll(
          is_number(owner) ? owner
                           : id_for("installedByID", [&](const json& name) { return name == owner; }, "resource named \"" + owner + "\""));
    }
    if (record.entity == SyncEntity::Contact && !body.contains("isActive")) body["isActive"] = 1;
    json answer = client_->send("POST", write_path(record.entity, company), body);
    if (!answer.contains("itemId") || !answer["itemId"].is_number_integer())
      throw PushError(502, "Autotask's answer to a create has no itemId: " + answer.dump().substr(0, 200));
    return written(record.entity, std::to_string(answer["itemId"].get<std::int64_t>()), company);
  });
}

}  // namespace cairn::psa::autotask
