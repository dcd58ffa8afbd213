#pragma once
// JSON text written directly, for the hot paths where building a nlohmann object only to dump it
// cost more than the write it describes (a first sync's create audit rows, issue 4).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::core {

// Appends `text` as a JSON string. Text that is not plain ASCII goes through nlohmann, which
// checks its UTF-8 and throws on bytes that are not, as a dump always did.
void append_json_string(std::string& out, std::string_view text);

// {"name":"text",...} with the names in order and each name once (the last text wins), as a
// nlohmann object dumps it.
std::string json_object_of_texts(std::vector<std::pair<std::string_view, std::string>> members);

}  // namespace cairn::core
