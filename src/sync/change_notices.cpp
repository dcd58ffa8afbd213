#include "sync/change_notices.h"

#include <soci/soci.h>

#include <stdexcept>

#include "core/crypto.h"
#include "psa/autotask/source.h"
#include "psa/autotask/webhooks.h"
#include "psa/connectwise/callbacks.h"
#include "psa/connectwise/source.h"
#include "store/secrets.h"
#include "sync/connectors.h"

namespace cairn::sync {

namespace {

constexpr std::size_t kSecretBytes = 24;  // 48 hex characters: Autotask takes up to 64

template <typename F>
auto with_source(const store::Integration& integration, F&& f) {
  auto source = make_source(integration);
  try {
    if (auto* cw = dynamic_cast<psa::connectwise::Source*>(source.get())) return f(cw, nullptr);
    if (auto* at = dynamic_cast<psa::autotask::Source*>(source.get())) return f(nullptr, at);
  } catch (const psa::connectwise::ApiError& e) {
    throw std::runtime_error(e.what());
  } catch (const psa::autotask::ApiError& e) {
    throw std::runtime_error(e.what());
  }
  throw std::runtime_error(notices_unsupported_reason(integration));
}

// The integration's webhook secret, made and stored (sealed, audited as "(changed)") when missing.
void ensure_webhook_secret(store::Database& db, store::Integration& integration, const store::Actor& who) {
  if (integration.credentials.count(store::kWebhookSecretCredential)) return;
  auto key = store::master_key_for(db);
  if (!key) throw std::runtime_error(key.error().detail);
  soci::session s(db.pool());
  store::Transaction tx(s, db.dialect());
  store::Integrations integrations(s, db.dialect(), key.value());
  store::IntegrationInput in;
  in.credentials[store::kWebhookSecretCredential] = core::random_hex(kSecretBytes);
  auto updated = integrations.update(integration.id, in, who, "");
  if (!updated) throw std::runtime_error(updated.error().detail);
  tx.commit();
  integration = updated.value();
}

}  // namespace

std::string notice_url(std::string public_url, std::int64_t integration_id) {
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  return public_url + "/webhooks/" + std::to_string(integration_id);
}

std::string notices_unsupported_reason(const store::Integration& integration) {
  const auto* caps = core::capabilities_for(integration.kind);
  if (!caps) return "Cairn does not know the PSA kind \"" + integration.kind + "\"";
  if (caps->change_notice != core::ChangeNotice::None) return {};
  return std::string(caps->display_name) + " sends no change notices for the records Cairn syncs: Cairn polls it "
         "(an incremental pull every few minutes, a full reconcile every few hours)";
}

std::vector<psa::NoticeRegistration> list_notice_registrations(const store::Integration& integration,
                                                               const std::string& url) {
  if (auto why = notices_unsupported_reason(integration); !why.empty()) throw std::runtime_error(why);
  return with_source(integration, [&](psa::connectwise::Source* cw, psa::autotask::Source* at) {
    return cw ? psa::connectwise::list_callbacks(cw->client(), url) : psa::autotask::list_webhooks(at->client(), url);
  });
}

std::vector<psa::NoticeRegistration> register_notices(store::Database& db, store::Integration& integration,
                                                      const std::string& url, const store::Actor& who) {
  if (auto why = notices_unsupported_reason(integration); !why.empty()) throw std::runtime_error(why);
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    throw std::runtime_error("the public URL must be an http:// or https:// URL the PSA can reach, not \"" + url + "\"");
  const std::string description = "Cairn: " + integration.name;
  const auto* caps = core::capabilities_for(integration.kind);
  if (caps->change_notice == core::ChangeNotice::Webhooks) ensure_webhook_secret(db, integration, who);
  return with_source(integration, [&](psa::connectwise::Source* cw, psa::autotask::Source* at) {
    if (cw) return psa::connectwise::register_callbacks(cw->client(), url, description);
    return psa::autotask::register_webhooks(
        at->client(), {url, integration.credentials.at(store::kWebhookSecretCredential), description});
  });
}

}  // namespace cairn::sync
