#include "sim/connectwise/conditions.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/json_writer.h"

#include "sim/query_values.h"

namespace cairn::sim::connectwise {

namespace {

using query::compare_num;
using query::json_number;
using query::Num;
using query::parse_datetime;
using query::parse_number_text;


using nlohmann::json;

// Bounds recursion on hostile input ("((((..." or "not not not ..."), far above real use.
constexpr std::size_t kMaxDepth = 100;
// Error messages quote user text; cap it so a megabyte of garbage does not come back in a 400.
constexpr std::size_t kMaxQuoted = 40;

// ---------------------------------------------------------------------------------------------
// Text helpers. Case folding is ASCII-only: field names are ASCII, and it keeps the hot path
// allocation-free.

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string fold_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

// `b` must already be folded.
bool ci_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != b[i]) return false;
  return true;
}

// `b` must already be folded.
int ci_compare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(fold(a[i]));
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// Neither side folded (used when sorting two record values).
int ci_compare_both(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(fold(a[i]));
    const auto y = static_cast<unsigned char>(fold(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// `needle` must already be folded.
std::size_t ci_find(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  if (hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && fold(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

// Error messages end up in JSON bodies: nlohmann refuses to dump invalid UTF-8, so anything
// outside printable ASCII is replaced rather than echoed.
std::string quote_text(std::string_view s) {
  std::string out = "'";
  const std::size_t n = std::min(s.size(), kMaxQuoted);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (s.size() > kMaxQuoted) out += "...";
  out += "'";
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Numbers (integers kept exact: ids beyond 2^53 must still compare equal) and ISO-8601 instants
// are read by sim/query_values, shared with the Autotask emulator.


// ---------------------------------------------------------------------------------------------
// Compiled pieces.

enum class LitKind { String, Number, Bool, Null, DateTime };

struct Literal {
  LitKind kind = LitKind::Null;
  std::string folded;                   // String: the text, case-folded once at parse time
  std::optional<Num> number;            // Number, or a String that reads as one
  std::optional<std::int64_t> instant;  // DateTime, or a String that reads as one
  bool boolean = false;
  std::size_t pos = 0;
};

struct Segment {
  std::string name;    // as written: tried first as an exact key (the common case)
  std::string folded;  // for the case-insensitive fallback
};

struct Path {
  std::vector<Segment> segments;
  // `lastUpdated` is accepted on every resource even where the model has no such field; it
  // then means `_info/lastUpdated` (psa-apis.md §1.4).
  std::vector<Segment> alias;
};

std::string path_text(const Path& p) {
  std::string out;
  for (const auto& s : p.segments) {
    if (!out.empty()) out += '/';
    out += s.name;
  }
  return out;
}

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains, NotContains, Like, NotLike, In, NotIn, IsNull, NotNull };

struct LikePattern {
  std::vector<std::string> parts;  // folded text between '*'
  bool lead_star = false;
  bool trail_star = false;
};

struct Comparison {
  Path path;
  Op op = Op::Eq;
  std::vector<Literal> values;  // one, or the `in` list
  bool list_has_null = false;
  LikePattern like;
};

}  // namespace

struct Condition::Node {
  enum class Kind { And, Or, Not, Compare };
  Kind kind = Kind::Compare;
  std::vector<Node> children;
  Comparison cmp;
};

struct OrderBy::Key {
  Path path;
  bool descending = false;
};

struct FieldSelection::Field {
  std::string name;
  std::string folded;
  bool whole = false;  // the whole value, not just some of its members
  std::vector<Field> children;
};

namespace {

using Node = Condition::Node;

const json* find_member(const json& obj, const Segment& seg) {
  auto it = obj.find(seg.name);
  if (it != obj.end()) return &*it;
  for (auto i = obj.begin(); i != obj.end(); ++i)
    if (ci_equal(i.key(), seg.folded)) return &*i;
  return nullptr;
}

// Calls f(value) for every value the path reaches, f(nullptr) where it dead-ends; f returns true
// to stop. Arrays on the way (and at the end) fan out, which gives "any element" semantics.
template <class F>
bool visit(const json& node, const Segment* seg, const Segment* end, F& f) {
  if (node.is_array()) {
    for (const auto& e : node)
      if (seg == end ? f(&e) : visit(e, seg, end, f)) return true;
    return false;
  }
  if (seg == end) return f(&node);
  if (!node.is_object()) return f(nullptr);
  const json* child = find_member(node, *seg);
  if (child == nullptr) return f(nullptr);
  return visit(*child, seg + 1, end, f);
}

template <class F>
bool visit_path(const json& record, const Path& path, F&& f) {
  const auto& segs = path.segments;
  if (!path.alias.empty() && record.is_object() && find_member(record, segs.front()) == nullptr) {
    const auto& alias = path.alias;
    return visit(record, alias.data(), alias.data() + alias.size(), f);
  }
  return visit(record, segs.data(), segs.data() + segs.size(), f);
}

int three_way(std::int64_t a, std::int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// nullopt: the two cannot be compared (e.g. a string field against a boolean).
std::optional<int> compare(const json& v, const Literal& lit) {
  switch (lit.kind) {
    case LitKind::String:
      if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (lit.instant)
          if (auto t = parse_datetime(s)) return three_way(*t, *lit.instant);
        return ci_compare(s, lit.folded);
      }
      if (lit.number)
        if (auto n = json_number(v)) return compare_num(*n, *lit.number);
      return std::nullopt;
    case LitKind::Number:
      if (auto n = json_number(v)) return compare_num(*n, *lit.number);
      if (v.is_string())
        if (auto n = parse_number_text(v.get_ref<const std::string&>())) return compare_num(*n, *lit.number);
      return std::nullopt;
    case LitKind::Bool:
      if (v.is_boolean()) return three_way(v.get<bool>() ? 1 : 0, lit.boolean ? 1 : 0);
      return std::nullopt;
    case LitKind::DateTime:
      if (v.is_string())
        if (auto t = parse_datetime(v.get_ref<const std::string&>())) return three_way(*t, *lit.instant);
      return std::nullopt;
    case LitKind::Null:
      return std::nullopt;
  }
  return std::nullopt;
}

bool equals(const json& v, const Literal& lit) {
  auto c = compare(v, lit);
  return c && *c == 0;
}

// contains / like also see numbers as their text (`id like "12*"`).
std::optional<std::string_view> text_of(const json& v, std::string& buffer) {
  if (v.is_string()) return std::string_view(v.get_ref<const std::string&>());
  if (v.is_number()) {
    buffer = v.dump();
    return std::string_view(buffer);
  }
  return std::nullopt;
}

bool like_match(std::string_view s, const LikePattern& p) {
  const auto& parts = p.parts;
  if (parts.size() == 1) return ci_equal(s, parts[0]);  // no '*' at all
  std::size_t pos = 0;
  std::size_t first = 0;
  if (!p.lead_star) {
    if (s.size() < parts[0].size() || !ci_equal(s.substr(0, parts[0].size()), parts[0])) return false;
    pos = parts[0].size();
    first = 1;
  }
  const std::size_t last = p.trail_star ? parts.size() : parts.size() - 1;
  for (std::size_t i = first; i < last; ++i) {
    if (parts[i].empty()) continue;
    const std::size_t at = ci_find(s, parts[i], pos);
    if (at == std::string_view::npos) return false;
    pos = at + parts[i].size();
  }
  if (!p.trail_star) {
    const auto& suffix = parts.back();
    if (s.size() - pos < suffix.size()) return false;
    return ci_equal(s.substr(s.size() - suffix.size()), suffix);
  }
  return true;
}

// One non-null value against a non-null-test operator.
bool test(const Comparison& c, const json& v) {
  switch (c.op) {
    case Op::Eq: return equals(v, c.values[0]);
    case Op::Ne: return !equals(v, c.values[0]);
    case Op::Lt: { auto k = compare(v, c.values[0]); return k && *k < 0; }
    case Op::Le: { auto k = compare(v, c.values[0]); return k && *k <= 0; }
    case Op::Gt: { auto k = compare(v, c.values[0]); return k && *k > 0; }
    case Op::Ge: { auto k = compare(v, c.values[0]); return k && *k >= 0; }
    case Op::Contains:
    case Op::NotContains: {
      std::string buffer;
      auto t = text_of(v, buffer);
      const bool hit = t && ci_find(*t, c.values[0].folded, 0) != std::string_view::npos;
      return c.op == Op::Contains ? hit : !hit;
    }
    case Op::Like:
    case Op::NotLike: {
      std::string buffer;
      auto t = text_of(v, buffer);
      const bool hit = t && like_match(*t, c.like);
      return c.op == Op::Like ? hit : !hit;
    }
    case Op::In:
    case Op::NotIn: {
      bool hit = false;
      for (const auto& lit : c.values)
        if (lit.kind != LitKind::Null && equals(v, lit)) {
          hit = true;
          break;
        }
      return c.op == Op::In ? hit : !hit;
    }
    case Op::IsNull:
    case Op::NotNull:
      break;
  }
  return false;
}

bool eval_comparison(const Comparison& c, const json& record) {
  bool any = false;
  bool hit = false;
  switch (c.op) {
    case Op::IsNull:
      visit_path(record, c.path, [&](const json* v) {
        any = true;
        hit = v == nullptr || v->is_null();
        return hit;
      });
      return hit || !any;
    case Op::NotNull:
      visit_path(record, c.path, [&](const json* v) {
        hit = v != nullptr && !v->is_null();
        return hit;
      });
      return hit;
    default:
      visit_path(record, c.path, [&](const json* v) {
        any = true;
        if (v == nullptr || v->is_null()) hit = c.op == Op::In && c.list_has_null;
        else hit = test(c, *v);
        return hit;
      });
      // `x in (null, ...)` holds for an empty array, as `x = null` does.
      return hit || (!any && c.op == Op::In && c.list_has_null);
  }
}

bool eval(const Node& n, const json& record) {
  switch (n.kind) {
    case Node::Kind::And:
      for (const auto& c : n.children)
        if (!eval(c, record)) return false;
      return true;
    case Node::Kind::Or:
      for (const auto& c : n.children)
        if (eval(c, record)) return true;
      return false;
    case Node::Kind::Not:
      return !eval(n.children.front(), record);
    case Node::Kind::Compare:
      return eval_comparison(n.cmp, record);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Lexer: one token of lookahead, produced on demand so errors come out in left-to-right order.

enum class Tok { End, Ident, String, Number, DateTime, LParen, RParen, Comma, Slash, Cmp };

struct Token {
  Tok kind = Tok::End;
  std::size_t pos = 0;
  std::string_view raw;  // the source text of the token
  std::string text;      // String: the unescaped contents
  std::int64_t instant = 0;
};

struct Failure {
  std::string message;
  std::size_t position;
};

[[noreturn]] void fail(std::string message, std::size_t pos) {
  message += " at position " + std::to_string(pos);
  throw Failure{std::move(message), pos};
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "end of input";
    case Tok::String: return "string " + quote_text(t.text);
    default: return quote_text(t.raw);
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) { advance(); }

  const Token& peek() const { return tok_; }
  Token take() {
    Token t = std::move(tok_);
    advance();
    return t;
  }

 private:
  void advance() {
    while (i_ < text_.size() && is_space(text_[i_])) ++i_;
    tok_ = Token{};
    tok_.pos = i_;
    if (i_ >= text_.size()) return;
    const std::size_t start = i_;
    const char c = text_[i_];
    auto single = [&](Tok kind, std::size_t len) {
      tok_.kind = kind;
      tok_.raw = text_.substr(start, len);
      i_ += len;
    };
    auto next_is = [&](char n) { return i_ + 1 < text_.size() && text_[i_ + 1] == n; };
    switch (c) {
      case '(': return single(Tok::LParen, 1);
      case ')': return single(Tok::RParen, 1);
      case ',': return single(Tok::Comma, 1);
      case '/': return single(Tok::Slash, 1);
      case '=': return single(Tok::Cmp, 1);
      case '<': return single(Tok::Cmp, next_is('=') ? 2 : 1);
      case '>': return single(Tok::Cmp, next_is('=') ? 2 : 1);
      case '!':
        if (next_is('=')) return single(Tok::Cmp, 2);
        fail("Unexpected character '!'", start);
      case '"': return lex_string();
      case '[': return lex_datetime();
      default: break;
    }
    if (is_digit(c) || (c == '-' && i_ + 1 < text_.size() && is_digit(text_[i_ + 1]))) return lex_number();
    if (is_ident_start(c)) {
      while (i_ < text_.size() && is_ident_char(text_[i_])) ++i_;
      tok_.kind = Tok::Ident;
      tok_.raw = text_.substr(start, i_ - start);
      return;
    }
    fail("Unexpected character " + quote_text(text_.substr(start, 1)), start);
  }

  void lex_string() {
    const std::size_t start = i_++;
    std::string out;
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (c == '\\' && i_ + 1 < text_.size() && (text_[i_ + 1] == '"' || text_[i_ + 1] == '\\')) {
        out += text_[i_ + 1];
        i_ += 2;
        continue;
      }
      if (c == '"') {
        ++i_;
        tok_.kind = Tok::String;
        tok_.raw = text_.substr(start, i_ - start);
        tok_.text = std::move(out);
        return;
      }
      out += c;
      ++i_;
    }
    fail("Unterminated string starting", start);
  }

  void lex_datetime() {
    const std::size_t start = i_;
    const std::size_t close = text_.find(']', start + 1);
    if (close == std::string_view::npos) fail("Unterminated datetime starting", start);
    const std::string_view inside = trim(text_.substr(start + 1, close - start - 1));
    auto t = parse_datetime(inside);
    if (!t) fail("Invalid datetime " + quote_text(inside), start);
    i_ = close + 1;
    tok_.kind = Tok::DateTime;
    tok_.raw = text_.substr(start, i_ - start);
    tok_.instant = *t;
  }

  void lex_number() {
    const std::size_t start = i_;
    if (text_[i_] == '-') ++i_;
    while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    if (i_ + 1 < text_.size() && text_[i_] == '.' && is_digit(text_[i_ + 1])) {
      ++i_;
      while (i_ < text_.size() && is_digit(text_[i_])) ++i_;
    }
    // "12abc" or "1.2.3" is one bad number, not a number followed by something.
    if (i_ < text_.size() && (is_ident_char(text_[i_]) || text_[i_] == '.')) {
      while (i_ < text_.size() && (is_ident_char(text_[i_]) || text_[i_] == '.')) ++i_;
      fail("Invalid number " + quote_text(text_.substr(start, i_ - start)), start);
    }
    tok_.kind = Tok::Number;
    tok_.raw = text_.substr(start, i_ - start);
  }

  std::string_view text_;
  std::size_t i_ = 0;
  Token tok_;
};

bool is_word(const Token& t, std::string_view folded_word) {
  return t.kind == Tok::Ident && ci_equal(t.raw, folded_word);
}

bool is_blank(std::string_view text) { return trim(text).empty(); }

// Expects the current token to be an identifier.
Path parse_path(Lexer& lex) {
  Path path;
  Token t = lex.take();
  path.segments.push_back({std::string(t.raw), fold_copy(t.raw)});
  while (lex.peek().kind == Tok::Slash) {
    lex.take();
    if (lex.peek().kind != Tok::Ident) fail("Expected field name after '/'", lex.peek().pos);
    t = lex.take();
    path.segments.push_back({std::string(t.raw), fold_copy(t.raw)});
  }
  if (path.segments.size() == 1 && path.segments[0].folded == "lastupdated")
    path.alias = {{"_info", "_info"}, {"lastUpdated", "lastupdated"}};
  return path;
}

void expect_field_start(const Lexer& lex) {
  const Token& t = lex.peek();
  if (t.kind == Tok::Ident) return;
  if (t.kind == Tok::End) fail("Expected field name", t.pos);
  fail("Expected field name but found " + describe(t), t.pos);
}

class ConditionParser {
 public:
  explicit ConditionParser(std::string_view text) : lex_(text) {}

  Node parse() {
    Node root = parse_or(0);
    const Token& t = lex_.peek();
    if (t.kind == Tok::RParen) fail("Unexpected ')'", t.pos);
    if (t.kind != Tok::End) fail("Expected 'and' or 'or' but found " + describe(t), t.pos);
    return root;
  }

 private:
  Node parse_or(std::size_t depth) {
    Node first = parse_and(depth);
    if (!is_word(lex_.peek(), "or")) return first;
    Node n;
    n.kind = Node::Kind::Or;
    n.children.push_back(std::move(first));
    while (is_word(lex_.peek(), "or")) {
      lex_.take();
      n.children.push_back(parse_and(depth));
    }
    return n;
  }

  Node parse_and(std::size_t depth) {
    Node first = parse_unary(depth);
    if (!is_word(lex_.peek(), "and")) return first;
    Node n;
    n.kind = Node::Kind::And;
    n.children.push_back(std::move(first));
    while (is_word(lex_.peek(), "and")) {
      lex_.take();
      n.children.push_back(parse_unary(depth));
    }
    return n;
  }

  Node parse_unary(std::size_t depth) {
    if (depth > kMaxDepth) fail("Conditions are nested too deeply", lex_.peek().pos);
    if (is_word(lex_.peek(), "not")) {
      lex_.take();
      Node n;
      n.kind = Node::Kind::Not;
      n.children.push_back(parse_unary(depth + 1));
      return n;
    }
    return parse_primary(depth);
  }

  Node parse_primary(std::size_t depth) {
    const Token& t = lex_.peek();
    if (t.kind == Tok::LParen) {
      lex_.take();
      Node inner = parse_or(depth + 1);
      const Token& close = lex_.peek();
      if (close.kind == Tok::End) fail("Expected ')'", close.pos);
      if (close.kind != Tok::RParen) fail("Expected ')' but found " + describe(close), close.pos);
      lex_.take();
      return inner;
    }
    if (is_word(t, "and") || is_word(t, "or")) fail("Expected field name but found " + describe(t), t.pos);
    expect_field_start(lex_);
    Node n;
    n.kind = Node::Kind::Compare;
    n.cmp = parse_comparison();
    return n;
  }

  Comparison parse_comparison() {
    Comparison c;
    c.path = parse_path(lex_);
    const std::string field = path_text(c.path);
    const std::string op_name = parse_operator(c, field);

    if (c.op == Op::In || c.op == Op::NotIn) {
      const Token& open = lex_.peek();
      if (open.kind != Tok::LParen) fail("Expected '(' after operator '" + op_name + "'", open.pos);
      lex_.take();
      const std::string in_list = "Expected value in the list of operator '" + op_name + "'";
      while (true) {
        c.values.push_back(parse_value(in_list));
        if (c.values.back().kind == LitKind::Null) c.list_has_null = true;
        const Token& t = lex_.peek();
        if (t.kind == Tok::Comma) {
          lex_.take();
          continue;
        }
        if (t.kind == Tok::RParen) {
          lex_.take();
          break;
        }
        fail("Expected ',' or ')' in the list of operator '" + op_name + "'", t.pos);
      }
      return c;
    }

    c.values.push_back(parse_value("Expected value after operator '" + op_name + "'"));
    const Literal& lit = c.values.back();
    if (lit.kind == LitKind::Null) {
      if (c.op == Op::Eq) c.op = Op::IsNull;
      else if (c.op == Op::Ne) c.op = Op::NotNull;
      else fail("Operator '" + op_name + "' cannot be used with null", lit.pos);
    }
    const bool textual = c.op == Op::Contains || c.op == Op::NotContains || c.op == Op::Like || c.op == Op::NotLike;
    if (textual && lit.kind != LitKind::String)
      fail("Operator '" + op_name + "' requires a string value", lit.pos);
    if (c.op == Op::Like || c.op == Op::NotLike) c.like = compile_like(lit.folded);
    return c;
  }

  // Returns the operator's canonical spelling, for messages.
  std::string parse_operator(Comparison& c, const std::string& field) {
    const Token& t = lex_.peek();
    if (t.kind == Tok::Cmp) {
      const std::string_view r = t.raw;
      c.op = r == "=" ? Op::Eq : r == "!=" ? Op::Ne : r == "<" ? Op::Lt : r == "<=" ? Op::Le : r == ">" ? Op::Gt : Op::Ge;
      std::string name(r);
      lex_.take();
      return name;
    }
    if (t.kind == Tok::Ident) {
      if (is_word(t, "contains")) return take_op(c, Op::Contains, "contains");
      if (is_word(t, "like")) return take_op(c, Op::Like, "like");
      if (is_word(t, "in")) return take_op(c, Op::In, "in");
      if (is_word(t, "not")) {
        lex_.take();
        const Token& n = lex_.peek();
        if (is_word(n, "contains")) return take_op(c, Op::NotContains, "not contains");
        if (is_word(n, "like")) return take_op(c, Op::NotLike, "not like");
        if (is_word(n, "in")) return take_op(c, Op::NotIn, "not in");
        fail("Expected 'like', 'contains' or 'in' after 'not'", n.pos);
      }
      fail("Unknown operator " + quote_text(t.raw), t.pos);
    }
    if (t.kind == Tok::End) fail("Expected operator after field " + quote_text(field), t.pos);
    fail("Expected operator after field " + quote_text(field) + " but found " + describe(t), t.pos);
  }

  std::string take_op(Comparison& c, Op op, const char* name) {
    c.op = op;
    lex_.take();
    return name;
  }

  Literal parse_value(const std::string& expected) {
    const Token& t = lex_.peek();
    Literal lit;
    lit.pos = t.pos;
    switch (t.kind) {
      case Tok::String:
        lit.kind = LitKind::String;
        lit.folded = fold_copy(t.text);
        lit.number = parse_number_text(t.text);
        lit.instant = parse_datetime(t.text);
        break;
      case Tok::Number:
        lit.kind = LitKind::Number;
        lit.number = parse_number_text(t.raw);
        if (!lit.number) fail("Invalid number " + quote_text(t.raw), t.pos);
        break;
      case Tok::DateTime:
        lit.kind = LitKind::DateTime;
        lit.instant = t.instant;
        break;
      case Tok::Ident:
        if (is_word(t, "true") || is_word(t, "false")) {
          lit.kind = LitKind::Bool;
          lit.boolean = is_word(t, "true");
        } else if (is_word(t, "null")) {
          lit.kind = LitKind::Null;
        } else {
          fail(expected, t.pos);
        }
        break;
      default:
        fail(expected, t.pos);
    }
    lex_.take();
    return lit;
  }

  static LikePattern compile_like(const std::string& folded) {
    LikePattern p;
    p.lead_star = !folded.empty() && folded.front() == '*';
    p.trail_star = !folded.empty() && folded.back() == '*';
    std::size_t start = 0;
    while (true) {
      const std::size_t star = folded.find('*', start);
      p.parts.push_back(folded.substr(start, star == std::string::npos ? std::string::npos : star - start));
      if (star == std::string::npos) break;
      start = star + 1;
    }
    return p;
  }

  Lexer lex_;
};

// ---------------------------------------------------------------------------------------------
// orderBy / fields helpers.

const json* first_value(const json& record, const Path& path) {
  const json* out = nullptr;
  visit_path(record, path, [&](const json* v) {
    out = v;
    return true;
  });
  return out;
}

// SQL Server order: NULL first, then by type so the order stays total on mixed data.
int sort_rank(const json* v) {
  if (v == nullptr || v->is_null()) return 0;
  if (v->is_boolean()) return 1;
  if (v->is_number()) return 2;
  if (v->is_string()) return 3;
  return 4;
}

int sort_compare(const json* a, const json* b) {
  const int ra = sort_rank(a), rb = sort_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1: return three_way(a->get<bool>() ? 1 : 0, b->get<bool>() ? 1 : 0);
    case 2: return compare_num(*json_number(*a), *json_number(*b));
    case 3: return ci_compare_both(a->get_ref<const std::string&>(), b->get_ref<const std::string&>());
    default: return 0;
  }
}

using Field = FieldSelection::Field;

void insert_field(std::vector<Field>& level, const std::vector<Segment>& segs, std::size_t i) {
  std::size_t at = level.size();
  for (std::size_t k = 0; k < level.size(); ++k)
    if (level[k].folded == segs[i].folded) at = k;
  if (at == level.size()) level.push_back(Field{segs[i].name, segs[i].folded, false, {}});
  Field& f = level[at];
  if (f.whole) return;  // already taking all of it
  if (i + 1 == segs.size()) {
    f.whole = true;
    f.children.clear();
    return;
  }
  insert_field(f.children, segs, i + 1);
}

json project(const json& obj, const std::vector<Field>& fields) {
  json out = json::object();
  for (const auto& f : fields) {
    auto it = obj.find(f.name);
    if (it == obj.end())
      for (auto i = obj.begin(); i != obj.end(); ++i)
        if (ci_equal(i.key(), f.folded)) {
          it = i;
          break;
        }
    if (it == obj.end()) continue;
    const json& v = *it;
    if (f.whole) {
      out[it.key()] = v;
    } else if (v.is_object()) {
      json sub = project(v, f.children);
      if (!sub.empty()) out[it.key()] = std::move(sub);
    } else if (v.is_array()) {
      json arr = json::array();
      for (const auto& e : v)
        if (e.is_object()) arr.push_back(project(e, f.children));
      out[it.key()] = std::move(arr);
    }
  }
  return out;
}

// project() over simdjson's DOM, writing the kept members as it goes; true when it wrote any.
bool project_text(simdjson::dom::object obj, const std::vector<Field>& fields, core::JsonWriter& w) {
  bool any = false;
  for (const auto& f : fields) {
    std::string_view key;
    simdjson::dom::element v;
    bool found = false;
    for (auto member : obj)
      if (member.key == f.name) {
        key = member.key, v = member.value, found = true;
        break;
      }
    if (!found)
      for (auto member : obj)
        if (ci_equal(member.key, f.folded)) {
          key = member.key, v = member.value, found = true;
          break;
        }
    if (!found) continue;
    if (f.whole) {
      if (!any) w.begin_object();
      w.key(key).raw(simdjson::minify(v));
      any = true;
    } else if (v.is_object()) {
      std::string sub;
      core::JsonWriter sw(sub);
      if (!project_text(v.get_object().value_unsafe(), f.children, sw)) continue;
      if (!any) w.begin_object();
      w.key(key).raw(sub);
      any = true;
    } else if (v.is_array()) {
      if (!any) w.begin_object();
      w.key(key).begin_array();
      const simdjson::dom::array elements = v.get_array().value_unsafe();  // a local: the loop outlives the result
      for (simdjson::dom::element e : elements)
        if (e.is_object() && !project_text(e.get_object().value_unsafe(), f.children, w)) w.begin_object().end_object();
      w.end_array();
      any = true;
    }
  }
  if (any) w.end_object();
  return any;
}

}  // namespace

// -----------------------------------------------------------------------------------------------

Condition::Condition() = default;
Condition::Condition(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

bool Condition::matches(const nlohmann::json& record) const { return !root_ || eval(*root_, record); }

std::variant<Condition, ConditionError> parse_conditions(std::string_view text) {
  if (is_blank(text)) return Condition{};
  try {
    ConditionParser parser(text);
    return Condition{std::make_shared<const Node>(parser.parse())};
  } catch (Failure& f) {
    return ConditionError{std::move(f.message), f.position};
  }
}

OrderBy::OrderBy() = default;
OrderBy::OrderBy(std::shared_ptr<const std::vector<Key>> keys) : keys_(std::move(keys)) {}

int OrderBy::compare(const nlohmann::json& a, const nlohmann::json& b) const {
  if (!keys_) return 0;
  for (const auto& key : *keys_) {
    const int c = sort_compare(first_value(a, key.path), first_value(b, key.path));
    if (c != 0) return key.descending ? -c : c;
  }
  return 0;
}

bool OrderBy::operator()(const nlohmann::json& a, const nlohmann::json& b) const { return compare(a, b) < 0; }

bool OrderBy::empty() const { return !keys_ || keys_->empty(); }

std::variant<OrderBy, ConditionError> parse_order_by(std::string_view text) {
  if (is_blank(text)) return OrderBy{};
  try {
    Lexer lex(text);
    auto keys = std::make_shared<std::vector<OrderBy::Key>>();
    while (true) {
      expect_field_start(lex);
      OrderBy::Key key;
      key.path = parse_path(lex);
      const Token& dir = lex.peek();
      if (dir.kind == Tok::Ident) {
        if (is_word(dir, "desc")) key.descending = true;
        else if (!is_word(dir, "asc"))
          fail("Unknown sort direction " + quote_text(dir.raw) + " (expected 'asc' or 'desc')", dir.pos);
        lex.take();
      }
      keys->push_back(std::move(key));
      const Token& t = lex.peek();
      if (t.kind == Tok::End) break;
      if (t.kind != Tok::Comma) fail("Expected ',' between sort fields but found " + describe(t), t.pos);
      lex.take();
    }
    return OrderBy{std::move(keys)};
  } catch (Failure& f) {
    return ConditionError{std::move(f.message), f.position};
  }
}

FieldSelection::FieldSelection() = default;
FieldSelection::FieldSelection(std::shared_ptr<const std::vector<Field>> fields) : fields_(std::move(fields)) {}

nlohmann::json FieldSelection::operator()(const nlohmann::json& record) const {
  if (!fields_ || !record.is_object()) return record;
  return project(record, *fields_);
}

std::string FieldSelection::operator()(std::string_view record_json) const {
  if (!fields_) return std::string(record_json);
  // One parser per thread: it keeps its buffers from record to record.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(record_json.data(), record_json.size()).get(doc) != simdjson::SUCCESS || !doc.is_object())
    return std::string(record_json);
  std::string out;
  core::JsonWriter w(out);
  if (!project_text(doc.get_object().value_unsafe(), *fields_, w)) out = "{}";
  return out;
}

bool FieldSelection::keeps_everything() const { return !fields_; }

std::variant<FieldSelection, ConditionError> parse_fields(std::string_view text) {
  if (is_blank(text)) return FieldSelection{};
  try {
    Lexer lex(text);
    auto fields = std::make_shared<std::vector<Field>>();
    while (true) {
      expect_field_start(lex);
      const Path path = parse_path(lex);
      insert_field(*fields, path.segments, 0);
      const Token& t = lex.peek();
      if (t.kind == Tok::End) break;
      if (t.kind != Tok::Comma) fail("Expected ',' between fields but found " + describe(t), t.pos);
      lex.take();
    }
    return FieldSelection{std::move(fields)};
  } catch (Failure& f) {
    return ConditionError{std::move(f.message), f.position};
  }
}

}  // namespace cairn::sim::connectwise
