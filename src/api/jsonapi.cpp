#include "api/jsonapi.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "core/naming.h"
#include "core/time.h"

namespace cairn::api {

using core::Field;
using core::FieldType;

int http_status(core::ErrorKind k) {
  switch (k) {
    case core::ErrorKind::BadRequest: return 400;
    case core::ErrorKind::Unauthorized: return 401;
    case core::ErrorKind::Forbidden: return 403;
    case core::ErrorKind::NotFound: return 404;
    case core::ErrorKind::Conflict: return 409;
    case core::ErrorKind::TooLarge: return 413;
    case core::ErrorKind::Unsupported: return 415;
    case core::ErrorKind::Invalid: return 422;
  }
  return 500;
}

std::string error_document(const core::Error& e) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("errors").begin_array().begin_object();
  // IT Glue sends the status as a number; scripts written for it read it that way.
  w.key("status").value(http_status(e.kind));
  w.key("title").value(e.title);
  w.key("detail").value(e.detail);
  if (!e.pointer.empty()) w.key("source").begin_object().key("pointer").value(e.pointer).end_object();
  else if (!e.parameter.empty()) w.key("source").begin_object().key("parameter").value(e.parameter).end_object();
  w.end_object().end_array().end_object();
  return out;
}

std::string error_document(int status, const std::string& title, const std::string& detail) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("errors").begin_array().begin_object();
  w.key("status").value(status).key("title").value(title).key("detail").value(detail);
  w.end_object().end_array().end_object();
  return out;
}

namespace {
void write_value(core::JsonWriter& w, const Field& f, const core::Value& v) {
  if (v.is_null()) {
    if (f.type == FieldType::Rows) w.begin_array().end_array();
    else w.null();
    return;
  }
  if (v.is_int()) w.value(v.as_int());
  else if (v.is_bool()) w.value(v.as_bool());
  else if (v.is_string()) w.value(v.as_string());
  else if (v.is_rows()) {
    w.begin_array();
    for (const auto& row : v.as_rows()) {
      w.begin_object();
      for (const auto& cf : f.child->fields) {
        w.key(cf.api_name);
        write_value(w, cf, cf.index < row.size() ? row[cf.index] : core::Value());
      }
      w.end_object();
    }
    w.end_array();
  }
}
}  // namespace

void write_resource(core::JsonWriter& w, const core::EntitySchema& e, const store::Record& r) {
  w.begin_object();
  w.key("id").value(std::to_string(r.id));
  w.key("type").value(e.type);
  w.key("attributes").begin_object();
  for (const auto& f : e.fields) {
    if (f.hidden || f.internal) continue;
    w.key(f.api_name);
    write_value(w, f, r.values[f.index]);
  }
  w.end_object();
  w.end_object();
}

std::string resource_document(const core::EntitySchema& e, const store::Record& r) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data");
  write_resource(w, e, r);
  w.end_object();
  return out;
}

namespace {

const char* json_type_name(const nlohmann::json& j) { return j.type_name(); }

core::Result<core::Value> to_value(const Field& f, const nlohmann::json& j, const std::string& pointer) {
  auto wrong = [&](const std::string& expected) {
    return core::invalid(f.api_name + " must be " + expected + ", not " + json_type_name(j), pointer);
  };
  if (j.is_null()) return core::Value();
  switch (f.type) {
    case FieldType::Integer:
    case FieldType::Reference: {
      if (j.is_number_integer()) return core::Value(j.get<std::int64_t>());
      if (j.is_string()) {
        // PowerShell scripts often send ids as strings; IT Glue takes them.
        const auto& s = j.get_ref<const std::string&>();
        std::int64_t n = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), n);
        if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return core::Value(n);
      }
      return wrong("an integer");
    }
    case FieldType::Boolean:
      if (j.is_boolean()) return core::Value(j.get<bool>());
      if (j.is_string() && (j == "true" || j == "false")) return core::Value(j == "true");
      return wrong("true or false");
    case FieldType::Rows: {
      if (!j.is_array()) return wrong("an array");
      core::Rows rows;
      for (size_t i = 0; i < j.size(); ++i) {
        const auto& item = j[i];
        std::string at = pointer + "/" + std::to_string(i);
        if (!item.is_object()) return core::invalid(f.api_name + " items must be objects", at);
        core::Row row(f.child->fields.size());
        for (const auto& [k, v] : item.items()) {
          const Field* cf = f.child->field(k);
          if (!cf) {
            if (k == "formatted-value" || k == "formatted_value" || k == "id") continue;  // read-only in IT Glue
            return core::invalid("unknown attribute " + k + " in " + f.api_name, at + "/" + k);
          }
          auto cv = to_value(*cf, v, at + "/" + cf->api_name);
          if (!cv) return cv.error();
          row[cf->index] = std::move(cv.value());
        }
        rows.push_back(std::move(row));
      }
      return core::Value(std::move(rows));
    }
    default:
      if (j.is_string()) return core::Value(j.get<std::string>());
      return wrong("a string");
  }
}

}  // namespace

