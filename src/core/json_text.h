#pragma once
// {"name":"text",...} written directly (core/json_writer.h): a first sync's create audit rows
// built a nlohmann object only to dump it, 6 % of bench_sync's instructions (issue 4).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::core {

// The names in order and each once (the last text wins), as a nlohmann object dumps them.
std::string json_object_of_texts(const std::vector<std::pair<std::string_view, std::string_view>>& members);

}  // namespace cairn::core
