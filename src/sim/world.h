#pragma once
// The PSA-neutral world every emulator serves: an MSP's customers, their sites, contacts and
// devices, as plain structs. A seed (demo or scale:N) builds one deterministically; each PSA
// emulator converts it into that PSA's own records and wire format, so the same world can be
// served as ConnectWise, Autotask, BMS, Pulseway or Tigerpaw.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/sim_time.h"

namespace cairn::sim {

using Id = std::int64_t;  // 1-based within each list; 0 means "none"

struct Country {
  Id id = 0;
  std::string code;  // ISO 3166 alpha-2
  std::string name;
};

struct Region {  // a state or province
  Id id = 0;
  Id country_id = 0;
  std::string code;
  std::string name;
};

struct CompanyType {
  Id id = 0;
  std::string name;
  bool is_default = false;
  bool is_vendor = false;
};

struct CompanyStatus {
  Id id = 0;
  std::string name;
  bool is_default = false;
  bool inactive = false;
};

struct ConfigurationType {
  Id id = 0;
  std::string name;
  bool inactive = false;
};

struct ConfigurationStatus {
  Id id = 0;
  std::string name;
  bool is_default = false;
  bool closed = false;
};

struct ContactType {
  Id id = 0;
  std::string name;
};

struct Manufacturer {
  Id id = 0;
  std::string name;
  bool inactive = false;
};

// A staff member of the MSP (installs devices, edits records).
struct Technician {
  Id id = 0;
  std::string identifier;  // login name
  std::string first_name;
  std::string last_name;
};

struct Address {
  std::string line1;
  std::string line2;
  std::string city;
  Id region_id = 0;
  std::string zip;
  Id country_id = 0;
};

struct Company {
  Id id = 0;
  std::string short_name;  // the PSA's "company id"/account number
  std::string name;
  Id type_id = 0;
  Id status_id = 0;
  Id parent_id = 0;
  Address address;
  std::string phone;
  std::string fax;
  std::string website;
  Id primary_site_id = 0;
  Id default_contact_id = 0;
  bool deleted = false;
  Timestamp created = 0;
  Timestamp updated = 0;
};

struct Site {
  Id id = 0;
  Id company_id = 0;
  std::string name;
  Address address;
  std::string phone;
  std::string phone_ext;
  std::string fax;
  bool primary = false;
  bool inactive = false;
  Timestamp created = 0;
  Timestamp updated = 0;
};

struct Phone {
  enum class Kind { Work, Mobile, Home, Fax };
  Kind kind = Kind::Work;
  std::string number;
  std::string extension;
  bool is_default = false;
};

struct Contact {
  Id id = 0;
  Id company_id = 0;
  Id site_id = 0;
  std::string first_name;
  std::string last_name;
  std::string title;
  Id type_id = 0;
  bool inactive = false;
  std::vector<std::string> emails;  // the first is the default
  std::vector<Phone> phones;
  Timestamp created = 0;
  Timestamp updated = 0;
};

struct Configuration {
  Id id = 0;
  Id company_id = 0;
  Id type_id = 0;
  Id status_id = 0;
  Id contact_id = 0;  // may belong to another company: PSAs allow it, IT Glue does not
  Id site_id = 0;
  Id manufacturer_id = 0;
  Id installed_by = 0;  // a Technician
  std::string name;
  std::string serial_number;
  std::string model;
  std::string asset_tag;
  std::string mac_address;  // as the RMM wrote it: may hold several MACs
  std::string ip_address;
  std::string default_gateway;
  std::string os_type;
  std::string os_info;
  std::string notes;
  Timestamp purchased = 0;  // 0: not set
  Timestamp installed = 0;
  Timestamp warranty_expires = 0;
  bool active = true;
  Timestamp created = 0;
  Timestamp updated = 0;
};

struct World {
  std::vector<Country> countries;
  std::vector<Region> regions;
  std::vector<CompanyType> company_types;
  std::vector<CompanyStatus> company_statuses;
  std::vector<ConfigurationType> configuration_types;
  std::vector<ConfigurationStatus> configuration_statuses;
  std::vector<ContactType> contact_types;
  std::vector<Manufacturer> manufacturers;
  std::vector<Technician> technicians;
  std::vector<Company> companies;
  std::vector<Site> sites;
  std::vector<Contact> contacts;
  std::vector<Configuration> configurations;
};

// What `--seed` names: `demo`, `scale:N` or `empty`, made deterministic by a seed number.
struct SeedSpec {
  enum class Kind { Empty, Demo, Scale };
  Kind kind = Kind::Demo;
  std::size_t configurations = 0;  // scale:N
  std::uint64_t number = 1;        // the random seed
};

// "demo", "empty" or "scale:N" (N from 1 to 100,000,000); otherwise a message saying what is accepted.
std::variant<SeedSpec, std::string> parse_seed_spec(std::string_view text, std::uint64_t number = 1);

// The lookups (countries, types, statuses, ...) every seed starts from, then the records.
World make_world(const SeedSpec& spec);
// The small realistic MSP with the cases a sync must handle (see world.cpp for the list).
World make_demo_world(std::uint64_t seed);
// n configurations with n/50 companies, n/5 contacts and n/25 sites (at least one of each).
World make_scale_world(std::size_t n, std::uint64_t seed);

// A PSA for a push-all to write to: the same lookups and products, and none of the world's own
// records. Autotask's configuration items hang off products, so the configurations stay, moved
// under one company of its own ("Product Holder Co") with names no Cairn configuration has.
World products_only(World w);

// Appends the records of a seed file (the World's JSON form, world_json.h) to world, renumbering
// nothing: the file's ids must not collide with the world's. Returns an error message or "".
std::string merge_world(World& world, World&& extra);

}  // namespace cairn::sim
