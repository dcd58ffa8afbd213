#include "psa/json_codec.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>
#include <vector>

namespace cairn::psa {

using nlohmann::json;

namespace {

// The codec reads two JSON representations through the same few operations: nlohmann's (the
// connectors' default, and tests) and simdjson's DOM (list pages, where parsing is most of a
// sync's fetch cost). One template below decodes both, so they cannot drift apart.
struct Nl {
  const json* j;
};
// A record's own members, looked up by name from a flat list: simdjson's at_key walks the tape
// from the object's start, skipping every nested value on the way, for each of a record's
// twenty-odd mapped fields. Built once per record; the first of two same-named members wins, as
// with at_key.
struct Members {
  std::vector<std::pair<std::string_view, simdjson::dom::element>> list;
};
struct Sd {
  simdjson::dom::element e;
  const Members* members = nullptr;  // set on a record's top level only
};

bool is_null(Nl v) { return v.j->is_null(); }
bool is_array(Nl v) { return v.j->is_array(); }
std::optional<Nl> member(Nl v, std::string_view key) {
  if (!v.j->is_object()) return std::nullopt;
  auto it = v.j->find(key);
  if (it == v.j->end()) return std::nullopt;
  return Nl{&*it};
}
std::optional<Nl> element(Nl v, size_t i) {
  if (!v.j->is_array() || i >= v.j->size()) return std::nullopt;
  return Nl{&(*v.j)[i]};
}
template <typename F>
void for_each(Nl v, F f) {
  if (v.j->is_array())
    for (const auto& x : *v.j) f(Nl{&x});
}
std::optional<bool> boolean(Nl v) {
  if (!v.j->is_boolean()) return std::nullopt;
  return v.j->get<bool>();
}
std::string text_of(Nl v) {
  const json& j = *v.j;
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<std::int64_t>());
  if (j.is_number()) return j.dump();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  return {};
}

bool is_null(Sd v) { return v.e.is_null(); }
bool is_array(Sd v) { return v.e.is_array(); }
std::optional<Sd> member(Sd v, std::string_view key) {
  if (v.members) {
    for (const auto& [name, value] : v.members->list)
      if (name == key) return Sd{value};
    return std::nullopt;
  }
  simdjson::dom::element out;
  if (!v.e.is_object() || v.e.at_key(key).get(out) != simdjson::SUCCESS) return std::nullopt;
  return Sd{out};
}
std::optional<Sd> element(Sd v, size_t i) {
  simdjson::dom::element out;
  if (!v.e.is_array() || v.e.at(i).get(out) != simdjson::SUCCESS) return std::nullopt;
  return Sd{out};
}
template <typename F>
void for_each(Sd v, F f) {
  simdjson::dom::array a;
  if (v.e.get_array().get(a) != simdjson::SUCCESS) return;
  for (simdjson::dom::element x : a) f(Sd{x});
}
std::optional<bool> boolean(Sd v) {
  bool b = false;
  if (v.e.get_bool().get(b) != simdjson::SUCCESS) return std::nullopt;
  return b;
}
std::string text_of(Sd v) {
  switch (v.e.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(v.e));
    case simdjson::dom::element_type::INT64:
      return std::to_string(std::int64_t(v.e));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(static_cast<std::int64_t>(std::uint64_t(v.e)));  // as nlohmann's get<int64_t>
    case simdjson::dom::element_type::DOUBLE:
      return json(double(v.e)).dump();  // nlohmann's number format, as the other path writes it
    case simdjson::dom::element_type::BOOL:
      return bool(v.e) ? "true" : "false";
    default:
      return {};
  }
}

template <typename V>
std::optional<V> path_in(V cur, std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    std::string_view step = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::optional<V> next;
    size_t i = 0;
    // Most steps name an object's member: the step is read as an index only inside an array.
    if (is_array(cur) && !step.empty() && step.find_first_not_of("0123456789") == std::string_view::npos &&
        std::from_chars(step.data(), step.data() + step.size(), i).ec == std::errc())
      next = element(cur, i);
    else
      next = member(cur, step);
    if (!next || is_null(*next)) return std::nullopt;
    cur = *next;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return cur;
}

template <typename V>
std::string member_text(V item, std::string_view key) {
  auto m = member(item, key);
  return m ? text_of(*m) : std::string();
}

template <typename V>
core::Rows communication_rows(std::optional<V> items, bool emails) {
  core::Rows rows;
  if (!items || !is_array(*items)) return rows;
  for_each(*items, [&](V item) {
    auto kind_v = member(item, "communicationType");
    std::string kind = kind_v ? text_of(*kind_v) : "";
    auto type_name = path_in(item, "type/name");
    std::string label = type_name ? text_of(*type_name) : "";
    std::string value = member_text(item, "value");
    auto flag = member(item, "defaultFlag");
    bool primary = flag && boolean(*flag).value_or(false);
    if (emails && kind == "Email") {
      rows.push_back({core::Value(value), label.empty() ? core::Value() : core::Value(label), core::Value(primary)});
    } else if (!emails && (kind == "Phone" || kind == "Fax")) {
      auto ext_v = member(item, "extension");
      std::string ext = ext_v && !is_null(*ext_v) ? text_of(*ext_v) : "";
      rows.push_back({core::Value(value), ext.empty() ? core::Value() : core::Value(ext),
                      label.empty() ? core::Value() : core::Value(label), core::Value(kind == "Fax" ? "fax" : "phone"),
                      core::Value(primary)});
    }
  });
  return rows;
}

