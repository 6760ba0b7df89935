// A gtest fixture base for tests that sign, attest or attach to an OCI layout: each test gets
// its own writable copy of the shared Trivy test layout (one image, no signatures yet), so
// what one test writes never reaches another. Testonly.
#ifndef BULWARK_IMAGE_SIGN_TESTING_LAYOUT_COPY_TEST_BASE_H_
#define BULWARK_IMAGE_SIGN_TESTING_LAYOUT_COPY_TEST_BASE_H_

#include <string>

#include "gtest/gtest.h"

namespace bulwark::sign::testing {

class LayoutCopyTestBase : public ::testing::Test {
 protected:
  // Copies ../shared's trivy test.oci to $TEST_TMPDIR/<test name> (replacing an older copy) and
  // sets layout_. Missing shared data skips the test locally and fails it in CI; derived
  // SetUp methods call this first and return when IsSkipped() or HasFatalFailure().
  void SetUp() override;

  std::string layout_;
};

}  // namespace bulwark::sign::testing

#endif  // BULWARK_IMAGE_SIGN_TESTING_LAYOUT_COPY_TEST_BASE_H_
