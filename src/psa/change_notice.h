#pragma once
// A PSA's note that one record changed (a ConnectWise callback, an Autotask webhook), in Cairn's
// terms, and what Cairn has registered with the PSA to receive them.
#include <optional>
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

struct RecordNotice {
  core::SyncEntity entity = core::SyncEntity::Organization;
  std::string psa_id;
  std::string action;  // as the PSA said it: added, updated, deleted (ConnectWise); Create, Update, Delete (Autotask)
};

// What a notice body says: the record, or why it names none Cairn syncs (a ticket, a deactivation).
struct ParsedNotice {
  std::optional<RecordNotice> record;
  std::string ignored;  // why record is empty, for the answer to the PSA
};

// One registration in the PSA (a ConnectWise callback, an Autotask *Webhooks record).
struct NoticeRegistration {
  std::string id;        // the PSA's id of the registration
  std::string type;      // company, contact, configuration (ConnectWise); CompanyWebhooks, ... (Autotask)
  std::string url;       // where the PSA posts
  bool active = true;
  bool created = false;  // made by this registration run (false: it was there already)
};

}  // namespace cairn::psa
