// Key-based cosign verification of one signature against a raw OpenSSL ECDSA P-256 verify of
// the same payload with the same key (the floor: what any verifier must spend).
//   bazel run -c opt //image/sign:cosign_benchmark
// Ratio = BM_CosignVerifySignature / BM_RawOpensslEcdsaP256Verify.
#include <openssl/evp.h>

#include <string>

#include "absl/strings/escaping.h"
#include "benchmark/benchmark.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::sign {
namespace {

struct Fixture {
  PrivateKey key;
  core::Digest image;
  CosignSignature signature;
  std::string raw_signature;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    PrivateKey key = *PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
    core::Digest image = core::DigestBytes(core::DigestAlgorithm::kSha256, "image manifest");
    CosignSignOptions options;
    options.reference = "registry.example.com/team/app";
    CosignSignature signature = *SignImage(key, image, options);
    std::string raw;
    absl::Base64Unescape(signature.annotations.at(std::string(kSignatureAnnotation)), &raw);
    return new Fixture{key, image, signature, raw};
  }();
  return *fixture;
}

void BM_RawOpensslEcdsaP256Verify(benchmark::State& state) {
  const Fixture& f = GetFixture();
  EVP_PKEY* key = f.key.public_key().evp();
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    const int ok = EVP_DigestVerify(
        ctx, reinterpret_cast<const unsigned char*>(f.raw_signature.data()), f.raw_signature.size(),
        reinterpret_cast<const unsigned char*>(f.signature.payload.data()),
        f.signature.payload.size());
    EVP_MD_CTX_free(ctx);
    if (ok != 1) state.SkipWithError("raw verify failed");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_RawOpensslEcdsaP256Verify);

void BM_CosignVerifySignature(benchmark::State& state) {
  const Fixture& f = GetFixture();
  CosignVerifyOptions options;
  options.key = f.key.public_key();
  options.reference = "registry.example.com/team/app";
  for (auto _ : state) {
    absl::Status status = VerifyCosignSignature(f.signature, f.image, options);
    if (!status.ok()) state.SkipWithError("cosign verify failed");
    benchmark::DoNotOptimize(status);
  }
}
BENCHMARK(BM_CosignVerifySignature);

}  // namespace
}  // namespace bulwark::sign
