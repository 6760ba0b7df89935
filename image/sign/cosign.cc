#include "bulwark/image/sign/cosign.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/image.h"
#include "bulwark/image/oci.h"
#include "bulwark/image/oci_layout_source.h"
#include "bulwark/image/sign/attestation.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/internal/cosign_signer.h"

namespace bulwark::sign {
namespace {

constexpr absl::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";

absl::Status Fail(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("cosign: ", step, ": ", why));
}

// A JSON string as Go's encoding/json writes it (cosign's payloads are Go-marshalled):
// <, > and & become \u003c, \u003e, \u0026, and U+2028/U+2029 are escaped too.
std::string GoJsonString(absl::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else if (c == 0xe2 && i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xa8' || text[i + 2] == '\xa9')) {
      out.append(text[i + 2] == '\xa8' ? "\\u2028" : "\\u2029");
      i += 2;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

// The repository part of a docker reference (without ":tag" and "@digest").
std::string Repository(absl::string_view reference) {
  reference = reference.substr(0, reference.find('@'));
  const size_t colon = reference.rfind(':');
  const size_t slash = reference.rfind('/');
  if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon > slash)) {
    reference = reference.substr(0, colon);
  }
  return std::string(reference);
}

bool ReferenceMatches(absl::string_view signed_reference, absl::string_view wanted) {
  if (signed_reference == wanted) return true;
  // A signature that names only the repository covers every tag and digest of it.
  return Repository(signed_reference) == signed_reference && Repository(wanted) == signed_reference;
}

// Reads a whole blob through `source`, checking size and digest.
absl::StatusOr<std::string> ReadBlob(const image::BlobSource& source,
                                     const image::Descriptor& descriptor,
                                     const core::Limits& limits) {
  if (descriptor.size < 0 || static_cast<uint64_t>(descriptor.size) > limits.max_file_bytes) {
    return core::LimitExceeded("max_file_bytes", limits.max_file_bytes,
                               descriptor.digest.ToString());
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<image::BlobReader> reader, source.OpenBlob(descriptor));
  std::string data;
  char buffer[64 * 1024];
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader->Read(buffer, sizeof buffer));
    if (n == 0) break;
    if (data.size() + n > static_cast<uint64_t>(descriptor.size)) {
      return absl::DataLossError(
          absl::StrCat(descriptor.digest.ToString(), ": larger than ", descriptor.size, " bytes"));
    }
    data.append(buffer, n);
  }
  if (core::DigestBytes(descriptor.digest.algorithm(), data) != descriptor.digest ||
      data.size() != static_cast<size_t>(descriptor.size)) {
    return absl::DataLossError(
        absl::StrCat(descriptor.digest.ToString(), ": content does not match its descriptor"));
  }
  return data;
}

absl::StatusOr<image::Index> ReadLayoutIndex(absl::string_view layout_dir,
                                             const core::Limits& limits) {
  const std::string path = absl::StrCat(layout_dir, "/index.json");
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  return image::ParseIndex(text, limits, path);
}

bool IsCosignAttachment(const image::Descriptor& descriptor) {
  auto it = descriptor.annotations.find(std::string(kRefNameAnnotation));
  if (it != descriptor.annotations.end() &&
      (absl::EndsWith(it->second, ".sig") || absl::EndsWith(it->second, ".att") ||
       absl::EndsWith(it->second, ".sbom"))) {
    return true;
  }
  // OCI 1.1 referrers that index.json lists with their artifact type: cosign signatures,
  // attestations (DSSE envelopes, Sigstore bundles) and notation signatures.
  static constexpr absl::string_view kAttachmentTypes[] = {
      kCosignSignatureArtifactType, kDsseEnvelopeMediaType, kSigstoreBundleMediaType,
      "application/vnd.cncf.notary.signature"};
  return std::find(std::begin(kAttachmentTypes), std::end(kAttachmentTypes),
                   descriptor.artifact_type) != std::end(kAttachmentTypes);
}

