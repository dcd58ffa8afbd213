#include "sim/bms/emulator.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "sim/bms/assumptions.h"
#include "sim/bms/codec.h"
#include "sim/bms/json_patch.h"
#include "sim/bms/list_query.h"
#include "sim/bms/seed.h"
#include "sim/bms/wire.h"
#include "sim/crypto.h"

namespace cairn::sim::bms {

using nlohmann::json;

namespace {

enum class Entity { Account, Location, Contact, Asset };

// A refused operation: HTTP status and message (B1, B7).
struct Outcome {
  int status = 200;
  std::string message;
  Id id = 0;
};

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

bool parse_id(std::string_view s, Id& id) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return ec == std::errc() && p == s.data() + s.size() && id > 0;
}

// Filter keys (FilterSpec::key) per list.
enum Key { ModifiedFrom = 1, ModifiedTo, CreatedFrom, CreatedTo, Name, Code, IsActive, TypeIds, Ids, WithInactive,
           AccountIds, IsPoc, Email, FirstName, LastName, CategoryIds, Serial, Ip, AccountId, ContactId };

const std::vector<FilterSpec>& account_filters() {
  static const std::vector<FilterSpec> f = {
      {"Filter.ModifiedOnFrom", FilterKind::DateFrom, ModifiedFrom}, {"Filter.ModifiedOnTo", FilterKind::DateTo, ModifiedTo},
      {"Filter.CreatedOnFrom", FilterKind::DateFrom, CreatedFrom},   {"Filter.CreatedOnTo", FilterKind::DateTo, CreatedTo},
      {"Filter.AccountName", FilterKind::Text, Name},                {"Filter.AccountCode", FilterKind::Text, Code},
      {"Filter.IsActive", FilterKind::Bool, IsActive},               {"Filter.AccountTypeIds", FilterKind::IdList, TypeIds}};
  return f;
}
const std::vector<FilterSpec>& account_lookup_filters() {
  static const std::vector<FilterSpec> f = {{"Ids", FilterKind::IdList, Ids},
                                            {"Name", FilterKind::Text, Name},
                                            {"WithInactiveAccounts", FilterKind::Bool, WithInactive}};
  return f;
}
const std::vector<FilterSpec>& contact_filters() {
  static const std::vector<FilterSpec> f = {
      {"Filter.ModifiedOnFrom", FilterKind::DateFrom, ModifiedFrom}, {"Filter.ModifiedOnTo", FilterKind::DateTo, ModifiedTo},
      {"Filter.CreatedOnFrom", FilterKind::DateFrom, CreatedFrom},   {"Filter.CreatedOnTo", FilterKind::DateTo, CreatedTo},
      {"Filter.AccountIds", FilterKind::IdList, AccountIds},         {"Filter.IsActive", FilterKind::Bool, IsActive},
      {"Filter.IsPoc", FilterKind::Bool, IsPoc},                     {"Filter.EmailAddress", FilterKind::Text, Email},
      {"Filter.FirstName", FilterKind::Text, FirstName},             {"Filter.LastName", FilterKind::Text, LastName}};
  return f;
}
const std::vector<FilterSpec>& asset_filters() {
  static const std::vector<FilterSpec> f = {
      {"Filter.CategoryIds", FilterKind::IdList, CategoryIds}, {"Filter.AssetName", FilterKind::Text, Name},
      {"Filter.SerialNumber", FilterKind::Text, Serial},       {"Filter.IPAddress", FilterKind::Text, Ip},
      {"Filter.AccountId", FilterKind::Id, AccountId},         {"Filter.ContactId", FilterKind::Id, ContactId},
      {"Filter.IsActive", FilterKind::Bool, IsActive}};
  return f;
}

bool in(const std::vector<Id>& ids, Id id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

bool time_term(const FilterTerm& t, Timestamp modified, Timestamp created) {
  switch (t.spec->key) {
    case ModifiedFrom: return modified >= t.seconds;
    case ModifiedTo: return modified <= t.seconds;
    case CreatedFrom: return created >= t.seconds;
    case CreatedTo: return created <= t.seconds;
    default: return true;
  }
}

bool matches(const Account& a, const ListQuery& q) {
  for (const auto& t : q.terms) {
    switch (t.spec->key) {
      case Name: if (!contains_folded(a.name, t.text)) return false; break;
      case Code: if (!contains_folded(a.code, t.text)) return false; break;
      case IsActive: if (a.is_active != t.flag) return false; break;
      case TypeIds: if (!in(t.ids, a.type_id)) return false; break;
      case Ids: if (!in(t.ids, a.id)) return false; break;
      case WithInactive: break;
      default: if (!time_term(t, a.modified, a.created)) return false;
    }
  }
  return true;
}

bool matches(const Contact& c, const ListQuery& q) {
  for (const auto& t : q.terms) {
    switch (t.spec->key) {
      case AccountIds: if (!in(t.ids, c.account_id)) return false; break;
      case IsActive: if (c.is_active != t.flag) return false; break;
      case IsPoc: if (c.is_poc != t.flag) return false; break;
      case FirstName: if (!contains_folded(c.first_name, t.text)) return false; break;
      case LastName: if (!contains_folded(c.last_name, t.text)) return false; break;
      case Email:
        if (std::none_of(c.emails.begin(), c.emails.end(),
                         [&](const ContactEmail& e) { return contains_folded(e.address, t.text); }))
          return false;
        break;
      default: if (!time_term(t, c.modified, c.created)) return false;
    }
  }
  return true;
}

bool matches(const Asset& a, const ListQuery& q) {
  for (const auto& t : q.terms) {
    switch (t.spec->key) {
      case CategoryIds: if (!in(t.ids, a.category_id)) return false; break;
      case Name: if (!contains_folded(a.name, t.text)) return false; break;
      case Serial: if (!contains_folded(a.serial_number, t.text)) return false; break;
      case Ip: if (!contains_folded(a.ip_address, t.text)) return false; break;
      case AccountId: if (a.account_id != t.ids[0]) return false; break;
      case ContactId: if (a.contact_id != t.ids[0]) return false; break;
      case IsActive: if (a.is_active != t.flag) return false; break;
      default: break;
    }
  }
  return true;
}

const char* entity_label(Entity e) {
  switch (e) {
    case Entity::Account: return "account";
    case Entity::Location: return "location";
    case Entity::Contact: return "contact";
    case Entity::Asset: return "hardware asset";
  }
  return "record";
}

std::optional<Entity> admin_entity(std::string_view name) {
  if (iequals(name, "accounts")) return Entity::Account;
  if (iequals(name, "locations")) return Entity::Location;
  if (iequals(name, "contacts")) return Entity::Contact;
  if (iequals(name, "hardwareassets")) return Entity::Asset;
  return std::nullopt;
}

struct Token {
  std::string refresh;
  Timestamp expires = 0;
  Timestamp refresh_expires = 0;
  bool v1 = false;
};

}  // namespace

struct BmsEmulator::Impl {
  Options options;
  SimClock* clock = nullptr;
  std::string base_url;

