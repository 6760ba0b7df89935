// Test support (testonly): hand-made layers driven through LayerVisitors, with content served
// from strings, so visitors are tested without tarballs or the layer walker.
//   std::vector<TestLayer> layers = {{Dir("etc"), File("etc/passwd", "root:x:0:0")},
//                                    {Whiteout("etc/passwd")}};
//   ASSERT_THAT(WalkTestLayers(layers, {&builder}), IsOk());
// Thread safety: plain functions and values.
#ifndef BULWARK_IMAGE_INTERNAL_VISITOR_TESTING_H_
#define BULWARK_IMAGE_INTERNAL_VISITOR_TESTING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/image/layer_entry.h"
#include "bulwark/image/layer_visitor.h"

namespace bulwark::image::testing {

struct TestEntry {
  LayerEntry entry;
  std::string content;  // Regular files.
};
using TestLayer = std::vector<TestEntry>;

TestEntry Dir(std::string path, uint32_t mode = 0755);
TestEntry File(std::string path, std::string content = "", uint32_t mode = 0644);
TestEntry Symlink(std::string path, std::string target);
TestEntry Hardlink(std::string path, std::string target);
TestEntry Device(std::string path, EntryType type, uint32_t major, uint32_t minor);
// ".wh.<name>" next to `path` (hides `path`).
TestEntry Whiteout(absl::string_view path);
// "<dir>/.wh..wh..opq" ("" is the root).
TestEntry Opaque(absl::string_view dir);

// Calls OnLayerStart, OnEntry (with a ContentReader over `content` for regular files the visitor
// wants) and OnLayerEnd on each visitor, layer i having index i. Stops at the first error.
absl::Status WalkTestLayers(absl::Span<const TestLayer> layers,
                            absl::Span<LayerVisitor* const> visitors);

}  // namespace bulwark::image::testing

#endif  // BULWARK_IMAGE_INTERNAL_VISITOR_TESTING_H_
