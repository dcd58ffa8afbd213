#pragma once
// Cairn's HTTP API: authentication and roles, the IT Glue-shaped resources, and the routes
// later layers add (integrations, sync runs, webhooks).
#include <chrono>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <memory>
#include <string>
#include <vector>

#include "api/context.h"
#include "api/http_server.h"
#include "store/api_keys.h"
#include "store/database.h"

namespace cairn::api {

struct AppOptions {
  std::string public_url;  // CAIRN_PUBLIC_URL; else links use the request's Host header
  // How long a checked API key is trusted without asking the store again; a revoked key stops
  // working within this time. 0 checks every request.
  std::chrono::milliseconds key_cache{2000};
};

struct Route {
  std::string method;                      // GET, POST, ...
  std::vector<std::string> pattern;        // segments; "*" matches any one segment
  store::Role role = store::Role::Reader;  // the least role that may call it
  bool authenticated = true;               // false only for routes that check a signature instead
  std::function<void(Context&)> handler;
};

class App {
 public:
  App(store::Database& db, AppOptions options = {});
  ~App();
  // Routes added here are matched before the documentation resources.
  void add_route(Route r);
  void handle(const httplib::Request& req, httplib::Response& res);
  void handle_error(const httplib::Request& req, httplib::Response& res);

 private:
  std::optional<store::ApiKey> authenticate(const std::string& secret);

  store::Database& db_;
  AppOptions options_;
  std::vector<Route> routes_;
  struct CachedKey {
    std::optional<store::ApiKey> key;
    std::chrono::steady_clock::time_point until;
  };
  std::mutex key_cache_mutex_;
  std::unordered_map<std::string, CachedKey> key_cache_;  // by the key's hash, never the key
};

// Serves app until stop is called (by a signal handler, say), then drains and returns.
class ApiServer {
 public:
  ApiServer(App& app, HttpOptions options);
  int bind() { return http_.bind(); }
  void serve() { http_.serve(); }
  void stop() { http_.stop(); }
  std::string base_url() const { return http_.base_url(); }

 private:
  HttpServer http_;
};

}  // namespace cairn::api
