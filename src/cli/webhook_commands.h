#pragma once
// `cairn integration webhooks ID [--register] [--url PUBLIC_URL]`: lists, or registers, the
// PSA's change notices (ConnectWise callbacks, Autotask webhooks) for Cairn's notice URL.
#include <cstdint>
#include <string>

namespace cairn::cli {

// public_url "" takes CAIRN_PUBLIC_URL. Exit codes: 0 done, 1 failed, 2 bad usage.
int run_integration_webhooks(const std::string& db_spec, std::int64_t id, bool register_them, std::string public_url);

}  // namespace cairn::cli
