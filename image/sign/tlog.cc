#include "bulwark/image/sign/tlog.h"

#include <openssl/crypto.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/internal/canonical_json.h"

namespace bulwark::sign {
namespace {

std::string Sha256(absl::string_view data) {
  return core::DigestBytes(core::DigestAlgorithm::kSha256, data).bytes();
}

bool SameBytes(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::Status Denied(absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("tlog: ", why));
}

// Checks a log signature over `message` with a log key's usual parameters.
bool LogSignatureVerifies(const TransparencyLogKey& log, absl::string_view message,
                          absl::string_view signature) {
  return log.key.Verify(message, signature, log.key.DefaultParams()).ok();
}

}  // namespace

TransparencyLogKey LogKeyFromPublicKey(const PublicKey& key) {
  return TransparencyLogKey{Sha256(key.SpkiDer()), key};
}

absl::Status VerifySignedEntryTimestamp(const RekorEntry& entry,
                                        absl::Span<const TransparencyLogKey> logs) {
  if (entry.signed_entry_timestamp.empty()) return Denied("no signed entry timestamp");
  const TransparencyLogKey* log = nullptr;
  for (const TransparencyLogKey& candidate : logs) {
    if (SameBytes(candidate.log_id, entry.log_id)) log = &candidate;
  }
  if (log == nullptr) {
    return Denied(
        absl::StrCat("log id ", absl::BytesToHexString(entry.log_id), " is not a trusted log"));
  }
  const absl::Time integrated = absl::FromUnixSeconds(entry.integrated_time);
  if (integrated < log->valid_from || integrated > log->valid_until) {
    return Denied("log key not valid at the integrated time");
  }
  core::ValueMap payload;
  payload.push_back({"body", core::Value(absl::Base64Escape(entry.body))});
  payload.push_back({"integratedTime", core::Value(static_cast<int64_t>(entry.integrated_time))});
  payload.push_back({"logID", core::Value(absl::BytesToHexString(entry.log_id))});
  payload.push_back({"logIndex", core::Value(static_cast<int64_t>(entry.log_index))});
  BULWARK_ASSIGN_OR_RETURN(std::string canonical,
                           internal::CanonicalJson(core::Value(std::move(payload))));
  if (!LogSignatureVerifies(*log, canonical, entry.signed_entry_timestamp)) {
    return Denied("signed entry timestamp does not verify");
  }
  return absl::OkStatus();
}

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text) {
  const size_t blank = text.find("\n\n");
  if (blank == absl::string_view::npos) {
    return absl::InvalidArgumentError("checkpoint: no blank line before the signatures");
  }
  Checkpoint checkpoint;
  checkpoint.body = std::string(text.substr(0, blank + 1));
  std::vector<absl::string_view> lines = absl::StrSplit(text.substr(0, blank), '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError("checkpoint: fewer than 3 lines (origin, size, root hash)");
  }
  checkpoint.origin = std::string(lines[0]);
  if (checkpoint.origin.empty())
    return absl::InvalidArgumentError("checkpoint: line 1: empty origin");
  if (!absl::SimpleAtoi(lines[1], &checkpoint.tree_size) || checkpoint.tree_size < 0) {
    return absl::InvalidArgumentError("checkpoint: line 2: not a tree size");
  }
  if (!absl::Base64Unescape(lines[2], &checkpoint.root_hash) || checkpoint.root_hash.size() != 32) {
    return absl::InvalidArgumentError("checkpoint: line 3: not a base64 SHA-256 root hash");
  }
  constexpr absl::string_view kDash = "\xe2\x80\x94 ";  // U+2014 EM DASH, then a space.
  int line_number = static_cast<int>(lines.size()) + 1;
  for (absl::string_view line : absl::StrSplit(text.substr(blank + 2), '\n')) {
    ++line_number;
    if (line.empty()) continue;
    if (!absl::ConsumePrefix(&line, kDash)) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint: line ", line_number, ": not a signature line"));
    }
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint: line ", line_number, ": no key name"));
    }
    std::string decoded;
    if (!absl::Base64Unescape(line.substr(space + 1), &decoded) || decoded.size() < 5) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint: line ", line_number, ": bad signature encoding"));
    }
    checkpoint.signatures.push_back(
        {std::string(line.substr(0, space)), decoded.substr(0, 4), decoded.substr(4)});
  }
  if (checkpoint.signatures.empty()) return absl::InvalidArgumentError("checkpoint: no signatures");
  return checkpoint;
}

