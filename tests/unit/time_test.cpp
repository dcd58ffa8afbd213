#include <gtest/gtest.h>

#include "core/time.h"

using namespace cairn::core;

TEST(Time, Rfc3339_HasMillisecondsAndZ) {
  EXPECT_EQ(rfc3339(Clock::from_time_t(0)), "1970-01-01T00:00:00.000Z");
}

TEST(Time, NormalizeDatetime_AcceptsDatesOffsetsAndFractions) {
  EXPECT_EQ(normalize_datetime("2024-02-29"), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(normalize_datetime("2024-03-01T10:00:00+02:00"), "2024-03-01T08:00:00.000Z");
  EXPECT_EQ(normalize_datetime("2024-03-01T10:00:00.5Z"), "2024-03-01T10:00:00.500Z");
}

TEST(Time, NormalizeDatetime_RefusesNonsense) {
  EXPECT_FALSE(normalize_datetime("2023-02-29"));
  EXPECT_FALSE(normalize_datetime("yesterday"));
  EXPECT_FALSE(normalize_datetime("2024-03-01T25:00:00Z"));
  EXPECT_FALSE(normalize_datetime("2024-03-01T10:00:00Zjunk"));
}
