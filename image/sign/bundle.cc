#include "bulwark/image/sign/bundle.h"

#include <algorithm>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/sct.h"
#include "bulwark/image/sign/timestamp.h"
#include "bulwark/image/sign/tlog.h"
#include "re2/re2.h"

namespace bulwark::sign {
namespace {

constexpr size_t kMaxTimestamps = 32;  // As sigstore-python: more is an attack on the verifier.

absl::Status Malformed(absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("bundle: ", path, ": ", why));
}

absl::Status Denied(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(step, ": ", why));
}

const core::Value* At(const core::Value& root, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = root.Lookup(path);
  return value.ok() ? *value : nullptr;
}

std::string StringAt(const core::Value& root, absl::string_view path) {
  const core::Value* value = At(root, path);
  return value != nullptr && value->is_string() ? value->string_value() : "";
}

// protobuf's JSON mapping writes int64 as strings; accept numbers too.
absl::StatusOr<int64_t> Int64At(const core::Value& root, absl::string_view path,
                                absl::string_view where) {
  const core::Value* value = At(root, path);
  int64_t out = 0;
  if (value == nullptr) return Malformed(absl::StrCat(where, ".", path), "missing");
  if (value->is_int()) return value->int_value();
  if (value->is_string() && absl::SimpleAtoi(value->string_value(), &out)) return out;
  return Malformed(absl::StrCat(where, ".", path), "not an integer");
}

absl::StatusOr<std::string> Base64At(const core::Value& root, absl::string_view path,
                                     absl::string_view where) {
  const core::Value* value = At(root, path);
  if (value == nullptr || !value->is_string()) {
    return Malformed(absl::StrCat(where, ".", path), "missing");
  }
  absl::StatusOr<std::string> decoded = DecodeBase64(value->string_value(), path);
  if (!decoded.ok()) return Malformed(absl::StrCat(where, ".", path), "not base64");
  return decoded;
}

std::string Sha256(absl::string_view data) {
  return core::DigestBytes(core::DigestAlgorithm::kSha256, data).bytes();
}

struct Entry {
  RekorEntry rekor;
  bool has_promise = false;
};

struct Content {
  std::string version;
  std::vector<Certificate> chain;  // Leaf first.
  bool has_public_key = false;
  std::vector<Entry> entries;
  std::vector<std::string> timestamps;
  // Message signature.
  std::optional<std::string> message_digest;  // SHA-256 bytes, when given.
  std::string signature;
  // DSSE.
  std::optional<DsseEnvelope> envelope;
};

