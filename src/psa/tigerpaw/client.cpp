#include "psa/tigerpaw/client.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace cairn::psa::tigerpaw {

using nlohmann::json;

namespace {

std::string base64(const unsigned char* data, std::size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// Tigerpaw's error texts: {"Message"} (ASP.NET) or {"Success":false,"Message"}.
std::string message_of(const json& body) {
  if (!body.is_object()) return {};
  for (const char* key : {"Message", "message"})
    if (auto m = body.find(key); m != body.end() && m->is_string()) return m->get<std::string>();
  return {};
}

std::string reason(const net::HttpResponse& r, const json& body, const std::string& url) {
  if (!r.error.empty()) {
    if (r.error.rfind("TLS:", 0) == 0) return "TLS failed talking to " + url + " (" + r.error + ")";
    return "cannot reach " + url + ": " + r.error;
  }
  const std::string msg = message_of(body);
  const std::string detail = msg.empty() ? "" : ": " + msg;
  if (r.status == 401)
    return "Tigerpaw refused Cairn's TSI signature (401" + detail +
           "); check the rep's public and private REST API keys (Rep > Admin > REST API Security) and this "
           "machine's clock";
  if (r.status == 403) return "the Tigerpaw rep lacks permission (403" + detail + ") for " + url;
  if (r.status == 429) return "Tigerpaw is throttling Cairn (429" + detail + "); the rest waits for the next run";
  if (r.status == 200) return "Tigerpaw reported a failure" + detail + " for " + url;
  return "Tigerpaw answered " + std::to_string(r.status) + detail + " for " + url;
}

}  // namespace

std::string rfc1123(std::chrono::system_clock::time_point t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string tsi_signature(const std::string& private_key, const std::string& method, const std::string& path,
                          const std::string& timestamp) {
  std::string text = method + "|" + path + "|" + timestamp;
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), private_key.data(), static_cast<int>(private_key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  return base64(mac, len);
}

std::string tsi_authorization(const std::string& public_key, const std::string& signature) {
  const std::string pair = public_key + ":" + signature;
  return "TSI " + base64(reinterpret_cast<const unsigned char*>(pair.data()), pair.size());
}

std::string normalized_api_root(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  auto ends_with_api = [&] {
    if (u.size() < 4) return false;
    std::string tail = u.substr(u.size() - 4);
    for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tail == "/api";
  };
  if (ends_with_api()) u.resize(u.size() - 4);
  return u + "/api";
}

Client::Client(std::string base_url, Credentials credentials, net::HttpClient& http)
    : root_(normalized_api_root(base_url)), creds_(std::move(credentials)), http_(http) {
  // The signed path is the URL's path without host: keep whatever prefix the server lives under.
  const auto scheme = root_.find("://");
  const auto slash = root_.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  path_prefix_ = slash == std::string::npos ? "/api" : root_.substr(slash);
}

net::HttpResponse Client::send(const std::string& method, const std::string& path, const std::string& body) {
  // One timestamp for the header and the signature; a retry re-sends it, well within Tigerpaw's skew.
  const std::string stamp = rfc1123(std::chrono::system_clock::now());
  const std::string signed_path = path_prefix_ + path.substr(0, path.find('?'));
  net::HttpRequest r;
  r.method = method;
  r.url = root_ + path;
  r.body = body;
  r.headers = {{"Accept", "application/json"},
               {"X-TSI-Date", stamp},
               {"Authorization", tsi_authorization(creds_.public_key, tsi_signature(creds_.private_key, method, signed_path, stamp))}};
  if (method == "POST") r.headers.emplace_back("Content-Type", "application/json");
  return http_.send(r);
}

json Client::checked(const net::HttpResponse& r, const std::string& path) {
  const std::string url = root_ + path;
  json body = json::parse(r.body, nullptr, false);
  if (r.status != 200) throw ApiError(r.status == 0 ? 503 : r.status, reason(r, body, url));
  if (body.is_discarded()) throw ApiError(502, "Tigerpaw answered something that is not JSON for " + url);
  if (body.is_object() && body.contains("Success") && body["Success"] == false)
    throw ApiError(502, reason(r, body, url));
  return body;
}

json Client::get(const std::string& path) { return checked(send("GET", path, ""), path); }

int Client::search(const std::string& entity, const json& criteria, const std::string& rows,
                   const std::function<void(const json&)>& each) {
  const std::string path = "/" + entity + "/search";
  int pages = 0;
  for (std::int64_t start = 1;;) {
    const json body = {{"Criteria", criteria}, {"PageSize", kPageSize}, {"StartRow", start}};
    const json answer = checked(send("POST", path, body.dump()), path);
    ++pages;
    if (!answer.is_object() || !answer.contains(rows) || !answer[rows].is_array())
      throw ApiError(502, "Tigerpaw answered a search without " + rows + " for " + root_ + path);
    for (const auto& row : answer[rows]) each(row);
    const std::int64_t next = answer.contains("NextRow") && answer["NextRow"].is_number_integer()
                                  ? answer["NextRow"].get<std::int64_t>()
                                  : 0;
    if (next == 0) break;
    // A NextRow that does not move forward would page forever.
    if (next <= start)
      throw ApiError(502, "Tigerpaw answered NextRow " + std::to_string(next) + " for StartRow " + std::to_string(start) +
                              " at " + root_ + path);
    start = next;
  }
  return pages;
}

void Client::check() { get("/diagnostics/validate/user"); }

}  // namespace cairn::psa::tigerpaw
