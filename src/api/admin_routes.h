#pragma once
// What the admin-only resources (/integrations, /directory_sources) share: ids in paths, JSON:API
// bodies of one type, string members, the master key, admin routes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/context.h"
#include "core/error.h"
#include "store/secrets.h"

namespace cairn::api {

// A positive id, or nothing.
std::optional<std::int64_t> parse_id(const std::string& s);

// The body as a JSON:API document whose data is of this type, or nothing (the error was sent).
// With optional, an empty body (or {}) reads as {}.
std::optional<nlohmann::json> read_body(Context& c, const char* type, bool optional = false);

// data.attributes, or {} when the document has none.
const nlohmann::json& attributes_of(const nlohmann::json& doc);

core::Result<std::string> string_member(const nlohmann::json& v, const std::string& name, const std::string& at);

// The master key, or nothing after a 500 naming what the operator must fix.
std::optional<store::MasterKey> master_key(Context& c);

Route admin(std::string method, std::vector<std::string> pattern, std::function<void(Context&)> handler);

}  // namespace cairn::api
