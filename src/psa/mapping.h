#pragma once
// A PSA's field mapping as data (reference-behaviour.md §2): one row per Cairn attribute with the
// PSA's JSON path, the direction, and how the value is read. Codecs are generic over these rows.
#include <string>
#include <vector>

#include "core/psa_record.h"

namespace cairn::psa {

enum class Direction {
  TwoWay,
  PsaToCairn,
  // Cairn → PSA in a create only, never read back or updated: a value the PSA requires of a new
  // record that Cairn keeps elsewhere (an Autotask company's phone, from its primary location).
  CairnToPsaOnCreate,
};

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
  Active,    // D26: a PSA active flag (true/false or 1/0) standing for the status "Active"/"Inactive"
  EmailSlot, // one fixed email field (Autotask emailAddress) → a contact_emails row labelled `label`
  PhoneSlot, // one fixed phone field → a contact_phones row labelled `label`; `extension` names its extension field
  FaxSlot,   // one fixed fax field → a contact_phones row of kind fax
  Deleted,   // a flag by which the PSA marks a record deleted yet still returns it (ConnectWise companies)
  Inactive,  // a flag by which the PSA retires a record that then does not sync (Tigerpaw contacts): PsaRecord::active
};

struct MappingRow {
  core::SyncEntity entity;
  std::string cairn;  // Cairn attribute
  // PSA JSON path, "/"-separated; "types[]/name" reads every element; "a|b" reads b where a is
  // missing or blank (an Autotask CI's name falls back to its product's name).
  std::string path;
  Direction direction = Direction::TwoWay;
  Read read = Read::Text;
  core::SyncEntity ref = core::SyncEntity::Organization;  // Read::Ref: what the id points at
  std::string label = {};      // the slots: the label Cairn gives the email or phone ("Work", "Mobile")
  std::string extension = {};  // Read::PhoneSlot: the path of the slot's extension, "" for none
};

using Mapping = std::vector<MappingRow>;

}  // namespace cairn::psa
