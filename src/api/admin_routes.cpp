#include "api/admin_routes.h"

#include <httplib.h>

#include <charconv>

namespace cairn::api {

using nlohmann::json;

std::optional<std::int64_t> parse_id(const std::string& s) {
  std::int64_t n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || n <= 0) return std::nullopt;
  return n;
}

std::optional<json> read_body(Context& c, const char* type, bool optional) {
  if (optional && (c.req.body.empty() || json::parse(c.req.body, nullptr, false) == json::object())) return json::object();
  const auto& ct = c.req.get_header_value("Content-Type");
  if (!ct.empty() && ct.rfind("application/vnd.api+json", 0) != 0 && ct.rfind("application/json", 0) != 0) {
    c.send_error(core::Error{core::ErrorKind::Unsupported, "Unsupported media type",
                             "send bodies as application/vnd.api+json (or application/json), not " + ct, "", ""});
    return std::nullopt;
  }
  auto j = json::parse(c.req.body, nullptr, false);
  if (j.is_discarded()) {
    c.send_error(core::bad_request("the body is not valid JSON"));
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("data") || !j["data"].is_object()) {
    c.send_error(core::bad_request("the body must be a JSON:API document with a \"data\" object"));
    return std::nullopt;
  }
  if (j["data"].contains("type") && j["data"]["type"] != type) {
    c.send_error(core::invalid(std::string("type must be \"") + type + "\"", "/data/type"));
    return std::nullopt;
  }
  return j;
}

const json& attributes_of(const json& doc) {
  static const json empty = json::object();
  const json& data = doc["data"];
  return data.contains("attributes") ? data["attributes"] : empty;
}

core::Result<std::string> string_member(const json& v, const std::string& name, const std::string& at) {
  if (!v.is_string()) return core::invalid(name + " must be a string, not " + v.type_name(), at);
  return v.get<std::string>();
}

std::optional<store::MasterKey> master_key(Context& c) {
  auto key = store::master_key_for(c.db);
  if (!key) {
    c.send_error(500, "Master key unavailable", key.error().detail);
    return std::nullopt;
  }
  return std::move(key.value());
}

Route admin(std::string method, std::vector<std::string> pattern, std::function<void(Context&)> handler) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.role = store::Role::Admin;
  r.handler = std::move(handler);
  return r;
}

}  // namespace cairn::api
