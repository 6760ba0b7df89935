#include "bulwark/image/sign/notation.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/internal/notation_cose.h"
#include "bulwark/image/sign/timestamp.h"

namespace bulwark::sign {
namespace {

constexpr absl::string_view kSigningScheme = "io.cncf.notary.signingScheme";
constexpr absl::string_view kSigningTime = "io.cncf.notary.signingTime";
constexpr absl::string_view kExpiry = "io.cncf.notary.expiry";
constexpr absl::string_view kAuthenticSigningTime = "io.cncf.notary.authenticSigningTime";
constexpr absl::string_view kTimestampSignature = "io.cncf.notary.timestampSignature";
constexpr absl::string_view kSchemeX509 = "notary.x509";
constexpr absl::string_view kSchemeSigningAuthority = "notary.x509.signingAuthority";
constexpr uint64_t kMaxCertificateFileBytes = 1 << 20;

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("notation: ", why));
}

absl::Status Fail(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("notation: ", step, ": ", why));
}

absl::StatusOr<absl::Time> ParseRfc3339(const core::Value* value, absl::string_view name) {
  absl::Time time;
  std::string error;
  if (value == nullptr || !value->is_string() ||
      !absl::ParseTime(absl::RFC3339_full, value->string_value(), &time, &error)) {
    return Malformed(absl::StrCat(name, " is not an RFC 3339 time"));
  }
  return time;
}

absl::StatusOr<NotationEnvelope> ParseJws(absl::string_view bytes, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value json, core::ParseJson(bytes, limits, "notation JWS"));
  const core::Value* payload = json.Find("payload");
  const core::Value* protected_header = json.Find("protected");
  const core::Value* signature = json.Find("signature");
  const core::Value* header = json.Find("header");
  if (payload == nullptr || !payload->is_string() || protected_header == nullptr ||
      !protected_header->is_string() || signature == nullptr || !signature->is_string() ||
      header == nullptr || !header->is_map()) {
    return Malformed("JWS needs string payload, protected, signature and a header object");
  }
  NotationEnvelope envelope;
  envelope.media_type = std::string(kNotationJws);
  envelope.signed_bytes =
      absl::StrCat(protected_header->string_value(), ".", payload->string_value());
  BULWARK_ASSIGN_OR_RETURN(envelope.payload, DecodeBase64(payload->string_value(), "payload"));
  BULWARK_ASSIGN_OR_RETURN(envelope.signature,
                           DecodeBase64(signature->string_value(), "signature"));
  BULWARK_ASSIGN_OR_RETURN(std::string protected_json,
                           DecodeBase64(protected_header->string_value(), "protected"));
  BULWARK_ASSIGN_OR_RETURN(core::Value headers,
                           core::ParseJson(protected_json, limits, "JWS protected header"));
  if (!headers.is_map()) return Malformed("the protected header is not an object");
  auto string_header = [&](absl::string_view name) -> std::string {
    const core::Value* value = headers.Find(name);
    return value != nullptr && value->is_string() ? value->string_value() : "";
  };
  envelope.algorithm = string_header("alg");
  envelope.content_type = string_header("cty");
  envelope.signing_scheme = string_header(kSigningScheme);
  if (const core::Value* crit = headers.Find("crit")) {
    if (!crit->is_list()) return Malformed("crit is not a list");
    for (const core::Value& name : crit->list_value()) {
      if (!name.is_string()) return Malformed("crit holds a non-string");
      if (headers.Find(name.string_value()) == nullptr) {
        return Malformed(absl::StrCat("critical header ", name.string_value(), " is absent"));
      }
      envelope.critical.push_back(name.string_value());
    }
  }
  if (headers.Find(kSigningTime) != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(envelope.signing_time,
                             ParseRfc3339(headers.Find(kSigningTime), kSigningTime));
  }
  if (headers.Find(kAuthenticSigningTime) != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(
        envelope.authentic_signing_time,
        ParseRfc3339(headers.Find(kAuthenticSigningTime), kAuthenticSigningTime));
  }
  if (headers.Find(kExpiry) != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(envelope.expiry, ParseRfc3339(headers.Find(kExpiry), kExpiry));
  }
  const core::Value* x5c = header->Find("x5c");
  if (x5c == nullptr || !x5c->is_list() || x5c->list_value().empty()) {
    return Malformed("header.x5c is missing or empty");
  }
  for (const core::Value& item : x5c->list_value()) {
    if (!item.is_string()) return Malformed("header.x5c holds a non-string");
    BULWARK_ASSIGN_OR_RETURN(std::string der, DecodeBase64(item.string_value(), "x5c"));
    absl::StatusOr<Certificate> certificate = Certificate::ParseDer(der);
    if (!certificate.ok()) return Malformed(absl::StrCat("x5c: ", certificate.status().message()));
    envelope.chain.push_back(*std::move(certificate));
  }
  if (const core::Value* token = header->Find(kTimestampSignature)) {
    if (!token->is_string()) return Malformed("timestampSignature is not a string");
    BULWARK_ASSIGN_OR_RETURN(envelope.timestamp_token,
                             DecodeBase64(token->string_value(), kTimestampSignature));
  }
  return envelope;
}

