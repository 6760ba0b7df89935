// For fuzz targets whose entry point takes a path: one scratch file per process (under
// $TEST_TMPDIR, else /tmp), rewritten for every input.
//   WriteScratchFile("tar_archive_fuzzer", bytes);
//   Image::Open(ScratchFilePath("tar_archive_fuzzer"));
// Thread safety: none needed; libFuzzer runs inputs one at a time.
#ifndef BULWARK_TESTS_FUZZ_SCRATCH_FILE_H_
#define BULWARK_TESTS_FUZZ_SCRATCH_FILE_H_

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace bulwark::fuzzing {

// The scratch path of fuzzer `name` in this process.
inline std::string ScratchFilePath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name + "." + std::to_string(getpid()) + ".tar";
}

// Replaces the scratch file's content with `content`; returns its path.
inline std::string WriteScratchFile(const std::string& name, const std::string& content) {
  std::string path = ScratchFilePath(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

}  // namespace bulwark::fuzzing

#endif  // BULWARK_TESTS_FUZZ_SCRATCH_FILE_H_
