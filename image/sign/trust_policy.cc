#include "bulwark/image/sign/trust_policy.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "re2/re2.h"

namespace bulwark::sign {
namespace {

constexpr uint64_t kMaxKeyBytes = 1 << 20;

// Error messages name the document and the line:column of the offending value.
class Reader {
 public:
  Reader(absl::string_view source, std::string base_dir)
      : source_(source), base_dir_(std::move(base_dir)) {}

  absl::Status Error(const core::Value& at, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", at.position().ToString(), ": ", what));
  }

  // `value` must be a map whose keys are all in `allowed`.
  absl::Status CheckMap(const core::Value& value, absl::string_view what,
                        std::initializer_list<absl::string_view> allowed) const {
    if (!value.is_map()) return Error(value, absl::StrCat(what, " must be a map"));
    for (const core::MapEntry& entry : value.map_value()) {
      if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
        return Error(entry.value, absl::StrCat("unknown member \"", entry.key, "\" in ", what,
                                               " (known: ", absl::StrJoin(allowed, ", "), ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> String(const core::Value& map, absl::string_view key,
                                     bool required) const {
    const core::Value* value = map.Find(key);
    if (value == nullptr) {
      if (required) return Error(map, absl::StrCat("\"", key, "\" is required"));
      return std::string();
    }
    if (!value->is_string()) return Error(*value, absl::StrCat("\"", key, "\" must be a string"));
    return value->string_value();
  }

  absl::StatusOr<std::vector<std::string>> Strings(const core::Value& map,
                                                   absl::string_view key) const {
    std::vector<std::string> out;
    const core::Value* value = map.Find(key);
    if (value == nullptr) return out;
    if (!value->is_list()) return Error(*value, absl::StrCat("\"", key, "\" must be a list"));
    for (const core::Value& item : value->list_value()) {
      if (!item.is_string()) return Error(item, absl::StrCat("\"", key, "\" holds a non-string"));
      out.push_back(item.string_value());
    }
    return out;
  }

  // The full path of a file or directory named relative to the policy's directory, which it
  // may not leave.
  absl::StatusOr<std::string> Relative(const core::Value& at, const std::string& path) const {
    const std::filesystem::path relative(path);
    if (relative.empty() || relative.is_absolute() ||
        std::any_of(relative.begin(), relative.end(),
                    [](const auto& part) { return part == ".."; })) {
      return Error(at, absl::StrCat("\"", path,
                                    "\" must be relative to the policy's directory, without .."));
    }
    return (std::filesystem::path(base_dir_) / relative).string();
  }

  absl::StatusOr<std::string> ReadRelative(const core::Value& at, const std::string& path,
                                           uint64_t max_bytes) const {
    BULWARK_ASSIGN_OR_RETURN(std::string full, Relative(at, path));
    return core::ReadFileToString(full, max_bytes);
  }

  std::string FullPath(const std::string& path) const {
    return (std::filesystem::path(base_dir_) / path).string();
  }

  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::string base_dir_;
};

// The RE2 pattern of a scope glob: `**` any characters, `*` any within a path segment.
std::string GlobToRegex(absl::string_view glob) {
  std::string out;
  for (size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '*') {
      if (i + 1 < glob.size() && glob[i + 1] == '*') {
        out.append(".*");
        ++i;
      } else {
        out.append("[^/]*");
      }
    } else {
      out.append(RE2::QuoteMeta(re2::StringPiece(glob.data() + i, 1)));
    }
  }
  return out;
}

absl::Status CheckRegex(const Reader& reader, const core::Value& at, const std::string& pattern) {
  const RE2 regex(pattern, RE2::Quiet);
  if (!regex.ok()) {
    return reader.Error(at, absl::StrCat("pattern \"", pattern, "\": ", regex.error()));
  }
  return absl::OkStatus();
}

bool FullMatch(absl::string_view text, const std::string& pattern) {
  const RE2 regex(pattern, RE2::Quiet);
  return regex.ok() && RE2::FullMatch(re2::StringPiece(text.data(), text.size()), regex);
}

// "registry/path" of a reference, with Docker Hub's implicit names made explicit.
std::string NormalizedRepository(absl::string_view reference) {
  reference = reference.substr(0, reference.find('@'));
  const size_t colon = reference.rfind(':');
  const size_t slash = reference.rfind('/');
  if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon > slash)) {
    reference = reference.substr(0, colon);
  }
  const size_t first_slash = reference.find('/');
  const absl::string_view first = reference.substr(0, first_slash);
  const bool has_registry =
      first_slash != absl::string_view::npos &&
      (absl::StrContains(first, '.') || absl::StrContains(first, ':') || first == "localhost");
  if (has_registry) return std::string(reference);
  if (first_slash == absl::string_view::npos) return absl::StrCat("docker.io/library/", reference);
  return absl::StrCat("docker.io/", reference);
}

// Certificates of a notation signer: named trust stores in notation's directory layout, and
// certificates listed one by one ({type, file | pem}).
absl::StatusOr<NotationTrustStores> ParseNotationCertificates(const Reader& reader,
                                                              const core::Value& value) {
  NotationTrustStores trust;
  BULWARK_ASSIGN_OR_RETURN(std::string store, reader.String(value, "trustStore", false));
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> references,
                           reader.Strings(value, "trustStores"));
  if (store.empty() != references.empty()) {
    return reader.Error(value, "trustStore and trustStores go together");
  }
  if (!store.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::string root, reader.Relative(*value.Find("trustStore"), store));
    absl::StatusOr<NotationTrustStores> loaded = LoadNotationTrustStores(root, references);
    if (!loaded.ok()) {
      return absl::Status(
          loaded.status().code(),
          absl::StrCat(reader.source(), ":", value.Find("trustStores")->position().ToString(), ": ",
                       loaded.status().message()));
    }
    trust = *std::move(loaded);
  }
  const core::Value* certificates = value.Find("certificates");
  if (certificates == nullptr) return trust;
  if (!certificates->is_list()) return reader.Error(*certificates, "certificates must be a list");
  for (const core::Value& item : certificates->list_value()) {
    BULWARK_RETURN_IF_ERROR(reader.CheckMap(item, "certificate", {"type", "file", "pem"}));
    BULWARK_ASSIGN_OR_RETURN(std::string type, reader.String(item, "type", false));
    std::vector<Certificate>* target = type.empty() || type == "ca" ? &trust.ca
                                       : type == "signingAuthority" ? &trust.signing_authority
                                       : type == "tsa"              ? &trust.tsa
                                                                    : nullptr;
    if (target == nullptr) {
      return reader.Error(*item.Find("type"), "type is ca, signingAuthority or tsa");
    }
    BULWARK_ASSIGN_OR_RETURN(std::string pem, reader.String(item, "pem", false));
    BULWARK_ASSIGN_OR_RETURN(std::string file, reader.String(item, "file", false));
    if (pem.empty() == file.empty()) return reader.Error(item, "give exactly one of file, pem");
    if (!file.empty()) {
      BULWARK_ASSIGN_OR_RETURN(pem, reader.ReadRelative(*item.Find("file"), file, kMaxKeyBytes));
    }
    absl::StatusOr<std::vector<Certificate>> parsed = Certificate::ParseFile(pem);
    if (!parsed.ok()) return reader.Error(item, parsed.status().message());
    target->insert(target->end(), parsed->begin(), parsed->end());
  }
  return trust;
}

absl::StatusOr<NotationVerifyOptions> ParseNotationSigner(const Reader& reader,
                                                          const core::Value& value,
                                                          absl::string_view name) {
  BULWARK_RETURN_IF_ERROR(reader.CheckMap(
      value, "notation",
      {"trustStore", "trustStores", "certificates", "trustedIdentities", "signatureVerification"}));
  NotationVerifyOptions options;
  BULWARK_ASSIGN_OR_RETURN(options.trust, ParseNotationCertificates(reader, value));
  if (options.trust.ca.empty() && options.trust.signing_authority.empty()) {
    return reader.Error(value, absl::StrCat("notation signer \"", name,
                                            "\" needs ca or signingAuthority certificates"));
  }
  BULWARK_ASSIGN_OR_RETURN(options.trusted_identities, reader.Strings(value, "trustedIdentities"));
  if (options.trusted_identities.empty()) {
    return reader.Error(value, absl::StrCat("notation signer \"", name,
                                            "\" needs trustedIdentities (\"*\" for any)"));
  }
  for (const std::string& identity : options.trusted_identities) {
    if (identity != "*" && !absl::StartsWith(identity, "x509.subject:")) {
      return reader.Error(*value.Find("trustedIdentities"),
                          absl::StrCat("trusted identity \"", identity,
                                       "\" is neither \"*\" nor \"x509.subject: <DN>\""));
    }
  }
  if (const core::Value* verification = value.Find("signatureVerification")) {
    NotationLevel level = NotationLevel::kStrict;
    absl::StatusOr<NotationChecks> checks =
        ParseNotationSignatureVerification(*verification, &level);
    if (!checks.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(reader.source(), ":", checks.status().message()));
    }
    if (level == NotationLevel::kSkip) {
      return reader.Error(*verification, "level skip verifies nothing; use a scope with skip");
    }
    options.checks = *checks;
  }
  return options;
}

