#pragma once
// A PSA's field mapping as data (reference-behaviour.md §2): one row per Cairn attribute with the
// PSA's JSON path, the direction, and how the value is read. Codecs are generic over these rows.
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

enum class Direction { TwoWay, PsaToCairn };

enum class Read {
  Text,      // a string (numbers are written as text)
  Bool,      // true/false, or 1/0
  Date,      // an ISO date-time; Cairn keeps the date (YYYY-MM-DD)
  Mac,       // R10: one well-formed MAC address of at most 17 characters, else left alone
  Lookup,    // a name Cairn keeps as a lookup (manufacturer, region, ...)
  Types,     // the record's type name(s); a path ending in [] reads every element (D25)
  Status,    // the record's status name
  Ref,       // the PSA id of another PSA record
  Emails,    // ConnectWise communication items of type Email → contact_emails rows
  Phones,    // ConnectWise communication items of type Phone or Fax → contact_phones rows
};

struct MappingRow {
  core::SyncEntity entity;
  std::string cairn;  // Cairn attribute
  std::string path;   // PSA JSON path, "/"-separated; "types[]/name" reads every element
  Direction direction = Direction::TwoWay;
  Read read = Read::Text;
  core::SyncEntity ref = core::SyncEntity::Organization;  // Read::Ref: what the id points at
};

using Mapping = std::vector<MappingRow>;

}  // namespace cairn::psa
