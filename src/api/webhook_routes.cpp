#include "api/webhook_routes.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

#include "core/json_writer.h"
#include "api/sync_routes.h"
#include "psa/autotask/webhooks.h"
#include "psa/connectwise/callbacks.h"
#include "sync/change_notices.h"
#include "sync/notice_puller.h"

namespace cairn::api {
namespace {

constexpr const char* kConnectWiseSignature = "x-content-signature";
constexpr const char* kAutotaskSignature = "X-Hook-Signature";

void refuse(Context& c, const std::string& detail) { c.send_error(401, "Unauthorized", detail); }

// The signing key at key_url, asked with the integration's clientId.
std::string fetch_key(const store::Integration& i, const std::string& key_url) {
  net::HttpClientOptions o;
  if (const char* ca = std::getenv("CAIRN_CA_FILE"); ca && *ca) o.ca_file = ca;
  o.timeout = std::chrono::milliseconds(10000);
  o.max_attempts = 2;
  net::HttpClient http(o);
  auto it = i.credentials.find("client_id");
  return psa::connectwise::fetch_signing_key(http, key_url, it == i.credentials.end() ? "" : it->second);
}

// The record a verified ConnectWise callback names; nullopt after answering.
std::optional<psa::ParsedNotice> verified_callback(Context& c, const store::Integration& i,
                                                   psa::connectwise::SigningKeys& keys) {
  const std::string signature = c.req.get_header_value(kConnectWiseSignature);
  if (signature.empty()) {
    refuse(c, "a ConnectWise callback carries its signature in the x-content-signature header; this request has none");
    return std::nullopt;
  }
  auto parsed = psa::connectwise::parse_callback(c.req.body);
  if (!parsed) {
    refuse(c, "the callback cannot be verified: " + parsed.error().detail);
    return std::nullopt;
  }
  if (!psa::connectwise::key_url_belongs_to(parsed->key_url, i.base_url)) {
    refuse(c, "the callback's Metadata.key_url is not on the integration's ConnectWise site (" + i.base_url + ")");
    return std::nullopt;
  }
  try {
    if (!keys.verify(parsed->key_url, c.req.body, signature,
                     [&i](const std::string& url) { return fetch_key(i, url); })) {
      refuse(c, "the x-content-signature does not match the callback body");
      return std::nullopt;
    }
  } catch (const std::exception& e) {
    c.send_error(502, "Signing key unavailable", std::string("the callback cannot be verified: ") + e.what());
    return std::nullopt;
  }
  return parsed->notice;
}

// The record a verified Autotask webhook names; nullopt after answering.
std::optional<psa::ParsedNotice> verified_webhook(Context& c, const store::Integration& i) {
  const std::string signature = c.req.get_header_value(kAutotaskSignature);
  if (signature.empty()) {
    refuse(c, "an Autotask webhook carries its signature in the X-Hook-Signature header; this request has none");
    return std::nullopt;
  }
  auto secret = i.credentials.find(store::kWebhookSecretCredential);
  if (secret == i.credentials.end()) {
    refuse(c, "integration " + std::to_string(i.id) +
                  " has no webhook secret yet: register its webhooks with `cairn integration webhooks " +
                  std::to_string(i.id) + " --register`");
    return std::nullopt;
  }
  if (!psa::autotask::webhook_signature_ok(secret->second, c.req.body, signature)) {
    refuse(c, "the X-Hook-Signature does not match the webhook body");
    return std::nullopt;
  }
  auto parsed = psa::autotask::parse_webhook(c.req.body);
  if (!parsed) {
    c.send_error(400, "Bad request", parsed.error().detail);
    return std::nullopt;
  }
  return parsed.value();
}

void answer(Context& c, int status, bool queued, const std::string& note) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("meta").begin_object().key("queued").value(queued);
  if (!note.empty()) w.key("note").value(note);
  w.end_object().end_object();
  c.send_json(status, std::move(out));
}

void receive(Context& c, sync::NoticePuller* puller, psa::connectwise::SigningKeys& keys) {
  auto i = load_integration(c);
  if (!i) return;
  if (auto why = sync::notices_unsupported_reason(*i); !why.empty())
    return c.send_error(422, "No change notices", why);
  if (!i->credentials_error.empty()) return c.send_error(500, "Credentials unreadable", i->credentials_error);
  const bool callbacks = core::capabilities_for(i->kind)->change_notice == core::ChangeNotice::Callbacks;
  auto notice = callbacks ? verified_callback(c, *i, keys) : verified_webhook(c, *i);
  if (!notice) return;
  if (!notice->record) return answer(c, 200, false, notice->ignored);
  if (i->state == store::IntegrationState::Paused)
    return answer(c, 200, false, "integration " + std::to_string(i->id) + " is paused");
  if (!puller) return c.send_error(503, "No puller", "this server pulls nothing in the background");
  const bool queued = puller->enqueue(i->id, *notice->record, "webhook:" + i->kind + " " + i->name);
  answer(c, 202, queued, queued ? "" : "a pull of this record is waiting already");
}

void write_registrations(Context& c, const store::Integration& i, const std::string& url,
                         const std::vector<psa::NoticeRegistration>& regs) {
  std::string out;
  core::JsonWriter w(out);
  w.begin_object().key("data").begin_array();
  for (const auto& r : regs) {
    w.begin_object().key("type").value("webhook-registrations").key("id").value(r.type + ":" + r.id);
    w.key("attributes").begin_object();
    w.key("psa-id").value(r.id).key("psa-type").value(r.type).key("url").value(r.url);
    w.key("active").value(r.active).key("created").value(r.created);
    w.end_object().end_object();
  }
  w.end_array();
  w.key("meta").begin_object().key("integration-id").value(i.id).key("url").value(url).end_object();
  w.end_object();
  c.send_json(200, std::move(out));
}

// The notice URL: the request's "url" (query or data.attributes.url), else this server's public URL.
std::string requested_url(const Context& c, std::int64_t id) {
  std::string url = c.req.get_param_value("url");
  if (url.empty() && !c.req.body.empty()) {
    auto j = nlohmann::json::parse(c.req.body, nullptr, false);
    if (j.is_object() && j.contains("data") && j["data"].is_object() && j["data"].contains("attributes") &&
        j["data"]["attributes"].is_object() && j["data"]["attributes"].contains("url") &&
        j["data"]["attributes"]["url"].is_string())
      url = j["data"]["attributes"]["url"].get<std::string>();
  }
  return url.empty() ? sync::notice_url(c.public_url, id) : sync::notice_url(url, id);
}

}  // namespace

