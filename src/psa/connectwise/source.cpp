#include "psa/connectwise/source.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include <set>

#include "psa/connectwise/communication_items.h"
#include "psa/connectwise/mapping.h"
#include "psa/json_codec.h"
#include "psa/push_codec.h"

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


Source::Source(std::string site, Credentials c, net::HttpClientOptions http) {
  net::HttpClientOptions paced = http;
  paced.min_interval *= static_cast<int>(kSiteLists);
  for (size_t i = 0; i < kSiteLists; ++i) {
    site_http_.push_back(std::make_unique<net::HttpClient>(paced));
    site_clients_.push_back(std::make_unique<Client>(site, c, *site_http_.back()));
  }
  http_ = std::make_unique<net::HttpClient>(std::move(http));
  client_ = std::make_unique<Client>(std::move(site), std::move(c), *http_);
}

std::int64_t Source::requests() const {
  std::uint64_t n = http_->requests_sent();
  for (const auto& h : site_http_) n += h->requests_sent();
  return static_cast<std::int64_t>(n);
}

void Source::pull_sites(const std::string& conditions, const std::vector<std::string>& companies,
                        const std::function<std::optional<size_t>(const std::string&, const std::string&)>& read) {
  if (companies.empty()) return;
  const std::string root = client_->api_root();
  for (auto& c : site_clients_) c->use_api_root(root);
  const std::string fields = fields_for(SyncEntity::Location);
  // The site connections are closed when the lists are done (or failed): idle, each would hold
  // one of the server's workers until its keep-alive ran out.
  struct CloseAfter {
    std::vector<std::unique_ptr<net::HttpClient>>& connections;
    ~CloseAfter() {
      try {
        for (auto& h : connections) h->close_connection();
      } catch (const std::exception&) {
        // libcurl could not make a new handle: the next list on it fails with that, not this destructor.
      }
    }
  } close_after{site_http_};

  // kSiteLists workers, one per connection, for the whole pull: worker k lists companies k,
  // k + kSiteLists, ... (a thread per company cost a thread's start and end 20,000 times for
  // 20,000 companies). No worker runs more than kSiteLists companies ahead of the one read
  // next, so memory stays flat. Bodies are decoded here, in company order, so the records
  // arrive as a one-at-a-time pull would give them.
  struct Listed {
    bool done = false;
    std::vector<std::string> bodies;
    std::exception_ptr error;
  };
  struct Shared {
    std::mutex m;
    std::condition_variable changed;
    std::vector<Listed> listed;
    size_t reading = 0;  // the company read next
    bool stop = false;
  } shared;
  shared.listed.resize(companies.size());
  auto work = [&](size_t k) {
    Client& c = *site_clients_[k];
    for (size_t i = k; i < companies.size(); i += kSiteLists) {
      {
        std::unique_lock lock(shared.m);
        shared.changed.wait(lock, [&] { return shared.stop || i < shared.reading + kSiteLists; });
        if (shared.stop) return;
      }
      Listed got;
      try {
        c.list_pages("/company/companies/" + companies[i] + "/sites", conditions, fields,
                     [&](const std::string& body) -> std::optional<size_t> {
                       got.bodies.push_back(body);
                       return 0;  // read (and checked) in order by the caller; pages follow the Link header
                     });
      } catch (...) {
        got.error = std::current_exception();
      }
      got.done = true;
      const bool failed = got.error != nullptr;
      {
        std::lock_guard lock(shared.m);
        shared.listed[i] = std::move(got);
      }
      shared.changed.notify_all();
      if (failed) return;  // the reader stops at it; nothing after it is needed
    }
  };
  // Stops and joins the workers however the reading ends, before the connections close.
  struct Workers {
    Shared& shared;
    std::vector<std::thread> threads;
    ~Workers() {
      {
        std::lock_guard lock(shared.m);
        shared.stop = true;
      }
      shared.changed.notify_all();
      for (auto& t : threads) t.join();
    }
  } workers{shared, {}};
  for (size_t k = 0; k < kSiteLists && k < companies.size(); ++k) workers.threads.emplace_back(work, k);

  for (size_t i = 0; i < companies.size(); ++i) {
    Listed got;
    {
      std::unique_lock lock(shared.m);
      shared.changed.wait(lock, [&] { return shared.listed[i].done; });
      got = std::move(shared.listed[i]);
      shared.reading = i + 1;
    }
    shared.changed.notify_all();
    if (got.error) std::rethrow_exception(got.error);
    for (const auto& body : got.bodies)
      if (!read(body, companies[i]))
        throw ApiError(502, "ConnectWise answered something that is not a list for the sites of company " + companies[i]);
  }
}