absl::StatusOr<PolicySigner> ParseSigner(const Reader& reader, const core::Value& value) {
  BULWARK_RETURN_IF_ERROR(
      reader.CheckMap(value, "signer", {"name", "key", "keyFile", "keyless", "notation"}));
  PolicySigner signer;
  BULWARK_ASSIGN_OR_RETURN(signer.name, reader.String(value, "name", true));
  BULWARK_ASSIGN_OR_RETURN(std::string pem, reader.String(value, "key", false));
  BULWARK_ASSIGN_OR_RETURN(std::string key_file, reader.String(value, "keyFile", false));
  const core::Value* keyless = value.Find("keyless");
  const core::Value* notation = value.Find("notation");
  const int kinds = !pem.empty() + !key_file.empty() + (keyless != nullptr) + (notation != nullptr);
  if (kinds != 1) {
    return reader.Error(value,
                        absl::StrCat("signer \"", signer.name,
                                     "\" needs exactly one of key, keyFile, keyless, notation"));
  }
  if (notation != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(signer.notation, ParseNotationSigner(reader, *notation, signer.name));
    return signer;
  }
  if (!key_file.empty()) {
    BULWARK_ASSIGN_OR_RETURN(pem,
                             reader.ReadRelative(*value.Find("keyFile"), key_file, kMaxKeyBytes));
  }
  if (!pem.empty()) {
    absl::StatusOr<PublicKey> key = PublicKey::Parse(pem);
    if (!key.ok()) {
      return reader.Error(value,
                          absl::StrCat("signer \"", signer.name, "\": ", key.status().message()));
    }
    signer.options.key = *key;
    return signer;
  }
  BULWARK_RETURN_IF_ERROR(reader.CheckMap(
      *keyless, "keyless", {"identity", "identityRegexp", "issuer", "issuerRegexp"}));
  CosignVerifyOptions& options = signer.options;
  BULWARK_ASSIGN_OR_RETURN(options.certificate_identity,
                           reader.String(*keyless, "identity", false));
  BULWARK_ASSIGN_OR_RETURN(options.certificate_identity_regexp,
                           reader.String(*keyless, "identityRegexp", false));
  BULWARK_ASSIGN_OR_RETURN(options.certificate_oidc_issuer,
                           reader.String(*keyless, "issuer", false));
  BULWARK_ASSIGN_OR_RETURN(options.certificate_oidc_issuer_regexp,
                           reader.String(*keyless, "issuerRegexp", false));
  if (options.certificate_identity.empty() == options.certificate_identity_regexp.empty() ||
      options.certificate_oidc_issuer.empty() == options.certificate_oidc_issuer_regexp.empty()) {
    return reader.Error(*keyless, absl::StrCat("signer \"", signer.name,
                                               "\": keyless needs one of identity/identityRegexp "
                                               "and one of issuer/issuerRegexp"));
  }
  for (const std::string* pattern :
       {&options.certificate_identity_regexp, &options.certificate_oidc_issuer_regexp}) {
    if (!pattern->empty()) BULWARK_RETURN_IF_ERROR(CheckRegex(reader, *keyless, *pattern));
  }
  return signer;
}

