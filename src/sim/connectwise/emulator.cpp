#include "sim/connectwise/emulator.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <list>
#include <mutex>
#include <numeric>
#include <span>
#include <unordered_map>

#include "core/json_writer.h"
#include "sim/connectwise/assumptions.h"
#include "sim/connectwise/callbacks.h"
#include "sim/connectwise/list_query.h"
#include "sim/connectwise/patch.h"
#include "sim/connectwise/store.h"
#include "sim/connectwise/wire.h"
#include "sim/crypto.h"
#include "sim/webhook_sender.h"

namespace cairn::sim::connectwise {

using nlohmann::json;

namespace {

constexpr std::string_view kApiPath = "apis/3.0";

// ConnectWise's error body: {code, message[, errors[]]}.
void cw_error(httplib::Response& res, int status, std::string_view code, const std::string& message,
              const Errors* errors = nullptr, const char* resource = nullptr) {
  json j = {{"code", code}, {"message", message}};
  if (errors && !errors->empty()) {
    json list = json::array();
    for (const auto& e : *errors)
      list.push_back({{"code", e.code}, {"message", e.message}, {"resource", resource ? resource : ""}, {"field", e.field}});
    j["errors"] = std::move(list);
  }
  res.status = status;
  res.set_content(j.dump(), "application/json; charset=utf-8");
}

void not_found_route(httplib::Response& res) {
  cw_error(res, assumed::kUnknownRouteStatus, "ConnectWiseApi", "The endpoint does not exist.");
}

bool parse_id(std::string_view s, Id& id) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return ec == std::errc() && p == s.data() + s.size() && id > 0;
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

bool ci_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Who makes a change: the API member through the API, or a PSA user through the admin path.
struct Actor {
  std::string identifier;
  bool api = false;
};

struct Outcome {
  int status = 200;
  std::string body;  // JSON; empty for 204
  Errors errors;     // 400 InvalidObject when non-empty
  std::string error_code;  // NotFound / InvalidObject / ...
  std::string error_message;
  const char* resource = nullptr;
};

// Per-type hooks around the generic create/update/delete.
template <typename R>
void on_create(R&, Store&) {}
template <typename R>
void after_create(R&, Store&, const Actor&, Timestamp) {}
template <typename R>
void on_delete(Store&, Id) {}

void on_create(Company& c, Store& s) {
  // ConnectWise fills the default status and type when a company is created without them.
  if (!c.status_id)
    for (const auto& st : s.company_statuses.rows())
      if (st.default_flag) c.status_id = st.id;
  if (c.type_ids.empty())
    for (const auto& t : s.company_types.rows())
      if (t.default_flag) c.type_ids.push_back(t.id);
}
void on_create(Configuration& c, Store& s) {
  if (!c.status_id)
    for (const auto& st : s.configuration_statuses.rows())
      if (st.default_flag) c.status_id = st.id;
}
void assign_item_ids(Contact& c, Store& s) {
  for (auto& item : c.communication_items)
    if (item.id <= 0) item.id = s.next_communication_item_id++;
}
void on_create(Contact& c, Store& s) { assign_item_ids(c, s); }

// A company created through the API gets its primary site from its address, as ConnectWise does.
void after_create(Company& c, Store& s, const Actor& actor, Timestamp now) {
  if (c.site_id) return;
  Site site;
  site.company_id = c.id;
  site.name = "Main";
  site.address_line1 = c.address_line1;
  site.address_line2 = c.address_line2;
  site.city = c.city;
  site.zip = c.zip;
  site.country_id = c.country_id;
  site.phone_number = c.phone_number;
  site.fax_number = c.fax_number;
  site.primary_address_flag = true;
  site.info = {now, now, actor.identifier, actor.identifier};
  const Id site_id = s.sites.add(std::move(site)).id;
  s.companies.find(c.id)->site_id = site_id;
  c.site_id = site_id;
}

// References to a removed record are cleared, so other records stay writable.
void on_delete_contact(Store& s, Id id) {
  for (auto& c : s.configurations.rows())
    if (c.contact_id == id) c.contact_id = 0;
  for (auto& c : s.companies.rows())
    if (c.default_contact_id == id) c.default_contact_id = 0;
}
void on_delete_site(Store& s, Id id) {
  for (auto& c : s.configurations.rows())
    if (c.site_id == id) c.site_id = 0;
  for (auto& c : s.contacts.rows())
    if (c.site_id == id) c.site_id = 0;
  for (auto& c : s.companies.rows())
    if (c.site_id == id) c.site_id = 0;
}
template <>
void on_delete<Contact>(Store& s, Id id) { on_delete_contact(s, id); }
template <>
void on_delete<Site>(Store& s, Id id) { on_delete_site(s, id); }

Change change_of(const Company& c) {
  Change ch;
  ch.company_id = c.id;
  ch.company_status_id = c.status_id;
  ch.company_type_ids = c.type_ids;
  return ch;
}
template <typename R>
Change change_of(const R& r) {
  Change ch;
  ch.company_id = Wire<R>::company_of(r);
  return ch;
}

}  // namespace

struct ConnectWiseEmulator::Impl {
  Options opt;
  SimClock& clock;
  Store store;
  std::string base_url;
  std::string host;  // host:port, for FromUrl and companyinfo's SiteUrl
  WebhookSender sender;

