#include "psa/push_codec.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace cairn::psa {

using nlohmann::json;

namespace {

bool numeric(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

// Writes value at path inside members, making the objects and one-element arrays on the way.
void put(json& members, const std::string& path, json value) {
  auto segs = split(path.substr(0, path.find('|')));  // "a|b": the first is the one to write
  json* cur = &members;
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    std::string seg = segs[i];
    bool array = false;
    if (seg.size() > 2 && seg.compare(seg.size() - 2, 2, "[]") == 0) {
      seg.resize(seg.size() - 2);
      array = true;
    } else if (i + 2 < segs.size() && numeric(segs[i + 1])) {
      array = true;
      ++i;  // one element: the index names it
    }
    if (array) {
      json& a = (*cur)[seg];
      if (!a.is_array() || a.empty()) a = json::array({json::object()});
      cur = &a[0];
    } else {
      json& o = (*cur)[seg];
      if (!o.is_object()) o = json::object();
      cur = &o;
    }
  }
  (*cur)[segs.back()] = std::move(value);
}

json value_of(const MappingRow& row, const core::Value& v) {
  if (v.is_null()) return nullptr;
  switch (row.read) {
    case Read::Bool: return v.is_bool() ? json(v.as_bool()) : json(v.to_text() == "1" || v.to_text() == "true");
    case Read::Date: return v.to_text().empty() ? json(nullptr) : json(date_time_of(v.to_text()));
    default: return v.is_string() && v.as_string().empty() ? json(nullptr) : json(v.to_text());
  }
}

bool carried(Read r) {
  switch (r) {
    case Read::FaxSlot:
    case Read::Deleted: return false;
    default: return true;
  }
}

std::string cell(const core::Row& row, size_t i) {
  return i < row.size() && !row[i].is_null() ? row[i].to_text() : std::string();
}
bool cell_flag(const core::Row& row, size_t i) { return i < row.size() && row[i].is_bool() && row[i].as_bool(); }

// Email rows are [value, label, primary], phone rows [value, extension, label, kind, primary]
// (json_codec.h); the label is the PSA type (R16).
json communication_item(const core::Row& row, bool email) {
  json item = json::object();
  if (email) {
    item = {{"type", {{"name", cell(row, 1)}}}, {"value", cell(row, 0)}, {"defaultFlag", cell_flag(row, 2)},
            {"communicationType", "Email"}};
  } else {
    item = {{"type", {{"name", cell(row, 2)}}}, {"value", cell(row, 0)}, {"defaultFlag", cell_flag(row, 4)},
            {"communicationType", cell(row, 3) == "fax" ? "Fax" : "Phone"}};
    if (!cell(row, 1).empty()) item["extension"] = cell(row, 1);
  }
  return item;
}

// A fixed slot (Autotask) for a row: the slot labelled with the row's type, else the first slot
// of that kind (Autotask has no type list: its slots are its types).
const MappingRow* slot_for(const Mapping& m, core::SyncEntity e, const std::string& attribute, const std::string& type) {
  const MappingRow* first = nullptr;
  for (const auto& row : m) {
    if (row.entity != e || row.cairn != attribute || row.direction != Direction::TwoWay) continue;
    if (row.read != Read::EmailSlot && row.read != Read::PhoneSlot) continue;
    if (row.label == type) return &row;
    if (!first) first = &row;
  }
  return first;
}

}  // namespace

std::string date_time_of(const std::string& date) {
  return date.size() == 10 ? date + "T00:00:00Z" : date;
}

Encoded encode(const Mapping& m, const core::PsaRecord& changes) {
  Encoded out;
  std::set<std::string> written;
  for (const auto& row : m) {
    if (row.entity != changes.entity || row.cairn.empty() || row.direction == Direction::PsaToCairn || !carried(row.read))
      continue;
    const std::string& a = row.cairn;
    switch (row.read) {
      case Read::Emails:
      case Read::Phones:
        // ConnectWise-shaped communication items, appended under the row's path.
        if (auto f = changes.fields.find(a); f != changes.fields.end() && f->second.is_rows()) {
          json& items = out.members[row.path];
          if (!items.is_array()) items = json::array();
          for (const auto& r : f->second.as_rows()) items.push_back(communication_item(r, row.read == Read::Emails));
          written.insert(a);
        }
        break;
      case Read::EmailSlot:
      case Read::PhoneSlot:
        // Several slots map one attribute: the rows are written once, each into its slot.
        if (auto f = changes.fields.find(a); f != changes.fields.end() && f->second.is_rows() && !written.count(a)) {
          const bool email = row.read == Read::EmailSlot;
          for (const auto& r : f->second.as_rows()) {
            const MappingRow* slot = slot_for(m, changes.entity, a, cell(r, email ? 1 : 2));
            if (!slot) continue;
            put(out.members, slot->path, cell(r, 0).empty() ? json(nullptr) : json(cell(r, 0)));
            if (!email && !slot->extension.empty())
              put(out.members, slot->extension, cell(r, 1).empty() ? json(nullptr) : json(cell(r, 1)));
          }
          written.insert(a);
        }
        break;
      case Read::Ref:
        if (auto r = changes.refs.find(a); r != changes.refs.end()) {
          const std::string& id = r->second.psa_id;  // "" clears the reference: {"site": null}, not {"site": {"id": null}}
          std::string path = row.path;
          if (id.empty() && path.size() > 3 && path.compare(path.size() - 3, 3, "/id") == 0) path.resize(path.size() - 3);
          put(out.members, path, id.empty() ? json(nullptr) : numeric(id) ? json(std::stoll(id)) : json(id));
          written.insert(a);
        }
        break;
      case Read::Lookup:
      case Read::Types:
      case Read::Status:
        if (auto l = changes.lookups.find(a); l != changes.lookups.end()) {
          put(out.members, row.path, l->second.empty() ? json(nullptr) : json(l->second));
          written.insert(a);
        }
        break;
      case Read::Active:
        if (auto l = changes.lookups.find(a); l != changes.lookups.end()) {
          put(out.members, row.path, l->second == "Active");
          written.insert(a);
        }
        break;
      default:
        if (auto f = changes.fields.find(a); f != changes.fields.end()) {
          put(out.members, row.path, value_of(row, f->second));
          written.insert(a);
        }
    }
  }
  auto skip = [&](const std::string& a) {
    if (!written.count(a)) out.skipped.push_back(a);
  };
  for (const auto& [a, v] : changes.fields) skip(a);
  for (const auto& [a, v] : changes.refs) skip(a);
  for (const auto& [a, v] : changes.lookups) skip(a);
  return out;
}

json replace_operations(const json& members) {
  json ops = json::array();
  for (const auto& [k, v] : members.items()) ops.push_back({{"op", "replace"}, {"path", k}, {"value", v}});
  return ops;
}

}  // namespace cairn::psa
