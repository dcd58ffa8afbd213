#include "psa/autotask/webhooks.h"

#include <set>

#include "core/crypto.h"
#include "psa/autotask/mapping.h"

namespace cairn::psa::autotask {

using nlohmann::json;
using core::SyncEntity;

namespace {

struct WebhookEntity {
  const char* hooks;   // CompanyWebhooks
  const char* type;    // the callout's EntityType: Company
  SyncEntity entity;
};

const std::vector<WebhookEntity>& webhook_table() {
  static const std::vector<WebhookEntity> t = {{"CompanyWebhooks", "Company", SyncEntity::Organization},
                                               {"ContactWebhooks", "Contact", SyncEntity::Contact},
                                               {"ConfigurationItemWebhooks", "ConfigurationItem", SyncEntity::Configuration}};
  return t;
}

std::string id_text(const json& j) {
  return j.is_number_integer() ? std::to_string(j.get<long long>()) : j.is_string() ? j.get<std::string>() : "";
}

// The field subscriptions a webhook has, as fieldIDs.
std::set<long long> subscribed_field_ids(Client& client, const std::string& hooks, const std::string& id) {
  std::set<long long> out;
  json page = client.get("/" + hooks + "/" + id + "/Fields");
  if (page.is_object() && page.contains("items") && page["items"].is_array())
    for (const auto& f : page["items"])
      if (f.contains("fieldID") && f["fieldID"].is_number_integer()) out.insert(f["fieldID"].get<long long>());
  return out;
}

// fieldID of each field Cairn maps: its 1-based position in entityInformation/fields
// (the emulator's reading of Autotask's internal field ids, assumption T14).
std::vector<long long> mapped_field_ids(Client& client, SyncEntity e) {
  const auto wanted = include_fields(e);
  json info = client.get("/" + std::string(entity_path(e)) + "/entityInformation/fields");
  std::vector<long long> out;
  if (!info.is_object() || !info.contains("fields") || !info["fields"].is_array()) return out;
  long long position = 0;
  for (const auto& f : info["fields"]) {
    ++position;
    const std::string name = f.value("name", std::string());
    if (name == "id") continue;
    for (const auto& w : wanted)
      if (w == name) out.push_back(position);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& webhook_entities() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& w : webhook_table()) v.push_back(w.hooks);
    return v;
  }();
  return names;
}

core::Result<ParsedNotice> parse_webhook(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (!j.is_object()) return core::bad_request("the webhook body is not a JSON object");
  const std::string action = j.contains("Action") && j["Action"].is_string() ? j["Action"].get<std::string>() : "";
  const std::string type = j.contains("EntityType") && j["EntityType"].is_string() ? j["EntityType"].get<std::string>() : "";
  ParsedNotice out;
  if (action == "Deactivated") {
    out.ignored = "Autotask deactivated the webhook; register it again with `cairn integration webhooks ID --register`";
    return out;
  }
  if (action != "Create" && action != "Update" && action != "Delete")
    return core::bad_request("the webhook's Action must be Create, Update, Delete or Deactivated, not \"" + action + "\"");
  const std::string id = j.contains("Id") ? id_text(j["Id"]) : "";
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    return core::bad_request("the webhook has no record Id");
  for (const auto& w : webhook_table())
    if (type == w.type) {
      out.record = RecordNotice{w.entity, id, action};
      return out;
    }
  out.ignored = "Cairn syncs no Autotask " + (type.empty() ? std::string("(unnamed)") : type) + " records";
  return out;
}

bool webhook_signature_ok(const std::string& secret, const std::string& body, const std::string& header) {
  if (header.empty() || secret.empty()) return false;
  return core::same_secret_text("sha1=" + core::base64(core::hmac_sha1(secret, body)), header);
}

std::vector<NoticeRegistration> list_webhooks(Client& client, const std::string& url) {
  std::vector<NoticeRegistration> out;
  const json filter = json::array({{{"op", "eq"}, {"field", "webhookUrl"}, {"value", url}}});
  for (const auto& w : webhook_table())
    client.query(w.hooks, filter, {}, [&](const json& hook) {
      NoticeRegistration r;
      r.id = id_text(hook.value("id", json()));
      r.type = w.hooks;
      r.url = url;
      r.active = hook.value("isActive", false);
      out.push_back(std::move(r));
    });
  return out;
}

std::vector<NoticeRegistration> register_webhooks(Client& client, const WebhookSetup& setup) {
  auto out = list_webhooks(client, setup.url);
  for (const auto& w : webhook_table()) {
    NoticeRegistration* have = nullptr;
    for (auto& r : out)
      if (r.type == w.hooks && !have) have = &r;
    std::string id;
    if (have) {
      // Cairn keeps one secret per integration: an existing webhook takes it (and is active).
      client.send("PATCH", "/" + std::string(w.hooks),
                  {{"id", std::stoll(have->id)}, {"secretKey", setup.secret}, {"isActive", true}});
      have->active = true;
      id = have->id;
    } else {
      json body = {{"isActive", true},
                   {"name", setup.name},
                   {"webhookUrl", setup.url},
                   {"deactivationUrl", setup.url},
                   {"secretKey", setup.secret},
                   {"isSubscribedToCreateEvents", true},
                   {"isSubscribedToUpdateEvents", true},
                   {"isSubscribedToDeleteEvents", true},
                   {"sendThresholdExceededNotification", false}};
      json made = client.send("POST", "/" + std::string(w.hooks), body);
      id = made.is_object() && made.contains("itemId") ? id_text(made["itemId"]) : "";
      if (id.empty()) throw ApiError(502, std::string("Autotask answered a webhook create without an itemId for ") + w.hooks);
      out.push_back({id, w.hooks, setup.url, true, true});
    }
    const auto existing = subscribed_field_ids(client, w.hooks, id);
    for (long long field : mapped_field_ids(client, w.entity))
      if (!existing.count(field))
        client.send("POST", "/" + std::string(w.hooks) + "/" + id + "/Fields",
                    {{"fieldID", field}, {"isSubscribedField", true}, {"isDisplayAlwaysField", false}});
  }
  return out;
}

}  // namespace cairn::psa::autotask
