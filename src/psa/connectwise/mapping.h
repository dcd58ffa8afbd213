#pragma once
#include "psa/mapping.h"

namespace cairn::psa::connectwise {

// reference-behaviour.md §2.1: ConnectWise Manage ⇄ Cairn.
const Mapping& mapping();

}  // namespace cairn::psa::connectwise