// The signature parameters an algorithm name fixes, checked against the key.
absl::StatusOr<SignatureParams> ParamsFor(absl::string_view algorithm, const PublicKey& key) {
  struct Entry {
    absl::string_view name;
    std::optional<KeyAlgorithm> ec_curve;  // nullopt: RSA-PSS.
    HashAlgorithm hash;
    int salt;
  };
  static constexpr Entry kAlgorithms[] = {
      {"PS256", std::nullopt, HashAlgorithm::kSha256, 32},
      {"PS384", std::nullopt, HashAlgorithm::kSha384, 48},
      {"PS512", std::nullopt, HashAlgorithm::kSha512, 64},
      {"ES256", KeyAlgorithm::kEcdsaP256, HashAlgorithm::kSha256, 0},
      {"ES384", KeyAlgorithm::kEcdsaP384, HashAlgorithm::kSha384, 0},
      {"ES512", KeyAlgorithm::kEcdsaP521, HashAlgorithm::kSha512, 0},
  };
  for (const Entry& entry : kAlgorithms) {
    if (entry.name != algorithm) continue;
    SignatureParams params;
    params.hash = entry.hash;
    if (entry.ec_curve.has_value()) {
      if (key.algorithm() != *entry.ec_curve) break;
      params.ecdsa_encoding = EcdsaEncoding::kP1363;
    } else {
      if (key.algorithm() != KeyAlgorithm::kRsa) break;
      params.rsa_padding = RsaPadding::kPss;
      params.pss_salt_length = entry.salt;
    }
    return params;
  }
  return Fail("integrity", absl::StrCat("algorithm \"", algorithm,
                                        "\" is unknown or does not match the signing key"));
}

