#include "sim/tigerpaw/emulator.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>

#include "core/json_writer.h"
#include "sim/tigerpaw/assumptions.h"
#include "sim/tigerpaw/paging.h"
#include "sim/tigerpaw/records.h"
#include "sim/tigerpaw/search.h"
#include "sim/tigerpaw/seed.h"
#include "sim/tigerpaw/tsi_signature.h"
#include "sim/tigerpaw/wire.h"

namespace cairn::sim::tigerpaw {

using nlohmann::json;

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr std::size_t kCachedSearches = 16;

std::string replace(std::string text, std::string_view key, std::string_view value) {
  const auto p = text.find(key);
  if (p != std::string::npos) text.replace(p, key.size(), value);
  return text;
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// ASP.NET's own error body: {"Message": …}.
void message(httplib::Response& res, int status, std::string_view text) {
  res.status = status;
  res.set_content(json{{"Message", std::string(text)}}.dump(), kJson);
}

// Tigerpaw's response envelope for a refused call: {"Success": false, "Message": …}.
void failure(httplib::Response& res, int status, std::string_view text) {
  res.status = status;
  res.set_content(json{{"Success", false}, {"Message", std::string(text)}}.dump(), kJson);
}

void ok_text(httplib::Response& res, std::string body) {
  res.status = 200;
  res.set_content(std::move(body), kJson);
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

bool parse_number(std::string_view s, std::int64_t& n) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() && p == s.data() + s.size() && n > 0;
}

// The shape of a route: literal segments (matched ignoring case) and "#" for a number.
bool route(const std::vector<std::string>& seg, std::initializer_list<std::string_view> shape) {
  if (seg.size() != shape.size()) return false;
  std::size_t i = 0;
  for (auto part : shape) {
    std::int64_t n = 0;
    if (part == "#" ? !parse_number(seg[i], n) : !ieq(seg[i], part)) return false;
    ++i;
  }
  return true;
}

// Writes items as a JSON array with f(writer, item).
template <class Range, class F>
std::string array_of(const Range& items, F&& f) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_array();
  for (const auto& item : items) f(w, item);
  w.end_array();
  return out;
}

}  // namespace

struct TigerpawEmulator::Impl {
  Options options;
  Store store;
  SimClock* clock = nullptr;
  mutable std::mutex mu;  // store, generation, cache

  // Every change bumps the generation; cached search results of an older one are stale.
  std::uint64_t generation = 0;
  struct CachedSearch {
    SearchEntity entity;
    std::string key;
    std::uint64_t generation;
    std::vector<std::int64_t> ids;
  };
  std::deque<CachedSearch> cache;

  void stamp(Account& a) {
    a.modified = clock->now();
    ++generation;
  }
  void stamp(Contact& c) {
    c.modified = clock->now();
    ++generation;
  }

  // --- searches ---------------------------------------------------------------------------------

  bool account_matches(const Search& s, const Account& a) const {
    std::deque<std::string> scratch;  // stable storage for values made on the fly
    auto contacts = [&](auto&& each) {
      auto it = store.contacts_of.find(a.number);
      if (it == store.contacts_of.end()) return;
      for (auto n : it->second)
        if (auto c = store.contacts.find(n); c != store.contacts.end()) each(c->second);
    };
    return s.matches([&](SearchType t, std::vector<std::string_view>& out) {
      switch (t) {
        case SearchType::AccountName: out.push_back(a.name); break;
        case SearchType::AccountNumber: out.push_back(scratch.emplace_back(std::to_string(a.number))); break;
        case SearchType::AccountId: out.push_back(a.account_id); break;
        case SearchType::AccountType: out.push_back(a.type); break;
        case SearchType::AccountStatus: out.push_back(a.status); break;
        case SearchType::Address: out.push_back(a.address1); out.push_back(a.address2); break;
        case SearchType::PostalCode: out.push_back(a.postal_code); break;
        case SearchType::Email:
          contacts([&](const Contact& c) {
            for (const auto& e : c.emails) out.push_back(e.email);
          });
          break;
        case SearchType::PhoneNumber:
          for (const auto& p : a.phones) out.push_back(p.number);
          contacts([&](const Contact& c) {
            for (const auto& p : c.phones) out.push_back(p.number);
          });
          break;
        case SearchType::ContactName:
          contacts([&](const Contact& c) { out.push_back(scratch.emplace_back(c.first_name + " " + c.last_name)); });
          break;
        default: break;
      }
    });
  }