  mutable std::mutex mu;  // store, cache
  Store store;
  struct Cached {
    std::uint64_t version = 0;
    std::vector<Id> ids;
  };
  std::unordered_map<std::string, Cached> cache;

  std::mutex auth_mu;  // tokens, budgets, limits
  std::unordered_map<std::string, Token> tokens;
  std::unordered_map<std::string, std::deque<Timestamp>> calls;  // endpoint -> call times (sim clock)

  std::string not_found(Entity e) const { return fill(assumed::kNotFoundMessage, "{entity}", entity_label(e)); }

  // --- lists -----------------------------------------------------------------------------------

  // The ids matching q, in id order, cached per (list, terms) until the next change.
  template <typename Map, typename Pred>
  const std::vector<Id>& matching(const std::string& list, const Map& m, const ListQuery& q, Pred pred) {
    const std::string key = list + "?" + q.key();
    auto it = cache.find(key);
    if (it != cache.end() && it->second.version == store.version) return it->second.ids;
    if (cache.size() >= 32) cache.clear();
    Cached c;
    c.version = store.version;
    for (const auto& [id, r] : m)
      if (pred(r)) c.ids.push_back(id);
    auto& slot = cache[key];
    slot = std::move(c);
    return slot.ids;
  }

  template <typename Map, typename Write>
  std::string page(const std::vector<Id>& ids, const Map& m, const ListQuery& q, bool paged, Write write) {
    std::string rows;
    core::JsonWriter w(rows);
    std::size_t from = 0, to = ids.size();
    if (paged) {
      from = std::min(ids.size(), static_cast<std::size_t>(q.page_number - 1) * static_cast<std::size_t>(q.page_size));
      to = std::min(ids.size(), from + static_cast<std::size_t>(q.page_size));
    }
    rows.reserve((to - from) * 700);
    for (std::size_t i = from; i < to; ++i) {
      auto it = m.find(ids[i]);
      if (it != m.end()) write(w, it->second);
    }
    if (paged) return paged_envelope(rows, ids.size());
    return ok_envelope("[" + rows + "]");
  }

  // --- writes (under mu) -----------------------------------------------------------------------

  json view(Entity e, Id id) const {
    switch (e) {
      case Entity::Account: return as_json([&](core::JsonWriter& w) { write_account(w, store, store.accounts.at(id)); });
      case Entity::Location: return as_json([&](core::JsonWriter& w) { write_location(w, store, store.locations.at(id)); });
      case Entity::Contact: return as_json([&](core::JsonWriter& w) { write_contact(w, store, store.contacts.at(id)); });
      case Entity::Asset: return as_json([&](core::JsonWriter& w) { write_asset(w, store, store.assets.at(id)); });
    }
    return nullptr;
  }

  std::string view_text(Entity e, Id id) const { return view(e, id).dump(); }

  bool exists(Entity e, Id id) const {
    switch (e) {
      case Entity::Account: return store.accounts.count(id) > 0;
      case Entity::Location: return store.locations.count(id) > 0;
      case Entity::Contact: return store.contacts.count(id) > 0;
      case Entity::Asset: return store.assets.count(id) > 0;
    }
    return false;
  }

  // A location change shows in its account's summary row, so the account counts as modified
  // too (Cairn reads locations through accounts changed since its last run).
  void touch_account(Id account_id, Timestamp now) {
    auto it = store.accounts.find(account_id);
    if (it != store.accounts.end()) it->second.modified = now;
  }

  void keep_one_main(const Location& l) {
    if (!l.is_main) return;
    for (auto& [id, other] : store.locations)
      if (other.account_id == l.account_id && id != l.id) other.is_main = false;
  }

  // New e-mails and phones get ids; those the body names from the contact itself keep theirs.
  // Exactly one of each list is the default (the first when the body marks none).
  void number_items(Contact& c, const Contact* before) {
    auto renumber = [&](auto& list, const auto* old_list) {
      for (auto& x : list) {
        bool own = false;
        if (old_list && x.id)
          for (const auto& o : *old_list) own = own || o.id == x.id;
        if (!own) x.id = store.next_item++;
      }
      bool seen = false;
      for (auto& x : list) {
        if (x.is_default && seen) x.is_default = false;
        seen = seen || x.is_default;
      }
      if (!seen && !list.empty()) list.front().is_default = true;
    };
    renumber(c.emails, before ? &before->emails : nullptr);
    renumber(c.phones, before ? &before->phones : nullptr);
  }

