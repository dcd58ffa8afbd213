#include "sim/tigerpaw/search.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

namespace cairn::sim::tigerpaw {

namespace {

using nlohmann::json;

// Hostile bodies stay cheap: real searches carry a handful of criteria.
constexpr std::size_t kMaxCriteria = 100;
constexpr std::size_t kMaxEcho = 60;

std::string fold(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out += c;
  return out;
}

std::string echo(std::string_view s) {
  return s.size() <= kMaxEcho ? std::string(s) : std::string(s.substr(0, kMaxEcho)) + "…";
}

struct TypeName {
  std::string_view name;  // folded
  SearchType type;
};

// Valid SearchTypes per entity (psa-apis.md §5.2 and the 18.2.1 method docs).
constexpr TypeName kAccountTypes[] = {
    {"accountname", SearchType::AccountName}, {"accountnumber", SearchType::AccountNumber},
    {"accountid", SearchType::AccountId},     {"accounttype", SearchType::AccountType},
    {"accountstatus", SearchType::AccountStatus}, {"address", SearchType::Address},
    {"postalcode", SearchType::PostalCode},   {"email", SearchType::Email},
    {"phonenumber", SearchType::PhoneNumber}, {"contactname", SearchType::ContactName},
};
constexpr std::string_view kAccountUnmodelled[] = {"accountnamesoundslike", "externalid", "agreement", "customfield",
                                                   "externalproduct"};
constexpr TypeName kContactTypes[] = {
    {"firstname", SearchType::FirstName}, {"lastname", SearchType::LastName},   {"email", SearchType::Email},
    {"phonenumber", SearchType::PhoneNumber}, {"accountid", SearchType::AccountId},
};
constexpr std::string_view kContactUnmodelled[] = {"firstnamesoundslike", "lastnamesoundslike", "customfield"};

// Route segments of the one-field searches.
constexpr TypeName kAccountRoutes[] = {
    {"name", SearchType::AccountName},          {"accountnumber", SearchType::AccountNumber},
    {"accountid", SearchType::AccountId},       {"accountstatus", SearchType::AccountStatus},
    {"accounttype", SearchType::AccountType},   {"address", SearchType::Address},
    {"postalcode", SearchType::PostalCode},     {"email", SearchType::Email},
    {"phone", SearchType::PhoneNumber},         {"contact/name", SearchType::ContactName},
};
constexpr TypeName kContactRoutes[] = {
    {"firstname", SearchType::FirstName}, {"lastname", SearchType::LastName}, {"email", SearchType::Email},
    {"phone", SearchType::PhoneNumber},
};

constexpr std::pair<std::string_view, MatchType> kMatchTypes[] = {
    {"startswith", MatchType::StartsWith},   {"endswith", MatchType::EndsWith},
    {"contains", MatchType::Contains},       {"equal", MatchType::Equal},
    {"greaterthan", MatchType::GreaterThan}, {"greaterthanequal", MatchType::GreaterThanEqual},
    {"lessthan", MatchType::LessThan},       {"lessthanequal", MatchType::LessThanEqual},
};

const char* match_name(MatchType m) {
  switch (m) {
    case MatchType::StartsWith: return "StartsWith";
    case MatchType::EndsWith: return "EndsWith";
    case MatchType::Contains: return "Contains";
    case MatchType::Equal: return "Equal";
    case MatchType::GreaterThan: return "GreaterThan";
    case MatchType::GreaterThanEqual: return "GreaterThanEqual";
    case MatchType::LessThan: return "LessThan";
    case MatchType::LessThanEqual: return "LessThanEqual";
  }
  return "?";
}

// A member of obj by name, ignoring case (.NET model binding); nullptr if absent.
const json* member(const json& obj, std::string_view name) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (fold(it.key()) == name) return &it.value();
  return nullptr;
}

// An int? of the model: an integer, or integral text as Json.NET converts it; null is absent.
std::variant<int, SearchError> optional_int(const json& body, std::string_view name, const char* spelled, int fallback) {
  const json* v = member(body, name);
  if (!v || v->is_null()) return fallback;
  std::int64_t n = 0;
  if (v->is_number_integer()) {
    n = v->get<std::int64_t>();
  } else if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return SearchError{std::string(spelled) + " must be an integer."};
  } else {
    return SearchError{std::string(spelled) + " must be an integer."};
  }
  if (n < 1 || n > 1'000'000'000) return SearchError{std::string(spelled) + " must be at least 1."};
  return static_cast<int>(n);
}

std::variant<Criterion, SearchError> make_criterion(SearchType type, const json* match, const json* criteria) {
  Criterion c;
  c.type = type;
  if (match && !match->is_null()) {
    if (!match->is_string()) return SearchError{"MatchType must be a string."};
    const std::string m = fold(match->get<std::string>());
    bool known = false;
    for (const auto& [name, value] : kMatchTypes)
      if (name == m) {
        c.match = value;
        known = true;
      }
    if (!known)
      return SearchError{"Invalid MatchType '" + echo(match->get<std::string>()) +
                         "'. Valid MatchType = StartsWith, EndsWith, Contains, GreaterThan, GreaterThanEqual, Equal, "
                         "LessThan, LessThanEqual."};
  }
  if (!criteria || criteria->is_null()) return SearchError{"Criteria is required for SearchType " + std::string(to_string(type)) + "."};
  std::string text;
  if (criteria->is_string()) text = criteria->get<std::string>();
  else if (criteria->is_number_integer()) text = std::to_string(criteria->get<std::int64_t>());
  else return SearchError{"Criteria must be a string."};
  if (type == SearchType::AccountNumber) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), c.number);
    if (ec != std::errc() || p != text.data() + text.size())
      return SearchError{"Criteria '" + echo(text) + "' is not a valid account number."};
  }
  c.text = type == SearchType::PhoneNumber ? digits_only(text) : fold(text);
  return c;
}