// `signers` maps the scope's signer names to whether they are notation signers.
absl::StatusOr<AttestationRequirement> ParseAttestation(
    const Reader& reader, const core::Value& value, const std::map<std::string, bool>& signers) {
  BULWARK_RETURN_IF_ERROR(
      reader.CheckMap(value, "attestation", {"name", "predicateType", "signers", "conditions"}));
  AttestationRequirement requirement;
  BULWARK_ASSIGN_OR_RETURN(requirement.name, reader.String(value, "name", true));
  BULWARK_ASSIGN_OR_RETURN(std::string type, reader.String(value, "predicateType", true));
  requirement.predicate_type = ResolvePredicateType(type);
  BULWARK_ASSIGN_OR_RETURN(requirement.signers, reader.Strings(value, "signers"));
  for (const std::string& name : requirement.signers) {
    auto it = signers.find(name);
    if (it == signers.end()) {
      return reader.Error(*value.Find("signers"),
                          absl::StrCat("no signer named \"", name, "\" in this scope"));
    }
    if (it->second) {
      return reader.Error(
          *value.Find("signers"),
          absl::StrCat("signer \"", name, "\" is a notation signer; attestations are cosign's"));
    }
  }
  if (const core::Value* conditions = value.Find("conditions")) {
    if (!conditions->is_list()) return reader.Error(*conditions, "conditions must be a list");
    for (const core::Value& item : conditions->list_value()) {
      BULWARK_RETURN_IF_ERROR(reader.CheckMap(item, "condition", {"path", "equals", "matches"}));
      PredicateCondition condition;
      BULWARK_ASSIGN_OR_RETURN(condition.path, reader.String(item, "path", true));
      if (const core::Value* equals = item.Find("equals")) {
        condition.equals = equals->is_string() ? equals->string_value() : equals->ToJson();
      }
      BULWARK_ASSIGN_OR_RETURN(condition.matches, reader.String(item, "matches", false));
      if (!condition.equals.has_value() && condition.matches.empty()) {
        return reader.Error(item, "a condition needs equals or matches");
      }
      if (!condition.matches.empty()) {
        BULWARK_RETURN_IF_ERROR(CheckRegex(reader, item, condition.matches));
      }
      requirement.conditions.push_back(std::move(condition));
    }
  }
  return requirement;
}

