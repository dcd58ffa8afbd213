#pragma once
// Pushes of contacts a directory import made or enriched (issue 7 item 3). Reference §4, R15's
// sentence on AD contacts and D23 make directory contacts the exception to D16's "records that
// arrive in bulk are not pushed until a person saves them": a contact from Active Directory that
// meets the PSA's requirements is pushed at once. Each contact, inside the import's transaction:
//   no PSA integration on its organization  → nothing (a local record, no push state)
//   not linked, qualifies                   → a create row (the pusher creates it, then links it)
//   not linked, does not qualify            → a not-pushed row with the reason (kept local)
//   linked, qualifies, pushed fields changed → an update row of only those fields (D14)
//   linked otherwise                        → nothing
// Whether it qualifies: core/ad_push (labels are the two-way settings' PSA types) and then the
// PSA's own create requirements (sync/create_rules, D16).
#include <cstdint>
#include <string>

#include "store/database.h"
#include "store/records.h"

namespace soci {
class session;
}

namespace cairn::sync {

struct AdPushOutcome {
  enum class Kind { None, Create, Update, NotPushed, Unchanged };
  Kind kind = Kind::None;
  std::string reason;  // NotPushed: why it stays local
};

// `before`: the contact as it was before the import enriched it; null for a contact it created.
AdPushOutcome queue_ad_contact_push(soci::session& s, store::Dialect d, std::int64_t contact_id,
                                    const store::Record* before);

}  // namespace cairn::sync
