#pragma once
// The seam between directory imports and two-way pushes (R15, R16, reference-behaviour §4): whether
// a contact made or enriched from Active Directory qualifies for a push to the organization's PSA.
// The outbox that performs the push is another issue's; it asks this function first.
#include <string>

#include "core/sync_settings.h"

namespace cairn::core {

struct PushCandidate {
  std::string psa_kind;        // the organization's integration: connectwise, autotask, bms, ...
  bool psa_two_way_capable = true;  // false for Tigerpaw (D6)
  const SyncSettings* settings = nullptr;  // the integration's settings; null without an integration
  std::string primary_email_label;  // "" when the contact has no email
  std::string primary_phone_label;  // "" when the contact has no phone
  bool has_location = false;
};

struct PushDecision {
  bool qualifies = false;
  std::string reason;  // why not, for the contact's "kept local" note; "" when it qualifies
};

// A contact qualifies when two-way is on and its primary email and primary phone carry the PSA
// types the two-way settings name (an "AD Email"/"AD Phone" label is no PSA type); Kaseya BMS also
// needs a location.
PushDecision ad_contact_push_decision(const PushCandidate& c);

}  // namespace cairn::core
