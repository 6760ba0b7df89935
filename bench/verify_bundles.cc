// Verifies Sigstore bundles in-process, many times each, for bench/sigstore_bundles: reads a JSON
// list of {id, bundle, artifact (path or null), trusted_root, and optionally key (PEM path),
// artifact_text, artifact_digest} and prints one line per case
// "<id>\t<pass|fail>\t<wall us per verification>\t<reason>\t<CPU us per verification>\t
// <chain us>\t<leaf-only us>\t<cached chain us>". The trusted root is loaded once per case
// (outside the timing), as a long-running verifier would, so VerifyBundle uses the root's cache
// of verified intermediates after the first iteration. For bundles with a certificate, the chain
// figures are CPU times: "chain us" of VerifyChain(leaf -> Fulcio intermediate -> root) without a
// cache, "cached chain us" of the same call with an IntermediateCache that already holds the
// intermediate, and "leaf-only us" of checking only the leaf's signature with the intermediate's
// key (the floor a cache could reach).
//   verify_bundles cases.json 50
#include <openssl/x509.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/trust_root.h"

namespace sign = bulwark::sign;

namespace {

double CpuMicros() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e6 + now.tv_nsec / 1e3;
}

// Microseconds per call of `work`, over `iterations` calls.
template <typename Work>
double Time(int iterations, Work work) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) work();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
             .count() /
         iterations;
}

// CPU microseconds per call of `work`.
template <typename Work>
double CpuTime(int iterations, Work work) {
  const double start = CpuMicros();
  for (int i = 0; i < iterations; ++i) work();
  return (CpuMicros() - start) / iterations;
}

struct ChainCosts {
  double chain = 0;
  double leaf_only = 0;
  double cached_chain = 0;
};

// The chain figures for a verified bundle's certificate (see the file comment); zeros when the
// bundle has no certificate or no CA of the root issued it.
ChainCosts ChainFigures(const sign::BundleVerification& verified, const sign::TrustedRoot& root,
                        int iterations) {
  if (!verified.certificate.has_value() || verified.verified_times.empty()) return {};
  const sign::Certificate& leaf = *verified.certificate;
  for (const sign::CertificateAuthority& ca : root.certificate_authorities()) {
    if (ca.chain.size() < 2) continue;
    const std::vector<sign::Certificate> intermediates(ca.chain.begin(), ca.chain.end() - 1);
    sign::ChainOptions options;
    options.partial_chain = true;
    if (!sign::VerifyChain(leaf, intermediates, {ca.chain.back()}, verified.verified_times[0],
                           options)
             .ok()) {
      continue;
    }
    ChainCosts costs;
    costs.chain = CpuTime(iterations, [&] {
      (void)sign::VerifyChain(leaf, intermediates, {ca.chain.back()}, verified.verified_times[0],
                              options);
    });
    EVP_PKEY* issuer_key = X509_get0_pubkey(intermediates.front().x509());
    costs.leaf_only = CpuTime(iterations, [&] { (void)X509_verify(leaf.x509(), issuer_key); });
    sign::IntermediateCache cache;
    options.cache = &cache;
    (void)sign::VerifyChain(leaf, intermediates, {ca.chain.back()}, verified.verified_times[0],
                            options);
    costs.cached_chain = CpuTime(iterations, [&] {
      (void)sign::VerifyChain(leaf, intermediates, {ca.chain.back()}, verified.verified_times[0],
                              options);
    });
    return costs;
  }
  return {};
}

}  // namespace

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
    absl::StatusOr<sign::BundleVerification> result;
    const double cpu_start = CpuMicros();
    const double micros =
        Time(iterations, [&] { result = sign::VerifyBundle(*bundle, artifact, **root, policy); });
    const double cpu = (CpuMicros() - cpu_start) / iterations;
    const ChainCosts chain = result.ok() ? ChainFigures(*result, **root, iterations) : ChainCosts{};
    std::printf("%s\t%s\t%.1f\t%s\t%.1f\t%.1f\t%.1f\t%.1f\n", id.c_str(),
                result.ok() ? "pass" : "fail", micros,
                result.ok() ? "" : std::string(result.status().message()).c_str(), cpu, chain.chain,
                chain.leaf_only, chain.cached_chain);
  }
  return 0;
}