  bool contact_matches(const Search& s, const Contact& c) const {
    return s.matches([&](SearchType t, std::vector<std::string_view>& out) {
      switch (t) {
        case SearchType::FirstName: out.push_back(c.first_name); break;
        case SearchType::LastName: out.push_back(c.last_name); break;
        case SearchType::Email:
          for (const auto& e : c.emails) out.push_back(e.email);
          break;
        case SearchType::PhoneNumber:
          for (const auto& p : c.phones) out.push_back(p.number);
          break;
        case SearchType::AccountId:
          if (auto a = store.accounts.find(c.account); a != store.accounts.end()) out.push_back(a->second.account_id);
          break;
        default: break;
      }
    });
  }

  // The numbers matching s, in order (P5); cached until the next change so paging through a
  // large result scans the table once.
  const std::vector<std::int64_t>& matching(SearchEntity entity, const Search& s) {
    for (auto it = cache.begin(); it != cache.end(); ++it) {
      if (it->entity == entity && it->key == s.key && it->generation == generation) {
        if (it != cache.begin()) {  // most recently used first
          CachedSearch hit = std::move(*it);
          cache.erase(it);
          cache.push_front(std::move(hit));
        }
        return cache.front().ids;
      }
    }
    std::vector<std::int64_t> ids;
    if (entity == SearchEntity::Accounts) {
      for (const auto& [n, a] : store.accounts)
        if (account_matches(s, a)) ids.push_back(n);
    } else {
      for (const auto& [n, c] : store.contacts)
        if (contact_matches(s, c)) ids.push_back(n);
    }
    cache.push_front({entity, s.key, generation, std::move(ids)});
    if (cache.size() > kCachedSearches) cache.pop_back();
    return cache.front().ids;
  }

  void search(SearchEntity entity, std::variant<Search, SearchError> parsed, httplib::Response& res) {
    if (auto* err = std::get_if<SearchError>(&parsed)) return failure(res, assumed::kBadRequestStatus, err->message);
    const Search& s = std::get<Search>(parsed);
    std::lock_guard lock(mu);
    const auto& ids = matching(entity, s);
    const std::size_t total = ids.size();
    const PageWindow page =
        page_window(s.start_row, s.page_size, assumed::kDefaultPageSize, options.max_page_size, total);
    std::string out;
    out.reserve(static_cast<std::size_t>(page.page_size) * 700 + 128);
    core::JsonWriter w(out);
    w.begin_object().key(entity == SearchEntity::Accounts ? "Accounts" : "Contacts").begin_array();
    for (std::size_t i = page.first; i < page.end; ++i) {
      if (entity == SearchEntity::Accounts) write_account_summary(w, store, store.accounts.at(ids[i]));
      else write_contact_summary(w, store, store.contacts.at(ids[i]));
    }
    w.end_array();
    w.key("PageSize").value(page.page_size);
    w.key("NextRow").value(static_cast<std::int64_t>(page.next_row));
    w.key("TotalCount").value(static_cast<std::int64_t>(total));
    w.key("Success").value(true);
    w.key("Message").null();
    w.end_object();
    ok_text(res, std::move(out));
  }

  // --- writes -------------------------------------------------------------------------------

