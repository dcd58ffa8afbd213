#pragma once
// A small, realistic MSP's documentation, so a new user has something to look at and script
// against before any PSA is connected.
#include "store/database.h"

namespace cairn::cli {

// Writes the demo data set unless the store already holds organizations; returns whether it wrote.
bool seed_demo_data(store::Database& db);

}  // namespace cairn::cli