  // Matching rows of recent filtered or sorted queries, in answer order, so paging through one
  // query with page=1..N scans the table once, not N times (like a database's cursor).
  struct CachedMatches {
    std::string key;
    std::uint64_t generation = 0;
    std::shared_ptr<const std::vector<std::uint32_t>> rows;
  };
  std::mutex cache_mu;
  std::list<CachedMatches> cache;  // most recent first
  static constexpr std::size_t kCacheEntries = 16;

  std::shared_ptr<const std::vector<std::uint32_t>> cached(const std::string& key, std::uint64_t generation) {
    std::lock_guard lock(cache_mu);
    for (auto it = cache.begin(); it != cache.end(); ++it)
      if (it->key == key && it->generation == generation) {
        cache.splice(cache.begin(), cache, it);
        return cache.front().rows;
      }
    return nullptr;
  }
  void remember(std::string key, std::uint64_t generation, std::shared_ptr<const std::vector<std::uint32_t>> rows) {
    std::lock_guard lock(cache_mu);
    cache.remove_if([&](const CachedMatches& c) { return c.key == key; });
    cache.push_front({std::move(key), generation, std::move(rows)});
    if (cache.size() > kCacheEntries) cache.pop_back();
  }

  // The rows of each company's sites, ascending, for the store's generation: a real PSA answers
  // /company/companies/{id}/sites from an index. Scanning every site for each company cost the
  // emulator O(companies x sites) over a sync (two thirds of its CPU on those lists at 40,000 sites),
  // and it shares the machine with the sync it serves.
  using RowsByCompany = std::unordered_map<Id, std::vector<std::uint32_t>>;
  std::shared_ptr<const RowsByCompany> site_rows;
  std::uint64_t site_rows_generation = 0;
  // Call with store.mu held (shared is enough: the rows do not change under it).
  std::shared_ptr<const RowsByCompany> sites_by_company() {
    std::lock_guard lock(cache_mu);
    if (!site_rows || site_rows_generation != store.generation) {
      auto by = std::make_shared<RowsByCompany>();
      const auto& rows = store.sites.rows();
      for (std::size_t i = 0; i < rows.size(); ++i) (*by)[rows[i].company_id].push_back(static_cast<std::uint32_t>(i));
      site_rows = std::move(by);
      site_rows_generation = store.generation;
    }
    return site_rows;
  }

  Impl(Options o, SimClock& c) : opt(std::move(o)), clock(c) {}

  std::string api_root() const { return base_url + "/" + opt.codebase + std::string(kApiPath); }
  std::string key_url(Id callback_id) const {
    return base_url + "/" + opt.codebase + "/system/callbackkey/index.rails?companyName=" +
           httplib::detail::encode_query_param(opt.company_id) + "&id=" + std::to_string(callback_id);
  }

  template <typename R>
  std::string render(const R& r) const {
    std::string s;
    core::JsonWriter w(s);
    Wire<R>::write(w, r, store);
    return s;
  }

  // Callers hold the store lock (shared or exclusive).
  void notify(Change change, const std::string& type, const std::string& action, Id id, std::string entity_json,
              const Actor& actor) {
    if (type.empty()) return;
    change.type = type;
    change.action = action;
    change.id = id;
    change.entity_json = std::move(entity_json);
    change.by_api_member = actor.api;
    for (const Callback& cb : store.callbacks.rows()) {
      if (!callback_wants(cb, change)) continue;
      const Member* m = store.members.find(cb.member_id);
      PayloadContext ctx{host, opt.company_id, m ? m->identifier : "", key_url(cb.id)};
      Delivery d;
      d.url = cb.url;
      d.body = callback_payload(cb, change, ctx, uuid4());
      d.headers.emplace_back("x-content-signature", callback_signature(cb.signing_key, d.body));
      sender.enqueue(std::move(d));
    }
  }

  // ----- generic writes, shared by the API and the admin path ---------------------------------

  template <typename R>
  Outcome create(const json& body, const Actor& actor, Id parent_company) {
    Outcome out;
    out.resource = Wire<R>::resource;
    std::unique_lock lock(store.mu);
    R r{};
    Wire<R>::read(body, r, store, out.errors);
    if constexpr (std::is_same_v<R, Site>) {
      if (parent_company) r.company_id = parent_company;
    }
    if constexpr (std::is_same_v<R, Callback>) {
      r.member_id = actor.api ? store.api_member_id : store.user_member_id;
      r.signing_key = random_hex(16);
      r.connectwise_id = uuid4();
    }
    on_create(r, store);
    Wire<R>::check(r, store, out.errors);
    if (!out.errors.empty()) return invalid(out);
    const Timestamp now = clock.now();
    r.info = {now, now, actor.identifier, actor.identifier};
    ++store.generation;
    R& added = Wire<R>::table(store).add(std::move(r));
    const Id id = added.id;
    after_create(added, store, actor, now);
    const R& saved = *Wire<R>::table(store).find(id);
    out.status = assumed::kCreatedStatus;
    out.body = render(saved);
    notify(change_of(saved), Wire<R>::callback_type, "added", id, out.body, actor);
    return out;
  }

