#pragma once
// A TCP connection to a local test server, for requests no HTTP client library sends as they are
// (no Content-Length) and for watching what the server does with an idle connection.
#include <string>

namespace cairn::test {

class RawConnection {
 public:
  // To 127.0.0.1 at the port of base_url ("http://127.0.0.1:PORT"); throws std::runtime_error.
  explicit RawConnection(const std::string& base_url);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(const std::string& bytes);
  // What arrives within `seconds` of silence at most, in one read: "" when the server closed
  // the connection (closed() then says so) or nothing came in time.
  std::string receive(int seconds);
  // One whole response (its headers and Content-Length bytes of body), or what came of it before
  // `seconds` of silence or the server closing the connection.
  std::string receive_response(int seconds);
  // Everything until the server closes the connection, or `seconds` pass with nothing more.
  std::string receive_all(int seconds);
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string pending_;  // read past the last whole response
  bool closed_ = false;
};

}  // namespace cairn::test
