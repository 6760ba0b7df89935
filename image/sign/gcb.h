// Google Cloud Build (GCB) container provenance, as `gcloud artifacts docker images describe
// IMAGE --show-provenance --format json` prints it (slsa-verifier's gcb_container input): each
// provenance occurrence holds a DSSE envelope whose in-toto statement (SLSA provenance v0.1)
// names the image, signed by a Google Cloud KMS key of the builder's region
// ("projects/verified-builder/locations/<region>/keyRings/attestor/cryptoKeys/builtByGCB/
// cryptoKeyVersions/1"). Google publishes those public keys; Bulwark ships none, so the caller
// gives them (GcbVerifyOptions::keys).
//   GcbVerifyOptions options;
//   options.keys["us-west2"] = key;  // The region's builtByGCB public key.
//   BULWARK_ASSIGN_OR_RETURN(GcbVerification v, VerifyGcbProvenance(json, image, options));
// Thread safety: plain values and functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_GCB_H_
#define BULWARK_IMAGE_SIGN_GCB_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/intoto.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::sign {

inline constexpr absl::string_view kSlsaProvenanceV01 = "https://slsa.dev/provenance/v0.1";

struct GcbVerifyOptions {
  // The builtByGCB public key of each region ("us-west2", "global", ...). Default: none.
  std::map<std::string, PublicKey> keys;
  // When set, the statement's builder id must equal it (e.g.
  // "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3"). Default: any GCB worker.
  std::string builder_id;
};

// One verified provenance occurrence.
struct GcbProvenance {
  std::string key_id;   // The KMS key version that signed it.
  std::string region;   // The key id's location.
  Statement statement;  // SLSA provenance v0.1.
  std::string builder_id;
  std::string build_type;  // recipe.type.
  std::string source_uri;  // The first material's uri.
  std::map<std::string, std::string> source_digest;
  std::string entry_point;  // recipe.entryPoint.
};

struct GcbVerification {
  std::vector<GcbProvenance> provenance;
};

// Verifies every provenance occurrence of `json` for the image `image`, in this order (steps are
// the message prefixes): "gcb: provenance:" (structure, envelope, payload type, statement),
// "gcb: keyid:" (a signature keyid that is not a builtByGCB key version), "gcb: subject:"
// (no subject names `image`), "gcb: builder:" (not a GCB worker or not options.builder_id),
// "gcb: key:" (FailedPrecondition: the region's KMS public key is not in options.keys), and
// "gcb: signature:" (the DSSE signature over PAE does not verify with it). The checks before
// "key" need no key, so a forged or mismatched provenance fails for its own reason even without
// Google's keys. Errors: PermissionDenied, or FailedPrecondition for the missing key.
absl::StatusOr<GcbVerification> VerifyGcbProvenance(absl::string_view json,
                                                    const core::Digest& image,
                                                    const GcbVerifyOptions& options,
                                                    const core::Limits& limits = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_GCB_H_