  // full: the whole new record as JSON (PUT body, or the old one with a PATCH applied).
  template <typename R>
  Outcome update(Id id, const std::function<std::variant<json, std::string>(const json& current)>& next_json,
                 const Actor& actor, Id parent_company) {
    Outcome out;
    out.resource = Wire<R>::resource;
    std::unique_lock lock(store.mu);
    R* cur = Wire<R>::table(store).find(id);
    if (!cur || !in_parent(*cur, parent_company)) return not_found<R>(out, id);
    auto full = next_json(json::parse(render(*cur)));
    if (auto* err = std::get_if<std::string>(&full)) {
      out.errors.push_back({"InvalidField", *err, ""});
      return invalid(out);
    }
    const json& j = std::get<json>(full);
    if (!j.is_object()) {
      out.errors.push_back({"InvalidField", "The body must be a JSON object.", ""});
      return invalid(out);
    }
    R next{};
    next.id = id;
    Wire<R>::read(j, next, store, out.errors);
    Wire<R>::keep(*cur, next, actor.api);
    if constexpr (std::is_same_v<R, Contact>) assign_item_ids(next, store);
    Wire<R>::check(next, store, out.errors);
    if (!out.errors.empty()) return invalid(out);
    next.info = cur->info;
    next.info.updated = clock.now();
    next.info.updated_by = actor.identifier;
    ++store.generation;
    *cur = std::move(next);
    Wire<R>::table(store).refresh(*cur);
    out.body = render(*cur);
    notify(change_of(*cur), Wire<R>::callback_type, "updated", id, out.body, actor);
    return out;
  }

  template <typename R>
  Outcome remove(Id id, const Actor& actor, Id parent_company) {
    Outcome out;
    out.resource = Wire<R>::resource;
    std::unique_lock lock(store.mu);
    R* cur = Wire<R>::table(store).find(id);
    if (!cur || !in_parent(*cur, parent_company)) return not_found<R>(out, id);
    Change ch = change_of(*cur);
    ++store.generation;
    if constexpr (std::is_same_v<R, Company>) {
      // Companies are only marked deleted (assumptions.h A10).
      const Timestamp now = clock.now();
      cur->deleted_flag = true;
      cur->date_deleted = now;
      cur->deleted_by = actor.identifier;
      cur->info.updated = now;
      cur->info.updated_by = actor.identifier;
      store.companies.refresh(*cur);
    } else {
      Wire<R>::table(store).erase(id);
      on_delete<R>(store, id);
    }
    out.status = 204;
    notify(std::move(ch), Wire<R>::callback_type, "deleted", id, "", actor);
    return out;
  }

  template <typename R>
  static bool in_parent(const R& r, Id parent_company) {
    if constexpr (std::is_same_v<R, Site>) return !parent_company || r.company_id == parent_company;
    (void)r;
    (void)parent_company;
    return true;
  }
  template <typename R>
  static Outcome& not_found(Outcome& out, Id id) {
    out.status = 404;
    out.error_code = "NotFound";
    out.error_message = std::string(Wire<R>::noun) + " " + std::to_string(id) + " not found";
    return out;
  }
  static Outcome& invalid(Outcome& out) {
    out.status = 400;
    out.error_code = "InvalidObject";
    out.error_message = std::string(out.resource) + " object is invalid";
    return out;
  }

  static void reply(httplib::Response& res, const Outcome& out) {
    if (!out.error_code.empty())
      return cw_error(res, out.status, out.error_code, out.error_message, &out.errors, out.resource);
    res.status = out.status;
    if (!out.body.empty()) res.set_content(out.body, "application/json; charset=utf-8");
  }

  // ----- reads ---------------------------------------------------------------------------------

