// diff(): the field changes that make a local record hold what the PSA says (D8), with the old and
// new values and what a person reads for each. The rule cases check which fields change; these
// check each change's values and texts.
#include <gtest/gtest.h>

#include "sync/reconcile.h"

using namespace cairn;

namespace {

sync::Desired desired() {
  sync::Desired d;
  d.values = {{"name", core::Value("Front desk PC")},
              {"configuration_type_id", core::Value(std::int64_t{7})},
              {"serial_number", core::Value("SN-1")},
              {"asset_tag", core::Value("")},
              {"notes", core::Value()}};
  d.texts = {{"configuration_type_id", "Workstation"}};
  return d;
}

}  // namespace

TEST(SyncDiff, ACreateSetsEveryFilledField_FromNothing_WithNamesForReferences) {
  const auto changes = sync::diff(desired(), nullptr);
  ASSERT_EQ(changes.size(), 3u);  // blank and null fields are not set; in the order of their names
  EXPECT_EQ(changes[0].field, "configuration_type_id");
  EXPECT_TRUE(changes[0].old_value.is_null());
  EXPECT_EQ(changes[0].new_value, core::Value(std::int64_t{7}));
  EXPECT_EQ(changes[0].old_text, "(none)");
  EXPECT_EQ(changes[0].new_text, "Workstation");
  EXPECT_EQ(changes[1].field, "name");
  EXPECT_EQ(changes[1].new_value, core::Value("Front desk PC"));
  EXPECT_EQ(changes[1].new_text, "Front desk PC");
  EXPECT_EQ(changes[2].field, "serial_number");
  EXPECT_EQ(changes[2].old_text, "(none)");
}

TEST(SyncDiff, AnUpdateChangesOnlyWhatDiffers_WithTheOldValuesAndTheirTexts) {
  sync::LocalRecord local;
  local.id = 42;
  local.values = {{"name", core::Value("Front desk PC")},               // the same
                  {"configuration_type_id", core::Value(std::int64_t{3})},  // another type
                  {"serial_number", core::Value("SN-0")},               // another serial
                  {"asset_tag", core::Value()},                         // blank either way
                  {"notes", core::Value("kept by hand")}};              // the PSA clears it
  local.texts = {{"configuration_type_id", "Server"}};
  const auto changes = sync::diff(desired(), &local);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].field, "configuration_type_id");
  EXPECT_EQ(changes[0].old_value, core::Value(std::int64_t{3}));
  EXPECT_EQ(changes[0].old_text, "Server");
  EXPECT_EQ(changes[0].new_text, "Workstation");
  EXPECT_EQ(changes[1].field, "notes");
  EXPECT_EQ(changes[1].old_value, core::Value("kept by hand"));
  EXPECT_EQ(changes[1].old_text, "kept by hand");
  EXPECT_TRUE(changes[1].new_value.is_null());
  EXPECT_EQ(changes[1].new_text, "(empty)");
  EXPECT_EQ(changes[2].field, "serial_number");
  EXPECT_EQ(changes[2].old_value, core::Value("SN-0"));
  EXPECT_EQ(changes[2].old_text, "SN-0");
  EXPECT_EQ(changes[2].new_value, core::Value("SN-1"));

  // A field the local record lacks changes from nothing.
  local.values.erase("serial_number");
  const auto again = sync::diff(desired(), &local);
  ASSERT_EQ(again.size(), 3u);
  EXPECT_TRUE(again[2].old_value.is_null());
  EXPECT_EQ(again[2].old_text, "(empty)");
}
