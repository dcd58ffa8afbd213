#include "sim/bms/wire.h"

#include <httplib.h>

#include "core/json_writer.h"

namespace cairn::sim::bms {

std::string ok_envelope(std::string_view result_json) {
  std::string out;
  out.reserve(result_json.size() + 48);
  out += "{\"success\":true,\"result\":";
  out += result_json;
  out += ",\"error\":null}";
  return out;
}

std::string paged_envelope(std::string_view rows_json, std::size_t total_records) {
  std::string out;
  out.reserve(rows_json.size() + 80);
  out += "{\"success\":true,\"result\":[";
  out += rows_json;
  out += "],\"totalRecords\":";
  out += std::to_string(total_records);
  out += ",\"error\":null}";
  return out;
}

std::string error_envelope(int code, std::string_view message) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object();
  w.key("success").value(false);
  w.key("result").null();
  w.key("error").begin_object();
  w.key("code").value(code);
  w.key("message").value(message);
  w.key("details").null();
  w.key("stackStrace").null();  // sic: the platform's own spelling (§3.2)
  w.key("subErrors").begin_array().end_array();
  w.end_object();
  w.end_object();
  return out;
}

void reply_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

void reply_error(httplib::Response& res, int status, std::string_view message) {
  reply_json(res, status, error_envelope(status, message));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const nlohmann::json* member(const nlohmann::json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (iequals(it.key(), name)) return &it.value();
  return nullptr;
}

std::string fill(std::string_view text, std::string_view key, std::string_view value) {
  std::string out(text);
  const auto p = out.find(key);
  if (p != std::string::npos) out.replace(p, key.size(), value);
  return out;
}

}  // namespace cairn::sim::bms
