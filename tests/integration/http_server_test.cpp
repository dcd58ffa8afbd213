// The HTTP server under the API and the emulators, as a client on a raw connection sees it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "api/http_server.h"
#include "support/raw_http.h"

using namespace cairn;

namespace {

struct OneWorkerServer {
  api::HttpServer server;
  std::thread serving;
  OneWorkerServer()
      : server(
            [] {
              api::HttpOptions o;
              o.port = 0;
              o.threads = 1;
              return o;
            }(),
            [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); },
            [](const httplib::Request&, httplib::Response&) {}) {
    server.bind();
    serving = std::thread([this] { server.serve(); });
  }
  ~OneWorkerServer() {
    server.stop();
    serving.join();
  }
};

// A worker serves one connection at a time, so a client that keeps its connection open and
// idle would keep the next client waiting for as long as the server keeps it alive (httplib's
// default: 5 s). The server lets an idle one go after a second.
TEST(HttpServer, AnIdleKeepAliveConnection_IsLetGoWithinASecond_AndTheWorkerServesTheNextClient) {
  OneWorkerServer s;
  test::RawConnection idle(s.server.base_url());
  idle.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(idle.receive_response(3).rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(idle.receive(3), "");  // within 3 s: the server closed it (not the 3 s limit running out)
  EXPECT_TRUE(idle.closed());

  test::RawConnection next(s.server.base_url());
  next.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(next.receive_all(3).rfind("HTTP/1.1 200", 0), 0u);
}

// A busy client keeps its connection: requests a moment apart go over the one connection.
TEST(HttpServer, RequestsAMomentApart_ShareOneKeptAliveConnection) {
  OneWorkerServer s;
  test::RawConnection c(s.server.base_url());
  for (int i = 0; i < 3; ++i) {
    c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(c.receive_response(3).rfind("HTTP/1.1 200", 0), 0u) << "request " << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(c.closed());
}

}  // namespace
