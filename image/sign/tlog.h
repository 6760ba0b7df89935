// Rekor transparency-log material verified offline: the signed entry timestamp (SET, a log
// signature over the RFC 8785 canonical JSON of the entry), RFC 6962 / RFC 9162 inclusion proofs,
// checkpoints as signed notes (c2sp.org/signed-note), and the hashedrekord entry body.
//   BULWARK_RETURN_IF_ERROR(VerifySignedEntryTimestamp(entry, rekor_keys));
//   BULWARK_RETURN_IF_ERROR(VerifyInclusionProof(entry, rekor_keys));
// Thread safety: plain values and functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_TLOG_H_
#define BULWARK_IMAGE_SIGN_TLOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::sign {

// A log's public key from a trust root. log_id is the raw SHA-256 of the DER
// SubjectPublicKeyInfo (Rekor v1, CT) or the key id the trust root names.
struct TransparencyLogKey {
  std::string log_id;
  PublicKey key;
  absl::Time valid_from = absl::InfinitePast();
  absl::Time valid_until = absl::InfiniteFuture();
  std::string base_url;  // e.g. "https://rekor.sigstore.dev"; names the checkpoint origin.
};

// Builds a TransparencyLogKey whose log_id is SHA-256 of the key's SubjectPublicKeyInfo.
TransparencyLogKey LogKeyFromPublicKey(const PublicKey& key);

// An RFC 6962 inclusion proof with the checkpoint (signed note) that commits to its root.
struct InclusionProof {
  int64_t log_index = 0;
  int64_t tree_size = 0;
  std::string root_hash;            // Raw 32 bytes.
  std::vector<std::string> hashes;  // Raw 32-byte sibling hashes, leaf to root.
  std::string checkpoint;           // The signed note text; empty when absent.
};

// One log entry as Rekor v1 returns it (and as cosign's bundle annotation and Sigstore bundles
// carry it).
struct RekorEntry {
  std::string body;  // The canonicalized entry body, decoded from base64.
  int64_t integrated_time = 0;
  int64_t log_index = 0;
  std::string log_id;                  // Raw bytes.
  std::string signed_entry_timestamp;  // Raw signature bytes; empty when absent.
  std::optional<InclusionProof> inclusion_proof;
  std::string kind;     // e.g. "hashedrekord" (from the bundle's kindVersion).
  std::string version;  // e.g. "0.0.1".
};

// Checks the SET: a signature by the log named by entry.log_id over the canonical JSON
// {"body","integratedTime","logID","logIndex"}. Errors: PermissionDenied "tlog: ..." naming the
// step (no SET, unknown log id, log key not valid at the integrated time, bad signature).
absl::Status VerifySignedEntryTimestamp(const RekorEntry& entry,
                                        absl::Span<const TransparencyLogKey> logs);

// Recomputes the root from SHA-256(0x00 || body) and the proof's hashes (RFC 9162 2.1.3.2),
// compares it with the proof's root hash, and checks that the checkpoint is signed by a log key
// and commits to that root and tree size. Errors: PermissionDenied "tlog: ..." naming the step.
absl::Status VerifyInclusionProof(absl::string_view leaf, const InclusionProof& proof,
                                  absl::Span<const TransparencyLogKey> logs);

// A checkpoint (c2sp.org/tlog-checkpoint) and its note signatures.
struct Checkpoint {
  std::string origin;
  int64_t tree_size = 0;
  std::string root_hash;  // Raw bytes.
  std::string body;       // The signed text: everything up to and including the blank line's "\n".
  struct Signature {
    std::string name;
    std::string key_hint;   // First 4 bytes of the key id.
    std::string signature;  // Raw bytes after the hint.
  };
  std::vector<Signature> signatures;
};

// Parses a signed note holding a checkpoint. Errors: InvalidArgument naming the line.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text);

// Verifies that one of the checkpoint's signatures is by a key in `logs`, matching the 4-byte key
// hint (SHA-256(name || "\n" || type byte || key)[:4] for Ed25519 notes, or the first 4 bytes of
// the log id for ECDSA Rekor v1 notes). Errors: PermissionDenied "tlog: checkpoint ...".
absl::Status VerifyCheckpoint(const Checkpoint& checkpoint,
                              absl::Span<const TransparencyLogKey> logs);

// The fields of a hashedrekord body (v0.0.1 and v0.0.2) that tie it to a signature.
struct HashedRekord {
  std::string hash_algorithm;  // "sha256", "sha384", "sha512".
  std::string digest;          // Raw digest bytes.
  std::string signature;       // Raw signature bytes.
  std::string verifier;        // PEM or DER of the public key or certificate.
};

// Errors: InvalidArgument naming the JSON path that is missing.
absl::StatusOr<HashedRekord> ParseHashedRekordBody(absl::string_view body);

// What any supported Rekor entry body says was signed: hashedrekord 0.0.1/0.0.2, dsse
// 0.0.1/0.0.2 and intoto 0.0.2. Callers compare it with what they verified (CVE-2022-36056: an
// entry must be about this signature, this key and this artifact).
struct RekorSignedContent {
  std::string kind;     // "hashedrekord", "dsse", "intoto".
  std::string version;  // "0.0.1", "0.0.2".
  // Raw SHA-256 of the artifact (hashedrekord) or of the DSSE payload (dsse, intoto).
  std::string digest;
  struct Signature {
    std::string signature;  // Raw signature bytes.
    std::string verifier;   // PEM or DER of the public key or certificate.
  };
  std::vector<Signature> signatures;
};

// Errors: InvalidArgument when the body is not JSON; PermissionDenied "tlog: unsupported entry
// kind <kind> <version>".
absl::StatusOr<RekorSignedContent> ParseRekorEntryBody(absl::string_view body);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_TLOG_H_