absl::Status CheckIntegrity(const NotationEnvelope& envelope) {
  if (envelope.content_type != kNotationPayloadType) {
    return Fail("integrity", absl::StrCat("content type \"", envelope.content_type, "\""));
  }
  if (envelope.signing_scheme != kSchemeX509 &&
      envelope.signing_scheme != kSchemeSigningAuthority) {
    return Fail("integrity", absl::StrCat("signing scheme \"", envelope.signing_scheme, "\""));
  }
  auto critical = [&](absl::string_view name) {
    return std::find(envelope.critical.begin(), envelope.critical.end(), name) !=
           envelope.critical.end();
  };
  if (!critical(kSigningScheme)) return Fail("integrity", "signingScheme is not critical");
  if (envelope.expiry.has_value() && !critical(kExpiry)) {
    return Fail("integrity", "expiry is not critical");
  }
  const bool authority = envelope.signing_scheme == kSchemeSigningAuthority;
  if (authority && (!envelope.authentic_signing_time || !critical(kAuthenticSigningTime))) {
    return Fail("integrity", "signingAuthority needs a critical authenticSigningTime");
  }
  if (!authority && !envelope.signing_time) return Fail("integrity", "no signingTime");
  for (const std::string& name : envelope.critical) {
    if (name != kSigningScheme && name != kExpiry && name != kAuthenticSigningTime) {
      return Fail("integrity", absl::StrCat("critical header \"", name, "\" is not understood"));
    }
  }
  absl::StatusOr<PublicKey> key = envelope.chain.front().public_key();
  if (!key.ok()) return Fail("integrity", key.status().message());
  BULWARK_ASSIGN_OR_RETURN(SignatureParams params, ParamsFor(envelope.algorithm, *key));
  if (absl::Status status = key->Verify(envelope.signed_bytes, envelope.signature, params);
      !status.ok()) {
    return Fail("integrity", status.message());
  }
  return absl::OkStatus();
}

// "K=V" attributes of a distinguished name written "K=V, K=V" or RFC 2253 "K=V,K=V".
std::set<std::string> DnAttributes(absl::string_view dn) {
  std::set<std::string> out;
  for (absl::string_view part : absl::StrSplit(dn, ',', absl::SkipWhitespace())) {
    out.insert(std::string(absl::StripAsciiWhitespace(part)));
  }
  return out;
}

absl::Status CheckIdentity(const Certificate& leaf, const std::vector<std::string>& identities) {
  if (identities.empty()) return absl::OkStatus();
  const std::set<std::string> subject = DnAttributes(leaf.subject());
  for (const std::string& identity : identities) {
    if (identity == "*") return absl::OkStatus();
    absl::string_view dn = identity;
    if (!absl::ConsumePrefix(&dn, "x509.subject:")) continue;
    const std::set<std::string> wanted = DnAttributes(dn);
    if (!wanted.empty() &&
        std::includes(subject.begin(), subject.end(), wanted.begin(), wanted.end())) {
      return absl::OkStatus();
    }
  }
  return Fail("authenticity", absl::StrCat("signing certificate subject \"", leaf.subject(),
                                           "\" is not a trusted identity"));
}

// notation's chain rule: x5c is ordered leaf to root, each certificate signed by the next (a
// CA), the last self-signed, every one valid at `time`, the leaf fit for code signing, and one of
// them in the trust store. Written with OpenSSL calls because X509_verify_cert stops at a leaf
// whose subject equals its issuer (notation-go's own test leaves are such).
absl::Status ChainAt(const NotationEnvelope& envelope, const std::vector<Certificate>& trusted,
                     absl::Time time, absl::string_view step) {
  if (trusted.empty()) return Fail(step, "the trust store of this signing scheme is empty");
  const std::vector<Certificate>& chain = envelope.chain;
  for (size_t i = 0; i < chain.size(); ++i) {
    if (time < chain[i].not_before() || time > chain[i].not_after()) {
      return Fail(step,
                  absl::StrCat("certificate ", i, " (", chain[i].subject(), ") is not valid at ",
                               absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone())));
    }
    const Certificate& issuer = i + 1 < chain.size() ? chain[i + 1] : chain[i];
    if (i + 1 < chain.size() && X509_check_ca(issuer.x509()) <= 0) {
      return Fail(step, absl::StrCat("certificate ", i + 1, " is not a CA"));
    }
    EVP_PKEY* key = X509_get0_pubkey(issuer.x509());
    if (key == nullptr || X509_verify(chain[i].x509(), key) != 1) {
      ERR_clear_error();
      return Fail(step,
                  i + 1 < chain.size()
                      ? absl::StrCat("certificate ", i, " is not signed by certificate ", i + 1)
                      : std::string("the last certificate is not self-signed"));
    }
  }
  X509* leaf = chain.front().x509();
  const uint32_t extended = X509_get_extended_key_usage(leaf);
  if ((X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) && !(extended & XKU_CODE_SIGN)) {
    return Fail(step, "the signing certificate is not for code signing");
  }
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) &&
      !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
    return Fail(step, "the signing certificate lacks digitalSignature");
  }
  for (const Certificate& certificate : chain) {
    if (std::find(trusted.begin(), trusted.end(), certificate) != trusted.end()) {
      return absl::OkStatus();
    }
  }
  return Fail(step, "no certificate of the chain is in the trust store");
}

