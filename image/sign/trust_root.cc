#include "bulwark/image/sign/trust_root.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/dsse.h"

namespace bulwark::sign {
namespace {

absl::Status Invalid(absl::string_view source, absl::string_view path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(source, ": ", path, ": ", why));
}

absl::StatusOr<absl::Time> ParseTime(const core::Value* value, absl::Time fallback,
                                     absl::string_view source, absl::string_view path) {
  if (value == nullptr) return fallback;
  if (!value->is_string()) return Invalid(source, path, "not an RFC 3339 string");
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, value->string_value(), &time, &error)) {
    return Invalid(source, path, absl::StrCat("not an RFC 3339 time: ", error));
  }
  return time;
}

absl::Status ParseValidity(const core::Value& parent, absl::string_view source,
                           absl::string_view path, absl::Time* from, absl::Time* until) {
  const core::Value* valid_for = parent.Find("validFor");
  if (valid_for == nullptr) return absl::OkStatus();
  BULWARK_ASSIGN_OR_RETURN(*from, ParseTime(valid_for->Find("start"), absl::InfinitePast(), source,
                                            absl::StrCat(path, ".validFor.start")));
  BULWARK_ASSIGN_OR_RETURN(*until, ParseTime(valid_for->Find("end"), absl::InfiniteFuture(), source,
                                             absl::StrCat(path, ".validFor.end")));
  return absl::OkStatus();
}

std::string StringOr(const core::Value& parent, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = parent.Lookup(path);
  return value.ok() && (*value)->is_string() ? (*value)->string_value() : "";
}

// Reads tlogs / ctlogs entries. Unsupported keys are skipped and recorded.
absl::Status ParseLogs(const core::Value& root, absl::string_view member, absl::string_view source,
                       std::vector<TransparencyLogKey>* out, std::vector<std::string>* skipped) {
  const core::Value* logs = root.Find(member);
  if (logs == nullptr) return absl::OkStatus();
  if (!logs->is_list()) return Invalid(source, member, "not a list");
  for (size_t i = 0; i < logs->list_value().size(); ++i) {
    const core::Value& log = logs->list_value()[i];
    const std::string path = absl::StrCat(member, "[", i, "]");
    const std::string raw = StringOr(log, "publicKey.rawBytes");
    const std::string key_id = StringOr(log, "logId.keyId");
    if (raw.empty() || key_id.empty()) {
      return Invalid(source, path, "publicKey.rawBytes or logId.keyId missing");
    }
    BULWARK_ASSIGN_OR_RETURN(std::string der, DecodeBase64(raw, absl::StrCat(path, ".publicKey")));
    absl::StatusOr<PublicKey> key = PublicKey::ParseDer(der);
    if (!key.ok()) key = PublicKey::ParsePkcs1RsaDer(der);
    if (!key.ok()) {
      skipped->push_back(absl::StrCat(path, ": ", key.status().message()));
      continue;
    }
    TransparencyLogKey entry{"", *key};
    BULWARK_ASSIGN_OR_RETURN(entry.log_id, DecodeBase64(key_id, absl::StrCat(path, ".logId")));
    entry.base_url = StringOr(log, "baseUrl");
    BULWARK_RETURN_IF_ERROR(ParseValidity(*log.Find("publicKey"), source,
                                          absl::StrCat(path, ".publicKey"), &entry.valid_from,
                                          &entry.valid_until));
    out->push_back(std::move(entry));
  }
  return absl::OkStatus();
}

absl::Status ParseAuthorities(const core::Value& root, absl::string_view member,
                              absl::string_view source, std::vector<CertificateAuthority>* out) {
  const core::Value* authorities = root.Find(member);
  if (authorities == nullptr) return absl::OkStatus();
  if (!authorities->is_list()) return Invalid(source, member, "not a list");
  for (size_t i = 0; i < authorities->list_value().size(); ++i) {
    const core::Value& authority = authorities->list_value()[i];
    const std::string path = absl::StrCat(member, "[", i, "]");
    CertificateAuthority ca;
    ca.uri = StringOr(authority, "uri");
    absl::StatusOr<const core::Value*> certs = authority.Lookup("certChain.certificates");
    if (!certs.ok() || !(*certs)->is_list() || (*certs)->list_value().empty()) {
      return Invalid(source, path, "certChain.certificates missing or empty");
    }
    for (size_t k = 0; k < (*certs)->list_value().size(); ++k) {
      const std::string cert_path = absl::StrCat(path, ".certChain.certificates[", k, "]");
      const std::string raw = StringOr((*certs)->list_value()[k], "rawBytes");
      BULWARK_ASSIGN_OR_RETURN(std::string der, DecodeBase64(raw, cert_path));
      absl::StatusOr<Certificate> cert = Certificate::ParseDer(der);
      if (!cert.ok()) return Invalid(source, cert_path, cert.status().message());
      ca.chain.push_back(*cert);
    }
    BULWARK_RETURN_IF_ERROR(
        ParseValidity(authority, source, path, &ca.valid_from, &ca.valid_until));
    out->push_back(std::move(ca));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const TrustedRoot>> TrustedRoot::Parse(absl::string_view json,
                                                                      const core::Limits& limits,
                                                                      absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(json, limits, source));
  const core::Value* root = &document;
  std::string media_type = StringOr(document, "mediaType");
  if (absl::StartsWith(media_type, "application/vnd.dev.sigstore.clienttrustconfig")) {
    root = document.Find("trustedRoot");
    if (root == nullptr) return Invalid(source, "trustedRoot", "missing in a ClientTrustConfig");
    media_type = StringOr(*root, "mediaType");
  }
  if (media_type != "application/vnd.dev.sigstore.trustedroot+json;version=0.1" &&
      media_type != "application/vnd.dev.sigstore.trustedroot.v0.2+json") {
    return Invalid(source, "mediaType", absl::StrCat("unsupported \"", media_type, "\""));
  }
  std::shared_ptr<TrustedRoot> trusted(new TrustedRoot());
  BULWARK_RETURN_IF_ERROR(
      ParseLogs(*root, "tlogs", source, &trusted->tlogs_, &trusted->skipped_keys_));
  BULWARK_RETURN_IF_ERROR(
      ParseLogs(*root, "ctlogs", source, &trusted->ctlogs_, &trusted->skipped_keys_));
  BULWARK_RETURN_IF_ERROR(
      ParseAuthorities(*root, "certificateAuthorities", source, &trusted->cas_));
  BULWARK_RETURN_IF_ERROR(ParseAuthorities(*root, "timestampAuthorities", source, &trusted->tsas_));
  BULWARK_ASSIGN_OR_RETURN(trusted->ct_log_store_, CtLogStore::Create(trusted->ctlogs_));
  return std::shared_ptr<const TrustedRoot>(std::move(trusted));
}

absl::StatusOr<std::shared_ptr<const TrustedRoot>> TrustedRoot::Load(const std::string& path,
                                                                     const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  return Parse(text, limits, path);
}

}  // namespace bulwark::sign
