#include "sync/connectors.h"

#include <soci/soci.h>

#include <cstdlib>
#include <stdexcept>

#include "psa/autotask/source.h"
#include "psa/bms/source.h"
#include "psa/connectwise/source.h"
#include "psa/pulseway/platform.h"
#include "psa/tigerpaw/source.h"
#include "store/secrets.h"

namespace cairn::sync {

std::unique_ptr<psa::Source> make_source(const store::Integration& integration) {
  if (!integration.credentials_error.empty()) throw std::runtime_error(integration.credentials_error);
  auto cred = [&](const char* name) {
    auto it = integration.credentials.find(name);
    if (it == integration.credentials.end() || it->second.empty())
      throw std::runtime_error("integration " + std::to_string(integration.id) + " has no " + name);
    return it->second;
  };
  net::HttpClientOptions http;
  if (const char* ca = std::getenv("CAIRN_CA_FILE"); ca && *ca) http.ca_file = ca;
  if (integration.kind == "connectwise") {
    if (integration.base_url.empty()) throw std::runtime_error("a ConnectWise integration needs --url");
    return std::make_unique<psa::connectwise::Source>(
        integration.base_url,
        psa::connectwise::Credentials{cred("company_id"), cred("public_key"), cred("private_key"), cred("client_id")}, http);
  }
  if (integration.kind == "autotask") {
    // No URL: ask Autotask's zone look-up (CAIRN_AUTOTASK_ZONE_LOOKUP_URL points it elsewhere, for emulators).
    std::string lookup = psa::autotask::kZoneLookupUrl;
    if (const char* l = std::getenv("CAIRN_AUTOTASK_ZONE_LOOKUP_URL"); l && *l) lookup = l;
    return std::make_unique<psa::autotask::Source>(
        integration.base_url,
        psa::autotask::Credentials{cred("username"), cred("secret"), cred("integration_code")}, http, lookup);
  }
  // Kaseya BMS and Pulseway PSA: one V2 platform connector; BMS needs its regional host, Pulseway
  // defaults to its one host.
  for (const psa::bms::Platform* platform : {&psa::bms::kaseya_bms(), &psa::pulseway::platform()}) {
    if (integration.kind != platform->kind) continue;
    if (integration.base_url.empty() && platform->default_url.empty())
      throw std::runtime_error("a " + std::string(platform->product) + " integration needs --url (its API host)");
    auto source = std::make_unique<psa::bms::Source>(
        *platform, integration.base_url, psa::bms::Credentials{cred("username"), cred("password"), cred("tenant")}, http);
    source->set_contact_types({integration.settings.two_way_email_type, integration.settings.two_way_phone_type});
    return source;
  }
  if (integration.kind == "tigerpaw") {
    // Each customer hosts Tigerpaw's API server: no default.
    if (integration.base_url.empty()) throw std::runtime_error("a Tigerpaw integration needs --url (its API server)");
    return std::make_unique<psa::tigerpaw::Source>(
        integration.base_url, psa::tigerpaw::Credentials{cred("public_key"), cred("private_key")}, http);
  }
  throw std::runtime_error("Cairn has no connector for the PSA kind \"" + integration.kind + "\"");
}

std::optional<store::Integration> read_integration(store::Database& db, std::int64_t id) {
  auto key = store::master_key_for(db);
  if (!key) throw std::runtime_error(key.error().detail);
  soci::session s(db.pool());
  store::Integrations integrations(s, db.dialect(), key.value());
  return integrations.get(id);
}

}  // namespace cairn::sync
