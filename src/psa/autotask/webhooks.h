#pragma once
// Autotask webhooks (psa-apis.md §2.8) as Cairn receives them: the callout payload, its
// X-Hook-Signature checked with the secret Cairn gave at registration, and the *Webhooks
// records (with their field subscriptions) that make Autotask send them.
#include <string>
#include <vector>

#include "core/error.h"
#include "psa/autotask/client.h"
#include "psa/change_notice.h"

namespace cairn::psa::autotask {

// The webhook entities Cairn registers: CompanyWebhooks, ContactWebhooks, ConfigurationItemWebhooks.
const std::vector<std::string>& webhook_entities();

// The callout body, or an error saying what is wrong with it. Deactivated callouts (and entity
// types Cairn does not sync) name no record.
core::Result<ParsedNotice> parse_webhook(const std::string& body);

// header == "sha1=" + base64(HMAC-SHA1(secret, body)) over the raw body as received, compared in
// constant time.
bool webhook_signature_ok(const std::string& secret, const std::string& body, const std::string& header);

struct WebhookSetup {
  std::string url;     // webhookUrl and deactivationUrl
  std::string secret;  // secretKey (≤ 64 characters)
  std::string name;    // the webhook's name in Autotask
};

// The *Webhooks records whose webhookUrl is url.
std::vector<NoticeRegistration> list_webhooks(Client& client, const std::string& url);
// Makes one webhook per entity for setup.url, subscribed to create, update and delete and to
// the fields Cairn maps (a webhook without a field subscription never fires); one that exists
// already gets setup.secret (PATCH) and any field subscription it lacks, so running it again
// creates nothing.
std::vector<NoticeRegistration> register_webhooks(Client& client, const WebhookSetup& setup);

}  // namespace cairn::psa::autotask