void finish(Search& s) {
  std::sort(s.groups.begin(), s.groups.end(),
            [](const auto& a, const auto& b) { return a.front().type < b.front().type; });
  s.key.clear();
  for (const auto& g : s.groups) {
    s.key += to_string(g.front().type);
    for (const auto& c : g) {
      s.key += '\x1f';
      s.key += match_name(c.match);
      s.key += '\x1e';
      s.key += c.text;
    }
    s.key += '\x1d';
  }
}

void add(Search& s, Criterion c) {
  for (auto& g : s.groups)
    if (g.front().type == c.type) {
      g.push_back(std::move(c));
      return;
    }
  s.groups.push_back({std::move(c)});
}

std::variant<Search, SearchError> paging(Search s, const json& body) {
  auto size = optional_int(body, "pagesize", "PageSize", 0);
  if (auto* e = std::get_if<SearchError>(&size)) return *e;
  auto start = optional_int(body, "startrow", "StartRow", 1);
  if (auto* e = std::get_if<SearchError>(&start)) return *e;
  s.page_size = std::get<int>(size);
  s.start_row = std::get<int>(start);
  finish(s);
  return s;
}

bool text_matches(const Criterion& c, std::string_view value) {
  const std::string v = c.type == SearchType::PhoneNumber ? digits_only(value) : fold(value);
  const std::string_view t = c.text;
  switch (c.match) {
    case MatchType::StartsWith: return std::string_view(v).starts_with(t);
    case MatchType::EndsWith: return std::string_view(v).ends_with(t);
    case MatchType::Contains: return v.find(t) != std::string::npos;
    case MatchType::Equal: return v == t;
    case MatchType::GreaterThan: return v > t;
    case MatchType::GreaterThanEqual: return v >= t;
    case MatchType::LessThan: return v < t;
    case MatchType::LessThanEqual: return v <= t;
  }
  return false;
}

bool number_matches(const Criterion& c, std::string_view value) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || p != value.data() + value.size()) return false;
  switch (c.match) {
    case MatchType::Equal: return n == c.number;
    case MatchType::GreaterThan: return n > c.number;
    case MatchType::GreaterThanEqual: return n >= c.number;
    case MatchType::LessThan: return n < c.number;
    case MatchType::LessThanEqual: return n <= c.number;
    default: return text_matches(c, value);  // StartsWith / EndsWith / Contains on the digits
  }
}

}  // namespace

