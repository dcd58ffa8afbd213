#include "psa/bms/client.h"

#include "core/url_encode.h"

namespace cairn::psa::bms {

using nlohmann::json;

namespace {

std::string reason(const Platform& p, const net::HttpResponse& r, const json& body, const std::string& url) {
  const std::string product(p.product);
  if (!r.error.empty()) {
    if (r.error.rfind("TLS:", 0) == 0) return "TLS failed talking to " + url + " (" + r.error + ")";
    return "cannot reach " + url + ": " + r.error;
  }
  const std::string msg = envelope_error(body);
  const std::string detail = msg.empty() ? "" : ": " + msg;
  if (r.status == 403) return "the " + product + " " + std::string(p.api_user) + " lacks permission (403" + detail + ")";
  if (r.status == 429)
    return product + "'s hourly call limit is exceeded (429" + detail + "); the rest waits for the next run";
  if (r.status == 200) return product + " reported a failure" + detail + " for " + url;
  return product + " answered " + std::to_string(r.status) + detail + " for " + url;
}

}  // namespace

std::string normalized_api_root(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.size() >= 3 && (u.compare(u.size() - 3, 3, "/v2") == 0 || u.compare(u.size() - 3, 3, "/V2") == 0))
    u.resize(u.size() - 3);
  return u + "/v2";
}

