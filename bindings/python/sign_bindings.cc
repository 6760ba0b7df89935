#include "bulwark/bindings/python/sign_bindings.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/keys.h"
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

}  // namespace

void DefineSignBindings(py::module_& m) {
  m.def(
      "verify_image",
      [](std::string path, std::string key_pem, std::string ref,
         std::optional<std::string> docker_reference,
         std::map<std::string, std::string> annotations) {
        sign::CosignVerifyOptions options;
        options.reference = std::move(docker_reference);
        options.required_annotations = std::move(annotations);
        absl::StatusOr<sign::CosignVerification> result;
        {
          py::gil_scoped_release nogil;
          absl::StatusOr<sign::PublicKey> key = sign::PublicKey::Parse(key_pem);
          if (!key.ok()) {
            result = key.status();
          } else {
            options.key = *key;
            if (std::filesystem::exists(std::filesystem::path(path) / "index.json")) {
              result = sign::VerifyOciLayoutImage(path, ref, options);
            } else {
              absl::StatusOr<sign::ContainersImageDir> dir = sign::ReadContainersImageDir(path);
              if (dir.ok()) {
                result =
                    sign::VerifyCosignSignatures(dir->signatures, dir->manifest_digest, options);
              } else {
                result = dir.status();
              }
            }
          }
        }
        return VerificationDict(ValueOrThrow(std::move(result)));
      },
      py::arg("path"), py::arg("key_pem"), py::kw_only(), py::arg("ref") = "",
      py::arg("docker_reference") = py::none(),
      py::arg("annotations") = std::map<std::string, std::string>{},
      "Verifies the cosign signatures of an image (OCI layout or containers/image dir) with a "
      "public key; returns {verified, image_digest, signatures: [{source, verified, reason}]}.");

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
