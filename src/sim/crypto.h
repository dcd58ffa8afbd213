#pragma once
// The digests PSA webhooks are signed with (OpenSSL underneath), and base64.
#include <optional>
#include <string>
#include <string_view>

namespace cairn::sim {

std::string sha256(std::string_view data);                             // 32 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 raw bytes
std::string base64(std::string_view bytes);
// Standard base64 (with padding) back to bytes; nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex(std::string_view bytes);
// Random bytes from OpenSSL's generator, as lowercase hex (2*n characters).
std::string random_hex(std::size_t n);
// A random RFC 4122 version-4 UUID.
std::string uuid4();

}  // namespace cairn::sim
