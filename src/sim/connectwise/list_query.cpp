#include "sim/connectwise/list_query.h"

#include <algorithm>
#include <charconv>

#include "sim/connectwise/assumptions.h"
#include "sim/sim_time.h"

namespace cairn::sim::connectwise {

namespace {

// A deliberately small lexer: enough to find top-level `and`/`or` and simple comparisons.
// Anything it does not understand becomes an Other token and makes its term opaque; the full
// parser in conditions.cpp has already accepted (or refused) the text.
struct Token {
  enum class Kind { Word, Number, String, Datetime, Op, Open, Close, Comma, Other };
  Kind kind;
  std::string text;  // words folded to lower case
};

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '/';
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '(' || c == ')' || c == ',') {
      out.push_back({c == '(' ? Token::Kind::Open : c == ')' ? Token::Kind::Close : Token::Kind::Comma, {c}});
      ++i;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '"') j += s[j] == '\\' ? 2 : 1;
      out.push_back({Token::Kind::String, std::string(s.substr(i, j + 1 - i))});
      i = j + 1;
    } else if (c == '[') {
      const std::size_t j = s.find(']', i);
      if (j == std::string_view::npos) return {{Token::Kind::Other, ""}};
      out.push_back({Token::Kind::Datetime, std::string(s.substr(i + 1, j - i - 1))});
      i = j + 1;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      if (i + 1 < s.size() && s[i + 1] == '=') op += '=';
      out.push_back({Token::Kind::Op, op});
      i += op.size();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i + 1;
      while (j < s.size() && (is_word(s[j]) || s[j] == '.')) ++j;
      out.push_back({Token::Kind::Number, std::string(s.substr(i, j - i))});
      i = j;
    } else if (is_word(c)) {
      std::size_t j = i;
      std::string w;
      while (j < s.size() && is_word(s[j])) w += fold(s[j++]);
      out.push_back({Token::Kind::Word, w});
      i = j;
    } else {
      out.push_back({Token::Kind::Other, {c}});
      ++i;
    }
  }
  return out;
}

bool parse_integer(const std::string& s, std::int64_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool is_time_path(const std::string& p) { return p == "lastupdated" || p == "_info/lastupdated"; }

// One top-level AND group, tokens [b, e): a FastTerm, or nothing.
std::optional<FastTerm> term(const std::vector<Token>& t, std::size_t b, std::size_t e) {
  using K = Token::Kind;
  if (e - b < 3 || t[b].kind != K::Word) return std::nullopt;
  FastTerm ft;
  ft.path = is_time_path(t[b].text) ? "lastupdated" : t[b].text;
  std::size_t i = b + 1;
  if (t[i].kind == K::Op) {
    const std::string& op = t[i].text;
    ft.op = op == "=" ? FastTerm::Op::Eq
          : op == "!=" ? FastTerm::Op::Ne
          : op == "<" ? FastTerm::Op::Lt
          : op == "<=" ? FastTerm::Op::Le
          : op == ">" ? FastTerm::Op::Gt
          : op == ">=" ? FastTerm::Op::Ge
                       : FastTerm::Op::In;  // "!" alone: not a comparison
    if (ft.op == FastTerm::Op::In || e - b != 3) return std::nullopt;
    const Token& v = t[b + 2];
    std::int64_t n = 0;
    if (v.kind == K::Number && parse_integer(v.text, n)) {
      ft.literal = FastTerm::Literal::Integer;
      ft.values = {n};
    } else if (v.kind == K::Word && (v.text == "true" || v.text == "false")) {
      if (ft.op != FastTerm::Op::Eq && ft.op != FastTerm::Op::Ne) return std::nullopt;
      ft.literal = FastTerm::Literal::Boolean;
      ft.values = {v.text == "true" ? 1 : 0};
    } else if (v.kind == K::Datetime) {
      auto ms = parse_utc_millis(v.text);
      if (!ms) return std::nullopt;
      ft.literal = FastTerm::Literal::Datetime;
      ft.values = {*ms};
    } else {
      return std::nullopt;
    }
  } else {
    // [not] in ( n, n, ... )
    if (t[i].kind == K::Word && t[i].text == "not") {
      ft.op = FastTerm::Op::NotIn;
      ++i;
    } else {
      ft.op = FastTerm::Op::In;
    }
    if (i >= e || t[i].kind != K::Word || t[i].text != "in") return std::nullopt;
    if (++i >= e || t[i].kind != K::Open || t[e - 1].kind != K::Close) return std::nullopt;
    ft.literal = FastTerm::Literal::Integer;
    for (++i; i < e - 1; ++i) {
      std::int64_t n = 0;
      if (t[i].kind != K::Number || !parse_integer(t[i].text, n)) return std::nullopt;
      ft.values.push_back(n);
      if (i + 1 < e - 1 && t[++i].kind != K::Comma) return std::nullopt;
    }
    if (ft.values.empty()) return std::nullopt;
  }
  // lastUpdated takes only datetimes; everything else only integers and booleans.
  if (is_time_path(ft.path) != (ft.literal == FastTerm::Literal::Datetime)) return std::nullopt;
  return ft;
}

}  // namespace