absl::StatusOr<Content> ParseContent(const core::Value& bundle) {
  Content content;
  const std::string media_type = StringAt(bundle, "mediaType");
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.1") {
    content.version = "0.1";
  } else if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.2") {
    content.version = "0.2";
  } else if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.3" ||
             media_type == "application/vnd.dev.sigstore.bundle.v0.3+json") {
    content.version = "0.3";
  } else {
    return Malformed("mediaType", absl::StrCat("unsupported bundle version \"", media_type, "\""));
  }
  const core::Value* material = bundle.Find("verificationMaterial");
  if (material == nullptr || !material->is_map()) {
    return Malformed("verificationMaterial", "missing");
  }
  if (const core::Value* chain = At(*material, "x509CertificateChain.certificates")) {
    if (!chain->is_list() || chain->list_value().empty()) {
      return Malformed("verificationMaterial.x509CertificateChain", "empty certificate chain");
    }
    for (size_t i = 0; i < chain->list_value().size(); ++i) {
      const std::string path =
          absl::StrCat("verificationMaterial.x509CertificateChain.certificates[", i, "]");
      BULWARK_ASSIGN_OR_RETURN(std::string der, Base64At(chain->list_value()[i], "rawBytes", path));
      absl::StatusOr<Certificate> cert = Certificate::ParseDer(der);
      if (!cert.ok()) return Malformed(path, cert.status().message());
      content.chain.push_back(*cert);
    }
  } else if (material->Find("certificate") != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(std::string der,
                             Base64At(*material, "certificate.rawBytes", "verificationMaterial"));
    absl::StatusOr<Certificate> cert = Certificate::ParseDer(der);
    if (!cert.ok()) return Malformed("verificationMaterial.certificate", cert.status().message());
    content.chain.push_back(*cert);
  } else if (material->Find("publicKey") != nullptr) {
    content.has_public_key = true;
  } else {
    return Malformed("verificationMaterial", "no certificate, chain or public key");
  }

  if (const core::Value* entries = material->Find("tlogEntries")) {
    if (!entries->is_list()) return Malformed("verificationMaterial.tlogEntries", "not a list");
    for (size_t i = 0; i < entries->list_value().size(); ++i) {
      const core::Value& item = entries->list_value()[i];
      const std::string where = absl::StrCat("verificationMaterial.tlogEntries[", i, "]");
      Entry entry;
      BULWARK_ASSIGN_OR_RETURN(entry.rekor.log_index, Int64At(item, "logIndex", where));
      BULWARK_ASSIGN_OR_RETURN(entry.rekor.log_id, Base64At(item, "logId.keyId", where));
      BULWARK_ASSIGN_OR_RETURN(entry.rekor.body, Base64At(item, "canonicalizedBody", where));
      entry.rekor.kind = StringAt(item, "kindVersion.kind");
      entry.rekor.version = StringAt(item, "kindVersion.version");
      if (At(item, "integratedTime") != nullptr) {
        BULWARK_ASSIGN_OR_RETURN(entry.rekor.integrated_time,
                                 Int64At(item, "integratedTime", where));
      }
      if (const core::Value* promise = At(item, "inclusionPromise");
          promise != nullptr && !promise->is_null()) {
        BULWARK_ASSIGN_OR_RETURN(entry.rekor.signed_entry_timestamp,
                                 Base64At(item, "inclusionPromise.signedEntryTimestamp", where));
        entry.has_promise = true;
      }
      if (const core::Value* proof = item.Find("inclusionProof"); proof && !proof->is_null()) {
        InclusionProof p;
        const std::string proof_where = absl::StrCat(where, ".inclusionProof");
        BULWARK_ASSIGN_OR_RETURN(p.log_index, Int64At(*proof, "logIndex", proof_where));
        BULWARK_ASSIGN_OR_RETURN(p.tree_size, Int64At(*proof, "treeSize", proof_where));
        BULWARK_ASSIGN_OR_RETURN(p.root_hash, Base64At(*proof, "rootHash", proof_where));
        p.checkpoint = StringAt(*proof, "checkpoint.envelope");
        if (const core::Value* hashes = proof->Find("hashes"); hashes && hashes->is_list()) {
          for (const core::Value& hash : hashes->list_value()) {
            std::string raw;
            if (!hash.is_string() || !absl::Base64Unescape(hash.string_value(), &raw)) {
              return Malformed(absl::StrCat(proof_where, ".hashes"), "not base64");
            }
            p.hashes.push_back(std::move(raw));
          }
        }
        entry.rekor.inclusion_proof = std::move(p);
      }
      if (content.version != "0.1" && (!entry.rekor.inclusion_proof.has_value() ||
                                       entry.rekor.inclusion_proof->checkpoint.empty())) {
        return Malformed(where, absl::StrCat("a v", content.version,
                                             " entry must contain an inclusion proof with a "
                                             "checkpoint"));
      }
      if (content.version == "0.1" && !entry.has_promise) {
        return Malformed(where, "a v0.1 entry must contain an inclusion promise");
      }
      content.entries.push_back(std::move(entry));
    }
  }
  if (const core::Value* stamps = At(*material, "timestampVerificationData.rfc3161Timestamps")) {
    if (!stamps->is_list()) return Malformed("timestampVerificationData", "not a list");
    if (stamps->list_value().size() > kMaxTimestamps) {
      return Malformed("timestampVerificationData",
                       absl::StrCat("too many timestamps (", stamps->list_value().size(), " > ",
                                    kMaxTimestamps, ")"));
    }
    for (size_t i = 0; i < stamps->list_value().size(); ++i) {
      BULWARK_ASSIGN_OR_RETURN(
          std::string der,
          Base64At(stamps->list_value()[i], "signedTimestamp",
                   absl::StrCat("timestampVerificationData.rfc3161Timestamps[", i, "]")));
      if (std::find(content.timestamps.begin(), content.timestamps.end(), der) !=
          content.timestamps.end()) {
        return Malformed("timestampVerificationData", "duplicate timestamps");
      }
      content.timestamps.push_back(std::move(der));
    }
  }

  if (const core::Value* message = bundle.Find("messageSignature")) {
    BULWARK_ASSIGN_OR_RETURN(content.signature,
                             Base64At(*message, "signature", "messageSignature"));
    if (At(*message, "messageDigest") != nullptr) {
      const std::string algorithm = StringAt(*message, "messageDigest.algorithm");
      if (algorithm != "SHA2_256") {
        return Malformed("messageSignature.messageDigest.algorithm",
                         absl::StrCat("unsupported \"", algorithm, "\""));
      }
      BULWARK_ASSIGN_OR_RETURN(std::string digest,
                               Base64At(*message, "messageDigest.digest", "messageSignature"));
      content.message_digest = digest;
    }
  } else if (const core::Value* envelope = bundle.Find("dsseEnvelope")) {
    absl::StatusOr<DsseEnvelope> parsed = DsseEnvelopeFromValue(*envelope, "dsseEnvelope");
    if (!parsed.ok()) return Malformed("dsseEnvelope", parsed.status().message());
    content.envelope = *std::move(parsed);
  } else {
    return Malformed("$", "neither messageSignature nor dsseEnvelope");
  }
  return content;
}