void AppendLayers(const image::BlobSource& source, const image::Manifest& manifest,
                  absl::string_view where, const core::Limits& limits,
                  std::vector<CosignSignature>* out, absl::Status* error) {
  for (size_t i = 0; i < manifest.layers.size(); ++i) {
    const image::Descriptor& layer = manifest.layers[i];
    CosignSignature signature;
    signature.source = absl::StrCat(where, " layer ", i);
    signature.media_type = layer.media_type;
    signature.annotations = layer.annotations;
    absl::StatusOr<std::string> payload = ReadBlob(source, layer, limits);
    if (!payload.ok()) {
      error->Update(payload.status());
      continue;
    }
    signature.payload = *std::move(payload);
    out->push_back(std::move(signature));
  }
}

// Writes `data` to `path` through a temporary file in the same directory.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view data) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) return core::ErrnoToStatus(errno, temporary);
    file.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!file) return core::ErrnoToStatus(errno, temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) return core::ErrnoToStatus(errno, path);
  return absl::OkStatus();
}

absl::Status WriteBlob(absl::string_view layout_dir, absl::string_view data, core::Digest* digest) {
  *digest = core::DigestBytes(core::DigestAlgorithm::kSha256, data);
  BULWARK_ASSIGN_OR_RETURN(std::string relative, image::BlobPath(*digest));
  const std::string path = absl::StrCat(layout_dir, "/", relative);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), error);
  if (error) return absl::PermissionDeniedError(absl::StrCat(path, ": ", error.message()));
  return WriteFileAtomically(path, data);
}

std::string DescriptorJson(absl::string_view media_type, const core::Digest& digest, size_t size,
                           const std::map<std::string, std::string>& annotations) {
  std::string out = absl::StrCat("{\"mediaType\":", GoJsonString(media_type), ",\"size\":", size,
                                 ",\"digest\":", GoJsonString(digest.ToString()));
  if (!annotations.empty()) {
    out.append(",\"annotations\":{");
    bool first = true;
    for (const auto& [key, value] : annotations) {
      if (!first) out.push_back(',');
      first = false;
      absl::StrAppend(&out, GoJsonString(key), ":", GoJsonString(value));
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

}  // namespace

std::string AttachmentTag(const core::Digest& image, absl::string_view suffix) {
  return absl::StrCat(core::DigestAlgorithmName(image.algorithm()), "-", image.Hex(), ".", suffix);
}

std::string SignatureTag(const core::Digest& image) { return AttachmentTag(image, "sig"); }

absl::StatusOr<SimpleSigningPayload> ParseSimpleSigningPayload(absl::string_view json) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(json, {}, "simple-signing payload"));
  auto string_at = [&](absl::string_view path) -> absl::StatusOr<std::string> {
    absl::StatusOr<const core::Value*> value = root.Lookup(path);
    if (!value.ok() || !(*value)->is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("simple-signing payload: ", path, ": missing or not a string"));
    }
    return (*value)->string_value();
  };
  SimpleSigningPayload payload;
  BULWARK_ASSIGN_OR_RETURN(payload.type, string_at("critical.type"));
  BULWARK_ASSIGN_OR_RETURN(payload.docker_manifest_digest,
                           string_at("critical.image.docker-manifest-digest"));
  absl::StatusOr<std::string> reference = string_at("critical.identity.docker-reference");
  if (reference.ok()) payload.docker_reference = *reference;
  if (const core::Value* optional = root.Find("optional"); optional && optional->is_map()) {
    for (const core::MapEntry& entry : optional->map_value()) {
      payload.optional[entry.key] =
          entry.value.is_string() ? entry.value.string_value() : entry.value.ToJson();
    }
  }
  return payload;
}

std::string MakeSimpleSigningPayload(const core::Digest& image, absl::string_view reference,
                                     const std::map<std::string, std::string>& annotations) {
  std::string optional = "null";
  if (!annotations.empty()) {
    std::vector<std::string> members;
    for (const auto& [key, value] : annotations) {
      members.push_back(absl::StrCat(GoJsonString(key), ":", GoJsonString(value)));
    }
    optional = absl::StrCat("{", absl::StrJoin(members, ","), "}");
  }
  return absl::StrCat("{\"critical\":{\"identity\":{\"docker-reference\":", GoJsonString(reference),
                      "},\"image\":{\"docker-manifest-digest\":", GoJsonString(image.ToString()),
                      "},\"type\":", GoJsonString(kCosignSignatureType),
                      "},\"optional\":", optional, "}");
}

