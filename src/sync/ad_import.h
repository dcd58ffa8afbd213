#pragma once
// One Active Directory import (issue 7, D23): read the organization's directory over LDAP, plan
// every user against the organization's contacts (core/ad_contacts), and write the plan in one
// transaction with audit rows (actor "directory import"), queue the pushes of the contacts it
// made or enriched (sync/ad_push_queue.h), and log the run (store/directory_import_runs.h). An
// error before or while writing writes nothing but the failed run, with its message. A preview
// plans the same way and writes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "core/ad_contacts.h"
#include "core/error.h"
#include "store/database.h"
#include "store/directory_sources.h"

namespace cairn::sync {

inline constexpr const char* kDirectoryImportActor = "directory import";

struct AdImportOptions {
  bool preview = false;  // plan only; a preview is not logged
  std::string started_by = "command";  // the run log's "started-by": command, schedule, api
  int page_size = 500;   // entries per LDAP page
  int timeout_seconds = 15;
};

struct AdImportResult {
  std::vector<core::AdAction> actions;
  std::int64_t users = 0, created = 0, enriched = 0, skipped = 0;
  // Pushes (sync/ad_push_queue.h): creates and updates queued, contacts kept local with a reason.
  std::int64_t push_creates = 0, push_updates = 0, not_pushed = 0;
  int pages = 0;
  core::AdLabels labels;
  std::int64_t run_id = 0;  // the directory_import_runs row (0 for a preview)
};

core::Result<AdImportResult> run_ad_import(store::Database& db, const store::DirectorySource& source,
                                           const AdImportOptions& options);

// "created 2, enriched 1, skipped 1 (4 directory users in 1 page)", plus "; pushes: 1 create,
// 0 updates queued, 1 kept local" when the organization has a PSA integration.
std::string summary_line(const AdImportResult& r);

}  // namespace cairn::sync