// The public key a logged verifier names (a PEM or DER certificate or key).
std::optional<PublicKey> VerifierKey(absl::string_view verifier) {
  if (absl::StatusOr<Certificate> cert = Certificate::Parse(verifier); cert.ok()) {
    absl::StatusOr<PublicKey> key = cert->public_key();
    if (key.ok()) return *key;
  }
  if (absl::StatusOr<PublicKey> key = PublicKey::Parse(verifier); key.ok()) return *key;
  return std::nullopt;
}

// CVE-2022-36056: the log entry must be about this signature, this key and this artifact.
absl::Status CheckEntryMatches(const RekorEntry& entry, const Content& content,
                               const PublicKey& signer, const std::string& signed_digest) {
  BULWARK_ASSIGN_OR_RETURN(RekorSignedContent logged, ParseRekorEntryBody(entry.body));
  // Rekor v2 logs DSSE signatures also as hashedrekord entries over the PAE bytes.
  const bool pae_entry = content.envelope.has_value() && logged.kind == "hashedrekord" &&
                         logged.digest == Sha256(PreAuthEncoding(content.envelope->payload_type,
                                                                 content.envelope->payload));
  if (logged.digest != signed_digest && !pae_entry) {
    return Denied("tlog", "log entry digest differs from the signed artifact or payload");
  }
  std::vector<std::string> signatures;
  if (content.envelope.has_value()) {
    for (const DsseSignature& sig : content.envelope->signatures)
      signatures.push_back(sig.signature);
  } else {
    signatures.push_back(content.signature);
  }
  for (const std::string& signature : signatures) {
    const bool found =
        std::any_of(logged.signatures.begin(), logged.signatures.end(),
                    [&](const RekorSignedContent::Signature& entry) {
                      std::optional<PublicKey> key = VerifierKey(entry.verifier);
                      return entry.signature == signature && key.has_value() && *key == signer;
                    });
    if (!found) return Denied("tlog", "log entry names another signature or key");
  }
  return absl::OkStatus();
}

const TransparencyLogKey* FindLog(absl::Span<const TransparencyLogKey> logs,
                                  absl::string_view log_id) {
  for (const TransparencyLogKey& log : logs) {
    if (log.log_id == log_id) return &log;
  }
  return nullptr;
}

// Exact comparison, or an RE2 full match. Errors: InvalidArgument for a pattern RE2 rejects.
absl::StatusOr<bool> Matches(const std::string& value, const std::string& wanted, bool regex) {
  if (!regex) return value == wanted;
  RE2 re(wanted, RE2::Quiet);
  if (!re.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("identity: invalid RE2 pattern \"", wanted, "\": ", re.error()));
  }
  return RE2::FullMatch(value, re);
}

