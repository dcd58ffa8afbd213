#pragma once
// Delivers PSA webhooks (ConnectWise callbacks, Autotask webhooks, ...) from one background
// thread, so a change answered to the API client never waits for the receiver. Each delivery is
// one HTTP POST; the emulator builds the body and signature headers, this only sends them.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace cairn::sim {

struct Delivery {
  std::string url;  // absolute http:// or https:// URL
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";
};

struct DeliveryResult {
  std::string url;
  int status = 0;     // HTTP status the receiver answered; 0 when there was no answer
  std::string error;  // why there was no answer
  std::string body;   // what was sent
};

class WebhookSender {
 public:
  explicit WebhookSender(std::size_t history = 200);
  ~WebhookSender();  // sends nothing more; waits for the delivery in progress
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void enqueue(Delivery d);
  // The last `history` results, oldest first.
  std::vector<DeliveryResult> recent() const;
  // Waits until the queue is empty and nothing is in flight; false on timeout.
  bool wait_idle(int timeout_ms) const;

 private:
  void run();
  DeliveryResult send(const Delivery& d) const;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::deque<Delivery> queue_;
  std::deque<DeliveryResult> results_;
  std::size_t history_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cairn::sim
