#pragma once
// Autotask's REST API as Cairn reads it: the zone look-up (skipped when the integration names
// its zone URL), the UserName/Secret/ApiIntegrationCode headers, JSON queries POSTed 500 records
// a page and continued through pageDetails.nextPageUrl (POSTed again with the same body), and
// D19's budget: at most half of the database's hourly threshold, read from ThresholdInformation.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "net/http_client.h"

namespace cairn::psa::autotask {

struct Credentials {
  std::string username, secret, integration_code;
};

// Where the zone look-up is asked when the integration has no URL.
inline constexpr const char* kZoneLookupUrl = "https://webservices.autotask.net/atservicesrest/";

// A failed call, with a reason a person can act on.
struct ApiError : std::runtime_error {
  long status;
  ApiError(long s, const std::string& what) : std::runtime_error(what), status(s) {}
};

// The longest next-page URL a query follows by default: under the 8 KB request line servers
// commonly refuse past (the emulator answers 414), which a cursor reached at about 430,000 records.
inline constexpr size_t kMaxCursorUrl = 6000;

// A query's body (MaxRecords, IncludeFields, filter) asking only for records after `last_id`:
// how a grown cursor is replaced by a short one.
nlohmann::json query_after(const nlohmann::json& body, std::int64_t last_id);

class Client {
 public:
  // zone_url: the zone's REST root ("https://webservices5.autotask.net/atservicesrest/"), or ""
  // to ask the zone look-up at lookup_url.
  Client(std::string zone_url, Credentials credentials, net::HttpClient& http, std::string lookup_url = kZoneLookupUrl);

  // The zone's API root ("…/atservicesrest/v1.0"), looked up once.
  const std::string& api_root();
  // Every record an entity query matches, 500 a page; returns the number of query requests made.
  // `each` may take the record (move from it): the page is dropped after it.
  int query(const std::string& entity, const nlohmann::json& filter, const std::vector<std::string>& include_fields,
            const std::function<void(nlohmann::json&)>& each);
  // The longest next-page URL query() follows. Autotask's cursor names every earlier page, so it
  // grows with the pull; past this the query starts again after the last id it gave instead
  // (results come in id order), and takes no more requests for it.
  void set_max_cursor_url(size_t bytes) { max_cursor_url_ = bytes; }
  nlohmann::json get(const std::string& path);
  // A write under the API root (POST, PATCH, PUT, DELETE), within D19's budget; the answer's
  // JSON. Throws ApiError with the reason when Autotask refuses it.
  nlohmann::json send(const std::string& method, const std::string& path, const nlohmann::json& body);
  // Checks the credentials with the cheapest authenticated call; throws ApiError with the reason.
  void check();
  // Requests this client may still make this hour under D19 (read from ThresholdInformation once).
  long budget_left();
  // Reads ThresholdInformation again on the next call: the hour's window has moved on.
  void renew_budget() { budget_ = -1; }

 private:
  net::HttpResponse call(const std::string& method, const std::string& url, const std::string& body = {});
  net::HttpResponse checked(const std::string& method, const std::string& url, const std::string& body = {});
  std::string zone_;
  Credentials creds_;
  net::HttpClient& http_;
  std::string lookup_;
  std::string root_;
  long budget_ = -1;  // -1: not read yet
  size_t max_cursor_url_ = kMaxCursorUrl;
};

// "https://x/atservicesrest" or "https://x/" → "https://x/atservicesrest/": what users paste varies.
std::string normalized_zone_url(const std::string& url);

}  // namespace cairn::psa::autotask
