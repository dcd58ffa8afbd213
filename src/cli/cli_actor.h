#pragma once
// Who the audit trail names for a change made on the command line: the operating-system user.
#include "store/audit.h"

namespace cairn::cli {

store::Actor cli_actor();

}  // namespace cairn::cli
