#include "bulwark/bindings/python/sign_bindings.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/attestation.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/gcb.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/notation.h"
#include "bulwark/image/sign/trust_policy.h"
#include "bulwark/image/sign/trust_root.h"
#include "pybind11/stl.h"

namespace py = pybind11;

namespace bulwark::python {
namespace {

py::dict VerificationDict(const sign::CosignVerification& result) {
  py::list signatures;
  for (const sign::SignatureCheck& check : result.signatures) {
    py::dict entry;
    entry["source"] = check.source;
    entry["verified"] = check.status.ok();
    entry["reason"] = std::string(check.status.message());
    signatures.append(entry);
  }
  py::dict out;
  out["verified"] = result.verified();
  out["image_digest"] = result.image_digest.ToString();
  out["signatures"] = signatures;
  return out;
}

py::dict BundleDict(const sign::BundleVerification& result) {
  py::dict out;
  out["version"] = result.version;
  py::list times;
  for (absl::Time time : result.verified_times) times.append(absl::ToUnixSeconds(time));
  out["verified_times"] = times;
  py::list identities;
  if (result.certificate.has_value()) {
    for (const sign::SubjectAltName& name : result.certificate->subject_alt_names()) {
      identities.append(name.value);
    }
  }
  out["identities"] = identities;
  out["issuer"] = result.fulcio.issuer;
  out["source_repository_uri"] = result.fulcio.source_repository_uri;
  out["build_signer_uri"] = result.fulcio.build_signer_uri;
  if (result.statement.has_value()) {
    py::dict statement;
    statement["type"] = result.statement->type;
    statement["predicate_type"] = result.statement->predicate_type;
    py::list subjects;
    for (const sign::Subject& subject : result.statement->subjects) {
      py::dict item;
      item["name"] = subject.name;
      item["digest"] = subject.digest;
      subjects.append(item);
    }
    statement["subjects"] = subjects;
    absl::StatusOr<sign::SlsaProvenance> slsa = sign::ParseSlsaProvenance(*result.statement);
    if (slsa.ok()) {
      py::dict provenance;
      provenance["version"] = slsa->version;
      provenance["builder_id"] = slsa->builder_id;
      provenance["build_type"] = slsa->build_type;
      provenance["source_uri"] = slsa->source_uri;
      provenance["source_digest"] = slsa->source_digest;
      provenance["entry_point"] = slsa->entry_point;
      statement["slsa"] = provenance;
    }
    out["statement"] = statement;
  } else {
    out["statement"] = py::none();
  }
  return out;
}

// Who must have signed, from the keyword arguments verify_image and verify_attestations share.
struct SignerArguments {
  std::optional<std::string> key_pem;
  std::string identity;
  std::string identity_regexp;
  std::string issuer;
  std::string issuer_regexp;
  std::optional<std::string> trusted_root_path;
  std::optional<std::string> ca_roots_pem;
  std::optional<std::string> ca_intermediates_pem;
  std::optional<std::string> rekor_key_pem;
};

// Runs without the GIL. Errors: InvalidArgument for keys/certificates that do not parse, or
// when neither a key nor an identity is given; those of TrustedRoot::Load.
absl::Status FillSigner(const SignerArguments& args, sign::CosignVerifyOptions* options,
                        std::shared_ptr<const sign::TrustedRoot>* root) {
  if (args.key_pem.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(options->key, sign::PublicKey::Parse(*args.key_pem));
  } else if (args.identity.empty() && args.identity_regexp.empty()) {
    return absl::InvalidArgumentError("give key_pem, or identity/identity_regexp with issuer");
  }
  options->certificate_identity = args.identity;
  options->certificate_identity_regexp = args.identity_regexp;
  options->certificate_oidc_issuer = args.issuer;
  options->certificate_oidc_issuer_regexp = args.issuer_regexp;
  if (args.ca_roots_pem.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(options->roots, sign::Certificate::ParsePemChain(*args.ca_roots_pem));
  }
  if (args.ca_intermediates_pem.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(options->intermediates,
                             sign::Certificate::ParsePemChain(*args.ca_intermediates_pem));
  }
  if (args.rekor_key_pem.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(sign::PublicKey rekor, sign::PublicKey::Parse(*args.rekor_key_pem));
    options->rekor_keys.push_back(sign::LogKeyFromPublicKey(rekor));
  }
  if (args.trusted_root_path.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(*root, sign::TrustedRoot::Load(*args.trusted_root_path));
    sign::AddTrustedRoot(**root, options);
  }
  return absl::OkStatus();
}

py::dict AttestationsDict(const sign::AttestationVerification& result) {
  py::list attestations;
  for (const sign::AttestationCheck& check : result.attestations) {
    py::dict entry;
    entry["source"] = check.source;
    entry["verified"] = check.status.ok();
    entry["reason"] = std::string(check.status.message());
    entry["predicate_type"] = check.predicate_type;
    entry["predicate_json"] = check.statement.has_value()
                                  ? py::object(py::str(check.statement->predicate.ToJson()))
                                  : py::object(py::none());
    if (check.slsa.has_value()) {
      py::dict provenance;
      provenance["version"] = check.slsa->version;
      provenance["builder_id"] = check.slsa->builder_id;
      provenance["build_type"] = check.slsa->build_type;
      provenance["source_uri"] = check.slsa->source_uri;
      provenance["source_digest"] = check.slsa->source_digest;
      provenance["entry_point"] = check.slsa->entry_point;
      entry["slsa"] = provenance;
    } else {
      entry["slsa"] = py::none();
    }
    attestations.append(entry);
  }
  py::dict out;
  out["verified"] = result.verified();
  out["image_digest"] = result.image_digest.ToString();
  out["attestations"] = attestations;
  return out;
}

}  // namespace

void DefineSignBindings(py::module_& m) {
  m.def(
      "verify_image",
      [](std::string path, std::optional<std::string> key_pem, std::string ref,
         std::optional<std::string> docker_reference,
         std::map<std::string, std::string> annotations, std::string identity,
         std::string identity_regexp, std::string issuer, std::string issuer_regexp,
         std::optional<std::string> trusted_root_path, std::optional<std::string> ca_roots_pem,
         std::optional<std::string> ca_intermediates_pem,
         std::optional<std::string> rekor_key_pem) {
        const SignerArguments signer{
            key_pem,           identity,     identity_regexp,      issuer,       issuer_regexp,
            trusted_root_path, ca_roots_pem, ca_intermediates_pem, rekor_key_pem};
        sign::CosignVerifyOptions options;
        options.reference = std::move(docker_reference);
        options.required_annotations = std::move(annotations);
        absl::StatusOr<sign::CosignVerification> result;
        {
          py::gil_scoped_release nogil;
          result = [&]() -> absl::StatusOr<sign::CosignVerification> {
            std::shared_ptr<const sign::TrustedRoot> root;
            BULWARK_RETURN_IF_ERROR(FillSigner(signer, &options, &root));
            if (std::filesystem::exists(std::filesystem::path(path) / "index.json")) {
              return sign::VerifyOciLayoutImage(path, ref, options);
            }
            BULWARK_ASSIGN_OR_RETURN(sign::ContainersImageDir dir,
                                     sign::ReadContainersImageDir(path));
            return sign::VerifyCosignSignatures(dir.signatures, dir.manifest_digest, options);
          }();
        }
        return VerificationDict(ValueOrThrow(std::move(result)));
      },
      py::arg("path"), py::arg("key_pem") = py::none(), py::kw_only(), py::arg("ref") = "",
      py::arg("docker_reference") = py::none(),
      py::arg("annotations") = std::map<std::string, std::string>{}, py::arg("identity") = "",
      py::arg("identity_regexp") = "", py::arg("issuer") = "", py::arg("issuer_regexp") = "",
      py::arg("trusted_root_path") = py::none(), py::arg("ca_roots_pem") = py::none(),
      py::arg("ca_intermediates_pem") = py::none(), py::arg("rekor_key_pem") = py::none(),
      "Verifies the cosign signatures of an image (OCI layout or containers/image dir) with a "
      "public key, or keylessly (identity/issuer exact or RE2, roots from a trusted root or "
      "PEM CAs, Rekor key); returns {verified, image_digest, signatures: [{source, verified, "
      "reason}]}.");

  m.def(
      "verify_attestations",
      [](std::string layout, std::optional<std::string> key_pem, std::string ref,
         std::string predicate_type, std::string identity, std::string identity_regexp,
         std::string issuer, std::string issuer_regexp,
         std::optional<std::string> trusted_root_path, std::optional<std::string> ca_roots_pem,
         std::optional<std::string> ca_intermediates_pem,
         std::optional<std::string> rekor_key_pem) {
        const SignerArguments signer{
            key_pem,           identity,     identity_regexp,      issuer,       issuer_regexp,
            trusted_root_path, ca_roots_pem, ca_intermediates_pem, rekor_key_pem};
        absl::StatusOr<sign::AttestationVerification> result;
        {
          py::gil_scoped_release nogil;
          result = [&]() -> absl::StatusOr<sign::AttestationVerification> {
            sign::AttestationVerifyOptions options;
            options.predicate_type = sign::ResolvePredicateType(predicate_type);
            BULWARK_RETURN_IF_ERROR(FillSigner(signer, &options.signer, &options.trusted_root));
            return sign::VerifyOciLayoutAttestations(layout, ref, options);
          }();
        }
        return AttestationsDict(ValueOrThrow(std::move(result)));
      },
      py::arg("layout"), py::arg("key_pem") = py::none(), py::kw_only(), py::arg("ref") = "",
      py::arg("predicate_type") = "", py::arg("identity") = "", py::arg("identity_regexp") = "",
      py::arg("issuer") = "", py::arg("issuer_regexp") = "",
      py::arg("trusted_root_path") = py::none(), py::arg("ca_roots_pem") = py::none(),
      py::arg("ca_intermediates_pem") = py::none(), py::arg("rekor_key_pem") = py::none(),
      "Verifies the cosign attestations of the image of an OCI layout (.att tag, referrers, "
      "Sigstore bundles); returns {verified, image_digest, attestations: [{source, verified, "
      "reason, predicate_type, predicate_json, slsa}]}.");

  m.def(
      "attest_image",
      [](std::string layout, std::string private_key_pem, std::string predicate_json,
         std::string predicate_type, std::string subject_name, std::string ref) {
        absl::StatusOr<std::string> tag;
        {
          py::gil_scoped_release nogil;
          tag = [&]() -> absl::StatusOr<std::string> {
            BULWARK_ASSIGN_OR_RETURN(sign::PrivateKey key,
                                     sign::PrivateKey::ParsePem(private_key_pem));
            BULWARK_ASSIGN_OR_RETURN(core::Digest image, sign::ResolveLayoutImage(layout, ref));
            sign::AttestOptions options{sign::ResolvePredicateType(predicate_type), predicate_json,
                                        subject_name};
            BULWARK_ASSIGN_OR_RETURN(sign::CosignSignature attestation,
                                     sign::AttestImage(key, image, options));
            BULWARK_RETURN_IF_ERROR(
                sign::WriteOciLayoutAttachment(layout, image, "att", attestation));
            return sign::AttachmentTag(image, "att");
          }();
        }
        return ValueOrThrow(std::move(tag));
      },
      py::arg("layout"), py::arg("private_key_pem"), py::arg("predicate_json"), py::kw_only(),
      py::arg("predicate_type") = "custom", py::arg("subject_name") = "", py::arg("ref") = "",
      "Attests the image of an OCI layout as cosign attest --key does; returns the .att tag.");

  m.def(
      "sign_image",
      [](std::string layout, std::string private_key_pem, std::string ref,
         std::string docker_reference, std::map<std::string, std::string> annotations) {
        absl::StatusOr<std::string> tag;
        {
          py::gil_scoped_release nogil;
          tag = [&]() -> absl::StatusOr<std::string> {
            absl::StatusOr<sign::PrivateKey> key = sign::PrivateKey::ParsePem(private_key_pem);
            if (!key.ok()) return key.status();
            absl::StatusOr<core::Digest> image = sign::ResolveLayoutImage(layout, ref);
            if (!image.ok()) return image.status();
            sign::CosignSignOptions options{docker_reference, annotations};
            absl::StatusOr<sign::CosignSignature> signature =
                sign::SignImage(*key, *image, options);
            if (!signature.ok()) return signature.status();
            absl::Status written = sign::WriteOciLayoutSignature(layout, *image, *signature);
            if (!written.ok()) return written;
            return sign::SignatureTag(*image);
          }();
        }
        return ValueOrThrow(std::move(tag));
      },
      py::arg("layout"), py::arg("private_key_pem"), py::kw_only(), py::arg("ref") = "",
      py::arg("docker_reference") = "",
      py::arg("annotations") = std::map<std::string, std::string>{},
      "Signs the image of an OCI layout and stores the signature as cosign does; returns the "
      "signature tag.");

  m.def(
      "verify_bundle",
      [](std::string bundle_json, std::string trusted_root_path, std::optional<py::bytes> artifact,
         std::optional<std::string> digest, std::string identity, bool identity_regex,
         std::string issuer, bool issuer_regex, std::optional<std::string> key_pem) {
        sign::Artifact target;
        if (artifact.has_value()) target = sign::Artifact::FromBytes(std::string(*artifact));
        if (digest.has_value())
          target = sign::Artifact::FromDigest(ValueOrThrow(core::Digest::Parse(*digest)));
        sign::BundlePolicy policy;
        policy.identity = std::move(identity);
        policy.identity_is_regex = identity_regex;
        policy.issuer = std::move(issuer);
        policy.issuer_is_regex = issuer_regex;
        if (key_pem.has_value()) policy.key = ValueOrThrow(sign::PublicKey::Parse(*key_pem));
        absl::StatusOr<sign::BundleVerification> result;
        {
          py::gil_scoped_release nogil;
          absl::StatusOr<std::shared_ptr<const sign::TrustedRoot>> root =
              sign::TrustedRoot::Load(trusted_root_path);
          result = root.ok() ? sign::VerifyBundle(bundle_json, target, **root, policy)
                             : absl::StatusOr<sign::BundleVerification>(root.status());
        }
        return BundleDict(ValueOrThrow(std::move(result)));
      },
      py::arg("bundle_json"), py::arg("trusted_root_path"), py::kw_only(),
      py::arg("artifact") = py::none(), py::arg("digest") = py::none(), py::arg("identity") = "",
      py::arg("identity_regex") = false, py::arg("issuer") = "", py::arg("issuer_regex") = false,
      py::arg("key_pem") = py::none(),
      "Verifies a Sigstore bundle offline; returns {version, verified_times, identities, issuer, "
      "source_repository_uri, build_signer_uri, statement}. Raises PermissionDeniedError naming "
      "the failed step.");

  m.def(
      "verify_gcb_provenance",
      [](std::string json, std::string digest, std::map<std::string, std::string> keys,
         std::string builder_id) {
        const core::Digest image = ValueOrThrow(core::Digest::Parse(digest));
        sign::GcbVerifyOptions options;
        for (const auto& [region, pem] : keys) {
          options.keys.emplace(region, ValueOrThrow(sign::PublicKey::Parse(pem)));
        }
        options.builder_id = std::move(builder_id);
        absl::StatusOr<sign::GcbVerification> result;
        {
          py::gil_scoped_release nogil;
          result = sign::VerifyGcbProvenance(json, image, options);
        }
        py::list provenance;
        for (const sign::GcbProvenance& entry : ValueOrThrow(std::move(result)).provenance) {
          py::dict item;
          item["key_id"] = entry.key_id;
          item["region"] = entry.region;
          item["builder_id"] = entry.builder_id;
          item["build_type"] = entry.build_type;
          item["source_uri"] = entry.source_uri;
          item["source_digest"] = entry.source_digest;
          item["entry_point"] = entry.entry_point;
          provenance.append(item);
        }
        return provenance;
      },
      py::arg("provenance_json"), py::arg("digest"), py::kw_only(),
      py::arg("keys") = std::map<std::string, std::string>{}, py::arg("builder_id") = "",
      "Verifies Google Cloud Build provenance (gcloud --show-provenance JSON) for an image "
      "digest; `keys` maps a region to its builtByGCB public key (PEM). Returns one dict per "
      "provenance {key_id, region, builder_id, build_type, source_uri, source_digest, "
      "entry_point}. Raises PermissionDeniedError naming the step, bulwark.Error (failed "
      "precondition) when the region's key is not given.");

  m.def(
      "evaluate_trust_policy",
      [](std::string policy_path, std::string image, std::string layout, std::string ref) {
        absl::StatusOr<sign::PolicyDecision> decision;
        {
          py::gil_scoped_release nogil;
          decision = [&]() -> absl::StatusOr<sign::PolicyDecision> {
            BULWARK_ASSIGN_OR_RETURN(sign::TrustPolicy policy, sign::LoadTrustPolicy(policy_path));
            return sign::EvaluateTrustPolicyForLayout(policy, image, layout, ref);
          }();
        }
        const sign::PolicyDecision result = ValueOrThrow(std::move(decision));
        py::list requirements;
        for (const sign::RequirementResult& requirement : result.requirements) {
          py::dict entry;
          entry["requirement"] = requirement.requirement;
          entry["satisfied"] = requirement.satisfied;
          entry["reason"] = requirement.reason;
          requirements.append(entry);
        }
        py::dict out;
        out["allowed"] = result.allowed;
        out["image"] = result.image;
        out["scope"] = result.scope;
        out["skipped"] = result.skipped;
        out["requirements"] = requirements;
        return out;
      },
      py::arg("policy_path"), py::arg("image"), py::arg("layout"), py::kw_only(),
      py::arg("ref") = "",
      "Evaluates a Bulwark trust policy (YAML) for the image reference `image` whose content is "
      "the image of an OCI layout; returns {allowed, image, scope, skipped, requirements: "
      "[{requirement, satisfied, reason}]}.");

  m.def(
      "verify_notation",
      [](std::string layout, std::string trust_policy_path, std::string trust_store,
         std::string image, std::string ref) {
        absl::StatusOr<std::vector<sign::NotationSignatureCheck>> checks;
        std::string policy_name;
        {
          py::gil_scoped_release nogil;
          checks = [&]() -> absl::StatusOr<std::vector<sign::NotationSignatureCheck>> {
            BULWARK_ASSIGN_OR_RETURN(std::string text,
                                     core::ReadFileToString(trust_policy_path, 16 << 20));
            BULWARK_ASSIGN_OR_RETURN(std::vector<sign::NotationTrustPolicy> policies,
                                     sign::ParseNotationTrustPolicy(text, {}, trust_policy_path));
            std::string repository = image.substr(0, image.find('@'));
            const size_t colon = repository.rfind(':');
            const size_t slash = repository.rfind('/');
            if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
              repository.resize(colon);
            }
            const sign::NotationTrustPolicy* policy =
                sign::FindNotationTrustPolicy(policies, repository);
            if (policy == nullptr) {
              return absl::PermissionDeniedError(
                  absl::StrCat("no trust policy's registry scope covers ", repository));
            }
            policy_name = policy->name;
            sign::NotationVerifyOptions options;
            BULWARK_ASSIGN_OR_RETURN(
                options.trust, sign::LoadNotationTrustStores(trust_store, policy->trust_stores));
            options.trusted_identities = policy->trusted_identities;
            options.checks = policy->checks;
            return sign::VerifyNotationOciLayout(layout, ref, options);
          }();
        }
        py::list signatures;
        bool verified = false;
        for (const sign::NotationSignatureCheck& check : ValueOrThrow(std::move(checks))) {
          py::dict entry;
          entry["source"] = check.source;
          entry["verified"] = check.status.ok();
          entry["reason"] = std::string(check.status.message());
          entry["target_digest"] = check.verification
                                       ? py::object(py::str(check.verification->target.digest))
                                       : py::object(py::none());
          entry["logged"] =
              check.verification ? check.verification->logged : std::vector<std::string>{};
          verified = verified || check.status.ok();
          signatures.append(entry);
        }
        py::dict out;
        out["verified"] = verified;
        out["trust_policy"] = policy_name;
        out["signatures"] = signatures;
        return out;
      },
      py::arg("layout"), py::arg("trust_policy_path"), py::arg("trust_store"), py::arg("image"),
      py::kw_only(), py::arg("ref") = "",
      "Verifies the Notary Project signatures stored as referrers of the layout's image with the "
      "notation trust policy covering `image`; returns {verified, trust_policy, signatures: "
      "[{source, verified, reason, target_digest, logged}]}.");