void AddTrustedRoot(const TrustedRoot& root, CosignVerifyOptions* options) {
  for (const CertificateAuthority& ca : root.certificate_authorities()) {
    options->roots.insert(options->roots.end(), ca.chain.begin(), ca.chain.end());
  }
  options->partial_chain = true;
  if (options->rekor_keys.empty()) options->rekor_keys = root.tlogs();
}

absl::Status VerifyCosignSignature(const CosignSignature& signature, const core::Digest& image,
                                   const CosignVerifyOptions& options) {
  if (signature.media_type != kSimpleSigningMediaType) {
    return Fail("media type",
                absl::StrCat("\"", signature.media_type, "\" is not a simple-signing payload"));
  }
  auto annotation = [&](absl::string_view key) -> const std::string* {
    auto it = signature.annotations.find(std::string(key));
    return it == signature.annotations.end() ? nullptr : &it->second;
  };
  const std::string* encoded = annotation(kSignatureAnnotation);
  if (encoded == nullptr) return Fail("signature annotation", "missing");
  absl::StatusOr<std::string> raw = DecodeBase64(*encoded, kSignatureAnnotation);
  if (!raw.ok()) return Fail("signature annotation", raw.status().message());

  // Who signed: the caller's key, or the certificate in the annotation.
  absl::StatusOr<internal::Signer> signer = internal::ResolveSigner(signature.annotations, options);
  if (!signer.ok()) return internal::WithArea("cosign", signer.status());
  SignatureParams params = signer->key.DefaultParams();
  params.hash = options.hash;
  if (absl::Status status = signer->key.Verify(signature.payload, *raw, params); !status.ok()) {
    return Fail("signature", status.message());
  }
  auto body_check = [&](absl::string_view body, const internal::Signer& who) -> absl::Status {
    BULWARK_ASSIGN_OR_RETURN(HashedRekord rekord, ParseHashedRekordBody(body));
    const std::string payload_digest =
        core::DigestBytes(core::DigestAlgorithm::kSha256, signature.payload).bytes();
    if (rekord.digest != payload_digest || rekord.signature != *raw) {
      return absl::PermissionDeniedError("log entry is for another payload or signature");
    }
    return internal::CheckLoggedVerifier(rekord.verifier, who);
  };
  BULWARK_RETURN_IF_ERROR(internal::WithArea(
      "cosign",
      internal::VerifySignerProvenance(signature.annotations, *signer, options, body_check)));

  absl::StatusOr<SimpleSigningPayload> payload = ParseSimpleSigningPayload(signature.payload);
  if (!payload.ok()) return Fail("payload", payload.status().message());
  if (payload->type != kCosignSignatureType) {
    return Fail("payload", absl::StrCat("critical.type \"", payload->type, "\""));
  }
  if (payload->docker_manifest_digest != image.ToString()) {
    return Fail("manifest digest", absl::StrCat("signed ", payload->docker_manifest_digest,
                                                ", image is ", image.ToString()));
  }
  if (options.reference.has_value() &&
      !ReferenceMatches(payload->docker_reference, *options.reference)) {
    return Fail("docker reference", absl::StrCat("signed \"", payload->docker_reference,
                                                 "\", wanted \"", *options.reference, "\""));
  }
  for (const auto& [key, value] : options.required_annotations) {
    auto it = payload->optional.find(key);
    if (it == payload->optional.end() || it->second != value) {
      return Fail("annotation", absl::StrCat("\"", key, "\" is not \"", value, "\""));
    }
  }
  return absl::OkStatus();
}

bool CosignVerification::verified() const {
  return std::any_of(signatures.begin(), signatures.end(),
                     [](const SignatureCheck& check) { return check.status.ok(); });
}

std::string CosignVerification::Summary() const {
  if (signatures.empty()) return absl::StrCat("no signatures found for ", image_digest.ToString());
  std::vector<std::string> lines;
  for (const SignatureCheck& check : signatures) {
    lines.push_back(
        absl::StrCat(check.source, ": ", check.status.ok() ? "verified" : check.status.message()));
  }
  return absl::StrJoin(lines, "\n");
}

