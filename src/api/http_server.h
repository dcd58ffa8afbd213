#pragma once
// The HTTP server under Cairn's API and the PSA emulators: cpp-httplib with a fixed thread pool,
// a body size limit, port 0 for tests, and a drain-then-stop shutdown.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cairn::api {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  size_t threads = 8;
  size_t max_body_bytes = 10 * 1024 * 1024;
  std::string tls_cert;  // both set: HTTPS
  std::string tls_key;
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

class HttpServer {
 public:
  // Every request goes to handler; the server answers 413 itself for oversized bodies, through
  // on_error so the body has the caller's shape.
  HttpServer(HttpOptions options, Handler handler, Handler on_error);
  ~HttpServer();

  // Binds, or throws std::runtime_error naming the address. Returns the bound port.
  int bind();
  // Serves until stop(); returns when the last request has been answered.
  void serve();
  void stop();
  bool is_tls() const;
  std::string base_url() const;

 private:
  HttpOptions options_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> stopped_{false};
};

// "host:port", "[v6]:port" or ":port" into host and port; false when malformed.
bool parse_listen(const std::string& text, std::string& host, int& port);

}  // namespace cairn::api
