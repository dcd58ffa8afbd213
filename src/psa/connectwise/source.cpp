#include "psa/connectwise/source.h"

#include <nlohmann/json.hpp>

#include <set>

#include "psa/connectwise/mapping.h"
#include "psa/json_codec.h"

namespace cairn::psa::connectwise {

using core::SyncEntity;
using nlohmann::json;

std::string fields_for(SyncEntity e) {
  std::set<std::string> top = {"id", "_info"};
  for (const auto& row : mapping()) {
    if (row.entity != e) continue;
    // Ask for the top-level member; the emulator and ConnectWise both return it whole.
    std::string first = row.path.substr(0, row.path.find('/'));
    if (auto b = first.find("[]"); b != std::string::npos) first = first.substr(0, b);
    top.insert(first);
  }
  std::string out;
  for (const auto& f : top) out += (out.empty() ? "" : ",") + f;
  return out;
}


Source::Source(std::string site, Credentials c, net::HttpClientOptions http)
    : http_(std::make_unique<net::HttpClient>(std::move(http))),
      client_(std::make_unique<Client>(std::move(site), std::move(c), *http_)) {}

void Source::pull(SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                  const std::function<void(const core::PsaRecord&)>& each) {
  std::string conditions = since.empty() ? "" : "lastUpdated>[" + since + "]";
  auto decode_each = [&](SyncEntity entity, const std::string& company) {
    return [&, entity, company](const std::string& body) {
      return decoder_.decode(mapping(), entity, body, [&](core::PsaRecord r) {
        if (r.deleted) return;  // gone from the PSA: a full sync orphans it
        if (!company.empty() && !r.refs.count("organization_id"))
          r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
        each(r);
      });
    };
  };
  switch (e) {
    case SyncEntity::Organization:
      client_->list_pages("/company/companies", conditions, fields_for(e), decode_each(e, ""));
      break;
    case SyncEntity::Location:
      // ConnectWise lists sites per company only.
      for (const auto& company : syncing_orgs)
        client_->list_pages("/company/companies/" + company + "/sites", conditions, fields_for(e), decode_each(e, company));
      break;
    case SyncEntity::Contact:
      client_->list_pages("/company/contacts", conditions, fields_for(e), decode_each(e, ""));
      break;
    case SyncEntity::Configuration:
      client_->list_pages("/company/configurations", conditions, fields_for(e), decode_each(e, ""));
      break;
  }
}

std::optional<core::PsaRecord> Source::fetch(SyncEntity e, const std::string& psa_id, const std::string& company) {
  std::string path;
  switch (e) {
    case SyncEntity::Organization: path = "/company/companies/" + url_encode(psa_id); break;
    case SyncEntity::Location:
      if (company.empty()) throw ApiError(400, "ConnectWise keeps sites under their company: the site's company is needed");
      path = "/company/companies/" + url_encode(company) + "/sites/" + url_encode(psa_id);
      break;
    case SyncEntity::Contact: path = "/company/contacts/" + url_encode(psa_id); break;
    case SyncEntity::Configuration: path = "/company/configurations/" + url_encode(psa_id); break;
  }
  try {
    core::PsaRecord r = decode(mapping(), e, client_->get(path + "?fields=" + url_encode(fields_for(e))));
    if (r.deleted) return std::nullopt;
    if (e == SyncEntity::Location && !r.refs.count("organization_id"))
      r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
    return r;
  } catch (const ApiError& err) {
    if (err.status == 404) return std::nullopt;  // deleted in the PSA
    throw;
  }
}

std::map<std::string, std::vector<std::string>> Source::catalogue() {
  std::map<std::string, std::vector<std::string>> out;
  auto names = [&](const std::string& path, const char* field, const char* into) {
    auto& list = out[into];
    client_->list(path, "", std::string("id,") + field, [&](const json& j) {
      if (j.contains(field) && j[field].is_string()) list.push_back(j[field]);
    });
  };
  names("/company/companies/types", "name", "org_types");
  names("/company/companies/statuses", "name", "org_statuses");
  names("/company/configurations/types", "name", "config_types");
  // A configuration status's name lives in "description" (psa-apis.md §1.8).
  names("/company/configurations/statuses", "description", "config_statuses");
  return out;
}

}  // namespace cairn::psa::connectwise
