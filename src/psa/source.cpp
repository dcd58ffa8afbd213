#include "psa/source.h"

namespace cairn::psa {

// Connectors without two-way (Tigerpaw, one-way only) keep these; the message reaches the record.
core::PsaRecord Source::update(const core::PsaRecord&, const std::string&) {
  throw PushError(501, "this connector cannot push changes to its PSA yet");
}

core::PsaRecord Source::create(const core::PsaRecord&, const std::string&, const std::string&) {
  throw PushError(501, "this connector cannot create records in its PSA yet");
}

}  // namespace cairn::psa
