// gMock matchers for absl::Status and absl::StatusOr (testonly).
//   EXPECT_THAT(ParseJson("[1"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1:3")));
//   ASSERT_THAT(Digest::Parse(text), IsOk());
// Thread safety: matchers are stateless.
#ifndef BULWARK_CORE_STATUS_MATCHERS_H_
#define BULWARK_CORE_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace bulwark::core::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }

template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace internal

// Matches an OK absl::Status or an absl::StatusOr holding a value.
MATCHER(IsOk, negation ? "is not OK" : "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status: " << status;
  return status.ok();
}

// Matches a Status (or StatusOr) whose code equals `code` and whose message matches
// `message_matcher` (default: anything).
MATCHER_P2(StatusIs, code, message_matcher,
           std::string(negation ? "doesn't have" : "has") + " code " +
               absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status: " << status;
  return status.code() == code && ::testing::Matches(::testing::Matcher<const std::string&>(
                                      message_matcher))(std::string(status.message()));
}

MATCHER_P(StatusIs, code,
          std::string(negation ? "doesn't have" : "has") + " code " +
              absl::StatusCodeToString(code)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status: " << status;
  return status.code() == code;
}

}  // namespace bulwark::core::testing

#endif  // BULWARK_CORE_STATUS_MATCHERS_H_
