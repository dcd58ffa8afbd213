#pragma once
// The emulators sign with the same digests Cairn checks with (core/crypto.h).
#include "core/crypto.h"

namespace cairn::sim {

using core::base64;
using core::base64_decode;
using core::hex;
using core::hmac_sha1;
using core::hmac_sha256;
using core::random_hex;
using core::sha256;
using core::uuid4;

}  // namespace cairn::sim
