// When `cairn serve` runs a directory source's import (D23, issue 7): schedule_hours after its
// last import, done or failed; never with schedule_hours 0.
#include <gtest/gtest.h>

#include "core/time.h"
#include "store/directory_import_runs.h"

using namespace cairn;

TEST(DirectoryImportSchedule, DueWhenNeverImportedOrTheLastImportIsScheduleHoursOld) {
  const auto now = *core::parse_datetime("2026-03-01T12:00:00Z");
  EXPECT_TRUE(store::import_due(24, std::nullopt, now));
  EXPECT_FALSE(store::import_due(24, std::string("2026-03-01T00:00:00.000Z"), now));
  EXPECT_TRUE(store::import_due(12, std::string("2026-03-01T00:00:00.000Z"), now));
  EXPECT_TRUE(store::import_due(24, std::string("2026-02-28T11:59:59.000Z"), now));
}

TEST(DirectoryImportSchedule, ZeroHoursMeansOnlyWhenAsked) {
  const auto now = *core::parse_datetime("2026-03-01T12:00:00Z");
  EXPECT_FALSE(store::import_due(0, std::nullopt, now));
  EXPECT_FALSE(store::import_due(0, std::string("2020-01-01T00:00:00.000Z"), now));
}
