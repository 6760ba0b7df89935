#include "bulwark/image/sign/gcb.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/dsse.h"
#include "re2/re2.h"

namespace bulwark::sign {
namespace {

constexpr absl::string_view kGcbWorker = "https://cloudbuild.googleapis.com/GoogleHostedWorker";

absl::Status Fail(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("gcb: ", step, ": ", why));
}

std::string StringAt(const core::Value& root, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = root.Lookup(path);
  return value.ok() && (*value)->is_string() ? (*value)->string_value() : "";
}

// The region of a builtByGCB key version id, or "" when `key_id` is not one.
std::string KeyRegion(const std::string& key_id) {
  static const RE2 kKeyId(
      "projects/verified-builder/locations/([a-z0-9-]+)/keyRings/attestor/cryptoKeys/builtByGCB/"
      "cryptoKeyVersions/1");
  std::string region;
  return RE2::FullMatch(key_id, kKeyId, &region) ? region : "";
}

// The provenance fields of a SLSA v0.1 predicate (builder, recipe, materials).
void ReadPredicate(GcbProvenance* provenance) {
  const core::Value& predicate = provenance->statement.predicate;
  provenance->builder_id = StringAt(predicate, "builder.id");
  provenance->build_type = StringAt(predicate, "recipe.type");
  provenance->entry_point = StringAt(predicate, "recipe.entryPoint");
  absl::StatusOr<const core::Value*> materials = predicate.Lookup("materials");
  if (!materials.ok() || !(*materials)->is_list() || (*materials)->list_value().empty()) return;
  const core::Value& first = (*materials)->list_value().front();
  provenance->source_uri = StringAt(first, "uri");
  if (const core::Value* digest = first.Find("digest"); digest != nullptr && digest->is_map()) {
    for (const core::MapEntry& entry : digest->map_value()) {
      if (entry.value.is_string())
        provenance->source_digest[entry.key] = entry.value.string_value();
    }
  }
}

absl::StatusOr<GcbProvenance> VerifyOccurrence(const core::Value& occurrence, size_t index,
                                               const core::Digest& image,
                                               const GcbVerifyOptions& options) {
  const std::string where = absl::StrCat("provenance_summary.provenance[", index, "]");
  const core::Value* envelope_json = occurrence.Find("envelope");
  if (envelope_json == nullptr) return Fail("provenance", absl::StrCat(where, ": no envelope"));
  absl::StatusOr<DsseEnvelope> envelope =
      DsseEnvelopeFromValue(*envelope_json, absl::StrCat(where, ".envelope"));
  if (!envelope.ok()) return Fail("provenance", envelope.status().message());
  if (envelope->payload_type != kInTotoPayloadType) {
    return Fail("provenance", absl::StrCat(where, ": payload type \"", envelope->payload_type,
                                           "\" is not ", kInTotoPayloadType));
  }
  GcbProvenance provenance;
  for (const DsseSignature& signature : envelope->signatures) {
    provenance.region = KeyRegion(signature.keyid);
    if (!provenance.region.empty()) {
      provenance.key_id = signature.keyid;
      break;
    }
  }
  if (provenance.key_id.empty()) {
    return Fail(
        "keyid",
        absl::StrCat(where, ": no signature by a builtByGCB key version (keyid \"",
                     envelope->signatures.empty() ? "" : envelope->signatures[0].keyid, "\")"));
  }
  absl::StatusOr<Statement> statement = ParseStatement(envelope->payload, {}, where);
  if (!statement.ok()) return Fail("provenance", statement.status().message());
  provenance.statement = *std::move(statement);
  if (absl::Status status = MatchSubject(provenance.statement, image); !status.ok()) {
    return Fail("subject", status.message());
  }
  if (provenance.statement.predicate_type != kSlsaProvenanceV01) {
    return Fail("provenance", absl::StrCat("predicate type \"", provenance.statement.predicate_type,
                                           "\" is not ", kSlsaProvenanceV01));
  }
  ReadPredicate(&provenance);
  if (!absl::StartsWith(provenance.builder_id, kGcbWorker) ||
      (!options.builder_id.empty() && provenance.builder_id != options.builder_id)) {
    return Fail("builder", absl::StrCat("builder id \"", provenance.builder_id, "\" is not ",
                                        options.builder_id.empty() ? std::string(kGcbWorker)
                                                                   : options.builder_id));
  }
  auto key = options.keys.find(provenance.region);
  if (key == options.keys.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "gcb: key: the Google Cloud KMS public key of ", provenance.key_id,
        " is not available (Bulwark ships no Google keys; give the builtByGCB key of region \"",
        provenance.region, "\")"));
  }
  SignatureParams params = key->second.DefaultParams();
  params.hash = HashAlgorithm::kSha256;
  const std::string pae = PreAuthEncoding(envelope->payload_type, envelope->payload);
  for (const DsseSignature& signature : envelope->signatures) {
    if (signature.keyid == provenance.key_id &&
        key->second.Verify(pae, signature.signature, params).ok()) {
      return provenance;
    }
  }
  return Fail("signature", absl::StrCat(where,
                                        ": the envelope's signature does not verify with "
                                        "the key of ",
                                        provenance.key_id));
}

}  // namespace

absl::StatusOr<GcbVerification> VerifyGcbProvenance(absl::string_view json,
                                                    const core::Digest& image,
                                                    const GcbVerifyOptions& options,
                                                    const core::Limits& limits) {
  absl::StatusOr<core::Value> root = core::ParseJson(json, limits, "gcb provenance");
  if (!root.ok()) return Fail("provenance", root.status().message());
  absl::StatusOr<const core::Value*> list = root->Lookup("provenance_summary.provenance");
  if (!list.ok() || !(*list)->is_list() || (*list)->list_value().empty()) {
    return Fail("provenance", "provenance_summary.provenance is missing or empty");
  }
  GcbVerification result;
  for (size_t i = 0; i < (*list)->list_value().size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(GcbProvenance provenance,
                             VerifyOccurrence((*list)->list_value()[i], i, image, options));
    result.provenance.push_back(std::move(provenance));
  }
  return result;
}

}  // namespace bulwark::sign