absl::StatusOr<PolicyScope> ParseScope(const Reader& reader, const core::Value& value) {
  BULWARK_RETURN_IF_ERROR(reader.CheckMap(
      value, "scope", {"name", "match", "skip", "minSignatures", "signers", "attestations"}));
  PolicyScope scope;
  BULWARK_ASSIGN_OR_RETURN(scope.name, reader.String(value, "name", true));
  BULWARK_ASSIGN_OR_RETURN(scope.match, reader.Strings(value, "match"));
  if (scope.match.empty()) return reader.Error(value, "a scope needs at least one match glob");
  for (const std::string& glob : scope.match) {
    BULWARK_RETURN_IF_ERROR(CheckRegex(reader, *value.Find("match"), GlobToRegex(glob)));
  }
  if (const core::Value* skip = value.Find("skip")) {
    if (!skip->is_bool()) return reader.Error(*skip, "skip must be true or false");
    scope.skip = skip->bool_value();
  }
  std::map<std::string, bool> names;  // Signer name -> notation signer.
  if (const core::Value* signers = value.Find("signers")) {
    if (!signers->is_list()) return reader.Error(*signers, "signers must be a list");
    for (const core::Value& item : signers->list_value()) {
      BULWARK_ASSIGN_OR_RETURN(PolicySigner signer, ParseSigner(reader, item));
      if (!names.emplace(signer.name, signer.notation.has_value()).second) {
        return reader.Error(item, absl::StrCat("two signers are named \"", signer.name, "\""));
      }
      scope.signers.push_back(std::move(signer));
    }
  }
  if (const core::Value* min = value.Find("minSignatures")) {
    if (!min->is_int() || min->int_value() < 0 ||
        min->int_value() > static_cast<int64_t>(scope.signers.size())) {
      return reader.Error(*min, absl::StrCat("minSignatures must be an integer from 0 to the ",
                                             scope.signers.size(), " signers listed"));
    }
    scope.min_signatures = static_cast<int>(min->int_value());
  } else if (scope.signers.empty()) {
    scope.min_signatures = 0;
  }
  if (const core::Value* attestations = value.Find("attestations")) {
    if (!attestations->is_list()) return reader.Error(*attestations, "attestations must be a list");
    for (const core::Value& item : attestations->list_value()) {
      BULWARK_ASSIGN_OR_RETURN(AttestationRequirement requirement,
                               ParseAttestation(reader, item, names));
      scope.attestations.push_back(std::move(requirement));
    }
  }
  if (!scope.skip && scope.signers.empty()) {
    return reader.Error(value, absl::StrCat("scope \"", scope.name,
                                            "\" lists no signers; use skip: true to admit "
                                            "its images unchecked"));
  }
  return scope;
}