  // Create from a request body (V2 create shape, or V1's for locations).
  Outcome create(Entity e, const json& body) {
    const Timestamp now = clock->now();
    switch (e) {
      case Entity::Account: {
        auto r = read_account(body, Account{}, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        auto locs = read_new_locations(body, store);
        if (auto* err = std::get_if<std::string>(&locs)) return {assumed::kValidationStatus, *err};
        Account a = std::get<Account>(std::move(r));
        a.id = store.next_account++;
        a.created = a.modified = now;
        for (auto& l : std::get<std::vector<Location>>(locs)) {
          l.id = store.next_location++;
          l.account_id = a.id;
          l.created = l.modified = now;
          a.location_ids.push_back(l.id);
          store.locations[l.id] = std::move(l);
        }
        const Id id = a.id;
        store.accounts[id] = std::move(a);
        ++store.version;
        return {200, "", id};
      }
      case Entity::Location: {
        Location base;
        const json* acc = member(body, "accountId");
        if (!acc || !acc->is_number_integer() || !store.accounts.count(acc->get<Id>()))
          return {assumed::kValidationStatus, "The field accountId must name an existing account."};
        auto r = read_location(body, base, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Location l = std::get<Location>(std::move(r));
        l.id = store.next_location++;
        l.account_id = acc->get<Id>();
        l.created = l.modified = now;
        auto& account = store.accounts.at(l.account_id);
        if (account.location_ids.empty()) l.is_main = true;
        account.location_ids.push_back(l.id);
        keep_one_main(l);
        touch_account(l.account_id, now);
        const Id id = l.id;
        store.locations[id] = std::move(l);
        ++store.version;
        return {200, "", id};
      }
      case Entity::Contact: {
        auto r = read_contact(body, Contact{}, store, member(body, "poc") ? "poc" : "isPoc");
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Contact c = std::get<Contact>(std::move(r));
        c.id = store.next_contact++;
        c.created = c.modified = now;
        number_items(c, nullptr);
        const Id id = c.id;
        store.contacts[id] = std::move(c);
        ++store.version;
        return {200, "", id};
      }
      case Entity::Asset: {
        auto r = read_asset(body, Asset{}, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Asset a = std::get<Asset>(std::move(r));
        a.id = store.next_asset++;
        a.created = a.modified = now;
        const Id id = a.id;
        store.assets[id] = std::move(a);
        ++store.version;
        return {200, "", id};
      }
    }
    return {500, "unknown entity"};
  }

  // Replace the record with body (PUT; PATCH and admin pass the patched full view).
  Outcome replace(Entity e, Id id, const json& body, std::string_view poc_field) {
    if (!exists(e, id)) return {assumed::kNotFoundStatus, not_found(e)};
    const Timestamp now = clock->now();
    switch (e) {
      case Entity::Account: {
        Account& old = store.accounts.at(id);
        Account base;
        base.id = id;
        base.created = old.created;
        base.location_ids = old.location_ids;  // locations are written through V1 (B14)
        auto r = read_account(body, base, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Account a = std::get<Account>(std::move(r));
        // A parent chain must not loop back to the account.
        for (Id p = a.parent_id, hops = 0; p && hops < 10000; ++hops) {
          if (p == id) return {assumed::kValidationStatus, "An account cannot be its own ancestor."};
          auto it = store.accounts.find(p);
          p = it == store.accounts.end() ? 0 : it->second.parent_id;
        }
        a.modified = now;
        old = std::move(a);
        break;
      }
      case Entity::Location: {
        Location& old = store.locations.at(id);
        Location base;
        base.id = id;
        base.account_id = old.account_id;
        base.created = old.created;
        auto r = read_location(body, base, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Location l = std::get<Location>(std::move(r));
        l.modified = now;
        old = std::move(l);
        keep_one_main(old);
        touch_account(old.account_id, now);
        break;
      }
      case Entity::Contact: {
        Contact& old = store.contacts.at(id);
        Contact base;
        base.id = id;
        base.created = old.created;
        auto r = read_contact(body, base, store, poc_field);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Contact c = std::get<Contact>(std::move(r));
        number_items(c, &old);
        c.modified = now;
        old = std::move(c);
        break;
      }
      case Entity::Asset: {
        Asset& old = store.assets.at(id);
        Asset base;
        base.id = id;
        base.created = old.created;
        auto r = read_asset(body, base, store);
        if (auto* err = std::get_if<std::string>(&r)) return {assumed::kValidationStatus, *err};
        Asset a = std::get<Asset>(std::move(r));
        a.modified = now;
        old = std::move(a);
        break;
      }
    }
    ++store.version;
    return {200, "", id};
  }

  Outcome patch(Entity e, Id id, const json& ops) {
    if (!exists(e, id)) return {assumed::kNotFoundStatus, not_found(e)};
    json doc = view(e, id);
    if (auto err = apply_json_patch(doc, ops); !err.empty()) return {assumed::kValidationStatus, err};
    return replace(e, id, doc, "isPoc");
  }

  // PATCH crm/contacts/{id}/emails or /phones (B21): items applied in order, then exactly one default.
  Outcome patch_items(Id id, const json& items, bool emails) {
    if (!exists(Entity::Contact, id)) return {assumed::kNotFoundStatus, not_found(Entity::Contact)};
    if (!items.is_array()) return {assumed::kValidationStatus, "The request body must be an array of items."};
    Contact c = store.contacts.at(id);
    const char* key = emails ? "EmailAddress" : "PhoneNumber";
    const char* new_key = emails ? "NewEmailAddress" : "NewPhoneNumber";
    const auto& types = store.lookups[std::string(emails ? assumed::kEmailTypesTable : assumed::kPhoneTypesTable)];
    for (const auto& item : items) {
      if (!item.is_object()) return {assumed::kValidationStatus, "Each item must be a JSON object."};
      const json* op = member(item, "Operation");
      const json* value = member(item, key);
      const json* fresh = member(item, new_key);
      const json* type = member(item, "TypeId");
      const json* flag = member(item, "IsDefault");
      if (!op || !op->is_number_integer() || op->get<int>() < 0 || op->get<int>() > 2)
        return {assumed::kValidationStatus, "The field Operation must be 0 (add), 1 (update) or 2 (delete)."};
      if (!value || !value->is_string() || value->get<std::string>().empty())
        return {assumed::kValidationStatus, std::string("The field ") + key + " is required."};
      if (type && !type->is_null() &&
          (!type->is_number_integer() ||
           std::none_of(types.begin(), types.end(), [&](const LookupItem& t) { return t.id == type->get<Id>(); })))
        return {assumed::kValidationStatus, "The type " + type->dump() + " does not exist."};
      if (flag && !flag->is_null() && !flag->is_boolean())
        return {assumed::kValidationStatus, "The value of IsDefault is not valid: expected true or false."};
      const std::string v = value->get<std::string>();
      auto apply = [&](auto& list, auto value_of) {
        auto it = std::find_if(list.begin(), list.end(), [&](auto& x) { return value_of(x) == v; });
        const int o = op->get<int>();
        if (o == 0) {
          if (it != list.end()) return std::string("The contact already has ") + v + ".";
          typename std::decay_t<decltype(list)>::value_type x{};
          value_of(x) = v;
          if (type && type->is_number_integer()) x.type_id = type->get<Id>();
          x.is_default = flag && flag->is_boolean() && flag->get<bool>();
          if (x.is_default)
            for (auto& other : list) other.is_default = false;
          list.push_back(std::move(x));
          return std::string();
        }
        if (it == list.end()) return "The contact has no " + v + ".";
        if (o == 2) {
          list.erase(it);
          return std::string();
        }
        if (fresh && fresh->is_string() && !fresh->get<std::string>().empty()) value_of(*it) = fresh->get<std::string>();
        if (type && type->is_number_integer()) it->type_id = type->get<Id>();
        if (flag && flag->is_boolean()) {
          if (flag->get<bool>())
            for (auto& other : list) other.is_default = false;
          it->is_default = flag->get<bool>();
        }
        return std::string();
      };
      const std::string err = emails ? apply(c.emails, [](auto& x) -> std::string& { return x.address; })
                                     : apply(c.phones, [](auto& x) -> std::string& { return x.number; });
      if (!err.empty()) return {assumed::kValidationStatus, err};
    }
    number_items(c, &store.contacts.at(id));
    c.modified = clock->now();
    store.contacts.at(id) = std::move(c);
    ++store.version;
    return {200, "", id};
  }

  Outcome remove(Entity e, Id id) {
    if (!exists(e, id)) return {assumed::kNotFoundStatus, not_found(e)};
    const Timestamp now = clock->now();
    switch (e) {
      case Entity::Account:  // no delete on the platform: a PSA user deactivates (admin only)
        store.accounts.at(id).is_active = false;
        store.accounts.at(id).modified = now;
        break;
      case Entity::Location: {
        const Id account = store.locations.at(id).account_id;
        auto& ids = store.accounts.at(account).location_ids;
        ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
        store.locations.erase(id);
        for (auto& [cid, c] : store.contacts)
          if (c.location_id == id) c.location_id = 0;
        for (auto& [aid, a] : store.assets)
          if (a.location_id == id) a.location_id = 0;
        touch_account(account, now);
        break;
      }
      case Entity::Contact:
        store.contacts.erase(id);
        for (auto& [aid, a] : store.assets)
          if (a.contact_id == id) a.contact_id = 0;
        break;
      case Entity::Asset:
        store.assets.erase(id);
        break;
    }
    ++store.version;
    return {200, "", id};
  }

  // --- auth and limits -------------------------------------------------------------------------

  std::string issue(bool v1, Token& out) {
    const Timestamp now = clock->now();
    std::lock_guard lock(auth_mu);
    std::string access = random_hex(24);
    out.refresh = v1 ? "" : random_hex(24);
    out.expires = now + options.token_lifetime_seconds;
    out.refresh_expires = now + options.refresh_lifetime_seconds;
    out.v1 = v1;
    tokens[access] = out;
    return access;
  }

  bool token_valid(const httplib::Request& req, bool v1) {
    const std::string h = req.get_header_value("Authorization");
    if (h.size() < 8 || !iequals(std::string_view(h).substr(0, 7), "Bearer ")) return false;
    std::lock_guard lock(auth_mu);
    auto it = tokens.find(h.substr(7));
    return it != tokens.end() && it->second.v1 == v1 && it->second.expires > clock->now();
  }

  // Counts the call against its endpoint's hour (B5); the seconds to wait when it is spent.
  std::optional<int> take_budget(const std::string& endpoint) {
    const Timestamp now = clock->now();
    std::lock_guard lock(auth_mu);
    auto& q = calls[endpoint];
    while (!q.empty() && q.front() <= now - 3600) q.pop_front();
    if (static_cast<int>(q.size()) >= options.hourly_request_limit)
      return static_cast<int>(std::max<Timestamp>(1, q.empty() ? 3600 : q.front() + 3600 - now));
    q.push_back(now);
    return std::nullopt;
  }
};

namespace {

std::string form_value(const httplib::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.params)
    if (iequals(k, name)) return v;
  for (const auto& [k, f] : req.files)
    if (iequals(k, name)) return f.content;
  return "";
}

QueryParams params_of(const httplib::Request& req) { return {req.params.begin(), req.params.end()}; }

void v1_error(httplib::Response& res, int status, std::string_view message) {
  reply_json(res, status, json{{"Message", message}}.dump());
}

}  // namespace

BmsEmulator::BmsEmulator(World world, Options options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  if (options_.max_page_size < 1) throw std::invalid_argument("--max-page-size must be at least 1");
  if (options_.token_lifetime_seconds < 1 || options_.refresh_lifetime_seconds < 1)
    throw std::invalid_argument("token lifetimes must be at least 1 second");
  impl_->options = options_;
  impl_->clock = &clock();
  impl_->store = seed_store(world, options_.profile.id_offset);
}

BmsEmulator::~BmsEmulator() = default;

void BmsEmulator::set_base_url(const std::string& base_url) { impl_->base_url = base_url; }

std::string BmsEmulator::ready_json() const {
  const std::string& b = impl_->base_url;
  return json{{"kind", kind()},
              {"product", options_.profile.product},
              {"real_host", options_.profile.public_host},
              {"base_url", b},
              {"api_url", b + "/v2"},
              {"authenticate_url", b + "/v2/security/authenticate"},
              {"v1_url", b + "/api"},
              {"username", options_.username},
              {"password", options_.password},
              {"tenant", options_.tenant},
              {"hourly_request_limit", options_.hourly_request_limit},
              {"admin_url", b + "/__sim"}}
      .dump();
}

void BmsEmulator::write_throttled(httplib::Response& res, int) {
  reply_json(res, assumed::kThrottleStatus,
             error_envelope(assumed::kThrottleStatus,
                            fill(fill(assumed::kThrottleMessage, "{limit}", std::to_string(impl_->options.hourly_request_limit)),
                                 "{endpoint}", "this endpoint")));
}

void BmsEmulator::write_server_error(httplib::Response& res) { reply_error(res, 500, assumed::kServerErrorMessage); }

void BmsEmulator::handle(const httplib::Request& req, httplib::Response& res) {
  Impl& im = *impl_;
  const auto seg = split_path(req.path);
  const std::string& m = req.method;
  const bool v2 = !seg.empty() && iequals(seg[0], "v2");
  const bool v1 = !seg.empty() && iequals(seg[0], "api");
  if (!v2 && !v1) return reply_error(res, assumed::kNotFoundStatus, assumed::kNoRouteMessage);

  // Route table: a pattern of literal segments and {id}, the verbs it takes, and the handler.
  using Args = std::vector<Id>;
  struct Route {
    std::vector<std::string> pattern;
    std::string method;
    bool needs_auth = true;
    std::function<void(const Args&)> run;
  };
  auto body_json = [&](bool& ok) {
    auto j = json::parse(req.body, nullptr, false);
    ok = !j.is_discarded();
    if (!ok) reply_error(res, assumed::kValidationStatus, "The request body is not valid JSON.");
    return j;
  };
  // Answers a write's outcome: the record's view in the envelope, or the error.
  auto answer = [&](Entity e, const Outcome& o) {
    if (o.status != 200) return reply_error(res, o.status, o.message);
    reply_json(res, 200, ok_envelope(im.view_text(e, o.id)));
  };
  auto write_route = [&](Entity e, std::function<Outcome(const json&)> op) {
    bool ok = false;
    json body = body_json(ok);
    if (!ok) return;
    std::lock_guard lock(im.mu);
    answer(e, op(body));
  };
  auto get_one = [&](Entity e, Id id) {
    std::lock_guard lock(im.mu);
    if (!im.exists(e, id)) return reply_error(res, assumed::kNotFoundStatus, im.not_found(e));
    reply_json(res, 200, ok_envelope(im.view_text(e, id)));
  };
  auto list = [&](const std::vector<FilterSpec>& specs, PagingRules rules, auto&& run) {
    rules.default_size = rules.max_size = im.options.max_page_size;
    auto parsed = parse_list_query(params_of(req), specs, rules);
    if (auto* err = std::get_if<QueryError>(&parsed)) return reply_error(res, assumed::kValidationStatus, err->message);
    std::lock_guard lock(im.mu);
    reply_json(res, 200, run(std::get<ListQuery>(parsed)));
  };
  const PagingRules paged{true, 100, 100}, unpaged{false, 100, 100};

  std::vector<Route> routes;
  if (v2) {
    routes = {
        {{"security", "authenticate"}, "POST", false,
         [&](const Args&) {
           const std::string grant = form_value(req, "GrantType"), user = form_value(req, "UserName"),
                             pass = form_value(req, "Password"), tenant = form_value(req, "Tenant");
           for (const auto& [name, v] : {std::pair<const char*, const std::string*>{"UserName", &user},
                                         {"Password", &pass}, {"Tenant", &tenant}})
             if (v->empty()) return reply_error(res, 400, std::string("The field ") + name + " is required.");
           if (!grant.empty() && !iequals(grant, "password"))
             return reply_error(res, 400, "The GrantType '" + grant + "' is not supported.");
           if (!iequals(user, im.options.username) || pass != im.options.password || !iequals(tenant, im.options.tenant))
             return reply_json(res, 401, error_envelope(assumed::kSecurityErrorCode, assumed::kBadLoginMessage));
           Token t;
           const std::string access = im.issue(false, t);
           reply_json(res, 200,
                      ok_envelope(json{{"accessToken", access},
                                       {"refreshToken", t.refresh},
                                       {"accessTokenExpireOn", format_utc(t.expires)},
                                       {"refreshTokenExpireOn", format_utc(t.refresh_expires)}}
                                      .dump()));
         }},
        {{"security", "refreshtoken"}, "POST", false,
         [&](const Args&) {
           std::string access = form_value(req, "AccessToken"), refresh = form_value(req, "RefreshToken");
           if (access.empty() && !req.body.empty()) {  // a JSON body is accepted too
             auto j = json::parse(req.body, nullptr, false);
             if (const json* a = member(j, "accessToken"); a && a->is_string()) access = a->get<std::string>();
             if (const json* r = member(j, "refreshToken"); r && r->is_string()) refresh = r->get<std::string>();
           }
           if (access.empty()) return reply_error(res, 400, "The field AccessToken is required.");
           {
             std::lock_guard lock(im.auth_mu);
             auto it = im.tokens.find(access);
             if (it == im.tokens.end() || it->second.v1 || it->second.refresh != refresh ||
                 it->second.refresh_expires <= im.clock->now())
               return reply_json(res, 401, error_envelope(assumed::kSecurityErrorCode, assumed::kSecurityErrorMessage));
             im.tokens.erase(it);  // B4: a pair refreshes once
           }
           Token t;
           const std::string fresh = im.issue(false, t);
           reply_json(res, 200,
                      ok_envelope(json{{"accessToken", fresh},
                                       {"refreshToken", t.refresh},
                                       {"accessTokenExpireOn", format_utc(t.expires)},
                                       {"refreshTokenExpireOn", format_utc(t.refresh_expires)}}
                                      .dump()));
         }},
        {{"security", "userinfo"}, "GET", true,
         [&](const Args&) {
           reply_json(res, 200,
                      ok_envelope(json{{"userName", im.options.username},
                                       {"tenant", im.options.tenant},
                                       {"product", im.options.profile.product}}
                                      .dump()));
         }},
        {{"crm", "accounts", "summary"}, "GET", true,
         [&](const Args&) {
           list(account_filters(), paged, [&](const ListQuery& q) {
             const auto& ids = im.matching("accounts", im.store.accounts, q, [&](const Account& a) { return matches(a, q); });
             return im.page(ids, im.store.accounts, q, true,
                            [&](core::JsonWriter& w, const Account& a) { write_account(w, im.store, a); });
           });
         }},
        {{"crm", "accounts", "summary", "{id}"}, "GET", true, [&](const Args& a) { get_one(Entity::Account, a[0]); }},
        {{"crm", "accounts", "lookup"}, "GET", true,
         [&](const Args&) {
           list(account_lookup_filters(), unpaged, [&](const ListQuery& q) {
             bool with_inactive = false;
             for (const auto& t : q.terms)
               if (t.spec->key == WithInactive) with_inactive = t.flag;
             const auto& ids = im.matching("accountlookup", im.store.accounts, q, [&](const Account& a) {
               return (with_inactive || a.is_active) && matches(a, q);
             });
             return im.page(ids, im.store.accounts, q, false,
                            [](core::JsonWriter& w, const Account& a) { write_account_lookup(w, a); });
           });
         }},
        {{"crm", "accounts"}, "POST", true,
         [&](const Args&) { write_route(Entity::Account, [&](const json& b) { return im.create(Entity::Account, b); }); }},
        {{"crm", "accounts", "{id}"}, "PUT", true,
         [&](const Args& a) {
           write_route(Entity::Account, [&](const json& b) { return im.replace(Entity::Account, a[0], b, "isPoc"); });
         }},
        {{"crm", "accounts", "{id}"}, "PATCH", true,
         [&](const Args& a) { write_route(Entity::Account, [&](const json& b) { return im.patch(Entity::Account, a[0], b); }); }},
        {{"crm", "accounts", "{id}", "locations", "lookup"}, "GET", true,
         [&](const Args& a) {
           std::lock_guard lock(im.mu);
           auto acc = im.store.accounts.find(a[0]);
           if (acc == im.store.accounts.end())
             return reply_error(res, assumed::kNotFoundStatus, im.not_found(Entity::Account));
           std::string rows;
           core::JsonWriter w(rows);
           w.begin_array();
           for (Id lid : acc->second.location_ids) write_location_lookup(w, im.store.locations.at(lid));
           w.end_array();
           reply_json(res, 200, ok_envelope(rows));
         }},
        {{"crm", "accounts", "{id}", "locations", "{id}"}, "GET", true,
         [&](const Args& a) {
           {
             std::lock_guard lock(im.mu);
             auto l = im.store.locations.find(a[1]);
             if (l == im.store.locations.end() || l->second.account_id != a[0])
               return reply_error(res, assumed::kNotFoundStatus, im.not_found(Entity::Location));
           }
           get_one(Entity::Location, a[1]);
         }},
        {{"system", "accounttypes", "lookup"}, "GET", true,
         [&](const Args&) {
           std::lock_guard lock(im.mu);
           std::string rows;
           core::JsonWriter w(rows);
           w.begin_array();
           for (const auto& t : im.store.account_types) write_lookup(w, t, true);
           w.end_array();
           reply_json(res, 200, ok_envelope(rows));
         }},
        {{"crm", "contacts", "summary"}, "GET", true,
         [&](const Args&) {
           list(contact_filters(), paged, [&](const ListQuery& q) {
             const auto& ids = im.matching("contacts", im.store.contacts, q, [&](const Contact& c) { return matches(c, q); });
             return im.page(ids, im.store.contacts, q, true,
                            [&](core::JsonWriter& w, const Contact& c) { write_contact(w, im.store, c); });
           });
         }},
        {{"crm", "contacts", "search"}, "GET", true,
         [&](const Args&) {
           list(contact_filters(), paged, [&](const ListQuery& q) {
             const auto& ids = im.matching("contacts", im.store.contacts, q, [&](const Contact& c) { return matches(c, q); });
             return im.page(ids, im.store.contacts, q, true,
                            [&](core::JsonWriter& w, const Contact& c) { write_contact(w, im.store, c); });
           });
         }},
        {{"crm", "contacts", "summary", "{id}"}, "GET", true, [&](const Args& a) { get_one(Entity::Contact, a[0]); }},
        {{"crm", "contacts", "summary"}, "POST", true,
         [&](const Args&) { write_route(Entity::Contact, [&](const json& b) { return im.create(Entity::Contact, b); }); }},
        {{"crm", "contacts", "{id}"}, "GET", true, [&](const Args& a) { get_one(Entity::Contact, a[0]); }},
        {{"crm", "contacts", "{id}"}, "PUT", true,
         [&](const Args& a) {
           // PUT spells the point-of-contact flag "poc" (§3.4).
           write_route(Entity::Contact, [&](const json& b) { return im.replace(Entity::Contact, a[0], b, "poc"); });
         }},
        {{"crm", "contacts", "{id}"}, "PATCH", true,
         [&](const Args& a) { write_route(Entity::Contact, [&](const json& b) { return im.patch(Entity::Contact, a[0], b); }); }},
        {{"crm", "contacts", "{id}", "emails"}, "PATCH", true,
         [&](const Args& a) {
           write_route(Entity::Contact, [&](const json& b) { return im.patch_items(a[0], b, true); });
         }},
        {{"crm", "contacts", "{id}", "phones"}, "PATCH", true,
         [&](const Args& a) {
           write_route(Entity::Contact, [&](const json& b) { return im.patch_items(a[0], b, false); });
         }},
        {{"crm", "contacts", "{id}"}, "DELETE", true,
         [&](const Args& a) {
           std::lock_guard lock(im.mu);
           const Outcome o = im.remove(Entity::Contact, a[0]);
           if (o.status != 200) return reply_error(res, o.status, o.message);
           reply_json(res, 200, ok_envelope("null"));
         }},
        {{"servicedesk", "hardwareasset", "searchselect"}, "GET", true,
         [&](const Args&) {
           list(asset_filters(), paged, [&](const ListQuery& q) {
             const auto& ids = im.matching("assets", im.store.assets, q, [&](const Asset& a) { return matches(a, q); });
             return im.page(ids, im.store.assets, q, true,
                            [&](core::JsonWriter& w, const Asset& a) { write_asset_row(w, im.store, a); });
           });
         }},
        {{"servicedesk", "hardwareasset", "{id}"}, "GET", true, [&](const Args& a) { get_one(Entity::Asset, a[0]); }},
        {{"servicedesk", "hardwareasset"}, "POST", true,
         [&](const Args&) { write_route(Entity::Asset, [&](const json& b) { return im.create(Entity::Asset, b); }); }},
        {{"servicedesk", "hardwareasset", "{id}"}, "PUT", true,
         [&](const Args& a) {
           write_route(Entity::Asset, [&](const json& b) { return im.replace(Entity::Asset, a[0], b, "isPoc"); });
         }},
        {{"servicedesk", "hardwareasset", "{id}"}, "DELETE", true,
         [&](const Args& a) {
           std::lock_guard lock(im.mu);
           const Outcome o = im.remove(Entity::Asset, a[0]);
           if (o.status != 200) return reply_error(res, o.status, o.message);
           reply_json(res, 200, ok_envelope("null"));
         }},
    };
    // Picklists: system/lookup/{table} and system/tenantlookup/{table} (B12).
    for (const char* kind : {"lookup", "tenantlookup"}) {
      if (seg.size() == 4 && iequals(seg[1], "system") && iequals(seg[2], kind)) {
        routes.push_back({{"system", kind, seg[3]}, "GET", true, [&](const Args&) {
                            std::lock_guard lock(im.mu);
                            const std::vector<LookupItem>* items = nullptr;
                            for (const auto& [name, list] : im.store.lookups)
                              if (iequals(name, seg[3])) items = &list;
                            if (!items)
                              return reply_error(res, assumed::kNotFoundStatus,
                                                 "The lookup table '" + seg[3] + "' does not exist.");
                            std::string rows;
                            core::JsonWriter w(rows);
                            w.begin_array();
                            for (const auto& i : *items) write_lookup(w, i, false);
                            w.end_array();
                            reply_json(res, 200, ok_envelope(rows));
                          }});
      }
    }
  } else {
    // V1: only what Cairn needs it for, location writes (B20).
    routes = {
        {{"token"}, "POST", false,
         [&](const Args&) {
           if (!iequals(form_value(req, "grant_type"), "password"))
             return reply_json(res, 400, json{{"error", "unsupported_grant_type"}}.dump());
           if (!iequals(form_value(req, "username"), im.options.username) ||
               form_value(req, "password") != im.options.password || !iequals(form_value(req, "tenant"), im.options.tenant))
             return reply_json(res, 400,
                               json{{"error", "invalid_grant"}, {"error_description", assumed::kBadLoginMessage}}.dump());
           Token t;
           const std::string access = im.issue(true, t);
           reply_json(res, 200,
                      json{{"access_token", access}, {"token_type", "bearer"}, {"expires_in", im.options.token_lifetime_seconds}}
                          .dump());
         }},
        {{"crm", "locations"}, "POST", true,
         [&](const Args&) {
           auto j = json::parse(req.body, nullptr, false);
           if (j.is_discarded()) return v1_error(res, 400, "The request body is not valid JSON.");
           std::lock_guard lock(im.mu);
           const Outcome o = im.create(Entity::Location, j);
           if (o.status != 200) return v1_error(res, o.status, o.message);
           reply_json(res, 200, im.view_text(Entity::Location, o.id));
         }},
        {{"crm", "locations", "{id}"}, "GET", true,
         [&](const Args& a) {
           std::lock_guard lock(im.mu);
           if (!im.exists(Entity::Location, a[0])) return v1_error(res, 404, im.not_found(Entity::Location));
           reply_json(res, 200, im.view_text(Entity::Location, a[0]));
         }},
        {{"crm", "locations", "{id}"}, "PUT", true,
         [&](const Args& a) {
           auto j = json::parse(req.body, nullptr, false);
           if (j.is_discarded()) return v1_error(res, 400, "The request body is not valid JSON.");
           std::lock_guard lock(im.mu);
           const Outcome o = im.replace(Entity::Location, a[0], j, "isPoc");
           if (o.status != 200) return v1_error(res, o.status, o.message);
           reply_json(res, 200, im.view_text(Entity::Location, a[0]));
         }},
    };
  }

  // Match the path (after /v2 or /api) against the table.
  const std::vector<std::string> rest(seg.begin() + 1, seg.end());
  const Route* found = nullptr;
  bool path_known = false;
  Args args;
  for (const auto& r : routes) {
    if (r.pattern.size() != rest.size()) continue;
    Args a;
    bool ok = true;
    for (std::size_t i = 0; i < rest.size() && ok; ++i) {
      if (r.pattern[i] == "{id}") {
        Id id = 0;
        ok = parse_id(rest[i], id);
        a.push_back(id);
      } else {
        ok = iequals(r.pattern[i], rest[i]);
      }
    }
    if (!ok) continue;
    path_known = true;
    if (r.method == m) {
      found = &r;
      args = std::move(a);
      break;
    }
  }
  if (!found) {
    if (!path_known) {
      if (v1) return v1_error(res, 404, assumed::kNoRouteMessage);
      return reply_error(res, assumed::kNotFoundStatus, assumed::kNoRouteMessage);
    }
    const std::string msg = fill(assumed::kWrongVerbMessage, "{method}", m);
    if (v1) return v1_error(res, 405, msg);
    return reply_error(res, assumed::kWrongVerbStatus, msg);
  }
  if (found->needs_auth && !im.token_valid(req, v1)) {
    if (v1) return v1_error(res, 401, assumed::kV1DeniedMessage);
    return reply_json(res, 401, error_envelope(assumed::kSecurityErrorCode, assumed::kSecurityErrorMessage));
  }
  std::string endpoint = m + " /" + seg[0];
  for (const auto& p : found->pattern) {
    std::string lower = p;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    endpoint += "/" + lower;
  }
  if (auto wait = im.take_budget(endpoint)) {
    res.set_header("Retry-After", std::to_string(*wait));
    const std::string msg = fill(fill(assumed::kThrottleMessage, "{limit}", std::to_string(im.options.hourly_request_limit)),
                                 "{endpoint}", endpoint);
    if (v1) return v1_error(res, assumed::kThrottleStatus, msg);
    return reply_json(res, assumed::kThrottleStatus, error_envelope(assumed::kThrottleStatus, msg));
  }
  found->run(args);
}

AdminResult BmsEmulator::admin_create(const std::string& entity, const std::string& body) {
  const auto e = admin_entity(entity);
  if (!e) return {404, json{{"error", "unknown entity " + entity + " (accounts, locations, contacts, hardwareassets)"}}.dump()};
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  std::lock_guard lock(impl_->mu);
  const Outcome o = impl_->create(*e, j);
  if (o.status != 200) return {o.status, error_envelope(o.status, o.message)};
  return {201, impl_->view_text(*e, o.id)};
}

AdminResult BmsEmulator::admin_update(const std::string& entity, std::int64_t id, const std::string& body) {
  const auto e = admin_entity(entity);
  if (!e) return {404, json{{"error", "unknown entity " + entity + " (accounts, locations, contacts, hardwareassets)"}}.dump()};
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return {400, json{{"error", "the body must be a JSON object"}}.dump()};
  std::lock_guard lock(impl_->mu);
  if (!impl_->exists(*e, id)) return {404, error_envelope(404, impl_->not_found(*e))};
  json doc = impl_->view(*e, id);
  doc.merge_patch(j);  // the fields given, over the record as the API shows it
  const Outcome o = impl_->replace(*e, id, doc, "isPoc");
  if (o.status != 200) return {o.status, error_envelope(o.status, o.message)};
  return {200, impl_->view_text(*e, id)};
}

AdminResult BmsEmulator::admin_delete(const std::string& entity, std::int64_t id) {
  const auto e = admin_entity(entity);
  if (!e) return {404, json{{"error", "unknown entity " + entity + " (accounts, locations, contacts, hardwareassets)"}}.dump()};
  std::lock_guard lock(impl_->mu);
  const Outcome o = impl_->remove(*e, id);
  if (o.status != 200) return {o.status, error_envelope(o.status, o.message)};
  return {204, ""};
}

std::string BmsEmulator::admin_status() const {
  std::lock_guard lock(impl_->mu);
  const Store& s = impl_->store;
  return json{{"records",
               {{"accounts", s.accounts.size()},
                {"locations", s.locations.size()},
                {"contacts", s.contacts.size()},
                {"hardwareassets", s.assets.size()}}},
              {"hourly_request_limit", impl_->options.hourly_request_limit},
              {"max_page_size", impl_->options.max_page_size}}
      .dump();
}

bool BmsEmulator::admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) {
  if (sub_path != "/limits") return false;
  Impl& im = *impl_;
  if (req.method == "PATCH" || req.method == "PUT" || req.method == "POST") {
    auto j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      reply_json(res, 400, json{{"error", "the body must be a JSON object"}}.dump());
      return true;
    }
    std::lock_guard lock(im.auth_mu);
    for (const auto& [key, target, min] : {std::tuple<const char*, int*, int>{"hourly_request_limit", &im.options.hourly_request_limit, 0},
                                           {"token_lifetime_seconds", &im.options.token_lifetime_seconds, 1}}) {
      if (!j.contains(key)) continue;
      if (!j[key].is_number_integer() || j[key].get<std::int64_t>() < min || j[key].get<std::int64_t>() > 100000000) {
        reply_json(res, 400, json{{"error", std::string(key) + " must be an integer from " + std::to_string(min) + " to 100000000"}}.dump());
        return true;
      }
      *target = j[key].get<int>();
    }
    if (j.value("reset_hourly_counts", false)) im.calls.clear();
  } else if (req.method != "GET") {
    reply_json(res, 405, json{{"error", "use GET or PATCH"}}.dump());
    return true;
  }
  std::lock_guard lock(im.auth_mu);
  json counts = json::object();
  for (const auto& [endpoint, q] : im.calls) counts[endpoint] = q.size();
  reply_json(res, 200,
             json{{"hourly_request_limit", im.options.hourly_request_limit},
                  {"token_lifetime_seconds", im.options.token_lifetime_seconds},
                  {"hourly_counts", counts}}
                 .dump());
  return true;
}

}  // namespace cairn::sim::bms
