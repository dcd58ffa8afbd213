#pragma once
// The connector for an integration's PSA.
#include <memory>

#include "psa/source.h"
#include "store/integrations.h"

namespace cairn::sync {

// Throws std::runtime_error naming what is missing (a credential, or a connector not built yet).
// CAIRN_CA_FILE names an extra CA bundle for PSAs behind a private CA; CAIRN_AUTOTASK_ZONE_LOOKUP_URL
// replaces Autotask's zone look-up host (for emulators).
std::unique_ptr<psa::Source> make_source(const store::Integration& integration);

}  // namespace cairn::sync
