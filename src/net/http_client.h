#pragma once
// The connectors' HTTP client, on libcurl: one connection kept alive, retries with exponential
// backoff and jitter on 5xx, timeouts and dropped connections, Retry-After honoured on 429,
// and a minimum interval between requests for PSAs whose quota Cairn spends on purpose (D19).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cairn::net {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;                            // 0: no HTTP answer at all (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; the last of repeated ones
  std::string error;                          // transport failure: unreachable, TLS, timeout
  int attempts = 0;
};

struct HttpClientOptions {
  std::string ca_file;                             // extra CA bundle (CURLOPT_CAINFO); "" uses the system's
  std::chrono::milliseconds timeout{30000};
  int max_attempts = 5;
  std::chrono::milliseconds backoff{250};          // first retry waits about this long, doubling
  std::chrono::milliseconds max_backoff{15000};
  std::chrono::milliseconds min_interval{0};       // between the starts of two requests
  std::string user_agent = "Cairn/0.1";
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends with retries as the options say; the response of the last attempt.
  HttpResponse send(const HttpRequest& r);
  std::uint64_t requests_sent() const { return sent_; }
  // Closes the kept-alive connection; the next request opens a new one. For connections used in
  // bursts, so an idle one does not hold a server worker until its keep-alive runs out.
  void close_connection();
  // For tests: replaces sleeping, so retry timing can be checked without waiting.
  void set_sleeper(std::function<void(std::chrono::milliseconds)> s) { sleep_ = std::move(s); }

 private:
  HttpResponse once(const HttpRequest& r);
  HttpClientOptions options_;
  void* curl_ = nullptr;
  std::atomic<std::uint64_t> sent_{0};  // read for progress by other threads than the sending one
  std::chrono::steady_clock::time_point last_start_{};
  std::function<void(std::chrono::milliseconds)> sleep_;
};

// Seconds from a Retry-After header (delta-seconds form); -1 when absent or unreadable.
long retry_after_seconds(const std::string& value);

}  // namespace cairn::net