// Why `statement`'s predicate fails a condition, or "" when all hold.
std::string FailedCondition(const Statement& statement,
                            absl::Span<const PredicateCondition> conditions) {
  for (const PredicateCondition& condition : conditions) {
    absl::StatusOr<const core::Value*> value = statement.predicate.Lookup(condition.path);
    if (!value.ok()) return absl::StrCat(condition.path, " is missing");
    const std::string text = (*value)->is_string() ? (*value)->string_value() : (*value)->ToJson();
    if (condition.equals.has_value() && text != *condition.equals) {
      return absl::StrCat(condition.path, " is \"", text, "\", not \"", *condition.equals, "\"");
    }
    if (!condition.matches.empty() && !FullMatch(text, condition.matches)) {
      return absl::StrCat(condition.path, " \"", text, "\" does not match ", condition.matches);
    }
  }
  return "";
}

// Whether one notation signature of the image verifies for `signer`; `why` gets the reason per
// signature when none does, or what the level only logged when one does.
bool NotationSignerVerified(const PolicySigner& signer, const core::Digest& image,
                            absl::Span<const CosignSignature> notation_signatures, absl::Time now,
                            std::string* why) {
  NotationVerifyOptions options = *signer.notation;
  options.artifact = image;
  options.now = now;
  std::vector<std::string> reasons;
  for (const CosignSignature& layer : notation_signatures) {
    const NotationSignatureCheck check = VerifyNotationLayer(layer, options);
    if (check.status.ok()) {
      if (!check.verification->logged.empty()) {
        *why = absl::StrCat("logged: ", absl::StrJoin(check.verification->logged, "; "));
      }
      return true;
    }
    reasons.push_back(absl::StrCat(check.source, ": ", check.status.message()));
  }
  *why = reasons.empty() ? "no notation signatures found" : absl::StrJoin(reasons, "; ");
  return false;
}

