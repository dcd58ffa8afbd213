#include "sim/webhook_sender.h"

#include <httplib.h>

#include <chrono>

namespace cairn::sim {

WebhookSender::WebhookSender(std::size_t history) : history_(history) { thread_ = std::thread([this] { run(); }); }

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void WebhookSender::enqueue(Delivery d) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(d));
  }
  cv_.notify_all();
}

std::vector<DeliveryResult> WebhookSender::recent() const {
  std::lock_guard lock(mu_);
  return {results_.begin(), results_.end()};
}

bool WebhookSender::wait_idle(int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return queue_.empty() && !busy_; });
}

void WebhookSender::run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Delivery d = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    DeliveryResult r = send(d);
    lock.lock();
    busy_ = false;
    results_.push_back(std::move(r));
    while (results_.size() > history_) results_.pop_front();
    cv_.notify_all();
  }
}

DeliveryResult WebhookSender::send(const Delivery& d) const {
  DeliveryResult r;
  r.url = d.url;
  r.body = d.body;
  // scheme://host[:port] and the rest.
  const auto scheme_end = d.url.find("://");
  if (scheme_end == std::string::npos) {
    r.error = "not an absolute URL";
    return r;
  }
  const auto path_start = d.url.find('/', scheme_end + 3);
  const std::string origin = d.url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : d.url.substr(path_start);
  httplib::Client client(origin);
  if (!client.is_valid()) {
    r.error = "cannot make a client for " + origin;
    return r;
  }
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(10);
  // Receivers in tests and on a workstation use self-signed certificates; the emulator is a test
  // tool, so it does not refuse them (documented in docs/psa-sim.md).
  client.enable_server_certificate_verification(false);
  httplib::Headers headers;
  for (const auto& [k, v] : d.headers) headers.emplace(k, v);
  auto res = client.Post(path, headers, d.body, d.content_type);
  if (!res) {
    r.error = httplib::to_string(res.error());
    return r;
  }
  r.status = res->status;
  return r;
}

}  // namespace cairn::sim