std::string endpoint_of(const std::string& method, const std::string& path) {
  const std::string p = path.substr(0, path.find('?'));
  std::string out = method + " ";
  std::size_t start = 0;
  while (start < p.size()) {
    std::size_t slash = p.find('/', start);
    std::string seg = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!seg.empty()) out += "/" + (seg.find_first_not_of("0123456789") == std::string::npos ? std::string("{id}") : seg);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string envelope_error(const json& body) {
  if (!body.is_object()) return {};
  if (auto e = body.find("error"); e != body.end() && e->is_object()) {
    if (auto m = e->find("message"); m != e->end() && m->is_string()) return m->get<std::string>();
  }
  if (auto m = body.find("Message"); m != body.end() && m->is_string()) return m->get<std::string>();
  return {};
}

namespace {
std::string api_host(const Platform& p, const std::string& base_url) {
  if (!base_url.empty()) return base_url;
  if (p.default_url.empty()) throw std::invalid_argument("a " + std::string(p.product) + " integration needs --url (its API host)");
  return std::string(p.default_url);
}
}  // namespace

Client::Client(const Platform& platform, std::string base_url, Credentials credentials, net::HttpClient& http,
               int hourly_calls_per_endpoint)
    : platform_(platform),
      root_(normalized_api_root(api_host(platform, base_url))),
      creds_(std::move(credentials)),
      http_(http),
      hourly_(hourly_calls_per_endpoint) {}

long Client::budget_left(const std::string& endpoint) {
  auto it = recent_.find(endpoint);
  if (it == recent_.end()) return hourly_;
  const auto hour_ago = std::chrono::steady_clock::now() - std::chrono::hours(1);
  while (!it->second.empty() && it->second.front() <= hour_ago) it->second.pop_front();
  return hourly_ - static_cast<long>(it->second.size());
}

net::HttpResponse Client::send(const std::string& method, const std::string& path, const std::string& body,
                               const std::string& content_type, bool v1) {
  const std::string endpoint = endpoint_of(method, (v1 ? "/api" : "/v2") + path);
  if (budget_left(endpoint) <= 0)
    throw ApiError(429, "Cairn has spent " + std::string(platform_.product) + "'s " + std::to_string(hourly_) + " calls this hour for " + endpoint +
                            " (D19); the rest waits for the next run");
  ++spent_[endpoint];
  recent_[endpoint].push_back(std::chrono::steady_clock::now());
  net::HttpRequest r;
  r.method = method;
  // V1 lives beside V2 on the same host: https://host/api (psa-apis.md §3.1).
  r.url = (v1 ? root_.substr(0, root_.size() - 3) + "/api" : root_) + path;
  r.body = body;
  r.headers = {{"Accept", "application/json"}};
  if (!content_type.empty()) r.headers.emplace_back("Content-Type", content_type);
  const std::string& token = v1 ? v1_token_ : token_;
  if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
  return http_.send(r);
}

void Client::login() {
  using core::url_encode;
  const std::string form = "GrantType=password&UserName=" + url_encode(creds_.username) +
                           "&Password=" + url_encode(creds_.password) + "&Tenant=" + url_encode(creds_.tenant);
  token_.clear();
  auto r = send("POST", "/security/authenticate", form, "application/x-www-form-urlencoded");
  const json body = json::parse(r.body, nullptr, false);
  const std::string url = root_ + "/security/authenticate";
  if (r.status == 401 || r.status == 400) {
    const std::string msg = envelope_error(body);
    throw ApiError(r.status, std::string(platform_.product) + " refused the login of " + std::string(platform_.api_user) +
                                 " \"" + creds_.username + "\" at tenant \"" + creds_.tenant +
                                 "\" (" + std::to_string(r.status) + (msg.empty() ? "" : ": " + msg) +
                                 "); check the user name, password and tenant");
  }
  const json* token = body.is_object() && body.value("success", false) && body.contains("result") && body["result"].is_object()
                          ? &body["result"]
                          : nullptr;
  if (r.status != 200 || !token || !token->contains("accessToken") || !(*token)["accessToken"].is_string())
    throw ApiError(r.status == 200 ? 502 : r.status, reason(platform_, r, body, url));
  token_ = (*token)["accessToken"].get<std::string>();
}

void Client::login_v1() {
  using core::url_encode;
  const std::string form = "grant_type=password&username=" + url_encode(creds_.username) +
                           "&password=" + url_encode(creds_.password) + "&tenant=" + url_encode(creds_.tenant);
  v1_token_.clear();
  auto r = send("POST", "/token", form, "application/x-www-form-urlencoded", true);
  const json body = json::parse(r.body, nullptr, false);
  if (r.status != 200 || !body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) {
    std::string why = body.is_object() ? body.value("error_description", envelope_error(body)) : "";
    throw ApiError(r.status == 200 ? 502 : r.status,
                   std::string(platform_.product) + " refused the V1 login (used for location writes) of \"" + creds_.username +
                       "\" (" + std::to_string(r.status) + (why.empty() ? "" : ": " + why) + ")");
  }
  v1_token_ = body["access_token"].get<std::string>();
}

json Client::write_v1(const std::string& method, const std::string& path, const json& body) {
  if (v1_token_.empty()) login_v1();
  auto r = send(method, path, body.dump(), "application/json", true);
  if (r.status == 401) {
    login_v1();
    r = send(method, path, body.dump(), "application/json", true);
  }
  const json answer = json::parse(r.body, nullptr, false);
  const std::string url = root_.substr(0, root_.size() - 3) + "/api" + path;
  if (r.status != 200 || !answer.is_object()) {
    if (r.status == 200) throw ApiError(502, std::string(platform_.product) + " answered something that is not a record for " + url);
    throw ApiError(r.status, reason(platform_, r, answer, url));
  }
  return answer;
}

json Client::write(const std::string& method, const std::string& path, const json& body) {
  return envelope(method, path, body.dump())["result"];
}

json Client::envelope(const std::string& method, const std::string& path_and_query, const std::string& payload) {
  const std::string type = method == "GET" ? "" : "application/json";
  if (token_.empty()) login();
  auto r = send(method, path_and_query, payload, type);
  if (r.status == 401) {  // the token expired mid-run: log in again once
    login();
    r = send(method, path_and_query, payload, type);
  }
  const json body = json::parse(r.body, nullptr, false);
  const std::string url = root_ + path_and_query;
  if (r.status == 401) throw ApiError(401, std::string(platform_.product) + " refused Cairn's token right after login (401) for " + url);
  if (r.status != 200 || !body.is_object() || !body.value("success", false)) {
    if (r.status == 200 && body.is_discarded())
      throw ApiError(502, std::string(platform_.product) + " answered something that is not JSON for " + url);
    throw ApiError(r.status == 200 ? 502 : r.status, reason(platform_, r, body, url));
  }
  return body;
}

json Client::get(const std::string& path_and_query) { return envelope("GET", path_and_query)["result"]; }

int Client::list(const std::string& path, const std::string& query, const std::function<void(const json&)>& each) {
  int pages = 0;
  std::size_t seen = 0;
  for (int page = 1;; ++page) {
    const json answer = envelope("GET", path + "?" + query + "PageSize=" + std::to_string(kPageSize) + "&PageNumber=" + std::to_string(page));
    ++pages;
    const json& rows = answer["result"];
    if (!rows.is_array()) throw ApiError(502, std::string(platform_.product) + " answered a list without rows for " + root_ + path);
    for (const auto& row : rows) each(row);
    seen += rows.size();
    // totalRecords spares the empty page after an exact multiple of 100.
    const bool has_total = answer.contains("totalRecords") && answer["totalRecords"].is_number_unsigned();
    if (rows.size() < static_cast<std::size_t>(kPageSize) || (has_total && seen >= answer["totalRecords"].get<std::size_t>()))
      break;
  }
  return pages;
}

void Client::check() { get("/security/userinfo"); }

}  // namespace cairn::psa::bms
