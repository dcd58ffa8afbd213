#pragma once
// The World's JSON form, for `--seed-file`: an object with any of the World's lists
// ("companies", "sites", "contacts", "configurations", "company_types", ...), each record with
// the struct's field names (snake_case), timestamps as seconds since the epoch.
#include <string>
#include <variant>

#include "sim/world.h"

namespace cairn::sim {

// Reads a seed file; returns the World or a message naming the file and what is wrong.
std::variant<World, std::string> read_world_file(const std::string& path);
std::variant<World, std::string> parse_world_json(const std::string& text);
std::string world_to_json(const World& world);

}  // namespace cairn::sim