  // Envelope {"AccountSummary"|"ContactSummary": …, "Success": true, "Message": null}.
  std::string account_response(const Account& a) const {
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("AccountSummary");
    write_account_summary(w, store, a);
    w.key("Success").value(true).key("Message").null().end_object();
    return out;
  }
  std::string contact_response(const Contact& c) const {
    std::string out;
    core::JsonWriter w(out);
    w.begin_object().key("ContactSummary");
    write_contact_summary(w, store, c);
    w.key("Success").value(true).key("Message").null().end_object();
    return out;
  }

  // Only one primary per kind (fax or not) on one owner.
  static void keep_one_primary(std::vector<PhoneNumber>& phones, std::int64_t primary_id) {
    const auto it = std::find_if(phones.begin(), phones.end(), [&](const auto& p) { return p.id == primary_id; });
    if (it == phones.end() || !it->is_primary) return;
    for (auto& p : phones)
      if (p.id != primary_id && p.is_fax() == it->is_fax()) p.is_primary = false;
  }
  static void keep_one_primary(std::vector<EmailAddress>& emails, std::int64_t primary_id) {
    const auto it = std::find_if(emails.begin(), emails.end(), [&](const auto& e) { return e.id == primary_id; });
    if (it == emails.end() || !it->is_primary) return;
    for (auto& e : emails)
      if (e.id != primary_id) e.is_primary = false;
  }

  // POST /api/accounts and the admin path: {"Account":{…},"PrimaryPhoneNumber":{…}}.
  std::variant<std::int64_t, std::string> create_account(const json& body, bool admin) {
    if (!body.is_object()) return std::string("The request body must be a CreateAccountModel object.");
    const json* fields = find_member(body, "Account");
    if (!fields || !fields->is_object()) return std::string("Account is required.");
    Account a;
    if (auto err = apply_account_fields(a, *fields, store)) return *err;
    if (auto err = check_new_account(a)) return *err;
    if (admin)
      if (const json* parent = find_member(body, "ParentAccountNumber"); parent && parent->is_number_integer()) {
        if (!store.accounts.count(parent->get<std::int64_t>())) return std::string("The parent account does not exist.");
        a.parent = parent->get<std::int64_t>();
      }
    if (const json* phone = find_member(body, "PrimaryPhoneNumber"); phone && !phone->is_null()) {
      PhoneNumber p;
      p.is_primary = true;
      p.location = "Main";
      if (auto err = apply_phone_fields(p, *phone)) return *err;
      p.id = store.next_phone_id++;
      a.phones.push_back(std::move(p));
    }
    a.number = store.accounts.empty() ? 1 : store.accounts.rbegin()->first + 1;
    a.created = clock->now();
    stamp(a);
    store.contacts_of[a.number];
    const auto n = a.number;
    store.accounts.emplace(n, std::move(a));
    return n;
  }

  std::variant<std::int64_t, std::string> create_contact(const json& body) {
    if (!body.is_object()) return std::string("The request body must be a CreateContactModel object.");
    const json* fields = find_member(body, "Contact");
    if (!fields || !fields->is_object()) return std::string("Contact is required.");
    Contact c;
    if (auto err = apply_contact_fields(c, *fields, store, true)) return *err;
    if (auto err = check_new_contact(c, store)) return *err;
    if (const json* phone = find_member(body, "PrimaryPhoneNumber"); phone && !phone->is_null()) {
      PhoneNumber p;
      p.is_primary = true;
      p.location = "Direct";
      if (auto err = apply_phone_fields(p, *phone)) return *err;
      p.id = store.next_phone_id++;
      c.phones.push_back(std::move(p));
    }
    if (const json* email = find_member(body, "PrimaryEmailAddress"); email && !email->is_null()) {
      EmailAddress e;
      e.is_primary = true;
      if (auto err = apply_email_fields(e, *email)) return *err;
      e.id = store.next_email_id++;
      c.emails.push_back(std::move(e));
    }
    c.number = store.contacts.empty() ? 1 : store.contacts.rbegin()->first + 1;
    c.created = clock->now();
    stamp(c);
    store.contacts_of[c.account].insert(c.number);
    const auto n = c.number;
    store.contacts.emplace(n, std::move(c));
    return n;
  }

