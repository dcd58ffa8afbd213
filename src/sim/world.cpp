#include "sim/world.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "sim/rng.h"

namespace cairn::sim {

namespace {

// Seeded records are dated in the year before this instant (2026-01-01T00:00:00Z), so the
// same seed prints the same timestamps whenever it runs; changes made later use the clock.
constexpr Timestamp kSeedEpoch = 1767225600;
constexpr Timestamp kDay = 86400;

void stamp(Rng& rng, Timestamp& created, Timestamp& updated) {
  created = kSeedEpoch - rng.between(30, 365) * kDay - rng.between(0, kDay - 1);
  updated = created + rng.between(0, 29) * kDay + rng.between(0, kDay - 1);
}

// The lookups both seeds share. Ids are fixed so tests and docs can name them.
void add_lookups(World& w) {
  w.countries = {{1, "US", "United States"}, {2, "CA", "Canada"}, {3, "GB", "United Kingdom"}};
  w.regions = {{1, 1, "NY", "New York"}, {2, 1, "CA", "California"}, {3, 1, "TX", "Texas"},
               {4, 2, "ON", "Ontario"},  {5, 2, "BC", "British Columbia"}};
  w.company_types = {{1, "Customer", true, false}, {2, "Prospect", false, false},
                     {3, "Vendor", false, true},   {4, "Partner", false, false}};
  w.company_statuses = {{1, "Active", true, false}, {2, "Inactive", false, true}, {3, "Not Approved", false, false}};
  w.configuration_types = {{1, "Managed Server", false},   {2, "Managed Workstation", false},
                           {3, "Network Device", false},   {4, "Printer", false},
                           {5, "Firewall", false},         {6, "Legacy Device", true}};
  w.configuration_statuses = {{1, "Active", true, false}, {2, "Inactive", false, true}, {3, "Retired", false, true}};
  w.contact_types = {{1, "Approver"}, {2, "End User"}, {3, "Billing"}};
  w.manufacturers = {{1, "Dell", false}, {2, "HP", false},       {3, "Lenovo", false}, {4, "Cisco", false},
                     {5, "Ubiquiti", false}, {6, "Fortinet", false}, {7, "Apple", false}, {8, "Compaq", true}};
  w.technicians = {{1, "jsmith", "John", "Smith"}, {2, "apatel", "Anita", "Patel"}, {3, "mchen", "Ming", "Chen"}};
}

const char* const kHex = "0123456789ABCDEF";

std::string mac(Rng& rng) {
  std::string s;
  s.reserve(17);
  for (int i = 0; i < 6; ++i) {
    if (i) s += ':';
    const auto b = rng.below(256);
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

std::string serial(Rng& rng, std::size_t n) {
  static const char kChars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  std::string s(n, '0');
  for (auto& c : s) c = kChars[rng.below(sizeof kChars - 1)];
  return s;
}

std::string ip(Rng& rng, int a, int b) {
  return std::to_string(a) + '.' + std::to_string(b) + '.' + std::to_string(rng.between(0, 254)) + '.' +
         std::to_string(rng.between(2, 254));
}

std::string phone(Rng& rng, const char* area) {
  return std::string("+1 ") + area + " 555 " + std::to_string(rng.between(1000, 9999));
}

struct DeviceKind {
  Id type_id;
  const char* prefix;
  const char* models[3];
  Id manufacturers[3];
  const char* os_type;
  const char* os_info;
};

const DeviceKind kDeviceKinds[] = {
    {1, "SRV", {"PowerEdge R740", "ProLiant DL380", "ThinkSystem SR650"}, {1, 2, 3}, "Windows Server", "Windows Server 2022 Standard"},
    {2, "WS", {"OptiPlex 7090", "EliteDesk 800", "ThinkCentre M90"}, {1, 2, 3}, "Windows", "Windows 11 Pro 23H2"},
    {2, "MAC", {"MacBook Pro 14", "MacBook Air 13", "iMac 24"}, {7, 7, 7}, "macOS", "macOS 14 Sonoma"},
    {3, "SW", {"Catalyst 9200", "UniFi Switch 24", "Catalyst 1000"}, {4, 5, 4}, "IOS", "Cisco IOS XE 17.9"},
    {4, "PRN", {"LaserJet M507", "Color LaserJet M554", "LaserJet Pro 4001"}, {2, 2, 2}, "", ""},
    {5, "FW", {"FortiGate 60F", "FortiGate 100F", "UniFi Dream Machine"}, {6, 6, 5}, "FortiOS", "FortiOS 7.4.3"},
};

Configuration device(Rng& rng, Id id, const Company& company, Id site_id, Id contact_id, std::string_view tag) {
  const DeviceKind& k = kDeviceKinds[rng.below(std::size(kDeviceKinds))];
  const auto m = rng.below(3);
  Configuration c;
  c.id = id;
  c.company_id = company.id;
  c.type_id = k.type_id;
  c.status_id = rng.chance(0.9) ? 1 : (rng.chance(0.5) ? 2 : 3);
  c.contact_id = contact_id;
  c.site_id = site_id;
  c.manufacturer_id = k.manufacturers[m];
  c.installed_by = rng.between(1, 3);
  c.name = std::string(k.prefix) + '-' + std::string(tag) + '-' + std::to_string(id);
  c.serial_number = serial(rng, 10);
  c.model = k.models[m];
  c.asset_tag = "AT-" + std::to_string(100000 + id);
  c.mac_address = mac(rng);
  c.ip_address = ip(rng, 10, static_cast<int>(company.id % 250));
  c.default_gateway = "10." + std::to_string(company.id % 250) + ".0.1";
  c.os_type = k.os_type;
  c.os_info = k.os_info;
  stamp(rng, c.created, c.updated);
  c.purchased = (c.created - rng.between(0, 400) * kDay) / kDay * kDay;
  c.installed = c.purchased + rng.between(1, 14) * kDay;
  c.warranty_expires = c.purchased + 3 * 365 * kDay;
  c.active = c.status_id == 1;
  return c;
}

Site site(Rng& rng, Id id, const Company& company, std::string name, bool primary) {
  Site s;
  s.id = id;
  s.company_id = company.id;
  s.name = std::move(name);
  s.address = company.address;
  s.phone = company.phone;
  s.fax = company.fax;
  s.primary = primary;
  stamp(rng, s.created, s.updated);
  return s;
}

std::string email_for(const Contact& c, std::string_view domain) {
  std::string local;
  for (char ch : c.first_name + "." + c.last_name)
    if (ch != ' ' && ch != '\'') local += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  return local + "@" + std::string(domain);
}

}  // namespace

std::variant<SeedSpec, std::string> parse_seed_spec(std::string_view text, std::uint64_t number) {
  SeedSpec spec;
  spec.number = number;
  if (text == "demo") return spec;
  if (text == "empty") {
    spec.kind = SeedSpec::Kind::Empty;
    return spec;
  }
  if (text.substr(0, 6) == "scale:") {
    auto digits = text.substr(6);
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && p == digits.data() + digits.size() && n >= 1 && n <= 100'000'000) {
      spec.kind = SeedSpec::Kind::Scale;
      spec.configurations = n;
      return spec;
    }
  }
  return std::string("--seed must be demo, empty or scale:N with N from 1 to 100000000, not \"") + std::string(text) +
         "\"";
}

World make_world(const SeedSpec& spec) {
  switch (spec.kind) {
    case SeedSpec::Kind::Demo: return make_demo_world(spec.number);
    case SeedSpec::Kind::Scale: return make_scale_world(spec.configurations, spec.number);
    case SeedSpec::Kind::Empty: break;
  }
  World w;
  add_lookups(w);
  return w;
}

// The demo MSP. Each oddity is here because a sync has to get it right:
// - companies of types that usually do not sync (Prospect, Vendor) and an inactive status;
// - near-miss names ("Acme, Inc." / "Acme Inc") that exact matching must keep apart, and two
//   companies with exactly the same name ("Northwind Traders");
// - a parent company with two children;
// - a configuration whose macAddress holds two MACs (25 characters, over IT Glue's 17);
// - a configuration whose contact belongs to another company;
// - inactive contacts, contacts with several emails and phone/fax numbers, the same person's
//   name at two companies;
// - sites with phone and fax, a company with two sites, an inactive site;
// - a configuration with no serial number and one with a retired status.
World make_demo_world(std::uint64_t seed) {
  World w;
  add_lookups(w);
  Rng rng(seed);
  struct Spec {
    const char* short_name;
    const char* name;
    Id type, status, parent;
    const char* city;
    Id region, country;
    const char* area;
    const char* domain;
  };
  const Spec specs[] = {
      {"ACME", "Acme, Inc.", 1, 1, 0, "New York", 1, 1, "212", "acme.example"},
      {"ACMEINC", "Acme Inc", 1, 1, 0, "Buffalo", 1, 1, "716", "acmeinc.example"},
      {"NORTHWIND", "Northwind Traders", 1, 1, 0, "Austin", 3, 1, "512", "northwind.example"},
      {"NORTHWIND2", "Northwind Traders", 1, 1, 0, "Dallas", 3, 1, "214", "northwind2.example"},
      {"CONTOSO", "Contoso Holdings", 1, 1, 0, "Toronto", 4, 2, "416", "contoso.example"},
      {"CONTOSORET", "Contoso Retail", 1, 1, 5, "Ottawa", 4, 2, "613", "retail.contoso.example"},
      {"CONTOSOLAB", "Contoso Labs", 1, 1, 5, "Vancouver", 5, 2, "604", "labs.contoso.example"},
      {"GLOBEX", "Globex Prospects LLC", 2, 1, 0, "San Jose", 2, 1, "408", "globex.example"},
      {"INITECH", "Initech Supply", 3, 1, 0, "Los Angeles", 2, 1, "213", "initech.example"},
      {"UMBRELLA", "Umbrella Health", 1, 2, 0, "Albany", 1, 1, "518", "umbrella.example"},
      {"FABRIKAM", "Fabrikam Partners", 4, 1, 0, "Houston", 3, 1, "713", "fabrikam.example"},
  };
  const char* streets[] = {"Main St", "King St W", "Market St", "Elm Ave", "Harbour Rd"};
  for (const Spec& s : specs) {
    Company c;
    c.id = static_cast<Id>(w.companies.size()) + 1;
    c.short_name = s.short_name;
    c.name = s.name;
    c.type_id = s.type;
    c.status_id = s.status;
    c.parent_id = s.parent;
    c.address = {std::to_string(rng.between(10, 999)) + " " + rng.pick(streets), c.id % 3 == 0 ? "Suite 200" : "",
                 s.city, s.region, s.country == 1 ? std::to_string(rng.between(10001, 79999)) : "M5V 2T6", s.country};
    c.phone = phone(rng, s.area);
    c.fax = phone(rng, s.area);
    c.website = std::string("https://www.") + s.domain;
    stamp(rng, c.created, c.updated);
    w.companies.push_back(std::move(c));
  }
  // Sites: one main site each (phone and fax from the company), a second for Acme, an inactive
  // one for Northwind.
  for (Company& c : w.companies) {
    w.sites.push_back(site(rng, static_cast<Id>(w.sites.size()) + 1, c, "Main", true));
    c.primary_site_id = w.sites.back().id;
  }
  {
    Site s = site(rng, static_cast<Id>(w.sites.size()) + 1, w.companies[0], "Warehouse", false);
    s.address.line1 = "1 Dock Rd";
    s.address.line2 = "Bay 4";
    s.phone = phone(rng, "212");
    s.phone_ext = "12";
    s.fax = phone(rng, "212");
    w.sites.push_back(std::move(s));
    Site old = site(rng, static_cast<Id>(w.sites.size()) + 1, w.companies[2], "Old Office", false);
    old.inactive = true;
    old.fax.clear();
    w.sites.push_back(std::move(old));
  }
  // Contacts.
  struct Person {
    std::size_t company;  // index into specs
    const char* first;
    const char* last;
    const char* title;
    Id type;
    bool inactive;
    int extra_emails;
    bool fax;
  };
  const Person people[] = {
      {0, "Jane", "Doe", "IT Director", 1, false, 1, true},   {0, "John", "Roe", "Office Manager", 2, true, 0, false},
      {0, "Pat", "Kim", "Accountant", 3, false, 0, false},    {1, "Pat", "Kim", "Owner", 1, false, 0, true},
      {1, "Lee", "Wong", "Technician", 2, false, 0, false},   {2, "Maria", "Garcia", "CFO", 3, false, 1, false},
      {2, "Omar", "Haddad", "Analyst", 2, true, 0, false},    {3, "Sam", "Taylor", "CEO", 1, false, 0, false},
      {4, "Chloe", "Martin", "VP IT", 1, false, 0, true},     {5, "Noah", "Tremblay", "Store Lead", 2, false, 0, false},
      {6, "Ava", "Singh", "Lab Manager", 1, false, 1, false}, {7, "Ben", "Carter", "Buyer", 2, false, 0, false},
      {8, "Olga", "Ivanova", "Account Rep", 3, false, 0, false}, {9, "Ray", "Stone", "Practice Manager", 1, true, 0, true},
      {10, "Kate", "Nguyen", "Partner Lead", 1, false, 0, false},
  };
  for (const Person& p : people) {
    const Company& co = w.companies[p.company];
    Contact c;
    c.id = static_cast<Id>(w.contacts.size()) + 1;
    c.company_id = co.id;
    c.site_id = co.primary_site_id;
    c.first_name = p.first;
    c.last_name = p.last;
    c.title = p.title;
    c.type_id = p.type;
    c.inactive = p.inactive;
    const std::string domain(specs[p.company].domain);
    c.emails.push_back(email_for(c, domain));
    for (int i = 0; i < p.extra_emails; ++i) c.emails.push_back("shared" + std::to_string(i + 1) + "@" + domain);
    c.phones.push_back({Phone::Kind::Work, phone(rng, specs[p.company].area), rng.chance(0.5) ? "101" : "", true});
    if (rng.chance(0.6)) c.phones.push_back({Phone::Kind::Mobile, phone(rng, specs[p.company].area), "", false});
    if (p.fax) c.phones.push_back({Phone::Kind::Fax, phone(rng, specs[p.company].area), "", false});
    stamp(rng, c.created, c.updated);
    w.contacts.push_back(std::move(c));
  }
  for (Company& co : w.companies)
    for (const Contact& c : w.contacts)
      if (c.company_id == co.id && !c.inactive) {
        co.default_contact_id = c.id;
        break;
      }
  // Configurations: three per company that is not a prospect or vendor, plus the special cases.
  for (const Company& co : w.companies) {
    if (co.type_id == 2 || co.type_id == 3) continue;
    Id contact = 0;
    for (const Contact& c : w.contacts)
      if (c.company_id == co.id) contact = contact ? contact : c.id;
    for (int i = 0; i < 3; ++i) {
      w.configurations.push_back(
          device(rng, static_cast<Id>(w.configurations.size()) + 1, co, co.primary_site_id, contact, co.short_name));
    }
  }
  {
    // Two MACs in one field, as an RMM writes them: 25 characters (ConnectWise's limit), over
    // IT Glue's 17.
    Configuration& multi = w.configurations[0];
    auto bare = [&] {
      std::string m = mac(rng);
      m.erase(std::remove(m.begin(), m.end(), ':'), m.end());
      return m;
    };
    multi.mac_address = bare() + "," + bare();
    multi.notes = "NIC team: two adapters reported by the RMM";
    // The contact (Maria Garcia, Northwind) is not at the device's company (Acme, Inc.).
    Configuration& foreign = w.configurations[1];
    foreign.contact_id = 6;
    foreign.notes = "Loaned to Northwind; contact is theirs";
    Configuration& no_serial = w.configurations[2];
    no_serial.serial_number.clear();
    no_serial.status_id = 3;
    no_serial.active = false;
    // A device at Acme's warehouse.
    w.configurations[3].site_id = 12;
  }
  return w;
}

World make_scale_world(std::size_t n, std::uint64_t seed) {
  World w;
  add_lookups(w);
  Rng rng(seed);
  const std::size_t n_companies = std::max<std::size_t>(1, n / 50);
  const std::size_t n_contacts = std::max<std::size_t>(1, n / 5);
  const std::size_t n_sites = std::max<std::size_t>(n_companies, n / 25);
  static const char* const kFirst[] = {"Blue", "Granite", "Summit", "Harbor", "Maple", "Silver", "Prairie", "Atlas",
                                       "Cedar", "Beacon", "Ridge", "Pioneer", "Lakeside", "Orchard", "Copper", "Falcon"};
  static const char* const kSecond[] = {"Dental", "Logistics", "Legal", "Accounting", "Clinic", "Manufacturing",
                                        "Realty", "Foods", "Engineering", "Insurance", "Architects", "Motors"};
  static const char* const kSuffix[] = {"LLC", "Inc.", "Ltd", "Group", "Co.", "Partners"};
  static const char* const kFirstNames[] = {"Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie",
                                            "Avery", "Quinn", "Drew", "Robin", "Chris", "Dana", "Elliot", "Frankie"};
  static const char* const kLastNames[] = {"Smith", "Johnson", "Brown", "Lee", "Garcia", "Martin", "Wilson", "Clark",
                                           "Lewis", "Walker", "Young", "King", "Wright", "Scott", "Green", "Baker"};
  static const char* const kTitles[] = {"Office Manager", "Owner", "Bookkeeper", "IT Contact", "Receptionist", "Director"};
  static const char* const kCities[] = {"Springfield", "Riverside", "Fairview", "Madison", "Georgetown", "Clinton"};
  w.companies.reserve(n_companies);
  for (std::size_t i = 0; i < n_companies; ++i) {
    Company c;
    c.id = static_cast<Id>(i) + 1;
    c.short_name = "C" + std::to_string(c.id);
    c.name = std::string(rng.pick(kFirst)) + ' ' + rng.pick(kSecond) + ' ' + rng.pick(kSuffix) + ' ' + std::to_string(c.id);
    const auto r = rng.below(100);
    c.type_id = r < 80 ? 1 : r < 90 ? 2 : r < 95 ? 3 : 4;
    c.status_id = rng.chance(0.9) ? 1 : 2;
    c.parent_id = (c.id > 10 && rng.chance(0.02)) ? rng.between(1, c.id - 1) : 0;
    c.address = {std::to_string(rng.between(1, 9999)) + " Commerce Dr", "", rng.pick(kCities),
                 static_cast<Id>(rng.between(1, 3)), std::to_string(rng.between(10001, 79999)), 1};
    c.phone = phone(rng, "555");
    c.fax = rng.chance(0.3) ? phone(rng, "555") : "";
    c.primary_site_id = c.id;  // site i+1 is company i+1's main site (below)
    stamp(rng, c.created, c.updated);
    w.companies.push_back(std::move(c));
  }
  w.sites.reserve(n_sites);
  for (std::size_t i = 0; i < n_sites; ++i) {
    const Company& co = w.companies[i % n_companies];
    const bool main = i < n_companies;
    w.sites.push_back(site(rng, static_cast<Id>(i) + 1, co, main ? "Main" : "Branch " + std::to_string(i / n_companies), main));
  }
  w.contacts.reserve(n_contacts);
  for (std::size_t i = 0; i < n_contacts; ++i) {
    const Company& co = w.companies[i % n_companies];
    Contact c;
    c.id = static_cast<Id>(i) + 1;
    c.company_id = co.id;
    c.site_id = co.primary_site_id;
    c.first_name = rng.pick(kFirstNames);
    c.last_name = rng.pick(kLastNames);
    c.title = rng.pick(kTitles);
    c.type_id = rng.between(1, 3);
    c.inactive = rng.chance(0.05);
    c.emails.push_back(email_for(c, "c" + std::to_string(co.id) + ".example"));
    c.phones.push_back({Phone::Kind::Work, phone(rng, "555"), "", true});
    stamp(rng, c.created, c.updated);
    w.contacts.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < n_companies && i < n_contacts; ++i) w.companies[i].default_contact_id = static_cast<Id>(i) + 1;
  w.configurations.reserve(n);
  const std::size_t contacts_per_company = std::max<std::size_t>(1, n_contacts / n_companies);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t ci = i % n_companies;
    const Company& co = w.companies[ci];
    const std::size_t k = (i / n_companies) % contacts_per_company;
    const std::size_t contact_index = k * n_companies + ci;
    const Id contact = contact_index < n_contacts ? static_cast<Id>(contact_index) + 1 : 0;
    w.configurations.push_back(device(rng, static_cast<Id>(i) + 1, co, co.primary_site_id, contact, co.short_name));
  }
  return w;
}

std::string merge_world(World& world, World&& extra) {
  auto merge = [](auto& into, auto&& from, const char* what) -> std::string {
    std::unordered_set<Id> ids;
    for (const auto& r : into) ids.insert(r.id);
    for (const auto& r : from) {
      if (r.id <= 0) return std::string("seed file: every ") + what + " needs a positive id";
      if (!ids.insert(r.id).second)
        return std::string("seed file: ") + what + " id " + std::to_string(r.id) + " is already in the seeded world";
    }
    for (auto& r : from) into.push_back(std::move(r));
    return "";
  };
  std::string err;
  if (err.empty()) err = merge(world.countries, std::move(extra.countries), "country");
  if (err.empty()) err = merge(world.regions, std::move(extra.regions), "region");
  if (err.empty()) err = merge(world.company_types, std::move(extra.company_types), "company type");
  if (err.empty()) err = merge(world.company_statuses, std::move(extra.company_statuses), "company status");
  if (err.empty()) err = merge(world.configuration_types, std::move(extra.configuration_types), "configuration type");
  if (err.empty()) err = merge(world.configuration_statuses, std::move(extra.configuration_statuses), "configuration status");
  if (err.empty()) err = merge(world.contact_types, std::move(extra.contact_types), "contact type");
  if (err.empty()) err = merge(world.manufacturers, std::move(extra.manufacturers), "manufacturer");
  if (err.empty()) err = merge(world.technicians, std::move(extra.technicians), "technician");
  if (err.empty()) err = merge(world.companies, std::move(extra.companies), "company");
  if (err.empty()) err = merge(world.sites, std::move(extra.sites), "site");
  if (err.empty()) err = merge(world.contacts, std::move(extra.contacts), "contact");
  if (err.empty()) err = merge(world.configurations, std::move(extra.configurations), "configuration");
  return err;
}

World products_only(World w) {
  Company holder = w.companies.front();
  holder.name = "Product Holder Co";
  holder.short_name = "PRODHOLDER";
  holder.parent_id = holder.primary_site_id = holder.default_contact_id = 0;
  w.companies = {holder};
  w.sites.clear();
  w.contacts.clear();
  for (auto& c : w.configurations) {
    c.company_id = holder.id;
    c.contact_id = c.site_id = 0;
    c.name = "holder-" + std::to_string(c.id);
  }
  return w;
}

}  // namespace cairn::sim
