// Verifies Sigstore bundles in-process, many times each, for bench/sigstore_bundles: reads a JSON
// list of {id, bundle, artifact (path or null), trusted_root, and optionally key (PEM path),
// artifact_text, artifact_digest} and prints one line per case
// "<id>\t<pass|fail>\t<microseconds per verification>\t<reason>". The trusted root is loaded
// once per case (outside the timing), as a long-running verifier would.
//   verify_bundles cases.json 50
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/trust_root.h"

namespace sign = bulwark::sign;

int main(int argc, char** argv) {
  int iterations = 20;
  if (argc < 2 || (argc > 2 && !absl::SimpleAtoi(argv[2], &iterations)) || iterations < 1) {
    std::fprintf(stderr, "usage: verify_bundles CASES.json [ITERATIONS]\n");
    return 2;
  }
  absl::StatusOr<bulwark::core::Value> cases = bulwark::core::ParseJsonFile(argv[1]);
  if (!cases.ok() || !cases->is_list()) {
    std::fprintf(stderr, "%s\n", cases.status().ToString().c_str());
    return 2;
  }
  for (const bulwark::core::Value& entry : cases->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    absl::StatusOr<std::shared_ptr<const sign::TrustedRoot>> root =
        sign::TrustedRoot::Load(entry.Find("trusted_root")->string_value());
    absl::StatusOr<std::string> bundle =
        bulwark::core::ReadFileToString(entry.Find("bundle")->string_value(), 64 << 20);
    if (!root.ok() || !bundle.ok()) {
      std::printf("%s\tfail\t0\t%s\n", id.c_str(),
                  (!root.ok() ? root.status() : bundle.status()).ToString().c_str());
      continue;
    }
    sign::Artifact artifact;
    if (const bulwark::core::Value* path = entry.Find("artifact"); path && path->is_string()) {
      absl::StatusOr<std::string> bytes =
          bulwark::core::ReadFileToString(path->string_value(), uint64_t{1} << 30);
      if (bytes.ok()) artifact = sign::Artifact::FromBytes(*std::move(bytes));
    }
    if (const bulwark::core::Value* text = entry.Find("artifact_text")) {
      artifact = sign::Artifact::FromBytes(text->string_value());
    }
    if (const bulwark::core::Value* digest = entry.Find("artifact_digest")) {
      absl::StatusOr<bulwark::core::Digest> parsed =
          bulwark::core::Digest::Parse(digest->string_value());
      if (parsed.ok()) artifact = sign::Artifact::FromDigest(*parsed);
    }
    sign::BundlePolicy policy;
    if (const bulwark::core::Value* key_path = entry.Find("key")) {
      absl::StatusOr<std::string> pem =
          bulwark::core::ReadFileToString(key_path->string_value(), 1 << 20);
      absl::StatusOr<sign::PublicKey> key =
          pem.ok() ? sign::PublicKey::Parse(*pem) : absl::StatusOr<sign::PublicKey>(pem.status());
      if (key.ok()) policy.key = *key;
    }
    absl::Status status;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) {
      status = sign::VerifyBundle(*bundle, artifact, **root, policy).status();
    }
    const double micros =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count() /
        iterations;
    std::printf("%s\t%s\t%.1f\t%s\n", id.c_str(), status.ok() ? "pass" : "fail", micros,
                status.ok() ? "" : std::string(status.message()).c_str());
  }
  return 0;
}