  // Applies an update to a copy, so a refused one changes nothing.
  std::optional<std::string> update_account(Account& a, const json& fields, bool admin) {
    Account copy = a;
    if (auto err = apply_account_fields(copy, fields, store)) return err;
    if (copy.name.empty()) return std::string("Account.Name is required.");
    if (admin)
      if (const json* parent = find_member(fields, "ParentAccountNumber")) {
        const std::int64_t p = parent->is_number_integer() ? parent->get<std::int64_t>() : 0;
        if (p != 0 && (!store.accounts.count(p) || p == a.number)) return std::string("The parent account is not valid.");
        copy.parent = p;
      }
    a = std::move(copy);
    stamp(a);
    return std::nullopt;
  }

  std::optional<std::string> update_contact(Contact& c, const json& fields, bool admin) {
    Contact copy = c;
    if (auto err = apply_contact_fields(copy, fields, store, admin)) return err;
    if (copy.first_name.empty()) return std::string("Contact.FirstName is required.");
    if (copy.account != c.account) {
      store.contacts_of[c.account].erase(c.number);
      store.contacts_of[copy.account].insert(c.number);
    }
    c = std::move(copy);
    stamp(c);
    return std::nullopt;
  }

  // --- routes -------------------------------------------------------------------------------

  json body_of(const httplib::Request& req, bool& ok) {
    auto j = json::parse(req.body, nullptr, false);
    ok = !j.is_discarded() && j.is_object();
    return j;
  }