// The time a TSA of the trust stores vouches for (the countersignature over the signature).
absl::StatusOr<absl::Time> TimestampTime(const NotationEnvelope& envelope,
                                         const NotationTrustStores& trust) {
  if (envelope.timestamp_token.empty()) return Fail("authentic timestamp", "no countersignature");
  if (trust.tsa.empty()) return Fail("authentic timestamp", "no tsa trust store");
  std::vector<CertificateAuthority> authorities;
  for (const Certificate& root : trust.tsa) authorities.push_back({"", {root}});
  absl::StatusOr<absl::Time> time =
      VerifyRfc3161Timestamp(envelope.timestamp_token, envelope.signature, authorities);
  if (!time.ok()) return Fail("authentic timestamp", time.status().message());
  return time;
}

NotationLevel LevelByName(absl::string_view name, bool* ok) {
  *ok = true;
  if (name == "strict") return NotationLevel::kStrict;
  if (name == "permissive") return NotationLevel::kPermissive;
  if (name == "audit") return NotationLevel::kAudit;
  if (name == "skip") return NotationLevel::kSkip;
  *ok = false;
  return NotationLevel::kStrict;
}

}  // namespace

absl::StatusOr<NotationEnvelope> ParseNotationEnvelope(absl::string_view bytes,
                                                       absl::string_view media_type,
                                                       const core::Limits& limits) {
  if (media_type == kNotationJws) return ParseJws(bytes, limits);
  if (media_type == kNotationCose) return internal::ParseCoseSign1(bytes, limits);
  return Malformed(absl::StrCat("unknown envelope media type \"", media_type, "\""));
}

absl::StatusOr<NotationTrustStores> LoadNotationTrustStores(
    const std::string& root, const std::vector<std::string>& references) {
  NotationTrustStores stores;
  for (const std::string& reference : references) {
    const std::pair<std::string, std::string> parts = absl::StrSplit(reference, ':');
    std::vector<Certificate>* target = parts.first == "ca" ? &stores.ca
                                       : parts.first == "signingAuthority"
                                           ? &stores.signing_authority
                                       : parts.first == "tsa" ? &stores.tsa
                                                              : nullptr;
    if (target == nullptr || parts.second.empty() || absl::StrContains(parts.second, '/') ||
        parts.second == "..") {
      return Malformed(absl::StrCat("trust store reference \"", reference, "\""));
    }
    const std::filesystem::path dir =
        std::filesystem::path(root) / "x509" / parts.first / parts.second;
    std::error_code error;
    if (!std::filesystem::is_directory(std::filesystem::symlink_status(dir, error))) {
      return absl::NotFoundError(absl::StrCat(dir.string(), ": no such trust store directory"));
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (!entry.is_regular_file() || entry.is_symlink()) {
        return Malformed(absl::StrCat(entry.path().string(),
                                      ": a trust store holds only regular certificate files"));
      }
      files.push_back(entry.path());
    }
    if (error) return absl::NotFoundError(absl::StrCat(dir.string(), ": ", error.message()));
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& file : files) {
      BULWARK_ASSIGN_OR_RETURN(std::string bytes,
                               core::ReadFileToString(file.string(), kMaxCertificateFileBytes));
      absl::StatusOr<std::vector<Certificate>> certificates = Certificate::ParseFile(bytes);
      if (!certificates.ok()) {
        return Malformed(absl::StrCat(file.string(), ": not PEM or DER certificates"));
      }
      target->insert(target->end(), certificates->begin(), certificates->end());
    }
    if (target->empty()) return Malformed(absl::StrCat(dir.string(), ": empty trust store"));
  }
  return stores;
}

