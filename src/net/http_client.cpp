#include "net/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

namespace cairn::net {
namespace {

size_t write_body(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t write_header(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    auto a = value.find_first_not_of(" \t");
    auto b = value.find_last_not_of(" \t\r\n");
    value = a == std::string::npos ? "" : value.substr(a, b - a + 1);
    auto& response = *static_cast<HttpResponse*>(out);
    // Room for the whole body at once (and a JSON parser's padding): a list page is megabytes,
    // and growing it by doubling copied it over and over.
    if (name == "content-length" && value.size() <= 9 && value.find_first_not_of("0123456789") == std::string::npos &&
        !value.empty())
      response.body.reserve(std::stoul(value) + 64);
    response.headers[name] = value;
  }
  return size * n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

long retry_after_seconds(const std::string& value) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 6) return -1;
  return std::stol(value);
}

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl failed to initialise");
  sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

void HttpClient::close_connection() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl failed to initialise");
}

HttpResponse HttpClient::once(const HttpRequest& r) {
  if (options_.min_interval.count() > 0) {
    auto next = last_start_ + options_.min_interval;
    auto now = std::chrono::steady_clock::now();
    if (next > now) sleep_(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
  }
  last_start_ = std::chrono::steady_clock::now();
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the connection cache: the next request reuses the connection
  HttpResponse out;
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : r.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
  if (r.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(r.body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  ++sent_;
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CACERT_BADFILE)
      out.error = "TLS: " + out.error;
  } else {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  }
  curl_slist_free_all(headers);
  return out;
}

HttpResponse HttpClient::send(const HttpRequest& r) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  HttpResponse res;
  auto delay = options_.backoff;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    res = once(r);
    res.attempts = attempt;
    bool tls = res.error.rfind("TLS:", 0) == 0;
    bool retry = (!res.error.empty() && !tls) || res.status == 429 || res.status >= 500;
    if (!retry || attempt == options_.max_attempts) break;
    std::chrono::milliseconds wait = delay;
    if (res.status == 429) {
      long s = retry_after_seconds(res.headers.count("retry-after") ? res.headers["retry-after"] : "");
      if (s >= 0) {
        // The PSA said how long; waiting less only spends quota on another refusal.
        sleep_(std::chrono::milliseconds(std::min(s, 300L) * 1000));
        continue;
      }
    } else {
      // Full jitter keeps many clients from retrying in step.
      std::uniform_int_distribution<long> jitter(delay.count() / 2, delay.count());
      wait = std::chrono::milliseconds(jitter(rng));
    }
    sleep_(std::min(wait, options_.max_backoff));
    delay = std::min(delay * 2, options_.max_backoff);
  }
  return res;
}

}  // namespace cairn::net
