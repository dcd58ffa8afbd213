#pragma once
// The PSA-neutral World converted into Autotask wire records (psa-apis.md §2.9), one table per
// entity, keyed and ordered by id.
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/world.h"

namespace cairn::sim::autotask {

using Table = std::map<std::int64_t, nlohmann::json>;

struct Tables {
  std::map<std::string, Table> by_entity;  // entity path name ("Companies") -> records
  // Picklists of Companies: companyType and classification, value -> label.
  std::map<std::int64_t, std::string> company_types;
  std::map<std::int64_t, std::string> classifications;
  std::int64_t default_company_type = 0;
  std::int64_t api_resource_id = 0;  // the API user's own Resource
};

// Every field of the entity present (null when unset), ids as the world has them.
// Company id 0 is the MSP's own company, named own_company_name.
Tables seed_tables(const World& world, const std::string& api_username,
                   const std::string& own_company_name = "Cairn Sim MSP");

}  // namespace cairn::sim::autotask
