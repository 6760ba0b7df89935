#include "bulwark/core/status_macros.h"

#include <memory>
#include <string>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;

absl::StatusOr<std::unique_ptr<int>> MakeInt(bool ok, int* calls) {
  ++*calls;
  if (!ok) return absl::DataLossError("bad blob");
  return std::make_unique<int>(7);
}

absl::StatusOr<int> Twice(bool ok, int* calls) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<int> value, MakeInt(ok, calls));
  BULWARK_ASSIGN_OR_RETURN(auto again, MakeInt(ok, calls));
  return *value + *again;
}

absl::Status Check(bool ok, int* calls) {
  BULWARK_RETURN_IF_ERROR(MakeInt(ok, calls).status());
  return absl::OkStatus();
}

TEST(StatusMacrosTest, AssignOrReturnMovesValuesAndEvaluatesOnce) {
  int calls = 0;
  EXPECT_EQ(*Twice(true, &calls), 14);
  EXPECT_EQ(calls, 2);
}

TEST(StatusMacrosTest, ErrorsPassThroughUnchanged) {
  int calls = 0;
  EXPECT_THAT(Twice(false, &calls), StatusIs(absl::StatusCode::kDataLoss, "bad blob"));
  EXPECT_EQ(calls, 1);
  EXPECT_THAT(Check(false, &calls), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(Check(true, &calls), IsOk());
}

TEST(StatusMatchersTest, DescribeMismatches) {
  EXPECT_THAT(absl::OkStatus(), ::testing::Not(StatusIs(absl::StatusCode::kNotFound)));
  EXPECT_THAT(absl::NotFoundError("x"), ::testing::Not(IsOk()));
  EXPECT_THAT(absl::StatusOr<int>(3), IsOk());
}

}  // namespace
}  // namespace bulwark::core