core::Result<store::Changes> parse_attributes(const core::EntitySchema& e, const nlohmann::json& attributes,
                                              const std::string& pointer) {
  store::Changes changes;
  if (!attributes.is_object()) return core::invalid("attributes must be an object", pointer);
  for (const auto& [k, v] : attributes.items()) {
    if (k == "id") continue;  // bulk updates name the record here; the caller reads it
    const Field* f = e.field(k);
    std::string at = pointer + "/" + core::kebab(k);
    if (!f) return core::invalid("unknown attribute " + k + " for " + e.type, at);
    if (!f->writable) continue;
    auto value = to_value(*f, v, at);
    if (!value) return value.error();
    changes.emplace_back(f, std::move(value.value()));
  }
  return changes;
}

namespace {

// Splits a filter value on commas; "\," is a literal comma (IT Glue's escape).
std::vector<std::string> split_values(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == ',') {
      out.back() += ',';
      ++i;
    } else if (s[i] == ',') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

const Field& id_field() {
  static const Field f = [] {
    Field x;
    x.name = "id";
    x.api_name = "id";
    x.column = "id";
    x.type = FieldType::Integer;
    x.filterable = x.sortable = true;
    return x;
  }();
  return f;
}

core::Result<std::int64_t> parse_int(const std::string& text, const std::string& param) {
  std::int64_t n = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size())
    return core::bad_request(param + " must be an integer, not \"" + text + "\"", param);
  return n;
}

core::Result<core::Value> filter_value(const Field& f, const std::string& text, const std::string& param) {
  if (text == "null") return core::Value();
  switch (f.type) {
    case FieldType::Integer:
    case FieldType::Reference: {
      auto n = parse_int(text, param);
      if (!n) return n.error();
      return core::Value(n.value());
    }
    case FieldType::Boolean:
      if (text == "true" || text == "1") return core::Value(true);
      if (text == "false" || text == "0") return core::Value(false);
      return core::bad_request(param + " must be true or false", param);
    default:
      return core::Value(text);
  }
}

}  // namespace

core::Result<store::ListQuery> parse_list_query(const core::EntitySchema& e,
                                                const std::multimap<std::string, std::string>& params) {
  store::ListQuery q;
  bool has_psa_id = false, has_psa_type = false;
  for (const auto& [name, value] : params) {
    if (name == "page[number]") {
      auto n = parse_int(value, name);
      if (!n) return n.error();
      if (n.value() < 1) return core::bad_request("page[number] must be 1 or more", name);
      q.page_number = n.value();
    } else if (name == "page[size]") {
      auto n = parse_int(value, name);
      if (!n) return n.error();
      if (n.value() < 1 || n.value() > 1000) return core::bad_request("page[size] must be between 1 and 1000", name);
      q.page_size = n.value();
    } else if (name == "sort") {
      for (const auto& item : split_values(value)) {
        bool desc = !item.empty() && item[0] == '-';
        std::string fname = desc ? item.substr(1) : item;
        const Field* f = fname == "id" ? &id_field() : e.field(fname);
        if (!f || !f->sortable)
          return core::bad_request("cannot sort " + e.type + " by \"" + fname + "\"", name);
        q.sort.push_back({f == &id_field() ? nullptr : f, desc});
      }
    } else if (name.rfind("filter[", 0) == 0 && name.back() == ']') {
      std::string inner = name.substr(7, name.size() - 8);
      store::Filter flt;
      if (inner.rfind("exclude][", 0) == 0) {
        inner = inner.substr(9);
        flt.op = store::Filter::Op::NotIn;
      }
      std::string fname = core::snake(inner);
      if (fname == "psa_integration_type") {
        fname = "psa_integration";
        has_psa_type = true;
      }
      if (fname == "psa_id") has_psa_id = true;
      const Field* f = fname == "id" ? &id_field() : e.field(fname);
      if (!f || !f->filterable) return core::bad_request("unknown filter " + name + " for " + e.type, name);
      flt.field = f;
      auto parts = split_values(value);
      if (f->type == FieldType::DateTime && flt.op == store::Filter::Op::In) {
        // "start,end" with * for an open end, as IT Glue takes created_at and updated_at.
        if (parts.size() != 2) return core::bad_request(name + " takes \"start,end\" (use * for an open end)", name);
        flt.op = store::Filter::Op::Range;
        for (int i = 0; i < 2; ++i) {
          if (parts[i] == "*" || parts[i].empty()) continue;
          auto t = core::normalize_datetime(parts[i]);
          if (!t) return core::bad_request(name + ": \"" + parts[i] + "\" is not an RFC 3339 date-time", name);
          (i == 0 ? flt.from : flt.to) = *t;
        }
      } else {
        for (const auto& p : parts) {
          auto v = filter_value(*f, p, name);
          if (!v) return v.error();
          flt.values.push_back(std::move(v.value()));
        }
      }
      q.filters.push_back(std::move(flt));
    }
    // Other parameters (include, fields) are accepted and ignored, as the data they ask for is
    // either always present or not offered.
  }
  if (has_psa_id != has_psa_type)
    return core::bad_request("filter[psa_id] and filter[psa_integration_type] must be given together",
                             has_psa_id ? "filter[psa_integration_type]" : "filter[psa_id]");
  return q;
}

}  // namespace cairn::api
