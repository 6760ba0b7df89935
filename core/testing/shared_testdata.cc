#include "bulwark/core/testing/shared_testdata.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace bulwark::core::testing {
namespace {

// The repository root: the real location of the WORKSPACE file that //:repo_root_marker puts in
// the test's runfiles (runfiles are symlinks into the source tree).
std::string RepositoryRoot() {
  const char* runfiles = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (runfiles == nullptr || workspace == nullptr) return "";
  std::string marker = absl::StrCat(runfiles, "/", workspace, "/WORKSPACE");
  char resolved[PATH_MAX];
  if (realpath(marker.c_str(), resolved) == nullptr) return "";
  std::string root(resolved);
  return root.substr(0, root.rfind('/'));
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

absl::StatusOr<std::string> SharedDataPath(absl::string_view relative) {
  const char* override_dir = std::getenv("BULWARK_SHARED_DIR");
  std::string shared = override_dir != nullptr && override_dir[0] != '\0'
                           ? std::string(override_dir)
                           : absl::StrCat(RepositoryRoot(), "/../shared");
  std::string path = absl::StrCat(shared, "/", relative);
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("shared test data not found at ", path,
                     IsDirectory(shared)
                         ? ""
                         : " (no ../shared beside the repository root; set BULWARK_SHARED_DIR)"));
  }
  return path;
}

bool RunningInCi() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  std::string value(ci);
  return !value.empty() && value != "false" && value != "0";
}

}  // namespace bulwark::core::testing