FastFilter analyse_conditions(std::string_view text) {
  FastFilter f;
  const auto t = lex(text);
  if (t.empty()) return f;
  int depth = 0;
  std::size_t start = 0;
  auto close_group = [&](std::size_t end) {
    if (auto ft = term(t, start, end)) f.terms.push_back(std::move(*ft));
    else f.complete = false;
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::Kind::Open) ++depth;
    if (t[i].kind == Token::Kind::Close) --depth;
    if (depth != 0 || t[i].kind != Token::Kind::Word) continue;
    if (t[i].text == "or") return FastFilter{{}, false};  // a top-level OR: nothing is necessary alone
    if (t[i].text == "and") {
      close_group(i);
      start = i + 1;
    }
  }
  close_group(t.size());
  return f;
}

bool compare_fast(FastTerm::Op op, std::int64_t v, const std::vector<std::int64_t>& lits) {
  switch (op) {
    case FastTerm::Op::Eq: return v == lits[0];
    case FastTerm::Op::Ne: return v != lits[0];
    case FastTerm::Op::Lt: return v < lits[0];
    case FastTerm::Op::Le: return v <= lits[0];
    case FastTerm::Op::Gt: return v > lits[0];
    case FastTerm::Op::Ge: return v >= lits[0];
    case FastTerm::Op::In: return std::find(lits.begin(), lits.end(), v) != lits.end();
    case FastTerm::Op::NotIn: return std::find(lits.begin(), lits.end(), v) == lits.end();
  }
  return false;
}

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::optional<std::int64_t> positive(const std::string& s) {
  std::int64_t v = 0;
  if (!parse_integer(s, v) || v < 1) return std::nullopt;
  return v;
}

}  // namespace

std::variant<ListQuery, std::string> parse_list_query(const QueryInput& in) {
  ListQuery q;
  if (!blank(in.conditions)) {
    auto c = parse_conditions(in.conditions);
    if (auto* e = std::get_if<ConditionError>(&c)) return "conditions: " + e->message;
    q.conditions = std::get<Condition>(c);
    q.has_conditions = true;
    q.fast = analyse_conditions(in.conditions);
  }
  if (!blank(in.child_conditions)) {
    auto c = parse_conditions(in.child_conditions);
    if (auto* e = std::get_if<ConditionError>(&c)) return "childConditions: " + e->message;
    q.child_conditions = std::get<Condition>(c);
    q.has_child_conditions = true;
  }
  if (!blank(in.custom_field_conditions)) {
    auto c = parse_conditions(in.custom_field_conditions);
    if (auto* e = std::get_if<ConditionError>(&c)) return "customFieldConditions: " + e->message;
    q.has_custom_field_conditions = true;
  }
  if (!blank(in.order_by)) {
    auto o = parse_order_by(in.order_by);
    if (auto* e = std::get_if<ConditionError>(&o)) return "orderBy: " + e->message;
    q.order_by = std::get<OrderBy>(o);
    // "id", "id asc" or "id desc" (any case) keeps the natural order.
    std::string folded;
    for (char c : in.order_by) folded += fold(c);
    const auto tokens = lex(folded);
    q.order_by_id = tokens.size() >= 1 && tokens.size() <= 2 && tokens[0].kind == Token::Kind::Word &&
                    tokens[0].text == "id" &&
                    (tokens.size() == 1 || (tokens[1].kind == Token::Kind::Word &&
                                            (tokens[1].text == "asc" || tokens[1].text == "desc")));
    q.descending = q.order_by_id && tokens.size() == 2 && tokens[1].text == "desc";
  }
  if (!blank(in.fields)) {
    auto f = parse_fields(in.fields);
    if (auto* e = std::get_if<ConditionError>(&f)) return "fields: " + e->message;
    q.fields = std::get<FieldSelection>(f);
  }
  if (!in.page.empty()) {
    auto p = positive(in.page);
    if (!p) return "page must be a whole number of at least 1, not \"" + in.page.substr(0, 20) + "\"";
    q.page = *p;
  }
  if (!in.page_size.empty()) {
    auto p = positive(in.page_size);
    if (!p) return "pageSize must be a whole number of at least 1, not \"" + in.page_size.substr(0, 20) + "\"";
    q.page_size = std::min<std::int64_t>(*p, 1000);
  }
  if (!in.page_id.empty()) {
    std::int64_t v = 0;
    if (!parse_integer(in.page_id, v) || v < 0)
      return "pageId must be a record id (a whole number), not \"" + in.page_id.substr(0, 20) + "\"";
    q.page_id = v;
  }
  q.forward_only = in.forward_only_header;
  if (q.forward_only && !q.order_by_id) return "orderBy is not supported with forward-only pagination (it pages by id)";
  if (q.forward_only && q.descending) return "forward-only pagination pages by ascending id; orderBy id desc is not supported";
  return q;
}

}  // namespace cairn::sim::connectwise