RequirementResult CheckSignatures(const PolicyScope& scope, const core::Digest& image,
                                  absl::Span<const CosignSignature> signatures,
                                  absl::Span<const CosignSignature> notation_signatures,
                                  absl::Time now) {
  RequirementResult result{"signatures", false, ""};
  std::vector<std::string> verified;
  std::vector<std::string> reasons;
  for (const PolicySigner& signer : scope.signers) {
    if (signer.notation.has_value()) {
      std::string why;
      if (NotationSignerVerified(signer, image, notation_signatures, now, &why)) {
        verified.push_back(why.empty() ? signer.name : absl::StrCat(signer.name, " [", why, "]"));
      } else {
        reasons.push_back(absl::StrCat(signer.name, ": ", why));
      }
      continue;
    }
    const CosignVerification outcome = VerifyCosignSignatures(signatures, image, signer.options);
    if (outcome.verified()) {
      verified.push_back(signer.name);
    } else {
      reasons.push_back(
          absl::StrCat(signer.name, ": ", absl::StrReplaceAll(outcome.Summary(), {{"\n", "; "}})));
    }
  }
  result.satisfied = static_cast<int>(verified.size()) >= scope.min_signatures;
  result.reason =
      absl::StrCat(verified.size(), " of ", scope.min_signatures, " required signer(s) verified",
                   verified.empty() ? "" : absl::StrCat(" (", absl::StrJoin(verified, ", "), ")"),
                   reasons.empty() ? "" : absl::StrCat("; ", absl::StrJoin(reasons, "; ")));
  return result;
}

RequirementResult CheckAttestation(const TrustPolicy& policy, const PolicyScope& scope,
                                   const AttestationRequirement& requirement,
                                   const core::Digest& image,
                                   absl::Span<const CosignSignature> attestations) {
  RequirementResult result{absl::StrCat("attestation ", requirement.name), false, ""};
  std::vector<std::string> reasons;
  for (const PolicySigner& signer : scope.signers) {
    if (signer.notation.has_value()) continue;
    if (!requirement.signers.empty() &&
        std::find(requirement.signers.begin(), requirement.signers.end(), signer.name) ==
            requirement.signers.end()) {
      continue;
    }
    AttestationVerifyOptions options;
    options.signer = signer.options;
    options.predicate_type = requirement.predicate_type;
    options.trusted_root = policy.trusted_root;
    const AttestationVerification outcome = VerifyCosignAttestations(attestations, image, options);
    for (const AttestationCheck& check : outcome.attestations) {
      if (!check.status.ok()) {
        reasons.push_back(
            absl::StrCat(signer.name, ": ", check.source, ": ", check.status.message()));
        continue;
      }
      const std::string failed = FailedCondition(*check.statement, requirement.conditions);
      if (failed.empty()) {
        result.satisfied = true;
        result.reason = absl::StrCat(requirement.predicate_type, " signed by ", signer.name);
        return result;
      }
      reasons.push_back(absl::StrCat(signer.name, ": condition: ", failed));
    }
  }
  if (attestations.empty()) reasons.push_back("no attestations found");
  result.reason = absl::StrCat("no ", requirement.predicate_type,
                               " attestation satisfies it: ", absl::StrJoin(reasons, "; "));
  return result;
}

}  // namespace

absl::StatusOr<TrustPolicy> ParseTrustPolicy(absl::string_view yaml, absl::string_view base_dir,
                                             const core::Limits& limits, absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents,
                           core::ParseYaml(yaml, limits, source));
  if (documents.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": expected one YAML document, found ", documents.size()));
  }
  const core::Value& root = documents[0];
  const Reader reader(source, std::string(base_dir));
  BULWARK_RETURN_IF_ERROR(
      reader.CheckMap(root, "trust policy", {"apiVersion", "kind", "trustedRoot", "scopes"}));
  BULWARK_ASSIGN_OR_RETURN(std::string kind, reader.String(root, "kind", false));
  if (!kind.empty() && kind != "TrustPolicy") {
    return reader.Error(*root.Find("kind"), absl::StrCat("kind \"", kind, "\" is not TrustPolicy"));
  }
  TrustPolicy policy;
  BULWARK_ASSIGN_OR_RETURN(std::string root_path, reader.String(root, "trustedRoot", false));
  if (!root_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(
        std::string text,
        reader.ReadRelative(*root.Find("trustedRoot"), root_path, limits.max_file_bytes));
    BULWARK_ASSIGN_OR_RETURN(policy.trusted_root,
                             TrustedRoot::Parse(text, limits, reader.FullPath(root_path)));
  }
  const core::Value* scopes = root.Find("scopes");
  if (scopes == nullptr || !scopes->is_list() || scopes->list_value().empty()) {
    return reader.Error(scopes != nullptr ? *scopes : root, "scopes must be a non-empty list");
  }
  std::set<std::string> names;
  for (const core::Value& item : scopes->list_value()) {
    BULWARK_ASSIGN_OR_RETURN(PolicyScope scope, ParseScope(reader, item));
    if (!names.insert(scope.name).second) {
      return reader.Error(item, absl::StrCat("two scopes are named \"", scope.name, "\""));
    }
    for (PolicySigner& signer : scope.signers) {
      if (signer.options.key.has_value() || signer.notation.has_value()) continue;
      if (policy.trusted_root == nullptr) {
        return reader.Error(item, absl::StrCat("keyless signer \"", signer.name,
                                               "\" needs the policy's trustedRoot"));
      }
      AddTrustedRoot(*policy.trusted_root, &signer.options);
    }
    policy.scopes.push_back(std::move(scope));
  }
  return policy;
}

