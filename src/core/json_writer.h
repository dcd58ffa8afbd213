#pragma once
// Writes JSON text straight into a string. Lists of a thousand records are the API's hot path;
// building a DOM first would double the work, so responses are streamed with this instead.
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::core {

// Appends `s` to `out` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { sep(); out_ += '{'; first_ = true; return *this; }
  JsonWriter& end_object() { out_ += '}'; first_ = false; return *this; }
  JsonWriter& begin_array() { sep(); out_ += '['; first_ = true; return *this; }
  JsonWriter& end_array() { out_ += ']'; first_ = false; return *this; }
  JsonWriter& key(std::string_view k) {
    sep();
    string_literal(k);
    out_ += ':';
    first_ = true;  // the value that follows needs no comma
    return *this;
  }
  JsonWriter& value(std::string_view s) { sep(); string_literal(s); return *this; }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t n) { sep(); out_ += std::to_string(n); return *this; }
  JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonWriter& value(bool b) { sep(); out_ += b ? "true" : "false"; return *this; }
  JsonWriter& null() { sep(); out_ += "null"; return *this; }
  // Already-serialised JSON, inserted as one value.
  JsonWriter& raw(std::string_view json) { sep(); out_ += json; return *this; }

 private:
  void sep() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void string_literal(std::string_view s) { append_json_string(out_, s); }
  std::string& out_;
  bool first_ = true;
};

}  // namespace cairn::core
