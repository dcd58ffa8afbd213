#include "sim/tigerpaw/records.h"

#include <cctype>

#include "sim/tigerpaw/assumptions.h"

namespace cairn::sim::tigerpaw {

namespace {

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

const PhoneNumber* pick(const std::vector<PhoneNumber>& phones, bool fax) {
  const PhoneNumber* first = nullptr;
  for (const auto& p : phones) {
    if (p.is_fax() != fax) continue;
    if (p.is_primary) return &p;
    if (!first) first = &p;
  }
  return first;
}

}  // namespace

bool PhoneNumber::is_fax() const { return ieq(location, assumed::kFaxLocation); }

const LookupEntry* Store::find_value(const std::vector<LookupEntry>& table, std::string_view value) {
  for (const auto& e : table)
    if (ieq(e.value, value)) return &e;
  return nullptr;
}

const PhoneNumber* primary_phone(const std::vector<PhoneNumber>& phones) { return pick(phones, false); }
const PhoneNumber* primary_fax(const std::vector<PhoneNumber>& phones) { return pick(phones, true); }

}  // namespace cairn::sim::tigerpaw
