// An image's build history as Dockerfile-like steps: each config history entry mapped to the
// manifest layer it made (empty_layer entries make none), with its created_by text rebuilt into
// an instruction as the classic builder and BuildKit write them.
//   BuildHistory history = RebuildHistory(config, manifest.layers.size());
//   for (const BuildStep& step : history.steps) Print(step.instruction, step.arguments);
//   for (const std::string& warning : history.warnings) Log(warning);
// Thread safety: plain value types and pure functions.
#ifndef BULWARK_IMAGE_HISTORY_H_
#define BULWARK_IMAGE_HISTORY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

// One history entry as a build step.
struct BuildStep {
  // "RUN", "COPY", "ENV", ... in upper case; empty when created_by is not a recognised form
  // (other builders write free text), which then stays whole in `arguments`.
  std::string instruction;
  // What follows the instruction: `A=b` for `ENV A=b`, `["x"]` for `CMD ["x"]`,
  // `file:abc in /` for an ADD, the shell command for a RUN (without "/bin/sh -c").
  std::string arguments;
  // Build arguments a RUN was given (`RUN |2 A=b C=d /bin/sh -c ...`), in order.
  std::vector<std::pair<std::string, std::string>> build_args;
  // True when created_by carries BuildKit's " # buildkit" marker.
  bool buildkit = false;
  // created_by as written.
  std::string original;
  // Index into the manifest's layers of the layer this step made; unset for empty_layer steps
  // and for steps beyond the layers the manifest has.
  std::optional<size_t> layer_index;
  bool empty_layer = false;
  std::string created;
  std::string author;
  std::string comment;
};

struct BuildHistory {
  std::vector<BuildStep> steps;
  // Problems that leave the steps usable, e.g. a history that names more or fewer layer-making
  // steps than the manifest has layers (layers are then given out in order while they last).
  std::vector<std::string> warnings;
};

// Maps config.history to `layer_count` layers (the manifest's layers, in order) and rebuilds
// each step.
BuildHistory RebuildHistory(const ImageConfig& config, size_t layer_count);

// Rebuilds one created_by text: strips "/bin/sh -c #(nop) " (giving e.g. `ENV A=b`), turns
// "/bin/sh -c X" into `RUN X`, reads BuildKit's forms (`RUN |2 A=b C=d /bin/sh -c X # buildkit`,
// `COPY src dst # buildkit`, `WORKDIR /app`, ...). The layer fields are left unset.
BuildStep ParseCreatedBy(absl::string_view created_by);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_HISTORY_H_
