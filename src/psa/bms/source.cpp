#include "psa/bms/source.h"

#include "psa/bms/mapping.h"
#include "core/url_encode.h"
#include "psa/json_codec.h"

namespace cairn::psa::bms {

using core::SyncEntity;
using nlohmann::json;

namespace {

std::string id_text(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

// Pulseway's ids pass 32 bits (psa-apis.md §4): an id is text of up to 18 digits, never an int.
void require_id(const Platform& p, const std::string& id, const char* what) {
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(400, "a " + std::string(p.product) + " " + what + " id is a number, not \"" + id + "\"");
}

}  // namespace

core::PsaRecord to_record(SyncEntity e, json wire) {
  if (!wire.is_object()) wire = json::object();
  if (e == SyncEntity::Contact) add_communication_items(wire);
  core::PsaRecord r = decode(mapping(), e, wire);
  if (auto m = wire.find("modifiedOn"); m != wire.end() && m->is_string()) r.updated_at = m->get<std::string>();
  return r;
}

Source::Source(const Platform& platform, std::string base_url, Credentials c, net::HttpClientOptions http,
               int hourly_calls_per_endpoint)
    : http_(std::make_unique<net::HttpClient>(std::move(http))),
      client_(std::make_unique<Client>(platform, std::move(base_url), std::move(c), *http_, hourly_calls_per_endpoint)),
      product_(platform.product) {}

void Source::pull(SyncEntity e, const std::string& since, const std::vector<std::string>&,
                  const std::function<void(const core::PsaRecord&)>& each) {
  const std::string filter = since.empty() || !pulls_incrementally(e)
                                 ? ""
                                 : "Filter.ModifiedOnFrom=" + core::url_encode(since) + "&";
  switch (e) {
    case SyncEntity::Organization:
    case SyncEntity::Contact:
      client_->list(list_path(e), filter, [&](const json& row) { each(to_record(e, row)); });
      break;
    case SyncEntity::Location:
      // V2 has no list of locations: every account carries its own (psa-apis.md §3.3).
      client_->list(list_path(e), filter, [&](const json& account) {
        if (!account.is_object() || !account.contains("locations") || !account["locations"].is_array()) return;
        for (json location : account["locations"]) {
          if (!location.is_object()) continue;
          if (!location.contains("accountId") || location["accountId"].is_null()) location["accountId"] = account.value("id", json());
          each(to_record(e, std::move(location)));
        }
      });
      break;
    case SyncEntity::Configuration: {
      // The searchselect row is slim (no MAC, model, dates, state): list every asset, then read
      // each full record. Past the endpoint's hourly budget the client stops the run (D19).
      std::vector<std::string> ids;
      client_->list(list_path(e), "", [&](const json& row) {
        if (row.is_object() && row.contains("id")) ids.push_back(id_text(row["id"]));
      });
      for (const auto& id : ids) {
        if (auto r = fetch(e, id, "")) each(*r);
      }
      break;
    }
  }
}

std::optional<core::PsaRecord> Source::fetch(SyncEntity e, const std::string& psa_id, const std::string& company) {
  std::string path;
  switch (e) {
    case SyncEntity::Organization:
      require_id(client_->platform(), psa_id, "account");
      path = "/crm/accounts/summary/" + psa_id;
      break;
    case SyncEntity::Location:
      require_id(client_->platform(), psa_id, "location");
      if (company.empty())
        throw ApiError(400, std::string(client_->platform().product) +
                                " keeps locations under their account: the location's account is needed");
      require_id(client_->platform(), company, "account");
      path = "/crm/accounts/" + company + "/locations/" + psa_id;
      break;
    case SyncEntity::Contact:
      require_id(client_->platform(), psa_id, "contact");
      path = "/crm/contacts/summary/" + psa_id;
      break;
    case SyncEntity::Configuration:
      require_id(client_->platform(), psa_id, "hardware asset");
      path = "/servicedesk/hardwareasset/" + psa_id;
      break;
  }
  try {
    json wire = client_->get(path);
    if (!wire.is_object()) return std::nullopt;
    if (e == SyncEntity::Location && (!wire.contains("accountId") || wire["accountId"].is_null()))
      wire["accountId"] = company;
    return to_record(e, std::move(wire));
  } catch (const ApiError& err) {
    if (err.status == 404) return std::nullopt;  // deleted in the PSA (B7)
    throw;
  }
}

std::map<std::string, std::vector<std::string>> Source::catalogue() {
  std::map<std::string, std::vector<std::string>> out;
  auto names = [&](const std::string& path, const char* into) {
    auto& list = out[into];
    const json rows = client_->get(path);
    if (!rows.is_array()) return;
    for (const auto& row : rows)
      if (row.is_object() && row.contains("name") && row["name"].is_string()) list.push_back(row["name"].get<std::string>());
  };
  names("/system/accounttypes/lookup", "org_types");
  names(std::string("/system/lookup/") + kCategoriesTable, "config_types");
  names(std::string("/system/lookup/") + kStatesTable, "config_statuses");
  // An account has an active flag, no status list (B13): it stands for these two, as in D26.
  out["org_statuses"] = {"Active", "Inactive"};
  return out;
}

}  // namespace cairn::psa::bms
