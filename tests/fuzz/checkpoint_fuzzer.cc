// Transparency-log checkpoints (signed notes) and Rekor entry bodies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/image/sign/tlog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<bulwark::sign::Checkpoint> checkpoint = bulwark::sign::ParseCheckpoint(text);
  if (checkpoint.ok()) {
    (void)bulwark::sign::VerifyCheckpoint(*checkpoint, {});
    bulwark::sign::InclusionProof proof;
    proof.tree_size = checkpoint->tree_size;
    proof.log_index = checkpoint->tree_size / 2;
    proof.root_hash = checkpoint->root_hash;
    proof.hashes.assign(3, std::string(32, 'h'));
    proof.checkpoint = text;
    (void)bulwark::sign::VerifyInclusionProof("leaf", proof, {});
  }
  (void)bulwark::sign::ParseHashedRekordBody(text);
  return 0;
}
