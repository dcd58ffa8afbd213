#pragma once
// All of one emulated ConnectWise tenant's records, behind one reader/writer lock: list pages
// are served under a shared lock from many threads, changes take it exclusively.
#include <cstdint>
#include <shared_mutex>
#include <string>

#include "sim/connectwise/records.h"
#include "sim/connectwise/table.h"
#include "sim/world.h"

namespace cairn::sim::connectwise {

struct Store {
  Table<Country> countries;
  Table<State> states;
  Table<Member> members;
  Table<CommunicationType> communication_types;
  Table<CompanyType> company_types;
  Table<CompanyStatus> company_statuses;
  Table<ConfigurationType> configuration_types;
  Table<ConfigurationStatus> configuration_statuses;
  Table<ContactType> contact_types;
  Table<Manufacturer> manufacturers;
  Table<Company> companies;
  Table<Site> sites;
  Table<Contact> contacts;
  Table<Configuration> configurations;
  Table<Callback> callbacks;
  Id next_communication_item_id = 1;
  // Bumped by every change, under the exclusive lock: cached query answers older than this
  // are stale.
  std::uint64_t generation = 0;

  Id api_member_id = 0;   // the member the API keys belong to
  Id user_member_id = 0;  // the PSA user the admin path acts as

  mutable std::shared_mutex mu;
};

// Identifiers of the members every store has (besides the world's technicians).
inline constexpr const char* kSeedMember = "ImportSeed";
inline constexpr const char* kUserMember = "PsaUser";

// Communication type ids every store has (the world's phones and emails map onto them).
enum CommunicationTypeId : Id { kEmail = 1, kDirect = 2, kCell = 3, kHome = 4, kFax = 5 };

// Converts the PSA-neutral world into ConnectWise records, consuming it (strings are moved,
// so a million configurations are not held twice). api_member names the keys' member.
void load_world(Store& store, World&& world, const std::string& api_member);

}  // namespace cairn::sim::connectwise