void Source::pull(SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                  const std::function<void(const core::PsaRecord&)>& each) {
  pull_owned(e, since, syncing_orgs, [&](core::PsaRecord&& r) { each(r); });
}

void Source::pull_owned(SyncEntity e, const std::string& since, const std::vector<std::string>& syncing_orgs,
                        const std::function<void(core::PsaRecord&&)>& take) {
  std::string conditions = since.empty() ? "" : "lastUpdated>[" + since + "]";
  auto decode_each = [&](SyncEntity entity, const std::string& company) {
    return [&, entity, company](const std::string& body) {
      return decoder_.decode(mapping(), entity, body, [&](core::PsaRecord r) {
        if (r.deleted) return;  // gone from the PSA: a full sync orphans it
        if (!company.empty() && !r.refs.count("organization_id"))
          r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
        take(std::move(r));
      });
    };
  };
  switch (e) {
    case SyncEntity::Organization:
      client_->list_pages("/company/companies", conditions, fields_for(e), decode_each(e, ""));
      break;
    case SyncEntity::Location:
      pull_sites(conditions, syncing_orgs,
                 [&](const std::string& body, const std::string& company) { return decode_each(e, company)(body); });
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

namespace cairn::psa::connectwise {

namespace {

// Where ConnectWise lists the records a name-only reference points at, and which member holds the name.
struct NamedReference {
  SyncEntity entity;
  const char* member;
  const char* list_path;
  const char* name_field;
};

const std::vector<NamedReference>& named_references() {
  using E = SyncEntity;
  static const std::vector<NamedReference> t = {
      {E::Organization, "status", "/company/companies/statuses", "name"},
      {E::Organization, "types", "/company/companies/types", "name"},
      {E::Location, "stateReference", "/company/states", "name"},
      {E::Location, "country", "/company/countries", "name"},
      {E::Contact, "types", "/company/contacts/types", "description"},
      // R16: the PSA email and phone types of a contact's communication items.
      {E::Contact, "communicationItems", "/company/communicationTypes", "description"},
      // A configuration status's name lives in "description" (psa-apis.md §1.8).
      {E::Configuration, "status", "/company/configurations/statuses", "description"},
      {E::Configuration, "type", "/company/configurations/types", "name"},
      {E::Configuration, "manufacturer", "/procurement/manufacturers", "name"},
  };
  return t;
}

std::string collection_path(SyncEntity e, const std::string& company) {
  switch (e) {
    case SyncEntity::Organization: return "/company/companies";
    case SyncEntity::Location:
      if (company.empty()) throw PushError(400, "ConnectWise keeps sites under their company: the site's company is not in ConnectWise");
      return "/company/companies/" + url_encode(company) + "/sites";
    case SyncEntity::Contact: return "/company/contacts";
    case SyncEntity::Configuration: return "/company/configurations";
  }
  return "";
}


}  // namespace

std::int64_t Source::id_of(SyncEntity e, const std::string& member, const std::string& name) {
  for (const auto& r : named_references()) {
    if (r.entity != e || member != r.member) continue;
    auto found = ids_.find(r.list_path);
    if (found == ids_.end()) {
      std::map<std::string, std::int64_t> names;
      client_->list(r.list_path, "", std::string("id,") + r.name_field, [&](const json& j) {
        if (j.contains(r.name_field) && j[r.name_field].is_string() && j.contains("id") && j["id"].is_number_integer())
          names.emplace(j[r.name_field].get<std::string>(), j["id"].get<std::int64_t>());
      });
      found = ids_.emplace(r.list_path, std::move(names)).first;
    }
    auto hit = found->second.find(name);
    if (hit == found->second.end()) {
      ids_.erase(found);  // it may be added in ConnectWise before the retry
      throw PushError(422, "ConnectWise has no " + member + " named \"" + name + "\" (" + r.list_path + ")");
    }
    return hit->second;
  }
  if (e == SyncEntity::Configuration && member == "installedBy") {
    // A member's name is its first and last name (as installedBy/name reads it), read once.
    const std::string path = "/system/members";
    auto found = ids_.find(path);
    if (found == ids_.end()) {
      std::map<std::string, std::int64_t> names;
      client_->list(path, "", "id,firstName,lastName", [&](const json& j) {
        if (!j.contains("id") || !j["id"].is_number_integer()) return;
        std::string full = j.value("firstName", "");
        const std::string last = j.value("lastName", "");
        if (!last.empty()) full += (full.empty() ? "" : " ") + last;
        names.emplace(full, j["id"].get<std::int64_t>());
      });
      found = ids_.emplace(path, std::move(names)).first;
    }
    auto hit = found->second.find(name);
    if (hit == found->second.end()) {
      ids_.erase(found);
      throw PushError(422, "ConnectWise has no member named \"" + name + "\" (/system/members)");
    }
    return hit->second;
  }
  throw PushError(422, "Cairn cannot set ConnectWise's " + member + " by name");
}

json Source::members_for(const core::PsaRecord& changes) {
  json members = encode(mapping(), changes).members;
  auto by_id = [&](const std::string& member, json& ref) {
    if (ref.is_object() && !ref.contains("id") && ref.contains("name") && ref["name"].is_string())
      ref = json{{"id", id_of(changes.entity, member, ref["name"].get<std::string>())}};
    else if (ref.is_object() && ref.contains("name") && ref["name"].is_null())
      ref = nullptr;  // a lookup cleared in Cairn
  };
  for (auto& [member, value] : members.items()) {
    if (member == "communicationItems") {
      for (auto& item : value)
        if (item.contains("type") && item["type"].is_object() && item["type"].contains("name") &&
            item["type"]["name"].is_string())
          item["type"] = json{{"id", id_of(changes.entity, member, item["type"]["name"].get<std::string>())}};
      continue;
    }
    if (value.is_array())
      for (auto& item : value) by_id(member, item);
    else
      by_id(member, value);
  }
  return members;
}

core::PsaRecord Source::decoded(SyncEntity e, const json& wire, const std::string& company) {
  core::PsaRecord r = decode(mapping(), e, wire);
  if (e == SyncEntity::Location && !r.refs.count("organization_id"))
    r.refs["organization_id"] = core::PsaRef{SyncEntity::Organization, company};
  return r;
}

core::PsaRecord Source::update(const core::PsaRecord& changes, const std::string& company) {
  return pushing<ApiError>([&] {
    json members = members_for(changes);
    const std::string path = collection_path(changes.entity, company) + "/" + url_encode(changes.psa_id);
    json ops = json::array();
    if (auto items = members.find("communicationItems"); items != members.end()) {
      // Items are changed one by one, so the contact's others stay (communication_items.h).
      json current = client_->get(path + "?fields=communicationItems");
      ops = communication_operations(current.value("communicationItems", json::array()), *items);
      members.erase(items);
    }
    for (auto& op : replace_operations(members)) ops.push_back(std::move(op));
    if (ops.empty()) return decoded(changes.entity, client_->get(path + "?fields=" + url_encode(fields_for(changes.entity))), company);
    // The answer is the whole record as ConnectWise now holds it.
    return decoded(changes.entity, client_->send("PATCH", path, ops), company);
  });
}

core::PsaRecord Source::create(const core::PsaRecord& record, const std::string& company, const std::string&) {
  return pushing<ApiError>([&] {
    json body = members_for(record);
    return decoded(record.entity, client_->send("POST", collection_path(record.entity, company), body), company);
  });
}

}  // namespace cairn::psa::connectwise
