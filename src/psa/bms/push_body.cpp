#include "psa/bms/push_body.h"

#include "psa/source.h"

namespace cairn::psa::bms {

using nlohmann::json;

namespace {

// A name member and the id member V2 writes it as, per entity (psa-apis.md §3.4).
struct NameToId {
  core::SyncEntity entity;
  const char* name_member;
  const char* id_member;
  const char* table;
  const char* what;
};

const NameToId kNamesToIds[] = {
    {core::SyncEntity::Organization, "accountType", "accountTypeId", kAccountTypes, "account type"},
    {core::SyncEntity::Configuration, "category", "categoryId", kCategoriesTable, "asset category"},
    {core::SyncEntity::Configuration, "state", "stateId", kStatesTable, "asset state"},
    {core::SyncEntity::Configuration, "manufacturer", "manufacturerId", kManufacturersTable, "manufacturer"},
};

// Row cells, as core/schema.cpp orders them: emails (value, label_name, primary), phones
// (value, extension, label_name, label_type, primary).
std::string cell_text(const core::Row& row, std::size_t i) {
  return i < row.size() && row[i].is_string() ? row[i].as_string() : std::string();
}
bool cell_flag(const core::Row& row, std::size_t i) {
  if (i >= row.size()) return false;
  if (row[i].is_bool()) return row[i].as_bool();
  if (row[i].is_int()) return row[i].as_int() != 0;
  return row[i].is_string() && (row[i].as_string() == "true" || row[i].as_string() == "1");
}
const core::Rows& rows_of(const core::Value& v) {
  static const core::Rows none;
  return v.is_rows() ? v.as_rows() : none;
}

std::int64_t required_id(const IdOf& id_of, const char* table, const std::string& name, const std::string& what,
                         const std::string& product) {
  if (auto id = id_of(table, name)) return *id;
  throw PushError(422, product + " has no " + what + " named \"" + name + "\"");
}

std::optional<std::int64_t> type_named(const IdOf& id_of, const char* table, const std::string& name) {
  if (name.empty()) return std::nullopt;
  return id_of(table, name);
}

// V2 location member → V1 body member (B20's PascalCase names).
const std::pair<const char*, const char*> kV1Names[] = {
    {"locationName", "LocationName"}, {"isMain", "IsMain"},     {"isActive", "IsActive"}, {"accountId", "AccountId"},
    {"address1", "Address1"},         {"address2", "Address2"}, {"city", "City"},         {"state", "State"},
    {"zipCode", "ZipCode"},           {"countryId", "CountryId"}, {"phone", "Phone"},     {"fax", "Fax"},
    {"emailAddress", "EmailAddress"},
};

const char* v1_name(const std::string& member) {
  for (const auto& [v2, v1] : kV1Names)
    if (member == v2) return v1;
  return nullptr;
}

// Items of a PATCH …/emails or …/phones: `key` the address or number member, `new_key` its new value's.
struct ItemShape {
  const char* key;
  const char* new_key;
  const char* current_value;  // the member V2 shows the value in
  const char* current_type;
  bool phone;  // numbers compare without separators: Cairn keeps "+15550100" for "+1 555-0100"
};

std::string comparable(const std::string& v, bool phone) {
  if (!phone) return v;
  std::string out;
  for (char c : v)
    if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/') out += c;
  return out;
}

// `own_type`: the type the row's own label names; `chosen`: the integration's, for new rows only.
json operations(const json& current, const core::Rows& rows, const ItemShape& shape,
                const std::function<std::optional<std::int64_t>(const core::Row&)>& own_type,
                std::optional<std::int64_t> chosen,
                const std::function<std::string(const core::Row&)>& value_of,
                const std::function<bool(const core::Row&)>& primary_of) {
  json ops = json::array();
  auto text = [](const json& item, const char* k) {
    auto it = item.find(k);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const json items = current.is_array() ? current : json::array();
  auto same = [&](const std::string& a, const std::string& b) { return comparable(a, shape.phone) == comparable(b, shape.phone); };
  for (const auto& item : items) {
    const std::string have = text(item, shape.current_value);
    bool kept = false;
    for (const auto& row : rows) kept = kept || same(value_of(row), have);
    if (!kept) ops.push_back({{"Operation", 2}, {shape.key, have}});
  }
  for (const auto& row : rows) {
    const std::string want = value_of(row);
    if (want.empty()) continue;
    const json* found = nullptr;
    for (const auto& item : items)
      if (same(text(item, shape.current_value), want)) found = &item;
    const auto type = own_type(row);
    const bool primary = primary_of(row);
    if (!found) {
      const auto new_type = type ? type : chosen;
      if (!new_type) continue;  // R16: no type, not sent
      ops.push_back({{"Operation", 0}, {shape.key, want}, {"TypeId", *new_type}, {"IsDefault", primary}});
      continue;
    }
    const json& t = found->contains(shape.current_type) ? (*found)[shape.current_type] : json();
    const std::optional<std::int64_t> have_type =
        t.is_number_integer() ? std::optional<std::int64_t>(t.get<std::int64_t>()) : std::nullopt;
    const bool have_primary = found->value("isDefault", false);
    const auto new_type = type ? type : have_type;  // a label that is no type leaves the type alone
    if (new_type == have_type && primary == have_primary) continue;
    const std::string have = text(*found, shape.current_value);  // the PSA's own spelling of it
    json op = {{"Operation", 1}, {shape.key, have}, {shape.new_key, have}, {"IsDefault", primary}};
    if (new_type) op["TypeId"] = *new_type;
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

json v2_members(core::SyncEntity e, const json& encoded, const IdOf& id_of, const std::string& product) {
  json out = json::object();
  for (const auto& [member, value] : encoded.items()) {
    const NameToId* rule = nullptr;
    for (const auto& r : kNamesToIds)
      if (r.entity == e && member == r.name_member) rule = &r;
    if (e == core::SyncEntity::Location && member == "addresses" && value.is_array() && !value.empty()) {
      json address = value[0];
      if (address.contains("country")) {
        const json country = address["country"];
        address.erase("country");
        address["countryId"] = country.is_string() && !country.get<std::string>().empty()
                                   ? json(required_id(id_of, kCountriesTable, country.get<std::string>(), "country", product))
                                   : json(nullptr);
      }
      out["addresses"] = json::array({address});
      continue;
    }
    if (!rule) {
      out[member] = value;
      continue;
    }
    out[rule->id_member] = value.is_string() && !value.get<std::string>().empty()
                               ? json(required_id(id_of, rule->table, value.get<std::string>(), rule->what, product))
                               : json(nullptr);
  }
  return out;
}

json patch_operations(const json& members) {
  json ops = json::array();
  for (const auto& [k, v] : members.items()) ops.push_back({{"op", "replace"}, {"path", "/" + k}, {"value", v}});
  return ops;
}

json v1_location(const json& members, json current) {
  if (!current.is_object()) current = json::object();
  auto put = [&](const std::string& member, const json& value) {
    if (const char* name = v1_name(member)) current[name] = value;
  };
  for (const auto& [k, v] : members.items()) {
    if (k == "addresses" && v.is_array() && !v.empty() && v[0].is_object()) {
      for (const auto& [ak, av] : v[0].items()) put(ak, av);
    } else {
      put(k, v);
    }
  }
  return current;
}

json v1_location_of_view(const json& view) {
  json members = json::object();
  if (!view.is_object()) return members;
  for (const char* k : {"locationName", "isMain", "isActive", "accountId"})
    if (view.contains(k)) members[k] = view[k];
  if (view.contains("addresses") && view["addresses"].is_array() && !view["addresses"].empty()) {
    json address = json::object();
    for (const auto& [k, v] : view["addresses"][0].items())
      if (v1_name(k)) address[k] = v;
    members["addresses"] = json::array({address});
  }
  return v1_location(members);
}

namespace {
std::optional<std::int64_t> own_email_type(const core::Row& row, const IdOf& id_of) {
  return type_named(id_of, kEmailTypesTable, cell_text(row, 1));
}
std::optional<std::int64_t> own_phone_type(const core::Row& row, const IdOf& id_of) {
  if (cell_text(row, 3) == "fax") return type_named(id_of, kPhoneTypesTable, "Fax");
  return type_named(id_of, kPhoneTypesTable, cell_text(row, 2));
}
}  // namespace

std::optional<std::int64_t> email_type_of(const core::Row& row, const ContactTypes& chosen, const IdOf& id_of) {
  if (auto own = own_email_type(row, id_of)) return own;
  return type_named(id_of, kEmailTypesTable, chosen.email_type);
}

std::optional<std::int64_t> phone_type_of(const core::Row& row, const ContactTypes& chosen, const IdOf& id_of) {
  if (auto own = own_phone_type(row, id_of)) return own;
  return type_named(id_of, kPhoneTypesTable, chosen.phone_type);
}

json create_emails(const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of) {
  json out = json::array();
  for (const auto& row : rows_of(rows)) {
    const auto type = email_type_of(row, chosen, id_of);
    if (!type || cell_text(row, 0).empty()) continue;
    out.push_back({{"emailAddress", cell_text(row, 0)}, {"emailTypeId", *type}, {"isDefault", cell_flag(row, 2)}});
  }
  return out;
}

json create_phones(const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of) {
  json out = json::array();
  for (const auto& row : rows_of(rows)) {
    const auto type = phone_type_of(row, chosen, id_of);
    if (!type || cell_text(row, 0).empty()) continue;  // the platform keeps no extension: dropped
    out.push_back({{"phoneNumber", cell_text(row, 0)}, {"phoneTypeId", *type}, {"isDefault", cell_flag(row, 4)}});
  }
  return out;
}

json email_operations(const json& current, const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of) {
  return operations(
      current, rows_of(rows), {"EmailAddress", "NewEmailAddress", "emailAddress", "emailTypeId", false},
      [&](const core::Row& r) { return own_email_type(r, id_of); }, type_named(id_of, kEmailTypesTable, chosen.email_type),
      [](const core::Row& r) { return cell_text(r, 0); },
      [](const core::Row& r) { return cell_flag(r, 2); });
}

json phone_operations(const json& current, const core::Value& rows, const ContactTypes& chosen, const IdOf& id_of) {
  return operations(
      current, rows_of(rows), {"PhoneNumber", "NewPhoneNumber", "phone", "phoneTypeId", true},
      [&](const core::Row& r) { return own_phone_type(r, id_of); }, type_named(id_of, kPhoneTypesTable, chosen.phone_type),
      [](const core::Row& r) { return cell_text(r, 0); },
      [](const core::Row& r) { return cell_flag(r, 4); });
}

}  // namespace cairn::psa::bms
