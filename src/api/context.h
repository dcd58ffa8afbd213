#pragma once
// What a request handler gets: the request, the response, the store and who is asking.
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/api_keys.h"
#include "store/audit.h"
#include "store/database.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace cairn::api {

struct Context {
  const httplib::Request& req;
  httplib::Response& res;
  store::Database& db;
  store::ApiKey key;
  std::vector<std::string> segments;  // the path, split on '/', percent-decoded by httplib
  std::string public_url;             // scheme://host[:port] that links point at

  store::Actor actor() const { return {"api-key:" + std::to_string(key.id) + " " + key.name, std::nullopt}; }
  const std::multimap<std::string, std::string>& params() const;
  const std::string& method() const;

  void send_json(int status, std::string body);
  void send_error(const core::Error& e);
  void send_error(int status, const std::string& title, const std::string& detail);
  void no_content();
};

}  // namespace cairn::api