std::string_view to_string(SearchType t) {
  switch (t) {
    case SearchType::AccountName: return "AccountName";
    case SearchType::AccountNumber: return "AccountNumber";
    case SearchType::AccountId: return "AccountId";
    case SearchType::AccountType: return "AccountType";
    case SearchType::AccountStatus: return "AccountStatus";
    case SearchType::Address: return "Address";
    case SearchType::PostalCode: return "PostalCode";
    case SearchType::Email: return "Email";
    case SearchType::PhoneNumber: return "PhoneNumber";
    case SearchType::ContactName: return "ContactName";
    case SearchType::FirstName: return "FirstName";
    case SearchType::LastName: return "LastName";
  }
  return "?";
}

bool Search::matches(const ValuesOf& values_of) const {
  std::vector<std::string_view> values;
  for (const auto& group : groups) {
    values.clear();
    values_of(group.front().type, values);
    if (values.empty()) values.emplace_back();  // an absent value reads as ""
    bool any = false;
    for (const auto& c : group) {
      for (auto v : values) {
        if (c.type == SearchType::AccountNumber ? number_matches(c, v) : text_matches(c, v)) {
          any = true;
          break;
        }
      }
      if (any) break;
    }
    if (!any) return false;
  }
  return true;
}

std::variant<Search, SearchError> parse_search(const json& body, SearchEntity entity) {
  if (!body.is_object()) return SearchError{"The request body must be an AdvancedSearchRequest object."};
  const json* criteria = member(body, "criteria");
  if (!criteria || criteria->is_null() || (criteria->is_array() && criteria->empty()))
    return SearchError{"At least one search criteria is required."};
  if (!criteria->is_array()) return SearchError{"Criteria must be a list of search criteria."};
  if (criteria->size() > kMaxCriteria) return SearchError{"Too many search criteria (at most 100)."};
  const bool accounts = entity == SearchEntity::Accounts;
  Search s;
  for (const auto& item : *criteria) {
    if (!item.is_object()) return SearchError{"Each search criteria must be an object."};
    const json* type = member(item, "searchtype");
    if (!type || !type->is_string()) return SearchError{"SearchType is required."};
    const std::string name = fold(type->get<std::string>());
    std::optional<SearchType> found;
    if (accounts) {
      for (const auto& t : kAccountTypes)
        if (t.name == name) found = t.type;
    } else {
      for (const auto& t : kContactTypes)
        if (t.name == name) found = t.type;
    }
    if (!found) {
      bool unmodelled = false;
      if (accounts) {
        for (auto u : kAccountUnmodelled) unmodelled = unmodelled || u == name;
      } else {
        for (auto u : kContactUnmodelled) unmodelled = unmodelled || u == name;
      }
      if (unmodelled)
        return SearchError{"SearchType '" + echo(type->get<std::string>()) + "' is not supported by this server."};
      return SearchError{std::string("Invalid SearchType '") + echo(type->get<std::string>()) + "'. Valid SearchType = " +
                         (accounts ? "AccountName, Address, PostalCode, Email, PhoneNumber, AccountNumber, AccountId, "
                                     "ContactName, AccountType, AccountStatus."
                                   : "FirstName, LastName, Email, PhoneNumber, AccountId.")};
    }
    auto c = make_criterion(*found, member(item, "matchtype"), member(item, "criteria"));
    if (auto* e = std::get_if<SearchError>(&c)) return *e;
    add(s, std::get<Criterion>(std::move(c)));
  }
  return paging(std::move(s), body);
}

std::variant<Search, SearchError> parse_search_text(std::string_view text, SearchEntity entity) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return SearchError{"The request body is not valid JSON."};
  return parse_search(body, entity);
}

std::variant<Search, SearchError> parse_field_search_text(std::string_view text, SearchEntity entity,
                                                          std::string_view type_segment) {
  const std::string segment = fold(type_segment);
  std::optional<SearchType> found;
  if (entity == SearchEntity::Accounts) {
    for (const auto& t : kAccountRoutes)
      if (t.name == segment) found = t.type;
  } else {
    for (const auto& t : kContactRoutes)
      if (t.name == segment) found = t.type;
  }
  if (!found) return SearchError{"No search by '" + echo(type_segment) + "'."};
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return SearchError{"The request body must be a JSON object."};
  auto c = make_criterion(*found, member(body, "matchtype"), member(body, "criteria"));
  if (auto* e = std::get_if<SearchError>(&c)) return *e;
  Search s;
  add(s, std::get<Criterion>(std::move(c)));
  return paging(std::move(s), body);
}

}  // namespace cairn::sim::tigerpaw
