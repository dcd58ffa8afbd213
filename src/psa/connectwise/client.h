#pragma once
// ConnectWise Manage's REST API as Cairn reads it: codebase discovery through
// /login/companyinfo, Basic auth of company+public:private with the clientId header, the
// version Accept header, pages of 1000 followed by the Link header, only the mapped fields.
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/url_encode.h"
#include "net/http_client.h"

namespace cairn::psa::connectwise {

struct Credentials {
  std::string company_id, public_key, private_key, client_id;
};

// A failed call, with a reason a person can act on.
struct ApiError : std::runtime_error {
  long status;
  ApiError(long s, const std::string& what) : std::runtime_error(what), status(s) {}
};

class Client {
 public:
  // site: the server's URL (https://na.myconnectwise.net, or the emulator's).
  Client(std::string site, Credentials credentials, net::HttpClient& http);

  // The API root, from the codebase the server reports (asked once).
  const std::string& api_root();
  // The root another client of the same server already asked for: no second look-up.
  void use_api_root(std::string root) { root_ = std::move(root); }
  // Every record of a list endpoint ("/company/companies"), page by page; `conditions` and
  // `fields` as ConnectWise takes them ("" for none). Returns the number of list requests made.
  int list(const std::string& path, const std::string& conditions, const std::string& fields,
           const std::function<void(const nlohmann::json&)>& each);
  // The same pages as list(), each handed over as its raw body for the caller to parse; `page`
  // returns how many records the page held, or nullopt when it is not a JSON list.
  int list_pages(const std::string& path, const std::string& conditions, const std::string& fields,
                 const std::function<std::optional<size_t>(const std::string& body)>& page);
  nlohmann::json get(const std::string& path);
  // A write under the API root (POST, PUT, PATCH, DELETE); the answer's JSON (null when empty).
  // Throws ApiError with the reason when ConnectWise refuses it.
  nlohmann::json send(const std::string& method, const std::string& path, const nlohmann::json& body);
  // Checks the credentials with the cheapest authenticated call; throws ApiError with the reason.
  void check();

 private:
  net::HttpResponse call(const std::string& method, const std::string& url, const std::string& body = {});
  std::string site_;
  Credentials creds_;
  net::HttpClient& http_;
  std::string root_;
};

// The URL of rel="next" in a Link header, or "".
std::string next_link(const std::string& link_header);
// ConnectWise paths and query values keep "/" and "," as they are.
inline std::string url_encode(const std::string& s) { return core::url_encode(s, "/,"); }

}  // namespace cairn::psa::connectwise