  m.def(
      "verify_dsse",
      [](std::string envelope_json, std::vector<std::string> public_keys_pem, int threshold) {
        absl::StatusOr<std::string> payload;
        {
          py::gil_scoped_release nogil;
          payload = [&]() -> absl::StatusOr<std::string> {
            absl::StatusOr<sign::DsseEnvelope> envelope = sign::ParseDsseEnvelope(envelope_json);
            if (!envelope.ok()) return envelope.status();
            std::vector<sign::PublicKey> keys;
            for (const std::string& pem : public_keys_pem) {
              absl::StatusOr<sign::PublicKey> key = sign::PublicKey::Parse(pem);
              if (!key.ok()) return key.status();
              keys.push_back(*key);
            }
            absl::Status verified = sign::VerifyDsse(*envelope, keys, {threshold, {}});
            if (!verified.ok()) return verified;
            return envelope->payload;
          }();
        }
        return py::bytes(ValueOrThrow(std::move(payload)));
      },
      py::arg("envelope_json"), py::arg("public_keys_pem"), py::kw_only(), py::arg("threshold") = 1,
      "Verifies an in-toto DSSE envelope with trusted public keys; returns the payload bytes.");

  m.def(
      "pae",
      [](std::string payload_type, py::bytes payload) {
        return py::bytes(sign::PreAuthEncoding(payload_type, std::string(payload)));
      },
      py::arg("payload_type"), py::arg("payload"),
      "DSSE pre-authentication encoding of a payload.");
}

}  // namespace bulwark::python