absl::StatusOr<TrustPolicy> LoadTrustPolicy(const std::string& path, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return ParseTrustPolicy(text, dir.empty() ? "." : dir, limits, path);
}

const PolicyScope* FindScope(const TrustPolicy& policy, absl::string_view reference) {
  const std::string repository = NormalizedRepository(reference);
  for (const PolicyScope& scope : policy.scopes) {
    for (const std::string& glob : scope.match) {
      if (FullMatch(repository, GlobToRegex(glob))) return &scope;
    }
  }
  return nullptr;
}

std::string PolicyDecision::Summary() const {
  std::string out =
      absl::StrCat(allowed ? "allow " : "deny ", image,
                   scope.empty() ? ": no scope matches" : absl::StrCat(" (scope ", scope, ")"),
                   skipped ? ": skipped" : "");
  for (const RequirementResult& requirement : requirements) {
    absl::StrAppend(&out, "\n  ", requirement.satisfied ? "ok   " : "FAIL ",
                    requirement.requirement, ": ", requirement.reason);
  }
  return out;
}

PolicyDecision EvaluateTrustPolicy(const TrustPolicy& policy, absl::string_view reference,
                                   const core::Digest& image,
                                   absl::Span<const CosignSignature> signatures,
                                   absl::Span<const CosignSignature> attestations,
                                   absl::Span<const CosignSignature> notation_signatures,
                                   absl::Time now) {
  PolicyDecision decision;
  decision.image = std::string(reference);
  const PolicyScope* scope = FindScope(policy, reference);
  if (scope == nullptr) return decision;
  decision.scope = scope->name;
  if (scope->skip) {
    decision.allowed = decision.skipped = true;
    return decision;
  }
  decision.requirements.push_back(
      CheckSignatures(*scope, image, signatures, notation_signatures, now));
  for (const AttestationRequirement& requirement : scope->attestations) {
    decision.requirements.push_back(
        CheckAttestation(policy, *scope, requirement, image, attestations));
  }
  decision.allowed =
      std::all_of(decision.requirements.begin(), decision.requirements.end(),
                  [](const RequirementResult& requirement) { return requirement.satisfied; });
  return decision;
}

absl::StatusOr<PolicyDecision> EvaluateTrustPolicyForLayout(const TrustPolicy& policy,
                                                            absl::string_view reference,
                                                            absl::string_view layout_dir,
                                                            absl::string_view layout_ref,
                                                            const core::Limits& limits) {
  absl::StatusOr<core::Digest> image = core::Digest::Parse(layout_ref);
  if (!image.ok()) {
    BULWARK_ASSIGN_OR_RETURN(image, ResolveLayoutImage(layout_dir, layout_ref, limits));
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> signatures,
                           FindOciLayoutSignatures(layout_dir, *image, limits));
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> attestations,
                           FindOciLayoutAttestations(layout_dir, *image, limits));
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> notation_signatures,
                           FindOciLayoutNotationSignatures(layout_dir, *image, limits));
  return EvaluateTrustPolicy(policy, reference, *image, signatures, attestations,
                             notation_signatures, absl::Now());
}

}  // namespace bulwark::sign
