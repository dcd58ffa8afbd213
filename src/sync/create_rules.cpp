#include "sync/create_rules.h"

#include <set>

#include "core/psa_capabilities.h"
#include "psa/create_requirements.h"

namespace cairn::sync {
namespace {

std::string setting(const core::SyncSettings& s, const std::string& name) {
  if (name == "default_account_manager") return s.default_account_manager;
  if (name == "two_way_email_type") return s.two_way_email_type;
  if (name == "two_way_phone_type") return s.two_way_phone_type;
  return {};
}

// A type or status that is given must be enabled (R1, R11); a missing one is the PSA's
// requirements' business (the table), since some PSAs need none.
std::optional<std::string> gate(const char* what, const std::optional<std::string>& name, const std::set<std::string>& enabled) {
  if (!name || name->empty()) return std::nullopt;
  if (!enabled.count(*name)) return std::string("its ") + what + " \"" + *name + "\" is not enabled in the sync settings";
  return std::nullopt;
}

std::string not_pushed_to(const std::string& kind, const std::string& why) {
  const auto* caps = core::capabilities_for(kind);
  return "not pushed to " + (caps ? std::string(caps->display_name) : kind) + ": " + why;
}

}  // namespace

std::optional<std::string> why_not_pushed(const std::string& kind, const CreateCandidate& c,
                                          const core::SyncSettings& settings) {
  if (!settings.two_way) return not_pushed_to(kind, "two-way sync is off");
  if (c.bulk) return not_pushed_to(kind, "it was imported in bulk; save it to push it (R15)");
  std::optional<std::string> closed;
  if (c.entity == core::SyncEntity::Organization) {
    closed = gate("type", c.type_name, settings.org_types);
    if (!closed) closed = gate("status", c.status_name, settings.org_statuses);
  } else if (c.entity == core::SyncEntity::Configuration) {
    closed = gate("type", c.type_name, settings.config_types);
    if (!closed) closed = gate("status", c.status_name, settings.config_statuses);
  }
  if (closed) return not_pushed_to(kind, *closed);
  return std::nullopt;
}

std::optional<std::string> why_not_created(const std::string& kind, const CreateCandidate& c,
                                           const core::SyncSettings& settings) {
  if (auto why = why_not_pushed(kind, c, settings)) return why;
  for (const auto& r : psa::create_requirements()) {
    if (r.kind != kind || r.entity != c.entity) continue;
    const bool present = r.from == psa::CreateRequirement::From::Attribute ? c.has && c.has(r.name)
                                                                             : !setting(settings, r.name).empty();
    if (!present) return not_pushed_to(kind, r.reason);
  }
  return std::nullopt;
}

}  // namespace cairn::sync