  template <typename R>
  void list(const httplib::Request& req, httplib::Response& res, const std::string& collection_path, Id parent,
            bool count_only) {
    QueryInput in;
    in.conditions = req.get_param_value("conditions");
    in.child_conditions = req.get_param_value("childConditions");
    in.custom_field_conditions = req.get_param_value("customFieldConditions");
    in.order_by = req.get_param_value("orderBy");
    in.fields = req.get_param_value("fields");
    in.page = req.get_param_value("page");
    in.page_size = req.get_param_value("pageSize");
    in.page_id = req.get_param_value("pageId");
    in.forward_only_header = ci_equal(req.get_header_value(std::string(assumed::kPaginationHeader)),
                                      assumed::kForwardOnly);
    auto parsed = parse_list_query(in);
    if (auto* err = std::get_if<std::string>(&parsed)) {
      Errors errors;
      return cw_error(res, 400, "InvalidObject", *err, &errors);
    }
    const ListQuery& q = std::get<ListQuery>(parsed);

    // Bind the fast terms to this record type; a term on a field the struct cannot answer is
    // left to the full evaluator.
    struct Bound {
      const FastTerm* term;
      int kind;  // 0 id, 1 lastUpdated, 2 field
    };
    std::vector<Bound> bound;
    bool fast_complete = q.fast.complete;
    for (const FastTerm& t : q.fast.terms) {
      if (t.path == "id") bound.push_back({&t, 0});
      else if (t.path == "lastupdated") bound.push_back({&t, 1});
      else {
        const FastValue probe = Wire<R>::fast(R{}, t.path);
        const bool type_ok =
            (probe.kind == FastValue::Kind::Bool) == (t.literal == FastTerm::Literal::Boolean);
        if (probe.kind != FastValue::Kind::Unsupported && type_ok) bound.push_back({&t, 2});
        else fast_complete = false;
      }
    }
    auto fast_ok = [&](const R& r) {
      for (const Bound& b : bound) {
        std::int64_t v;
        if (b.kind == 0) v = r.id;
        else if (b.kind == 1) {
          if (!r.info.updated) return false;
          v = r.info.updated * 1000;
        } else {
          const FastValue fv = Wire<R>::fast(r, b.term->path);
          if (fv.kind != FastValue::Kind::Int && fv.kind != FastValue::Kind::Bool) return false;  // missing
          v = fv.value;
        }
        if (!compare_fast(b.term->op, v, b.term->values)) return false;
      }
      return true;
    };
    const bool need_condition_json = (q.has_conditions && !fast_complete) || q.has_child_conditions;
    const bool need_sort_json = !q.order_by_id;
    // Terms on id and lastUpdated only: the table's columns answer them without reading records.
    const bool columns_only = std::all_of(bound.begin(), bound.end(), [](const Bound& b) { return b.kind != 2; });

    std::shared_lock lock(store.mu);
    const Table<R>& table = Wire<R>::table(store);
    const auto& rows = table.rows();
    const std::size_t begin = q.page_id ? table.first_after(*q.page_id) : 0;
    const bool scoped = std::is_same_v<R, Site> && parent;
    const bool filtered = q.has_conditions || q.has_child_conditions || scoped || q.has_custom_field_conditions;
    const std::size_t size = static_cast<std::size_t>(q.page_size);
    const std::size_t first = q.forward_only ? 0 : static_cast<std::size_t>(q.page - 1) * size;

    auto matches = [&](std::size_t i, json* doc_out) {
      if (columns_only && !bound.empty()) {
        for (const Bound& b : bound) {
          std::int64_t v;
          if (b.kind == 0) v = table.id_at(i);
          else {
            const Timestamp u = table.updated_at(i);
            if (!u) return false;
            v = u * 1000;
          }
          if (!compare_fast(b.term->op, v, b.term->values)) return false;
        }
      }
      const R& r = rows[i];
      if constexpr (std::is_same_v<R, Site>) {
        if (parent && r.company_id != parent) return false;
      }
      if (!columns_only && !fast_ok(r)) return false;
      if (!need_condition_json && !need_sort_json) return true;
      json doc = json::parse(render(r));
      if (need_condition_json) {
        if (q.has_conditions && !q.conditions.matches(doc)) return false;
        if (q.has_child_conditions && !q.child_conditions.matches(doc)) return false;
      }
      if (doc_out) *doc_out = std::move(doc);
      return true;
    };

    // The rows a match may be among, from `begin` on, in table order or its reverse; f returns
    // false to stop. A company's sites come from their index instead of a scan of every site.
    std::shared_ptr<const RowsByCompany> by_company;
    const std::vector<std::uint32_t>* company_rows = nullptr;
    if constexpr (std::is_same_v<R, Site>) {
      if (scoped) {
        static const std::vector<std::uint32_t> kNone;
        by_company = sites_by_company();
        auto it = by_company->find(parent);
        company_rows = it != by_company->end() ? &it->second : &kNone;
      }
    }
    auto scan = [&](bool descending, auto&& f) {
      if (company_rows) {
        auto lo = std::lower_bound(company_rows->begin(), company_rows->end(), begin);
        if (!descending) {
          for (auto it = lo; it != company_rows->end(); ++it)
            if (!f(std::size_t{*it})) return;
        } else {
          for (auto it = company_rows->end(); it != lo;)
            if (!f(std::size_t{*--it})) return;
        }
        return;
      }
      for (std::size_t n = begin; n < rows.size(); ++n)
        if (!f(descending ? rows.size() - 1 - (n - begin) : n)) return;
    };

    // The answer's rows: page[k] is the (first + k)-th match. `total` counts every match (for
    // rel="last" and /count); forward-only needs only to know whether one more follows.
    std::vector<std::uint32_t> page;
    std::size_t total = 0;
    if (!filtered && !need_sort_json) {
      total = rows.size() - begin;
      for (std::size_t k = first; k < std::min(total, first + size); ++k)
        page.push_back(static_cast<std::uint32_t>(q.descending ? rows.size() - 1 - k : begin + k));
    } else if (q.has_custom_field_conditions) {
      // No record has custom fields (assumptions.h A17): nothing matches.
    } else if (q.forward_only && !need_sort_json) {
      // Stops at the first match past the page: enough to know a next page exists.
      const std::size_t stop = count_only ? static_cast<std::size_t>(-1) : size + 1;
      scan(false, [&](std::size_t i) {
        if (!matches(i, nullptr)) return true;
        if (total < size) page.push_back(static_cast<std::uint32_t>(i));
        return ++total < stop;
      });
    } else {
      const std::string key = std::string(Wire<R>::resource) + '\n' + std::to_string(parent) + '\n' +
                              in.conditions + '\n' + in.child_conditions + '\n' + in.order_by + '\n' + in.page_id;
      auto all = cached(key, store.generation);
      if (!all) {
        auto idx = std::make_shared<std::vector<std::uint32_t>>();
        if (!need_sort_json) {
          scan(q.descending, [&](std::size_t i) {
            if (matches(i, nullptr)) idx->push_back(static_cast<std::uint32_t>(i));
            return true;
          });
        } else {
          std::vector<std::uint32_t> found;
          std::vector<json> docs;
          scan(false, [&](std::size_t i) {
            json doc;
            if (!matches(i, &doc)) return true;
            found.push_back(static_cast<std::uint32_t>(i));
            docs.push_back(std::move(doc));
            return true;
          });
          std::vector<std::uint32_t> perm(found.size());
          std::iota(perm.begin(), perm.end(), 0u);
          std::stable_sort(perm.begin(), perm.end(),
                           [&](std::uint32_t a, std::uint32_t b) { return q.order_by.compare(docs[a], docs[b]) < 0; });
          idx->reserve(found.size());
          for (auto k : perm) idx->push_back(found[k]);
        }
        all = idx;
        remember(key, store.generation, all);
      }
      total = all->size();
      for (std::size_t k = first; k < std::min(total, first + size); ++k) page.push_back((*all)[k]);
    }
    if (count_only) {
      res.set_content(json{{"count", total}}.dump(), "application/json; charset=utf-8");
      return;
    }
    const std::size_t last = first + page.size();  // exclusive
    auto at = [&](std::size_t k) -> const R& { return rows[page[k - first]]; };

    std::string body;
    body.reserve(first < last ? (last - first) * 1200 : 2);
    core::JsonWriter w(body);
    w.begin_array();
    for (std::size_t k = first; k < last; ++k) {
      const R& r = at(k);
      if (q.fields.keeps_everything()) {
        Wire<R>::write(w, r, store);
      } else {
        w.raw(q.fields(std::string_view(render(r))));
      }
    }
    w.end_array();

    // Link header (psa-apis.md §1.5).
    std::string link;
    auto add_link = [&](const std::string& key, const std::string& value, const char* rel) {
      std::string url = api_root() + collection_path + "?";
      bool any = false;
      for (const auto& [k, v] : req.params) {
        if (k == "page" || k == "pageId" || k == "pageSize") continue;
        url += (any ? "&" : "") + k + "=" + httplib::detail::encode_query_param(v);
        any = true;
      }
      url += (any ? "&" : "") + std::string("pageSize=") + std::to_string(size) + "&" + key + "=" + value;
      if (!link.empty()) link += ", ";
      link += "<" + url + ">; rel=\"" + rel + "\"";
    };
    if (q.forward_only) {
      if (last < total) add_link("pageId", std::to_string(at(last - 1).id), "next");
    } else {
      const std::size_t pages = std::max<std::size_t>(1, (total + size - 1) / size);
      const auto page = static_cast<std::size_t>(q.page);
      if (page > 1) {
        add_link("page", "1", "first");
        add_link("page", std::to_string(std::min(page - 1, pages)), "prev");
      }
      if (page < pages) {
        add_link("page", std::to_string(page + 1), "next");
        add_link("page", std::to_string(pages), "last");
      }
    }
    if (!link.empty()) res.set_header("Link", link);
    if (q.forward_only) res.set_header(std::string(assumed::kPaginationHeader), std::string(assumed::kForwardOnly));
    res.set_content(std::move(body), "application/json; charset=utf-8");
  }

