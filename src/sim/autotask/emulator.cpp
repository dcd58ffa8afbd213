#include "sim/autotask/emulator.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/url_encode.h"
#include "sim/autotask/assumptions.h"
#include "sim/autotask/entities.h"
#include "sim/autotask/query_filter.h"
#include "sim/autotask/seed.h"
#include "sim/autotask/threshold_latency.h"
#include "sim/crypto.h"
#include "sim/webhook_sender.h"

namespace cairn::sim::autotask {

using nlohmann::json;

namespace {

constexpr std::string_view kRoot = "/atservicesrest/v1.0";

std::string replace(std::string text, std::string_view key, const std::string& value) {
  const auto p = text.find(key);
  if (p != std::string::npos) text.replace(p, key.size(), value);
  return text;
}

void reply_text(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

void reply(httplib::Response& res, int status, const json& body) { reply_text(res, status, body.dump()); }

// Autotask's error body (§2.7).
void at_error(httplib::Response& res, int status, std::string_view message) {
  reply(res, status, json{{"errors", json::array({std::string(message)})}});
}

void wrong_verb(httplib::Response& res, const std::string& method) {
  at_error(res, 405, replace(std::string(assumed::kWrongVerbMessage), "{method}", method));
}

bool parse_id(std::string_view s, std::int64_t& id) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return ec == std::errc() && p == s.data() + s.size() && id >= 0;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t j = std::min(path.find('/', i), path.size());
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

using core::url_encode;

// Autotask escapes & < > ' " \ ` + and non-ASCII as \uXXXX inside JSON strings before signing
// (§2.8); receivers verify against these exact bytes.
std::string autotask_json(const json& j) {
  const std::string dumped = j.dump(-1, ' ', /*ensure_ascii=*/true);
  std::string out;
  out.reserve(dumped.size() + 16);
  auto u = [&out](unsigned c) {
    static const char* hexd = "0123456789abcdef";
    out += "\\u00";
    out += hexd[(c >> 4) & 15];
    out += hexd[c & 15];
  };
  for (std::size_t k = 0; k < dumped.size(); ++k) {
    const char c = dumped[k];
    if (c == '\\' && k + 1 < dumped.size()) {
      const char n = dumped[k + 1];
      if (n == '"' || n == '\\') {
        u(static_cast<unsigned char>(n));
      } else {
        out += c;
        out += n;
      }
      ++k;
    } else if (c == '&' || c == '<' || c == '>' || c == '\'' || c == '`' || c == '+') {
      u(static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

// A write refused the way Autotask refuses it: HTTP status and one message.
struct Refusal {
  int status = 500;
  std::string message;
};

}  // namespace

struct AutotaskEmulator::Impl {
  Options options;
  Tables tables;
  std::unordered_map<std::string, std::int64_t> next_id;
  mutable std::mutex mu;  // tables, next_id, cursors, sequence
  std::string base_url;
  WebhookSender sender;
  std::int64_t sequence = 0;

  // Cursor URL (paging+search text) -> the verbs that started its query, "POST GET " (T6).
  std::unordered_map<std::string, std::string> cursors;
  std::deque<std::string> cursor_order;

  std::mutex limits_mu;
  std::deque<Timestamp> hourly;  // when each counted request arrived (sim clock)
  std::unordered_map<std::string, int> in_flight;  // integration code + endpoint -> count
  int hourly_limit = 10000;
  int thread_limit = 3;
  int delay_ms = 0;
  int threshold_latency_max_ms = 1000;
  int last_threshold_latency_ms = 0;  // what the latest counted request was held for (T5)

  SimClock* clock = nullptr;

  Table& table(const EntityDef& e) { return tables.by_entity[e.name]; }

  std::int64_t allocate_id(const EntityDef& e) {
    auto& t = table(e);
    auto it = next_id.find(e.name);
    if (it == next_id.end()) it = next_id.emplace(e.name, t.empty() ? 1 : t.rbegin()->first + 1).first;
    return it->second++;
  }

  std::string api_root() const { return base_url + std::string(kRoot); }

  // --- limits ---------------------------------------------------------------------------------

  // Counts the request against the hourly budget; the message when it is spent. On success,
  // latency_ms is the threshold latency the request is to be held for (T5).
  std::optional<std::string> take_hourly(Timestamp now, int& latency_ms) {
    std::lock_guard lock(limits_mu);
    while (!hourly.empty() && hourly.front() <= now - 3600) hourly.pop_front();
    if (static_cast<int>(hourly.size()) >= hourly_limit)
      return replace(std::string(assumed::kHourlyThresholdMessage), "{limit}", std::to_string(hourly_limit));
    hourly.push_back(now);
    latency_ms = threshold_latency_ms(static_cast<int>(hourly.size()), hourly_limit, threshold_latency_max_ms);
    last_threshold_latency_ms = latency_ms;
    return std::nullopt;
  }
  int hourly_count(Timestamp now) {
    std::lock_guard lock(limits_mu);
    while (!hourly.empty() && hourly.front() <= now - 3600) hourly.pop_front();
    return static_cast<int>(hourly.size());
  }

  // --- validation and writes --------------------------------------------------------------------

  std::optional<Refusal> check_value(const EntityDef& e, const FieldDef& f, const json& v,
                                     const json& record) const {
    if (v.is_null()) return std::nullopt;
    auto bad = [&](const char* what) {
      return Refusal{500, "Unable to convert the value of field " + f.name + " on " + e.entity_type + " to " + what +
                              ": " + v.dump() + "."};
    };
    switch (f.type) {
      case FieldType::String:
        if (!v.is_string()) return bad("a string");
        break;
      case FieldType::Integer:
        if (!v.is_number_integer()) return bad("an integer");
        break;
      case FieldType::Boolean:
        if (!v.is_boolean()) return bad("a boolean");
        break;
      case FieldType::Double:
        if (!v.is_number()) return bad("a number");
        break;
      case FieldType::DateTime:
        if (!v.is_string() || !parse_utc_millis(v.get<std::string>())) return bad("a datetime");
        break;
    }
    if (f.picklist) {
      const auto& list = f.name == "companyType" ? tables.company_types : tables.classifications;
      if (!list.count(v.get<std::int64_t>()))
        return Refusal{500, "Value " + v.dump() + " is not a valid picklist value for field " + f.name + "."};
    }
    if (!f.reference.empty()) {
      const auto* target = find_entity(f.reference);
      const auto& t = tables.by_entity.at(target->name);
      if (!t.count(v.get<std::int64_t>()))
        return Refusal{500, "The " + target->entity_type + " referenced by " + f.name + " (" + v.dump() +
                                ") does not exist."};
      // A contact's or CI's location must belong to the record's own company.
      if (f.name == "companyLocationID" && record.contains("companyID") &&
          t.at(v.get<std::int64_t>())["companyID"] != record["companyID"])
        return Refusal{500, "The CompanyLocation " + v.dump() + " does not belong to company " +
                                record["companyID"].dump() + "."};
    }
    if (f.name == "isActive" && e.name == "Contacts" && v != 0 && v != 1)
      return Refusal{500, "Contact isActive must be 1 or 0."};
    return std::nullopt;
  }

  // The record after applying body: replace=true (PUT, create) clears writable fields left out.
  std::variant<json, Refusal> merge(const EntityDef& e, const json& old, const json& body, bool replace_all) const {
    json r = old;
    if (replace_all)
      for (const auto& f : e.fields)
        if (!f.read_only) r[f.name] = nullptr;
    std::vector<std::string> touched;
    for (auto it = body.begin(); it != body.end(); ++it) {
      const FieldDef* f = find_field(e, it.key());
      if (!f || f->read_only) continue;  // T10
      r[f->name] = it.value();
      touched.push_back(f->name);
    }
    for (const auto& f : e.fields) {
      if (f.read_only) continue;
      // A PATCH is judged on the fields it sets: a stored record the PSA let through earlier
      // (a seeded contact without a last name) stays patchable.
      if (!replace_all && std::find(touched.begin(), touched.end(), f.name) == touched.end()) continue;
      if (auto bad = check_value(e, f, r[f.name], r)) return *bad;
      if (f.required && (r[f.name].is_null() || (r[f.name].is_string() && r[f.name].get<std::string>().empty())))
        return Refusal{500, "The field " + f.name + " is required on " + e.entity_type + "."};
    }
    return r;
  }

  json fresh(const EntityDef& e) const {
    json r = json::object();
    for (const auto& f : e.fields) r[f.name] = nullptr;
    return r;
  }

  void defaults(const EntityDef& e, json& body) const {
    // Fields Autotask fills when a create leaves them out.
    auto fill = [&](const char* name, json v) {
      bool present = false;
      for (auto it = body.begin(); it != body.end(); ++it)
        if (iequals(it.key(), name)) present = true;
      if (!present) body[name] = std::move(v);
    };
    if (e.name == "Companies") fill("isActive", true);
    if (e.name == "CompanyLocations") {
      fill("isActive", true);
      fill("isPrimary", false);
    }
    if (e.name == "ConfigurationItemTypes" || e.name == "Products") fill("isActive", true);
    if (e.name == "Contacts") fill("primaryContact", 0);
  }

  struct Change {
    const EntityDef* entity = nullptr;
    std::string action;  // Create, Update, Delete
    json before, after;
  };

  std::variant<std::int64_t, Refusal> create(const EntityDef& e, json body, std::int64_t person,
                                             std::vector<Change>& changes) {
    if (!body.is_object()) return Refusal{500, "The request body must be a JSON object."};
    defaults(e, body);
    auto merged = merge(e, fresh(e), body, true);
    if (auto* r = std::get_if<Refusal>(&merged)) return *r;
    json rec = std::get<json>(std::move(merged));
    const std::int64_t id = allocate_id(e);
    rec["id"] = id;
    const std::string now = format_utc(clock->now());
    if (rec.contains("createDate")) rec["createDate"] = now;
    if (rec.contains("createdByResourceID")) rec["createdByResourceID"] = person;
    for (const auto& m : e.modified_fields) rec[m] = now;
    if (e.name.ends_with("Webhooks")) {
      rec["isReady"] = true;
      rec["webhookGUID"] = uuid4();
      rec["ownerResourceID"] = person;
    }
    table(e)[id] = rec;
    changes.push_back({&e, "Create", nullptr, rec});
    return id;
  }

  std::variant<std::int64_t, Refusal> update(const EntityDef& e, const json& body, bool replace_all,
                                             std::optional<std::int64_t> parent_id, std::vector<Change>& changes) {
    if (!body.is_object()) return Refusal{500, "The request body must be a JSON object."};
    const json* idv = nullptr;
    for (auto it = body.begin(); it != body.end(); ++it)
      if (iequals(it.key(), "id")) idv = &it.value();
    if (!idv || !idv->is_number_integer()) return Refusal{500, "The id field is required to update an entity."};
    const std::int64_t id = idv->get<std::int64_t>();
    auto& t = table(e);
    auto it = t.find(id);
    if (it == t.end() || (parent_id && it->second[e.parent_field] != *parent_id))
      return Refusal{500, std::string(assumed::kNoMatchMessage)};
    json b = body;
    if (parent_id) b[e.parent_field] = *parent_id;
    auto merged = merge(e, it->second, b, replace_all);
    if (auto* r = std::get_if<Refusal>(&merged)) return *r;
    json rec = std::get<json>(std::move(merged));
    const std::string now = format_utc(clock->now());
    for (const auto& m : e.modified_fields) rec[m] = now;
    changes.push_back({&e, "Update", it->second, rec});
    it->second = std::move(rec);
    return id;
  }

  std::variant<std::int64_t, Refusal> remove(const EntityDef& e, std::int64_t id, std::optional<std::int64_t> parent_id,
                                             std::vector<Change>& changes) {
    auto& t = table(e);
    auto it = t.find(id);
    if (it == t.end() || (parent_id && it->second[e.parent_field] != *parent_id))
      return Refusal{500, std::string(assumed::kNoMatchMessage)};
    changes.push_back({&e, "Delete", it->second, nullptr});
    t.erase(it);
    // References to the removed record are cleared so the records pointing at it stay writable.
    const std::string name = e.name;
    for (const auto& other : entity_defs())
      for (const auto& f : other.fields)
        if (f.reference == name)
          for (auto& [rid, rec] : table(other))
            if (rec[f.name] == id) {
              if (f.required) continue;
              rec[f.name] = nullptr;
            }
    for (const auto& child : entity_defs()) {  // a webhook's Fields, UdfFields, ExcludedResources go with it
      if (child.parent != e.name || child.parent_field != "webhookID") continue;
      auto& ct = table(child);
      for (auto f = ct.begin(); f != ct.end();) f = f->second["webhookID"] == id ? ct.erase(f) : std::next(f);
    }
    return id;
  }

  // --- webhooks ---------------------------------------------------------------------------------

  // Builds the callouts for changes (under mu) to be sent after it is released.
  std::vector<Delivery> callouts(const std::vector<Change>& changes, std::int64_t person) {
    std::vector<Delivery> out;
    for (const auto& c : changes) {
      if (c.entity->webhook_entity.empty()) continue;
      const EntityDef* hooks = find_entity(c.entity->webhook_entity);
      const EntityDef* fields_def = find_child(*hooks, "Fields");
      const EntityDef* udf_def = find_child(*hooks, "UdfFields");
      const EntityDef* excluded_def = find_child(*hooks, "ExcludedResources");
      const json& current = c.action == "Delete" ? c.before : c.after;
      for (const auto& [hid, hook] : table(*hooks)) {
        if (hook["isActive"] != true) continue;
        const char* flag = c.action == "Create"   ? "isSubscribedToCreateEvents"
                           : c.action == "Update" ? "isSubscribedToUpdateEvents"
                                                  : "isSubscribedToDeleteEvents";
        if (hook[flag] != true) continue;
        std::vector<const FieldDef*> subscribed, always;
        bool any = false;
        for (const auto& [fid, f] : table(*fields_def)) {
          if (f["webhookID"] != hid) continue;
          any = true;
          const int pos = f["fieldID"].is_number_integer() ? f["fieldID"].get<int>() : 0;
          if (pos < 1 || pos > static_cast<int>(c.entity->fields.size())) continue;
          const FieldDef* fd = &c.entity->fields[static_cast<std::size_t>(pos - 1)];
          if (f["isSubscribedField"] == true) subscribed.push_back(fd);
          if (f["isDisplayAlwaysField"] == true) always.push_back(fd);
        }
        for (const auto& [uid, u] : table(*udf_def))
          if (u["webhookID"] == hid) any = true;
        if (!any) continue;  // T14: at least one field subscription
        bool excluded = false;  // T14: changes by an excluded resource fire nothing
        for (const auto& [xid, x] : table(*excluded_def))
          if (x["webhookID"] == hid && x["resourceID"] == person) excluded = true;
        if (excluded) continue;
        json fields = json::object();
        bool changed = false;
        for (const auto* fd : subscribed) {
          const bool differs = c.action != "Update" || c.before[fd->name] != c.after[fd->name];
          if (differs) {
            fields[fd->name] = current[fd->name];
            changed = true;
          }
        }
        if (c.action == "Update" && !changed) continue;
        for (const auto* fd : always) fields[fd->name] = current[fd->name];
        json payload = {{"Action", c.action},
                        {"Guid", hook["webhookGUID"]},
                        {"EntityType", c.entity->entity_type},
                        {"Id", current["id"]},
                        {"Fields", fields},
                        {"EventTime", format_utc(clock->now())},
                        {"SequenceNumber", ++sequence},
                        {"PersonID", person}};
        Delivery d;
        d.url = hook["webhookUrl"].get<std::string>();
        d.body = autotask_json(payload);
        const std::string secret = hook["secretKey"].is_string() ? hook["secretKey"].get<std::string>() : "";
        d.headers.emplace_back("X-Hook-Signature", "sha1=" + base64(hmac_sha1(secret, d.body)));
        out.push_back(std::move(d));
      }
    }
    return out;
  }

  void send(std::vector<Delivery> ds) {
    for (auto& d : ds)
      if (d.url.rfind("http://", 0) == 0 || d.url.rfind("https://", 0) == 0) sender.enqueue(std::move(d));
  }

  // --- queries ----------------------------------------------------------------------------------

  ParseOptions parse_options(const EntityDef& e) const {
    ParseOptions o;
    o.entity_name = e.entity_type;
    o.is_known_field = [&e](std::string_view f) { return find_field(e, f) != nullptr; };
    return o;
  }

  // One page: records with id > start_after matching q, up to q.max_records.
  // The page's JSON text. Records are written straight from the table (no copy of each into a
  // page document): that copy was the emulator's main cost (bench/sim).
  std::string page(const EntityDef& e, const Query& q, const json& search, std::int64_t start_after,
                   const std::vector<std::int64_t>& previous, const std::string& verb, std::optional<std::int64_t> parent) {
    const auto& t = table(e);
    std::string items = "[";
    std::size_t count = 0;
    std::int64_t last = start_after;
    bool more = false;
    for (auto it = t.upper_bound(start_after); it != t.end(); ++it) {
      if (parent && it->second[e.parent_field] != *parent) continue;
      if (!q.filter.matches(it->second)) continue;
      if (static_cast<int>(count) == q.max_records) {
        more = true;
        break;
      }
      if (count++) items += ',';
      items += q.include_fields.empty() ? it->second.dump() : project_include_fields(it->second, q.include_fields).dump();
      last = it->first;
    }
    items += ']';
    auto cursor_url = [&](const std::vector<std::int64_t>& prev, std::int64_t next) {
      json paging = {{"pageSize", q.max_records}, {"previousIds", prev}, {"nextIds", json::array({next})}};
      const std::string key = paging.dump() + "&" + search.dump();
      auto& verbs = cursors[key];
      if (verbs.find(verb) == std::string::npos) verbs += verb + " ";
      if (verbs.size() == verb.size() + 1) {
        cursor_order.push_back(key);
        if (cursor_order.size() > 10000) {
          cursors.erase(cursor_order.front());
          cursor_order.pop_front();
        }
      }
      return api_root() + "/" + e.name + "/query/next?paging=" + url_encode(paging.dump()) +
             "&search=" + url_encode(search.dump());
    };
    json next = nullptr, prev = nullptr;
    if (more && !parent) {
      auto p = previous;
      p.push_back(start_after);
      next = cursor_url(p, last);
    }
    if (!previous.empty() && !parent) {
      auto p = previous;
      const std::int64_t back = p.back();
      p.pop_back();
      prev = cursor_url(p, back);
    }
    const json details = {{"count", count}, {"requestCount", q.max_records}, {"prevPageUrl", prev}, {"nextPageUrl", next}};
    return "{\"items\":" + items + ",\"pageDetails\":" + details.dump() + "}";
  }

  std::size_t count(const EntityDef& e, const Query& q) {
    std::size_t n = 0;
    for (const auto& [id, r] : table(e))
      if (q.filter.matches(r)) ++n;
    return n;
  }

  // --- routes -----------------------------------------------------------------------------------

  void entity_information(const EntityDef& e, const std::vector<std::string>& rest, httplib::Response& res) {
    if (rest.empty()) {
      return reply(res, 200,
                   {{"info",
                     {{"name", e.entity_type},
                      {"canCreate", e.can_create},
                      {"canDelete", e.can_delete},
                      {"canQuery", true},
                      {"canUpdate", e.can_update},
                      {"userAccessForCreate", e.can_create ? "All" : "None"},
                      {"userAccessForDelete", e.can_delete ? "All" : "None"},
                      {"userAccessForQuery", "All"},
                      {"userAccessForUpdate", e.can_update ? "All" : "None"},
                      {"hasUserDefinedFields", false},
                      {"supportsWebhookCallouts", !e.webhook_entity.empty()}}}});
    }
    if (rest.size() == 1 && iequals(rest[0], "userDefinedFields")) return reply(res, 200, {{"fields", json::array()}});
    if (rest.size() != 1 || !iequals(rest[0], "fields")) return at_error(res, 404, assumed::kNotFoundMessage);
    json fields = json::array();
    for (const auto& f : e.fields) {
      static const char* const kTypes[] = {"string", "integer", "boolean", "datetime", "double"};
      json values = json::array();
      if (f.picklist) {
        const auto& list = f.name == "companyType" ? tables.company_types : tables.classifications;
        int order = 0;
        for (const auto& [v, label] : list)
          values.push_back({{"value", std::to_string(v)},
                            {"label", label},
                            {"isDefaultValue", f.name == "companyType" && v == tables.default_company_type},
                            {"sortOrder", order++},
                            {"parentValue", ""},
                            {"isActive", true},
                            {"isSystem", false}});
      }
      fields.push_back({{"name", f.name},
                        {"dataType", kTypes[static_cast<int>(f.type)]},
                        {"length", f.type == FieldType::String ? 100 : 0},
                        {"isRequired", f.required},
                        {"isReadOnly", f.read_only},
                        {"isQueryable", true},
                        {"isReference", !f.reference.empty()},
                        {"referenceEntityType", f.reference.empty() ? "" : find_entity(f.reference)->entity_type},
                        {"isPickList", f.picklist},
                        {"picklistValues", f.picklist ? values : json(nullptr)},
                        {"picklistParentValueField", ""},
                        {"isSupportedWebhookField", !e.webhook_entity.empty()}});
    }
    reply(res, 200, {{"fields", fields}});
  }

  // /{E}/query[...] : rest is what follows "query".
  void query_route(const EntityDef& e, const std::vector<std::string>& rest, const httplib::Request& req,
                   httplib::Response& res) {
    const std::string& m = req.method;
    if (m != "GET" && m != "POST") return wrong_verb(res, m);
    const bool is_count = rest.size() == 1 && iequals(rest[0], "count");
    const bool is_next = rest.size() == 1 && iequals(rest[0], "next");
    if (!rest.empty() && !is_count && !is_next) return at_error(res, 404, assumed::kNotFoundMessage);
    std::string search_text = req.has_param("search") ? req.get_param_value("search") : "";
    std::int64_t start_after = -1;
    std::vector<std::int64_t> previous;
    int page_size = 0;
    if (is_next) {
      const std::string paging_text = req.get_param_value("paging");
      auto paging = json::parse(paging_text, nullptr, false);
      if (paging.is_discarded() || !paging.is_object() || !paging.contains("nextIds") ||
          !paging["nextIds"].is_array() || paging["nextIds"].size() != 1 || !paging["nextIds"][0].is_number_integer())
        return at_error(res, 500, "The paging parameter is not valid.");
      start_after = paging["nextIds"][0].get<std::int64_t>();
      if (paging.contains("previousIds") && paging["previousIds"].is_array())
        for (const auto& p : paging["previousIds"])
          if (p.is_number_integer()) previous.push_back(p.get<std::int64_t>());
      if (paging.contains("pageSize") && paging["pageSize"].is_number_integer())
        page_size = paging["pageSize"].get<int>();
      auto search = json::parse(search_text, nullptr, false);
      const std::string key = paging.dump() + "&" + (search.is_discarded() ? search_text : search.dump());
      std::lock_guard lock(mu);
      auto it = cursors.find(key);
      if (it != cursors.end() && it->second.find(m) == std::string::npos) return wrong_verb(res, m);
    }
    if (m == "POST" && !req.body.empty()) {
      if (is_next && !search_text.empty()) {
        auto a = json::parse(search_text, nullptr, false), b = json::parse(req.body, nullptr, false);
        if (a != b) return at_error(res, 500, "The query body does not match the paging cursor's search.");
      }
      search_text = req.body;
    }
    if (search_text.empty()) return at_error(res, 500, "A query (search) with a filter is required.");
    auto parsed = parse_query_text(search_text, parse_options(e));
    if (auto* err = std::get_if<QueryError>(&parsed)) return at_error(res, 500, err->message);
    Query q = std::get<Query>(std::move(parsed));
    if (page_size > 0) q.max_records = std::min(page_size, 500);
    const json search = json::parse(search_text);
    std::lock_guard lock(mu);
    if (is_count) return reply(res, 200, {{"queryCount", count(e, q)}});
    reply_text(res, 200, page(e, q, search, start_after, previous, m, std::nullopt));
  }

  void get_one(const EntityDef& e, std::int64_t id, std::optional<std::int64_t> parent, httplib::Response& res) {
    std::lock_guard lock(mu);
    const auto& t = table(e);
    auto it = t.find(id);
    if (it == t.end() || (parent && it->second[e.parent_field] != *parent)) return reply(res, 200, {{"item", nullptr}});
    reply(res, 200, {{"item", it->second}});
  }

  void write(httplib::Response& res, const std::function<std::variant<std::int64_t, Refusal>(std::vector<Change>&)>& op,
             std::int64_t person) {
    std::vector<Delivery> out;
    std::variant<std::int64_t, Refusal> r;
    {
      std::lock_guard lock(mu);
      std::vector<Change> changes;
      r = op(changes);
      out = callouts(changes, person);
    }
    send(std::move(out));
    if (auto* refusal = std::get_if<Refusal>(&r)) return at_error(res, refusal->status, refusal->message);
    reply(res, 200, {{"itemId", std::get<std::int64_t>(r)}});
  }

  json parse_body(const httplib::Request& req, httplib::Response& res, bool& ok) {
    auto j = json::parse(req.body, nullptr, false);
    ok = !j.is_discarded() && j.is_object();
    if (!ok) at_error(res, 500, "The request body is not a valid JSON object.");
    return j;
  }

  void api(const std::vector<std::string>& seg, const httplib::Request& req, httplib::Response& res) {
    const std::string& m = req.method;
    const std::int64_t person = tables.api_resource_id;
    if (iequals(seg[0], "ThresholdInformation") && seg.size() == 1) {
      if (m != "GET") return wrong_verb(res, m);
      return reply(res, 200,
                   {{"externalRequestThreshold", hourly_limit},
                    {"requestThresholdTimeframe", 60},
                    {"currentTimeframeRequestCount", hourly_count(clock->now())}});
    }
    const EntityDef* e = find_entity(seg[0]);
    if (!e) return at_error(res, 404, assumed::kNotFoundMessage);
    if (seg.size() == 1) {
      if (m != "POST" && m != "PATCH" && m != "PUT") return wrong_verb(res, m);
      // Child entities are written through their parent's URL (T13).
      if (!e->parent.empty()) return wrong_verb(res, m);
      if (m == "POST" ? !e->can_create : !e->can_update) return wrong_verb(res, m);
      bool ok = false;
      json body = parse_body(req, res, ok);
      if (!ok) return;
      if (m == "POST")
        return write(res, [&](std::vector<Change>& c) { return create(*e, body, person, c); }, person);
      return write(res, [&](std::vector<Change>& c) { return update(*e, body, m == "PUT", std::nullopt, c); }, person);
    }
    if (iequals(seg[1], "query")) return query_route(*e, {seg.begin() + 2, seg.end()}, req, res);
    if (iequals(seg[1], "entityInformation")) {
      if (m != "GET") return wrong_verb(res, m);
      return entity_information(*e, {seg.begin() + 2, seg.end()}, res);
    }
    std::int64_t id = 0;
    if (!parse_id(seg[1], id)) return at_error(res, 404, assumed::kNotFoundMessage);
    if (seg.size() == 2) {
      if (m == "GET") return get_one(*e, id, std::nullopt, res);
      if (m == "DELETE") {
        if (!e->can_delete || !e->parent.empty()) return wrong_verb(res, m);
        return write(res, [&](std::vector<Change>& c) { return remove(*e, id, std::nullopt, c); }, person);
      }
      return wrong_verb(res, m);
    }
    // /{Parent}/{id}/{Sub}[/{childId}]
    const EntityDef* child = find_child(*e, seg[2]);
    if (!child || seg.size() > 4) return at_error(res, 404, assumed::kNotFoundMessage);
    {
      std::lock_guard lock(mu);
      if (!table(*e).count(id)) {
        if (m == "GET" && seg.size() == 4) return reply(res, 200, {{"item", nullptr}});
        return at_error(res, 500, std::string(assumed::kNoMatchMessage));
      }
    }
    if (seg.size() == 4) {
      std::int64_t cid = 0;
      if (!parse_id(seg[3], cid)) return at_error(res, 404, assumed::kNotFoundMessage);
      if (m == "GET") return get_one(*child, cid, id, res);
      if (m == "DELETE") return write(res, [&](std::vector<Change>& c) { return remove(*child, cid, id, c); }, person);
      return wrong_verb(res, m);
    }
    if (m == "GET") {
      Query all;
      std::lock_guard lock(mu);
      return reply_text(res, 200, page(*child, all, json::object(), -1, {}, m, id));
    }
    if (m != "POST" && m != "PATCH" && m != "PUT") return wrong_verb(res, m);
    bool ok = false;
    json body = parse_body(req, res, ok);
    if (!ok) return;
    if (m == "POST") {
      for (auto it = body.begin(); it != body.end(); ++it)
        if (iequals(it.key(), child->parent_field) && it.value() != id)
          return at_error(res, 500, child->parent_field + " must match the parent id in the URL.");
      body[child->parent_field] = id;
      return write(res, [&](std::vector<Change>& c) { return create(*child, body, person, c); }, person);
    }
    return write(res, [&](std::vector<Change>& c) { return update(*child, body, m == "PUT", id, c); }, person);
  }
};

// RAII slot of the thread limit.
namespace {
class Slot {
 public:
  Slot(std::mutex& mu, std::unordered_map<std::string, int>& counts, std::string key, int limit)
      : mu_(mu), counts_(counts), key_(std::move(key)) {
    std::lock_guard lock(mu_);
    int& n = counts_[key_];
    if (n >= limit) return;
    ++n;
    held_ = true;
  }
  ~Slot() {
    if (!held_) return;
    std::lock_guard lock(mu_);
    --counts_[key_];
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  bool held() const { return held_; }

 private:
  std::mutex& mu_;
  std::unordered_map<std::string, int>& counts_;
  std::string key_;
  bool held_ = false;
};
}  // namespace

AutotaskEmulator::AutotaskEmulator(World world, Options options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  impl_->options = options_;
  impl_->tables = seed_tables(world, options_.username, options_.own_company_name);
  impl_->hourly_limit = options_.hourly_request_limit;
  impl_->thread_limit = options_.thread_limit;
  impl_->delay_ms = options_.request_delay_ms;
  impl_->threshold_latency_max_ms = options_.threshold_latency_ms;
  impl_->clock = &clock();
}

AutotaskEmulator::~AutotaskEmulator() = default;

void AutotaskEmulator::set_base_url(const std::string& base_url) { impl_->base_url = base_url; }

std::string AutotaskEmulator::zone_url() const { return impl_->base_url + "/atservicesrest/"; }

int AutotaskEmulator::webhook_field_id(const std::string& entity, const std::string& field) {
  const EntityDef* e = find_entity(entity);
  if (!e) return 0;
  for (std::size_t k = 0; k < e->fields.size(); ++k)
    if (iequals(e->fields[k].name, field)) return static_cast<int>(k) + 1;
  return 0;
}

std::string AutotaskEmulator::ready_json() const {
  json j = {{"kind", kind()},
            {"base_url", impl_->base_url},
            {"api_url", impl_->api_root()},
            {"zone_url", zone_url()},
            {"zone_information_url", impl_->api_root() + "/zoneInformation?user=" + url_encode(options_.username)},
            {"username", options_.username},
            {"secret", options_.secret},
            {"integration_code", options_.integration_code},
            {"admin_url", impl_->base_url + "/__sim"}};
  return j.dump();
}

void AutotaskEmulator::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string& path = req.path;
  if (path.size() < kRoot.size() || !iequals(std::string_view(path).substr(0, kRoot.size()), kRoot) ||
      (path.size() > kRoot.size() && path[kRoot.size()] != '/'))
    return at_error(res, 404, assumed::kNotFoundMessage);
  const auto seg = split_path(std::string_view(path).substr(kRoot.size()));
  if (seg.empty()) return at_error(res, 404, assumed::kNotFoundMessage);

  // Unauthenticated discovery (§2.1), exempt from the limits.
  if (seg.size() == 1 && iequals(seg[0], "zoneInformation")) {
    if (req.method != "GET") return wrong_verb(res, req.method);
    const std::string user = req.get_param_value("user");
    if (user.empty() || !iequals(user, options_.username))
      return at_error(res, 500, "Zone information could not be determined for user '" + user + "'.");
    return reply(res, 200,
                 {{"zoneName", options_.zone_name}, {"url", zone_url()}, {"webUrl", options_.web_url}, {"ci", options_.ci}});
  }
  if (seg.size() == 1 && iequals(seg[0], "versionInformation")) return reply(res, 200, {{"apiVersions", {"1.0"}}});

  // Header auth with Autotask's quirks (§2.2): bad user or integration code 500, bad secret 401.
  const std::string user = req.get_header_value("UserName");
  const std::string secret = req.get_header_value("Secret");
  const std::string code = req.get_header_value("ApiIntegrationCode");
  if (user.empty() || secret.empty()) return at_error(res, 401, assumed::kUnauthorizedMessage);
  if (!iequals(user, options_.username) || code != options_.integration_code)
    return at_error(res, 500, assumed::kBadUserMessage);
  if (secret != options_.secret) return at_error(res, 401, assumed::kUnauthorizedMessage);

  int threshold_delay = 0;
  if (auto over = impl_->take_hourly(clock().now(), threshold_delay))
    return at_error(res, assumed::kThresholdStatus, *over);
  int limit = 0, delay = 0;
  {
    std::lock_guard lock(impl_->limits_mu);
    limit = impl_->thread_limit;
    delay = impl_->delay_ms;
  }
  std::string endpoint = seg[0];
  for (char& c : endpoint) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Slot slot(impl_->limits_mu, impl_->in_flight, code + "|" + endpoint, limit);
  if (!slot.held())
    return at_error(res, assumed::kThresholdStatus,
                    replace(std::string(assumed::kThreadThresholdMessage), "{limit}", std::to_string(limit)));
  if (delay + threshold_delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay + threshold_delay));
  impl_->api(seg, req, res);
}

void AutotaskEmulator::write_throttled(httplib::Response& res, int) {
  at_error(res, assumed::kThresholdStatus,
           replace(std::string(assumed::kHourlyThresholdMessage), "{limit}", std::to_string(impl_->hourly_limit)));
}

void AutotaskEmulator::write_server_error(httplib::Response& res) {
  at_error(res, 500, assumed::kServerErrorMessage);
}

AdminResult AutotaskEmulator::admin_create(const std::string& entity, const std::string& body) {
  const EntityDef* e = find_entity(entity);
  if (!e) return {404, json{{"error", "unknown Autotask entity " + entity}}.dump()};
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  httplib::Response res;
  // A PSA user in the UI: the first Resource (T15).
  const std::int64_t person = impl_->tables.by_entity["Resources"].begin()->first;
  impl_->write(res, [&](std::vector<Impl::Change>& c) { return impl_->create(*e, j, person, c); }, person);
  return {res.status == 200 ? 201 : res.status, res.body};
}

AdminResult AutotaskEmulator::admin_update(const std::string& entity, std::int64_t id, const std::string& body) {
  const EntityDef* e = find_entity(entity);
  if (!e) return {404, json{{"error", "unknown Autotask entity " + entity}}.dump()};
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  j["id"] = id;
  httplib::Response res;
  const std::int64_t person = impl_->tables.by_entity["Resources"].begin()->first;
  impl_->write(res, [&](std::vector<Impl::Change>& c) { return impl_->update(*e, j, false, std::nullopt, c); }, person);
  return {res.status, res.body};
}

AdminResult AutotaskEmulator::admin_delete(const std::string& entity, std::int64_t id) {
  const EntityDef* e = find_entity(entity);
  if (!e) return {404, json{{"error", "unknown Autotask entity " + entity}}.dump()};
  httplib::Response res;
  const std::int64_t person = impl_->tables.by_entity["Resources"].begin()->first;
  impl_->write(res, [&](std::vector<Impl::Change>& c) { return impl_->remove(*e, id, std::nullopt, c); }, person);
  return {res.status, res.body};
}

std::string AutotaskEmulator::admin_status() const {
  json counts = json::object();
  {
    std::lock_guard lock(impl_->mu);
    for (const auto& [name, t] : impl_->tables.by_entity) counts[name] = t.size();
  }
  std::lock_guard lock(impl_->limits_mu);
  return json{{"records", counts},
              {"hourly_request_limit", impl_->hourly_limit},
              {"thread_limit", impl_->thread_limit},
              {"request_delay_ms", impl_->delay_ms},
              {"threshold_latency_ms", impl_->threshold_latency_max_ms}}
      .dump();
}

bool AutotaskEmulator::admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) {
  if (sub_path == "/webhooks/deliveries") {
    if (req.method != "GET") {
      reply(res, 405, {{"error", "use GET"}});
      return true;
    }
    const int wait_ms = std::atoi(req.get_param_value("wait_ms").c_str());
    if (wait_ms > 0) impl_->sender.wait_idle(std::min(wait_ms, 30000));
    json list = json::array();
    for (const auto& d : impl_->sender.recent())
      list.push_back({{"url", d.url}, {"status", d.status}, {"error", d.error}, {"body", d.body}});
    reply(res, 200, {{"deliveries", list}});
    return true;
  }
  if (sub_path == "/limits") {
    if (req.method == "PATCH" || req.method == "PUT" || req.method == "POST") {
      auto j = json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        reply(res, 400, {{"error", "the body must be a JSON object"}});
        return true;
      }
      std::lock_guard lock(impl_->limits_mu);
      for (const auto& [key, target] : {std::pair<const char*, int*>{"hourly_request_limit", &impl_->hourly_limit},
                                        {"thread_limit", &impl_->thread_limit},
                                        {"request_delay_ms", &impl_->delay_ms},
                                        {"threshold_latency_ms", &impl_->threshold_latency_max_ms}}) {
        if (!j.contains(key)) continue;
        if (!j[key].is_number_integer() || j[key].get<std::int64_t>() < 0 || j[key].get<std::int64_t>() > 100000000) {
          reply(res, 400, {{"error", std::string(key) + " must be an integer from 0 to 100000000"}});
          return true;
        }
        *target = j[key].get<int>();
      }
      if (j.value("reset_hourly_count", false)) impl_->hourly.clear();
    } else if (req.method != "GET") {
      reply(res, 405, {{"error", "use GET or PATCH"}});
      return true;
    }
    std::lock_guard lock(impl_->limits_mu);
    reply(res, 200,
          {{"hourly_request_limit", impl_->hourly_limit},
           {"thread_limit", impl_->thread_limit},
           {"request_delay_ms", impl_->delay_ms},
           {"threshold_latency_ms", impl_->threshold_latency_max_ms},
           {"current_hourly_count", impl_->hourly.size()},
           {"last_threshold_latency_ms", impl_->last_threshold_latency_ms}});
    return true;
  }
  return false;
}

void AutotaskEmulator::shutdown() { impl_->sender.wait_idle(2000); }

}  // namespace cairn::sim::autotask
