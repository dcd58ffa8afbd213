#include "api/http_server.h"

#include <httplib.h>
#include <malloc.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace cairn::api {

HttpServer::HttpServer(HttpOptions options, Handler handler, Handler on_error) : options_(std::move(options)) {
  // Responses of a megabyte are routine (pages of 1000 records). glibc would map and unmap each
  // one afresh, a page fault per 4 KiB; keeping them on the heap is several times cheaper.
  static const bool tuned = [] {
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    return true;
  }();
  (void)tuned;
  if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
    server_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(), options_.tls_key.c_str());
    if (!server_->is_valid())
      throw std::runtime_error("cannot load TLS certificate " + options_.tls_cert + " and key " + options_.tls_key);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  size_t threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_keep_alive_max_count(100000);
  // A worker serves one connection at a time: an idle kept-alive one would hold it, and keep the
  // next client waiting, for as long as it is kept (httplib: 5 s). A busy client's requests come
  // well within a second of each other, so it keeps its connection.
  server_->set_keep_alive_timeout(1);
  server_->set_tcp_nodelay(true);  // else Nagle and delayed ACKs add 40 ms to small responses
  auto h = std::make_shared<Handler>(std::move(handler));
  auto route = [h](const httplib::Request& req, httplib::Response& res) { (*h)(req, res); };
  const std::string any = R"(/.*)";
  server_->Get(any, route);
  server_->Post(any, route);
  server_->Put(any, route);
  server_->Patch(any, route);
  server_->Delete(any, route);
  server_->Options(any, route);
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3), as
  // `curl -X POST URL` sends one; httplib would wait for a body until its read timeout (5 s) and
  // then refuse it. Served here, before httplib reads anything, with the empty body it has.
  server_->set_pre_routing_handler([h](const httplib::Request& req, httplib::Response& res) {
    const bool may_have_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE";
    if (!may_have_body || req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
      return httplib::Server::HandlerResponse::Unhandled;
    (*h)(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  auto err = std::make_shared<Handler>(std::move(on_error));
  httplib::Server::HandlerWithResponse on_err = [err](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    (*err)(req, res);
    return httplib::Server::HandlerResponse::Handled;
  };
  server_->set_error_handler(on_err);
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind() {
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
  } else {
    port_ = server_->bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0)
    throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                             " (in use, or not an address of this machine)");
  return port_;
}

void HttpServer::serve() {
  serving_ = true;
  if (!stopped_) server_->listen_after_bind();
  serving_ = false;
}

void HttpServer::stop() {
  stopped_ = true;
  if (!server_) return;
  // httplib's stop() does nothing until the listen loop runs: a stop() that comes between
  // serve()'s start and the loop's would leave serve() blocked forever, so wait for the loop.
  for (int i = 0; i < 400 && serving_ && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (server_->is_running()) server_->stop();
}

bool HttpServer::is_tls() const { return !options_.tls_cert.empty(); }

std::string HttpServer::base_url() const {
  std::string host = options_.host == "0.0.0.0" ? "127.0.0.1" : options_.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(is_tls() ? "https" : "http") + "://" + host + ":" + std::to_string(port_);
}

bool parse_listen(const std::string& text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  std::string p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(p);
  return port <= 65535;
}

}  // namespace cairn::api