  // GET/POST/DELETE on an owner's phone list, GET/PUT on one number. `bump` stamps the owner.
  template <class Item, class Apply, class Write>
  void sub_list(std::vector<Item>& items, std::int64_t& next_id, const std::optional<std::int64_t>& item_id,
                const httplib::Request& req, httplib::Response& res, const std::function<void()>& bump,
                const char* envelope_key, Apply apply, Write write) {
    const std::string& m = req.method;
    auto respond = [&](const Item& item) {
      std::string out;
      core::JsonWriter w(out);
      w.begin_object().key(envelope_key);
      write(w, item);
      w.key("Success").value(true).key("Message").null().end_object();
      ok_text(res, std::move(out));
    };
    auto find = [&](std::int64_t id) {
      return std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == id; });
    };
    if (!item_id) {
      if (m == "GET") return ok_text(res, array_of(items, write));
      if (m == "DELETE") {
        std::int64_t id = 0;
        if (!parse_number(req.get_param_value("id"), id)) return failure(res, 400, "The id parameter is required.");
        auto it = find(id);
        if (it == items.end()) return failure(res, 404, "No record with id " + std::to_string(id) + " was found.");
        items.erase(it);
        bump();
        return ok_text(res, R"({"Success":true,"Message":null})");
      }
      // POST
      bool ok = false;
      json body = body_of(req, ok);
      if (!ok) return failure(res, 400, "The request body must be a JSON object.");
      Item item;
      if (auto err = apply(item, body)) return failure(res, 400, *err);
      item.id = next_id++;
      items.push_back(item);
      keep_one_primary(items, item.id);
      bump();
      return respond(items.back());
    }
    auto it = find(*item_id);
    if (it == items.end()) return failure(res, 404, "No record with id " + std::to_string(*item_id) + " was found.");
    if (m == "GET") {
      std::string out;
      core::JsonWriter w(out);
      write(w, *it);
      return ok_text(res, std::move(out));
    }
    bool ok = false;
    json body = body_of(req, ok);
    if (!ok) return failure(res, 400, "The request body must be a JSON object.");
    Item copy = *it;
    if (auto err = apply(copy, body)) return failure(res, 400, *err);
    *it = copy;
    keep_one_primary(items, copy.id);
    bump();
    respond(*find(copy.id));
  }

  void phones_or_emails(std::vector<PhoneNumber>* phones, std::vector<EmailAddress>* emails,
                        const std::optional<std::int64_t>& item_id, const httplib::Request& req, httplib::Response& res,
                        const std::function<void()>& bump) {
    if (phones)
      return sub_list(*phones, store.next_phone_id, item_id, req, res, bump, "Number", apply_phone_fields, write_phone);
    sub_list(*emails, store.next_email_id, item_id, req, res, bump, "EmailAddress", apply_email_fields, write_email);
  }

  // Answers 405 (with Allow) unless the method is one of `verbs`.
  static bool allowed(const httplib::Request& req, httplib::Response& res, std::initializer_list<std::string_view> verbs) {
    for (auto v : verbs)
      if (req.method == v) return true;
    std::string allow;
    for (auto v : verbs) allow += (allow.empty() ? "" : ", ") + std::string(v);
    res.set_header("Allow", allow);
    message(res, 405, replace(std::string(assumed::kWrongVerbMessage), "{method}", req.method));
    return false;
  }

  void api(const std::vector<std::string>& seg, const httplib::Request& req, httplib::Response& res) {
    const std::string& m = req.method;
    if (route(seg, {"diagnostics", "validate", "user"})) {
      if (!allowed(req, res, {"GET"})) return;
      return ok_text(res, R"({"Success":true,"Message":"The user credentials are valid."})");
    }
    const std::vector<LookupEntry>* table = nullptr;
    if (route(seg, {"mastertables", "accounts", "types"})) table = &store.account_types;
    if (route(seg, {"mastertables", "accounts", "statuses"})) table = &store.account_statuses;
    if (route(seg, {"mastertables", "phonelocations"})) table = &store.phone_locations;
    if (table) {
      if (!allowed(req, res, {"GET"})) return;
      std::lock_guard lock(mu);
      return ok_text(res, array_of(*table, write_lookup));
    }
    if (seg.empty()) return not_found(req, res);
    const bool accounts = ieq(seg[0], "accounts");
    const bool contacts = ieq(seg[0], "contacts");
    if (!accounts && !contacts) return not_found(req, res);
    const SearchEntity entity = accounts ? SearchEntity::Accounts : SearchEntity::Contacts;

    if (seg.size() == 1) {  // create
      if (!allowed(req, res, {"POST"})) return;
      bool ok = false;
      json body = body_of(req, ok);
      if (!ok) return failure(res, 400, "The request body must be a JSON object.");
      std::lock_guard lock(mu);
      auto r = accounts ? create_account(body, false) : create_contact(body);
      if (auto* err = std::get_if<std::string>(&r)) return failure(res, 400, *err);
      const auto n = std::get<std::int64_t>(r);
      return ok_text(res, accounts ? account_response(store.accounts.at(n)) : contact_response(store.contacts.at(n)));
    }
    if (ieq(seg[1], "search")) {
      if (seg.size() > 4 || (seg.size() == 4 && !(accounts && ieq(seg[2], "contact") && ieq(seg[3], "name"))))
        return not_found(req, res);
      if (!allowed(req, res, {"POST"})) return;
      if (seg.size() == 2) return search(entity, parse_search_text(req.body, entity), res);
      const std::string type = seg.size() == 4 ? "contact/name" : seg[2];
      return search(entity, parse_field_search_text(req.body, entity, type), res);
    }
    if (contacts && ieq(seg[1], "account")) {
      // GET /api/contacts/account/{n}[?activeOnly=true] or …/{n}/{activeOnly}: unpaged.
      if (seg.size() < 3 || seg.size() > 4) return not_found(req, res);
      std::int64_t n = 0;
      if (!parse_number(seg[2], n)) return not_found(req, res);
      if (!allowed(req, res, {"GET"})) return;
      const std::string flag = seg.size() == 4 ? seg[3] : req.get_param_value("activeOnly");
      if (!flag.empty() && !ieq(flag, "true") && !ieq(flag, "false"))
        return failure(res, 400, "activeOnly must be true or false.");
      const bool active_only = ieq(flag, "true");
      std::lock_guard lock(mu);
      auto it = store.contacts_of.find(n);
      if (!store.accounts.count(n) || it == store.contacts_of.end())
        return failure(res, 404, "Account " + std::to_string(n) + " was not found.");
      std::string out;
      core::JsonWriter w(out);
      w.begin_array();
      for (auto cn : it->second) {
        const Contact& c = store.contacts.at(cn);
        if (!active_only || !c.inactive) write_contact_summary(w, store, c);
      }
      w.end_array();
      return ok_text(res, std::move(out));
    }
    std::int64_t number = 0;
    if (!parse_number(seg[1], number)) return not_found(req, res);
    const char* what = accounts ? "Account" : "Contact";
    auto missing = [&] { failure(res, 404, std::string(what) + " " + std::to_string(number) + " was not found."); };

    if (seg.size() == 2) {
      if (!allowed(req, res, {"GET", "PUT"})) return;  // no DELETE (P9)
      std::lock_guard lock(mu);
      if (accounts) {
        auto it = store.accounts.find(number);
        if (it == store.accounts.end()) return missing();
        if (m == "PUT") {
          bool ok = false;
          json body = body_of(req, ok);
          if (!ok) return failure(res, 400, "The request body must be an Account object.");
          if (auto err = update_account(it->second, body, false)) return failure(res, 400, *err);
          return ok_text(res, account_response(it->second));
        }
        std::string out;
        core::JsonWriter w(out);
        write_account_summary(w, store, it->second);
        return ok_text(res, std::move(out));
      }
      auto it = store.contacts.find(number);
      if (it == store.contacts.end()) return missing();
      if (m == "PUT") {
        bool ok = false;
        json body = body_of(req, ok);
        if (!ok) return failure(res, 400, "The request body must be a Contact object.");
        if (auto err = update_contact(it->second, body, false)) return failure(res, 400, *err);
        return ok_text(res, contact_response(it->second));
      }
      std::string out;
      core::JsonWriter w(out);
      write_contact_summary(w, store, it->second);
      return ok_text(res, std::move(out));
    }
    if (seg.size() == 3 && ieq(seg[2], "details")) {
      if (!allowed(req, res, {"GET"})) return;
      std::lock_guard lock(mu);
      std::string out;
      core::JsonWriter w(out);
      if (accounts) {
        auto it = store.accounts.find(number);
        if (it == store.accounts.end()) return missing();
        write_account_detail(w, store, it->second);
      } else {
        auto it = store.contacts.find(number);
        if (it == store.contacts.end()) return missing();
        write_contact_detail(w, store, it->second);
      }
      return ok_text(res, std::move(out));
    }
    const bool phones = ieq(seg[2], "phonenumbers");
    const bool emails = contacts && ieq(seg[2], "emails");
    if ((!phones && !emails) || seg.size() > 4) return not_found(req, res);
    std::optional<std::int64_t> item;
    if (seg.size() == 4) {
      std::int64_t id = 0;
      if (!parse_number(seg[3], id)) return not_found(req, res);
      item = id;
      if (!allowed(req, res, {"GET", "PUT"})) return;
    } else if (!allowed(req, res, {"GET", "POST", "DELETE"})) {
      return;
    }
    std::lock_guard lock(mu);
    if (accounts) {
      auto it = store.accounts.find(number);
      if (it == store.accounts.end()) return missing();
      Account& a = it->second;
      return phones_or_emails(&a.phones, nullptr, item, req, res, [&] { stamp(a); });
    }
    auto it = store.contacts.find(number);
    if (it == store.contacts.end()) return missing();
    Contact& c = it->second;
    phones_or_emails(phones ? &c.phones : nullptr, phones ? nullptr : &c.emails, item, req, res, [&] { stamp(c); });
  }

  static void not_found(const httplib::Request& req, httplib::Response& res) {
    message(res, 404, replace(std::string(assumed::kNoRouteMessage), "{uri}", req.path));
  }
};