CosignVerification VerifyCosignSignatures(absl::Span<const CosignSignature> signatures,
                                          const core::Digest& image,
                                          const CosignVerifyOptions& options) {
  CosignVerification result{image, {}};
  for (const CosignSignature& signature : signatures) {
    result.signatures.push_back(
        {signature.source, VerifyCosignSignature(signature, image, options)});
  }
  return result;
}

absl::StatusOr<core::Digest> ResolveLayoutImage(absl::string_view layout_dir,
                                                absl::string_view reference,
                                                const core::Limits& limits) {
  std::string selected(reference);
  if (selected.empty()) {
    BULWARK_ASSIGN_OR_RETURN(image::Index index, ReadLayoutIndex(layout_dir, limits));
    std::vector<std::string> candidates;
    for (const image::Descriptor& entry : index.manifests) {
      if (!IsCosignAttachment(entry)) candidates.push_back(entry.digest.ToString());
    }
    if (candidates.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(layout_dir, ": ", candidates.size(),
                       " images besides signatures; name one by tag or digest (",
                       absl::StrJoin(candidates, ", "), ")"));
    }
    selected = candidates[0];
  }
  image::OpenOptions open;
  open.reference = selected;
  open.limits = limits;
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> opened,
                           image::Image::Open(layout_dir, open));
  if (!opened->manifest_digest().has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(layout_dir, ": image has no manifest digest"));
  }
  // A reference that names an index (multi-platform image) is signed by the index digest.
  if (absl::StartsWith(selected, "sha256:")) return core::Digest::Parse(selected);
  BULWARK_ASSIGN_OR_RETURN(image::Index index, ReadLayoutIndex(layout_dir, limits));
  for (const image::Descriptor& entry : index.manifests) {
    auto it = entry.annotations.find(std::string(kRefNameAnnotation));
    if (it != entry.annotations.end() && it->second == selected) return entry.digest;
  }
  return *opened->manifest_digest();
}

absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutAttachments(
    absl::string_view layout_dir, const core::Digest& image, absl::string_view suffix,
    absl::Span<const absl::string_view> artifact_types, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(image::Index index, ReadLayoutIndex(layout_dir, limits));
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<image::OciLayoutSource> source,
                           image::OciLayoutSource::Open(layout_dir));
  const std::string tag = AttachmentTag(image, suffix);
  std::vector<CosignSignature> attachments;
  absl::Status error;
  for (const image::Descriptor& entry : index.manifests) {
    auto ref = entry.annotations.find(std::string(kRefNameAnnotation));
    const bool tagged = ref != entry.annotations.end() && ref->second == tag;
    if (!tagged && entry.media_type != image::media_type::kOciManifest) continue;
    absl::StatusOr<std::string> bytes = ReadBlob(*source, entry, limits);
    if (!bytes.ok()) {
      if (tagged) return bytes.status();
      continue;
    }
    BULWARK_ASSIGN_OR_RETURN(image::Manifest manifest,
                             image::ParseManifest(*bytes, limits, entry.digest.ToString()));
    auto is_wanted_type = [&](absl::string_view type) {
      return std::find(artifact_types.begin(), artifact_types.end(), type) != artifact_types.end();
    };
    const bool referrer =
        manifest.subject.has_value() && manifest.subject->digest == image &&
        (is_wanted_type(manifest.artifact_type) || is_wanted_type(manifest.config.media_type));
    if (!tagged && !referrer) continue;
    AppendLayers(*source, manifest,
                 tagged ? absl::StrCat(tag, " (", entry.digest.ToString(), ")")
                        : absl::StrCat("referrer ", entry.digest.ToString()),
                 limits, &attachments, &error);
  }
  if (!error.ok() && attachments.empty()) return error;
  return attachments;
}

absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutSignatures(absl::string_view layout_dir,
                                                                     const core::Digest& image,
                                                                     const core::Limits& limits) {
  const absl::string_view types[] = {kCosignSignatureArtifactType};
  return FindOciLayoutAttachments(layout_dir, image, "sig", types, limits);
}

absl::StatusOr<CosignVerification> VerifyOciLayoutImage(absl::string_view layout_dir,
                                                        absl::string_view reference,
                                                        const CosignVerifyOptions& options,
                                                        const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Digest image, ResolveLayoutImage(layout_dir, reference, limits));
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> signatures,
                           FindOciLayoutSignatures(layout_dir, image, limits));
  return VerifyCosignSignatures(signatures, image, options);
}

