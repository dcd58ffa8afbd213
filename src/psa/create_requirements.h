#pragma once
// What each PSA requires of a record Cairn creates in it (D16, reference-behaviour §2): a table,
// one row per required attribute or setting, read by sync/create_rules. Adding a PSA adds rows.
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

struct CreateRequirement {
  enum class From { Attribute, Setting };
  std::string kind;  // "connectwise", as integrations store it
  core::SyncEntity entity;
  From from = From::Attribute;
  std::string name;    // the Cairn attribute, or the sync-settings member (core/sync_settings.h)
  std::string reason;  // said on the record when it is missing: "Autotask needs a manufacturer"
};

const std::vector<CreateRequirement>& create_requirements();

}  // namespace cairn::psa
