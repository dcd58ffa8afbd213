#include "psa/connectwise/callbacks.h"

#include <nlohmann/json.hpp>

#include "core/crypto.h"

namespace cairn::psa::connectwise {

using nlohmann::json;

namespace {

// scheme://host[:port] of an absolute URL, lower-cased; "" when it is not one.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  std::string origin = url.substr(0, url.find_first_of("/?#", scheme_end + 3));
  for (auto& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

std::optional<core::SyncEntity> entity_of(const std::string& type) {
  if (type == "company") return core::SyncEntity::Organization;
  if (type == "contact") return core::SyncEntity::Contact;
  if (type == "configuration") return core::SyncEntity::Configuration;
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& callback_types() {
  static const std::vector<std::string> types = {"company", "contact", "configuration"};
  return types;
}

core::Result<Callback> parse_callback(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object()) return core::bad_request("the callback body is not a JSON object");
  auto text = [&](const char* name) -> std::string {
    return j.contains(name) && j[name].is_string() ? j[name].get<std::string>() : std::string();
  };
  Callback cb;
  if (j.contains("Metadata") && j["Metadata"].is_object() && j["Metadata"].contains("key_url") &&
      j["Metadata"]["key_url"].is_string())
    cb.key_url = j["Metadata"]["key_url"].get<std::string>();
  if (cb.key_url.empty()) return core::bad_request("the callback has no Metadata.key_url to check its signature with");
  const std::string type = text("Type"), action = text("Action");
  if (type.empty()) return core::bad_request("the callback has no Type");
  if (action != "added" && action != "updated" && action != "deleted")
    return core::bad_request("the callback's Action must be added, updated or deleted, not \"" + action + "\"");
  if (!j.contains("ID") || !j["ID"].is_number_integer() || j["ID"].get<long long>() <= 0)
    return core::bad_request("the callback has no record ID");
  auto entity = entity_of(type);
  if (!entity) {
    cb.notice.ignored = "Cairn syncs no ConnectWise " + type + " records";
    return cb;
  }
  cb.notice.record = RecordNotice{*entity, std::to_string(j["ID"].get<long long>()), action};
  return cb;
}

bool callback_signature_ok(const std::string& signing_key, const std::string& body, const std::string& header) {
  if (header.empty() || signing_key.empty()) return false;
  return core::same_secret_text(core::base64(core::hmac_sha256(core::sha256(signing_key), body)), header);
}

bool key_url_belongs_to(const std::string& key_url, const std::string& site) {
  const std::string origin = origin_of(site);
  return !origin.empty() && origin_of(key_url) == origin;
}

std::string fetch_signing_key(net::HttpClient& http, const std::string& key_url, const std::string& client_id) {
  net::HttpRequest r;
  r.url = key_url;
  r.headers = {{"clientId", client_id}, {"Accept", "application/json"}};
  auto res = http.send(r);
  if (!res.error.empty()) throw ApiError(0, "cannot reach ConnectWise for the callback signing key: " + res.error);
  if (res.status != 200)
    throw ApiError(res.status, "ConnectWise answered " + std::to_string(res.status) + " for the callback signing key");
  auto j = json::parse(res.body, nullptr, false);
  if (!j.is_object() || !j.contains("signing_key") || !j["signing_key"].is_string() ||
      j["signing_key"].get<std::string>().empty())
    throw ApiError(502, "ConnectWise's callback key answer has no signing_key");
  return j["signing_key"].get<std::string>();
}

bool SigningKeys::verify(const std::string& key_url, const std::string& body, const std::string& header,
                         const Fetch& fetch) {
  if (header.empty()) return false;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(key_url);
    if (it != keys_.end()) {
      if (callback_signature_ok(it->second.key, body, header)) return true;
      if (now - it->second.fetched < refetch_after_) return false;
    }
  }
  std::string key = fetch(key_url);  // outside the lock: a slow PSA must not hold up other callbacks
  const bool ok = callback_signature_ok(key, body, header);
  std::lock_guard lock(mutex_);
  if (keys_.size() > 1000) keys_.clear();  // bounded: one key per registration is the normal case
  keys_[key_url] = {std::move(key), now};
  return ok;
}

std::vector<NoticeRegistration> list_callbacks(Client& client, const std::string& url) {
  std::vector<NoticeRegistration> out;
  client.list("/system/callbacks", "", "", [&](const json& cb) {
    if (!cb.is_object() || cb.value("url", std::string()) != url) return;
    NoticeRegistration r;
    r.id = cb.contains("id") ? cb["id"].dump() : "";
    r.type = cb.value("type", std::string());
    r.url = url;
    r.active = !cb.value("inactiveFlag", false);
    out.push_back(std::move(r));
  });
  return out;
}

std::vector<NoticeRegistration> register_callbacks(Client& client, const std::string& url, const std::string& description) {
  auto out = list_callbacks(client, url);
  for (const auto& type : callback_types()) {
    bool have = false;
    for (const auto& r : out) have = have || r.type == type;
    if (have) continue;
    json body = {{"url", url},           {"objectId", 1},           {"type", type},
                 {"level", "owner"},     {"description", description}, {"inactiveFlag", false},
                 {"payloadVersion", "3.0.0"}, {"isSelfSuppressedFlag", true}};
    json made = client.send("POST", "/system/callbacks", body);
    NoticeRegistration r;
    r.id = made.is_object() && made.contains("id") ? made["id"].dump() : "";
    r.type = type;
    r.url = url;
    r.created = true;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cairn::psa::connectwise