TigerpawEmulator::TigerpawEmulator(World world, Options options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  impl_->options = options_;
  impl_->store = seed_store(world);
  impl_->clock = &clock();
}

TigerpawEmulator::~TigerpawEmulator() = default;

void TigerpawEmulator::set_base_url(const std::string& base_url) { base_url_ = base_url; }

std::string TigerpawEmulator::ready_json() const {
  return json{{"kind", kind()},
              {"base_url", base_url_},
              {"api_url", base_url_ + std::string(assumed::kApiRoot)},
              {"public_key", options_.public_key},
              {"private_key", options_.private_key},
              {"max_page_size", options_.max_page_size},
              {"admin_url", base_url_ + "/__sim"}}
      .dump();
}

void TigerpawEmulator::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string_view path = req.path;
  const std::string_view root = assumed::kApiRoot;
  if (path.size() < root.size() || !ieq(path.substr(0, root.size()), root) ||
      (path.size() > root.size() && path[root.size()] != '/'))
    return Impl::not_found(req, res);

  const Timestamp wall = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const std::string authorization = req.get_header_value("Authorization");
  const std::string tsi_date = req.get_header_value("X-TSI-Date");
  const std::string date = req.get_header_value("Date");
  const TsiVerdict verdict = verify_tsi({req.method, req.path, authorization, tsi_date, date},
                                        {options_.public_key, options_.private_key}, wall, options_.clock_skew_seconds);
  if (verdict != TsiVerdict::Ok) {
    res.set_header("WWW-Authenticate", "TSI");
    return message(res, assumed::kUnauthorizedStatus, assumed::kUnauthorizedMessage);
  }
  if ((req.method == "POST" || req.method == "PUT") && !req.has_header("Content-Length"))
    return message(res, 411, assumed::kLengthRequiredMessage);
  impl_->api(split_path(path.substr(root.size())), req, res);
}