absl::Status CheckIdentity(const Certificate& cert, const BundlePolicy& policy) {
  if (!policy.identity.empty()) {
    const std::vector<SubjectAltName> names = cert.subject_alt_names();
    std::vector<std::string> seen;
    bool matched = false;
    for (const SubjectAltName& name : names) {
      if (name.kind == SubjectAltName::Kind::kDns || name.kind == SubjectAltName::Kind::kIp) {
        continue;
      }
      seen.push_back(name.value);
      BULWARK_ASSIGN_OR_RETURN(bool match,
                               Matches(name.value, policy.identity, policy.identity_is_regex));
      matched = matched || match;
    }
    if (!matched) {
      return Denied("identity",
                    absl::StrCat("certificate identity ", seen.empty() ? "(none)" : seen.front(),
                                 " does not match ", policy.identity));
    }
  }
  if (!policy.issuer.empty()) {
    const std::string issuer = cert.fulcio_extensions().issuer;
    BULWARK_ASSIGN_OR_RETURN(bool match, Matches(issuer, policy.issuer, policy.issuer_is_regex));
    if (!match) {
      return Denied("identity",
                    absl::StrCat("OIDC issuer \"", issuer, "\" does not match ", policy.issuer));
    }
  }
  return absl::OkStatus();
}

// Chains the leaf to a CA of the trust root valid at `time`.
absl::StatusOr<std::vector<Certificate>> ChainAt(const Content& content, const TrustedRoot& root,
                                                 absl::Time time) {
  std::string last = "trust root has no certificate authority";
  for (const CertificateAuthority& ca : root.certificate_authorities()) {
    if (time < ca.valid_from || time > ca.valid_until) {
      last = "no certificate authority valid at the signing time";
      continue;
    }
    std::vector<Certificate> intermediates(ca.chain.begin(), ca.chain.end() - 1);
    intermediates.insert(intermediates.end(), content.chain.begin() + 1, content.chain.end());
    ChainOptions options;
    options.partial_chain = true;
    options.cache = &root.intermediate_cache();
    absl::StatusOr<std::vector<Certificate>> chain =
        VerifyChain(content.chain.front(), intermediates, {ca.chain.back()}, time, options);
    if (chain.ok()) return chain;
    last = std::string(chain.status().message());
  }
  return Denied("certificate", last);
}

}  // namespace

Artifact Artifact::FromBytes(std::string data) {
  Artifact artifact;
  artifact.digest = core::DigestBytes(core::DigestAlgorithm::kSha256, data);
  artifact.bytes = std::move(data);
  return artifact;
}

Artifact Artifact::FromDigest(core::Digest digest) {
  Artifact artifact;
  artifact.digest = std::move(digest);
  return artifact;
}

