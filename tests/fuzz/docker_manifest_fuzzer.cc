// Fuzzes docker-archive `manifest.json` parsing and image loading through Image::Open: the input
// is the manifest.json of a docker-archive whose other members are fixed (a config, a layer, a
// symlinked "<id>/layer.tar", a symlink loop, a link leaving the archive), so member names the
// fuzzer writes resolve against real members. An image that opens is walked. It must never crash
// or hang under small Limits.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"
#include "tests/fuzz/scratch_file.h"

namespace {

// A ustar header block for `name` (type '0' file, '2' symlink, '5' directory).
std::string Header(const std::string& name, char type, size_t size, const std::string& link) {
  std::string block(512, '\0');
  std::memcpy(&block[0], name.data(), std::min<size_t>(name.size(), 100));
  std::snprintf(&block[100], 8, "%07o", 0644);
  std::snprintf(&block[108], 8, "%07o", 0);
  std::snprintf(&block[116], 8, "%07o", 0);
  std::snprintf(&block[124], 12, "%011zo", size);
  std::snprintf(&block[136], 12, "%011o", 0);
  block[156] = type;
  std::memcpy(&block[157], link.data(), std::min<size_t>(link.size(), 100));
  std::memcpy(&block[257],
              "ustar\0"
              "00",
              8);
  std::memset(&block[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  std::snprintf(&block[148], 8, "%06o", sum);
  return block;
}

std::string Member(const std::string& name, const std::string& content) {
  std::string out = Header(name, '0', content.size(), "");
  out += content;
  out.append((512 - content.size() % 512) % 512, '\0');
  return out;
}

std::string Symlink(const std::string& name, const std::string& target) {
  return Header(name, '2', 0, target);
}

// Every member but manifest.json, built once.
const std::string& FixedMembers() {
  static const std::string* members = [] {
    using bulwark::core::DigestAlgorithm;
    using bulwark::core::DigestBytes;
    std::string layer = Member("etc/hostname", "fuzz\n") + std::string(1024, '\0');
    std::string diff_id = DigestBytes(DigestAlgorithm::kSha256, layer).ToString();
    std::string config = absl::StrCat(
        R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")", diff_id,
        R"("]},"history":[{"created_by":"fuzz"}]})");
    std::string config_name =
        absl::StrCat(DigestBytes(DigestAlgorithm::kSha256, config).Hex(), ".json");
    return new std::string(Member(config_name, config) + Member("config.json", config) +
                           Member("abc/layer.tar", layer) +
                           Symlink("def/layer.tar", "../abc/layer.tar") + Symlink("loop/a", "b") +
                           Symlink("loop/b", "a") +
                           Symlink("out/layer.tar", "../../../etc/passwd") +
                           Symlink("abs/layer.tar", "/abc/layer.tar"));
  }();
  return *members;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::image;  // NOLINT: a fuzz entry point.
  const std::string path = bulwark::fuzzing::WriteScratchFile(
      "docker_manifest_fuzzer",
      FixedMembers() +
          Member("manifest.json", std::string(reinterpret_cast<const char*>(data), size)) +
          std::string(1024, '\0'));
  OpenOptions options;
  options.limits.max_total_bytes = 1 << 20;
  options.limits.max_entries = 1000;
  options.limits.max_file_bytes = 64 << 10;
  options.limits.max_depth = 64;
  auto image = Image::Open(path, options);
  if (!image.ok()) return 0;
  if ((*image)->format() != ImageFormat::kDockerArchive) std::abort();
  FilesystemBuilder builder(options.limits);
  LayerVisitor* visitors[] = {&builder};
  WalkOptions walk;
  walk.limits = options.limits;
  (void)(*image)->Walk(visitors, walk);
  return 0;
}
