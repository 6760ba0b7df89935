#include "bulwark/image/sign/dsse.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::sign {
namespace {

absl::StatusOr<const core::Value*> RequireString(const core::Value& object, absl::string_view key,
                                                 absl::string_view where) {
  const core::Value* value = object.Find(key);
  if (value == nullptr || !value->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", key, ": missing or not a string"));
  }
  return value;
}

}  // namespace

absl::StatusOr<std::string> DecodeBase64(absl::string_view text, absl::string_view what) {
  std::string out;
  if (absl::Base64Unescape(text, &out)) return out;
  if (absl::WebSafeBase64Unescape(text, &out)) return out;
  return absl::InvalidArgumentError(absl::StrCat(what, ": not valid base64"));
}

std::string PreAuthEncoding(absl::string_view payload_type, absl::string_view payload) {
  return absl::StrCat("DSSEv1 ", payload_type.size(), " ", payload_type, " ", payload.size(), " ",
                      payload);
}

absl::StatusOr<DsseEnvelope> DsseEnvelopeFromValue(const core::Value& value,
                                                   absl::string_view where) {
  if (!value.is_map()) return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
  DsseEnvelope envelope;
  BULWARK_ASSIGN_OR_RETURN(const core::Value* type, RequireString(value, "payloadType", where));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* payload, RequireString(value, "payload", where));
  envelope.payload_type = type->string_value();
  BULWARK_ASSIGN_OR_RETURN(envelope.payload,
                           DecodeBase64(payload->string_value(), absl::StrCat(where, ".payload")));
  const core::Value* signatures = value.Find("signatures");
  if (signatures == nullptr || !signatures->is_list()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": signatures: missing or not a list"));
  }
  for (size_t i = 0; i < signatures->list_value().size(); ++i) {
    const core::Value& entry = signatures->list_value()[i];
    const std::string path = absl::StrCat(where, ".signatures[", i, "]");
    if (!entry.is_map()) return absl::InvalidArgumentError(absl::StrCat(path, ": not an object"));
    BULWARK_ASSIGN_OR_RETURN(const core::Value* sig, RequireString(entry, "sig", path));
    DsseSignature signature;
    BULWARK_ASSIGN_OR_RETURN(signature.signature,
                             DecodeBase64(sig->string_value(), absl::StrCat(path, ".sig")));
    if (const core::Value* keyid = entry.Find("keyid"); keyid != nullptr && keyid->is_string()) {
      signature.keyid = keyid->string_value();
    }
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

absl::StatusOr<DsseEnvelope> ParseDsseEnvelope(absl::string_view json, const core::Limits& limits,
                                               absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(core::Value value, core::ParseJson(json, limits, source));
  return DsseEnvelopeFromValue(value, source);
}

absl::Status VerifyDsse(const DsseEnvelope& envelope, absl::Span<const PublicKey> trusted_keys,
                        const DsseVerifyOptions& options) {
  const std::vector<std::string> default_types = {std::string(kInTotoPayloadType)};
  const std::vector<std::string>& types =
      options.supported_payload_types.empty() ? default_types : options.supported_payload_types;
  if (std::find(types.begin(), types.end(), envelope.payload_type) == types.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("dsse: unsupported payload type \"", envelope.payload_type, "\""));
  }
  if (envelope.signatures.empty()) return absl::PermissionDeniedError("dsse: no signatures");
  const std::string pae = PreAuthEncoding(envelope.payload_type, envelope.payload);
  int verified_keys = 0;
  for (size_t k = 0; k < trusted_keys.size(); ++k) {
    const PublicKey& key = trusted_keys[k];
    // The same key listed twice still counts once toward the threshold.
    if (std::any_of(trusted_keys.begin(), trusted_keys.begin() + k,
                    [&](const PublicKey& earlier) { return earlier == key; })) {
      continue;
    }
    for (const DsseSignature& signature : envelope.signatures) {
      if (key.Verify(pae, signature.signature, key.DefaultParams()).ok()) {
        ++verified_keys;
        break;
      }
    }
  }
  if (verified_keys < options.threshold) {
    return absl::PermissionDeniedError(
        absl::StrCat("dsse: ", verified_keys, " trusted key(s) verified a signature, threshold is ",
                     options.threshold));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::sign
