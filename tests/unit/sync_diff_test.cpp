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

void expect_change(const sync::FieldChange& c, const std::string& field, const core::Value& old_value,
                   const core::Value& new_value, const std::string& old_text, const std::string& new_text) {
  EXPECT_EQ(c.field, field);
  EXPECT_EQ(c.old_value, old_value) << field;
  EXPECT_EQ(c.new_value, new_value) << field;
  EXPECT_EQ(c.old_text, old_text) << field;
  EXPECT_EQ(c.new_text, new_text) << field;
}

}  // namespace

TEST(SyncDiff, ACreateSetsEveryFilledField_FromNothing_WithNamesForReferences) {
  const auto changes = sync::diff(desired(), nullptr);
  ASSERT_EQ(changes.size(), 3u);  // blank and null fields are not set; in the order of their names
  expect_change(changes[0], "configuration_type_id", core::Value(), core::Value(std::int64_t{7}), "(none)", "Workstation");
  expect_change(changes[1], "name", core::Value(), core::Value("Front desk PC"), "(none)", "Front desk PC");
  expect_change(changes[2], "serial_number", core::Value(), core::Value("SN-1"), "(none)", "SN-1");
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
  expect_change(changes[0], "configuration_type_id", core::Value(std::int64_t{3}), core::Value(std::int64_t{7}), "Server",
                "Workstation");
  expect_change(changes[1], "notes", core::Value("kept by hand"), core::Value(), "kept by hand", "(empty)");
  expect_change(changes[2], "serial_number", core::Value("SN-0"), core::Value("SN-1"), "SN-0", "SN-1");

  // A field the local record lacks changes from nothing.
  local.values.erase("serial_number");
  const auto again = sync::diff(desired(), &local);
  ASSERT_EQ(again.size(), 3u);
  expect_change(again[2], "serial_number", core::Value(), core::Value("SN-1"), "(empty)", "SN-1");
}

TEST(SyncDiff, TheMovingDiffGivesTheSameChanges_AndTheCopyingOneLeavesItsInputAsItWas) {
  const sync::Desired original = desired();
  const auto copied = sync::diff(original, nullptr);  // const: copies
  EXPECT_EQ(original.values.at("name"), core::Value("Front desk PC"));
  EXPECT_EQ(original.values.at("serial_number"), core::Value("SN-1"));

  sync::Desired given_up = desired();
  const auto moved = sync::diff(std::move(given_up), nullptr);
  ASSERT_EQ(moved.size(), copied.size());
  for (size_t i = 0; i < moved.size(); ++i)
    expect_change(moved[i], copied[i].field, copied[i].old_value, copied[i].new_value, copied[i].old_text, copied[i].new_text);
}