// A mapping path with "|" alternatives: the first that is present and not blank.
template <typename V>
std::optional<V> read_path(V wire, std::string_view path) {
  if (path.find('|') == std::string_view::npos) return path_in(wire, path);
  size_t start = 0;
  while (true) {
    size_t bar = path.find('|', start);
    auto v = path_in(wire, path.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    if (v && !text_of(*v).empty()) return v;
    if (bar == std::string_view::npos) return std::nullopt;
    start = bar + 1;
  }
}

// A fixed email, phone or fax field (Autotask's emailAddress, phone, mobilePhone, faxNumber)
// as one labelled row; the first filled slot of a kind is the primary one.
template <typename V>
void add_slot_row(core::PsaRecord& r, const MappingRow& row, V wire) {
  core::Value& field = r.fields[row.cairn];
  if (!field.is_rows()) field = core::Value(core::Rows{});
  auto v = path_in(wire, row.path);
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
    auto ext = row.extension.empty() ? std::nullopt : path_in(wire, row.extension);
    const std::string extension = ext ? text_of(*ext) : "";
    rows.push_back({core::Value(value), extension.empty() ? core::Value() : core::Value(extension), label,
                    core::Value(kind), core::Value(first_of_kind)});
  }
  field = core::Value(std::move(rows));
}

template <typename V>
core::PsaRecord decode_view(const Mapping& m, core::SyncEntity entity, V wire) {
  core::PsaRecord r;
  r.entity = entity;
  if (auto id = path_in(wire, "id")) r.psa_id = text_of(*id);
  if (auto updated = path_in(wire, "_info/lastUpdated")) r.updated_at = text_of(*updated);
  for (const auto& row : m) {
    if (row.entity != entity || row.direction == Direction::CairnToPsaOnCreate) continue;
    if (row.read == Read::Emails || row.read == Read::Phones) {
      r.fields[row.cairn] = core::Value(communication_rows(path_in(wire, row.path), row.read == Read::Emails));
      continue;
    }
    if (row.read == Read::EmailSlot || row.read == Read::PhoneSlot || row.read == Read::FaxSlot) {
      add_slot_row(r, row, wire);
      continue;
    }
    if (row.read == Read::Types) {
      auto brackets = row.path.find("[]/");
      if (brackets != std::string::npos) {
        auto list = path_in(wire, std::string_view(row.path).substr(0, brackets));
        std::string_view rest = std::string_view(row.path).substr(brackets + 3);
        if (list && is_array(*list))
          for_each(*list, [&](V t) {
            if (auto n = path_in(t, rest)) r.type_names.push_back(text_of(*n));
          });
      } else if (auto n = path_in(wire, row.path)) {
        r.type_names.push_back(text_of(*n));
      }
      continue;
    }
    auto v = read_path(wire, row.path);
    switch (row.read) {
      case Read::Status:
        if (v) r.status_name = text_of(*v);
        break;
      case Read::Active: {
        // D26: no status list, an active flag: true or 1 is "Active", anything else "Inactive".
        std::optional<bool> b = v ? boolean(*v) : std::nullopt;
        r.status_name = v && (b ? *b : text_of(*v) == "1") ? "Active" : "Inactive";
        break;
      }
      case Read::Deleted: {
        std::optional<bool> b = v ? boolean(*v) : std::nullopt;
        r.deleted = b.value_or(false);
        break;
      }
      case Read::Inactive: {
        std::optional<bool> b = v ? boolean(*v) : std::nullopt;
        r.active = !(v && (b ? *b : text_of(*v) == "1"));
        break;
      }
      case Read::Lookup:
        r.lookups[row.cairn] = v ? text_of(*v) : "";
        break;
      case Read::Ref:
        if (v) r.refs[row.cairn] = core::PsaRef{row.ref, text_of(*v)};
        break;
      case Read::Bool: {
        std::optional<bool> b = v ? boolean(*v) : std::nullopt;
        r.fields[row.cairn] = core::Value(v && (b ? *b : text_of(*v) == "1"));
        break;
      }
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

}  // namespace

const json* at_path(const json& j, const std::string& path) {
  auto v = path_in(Nl{&j}, path);
  return v ? v->j : nullptr;
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

core::PsaRecord decode(const Mapping& m, core::SyncEntity entity, const json& wire) {
  return decode_view(m, entity, Nl{&wire});
}

struct PageDecoder::Parser {
  simdjson::dom::parser parser;
};

PageDecoder::PageDecoder() : parser_(std::make_unique<Parser>()) {}
PageDecoder::~PageDecoder() = default;

std::optional<size_t> PageDecoder::decode(const Mapping& m, core::SyncEntity entity, const std::string& body,
                                          const std::function<void(core::PsaRecord)>& each) {
  simdjson::dom::element page;
  simdjson::dom::array records;
  if (parser_->parser.parse(body).get(page) != simdjson::SUCCESS || page.get_array().get(records) != simdjson::SUCCESS)
    return std::nullopt;
  size_t n = 0;
  Members members;
  for (simdjson::dom::element wire : records) {
    ++n;
    members.list.clear();
    simdjson::dom::object object;
    if (wire.get_object().get(object) != simdjson::SUCCESS) {
      each(decode_view(m, entity, Sd{wire}));
      continue;
    }
    for (auto field : object) members.list.emplace_back(field.key, field.value);
    each(decode_view(m, entity, Sd{wire, &members}));
  }
  return n;
}

}  // namespace cairn::psa
