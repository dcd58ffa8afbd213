#include "sync/connectors.h"

#include <soci/soci.h>

#include <cstdlib>
#include <stdexcept>

#include "psa/autotask/source.h"
#include "psa/bms/source.h"
#include "psa/connectwise/source.h"
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
  if (integration.kind == "bms") {
    // The API host differs by region (api.bms.kaseya.com, api.bmsemea…, api.bmsapac…): no default.
    if (integration.base_url.empty()) throw std::runtime_error("a Kaseya BMS integration needs --url (its API host)");
    return std::make_unique<psa::bms::Source>(
        integration.base_url, psa::bms::Credentials{cred("username"), cred("password"), cred("tenant")}, http);
  }
  throw std::runtime_error("the " + integration.kind + " connector is not built yet; ConnectWise, Autotask and Kaseya BMS are");
}

std::optional<store::Integration> read_integration(store::Database& db, std::int64_t id) {
  auto key = store::master_key_for(db);
  if (!key) throw std::runtime_error(key.error().detail);
  soci::session s(db.pool());
  store::Integrations integrations(s, db.dialect(), key.value());
  return integrations.get(id);
}

}  // namespace cairn::sync