absl::StatusOr<CosignSignature> ParseSigstoreJsonSignature(absl::string_view contents,
                                                           absl::string_view source) {
  constexpr absl::string_view kPrefix("\0sigstore-json\n", 15);
  if (!absl::ConsumePrefix(&contents, kPrefix)) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": not a sigstore-json signature"));
  }
  BULWARK_ASSIGN_OR_RETURN(core::Value json, core::ParseJson(contents, {}, source));
  CosignSignature signature;
  signature.source = std::string(source);
  const core::Value* mime = json.Find("mimeType");
  const core::Value* payload = json.Find("payload");
  if (mime == nullptr || !mime->is_string() || payload == nullptr || !payload->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": mimeType or payload missing"));
  }
  signature.media_type = mime->string_value();
  BULWARK_ASSIGN_OR_RETURN(
      signature.payload, DecodeBase64(payload->string_value(), absl::StrCat(source, ": payload")));
  if (const core::Value* annotations = json.Find("annotations");
      annotations && annotations->is_map()) {
    for (const core::MapEntry& entry : annotations->map_value()) {
      if (entry.value.is_string()) signature.annotations[entry.key] = entry.value.string_value();
    }
  }
  return signature;
}

absl::StatusOr<ContainersImageDir> ReadContainersImageDir(absl::string_view dir,
                                                          const core::Limits& limits) {
  const std::string manifest_path = absl::StrCat(dir, "/manifest.json");
  BULWARK_ASSIGN_OR_RETURN(std::string manifest,
                           core::ReadFileToString(manifest_path, limits.max_file_bytes));
  ContainersImageDir result{core::DigestBytes(core::DigestAlgorithm::kSha256, manifest), {}};
  for (int n = 1;; ++n) {
    const std::string path = absl::StrCat(dir, "/signature-", n);
    absl::StatusOr<std::string> contents = core::ReadFileToString(path, limits.max_file_bytes);
    if (absl::IsNotFound(contents.status())) break;
    if (!contents.ok()) return contents.status();
    BULWARK_ASSIGN_OR_RETURN(CosignSignature signature,
                             ParseSigstoreJsonSignature(*contents, path));
    result.signatures.push_back(std::move(signature));
  }
  return result;
}

absl::StatusOr<std::map<std::string, std::string>> ParseAnnotationList(absl::string_view text) {
  std::map<std::string, std::string> annotations;
  if (text.empty()) return annotations;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const size_t equals = item.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(absl::StrCat("annotation \"", item, "\" is not k=v"));
    }
    annotations[std::string(item.substr(0, equals))] = std::string(item.substr(equals + 1));
  }
  return annotations;
}

absl::StatusOr<CosignSignature> SignImage(const PrivateKey& key, const core::Digest& image,
                                          const CosignSignOptions& options) {
  CosignSignature signature;
  signature.media_type = std::string(kSimpleSigningMediaType);
  signature.payload = MakeSimpleSigningPayload(image, options.reference, options.annotations);
  SignatureParams params = key.public_key().DefaultParams();
  params.hash = HashAlgorithm::kSha256;
  BULWARK_ASSIGN_OR_RETURN(std::string raw, key.Sign(signature.payload, params));
  signature.annotations[std::string(kSignatureAnnotation)] = absl::Base64Escape(raw);
  signature.source = SignatureTag(image);
  return signature;
}

absl::Status WriteOciLayoutSignature(absl::string_view layout_dir, const core::Digest& image,
                                     const CosignSignature& signature, const core::Limits& limits) {
  return WriteOciLayoutAttachment(layout_dir, image, "sig", signature, limits);
}

