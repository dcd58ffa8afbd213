#include "psa/connectwise/client.h"

#include <future>

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace cairn::psa::connectwise {

using nlohmann::json;

namespace {
std::string base64(const std::string& s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

std::string reason(const net::HttpResponse& r, const std::string& url) {
  if (!r.error.empty()) {
    if (r.error.rfind("TLS:", 0) == 0) return "TLS failed talking to " + url + " (" + r.error + ")";
    return "cannot reach " + url + ": " + r.error;
  }
  std::string msg;
  auto body = json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) msg = body["message"].get<std::string>();
  // A refused write names each field that is wrong under "errors".
  if (body.is_object() && body.contains("errors") && body["errors"].is_array())
    for (const auto& e : body["errors"])
      if (e.is_object() && e.contains("message") && e["message"].is_string()) msg += " " + e["message"].get<std::string>();
  if (r.status == 401) return "ConnectWise refused the API keys (401" + (msg.empty() ? "" : ": " + msg) + ")";
  if (r.status == 403) return "the API member lacks permission (403" + (msg.empty() ? "" : ": " + msg) + ")";
  return "ConnectWise answered " + std::to_string(r.status) + (msg.empty() ? "" : ": " + msg) + " for " + url;
}
}  // namespace

std::string next_link(const std::string& h) {
  size_t pos = 0;
  while (pos < h.size()) {
    size_t lt = h.find('<', pos), gt = h.find('>', lt == std::string::npos ? pos : lt);
    if (lt == std::string::npos || gt == std::string::npos) return {};
    size_t end = h.find(',', gt);
    std::string params = h.substr(gt + 1, end == std::string::npos ? std::string::npos : end - gt - 1);
    if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
      return h.substr(lt + 1, gt - lt - 1);
    if (end == std::string::npos) return {};
    pos = end + 1;
  }
  return {};
}

Client::Client(std::string site, Credentials credentials, net::HttpClient& http)
    : site_(std::move(site)), creds_(std::move(credentials)), http_(http) {
  while (!site_.empty() && site_.back() == '/') site_.pop_back();
}

net::HttpResponse Client::call(const std::string& method, const std::string& url, const std::string& body) {
  net::HttpRequest r;
  r.method = method;
  r.url = url;
  r.body = body;
  r.headers = {{"Authorization", "Basic " + base64(creds_.company_id + "+" + creds_.public_key + ":" + creds_.private_key)},
               {"clientId", creds_.client_id},
               {"Accept", "application/vnd.connectwise.com+json; version=2025.1"},
               {"Content-Type", "application/json"}};
  return http_.send(r);
}

const std::string& Client::api_root() {
  if (!root_.empty()) return root_;
  std::string url = site_ + "/login/companyinfo/" + url_encode(creds_.company_id);
  auto r = call("GET", url);
  if (r.status != 200) throw ApiError(r.status, reason(r, url));
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_null()) throw ApiError(404, "ConnectWise does not know the company id \"" + creds_.company_id + "\"");
  if (!j.is_object() || !j.contains("Codebase") || !j["Codebase"].is_string())
    throw ApiError(502, "ConnectWise's companyinfo answer has no Codebase: " + r.body.substr(0, 200));
  std::string codebase = j["Codebase"];
  if (!codebase.empty() && codebase.back() != '/') codebase += '/';
  root_ = site_ + "/" + codebase + "apis/3.0";
  return root_;
}

int Client::list(const std::string& path, const std::string& conditions, const std::string& fields,
                 const std::function<void(const json&)>& each) {
  return list_pages(path, conditions, fields, [&](const std::string& body) -> std::optional<size_t> {
    auto page = json::parse(body, nullptr, false);
    if (!page.is_array()) return std::nullopt;
    for (const auto& rec : page) each(rec);
    return page.size();
  });
}

int Client::list_pages(const std::string& path, const std::string& conditions, const std::string& fields,
                       const std::function<std::optional<size_t>(const std::string& body)>& page) {
  std::string url = api_root() + path + "?pageSize=1000&page=1";
  if (!conditions.empty()) url += "&conditions=" + url_encode(conditions);
  if (!fields.empty()) url += "&fields=" + url_encode(fields);
  auto fetch = [this](const std::string& u) {
    auto r = call("GET", u);
    if (r.status != 200) throw ApiError(r.status, reason(r, u));
    return r;
  };
  // The next page is asked for (its address is in the Link header) while this one is read, so
  // the PSA serves page N+1 while Cairn decodes page N. Still one request in flight at a time,
  // and the same requests in the same order; a page nobody reads any more is waited for by the
  // future's destructor.
  std::future<net::HttpResponse> ahead;
  net::HttpResponse r = fetch(url);
  int requests = 1;
  while (true) {
    auto link = r.headers.find("link");
    const std::string next = link == r.headers.end() ? std::string() : next_link(link->second);
    if (!next.empty()) ahead = std::async(std::launch::async, fetch, next);
    auto records = page(r.body);
    if (!records) throw ApiError(502, "ConnectWise answered something that is not a list for " + url);
    if (next.empty()) break;
    url = next;
    r = ahead.get();
    ++requests;
  }
  return requests;
}

json Client::get(const std::string& path) {
  std::string url = api_root() + path;
  auto r = call("GET", url);
  if (r.status != 200) throw ApiError(r.status, reason(r, url));
  return json::parse(r.body);
}

json Client::send(const std::string& method, const std::string& path, const json& body) {
  std::string url = api_root() + path;
  auto r = call(method, url, body.is_null() ? std::string() : body.dump());
  if (r.status / 100 != 2) throw ApiError(r.status, reason(r, url));
  if (r.body.empty()) return nullptr;
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_discarded()) throw ApiError(502, "ConnectWise answered something that is not JSON for " + url);
  return j;
}

void Client::check() {
  std::string url = api_root() + "/company/companies?pageSize=1&fields=id";
  auto r = call("GET", url);
  if (r.status != 200) throw ApiError(r.status, reason(r, url));
}

}  // namespace cairn::psa::connectwise
