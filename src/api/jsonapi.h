#pragma once
// JSON:API documents as IT Glue shapes them: resource objects with kebab-case attributes,
// error objects with status, title, detail and source.pointer.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/json_writer.h"
#include "core/error.h"
#include "core/schema.h"
#include "store/records.h"

namespace cairn::api {

inline constexpr const char* kJsonApi = "application/vnd.api+json";

int http_status(core::ErrorKind k);
std::string error_document(const core::Error& e);
std::string error_document(int status, const std::string& title, const std::string& detail);

void write_resource(core::JsonWriter& w, const core::EntitySchema& e, const store::Record& r);
std::string resource_document(const core::EntitySchema& e, const store::Record& r);

// The attributes of one resource object into store changes. Kebab-case or snake_case names;
// an unknown name, a wrong JSON type or a malformed value is an error naming its pointer.
// Read-only attributes (names behind references, timestamps, PSA state) are ignored, so a
// document read from the API can be sent back as it is.
core::Result<store::Changes> parse_attributes(const core::EntitySchema& e, const nlohmann::json& attributes,
                                              const std::string& pointer);

// Query parameters of a list request into a store query.
core::Result<store::ListQuery> parse_list_query(const core::EntitySchema& e,
                                                const std::multimap<std::string, std::string>& params);

}  // namespace cairn::api