void TigerpawEmulator::write_throttled(httplib::Response& res, int) {
  message(res, 429, assumed::kThrottledMessage);
}

void TigerpawEmulator::write_server_error(httplib::Response& res) {
  message(res, 500, assumed::kServerErrorMessage);
}

namespace {

AdminResult admin_error(int status, const std::string& text) { return {status, json{{"error", text}}.dump()}; }

bool is_accounts(const std::string& entity) { return ieq(entity, "accounts"); }
bool is_contacts(const std::string& entity) { return ieq(entity, "contacts"); }

}  // namespace

AdminResult TigerpawEmulator::admin_create(const std::string& entity, const std::string& body) {
  if (!is_accounts(entity) && !is_contacts(entity)) return admin_error(404, "unknown Tigerpaw entity " + entity + " (accounts, contacts)");
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return admin_error(400, "the body must be a JSON object");
  std::lock_guard lock(impl_->mu);
  auto r = is_accounts(entity) ? impl_->create_account(j, true) : impl_->create_contact(j);
  if (auto* err = std::get_if<std::string>(&r)) return admin_error(400, *err);
  const auto n = std::get<std::int64_t>(r);
  return {201, is_accounts(entity) ? impl_->account_response(impl_->store.accounts.at(n))
                                   : impl_->contact_response(impl_->store.contacts.at(n))};
}

