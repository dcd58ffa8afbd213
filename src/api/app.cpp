#include "api/app.h"

#include <httplib.h>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "api/jsonapi.h"
#include "api/resources.h"

namespace cairn::api {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool matches(const Route& r, const std::string& method, const std::vector<std::string>& segs) {
  if (r.method != method || r.pattern.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i)
    if (r.pattern[i] != "*" && r.pattern[i] != segs[i]) return false;
  return true;
}

bool writes(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

App::App(store::Database& db, AppOptions options) : db_(db), options_(std::move(options)) {}
App::~App() = default;

void App::add_route(Route r) { routes_.push_back(std::move(r)); }

void App::handle(const httplib::Request& req, httplib::Response& res) {
  Context c{req, res, db_, {}, split_path(req.path), options_.public_url};
  if (c.public_url.empty()) {
    std::string host = req.get_header_value("Host");
    std::string proto = req.get_header_value("X-Forwarded-Proto");
    c.public_url = (proto.empty() ? "http" : proto) + "://" + (host.empty() ? "localhost" : host);
  }
  try {
    const Route* route = nullptr;
    for (const auto& r : routes_)
      if (matches(r, req.method, c.segments)) {
        route = &r;
        break;
      }
    if (!route || route->authenticated) {
      std::string secret = req.get_header_value("x-api-key");
      if (secret.empty())
        return c.send_error(401, "Unauthorized", "send an API key in the x-api-key header (create one with `cairn keys create`)");
      auto key = authenticate(secret);
      if (!key) return c.send_error(401, "Unauthorized", "the API key is not valid, or has been revoked");
      c.key = *key;
      store::Role needed = route ? route->role : (writes(req.method) ? store::Role::Editor : store::Role::Reader);
      if (c.key.role < needed)
        return c.send_error(403, "Forbidden",
                            "this key's role is " + store::role_name(c.key.role) + "; " + req.method + " " + req.path +
                                " needs " + store::role_name(needed));
    }
    if (route) return route->handler(c);
    if (handle_resource(c)) return;
    c.send_error(404, "Not found", "no route " + req.method + " " + req.path);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", req.method, req.path, e.what());
    c.send_error(500, "Internal error", "the request failed inside Cairn; the server log has the details");
  }
}

std::optional<store::ApiKey> App::authenticate(const std::string& secret) {
  if (options_.key_cache.count() <= 0) {
    soci::session s(db_.pool());
    return store::find_api_key(s, secret);
  }
  std::string hash = store::hash_api_key(secret);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(key_cache_mutex_);
    auto it = key_cache_.find(hash);
    if (it != key_cache_.end() && it->second.until > now) return it->second.key;
  }
  std::optional<store::ApiKey> key;
  {
    soci::session s(db_.pool());
    key = store::find_api_key(s, secret);
  }
  std::lock_guard lock(key_cache_mutex_);
  if (key_cache_.size() > 10000) key_cache_.clear();  // bounded: wrong keys must not grow it forever
  key_cache_[hash] = {key, now + options_.key_cache};
  return key;
}

void App::handle_error(const httplib::Request& req, httplib::Response& res) {
  std::string body;
  if (res.status == 413)
    body = error_document(413, "Payload too large", "the request body is over the 10 MiB limit");
  else if (res.status == 404)
    body = error_document(404, "Not found", "no route " + req.method + " " + req.path);
  else
    body = error_document(res.status, "Error", "the request could not be served");
  res.set_content(body, kJsonApi);
}

ApiServer::ApiServer(App& app, HttpOptions options)
    : http_(std::move(options), [&app](const httplib::Request& q, httplib::Response& r) { app.handle(q, r); },
            [&app](const httplib::Request& q, httplib::Response& r) { app.handle_error(q, r); }) {}

}  // namespace cairn::api
