#pragma once
// The database with its master key, as commands that read or write sealed secrets open it.
#include <memory>
#include <optional>
#include <string>

#include "store/database.h"
#include "store/secrets.h"

namespace cairn::cli {

struct StoreWithKey {
  std::unique_ptr<store::Database> db;
  std::optional<store::MasterKey> key;
};

// Opens the database and loads the master key; prints "cairn <command>: <why>" and returns false
// when the key cannot be had.
bool open_store_with_key(const std::string& db_spec, const std::string& command, StoreWithKey& out);

}  // namespace cairn::cli
