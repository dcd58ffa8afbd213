#pragma once
// One Active Directory import (issue 7, D23): read the organization's directory over LDAP, plan
// every user against the organization's contacts (core/ad_contacts), and write the plan in one
// transaction with audit rows (actor "directory import"). An error before or while writing
// writes nothing. A preview plans the same way and writes nothing.
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
  bool preview = false;  // plan only
  int page_size = 500;   // entries per LDAP page
  int timeout_seconds = 15;
};

struct AdImportResult {
  std::vector<core::AdAction> actions;
  std::int64_t users = 0, created = 0, enriched = 0, skipped = 0;
  int pages = 0;
  core::AdLabels labels;
};

core::Result<AdImportResult> run_ad_import(store::Database& db, const store::DirectorySource& source,
                                           const AdImportOptions& options);

// "created 2, enriched 1, skipped 1 (4 directory users in 1 page)"
std::string summary_line(const AdImportResult& r);

}  // namespace cairn::sync
