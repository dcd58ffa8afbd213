#pragma once
// ConnectWise's JSON for each record type: written straight into a core::JsonWriter (list pages are
// the hot path) and read back from a request body. One Wire<R> per record type.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/json_writer.h"
#include "sim/connectwise/store.h"

namespace cairn::sim::connectwise {

// One errors[] entry of a 400 InvalidObject answer.
struct FieldError {
  std::string code;  // MissingRequiredField, InvalidField, FieldTooLong, DuplicateValue
  std::string message;
  std::string field;
};
using Errors = std::vector<FieldError>;

// A field's value as the fast condition path sees it (conditions on id, last-updated, reference
// ids and flags are evaluated on the struct, without building JSON).
struct FastValue {
  enum class Kind { Unsupported, Missing, Int, Bool };
  Kind kind = Kind::Unsupported;
  std::int64_t value = 0;
};

#define CAIRN_CW_WIRE(R)                                                                      \
  template <>                                                                                 \
  struct Wire<R> {                                                                            \
    static const char* const resource; /* errors[].resource and "<resource> object is invalid" */ \
    static const char* const noun;     /* "<Noun> 5 not found" */                              \
    static const char* const callback_type; /* "" when changes fire no callback */            \
    static Table<R>& table(Store& s);                                                         \
    static void write(core::JsonWriter& w, const R& r, const Store& s);                        \
    /* Fills r (a default record) from a full JSON body; r.id and r.info are left alone. */   \
    static void read(const nlohmann::json& j, R& r, const Store& s, Errors& e);               \
    /* Required fields and cross-record rules, after read. */                                 \
    static void check(const R& r, const Store& s, Errors& e);                                 \
    /* What an update through the API may not change: copied back from the old record. */     \
    static void keep(const R& old, R& updated, bool api_update);                              \
    static FastValue fast(const R& r, std::string_view folded_path);                          \
    static Id company_of(const R& r); /* for callback levels; 0 when none */                  \
  };

template <typename R>
struct Wire;
CAIRN_CW_WIRE(Country)
CAIRN_CW_WIRE(State)
CAIRN_CW_WIRE(Member)
CAIRN_CW_WIRE(CommunicationType)
CAIRN_CW_WIRE(CompanyType)
CAIRN_CW_WIRE(CompanyStatus)
CAIRN_CW_WIRE(ConfigurationType)
CAIRN_CW_WIRE(ConfigurationStatus)
CAIRN_CW_WIRE(ContactType)
CAIRN_CW_WIRE(Manufacturer)
CAIRN_CW_WIRE(Company)
CAIRN_CW_WIRE(Site)
CAIRN_CW_WIRE(Contact)
CAIRN_CW_WIRE(Configuration)
CAIRN_CW_WIRE(Callback)
#undef CAIRN_CW_WIRE

}  // namespace cairn::sim::connectwise
