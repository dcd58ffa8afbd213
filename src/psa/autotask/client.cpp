#include "psa/autotask/client.h"

#include <optional>

#include "core/url_encode.h"

namespace cairn::psa::autotask {

using nlohmann::json;

namespace {

constexpr int kPageSize = 500;
// D19: Cairn spends at most this share of the database's hourly request threshold.
constexpr double kBudgetShare = 0.5;

std::string first_error(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty() && j["errors"][0].is_string())
    return j["errors"][0].get<std::string>();
  return {};
}

std::string reason(const net::HttpResponse& r, const std::string& url) {
  if (!r.error.empty()) {
    if (r.error.rfind("TLS:", 0) == 0) return "TLS failed talking to " + url + " (" + r.error + ")";
    return "cannot reach " + url + ": " + r.error;
  }
  const std::string msg = first_error(r.body);
  const std::string detail = msg.empty() ? "" : ": " + msg;
  if (r.status == 401) return "Autotask refused the API user's secret (401" + detail + ")";
  if (r.status == 403) return "the API user lacks permission (403" + detail + ")";
  if (r.status == 429) return "Autotask's request threshold is exceeded (429" + detail + "); the rest waits for the next run";
  // Autotask answers a wrong user name or integration code with 500 (psa-apis.md §2.2).
  if (r.status == 500 && msg.find("IntegrationCode") != std::string::npos)
    return "Autotask refused the integration code (500" + detail + ")";
  return "Autotask answered " + std::to_string(r.status) + detail + " for " + url;
}

}  // namespace

std::string normalized_zone_url(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  const std::string tail = "/atservicesrest";
  if (u.size() < tail.size() || u.compare(u.size() - tail.size(), tail.size(), tail) != 0) u += tail;
  return u + "/";
}

Client::Client(std::string zone_url, Credentials credentials, net::HttpClient& http, std::string lookup_url)
    : zone_(zone_url.empty() ? "" : normalized_zone_url(zone_url)),
      creds_(std::move(credentials)),
      http_(http),
      lookup_(normalized_zone_url(lookup_url)) {}

net::HttpResponse Client::call(const std::string& method, const std::string& url, const std::string& body) {
  net::HttpRequest r;
  r.method = method;
  r.url = url;
  r.body = body;
  r.headers = {{"ApiIntegrationCode", creds_.integration_code},
               {"UserName", creds_.username},
               {"Secret", creds_.secret},
               {"Content-Type", "application/json"},
               {"Accept", "application/json"}};
  return http_.send(r);
}

net::HttpResponse Client::checked(const std::string& method, const std::string& url, const std::string& body) {
  if (budget_left() <= 0)
    throw ApiError(429, "Cairn has spent its share of Autotask's hourly request threshold (D19: half of it); "
                        "the rest waits for the next run");
  --budget_;
  auto r = call(method, url, body);
  if (r.status != 200) throw ApiError(r.status, reason(r, url));
  return r;
}

const std::string& Client::api_root() {
  if (!root_.empty()) return root_;
  if (zone_.empty()) {
    // The look-up is unauthenticated and outside every threshold (psa-apis.md §2.1).
    const std::string url = lookup_ + "v1.0/zoneInformation?user=" + core::url_encode(creds_.username);
    auto r = call("GET", url);
    if (r.status != 200) {
      const std::string msg = first_error(r.body);
      if (r.status == 500 || r.status == 404)
        throw ApiError(r.status, "Autotask's zone look-up does not know the user \"" + creds_.username + "\"" +
                                     (msg.empty() ? "" : " (" + msg + ")"));
      throw ApiError(r.status, reason(r, url));
    }
    auto j = json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("url") || !j["url"].is_string())
      throw ApiError(502, "Autotask's zone look-up answered without a url: " + r.body.substr(0, 200));
    zone_ = normalized_zone_url(j["url"].get<std::string>());
  }
  root_ = zone_ + "v1.0";
  return root_;
}

long Client::budget_left() {
  if (budget_ >= 0) return budget_;
  const std::string url = api_root() + "/ThresholdInformation";
  auto r = call("GET", url);
  if (r.status != 200) throw ApiError(r.status, reason(r, url));
  auto j = json::parse(r.body, nullptr, false);
  long threshold = 10000, used = 0;
  if (j.is_object()) {
    threshold = j.value("externalRequestThreshold", threshold);
    used = j.value("currentTimeframeRequestCount", used);
  }
  budget_ = std::max(0L, static_cast<long>(threshold * kBudgetShare) - used - 1);
  return budget_;
}

json query_after(const json& body, std::int64_t last_id) {
  json again = body;
  if (!again["filter"].is_array()) again["filter"] = json::array({again["filter"]});
  again["filter"].push_back({{"op", "gt"}, {"field", "id"}, {"value", last_id}});
  return again;
}

int Client::query(const std::string& entity, const json& filter, const std::vector<std::string>& include_fields,
                  const std::function<void(json&)>& each) {
  const json body = {{"MaxRecords", kPageSize}, {"IncludeFields", include_fields}, {"filter", filter}};
  std::string text = body.dump();
  const std::string start = api_root() + "/" + entity + "/query";
  std::string url = start;
  int requests = 0;
  std::optional<std::int64_t> last_id;
  while (!url.empty()) {
    // A query started with POST continues with POST and the same body (psa-apis.md §2.5).
    auto r = checked("POST", url, text);
    ++requests;
    auto page = json::parse(r.body, nullptr, false);
    if (!page.is_object() || !page.contains("items") || !page["items"].is_array())
      throw ApiError(502, "Autotask answered something that is not a query result for " + url);
    bool advanced = false;  // a page that gave no id would start the same query again, forever
    for (auto& rec : page["items"]) {
      if (rec.is_object() && rec.contains("id") && rec["id"].is_number_integer()) {
        last_id = rec["id"].get<std::int64_t>();
        advanced = true;
      }
      each(rec);  // last: it may take the record
    }
    const json* next = page.contains("pageDetails") ? &page["pageDetails"] : nullptr;
    url = next && next->contains("nextPageUrl") && (*next)["nextPageUrl"].is_string()
              ? (*next)["nextPageUrl"].get<std::string>()
              : std::string();
    if (url.size() > max_cursor_url_ && advanced) {
      // The same query from after the last record given: a fresh, short cursor.
      text = query_after(body, *last_id).dump();
      url = start;
    }
  }
  return requests;
}

json Client::get(const std::string& path) {
  auto r = checked("GET", api_root() + path);
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw ApiError(502, "Autotask answered something that is not JSON for " + path);
  return j;
}

json Client::send(const std::string& method, const std::string& path, const json& body) {
  auto r = checked(method, api_root() + path, body.is_null() ? std::string() : body.dump());
  if (r.body.empty()) return nullptr;  // a DELETE, or a write Autotask answers without a body
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw ApiError(502, "Autotask answered something that is not JSON for " + path);
  return j;
}

void Client::check() { get("/Companies/entityInformation"); }

}  // namespace cairn::psa::autotask
