#pragma once
// Kaseya's V2 API as Cairn reads it for Kaseya BMS and Pulseway PSA (psa-apis.md §3-4; the
// Platform says which): a form login at security/authenticate
// for a bearer token (logged in again once when a call answers 401), the envelope
// {"success","result","error"} unwrapped and checked even on HTTP 200, lists read 100 records a
// page until totalRecords, and D19's budget: at most 1,500 calls per hour per endpoint, counted
// by this client so Cairn stops itself before BMS answers 429 (net::HttpClient still honours
// Retry-After if it does).
#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "net/http_client.h"
#include "psa/bms/platform.h"

namespace cairn::psa::bms {

struct Credentials {
  std::string username, password, tenant;
};

inline constexpr int kPageSize = 100;
inline constexpr int kHourlyCallsPerEndpoint = 1500;  // D19, psa-apis.md §3.2

// A failed call, with a reason a person can act on.
struct ApiError : std::runtime_error {
  long status;
  ApiError(long s, const std::string& what) : std::runtime_error(what), status(s) {}
};

class Client {
 public:
  // base_url: the API host as users paste it ("https://api.bms.kaseya.com", with or without "/v2");
  // "" takes the platform's default host, and throws std::invalid_argument where it has none.
  Client(const Platform& platform, std::string base_url, Credentials credentials, net::HttpClient& http,
         int hourly_calls_per_endpoint = kHourlyCallsPerEndpoint);
  const Platform& platform() const { return platform_; }
  const std::string& api_root() const { return root_; }  // "https://host/v2"

  // GET below /v2 ("/crm/accounts/summary/12"): the envelope's result.
  nlohmann::json get(const std::string& path_and_query);
  // Every row of a paged list, 100 a page; `query` is extra parameters ("Filter.X=…&"). Returns the pages read.
  int list(const std::string& path, const std::string& query, const std::function<void(const nlohmann::json&)>& each);
  // Checks the credentials with the cheapest authenticated call; throws ApiError with the reason.
  void check();
  // A V2 write below /v2 (POST, PUT, PATCH with a JSON body): the envelope's result, checked as GETs are.
  nlohmann::json write(const std::string& method, const std::string& path, const nlohmann::json& body);
  // A V1 write below /api (location create and update, psa-apis.md §3.3): V1's own token, and
  // the bare answer (V1 has no envelope). Counted against the same per-endpoint budget.
  nlohmann::json write_v1(const std::string& method, const std::string& path, const nlohmann::json& body);
  // Calls this client may still make within the rolling hour on an endpoint ("GET /v2/servicedesk/hardwareasset/{id}").
  long budget_left(const std::string& endpoint);
  // The calls made so far, per D19 endpoint (what the budget counts; bench_sync prints them).
  const std::map<std::string, long>& calls_per_endpoint() const { return spent_; }

 private:
  void login();
  void login_v1();
  // A call below /v2: the whole envelope, checked (success true, HTTP 200).
  nlohmann::json envelope(const std::string& method, const std::string& path_and_query, const std::string& body = "");
  // `path` below /v2, or below the V1 root when `v1`.
  net::HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                         const std::string& content_type, bool v1 = false);
  const Platform& platform_;
  std::string root_;  // "https://host/v2"
  Credentials creds_;
  net::HttpClient& http_;
  int hourly_;
  std::string token_;
  std::string v1_token_;
  std::map<std::string, long> spent_;  // calls per endpoint since this client was made
  // When each call of the last hour was made, per endpoint: the budget is a rolling hour, so a
  // client kept for days (the pusher's) spends 1,500 an hour, not 1,500 in all.
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> recent_;
};

// "https://h", "https://h/", "https://h/v2/" → "https://h/v2".
std::string normalized_api_root(const std::string& url);
// The D19 endpoint of a call: the method and the path with numeric segments as {id}, query dropped.
std::string endpoint_of(const std::string& method, const std::string& path);
// The envelope's error message, or "" (V2 bodies, and V1's "Message").
std::string envelope_error(const nlohmann::json& body);

}  // namespace cairn::psa::bms