  template <typename R>
  void get_one(httplib::Response& res, Id id, Id parent, const httplib::Request& req) {
    std::string fields_text = req.get_param_value("fields");
    FieldSelection fields;
    if (!fields_text.empty()) {
      auto f = parse_fields(fields_text);
      if (auto* e = std::get_if<ConditionError>(&f)) return cw_error(res, 400, "InvalidObject", "fields: " + e->message);
      fields = std::get<FieldSelection>(f);
    }
    std::shared_lock lock(store.mu);
    const R* r = Wire<R>::table(store).find(id);
    if (!r || !in_parent(*r, parent)) {
      Outcome out;
      return reply(res, not_found<R>(out, id));
    }
    std::string body = render(*r);
    if (!fields.keeps_everything()) body = fields(std::string_view(body));
    res.set_content(std::move(body), "application/json; charset=utf-8");
  }

  // One collection: [] list/create, ["count"], [id] get/put/patch/delete.
  template <typename R>
  void collection(const httplib::Request& req, httplib::Response& res, std::span<const std::string> rest,
                  const std::string& collection_path, bool writable, Id parent = 0) {
    const std::string& m = req.method;
    const Actor actor{opt.api_member, true};
    if (rest.empty()) {
      if (m == "GET") return list<R>(req, res, collection_path, parent, false);
      if (m == "POST" && writable) {
        auto body = json::parse(req.body, nullptr, false);
        if (body.is_discarded() || !body.is_object())
          return cw_error(res, 400, "InvalidObject", "The request body must be a JSON object.");
        return reply(res, create<R>(body, actor, parent));
      }
      return not_found_route(res);
    }
    if (rest.size() != 1) return not_found_route(res);
    if (rest[0] == "count") {
      if (m == "GET") return list<R>(req, res, collection_path, parent, true);
      return not_found_route(res);
    }
    Id id = 0;
    if (!parse_id(rest[0], id)) return not_found_route(res);
    if (m == "GET") return get_one<R>(res, id, parent, req);
    if (!writable) return not_found_route(res);
    if (m == "DELETE") return reply(res, remove<R>(id, actor, parent));
    if (m == "PUT" || m == "PATCH") {
      auto body = json::parse(req.body, nullptr, false);
      if (body.is_discarded())
        return cw_error(res, 400, "InvalidObject", "The request body is not valid JSON.");
      if (m == "PUT")
        return reply(res, update<R>(
                              id, [&](const json&) -> std::variant<json, std::string> { return body; }, actor, parent));
      return reply(res, update<R>(
                            id,
                            [&](const json& current) -> std::variant<json, std::string> {
                              json doc = current;
                              if (auto err = apply_patch(doc, body); !err.empty()) return err;
                              return doc;
                            },
                            actor, parent));
    }
    return not_found_route(res);
  }

