#include "core/ad_push.h"

namespace cairn::core {

PushDecision ad_contact_push_decision(const PushCandidate& c) {
  auto no = [](std::string why) { return PushDecision{false, std::move(why)}; };
  if (!c.settings || c.psa_kind.empty()) return no("the organization has no PSA integration");
  if (!c.psa_two_way_capable) return no(c.psa_kind + " syncs one way only");
  if (!c.settings->two_way) return no("two-way sync is off");
  if (c.primary_email_label.empty()) return no("no primary email");
  if (c.settings->two_way_email_type.empty()) return no("the two-way settings name no PSA email type");
  if (c.primary_email_label != c.settings->two_way_email_type)
    return no("the primary email's label \"" + c.primary_email_label + "\" is not the PSA email type \"" +
              c.settings->two_way_email_type + "\"");
  if (c.primary_phone_label.empty()) return no("no primary phone");
  if (c.settings->two_way_phone_type.empty()) return no("the two-way settings name no PSA phone type");
  if (c.primary_phone_label != c.settings->two_way_phone_type)
    return no("the primary phone's label \"" + c.primary_phone_label + "\" is not the PSA phone type \"" +
              c.settings->two_way_phone_type + "\"");
  if (c.psa_kind == "bms" && !c.has_location) return no("Kaseya BMS needs a location");
  return {true, ""};
}

}  // namespace cairn::core