absl::Status WriteOciLayoutAttachment(absl::string_view layout_dir, const core::Digest& image,
                                      absl::string_view suffix, const CosignSignature& signature,
                                      const core::Limits& limits) {
  const std::string index_path = absl::StrCat(layout_dir, "/index.json");
  BULWARK_ASSIGN_OR_RETURN(std::string index_text,
                           core::ReadFileToString(index_path, limits.max_file_bytes));
  BULWARK_ASSIGN_OR_RETURN(core::Value index, core::ParseJson(index_text, limits, index_path));
  BULWARK_ASSIGN_OR_RETURN(image::Index parsed, image::ParseIndex(index_text, limits, index_path));
  const std::string tag = AttachmentTag(image, suffix);

  // Layers already in the attachment manifest stay, as cosign appends signatures.
  struct Layer {
    std::string media_type;
    core::Digest digest;
    size_t size;
    std::map<std::string, std::string> annotations;
  };
  std::vector<Layer> layers;
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<image::OciLayoutSource> source,
                           image::OciLayoutSource::Open(layout_dir));
  for (const image::Descriptor& entry : parsed.manifests) {
    auto ref = entry.annotations.find(std::string(kRefNameAnnotation));
    if (ref == entry.annotations.end() || ref->second != tag) continue;
    BULWARK_ASSIGN_OR_RETURN(std::string bytes, ReadBlob(*source, entry, limits));
    BULWARK_ASSIGN_OR_RETURN(image::Manifest manifest,
                             image::ParseManifest(bytes, limits, entry.digest.ToString()));
    for (const image::Descriptor& layer : manifest.layers) {
      layers.push_back(
          {layer.media_type, layer.digest, static_cast<size_t>(layer.size), layer.annotations});
    }
  }
  core::Digest payload_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  BULWARK_RETURN_IF_ERROR(WriteBlob(layout_dir, signature.payload, &payload_digest));
  Layer added{signature.media_type, payload_digest, signature.payload.size(),
              signature.annotations};
  if (std::none_of(layers.begin(), layers.end(), [&](const Layer& layer) {
        return layer.digest == added.digest && layer.annotations == added.annotations;
      })) {
    layers.push_back(added);
  }

  // The config go-containerregistry writes for cosign's signature image.
  std::vector<std::string> diff_ids;
  for (const Layer& layer : layers) diff_ids.push_back(GoJsonString(layer.digest.ToString()));
  const std::string config = absl::StrCat(
      "{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":"
      "\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
      absl::StrJoin(diff_ids, ","), "]},\"config\":{}}");
  core::Digest config_digest = payload_digest;
  BULWARK_RETURN_IF_ERROR(WriteBlob(layout_dir, config, &config_digest));
  std::vector<std::string> layer_json;
  for (const Layer& layer : layers) {
    layer_json.push_back(
        DescriptorJson(layer.media_type, layer.digest, layer.size, layer.annotations));
  }
  const std::string manifest = absl::StrCat(
      "{\"schemaVersion\":2,\"mediaType\":", GoJsonString(image::media_type::kOciManifest),
      ",\"config\":",
      DescriptorJson(image::media_type::kOciConfig, config_digest, config.size(), {}),
      ",\"layers\":[", absl::StrJoin(layer_json, ","), "]}");
  core::Digest manifest_digest = payload_digest;
  BULWARK_RETURN_IF_ERROR(WriteBlob(layout_dir, manifest, &manifest_digest));

  // index.json: every other entry as it was, then the attachment manifest.
  core::ValueList manifests;
  if (const core::Value* existing = index.Find("manifests"); existing && existing->is_list()) {
    for (const core::Value& entry : existing->list_value()) {
      absl::StatusOr<const core::Value*> ref =
          entry.Lookup(absl::StrCat("annotations[\"", kRefNameAnnotation, "\"]"));
      if (ref.ok() && (*ref)->is_string() && (*ref)->string_value() == tag) continue;
      manifests.push_back(entry);
    }
  }
  BULWARK_ASSIGN_OR_RETURN(
      core::Value sig_entry,
      core::ParseJson(DescriptorJson(image::media_type::kOciManifest, manifest_digest,
                                     manifest.size(), {{std::string(kRefNameAnnotation), tag}})));
  manifests.push_back(std::move(sig_entry));
  core::ValueMap out;
  bool wrote_manifests = false;
  for (const core::MapEntry& entry : index.map_value()) {
    if (entry.key == "manifests") {
      out.push_back({"manifests", core::Value(manifests)});
      wrote_manifests = true;
    } else {
      out.push_back(entry);
    }
  }
  if (!wrote_manifests) out.push_back({"manifests", core::Value(std::move(manifests))});
  return WriteFileAtomically(index_path, core::Value(std::move(out)).ToJson());
}

}  // namespace bulwark::sign
