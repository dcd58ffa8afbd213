#pragma once
// Checks a value against its field, and the normalisations IT Glue applies on save.
#include <optional>
#include <string>

#include "core/schema.h"
#include "core/value.h"

namespace cairn::core {

// What is wrong with v for f ("is longer than 17 characters"), or nothing. Required-ness is
// the caller's concern: it depends on whether this is a create or an update.
std::optional<std::string> check_value(const Field& f, const Value& v);

// The stored form: phone separators stripped, default texts filled in, whitespace trimmed on
// references given as text.
Value normalize_value(const Field& f, Value v);

bool is_ip_address(const std::string& s);
bool is_email(const std::string& s);
std::string strip_phone_separators(const std::string& s);

}  // namespace cairn::core