absl::Status VerifyCheckpoint(const Checkpoint& checkpoint,
                              absl::Span<const TransparencyLogKey> logs) {
  for (const Checkpoint::Signature& signature : checkpoint.signatures) {
    for (const TransparencyLogKey& log : logs) {
      std::string hint = log.log_id.substr(0, 4);
      if (log.key.algorithm() == KeyAlgorithm::kEd25519) {
        // c2sp.org/signed-note: key id = SHA-256(name || "\n" || 0x01 || raw key)[:4]. The raw
        // Ed25519 key is the last 32 bytes of its SubjectPublicKeyInfo.
        const std::string spki = log.key.SpkiDer();
        hint = Sha256(absl::StrCat(signature.name, "\n", std::string(1, '\x01'),
                                   spki.substr(spki.size() - 32)))
                   .substr(0, 4);
      }
      if (!SameBytes(hint, signature.key_hint)) continue;
      if (LogSignatureVerifies(log, checkpoint.body, signature.signature)) return absl::OkStatus();
    }
  }
  return Denied(absl::StrCat("checkpoint from \"", checkpoint.origin,
                             "\" has no valid signature by a trusted log key"));
}

absl::Status VerifyInclusionProof(absl::string_view leaf, const InclusionProof& proof,
                                  absl::Span<const TransparencyLogKey> logs) {
  if (proof.log_index < 0 || proof.log_index >= proof.tree_size) {
    return Denied(absl::StrCat("inclusion proof: index ", proof.log_index, " outside tree of size ",
                               proof.tree_size));
  }
  uint64_t fn = static_cast<uint64_t>(proof.log_index);
  uint64_t sn = static_cast<uint64_t>(proof.tree_size - 1);
  std::string r = Sha256(absl::StrCat(std::string(1, '\0'), leaf));
  for (const std::string& p : proof.hashes) {
    if (sn == 0) return Denied("inclusion proof: more hashes than the tree has levels");
    if ((fn & 1) != 0 || fn == sn) {
      r = Sha256(absl::StrCat(std::string(1, '\x01'), p, r));
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = Sha256(absl::StrCat(std::string(1, '\x01'), r, p));
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Denied("inclusion proof: too few hashes for the tree size");
  if (!SameBytes(r, proof.root_hash)) {
    return Denied("inclusion proof: computed root hash differs from the proof's root hash");
  }
  if (proof.checkpoint.empty()) return Denied("inclusion proof without a checkpoint");
  absl::StatusOr<Checkpoint> checkpoint = ParseCheckpoint(proof.checkpoint);
  if (!checkpoint.ok()) return Denied(checkpoint.status().message());
  if (checkpoint->tree_size != proof.tree_size || !SameBytes(checkpoint->root_hash, r)) {
    return Denied("checkpoint does not commit to the proof's tree size and root hash");
  }
  return VerifyCheckpoint(*checkpoint, logs);
}

absl::StatusOr<HashedRekord> ParseHashedRekordBody(absl::string_view body) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(body, {}, "rekor entry body"));
  auto string_at = [&](absl::string_view path) -> absl::StatusOr<std::string> {
    absl::StatusOr<const core::Value*> value = root.Lookup(path);
    if (!value.ok() || !(*value)->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("rekor entry body: ", path, ": missing"));
    }
    return (*value)->string_value();
  };
  HashedRekord rekord;
  BULWARK_ASSIGN_OR_RETURN(std::string kind, string_at("kind"));
  if (kind != "hashedrekord") {
    return absl::InvalidArgumentError(
        absl::StrCat("rekor entry body: kind \"", kind, "\" is not hashedrekord"));
  }
  BULWARK_ASSIGN_OR_RETURN(rekord.hash_algorithm, string_at("spec.data.hash.algorithm"));
  BULWARK_ASSIGN_OR_RETURN(std::string hex, string_at("spec.data.hash.value"));
  rekord.digest = absl::HexStringToBytes(hex);
  BULWARK_ASSIGN_OR_RETURN(std::string signature, string_at("spec.signature.content"));
  BULWARK_ASSIGN_OR_RETURN(rekord.signature, DecodeBase64(signature, "spec.signature.content"));
  BULWARK_ASSIGN_OR_RETURN(std::string verifier, string_at("spec.signature.publicKey.content"));
  BULWARK_ASSIGN_OR_RETURN(rekord.verifier,
                           DecodeBase64(verifier, "spec.signature.publicKey.content"));
  return rekord;
}

