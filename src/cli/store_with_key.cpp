#include "cli/store_with_key.h"

#include <iostream>

namespace cairn::cli {

bool open_store_with_key(const std::string& db_spec, const std::string& command, StoreWithKey& out) {
  out.db = store::Database::open(db_spec, 2);
  auto key = store::master_key_for(*out.db);
  if (!key) {
    std::cerr << "cairn " << command << ": " << key.error().detail << "\n";
    return false;
  }
  out.key.emplace(std::move(key.value()));
  return true;
}

}  // namespace cairn::cli
