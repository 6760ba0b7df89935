// cosign image signatures: the simple-signing payload, finding signatures next to an image (the
// `sha256-<hex>.sig` tag in an OCI layout, OCI 1.1 referrers whose `subject` is the image, and
// containers/image "dir:" copies), verifying each one with a key or a certificate (chain, Rekor
// SET), and signing with a key into an OCI layout in cosign's exact format.
//   CosignVerifyOptions options;
//   options.key = key;
//   BULWARK_ASSIGN_OR_RETURN(CosignVerification result, VerifyOciLayoutImage(dir, "", options));
//   if (!result.verified()) Report(result.Summary());
// Thread safety: plain values and functions without shared state; signing writes only inside the
// layout directory it is given.
#ifndef BULWARK_IMAGE_SIGN_COSIGN_H_
#define BULWARK_IMAGE_SIGN_COSIGN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/tlog.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

inline constexpr absl::string_view kSimpleSigningMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr absl::string_view kCosignSignatureArtifactType =
    "application/vnd.dev.cosign.artifact.sig.v1+json";
inline constexpr absl::string_view kCosignSignatureType = "cosign container image signature";
inline constexpr absl::string_view kSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr absl::string_view kCertificateAnnotation = "dev.sigstore.cosign/certificate";
inline constexpr absl::string_view kChainAnnotation = "dev.sigstore.cosign/chain";
inline constexpr absl::string_view kBundleAnnotation = "dev.sigstore.cosign/bundle";
inline constexpr absl::string_view kTimestampAnnotation = "dev.sigstore.cosign/rfc3161timestamp";

// The cosign tag of an image attachment: "sha256-<hex>.<suffix>" (suffix "sig", "att", "sbom").
std::string AttachmentTag(const core::Digest& image, absl::string_view suffix);
// The cosign tag of an image's signatures: "sha256-<hex>.sig".
std::string SignatureTag(const core::Digest& image);

// The containers/image simple-signing payload cosign signs.
struct SimpleSigningPayload {
  std::string type;                    // critical.type
  std::string docker_manifest_digest;  // critical.image.docker-manifest-digest
  std::string docker_reference;        // critical.identity.docker-reference
  // optional: string members as they are, other members as compact JSON.
  std::map<std::string, std::string> optional;
};

// Errors: InvalidArgument naming the missing or mistyped member.
absl::StatusOr<SimpleSigningPayload> ParseSimpleSigningPayload(absl::string_view json);

// The exact bytes `cosign sign` produces: {"critical":{"identity":{"docker-reference":R},
// "image":{"docker-manifest-digest":D},"type":"cosign container image signature"},
// "optional":null|{sorted annotations}}.
std::string MakeSimpleSigningPayload(const core::Digest& image, absl::string_view reference,
                                     const std::map<std::string, std::string>& annotations);

// One signature layer: its payload bytes and its descriptor's annotations.
struct CosignSignature {
  std::string source;  // Where it was found, for reports.
  std::string media_type;
  std::string payload;
  std::map<std::string, std::string> annotations;
};

// What a signature must satisfy.
struct CosignVerifyOptions {
  // Key-based verification: the signature must verify with this key (cosign verify --key).
  std::optional<PublicKey> key;
  // Certificate-based verification (used when `key` is empty): the certificate annotation's
  // chain (with the chain annotation as intermediates) must reach one of `roots` at the signing
  // time (the SET's integrated time when there is one, else now), and its SAN must equal
  // `certificate_identity` and its OIDC issuer `certificate_oidc_issuer` when they are set.
  std::vector<Certificate> roots;
  std::vector<Certificate> intermediates;
  // Accept a root that is not self-signed as the trust anchor, as Sigstore trust roots may end
  // at an intermediate (see ChainOptions::partial_chain). Default: false.
  bool partial_chain = false;
  // Identity policy, as cosign's flags: a SAN (email, URI, otherName) equal to
  // certificate_identity and/or fully matching the RE2 certificate_identity_regexp; the Fulcio
  // OIDC issuer equal to certificate_oidc_issuer and/or fully matching its regexp. Empty: not
  // checked. A regexp RE2 rejects is an InvalidArgument error.
  std::string certificate_identity;
  std::string certificate_identity_regexp;
  std::string certificate_oidc_issuer;
  std::string certificate_oidc_issuer_regexp;
  // Rekor keys: when non-empty, a bundle annotation is required, its SET must verify and its
  // hashedrekord body must match the signature, payload digest and key or certificate.
  std::vector<TransparencyLogKey> rekor_keys;
  // When set, critical.identity.docker-reference must equal it, or equal its repository when the
  // signature names the repository only (containers/image matchRepoDigestOrExact).
  std::optional<std::string> reference;
  // Each must appear with this value in the payload's optional section.
  std::map<std::string, std::string> required_annotations;
  // Digest used with ECDSA and RSA keys. cosign uses SHA-256 for every key. Default: SHA-256.
  HashAlgorithm hash = HashAlgorithm::kSha256;
};

// Keyless verification against a Sigstore trusted root: every certificate of its certificate
// authorities becomes a root (partial chains accepted, as Fulcio roots may end at an
// intermediate) and, when options->rekor_keys is empty, its transparency logs the Rekor keys.
void AddTrustedRoot(const TrustedRoot& root, CosignVerifyOptions* options);

