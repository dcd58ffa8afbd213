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

}  // namespace

std::optional<std::string> why_not_created(const std::string& kind, const CreateCandidate& c,
                                           const core::SyncSettings& settings) {
  const auto* caps = core::capabilities_for(kind);
  const std::string psa = caps ? std::string(caps->display_name) : kind;
  auto not_pushed = [&](const std::string& why) { return "not pushed to " + psa + ": " + why; };
  if (!settings.two_way) return not_pushed("two-way sync is off");
  if (c.bulk) return not_pushed("it was imported in bulk; save it to push it (R15)");
  std::optional<std::string> closed;
  if (c.entity == core::SyncEntity::Organization) {
    closed = gate("type", c.type_name, settings.org_types);
    if (!closed) closed = gate("status", c.status_name, settings.org_statuses);
  } else if (c.entity == core::SyncEntity::Configuration) {
    closed = gate("type", c.type_name, settings.config_types);
    if (!closed) closed = gate("status", c.status_name, settings.config_statuses);
  }
  if (closed) return not_pushed(*closed);
  for (const auto& r : psa::create_requirements()) {
    if (r.kind != kind || r.entity != c.entity) continue;
    const bool present = r.from == psa::CreateRequirement::From::Attribute ? c.has && c.has(r.name)
                                                                             : !setting(settings, r.name).empty();
    if (!present) return not_pushed(r.reason);
  }
  return std::nullopt;
}

}  // namespace cairn::sync
