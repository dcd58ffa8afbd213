#pragma once
// The exact matching keys per PSA and entity (reference-behaviour.md §2, D1, D3, D5), as data.
// Two values match when equal byte for byte after trimming white space (D1); a part marked
// `only_if_both` is compared only where both sides have a value (D3: a blank never blocks).
#include <string>
#include <vector>

#include "core/psa_record.h"
#include "core/value.h"

namespace cairn::sync {

struct KeyPart {
  std::string field;  // Cairn attribute; references compare as resolved local ids
  bool only_if_both = false;
};

struct MatchKey {
  std::vector<KeyPart> parts;
  std::string describe() const;  // "organization_id + first_name + last_name"
};

// kind: connectwise, autotask, bms, pulseway, tigerpaw.
const MatchKey& match_key(const std::string& kind, core::SyncEntity entity);

// D1: leading and trailing white space trimmed, nothing else.
std::string trimmed(const std::string& s);
// D2: lower case, letters and digits only, for near-miss reports ("Acme, Inc." ~ "acme inc").
std::string loose(const std::string& s);
// A value as the matcher compares it.
std::string key_text(const core::Value& v);

}  // namespace cairn::sync
