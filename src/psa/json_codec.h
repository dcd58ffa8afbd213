#pragma once
// Turns one PSA wire record (JSON) into a PsaRecord through a mapping table. Pure.
#include <nlohmann/json_fwd.hpp>

#include <string>

#include "core/psa_record.h"
#include "psa/mapping.h"

namespace cairn::psa {

// The JSON value at a "/"-separated path, or null when any step is missing.
const nlohmann::json* at_path(const nlohmann::json& j, const std::string& path);

core::PsaRecord decode(const Mapping& m, core::SyncEntity entity, const nlohmann::json& wire);

// R10: one MAC address (six hex pairs, ':' or '-' separated, or twelve hex digits).
bool is_single_mac(const std::string& s);

}  // namespace cairn::psa
