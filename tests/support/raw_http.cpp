#include "support/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace cairn::test {

RawConnection::RawConnection(const std::string& base_url) {
  const auto colon = base_url.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("no port in " + base_url);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(std::stoi(base_url.substr(colon + 1))));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
    throw std::runtime_error("cannot connect to " + base_url);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void RawConnection::send(const std::string& bytes) {
  if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
    throw std::runtime_error("cannot send the request");
}

std::string RawConnection::receive(int seconds) {
  timeval limit{seconds, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  char buf[16384];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n == 0) closed_ = true;
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

std::string RawConnection::receive_response(int seconds) {
  std::string got = std::move(pending_);
  pending_.clear();
  for (;;) {
    const auto head_end = got.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t length = 0;
      const auto at = got.find("Content-Length: ");
      if (at != std::string::npos && at < head_end) length = std::stoul(got.substr(at + 16));
      const size_t whole = head_end + 4 + length;
      if (got.size() >= whole) {
        pending_ = got.substr(whole);
        got.resize(whole);
        return got;
      }
    }
    std::string part = receive(seconds);
    if (part.empty()) return got;
    got += part;
  }
}

std::string RawConnection::receive_all(int seconds) {
  std::string all;
  for (std::string part = receive(seconds); !part.empty(); part = receive(seconds)) all += part;
  return all;
}

}  // namespace cairn::test