NotationChecks ChecksForLevel(NotationLevel level) {
  switch (level) {
    case NotationLevel::kStrict:
      return {true, true, true};
    case NotationLevel::kPermissive:
      return {true, false, false};
    case NotationLevel::kAudit:
    case NotationLevel::kSkip:
      return {false, false, false};
  }
  return {};
}

absl::StatusOr<NotationVerification> VerifyNotationSignature(const NotationEnvelope& envelope,
                                                             const NotationVerifyOptions& options) {
  if (envelope.chain.empty()) return Fail("integrity", "no certificate chain");
  BULWARK_RETURN_IF_ERROR(CheckIntegrity(envelope));
  NotationVerification result;
  auto apply = [&](bool enforce, absl::Status status) -> absl::Status {
    if (status.ok() || enforce) return status;
    result.logged.push_back(std::string(status.message()));
    return absl::OkStatus();
  };
  const bool authority = envelope.signing_scheme == kSchemeSigningAuthority;
  const std::vector<Certificate>& roots =
      authority ? options.trust.signing_authority : options.trust.ca;
  const absl::Time claimed = authority ? *envelope.authentic_signing_time : *envelope.signing_time;

  absl::Status authenticity = ChainAt(envelope, roots, claimed, "authenticity");
  if (authenticity.ok()) {
    authenticity = CheckIdentity(envelope.chain.front(), options.trusted_identities);
  }
  BULWARK_RETURN_IF_ERROR(apply(options.checks.enforce_authenticity, authenticity));

  // notary.x509: valid now, or at a time a trusted TSA countersigned; signingAuthority: the
  // signing authority vouches for authenticSigningTime.
  result.verified_time = authority ? claimed : options.now;
  absl::Status timestamp = ChainAt(envelope, roots, result.verified_time, "authentic timestamp");
  if (!authority && options.checks.timestamp_always) {
    timestamp = Fail("authentic timestamp", "a countersignature is required");
  }
  if (!timestamp.ok() && !authority && !envelope.timestamp_token.empty()) {
    absl::StatusOr<absl::Time> stamped = TimestampTime(envelope, options.trust);
    if (stamped.ok()) {
      result.verified_time = *stamped;
      timestamp = ChainAt(envelope, roots, *stamped, "authentic timestamp");
    } else {
      timestamp = stamped.status();
    }
  }
  BULWARK_RETURN_IF_ERROR(apply(options.checks.enforce_authentic_timestamp, timestamp));

  if (envelope.expiry.has_value() && options.now > *envelope.expiry) {
    BULWARK_RETURN_IF_ERROR(
        apply(options.checks.enforce_expiry,
              Fail("expiry", absl::StrCat("the signature expired at ",
                                          absl::FormatTime(absl::RFC3339_full, *envelope.expiry,
                                                           absl::UTCTimeZone())))));
  }

  absl::StatusOr<core::Value> payload = core::ParseJson(envelope.payload, {}, "notation payload");
  absl::StatusOr<const core::Value*> target =
      payload.ok() ? payload->Lookup("targetArtifact") : payload.status();
  if (!target.ok() || !(*target)->is_map()) return Fail("artifact", "no targetArtifact");
  const core::Value& descriptor = **target;
  auto string_member = [&](absl::string_view name) {
    const core::Value* value = descriptor.Find(name);
    return value != nullptr && value->is_string() ? value->string_value() : std::string();
  };
  result.target.media_type = string_member("mediaType");
  result.target.digest = string_member("digest");
  if (const core::Value* size = descriptor.Find("size"); size != nullptr && size->is_int()) {
    result.target.size = size->int_value();
  }
  if (const core::Value* annotations = descriptor.Find("annotations");
      annotations != nullptr && annotations->is_map()) {
    for (const core::MapEntry& entry : annotations->map_value()) {
      if (entry.value.is_string())
        result.target.annotations[entry.key] = entry.value.string_value();
    }
  }
  if (options.artifact.has_value() && result.target.digest != options.artifact->ToString()) {
    return Fail("artifact", absl::StrCat("signed ", result.target.digest, ", artifact is ",
                                         options.artifact->ToString()));
  }
  return result;
}