  void route(const httplib::Request& req, httplib::Response& res, const std::vector<std::string>& s) {
    auto rest = [&](std::size_t n) { return std::span<const std::string>(s).subspan(std::min(n, s.size())); };
    auto is = [&](std::size_t i, const char* v) { return s.size() > i && ci_equal(s[i], v); };
    if (is(0, "company")) {
      if (is(1, "companies")) {
        if (is(2, "types")) return collection<CompanyType>(req, res, rest(3), "/company/companies/types", true);
        if (is(2, "statuses")) return collection<CompanyStatus>(req, res, rest(3), "/company/companies/statuses", true);
        Id parent = 0;
        if (s.size() >= 4 && parse_id(s[2], parent) && is(3, "sites"))
          return collection<Site>(req, res, rest(4), "/company/companies/" + s[2] + "/sites", true, parent);
        return collection<Company>(req, res, rest(2), "/company/companies", true);
      }
      if (is(1, "configurations")) {
        if (is(2, "types")) return collection<ConfigurationType>(req, res, rest(3), "/company/configurations/types", true);
        if (is(2, "statuses"))
          return collection<ConfigurationStatus>(req, res, rest(3), "/company/configurations/statuses", true);
        return collection<Configuration>(req, res, rest(2), "/company/configurations", true);
      }
      if (is(1, "contacts")) {
        if (is(2, "types")) return collection<ContactType>(req, res, rest(3), "/company/contacts/types", true);
        return collection<Contact>(req, res, rest(2), "/company/contacts", true);
      }
      if (is(1, "communicationTypes"))
        return collection<CommunicationType>(req, res, rest(2), "/company/communicationTypes", false);
      if (is(1, "countries")) return collection<Country>(req, res, rest(2), "/company/countries", false);
      if (is(1, "states")) return collection<State>(req, res, rest(2), "/company/states", false);
    }
    if (is(0, "procurement") && is(1, "manufacturers"))
      return collection<Manufacturer>(req, res, rest(2), "/procurement/manufacturers", true);
    if (is(0, "system")) {
      if (is(1, "callbacks")) return collection<Callback>(req, res, rest(2), "/system/callbacks", true);
      if (is(1, "members")) return collection<Member>(req, res, rest(2), "/system/members", false);
      if (is(1, "info") && s.size() == 2 && req.method == "GET") {
        json j = {{"version", std::string(assumed::kVersionNumber)},
                  {"isCloud", false},
                  {"serverTimeZone", "Etc/UTC"},
                  {"licenseBits", json::array()},
                  {"cloudRegion", ""}};
        return res.set_content(j.dump(), "application/json; charset=utf-8");
      }
    }
    not_found_route(res);
  }