absl::StatusOr<BundleVerification> VerifyBundle(absl::string_view bundle_json,
                                                const Artifact& artifact, const TrustedRoot& root,
                                                const BundlePolicy& policy,
                                                const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value bundle, core::ParseJson(bundle_json, limits, "bundle"));
  BULWARK_ASSIGN_OR_RETURN(Content content, ParseContent(bundle));
  BundleVerification result;
  result.version = content.version;

  // 1. Who signed.
  std::optional<PublicKey> signer;
  if (content.has_public_key) {
    if (!policy.key.has_value()) return Denied("signature", "key-signed bundle and no key given");
    signer = policy.key;
  } else {
    absl::StatusOr<PublicKey> key = content.chain.front().public_key();
    if (!key.ok()) return Denied("certificate", key.status().message());
    signer = *key;
    result.certificate = content.chain.front();
    result.fulcio = content.chain.front().fulcio_extensions();
    if (policy.require_tlog && content.entries.empty() && content.timestamps.empty()) {
      return Malformed("verificationMaterial.tlogEntries", "expected at least one log entry");
    }
  }

  // 2. The signature over the artifact or the DSSE payload.
  std::string signed_digest;
  if (content.envelope.has_value()) {
    if (content.envelope->signatures.size() != 1) {
      return Denied("dsse", absl::StrCat("expected exactly one signature, found ",
                                         content.envelope->signatures.size()));
    }
    if (absl::Status status =
            VerifyDsse(*content.envelope, {*signer}, {1, {content.envelope->payload_type}});
        !status.ok()) {
      return Denied("signature", status.message());
    }
    signed_digest = Sha256(content.envelope->payload);
    result.envelope = content.envelope;
    if (content.envelope->payload_type == kInTotoPayloadType) {
      absl::StatusOr<Statement> statement = ParseStatement(content.envelope->payload);
      if (!statement.ok()) return Denied("dsse", statement.status().message());
      if (artifact.digest.has_value()) {
        if (absl::Status status = MatchSubject(*statement, *artifact.digest); !status.ok()) {
          return Denied("artifact", status.message());
        }
      }
      result.statement = *std::move(statement);
    } else if (artifact.digest.has_value() &&
               core::DigestBytes(core::DigestAlgorithm::kSha256, content.envelope->payload) !=
                   *artifact.digest) {
      // A DSSE payload that is not a statement is the artifact itself.
      return Denied("artifact", "DSSE payload is not the artifact");
    }
  } else {
    if (!artifact.digest.has_value()) return Denied("artifact", "no artifact or digest given");
    signed_digest = artifact.digest->bytes();
    if (content.message_digest.has_value() && *content.message_digest != signed_digest) {
      return Denied("artifact", "bundle's message digest is not the artifact's digest");
    }
    SignatureParams params = signer->DefaultParams();
    absl::Status status;
    if (signer->algorithm() == KeyAlgorithm::kEd25519) {
      if (!artifact.bytes.has_value()) {
        return Denied("signature", "Ed25519 signatures need the artifact, not its digest");
      }
      status = signer->Verify(*artifact.bytes, content.signature, params);
    } else {
      // Sigstore signs SHA-256 digests with every key (hashedrekord).
      params.hash = HashAlgorithm::kSha256;
      status = signer->VerifyDigest(signed_digest, content.signature, params);
    }
    if (!status.ok()) return Denied("signature", status.message());
  }

  // 3. Transparency-log entries and the times they prove.
  for (const Entry& entry : content.entries) {
    const TransparencyLogKey* log = FindLog(root.tlogs(), entry.rekor.log_id);
    if (log == nullptr) {
      return Denied("tlog", absl::StrCat("entry from unknown log ",
                                         absl::BytesToHexString(entry.rekor.log_id)));
    }
    BULWARK_RETURN_IF_ERROR(CheckEntryMatches(entry.rekor, content, *signer, signed_digest));
    if (entry.rekor.inclusion_proof.has_value()) {
      BULWARK_RETURN_IF_ERROR(
          VerifyInclusionProof(entry.rekor.body, *entry.rekor.inclusion_proof, root.tlogs()));
    }
    if (entry.has_promise) {
      BULWARK_RETURN_IF_ERROR(VerifySignedEntryTimestamp(entry.rekor, root.tlogs()));
      result.verified_times.push_back(absl::FromUnixSeconds(entry.rekor.integrated_time));
    }
  }
  const std::string& signature_bytes = content.envelope.has_value()
                                           ? content.envelope->signatures.front().signature
                                           : content.signature;
  for (const std::string& stamp : content.timestamps) {
    absl::StatusOr<absl::Time> time =
        VerifyRfc3161Timestamp(stamp, signature_bytes, root.timestamp_authorities());
    // As sigstore-python and sigstore-go: a timestamp that does not verify proves no time and
    // is not counted; the bundle still needs one verified time.
    if (!time.ok()) {
      result.ignored_timestamps.push_back(std::string(time.status().message()));
      continue;
    }
    result.verified_times.push_back(*time);
  }
  if (result.verified_times.empty()) {
    return Denied("timestamp",
                  result.ignored_timestamps.empty()
                      ? "no verified signing time (no inclusion promise and no signed timestamp)"
                      : absl::StrCat("no verified signing time; ", result.ignored_timestamps[0]));
  }

  // 4. The certificate at every verified time, its SCTs, and the identity.
  if (result.certificate.has_value()) {
    std::vector<Certificate> chain;
    for (absl::Time time : result.verified_times) {
      BULWARK_ASSIGN_OR_RETURN(chain, ChainAt(content, root, time));
    }
    if (policy.require_sct && chain.size() >= 2) {
      if (absl::Status status = VerifyEmbeddedScts(chain[0], chain[1], root.ct_log_store());
          !status.ok()) {
        return status;
      }
    }
    BULWARK_RETURN_IF_ERROR(CheckIdentity(*result.certificate, policy));
  }
  return result;
}

}  // namespace bulwark::sign