absl::StatusOr<std::vector<NotationSignatureCheck>> VerifyNotationOciLayout(
    absl::string_view layout_dir, absl::string_view layout_ref,
    const NotationVerifyOptions& options, const core::Limits& limits) {
  absl::StatusOr<core::Digest> image = core::Digest::Parse(layout_ref);
  if (!image.ok()) {
    BULWARK_ASSIGN_OR_RETURN(image, ResolveLayoutImage(layout_dir, layout_ref, limits));
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> layers,
                           FindOciLayoutNotationSignatures(layout_dir, *image, limits));
  NotationVerifyOptions per_image = options;
  per_image.artifact = *image;
  std::vector<NotationSignatureCheck> checks;
  for (const CosignSignature& layer : layers) {
    checks.push_back(VerifyNotationLayer(layer, per_image, limits));
  }
  return checks;
}

absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutNotationSignatures(
    absl::string_view layout_dir, const core::Digest& image, const core::Limits& limits) {
  // No tag schema: "notation" never matches a cosign tag suffix.
  const absl::string_view types[] = {kNotationSignatureArtifactType};
  return FindOciLayoutAttachments(layout_dir, image, "notation", types, limits);
}

NotationSignatureCheck VerifyNotationLayer(const CosignSignature& layer,
                                           const NotationVerifyOptions& options,
                                           const core::Limits& limits) {
  NotationSignatureCheck check{layer.source, absl::OkStatus(), std::nullopt};
  absl::StatusOr<NotationEnvelope> envelope =
      ParseNotationEnvelope(layer.payload, layer.media_type, limits);
  absl::StatusOr<NotationVerification> verified =
      envelope.ok() ? VerifyNotationSignature(*envelope, options)
                    : absl::StatusOr<NotationVerification>(envelope.status());
  if (verified.ok()) {
    check.verification = *std::move(verified);
  } else {
    check.status = verified.status();
  }
  return check;
}

absl::StatusOr<NotationChecks> ParseNotationSignatureVerification(const core::Value& verification,
                                                                  NotationLevel* level) {
  auto error = [](const core::Value& at, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(at.position().ToString(), ": ", what));
  };
  if (!verification.is_map()) return error(verification, "signatureVerification must be an object");
  const core::Value* name = verification.Find("level");
  bool known = false;
  if (name != nullptr && name->is_string()) *level = LevelByName(name->string_value(), &known);
  if (!known) {
    return error(name != nullptr ? *name : verification, "signatureVerification.level is unknown");
  }
  NotationChecks checks = ChecksForLevel(*level);
  if (const core::Value* overrides = verification.Find("override")) {
    if (!overrides->is_map()) return error(*overrides, "override must be an object");
    for (const core::MapEntry& entry : overrides->map_value()) {
      if (!entry.value.is_string() ||
          (entry.value.string_value() != "enforce" && entry.value.string_value() != "log" &&
           entry.value.string_value() != "skip")) {
        return error(entry.value, "an override action is enforce, log or skip");
      }
      const bool enforce = entry.value.string_value() == "enforce";
      if (entry.key == "authenticity") {
        checks.enforce_authenticity = enforce;
      } else if (entry.key == "authenticTimestamp") {
        checks.enforce_authentic_timestamp = enforce;
      } else if (entry.key == "expiry") {
        checks.enforce_expiry = enforce;
      } else if (entry.key != "revocation") {
        return error(entry.value, absl::StrCat("unknown override \"", entry.key, "\""));
      }
    }
  }
  if (const core::Value* when = verification.Find("verifyTimestamp")) {
    if (!when->is_string() ||
        (when->string_value() != "always" && when->string_value() != "afterCertExpiry")) {
      return error(*when, "verifyTimestamp is always or afterCertExpiry");
    }
    checks.timestamp_always = when->string_value() == "always";
  }
  return checks;
}