AdminResult TigerpawEmulator::admin_update(const std::string& entity, std::int64_t id, const std::string& body) {
  if (!is_accounts(entity) && !is_contacts(entity)) return admin_error(404, "unknown Tigerpaw entity " + entity + " (accounts, contacts)");
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return admin_error(400, "the body must be a JSON object");
  // {"Account":{…}} / {"Contact":{…}} or the record's fields directly.
  const json* nested = find_member(j, is_accounts(entity) ? "Account" : "Contact");
  json fields = nested && nested->is_object() ? *nested : j;
  if (nested)
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.value().is_primitive() || it.value().is_null()) fields[it.key()] = it.value();
  std::lock_guard lock(impl_->mu);
  auto& s = impl_->store;
  if (is_accounts(entity)) {
    auto it = s.accounts.find(id);
    if (it == s.accounts.end()) return admin_error(404, "no account " + std::to_string(id));
    if (auto err = impl_->update_account(it->second, fields, true)) return admin_error(400, *err);
    return {200, impl_->account_response(it->second)};
  }
  auto it = s.contacts.find(id);
  if (it == s.contacts.end()) return admin_error(404, "no contact " + std::to_string(id));
  if (auto err = impl_->update_contact(it->second, fields, true)) return admin_error(400, *err);
  return {200, impl_->contact_response(it->second)};
}

AdminResult TigerpawEmulator::admin_delete(const std::string& entity, std::int64_t id) {
  if (!is_accounts(entity) && !is_contacts(entity)) return admin_error(404, "unknown Tigerpaw entity " + entity + " (accounts, contacts)");
  std::lock_guard lock(impl_->mu);
  auto& s = impl_->store;
  if (is_accounts(entity)) {
    auto it = s.accounts.find(id);
    if (it == s.accounts.end()) return admin_error(404, "no account " + std::to_string(id));
    // An account goes with its contacts; children lose their parent.
    for (auto cn : s.contacts_of[id]) s.contacts.erase(cn);
    s.contacts_of.erase(id);
    s.accounts.erase(it);
    for (auto& [n, a] : s.accounts)
      if (a.parent == id) {
        a.parent = 0;
        impl_->stamp(a);
      }
    ++impl_->generation;
    return {204, ""};
  }
  auto it = s.contacts.find(id);
  if (it == s.contacts.end()) return admin_error(404, "no contact " + std::to_string(id));
  s.contacts_of[it->second.account].erase(id);
  if (auto a = s.accounts.find(it->second.account); a != s.accounts.end() && a->second.primary_contact == id) {
    a->second.primary_contact = 0;
    impl_->stamp(a->second);
  }
  s.contacts.erase(it);
  ++impl_->generation;
  return {204, ""};
}

std::string TigerpawEmulator::admin_status() const {
  std::lock_guard lock(impl_->mu);
  return json{{"records", {{"accounts", impl_->store.accounts.size()}, {"contacts", impl_->store.contacts.size()}}},
              {"max_page_size", options_.max_page_size},
              {"clock_skew_seconds", options_.clock_skew_seconds}}
      .dump();
}

bool TigerpawEmulator::admin_extra(const std::string& sub_path, const httplib::Request& req, httplib::Response& res) {
  // GET /__sim/last-modified/{accounts|contacts}/{number}: the change time Tigerpaw keeps off the wire (P14).
  const auto seg = split_path(sub_path);
  if (seg.empty() || seg[0] != "last-modified") return false;
  auto answer = [&](int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
    return true;
  };
  std::int64_t n = 0;
  if (seg.size() != 3 || (!is_accounts(seg[1]) && !is_contacts(seg[1])) || !parse_number(seg[2], n))
    return answer(404, {{"error", "expected /__sim/last-modified/{accounts|contacts}/{number}"}});
  if (req.method != "GET") return answer(405, {{"error", "use GET"}});
  std::lock_guard lock(impl_->mu);
  Timestamp modified = 0;
  if (is_accounts(seg[1])) {
    auto it = impl_->store.accounts.find(n);
    if (it == impl_->store.accounts.end()) return answer(404, {{"error", "no account " + seg[2]}});
    modified = it->second.modified;
  } else {
    auto it = impl_->store.contacts.find(n);
    if (it == impl_->store.contacts.end()) return answer(404, {{"error", "no contact " + seg[2]}});
    modified = it->second.modified;
  }
  return answer(200, {{"entity", seg[1]}, {"number", n}, {"last_modified", format_utc(modified)}});
}

}  // namespace cairn::sim::tigerpaw
