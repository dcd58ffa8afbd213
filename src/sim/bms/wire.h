#pragma once
// The Kaseya V2 platform's wire conventions, shared by Kaseya BMS and Pulseway PSA (psa-apis.md
// §3.2, §4): every answer is the envelope {"success","result","error"} (paged lists add
// "totalRecords"), names are camelCase on output and read case-insensitively on input, and
// errors carry {"code","message","details","stackStrace","subErrors"}.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace httplib {
struct Response;
}

namespace cairn::sim::bms {

// {"success":true,"result":<result JSON text>,"error":null}
std::string ok_envelope(std::string_view result_json);
// The paged form: {"success":true,"result":[rows],"totalRecords":N,"error":null}; rows_json is
// the comma-separated rows without brackets.
std::string paged_envelope(std::string_view rows_json, std::size_t total_records);
// {"success":false,"result":null,"error":{"code":code,"message":…,"details":null,"stackStrace":null,"subErrors":[]}}
std::string error_envelope(int code, std::string_view message);

void reply_json(httplib::Response& res, int status, std::string body);
void reply_error(httplib::Response& res, int status, std::string_view message);  // code = status (B1)

// ASCII case-insensitive equality: V2 reads names in any case.
bool iequals(std::string_view a, std::string_view b);
// The member of obj whose name equals name ignoring case; nullptr when absent (or obj is not an object).
const nlohmann::json* member(const nlohmann::json& obj, std::string_view name);
// Replaces the first "{key}" in text with value.
std::string fill(std::string_view text, std::string_view key, std::string_view value);

}  // namespace cairn::sim::bms
