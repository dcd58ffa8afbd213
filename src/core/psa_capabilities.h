#pragma once
// What each PSA can do with Cairn, one row per PSA (reference-behaviour §2.0, decisions D19): the
// engine, the API (GET /integrations/:id) and the docs read this table instead of asking "which
// PSA is this?" wherever a difference matters.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/psa_record.h"

namespace cairn::core {

// Where a PSA's locations come from.
enum class LocationSource {
  Records,  // the PSA has location records of its own (ConnectWise sites, Autotask company locations, BMS)
  Derived,  // Cairn makes them from account and contact addresses (Tigerpaw)
};

// How the PSA tells Cairn a record changed, besides Cairn's own polling.
enum class ChangeNotice {
  None,       // poll only (BMS and Pulseway webhooks cover tickets only; Tigerpaw has none)
  Callbacks,  // ConnectWise /system/callbacks, signed x-content-signature
  Webhooks,   // Autotask *Webhooks entities, signed X-Hook-Signature
};

struct Capabilities {
  std::string_view kind;          // "connectwise", as integrations store it
  std::string_view display_name;  // "ConnectWise Manage"
  // The entities a sync pulls, in the order the engine pulls them (companies before what belongs to them).
  std::vector<SyncEntity> entities;
  LocationSource locations = LocationSource::Records;
  bool two_way = false;
  bool push_all = false;
  ChangeNotice change_notice = ChangeNotice::None;
  int max_page_size = 0;  // the largest page a list request may ask for
  // D19: the share of the PSA's published hourly limit Cairn allows itself, and what that limit counts.
  std::optional<int> hourly_request_budget;
  std::string_view budget_scope;  // "per integration", "per endpoint"
  // Why a capability is missing, said to the person who asks for it.
  std::string_view no_two_way_reason;
  std::string_view no_configurations_reason;
  // Two-way: a contact's email and phone items are written as whole lists (Kaseya V2's
  // sub-resources), not only its primary email and phone with the settings' types (R16).
  bool pushes_contact_lists = false;
};

// Every PSA Cairn knows, in the order the docs list them.
const std::vector<Capabilities>& all_capabilities();

// The row of a PSA kind, or null for a kind Cairn does not know.
const Capabilities* capabilities_for(std::string_view kind);

// True when the PSA syncs that entity at all.
bool syncs(const Capabilities& c, SyncEntity e);

const char* to_string(LocationSource s);
const char* to_string(ChangeNotice n);

}  // namespace cairn::core
