#include "core/psa_record.h"

namespace cairn::core {

const char* entity_type(SyncEntity e) {
  switch (e) {
    case SyncEntity::Organization: return "organizations";
    case SyncEntity::Location: return "locations";
    case SyncEntity::Contact: return "contacts";
    case SyncEntity::Configuration: return "configurations";
  }
  return "";
}

const char* link_entity(SyncEntity e) {
  switch (e) {
    case SyncEntity::Organization: return "organization";
    case SyncEntity::Location: return "location";
    case SyncEntity::Contact: return "contact";
    case SyncEntity::Configuration: return "configuration";
  }
  return "";
}

}  // namespace cairn::core