// Checks one signature against the image digest. Errors: PermissionDenied "cosign: <step>: ..."
// where step is one of media type, signature annotation, signature, certificate, rekor bundle,
// payload, manifest digest, docker reference, annotation.
absl::Status VerifyCosignSignature(const CosignSignature& signature, const core::Digest& image,
                                   const CosignVerifyOptions& options);

struct SignatureCheck {
  std::string source;
  absl::Status status;  // OK when this signature verified.
};

// The outcome for an image: verified when at least one signature verified.
struct CosignVerification {
  core::Digest image_digest;
  std::vector<SignatureCheck> signatures;
  bool verified() const;
  // One line per signature: "<source>: verified" or "<source>: <reason>"; "no signatures found"
  // when there are none.
  std::string Summary() const;
};

CosignVerification VerifyCosignSignatures(absl::Span<const CosignSignature> signatures,
                                          const core::Digest& image,
                                          const CosignVerifyOptions& options);

// The digest of the image manifest `reference` names in the OCI layout `layout_dir` (a ref.name
// or digest; "" means the only entry of index.json that is not a cosign attachment). Errors:
// NotFound / InvalidArgument from image::Image::Open; InvalidArgument when "" is ambiguous.
absl::StatusOr<core::Digest> ResolveLayoutImage(absl::string_view layout_dir,
                                                absl::string_view reference,
                                                const core::Limits& limits = {});

// Signature layers for `image` in an OCI layout: from the manifest tagged SignatureTag(image)
// and from every manifest listed in index.json whose subject is `image` and whose artifact type
// (or config media type) is kCosignSignatureArtifactType. Blob digests are checked. Errors:
// NotFound / DataLoss / InvalidArgument for an unreadable layout; none found is not an error.
absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutSignatures(
    absl::string_view layout_dir, const core::Digest& image, const core::Limits& limits = {});

// The layers of every attachment of `image` in an OCI layout: the manifest tagged
// AttachmentTag(image, suffix), and every manifest in index.json whose subject is `image` and
// whose artifact type (or config media type) is one of `artifact_types`. Blob digests are
// checked. Errors as FindOciLayoutSignatures.
absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutAttachments(
    absl::string_view layout_dir, const core::Digest& image, absl::string_view suffix,
    absl::Span<const absl::string_view> artifact_types, const core::Limits& limits = {});

// ResolveLayoutImage + FindOciLayoutSignatures + VerifyCosignSignatures.
absl::StatusOr<CosignVerification> VerifyOciLayoutImage(absl::string_view layout_dir,
                                                        absl::string_view reference,
                                                        const CosignVerifyOptions& options,
                                                        const core::Limits& limits = {});

// A containers/image "dir:" copy: manifest.json and signature-1, signature-2, ... in the
// "\0sigstore-json\n" + {mimeType, payload, annotations} form.
struct ContainersImageDir {
  core::Digest manifest_digest;  // SHA-256 of manifest.json as stored.
  std::vector<CosignSignature> signatures;
};

// Errors: NotFound when manifest.json is missing; InvalidArgument naming a malformed
// signature-N file.
absl::StatusOr<ContainersImageDir> ReadContainersImageDir(absl::string_view dir,
                                                          const core::Limits& limits = {});

// Reads one "\0sigstore-json\n" signature file's contents. Errors: InvalidArgument.
absl::StatusOr<CosignSignature> ParseSigstoreJsonSignature(absl::string_view contents,
                                                           absl::string_view source);

// Reads "k=v,k2=v2" (cosign's repeated -a k=v flags, joined) into a map; "" gives none.
// Errors: InvalidArgument naming an entry without "=".
absl::StatusOr<std::map<std::string, std::string>> ParseAnnotationList(absl::string_view text);

struct CosignSignOptions {
  // critical.identity.docker-reference. Default: "" (cosign writes the repository name).
  std::string reference;
  // Written to the payload's optional section (cosign sign -a key=value).
  std::map<std::string, std::string> annotations;
};

// Signs the simple-signing payload of `image` (SHA-256 for ECDSA and RSA, as cosign).
absl::StatusOr<CosignSignature> SignImage(const PrivateKey& key, const core::Digest& image,
                                          const CosignSignOptions& options = {});

// Stores `signature` as a layer of the image's `.sig` manifest in an OCI layout, as cosign does:
// the payload blob, a config whose rootfs.diff_ids lists the layers, and an OCI manifest tagged
// SignatureTag(image) in index.json (an existing .sig manifest gets the layer appended, unless
// an identical layer is already there). Writes only below `layout_dir`. Errors: NotFound /
// PermissionDenied for the layout; InvalidArgument for a malformed index.json.
absl::Status WriteOciLayoutSignature(absl::string_view layout_dir, const core::Digest& image,
                                     const CosignSignature& signature,
                                     const core::Limits& limits = {});

// The same for any attachment kind: the manifest is tagged AttachmentTag(image, suffix) (cosign
// stores attestations under "att").
absl::Status WriteOciLayoutAttachment(absl::string_view layout_dir, const core::Digest& image,
                                      absl::string_view suffix, const CosignSignature& signature,
                                      const core::Limits& limits = {});

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_COSIGN_H_
