#include "bulwark/image/sign/testing/layout_copy_test_base.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "bulwark/core/testing/shared_testdata.h"

namespace bulwark::sign::testing {

void LayoutCopyTestBase::SetUp() {
  BULWARK_SHARED_PATH_OR_SKIP(source, "conformance/oci/trivy/pkg/fanal/test/testdata/test.oci");
  layout_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(layout_);
  std::filesystem::copy(source, layout_, std::filesystem::copy_options::recursive);
}

}  // namespace bulwark::sign::testing
