#include "sim/bms/list_query.h"

#include <algorithm>
#include <charconv>

#include "sim/bms/wire.h"
#include "sim/query_values.h"

namespace cairn::sim::bms {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

bool parse_int(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string bad_value(const FilterSpec& spec, std::string_view value, std::string_view expected) {
  return "The value '" + std::string(value) + "' is not valid for " + spec.param + ": expected " + std::string(expected) +
         ".";
}

// Reads one parameter's value into term; an error message or "".
std::string read_value(const FilterSpec& spec, std::string_view raw, FilterTerm& term) {
  const std::string v = trimmed(raw);
  switch (spec.kind) {
    case FilterKind::Id: {
      std::int64_t n = 0;
      if (!parse_int(v, n) || n < 1) return bad_value(spec, raw, "a positive integer");
      term.ids = {n};
      return "";
    }
    case FilterKind::IdList: {
      std::size_t i = 0;
      while (i <= v.size()) {
        const std::size_t j = std::min(v.find(',', i), v.size());
        std::int64_t n = 0;
        if (!parse_int(trimmed(std::string_view(v).substr(i, j - i)), n) || n < 1)
          return bad_value(spec, raw, "positive integers separated by commas");
        term.ids.push_back(n);
        i = j + 1;
      }
      return "";
    }
    case FilterKind::Bool:
      if (iequals(v, "true")) term.flag = true;
      else if (iequals(v, "false")) term.flag = false;
      else return bad_value(spec, raw, "true or false");
      return "";
    case FilterKind::Text:
      term.text.clear();
      for (char c : v) term.text += lower(c);
      return "";
    case FilterKind::DateFrom:
    case FilterKind::DateTo: {
      const auto micros = query::parse_datetime(v);
      if (!micros) return bad_value(spec, raw, "an ISO-8601 date or date-time");
      // Floor to whole seconds (records are stamped in seconds); a To bound keeps its second.
      std::int64_t s = *micros / 1000000;
      if (*micros < 0 && *micros % 1000000 != 0) --s;
      if (spec.kind == FilterKind::DateFrom && s * 1000000 < *micros) ++s;
      term.seconds = s;
      return "";
    }
  }
  return "";
}

bool starts_with_folded(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace

bool contains_folded(std::string_view haystack, std::string_view needle_lower) {
  if (needle_lower.empty()) return true;
  if (haystack.size() < needle_lower.size()) return false;
  for (std::size_t i = 0; i + needle_lower.size() <= haystack.size(); ++i) {
    std::size_t k = 0;
    while (k < needle_lower.size() && lower(haystack[i + k]) == needle_lower[k]) ++k;
    if (k == needle_lower.size()) return true;
  }
  return false;
}

std::string ListQuery::key() const {
  std::vector<std::string> parts;
  for (const auto& t : terms) {
    std::string p = t.spec->param + "=";
    for (auto id : t.ids) p += std::to_string(id) + ",";
    p += t.flag ? "T" : "F";
    p += t.text + "|" + std::to_string(t.seconds);
    parts.push_back(std::move(p));
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "&";
  return out;
}

std::variant<ListQuery, QueryError> parse_list_query(const QueryParams& params, const std::vector<FilterSpec>& specs,
                                                     const PagingRules& rules) {
  ListQuery q;
  q.page_size = rules.paged ? rules.default_size : 0;
  for (const auto& [name, value] : params) {
    if (iequals(name, "PageNumber") || iequals(name, "PageSize")) {
      if (!rules.paged) continue;
      std::int64_t n = 0;
      if (!parse_int(trimmed(value), n) || n < 1)
        return QueryError{"The value '" + value + "' is not valid for " + name + ": expected an integer of at least 1."};
      if (iequals(name, "PageNumber")) q.page_number = static_cast<int>(std::min<std::int64_t>(n, 1'000'000'000));
      else q.page_size = static_cast<int>(std::min<std::int64_t>(n, rules.max_size));
      continue;
    }
    const FilterSpec* spec = nullptr;
    for (const auto& s : specs)
      if (iequals(s.param, name)) spec = &s;
    if (!spec) {
      if (starts_with_folded(name, "Filter.")) return QueryError{"The filter '" + name + "' is not supported by this list."};
      continue;  // unknown plain parameters are ignored, as ASP.NET's binder does
    }
    FilterTerm* term = nullptr;
    if (spec->kind == FilterKind::IdList)  // a repeated list parameter adds to the same term
      for (auto& t : q.terms)
        if (t.spec == spec) term = &t;
    if (!term) {
      q.terms.push_back({});
      term = &q.terms.back();
      term->spec = spec;
    }
    if (auto err = read_value(*spec, value, *term); !err.empty()) return QueryError{err};
  }
  return q;
}

}  // namespace cairn::sim::bms
