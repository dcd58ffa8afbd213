#include "psa/json_codec.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace cairn::psa {

using nlohmann::json;

const json* at_path(const json& j, const std::string& path) {
  const json* cur = &j;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    std::string step = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (cur->is_array() && !step.empty() && step.find_first_not_of("0123456789") == std::string::npos) {
      size_t i = std::stoul(step);
      if (i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
    } else {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(step);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
    if (cur->is_null()) return nullptr;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return cur;
}

bool is_single_mac(const std::string& s) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (s.size() == 12) {
    for (char c : s)
      if (!hex(c)) return false;
    return true;
  }
  if (s.size() != 17) return false;
  char sep = s[2];
  if (sep != ':' && sep != '-') return false;
  for (size_t i = 0; i < 17; ++i) {
    if (i % 3 == 2) {
      if (s[i] != sep) return false;
    } else if (!hex(s[i])) {
      return false;
    }
  }
  return true;
}

namespace {

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return {};
}

core::Rows communication_rows(const json& items, bool emails) {
  core::Rows rows;
  if (!items.is_array()) return rows;
  for (const auto& item : items) {
    std::string kind = item.value("communicationType", "");
    const json* type_name = at_path(item, "type/name");
    std::string label = type_name ? text_of(*type_name) : "";
    std::string value = item.contains("value") ? text_of(item["value"]) : "";
    bool primary = item.value("defaultFlag", false);
    if (emails && kind == "Email") {
      rows.push_back({core::Value(value), label.empty() ? core::Value() : core::Value(label), core::Value(primary)});
    } else if (!emails && (kind == "Phone" || kind == "Fax")) {
      std::string ext = item.contains("extension") && !item["extension"].is_null() ? text_of(item["extension"]) : "";
      rows.push_back({core::Value(value), ext.empty() ? core::Value() : core::Value(ext),
                      label.empty() ? core::Value() : core::Value(label), core::Value(kind == "Fax" ? "fax" : "phone"),
                      core::Value(primary)});
    }
  }
  return rows;
}

// A mapping path with "|" alternatives: the first that is present and not blank.
const json* read_path(const json& wire, const std::string& path) {
  if (path.find('|') == std::string::npos) return at_path(wire, path);
  std::size_t start = 0;
  while (true) {
    std::size_t bar = path.find('|', start);
    const json* v = at_path(wire, path.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (v && !(v->is_string() && v->get_ref<const std::string&>().empty())) return v;
    if (bar == std::string::npos) return nullptr;
    start = bar + 1;
  }
}

// A fixed email, phone or fax field (Autotask's emailAddress, phone, mobilePhone, faxNumber)
// as one labelled row; the first filled slot of a kind is the primary one.
void add_slot_row(core::PsaRecord& r, const MappingRow& row, const json& wire) {
  core::Value& field = r.fields[row.cairn];
  if (!field.is_rows()) field = core::Value(core::Rows{});
  const json* v = at_path(wire, row.path);
  const std::string value = v ? text_of(*v) : "";
  if (value.empty()) return;
  core::Rows rows = field.as_rows();
  const core::Value label = row.label.empty() ? core::Value() : core::Value(row.label);
  if (row.read == Read::EmailSlot) {
    rows.push_back({core::Value(value), label, core::Value(rows.empty())});
  } else {
    const char* kind = row.read == Read::FaxSlot ? "fax" : "phone";
    bool first_of_kind = true;
    for (const auto& existing : rows)
      if (existing.size() > 3 && existing[3].is_string() && existing[3].as_string() == kind) first_of_kind = false;
    const json* ext = row.extension.empty() ? nullptr : at_path(wire, row.extension);
    const std::string extension = ext ? text_of(*ext) : "";
    rows.push_back({core::Value(value), extension.empty() ? core::Value() : core::Value(extension), label,
                    core::Value(kind), core::Value(first_of_kind)});
  }
  field = core::Value(std::move(rows));
}

}  // namespace

core::PsaRecord decode(const Mapping& m, core::SyncEntity entity, const json& wire) {
  core::PsaRecord r;
  r.entity = entity;
  if (const json* id = at_path(wire, "id")) r.psa_id = text_of(*id);
  if (const json* updated = at_path(wire, "_info/lastUpdated")) r.updated_at = text_of(*updated);
  for (const auto& row : m) {
    if (row.entity != entity) continue;
    if (row.read == Read::Emails || row.read == Read::Phones) {
      const json* items = at_path(wire, row.path);
      r.fields[row.cairn] = core::Value(communication_rows(items ? *items : json::array(), row.read == Read::Emails));
      continue;
    }
    if (row.read == Read::EmailSlot || row.read == Read::PhoneSlot || row.read == Read::FaxSlot) {
      add_slot_row(r, row, wire);
      continue;
    }
    if (row.read == Read::Types) {
      auto brackets = row.path.find("[]/");
      if (brackets != std::string::npos) {
        const json* list = at_path(wire, row.path.substr(0, brackets));
        if (list && list->is_array())
          for (const auto& t : *list)
            if (const json* n = at_path(t, row.path.substr(brackets + 3))) r.type_names.push_back(text_of(*n));
      } else if (const json* n = at_path(wire, row.path)) {
        r.type_names.push_back(text_of(*n));
      }
      continue;
    }
    const json* v = read_path(wire, row.path);
    switch (row.read) {
      case Read::Status:
        if (v) r.status_name = text_of(*v);
        break;
      case Read::Active:
        // D26: no status list, an active flag: true or 1 is "Active", anything else "Inactive".
        r.status_name = v && (v->is_boolean() ? v->get<bool>() : text_of(*v) == "1") ? "Active" : "Inactive";
        break;
      case Read::Lookup:
        r.lookups[row.cairn] = v ? text_of(*v) : "";
        break;
      case Read::Ref:
        if (v) r.refs[row.cairn] = core::PsaRef{row.ref, text_of(*v)};
        break;
      case Read::Bool:
        r.fields[row.cairn] = core::Value(v && (v->is_boolean() ? v->get<bool>() : text_of(*v) == "1"));
        break;
      case Read::Date: {
        std::string t = v ? text_of(*v) : "";
        r.fields[row.cairn] = t.size() >= 10 ? core::Value(t.substr(0, 10)) : core::Value();
        break;
      }
      case Read::Mac: {
        std::string t = v ? text_of(*v) : "";
        if (t.empty() || is_single_mac(t)) r.fields[row.cairn] = t.empty() ? core::Value() : core::Value(t);
        else r.dropped[row.cairn] = "\"" + t + "\" is not a single MAC address of at most 17 characters";
        break;
      }
      default:
        r.fields[row.cairn] = v ? core::Value(text_of(*v)) : core::Value();
    }
  }
  return r;
}

}  // namespace cairn::psa
