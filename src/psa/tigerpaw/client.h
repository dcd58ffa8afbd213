#pragma once
// Tigerpaw One's REST API as Cairn reads it (psa-apis.md §5): every request signed with the rep's
// TSI key pair (HMAC-SHA256 of "method|path|date", lowercased), accounts and contacts listed by
// advanced search paged with StartRow / NextRow at the largest page Tigerpaw serves, records
// read by number. Tigerpaw has no field selection and no modified date: every read is whole
// and every sync a full read. Retries and Retry-After come from net::HttpClient.
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

#include "net/http_client.h"

namespace cairn::psa::tigerpaw {

struct Credentials {
  std::string public_key;   // as issued (a GUID)
  std::string private_key;  // never logged, never sent: it only keys the signature
};

// The emulator caps PageSize at 100 and Tigerpaw publishes no maximum (psa-apis.md §5.2): the
// capability table's max_page_size, kept equal to this by a test.
inline constexpr int kPageSize = 100;

// A failed call, with a reason a person can act on.
struct ApiError : std::runtime_error {
  long status;
  ApiError(long s, const std::string& what) : std::runtime_error(what), status(s) {}
};

// The TSI signature (psa-apis.md §5.1), pure, for the client and its tests.
// RFC 1123 in GMT: "Thu, 18 Jun 2015 07:25:43 GMT".
std::string rfc1123(std::chrono::system_clock::time_point t);
// Base64(HMAC-SHA256(private key as UTF-8, lowercase("{method}|{path}|{timestamp}"))).
std::string tsi_signature(const std::string& private_key, const std::string& method, const std::string& path,
                          const std::string& timestamp);
// "TSI " + Base64("{public key}:{signature}").
std::string tsi_authorization(const std::string& public_key, const std::string& signature);

// "https://h", "https://h/", "https://h/api/" → "https://h/api".
std::string normalized_api_root(const std::string& url);

class Client {
 public:
  // base_url: the customer's API server as users paste it, with or without "/api".
  Client(std::string base_url, Credentials credentials, net::HttpClient& http);

  // GET below /api ("/accounts/12"): the parsed body. Throws ApiError (404 included).
  nlohmann::json get(const std::string& path);
  // POST /api/{accounts|contacts}/search with `criteria` ([{"SearchType","MatchType","Criteria"}]),
  // kPageSize a page from StartRow 1 until NextRow is 0; `each` gets every row of the list named
  // `rows` ("Accounts", "Contacts"). Returns the pages read.
  int search(const std::string& entity, const nlohmann::json& criteria, const std::string& rows,
             const std::function<void(const nlohmann::json&)>& each);
  // GET /api/diagnostics/validate/user; throws ApiError with the reason.
  void check();

 private:
  net::HttpResponse send(const std::string& method, const std::string& path, const std::string& body);
  nlohmann::json checked(const net::HttpResponse& r, const std::string& path);
  std::string root_;         // "https://host/prefix/api"
  std::string path_prefix_;  // "/prefix/api": what the signature signs before the path
  Credentials creds_;
  net::HttpClient& http_;
};

}  // namespace cairn::psa::tigerpaw