  // Basic base64(company+public:private) and the registered clientId (psa-apis.md §1.2).
  bool authorized(const httplib::Request& req, httplib::Response& res) const {
    const std::string auth = req.get_header_value("Authorization");
    const std::string want = opt.company_id + "+" + opt.public_key + ":" + opt.private_key;
    bool ok = false;
    if (auth.size() > 6 && ci_equal(std::string_view(auth).substr(0, 6), "Basic ")) {
      auto decoded = base64_decode(std::string_view(auth).substr(6));
      ok = decoded && *decoded == want;
    }
    if (!ok) {
      res.status = 401;
      res.set_content(std::string(assumed::kUnauthorizedBody), "application/json; charset=utf-8");
      return false;
    }
    const std::string client = req.get_header_value("clientId");
    if (client.empty() || !ci_equal(client, opt.client_id)) {
      cw_error(res, assumed::kClientIdStatus, "InvalidObject",
               client.empty() ? "A clientId header is required on every request (developer.connectwise.com)."
                              : "The clientId " + client.substr(0, 60) + " is not registered.");
      return false;
    }
    return true;
  }
};

ConnectWiseEmulator::ConnectWiseEmulator(World world, Options options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>(options_, clock())) {
  if (options_.codebase.empty() || options_.codebase.back() != '/') options_.codebase += '/';
  impl_->opt = options_;
  load_world(impl_->store, std::move(world), options_.api_member);
}

ConnectWiseEmulator::~ConnectWiseEmulator() = default;

void ConnectWiseEmulator::set_base_url(const std::string& base_url) {
  impl_->base_url = base_url;
  const auto scheme = base_url.find("://");
  impl_->host = scheme == std::string::npos ? base_url : base_url.substr(scheme + 3);
}

std::string ConnectWiseEmulator::api_root() const { return impl_->api_root(); }

std::string ConnectWiseEmulator::ready_json() const {
  json j = {{"kind", kind()},
            {"base_url", impl_->base_url},
            {"api_url", impl_->api_root()},
            {"site", impl_->host},
            {"codebase", options_.codebase},
            {"company_id", options_.company_id},
            {"public_key", options_.public_key},
            {"private_key", options_.private_key},
            {"client_id", options_.client_id},
            {"companyinfo_url", impl_->base_url + "/login/companyinfo/" + options_.company_id},
            {"admin_url", impl_->base_url + "/__sim"}};
  return j.dump();
}

void ConnectWiseEmulator::handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("api-current-version", std::string(assumed::kApiVersion));
  res.set_header("x-server-name", "cairn-psa-sim");
  res.set_header("x-cw-request-id", uuid4());
  const std::string& path = req.path;
  // Codebase discovery, unauthenticated (psa-apis.md §1.1).
  const std::string companyinfo = "/login/companyinfo/";
  if (path.rfind(companyinfo, 0) == 0 && req.method == "GET") {
    const std::string company = path.substr(companyinfo.size());
    if (!ci_equal(company, options_.company_id)) return res.set_content("null", "application/json; charset=utf-8");
    json j = {{"CompanyName", options_.company_name},
              {"Codebase", options_.codebase},
              {"VersionCode", "v" + std::string(assumed::kApiVersion)},
              {"VersionNumber", std::string(assumed::kVersionNumber)},
              {"CompanyID", options_.company_id},
              {"IsCloud", false},
              {"SiteUrl", impl_->host}};
    return res.set_content(j.dump(), "application/json; charset=utf-8");
  }
  const std::string root = "/" + options_.codebase;  // "/v4_6_release/"
  if (path.rfind(root, 0) != 0) return not_found_route(res);
  std::string_view rest = std::string_view(path).substr(root.size());
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);  // the key_url's "//"
  // The callback signing key (assumptions.h A13).
  if (rest == "system/callbackkey/index.rails" && req.method == "GET") {
    Id id = 0;
    if (!parse_id(req.get_param_value("id"), id)) return cw_error(res, 404, "NotFound", "Callback key not found");
    std::shared_lock lock(impl_->store.mu);
    const Callback* cb = impl_->store.callbacks.find(id);
    if (!cb) return cw_error(res, 404, "NotFound", "Callback " + std::to_string(id) + " not found");
    return res.set_content(json{{"signing_key", cb->signing_key}}.dump(), "application/json; charset=utf-8");
  }
  if (rest.substr(0, kApiPath.size()) != kApiPath ||
      (rest.size() > kApiPath.size() && rest[kApiPath.size()] != '/'))
    return not_found_route(res);
  if (!impl_->authorized(req, res)) return;
  impl_->route(req, res, split_path(rest.substr(kApiPath.size())));
}

