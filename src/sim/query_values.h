#pragma once
// Values the emulators' query languages compare: numbers as the grammars write them and ISO-8601
// instants. One reading for ConnectWise's conditions and Autotask's filters, so both PSAs'
// emulators compare a date or a number the same way.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace cairn::sim::query {

struct Num {
  bool is_int = true;
  std::int64_t i = 0;
  double d = 0;
};

// -1, 0 or 1; integers exactly, anything else as doubles.
int compare_num(const Num& a, const Num& b);
// -?digits(.digits)? only: from_chars alone would also take "inf" or "1e5", which neither PSA does.
std::optional<Num> parse_number_text(std::string_view s);
std::optional<Num> json_number(const nlohmann::json& v);
// YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|±HH[:]MM]] as microseconds since the Unix epoch; no zone is
// UTC; fractions beyond 6 digits are truncated (.NET clients send 7).
std::optional<std::int64_t> parse_datetime(std::string_view s);

}  // namespace cairn::sim::query