absl::StatusOr<std::vector<NotationTrustPolicy>> ParseNotationTrustPolicy(
    absl::string_view json, const core::Limits& limits, absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(json, limits, source));
  auto error = [&](const core::Value& at, absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", at.position().ToString(), ": ", what));
  };
  const core::Value* version = root.Find("version");
  if (version == nullptr || !version->is_string() || version->string_value() != "1.0") {
    return error(version != nullptr ? *version : root, "version must be \"1.0\"");
  }
  const core::Value* list = root.Find("trustPolicies");
  if (list == nullptr || !list->is_list() || list->list_value().empty()) {
    return error(list != nullptr ? *list : root, "trustPolicies must be a non-empty list");
  }
  auto strings = [&](const core::Value& policy,
                     absl::string_view name) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> out;
    const core::Value* value = policy.Find(name);
    if (value == nullptr) return out;
    if (!value->is_list()) return error(*value, absl::StrCat(name, " must be a list"));
    for (const core::Value& item : value->list_value()) {
      if (!item.is_string()) return error(item, absl::StrCat(name, " holds a non-string"));
      out.push_back(item.string_value());
    }
    return out;
  };
  std::vector<NotationTrustPolicy> policies;
  std::set<std::string> scopes;
  std::set<std::string> names;
  for (const core::Value& item : list->list_value()) {
    if (!item.is_map()) return error(item, "a trust policy must be an object");
    NotationTrustPolicy policy;
    const core::Value* name = item.Find("name");
    if (name == nullptr || !name->is_string() || name->string_value().empty()) {
      return error(item, "name is required");
    }
    policy.name = name->string_value();
    if (!names.insert(policy.name).second) return error(*name, "policy name used twice");
    BULWARK_ASSIGN_OR_RETURN(policy.registry_scopes, strings(item, "registryScopes"));
    if (policy.registry_scopes.empty()) return error(item, "registryScopes is required");
    for (const std::string& scope : policy.registry_scopes) {
      if (scope == "*" && policy.registry_scopes.size() > 1) {
        return error(item, "\"*\" cannot be combined with other registry scopes");
      }
      if (!scopes.insert(scope).second) {
        return error(item, absl::StrCat("registry scope \"", scope, "\" is in two policies"));
      }
    }
    const core::Value* verification = item.Find("signatureVerification");
    if (verification == nullptr) return error(item, "signatureVerification is required");
    absl::StatusOr<NotationChecks> checks =
        ParseNotationSignatureVerification(*verification, &policy.level);
    if (!checks.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", checks.status().message()));
    }
    policy.checks = *checks;
    BULWARK_ASSIGN_OR_RETURN(policy.trust_stores, strings(item, "trustStores"));
    BULWARK_ASSIGN_OR_RETURN(policy.trusted_identities, strings(item, "trustedIdentities"));
    if (policy.level != NotationLevel::kSkip &&
        (policy.trust_stores.empty() || policy.trusted_identities.empty())) {
      return error(item, "trustStores and trustedIdentities are required unless level is skip");
    }
    policies.push_back(std::move(policy));
  }
  return policies;
}

const NotationTrustPolicy* FindNotationTrustPolicy(const std::vector<NotationTrustPolicy>& policies,
                                                   absl::string_view repository) {
  const NotationTrustPolicy* wildcard = nullptr;
  for (const NotationTrustPolicy& policy : policies) {
    for (const std::string& scope : policy.registry_scopes) {
      if (scope == repository) return &policy;
      if (scope == "*") wildcard = &policy;
    }
  }
  return wildcard;
}

}  // namespace bulwark::sign