void ConnectWiseEmulator::write_throttled(httplib::Response& res, int retry_after_seconds) {
  cw_error(res, 429, assumed::kThrottledCode,
           "Too many requests. Retry after " + std::to_string(retry_after_seconds) + " seconds.");
}

void ConnectWiseEmulator::write_server_error(httplib::Response& res) {
  cw_error(res, 500, assumed::kServerErrorCode, "An unexpected error occurred on the server (injected fault).");
}

namespace {

// Admin entity names: ConnectWise's collection names.
template <typename F>
bool with_entity(const std::string& entity, F&& f) {
  if (entity == "companies") return f(std::type_identity<Company>{}), true;
  if (entity == "companyTypes") return f(std::type_identity<CompanyType>{}), true;
  if (entity == "companyStatuses") return f(std::type_identity<CompanyStatus>{}), true;
  if (entity == "sites") return f(std::type_identity<Site>{}), true;
  if (entity == "contacts") return f(std::type_identity<Contact>{}), true;
  if (entity == "contactTypes") return f(std::type_identity<ContactType>{}), true;
  if (entity == "configurations") return f(std::type_identity<Configuration>{}), true;
  if (entity == "configurationTypes") return f(std::type_identity<ConfigurationType>{}), true;
  if (entity == "configurationStatuses") return f(std::type_identity<ConfigurationStatus>{}), true;
  if (entity == "manufacturers") return f(std::type_identity<Manufacturer>{}), true;
  return false;
}

const char* const kAdminEntities =
    "companies, companyTypes, companyStatuses, sites, contacts, contactTypes, configurations, configurationTypes, "
    "configurationStatuses, manufacturers";

AdminResult admin_result(const Outcome& out) {
  if (out.error_code.empty()) return {out.status, out.body};
  json j = {{"code", out.error_code}, {"message", out.error_message}};
  if (!out.errors.empty()) {
    j["errors"] = json::array();
    for (const auto& e : out.errors) j["errors"].push_back({{"code", e.code}, {"message", e.message}, {"field", e.field}});
  }
  return {out.status, j.dump()};
}

AdminResult unknown_entity(const std::string& entity) {
  return {404, json{{"error", "unknown entity \"" + entity + "\" (known: " + kAdminEntities + ")"}}.dump()};
}

}  // namespace

AdminResult ConnectWiseEmulator::admin_create(const std::string& entity, const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  const Actor actor{kUserMember, false};
  AdminResult r;
  if (!with_entity(entity, [&](auto t) { r = admin_result(impl_->create<typename decltype(t)::type>(j, actor, 0)); }))
    return unknown_entity(entity);
  return r;
}

AdminResult ConnectWiseEmulator::admin_update(const std::string& entity, std::int64_t id, const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  const Actor actor{kUserMember, false};
  AdminResult r;
  // The body holds the fields that change (a JSON merge patch over the record).
  auto merge = [&](const json& current) -> std::variant<json, std::string> {
    json doc = current;
    doc.merge_patch(j);
    return doc;
  };
  if (!with_entity(entity, [&](auto t) { r = admin_result(impl_->update<typename decltype(t)::type>(id, merge, actor, 0)); }))
    return unknown_entity(entity);
  return r;
}

AdminResult ConnectWiseEmulator::admin_delete(const std::string& entity, std::int64_t id) {
  const Actor actor{kUserMember, false};
  AdminResult r;
  if (!with_entity(entity, [&](auto t) { r = admin_result(impl_->remove<typename decltype(t)::type>(id, actor, 0)); }))
    return unknown_entity(entity);
  return r;
}

std::string ConnectWiseEmulator::admin_status() const {
  std::shared_lock lock(impl_->store.mu);
  const Store& s = impl_->store;
  json j = {{"companies", s.companies.size()},
            {"sites", s.sites.size()},
            {"contacts", s.contacts.size()},
            {"configurations", s.configurations.size()},
            {"manufacturers", s.manufacturers.size()},
            {"callbacks", s.callbacks.size()},
            {"api_url", impl_->api_root()}};
  return j.dump();
}

bool ConnectWiseEmulator::admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) {
  if (sub_path != "/callbacks/deliveries") return false;
  if (req.method == "GET") {
    const int wait_ms = std::atoi(req.get_param_value("wait_ms").c_str());
    if (wait_ms > 0) impl_->sender.wait_idle(std::min(wait_ms, 30000));
    json list = json::array();
    for (const auto& d : impl_->sender.recent())
      list.push_back({{"url", d.url}, {"status", d.status}, {"error", d.error}, {"body", d.body}});
    res.set_content(json{{"deliveries", list}}.dump(), "application/json");
    return true;
  }
  res.status = 405;
  res.set_content(json{{"error", "use GET"}}.dump(), "application/json");
  return true;
}

void ConnectWiseEmulator::shutdown() { impl_->sender.wait_idle(2000); }

}  // namespace cairn::sim::connectwise