void add_webhook_routes(App& app, sync::NoticePuller* puller) {
  auto keys = std::make_shared<psa::connectwise::SigningKeys>();
  app.add_route({"POST", {"webhooks", "*"}, store::Role::Reader, /*authenticated=*/false,
                 [puller, keys](Context& c) { receive(c, puller, *keys); }});
  app.add_route({"POST", {"integrations", "*", "actions", "register-webhooks"}, store::Role::Admin, true, [](Context& c) {
    auto i = load_integration(c);
    if (!i) return;
    if (auto why = sync::notices_unsupported_reason(*i); !why.empty()) return c.send_error(422, "No change notices", why);
    const std::string url = requested_url(c, i->id);
    try {
      auto regs = sync::register_notices(c.db, *i, url, c.actor());
      write_registrations(c, *i, url, regs);
    } catch (const std::exception& e) {
      c.send_error(502, "Registration failed", e.what());
    }
  }});
  app.add_route({"GET", {"integrations", "*", "webhooks"}, store::Role::Admin, true, [](Context& c) {
    auto i = load_integration(c);
    if (!i) return;
    if (auto why = sync::notices_unsupported_reason(*i); !why.empty()) return c.send_error(422, "No change notices", why);
    const std::string url = requested_url(c, i->id);
    try {
      write_registrations(c, *i, url, sync::list_notice_registrations(*i, url));
    } catch (const std::exception& e) {
      c.send_error(502, "PSA failed", e.what());
    }
  }});
}

}  // namespace cairn::api