absl::StatusOr<RekorSignedContent> ParseRekorEntryBody(absl::string_view body) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(body, {}, "tlog entry body"));
  auto string_at = [](const core::Value& value, absl::string_view path) -> std::string {
    absl::StatusOr<const core::Value*> found = value.Lookup(path);
    return found.ok() && (*found)->is_string() ? (*found)->string_value() : "";
  };
  auto list_at = [&](absl::string_view path) -> absl::Span<const core::Value> {
    absl::StatusOr<const core::Value*> found = root.Lookup(path);
    if (!found.ok() || !(*found)->is_list()) return {};
    return (*found)->list_value();
  };
  auto b64 = [](const std::string& text) {
    std::string out;
    absl::Base64Unescape(text, &out);
    return out;
  };
  // Rekor v2 verifiers hold DER: a certificate or a public key.
  auto v2_verifier = [&](const core::Value& verifier) {
    std::string der = b64(string_at(verifier, "x509Certificate.rawBytes"));
    return der.empty() ? b64(string_at(verifier, "publicKey.rawBytes")) : der;
  };
  RekorSignedContent logged;
  logged.kind = string_at(root, "kind");
  logged.version = string_at(root, "apiVersion");
  const std::string& kind = logged.kind;
  const std::string& version = logged.version;
  if (kind == "hashedrekord" && version == "0.0.1") {
    BULWARK_ASSIGN_OR_RETURN(HashedRekord rekord, ParseHashedRekordBody(body));
    logged.digest = rekord.digest;
    logged.signatures.push_back({rekord.signature, rekord.verifier});
  } else if (kind == "hashedrekord" && version == "0.0.2") {
    absl::StatusOr<const core::Value*> spec = root.Lookup("spec.hashedRekordV002");
    if (!spec.ok()) return Denied("hashedrekord 0.0.2 body without hashedRekordV002");
    logged.digest = b64(string_at(**spec, "data.digest"));
    absl::StatusOr<const core::Value*> verifier = (*spec)->Lookup("signature.verifier");
    logged.signatures.push_back({b64(string_at(**spec, "signature.content")),
                                 verifier.ok() ? v2_verifier(**verifier) : ""});
  } else if (kind == "dsse" && version == "0.0.1") {
    logged.digest = absl::HexStringToBytes(string_at(root, "spec.payloadHash.value"));
    for (const core::Value& sig : list_at("spec.signatures")) {
      logged.signatures.push_back(
          {b64(string_at(sig, "signature")), b64(string_at(sig, "verifier"))});
    }
  } else if (kind == "dsse" && version == "0.0.2") {
    logged.digest = b64(string_at(root, "spec.dsseV002.payloadHash.digest"));
    for (const core::Value& sig : list_at("spec.dsseV002.signatures")) {
      const core::Value* verifier = sig.Find("verifier");
      logged.signatures.push_back(
          {b64(string_at(sig, "content")), verifier ? v2_verifier(*verifier) : ""});
    }
  } else if (kind == "intoto" && version == "0.0.2") {
    logged.digest = absl::HexStringToBytes(string_at(root, "spec.content.payloadHash.value"));
    for (const core::Value& sig : list_at("spec.content.envelope.signatures")) {
      // intoto 0.0.2 stores the signature and key base64-encoded twice.
      logged.signatures.push_back(
          {b64(b64(string_at(sig, "sig"))), b64(string_at(sig, "publicKey"))});
    }
  } else {
    return Denied(absl::StrCat("unsupported entry kind ", kind, " ", version));
  }
  return logged;
}

}  // namespace bulwark::sign
