// Image references as Kyverno's CEL image library parses them (go-containerregistry's
// ParseReference); the expected values are those of Kyverno's documentation and its library
// tests.
#include "bulwark/policy/kyverno/image_reference.h"

#include <string>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::policy::kyverno {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kDigest[] =
    "sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2";

ImageReference Parse(const std::string& reference) {
  absl::StatusOr<ImageReference> ref = ParseImageReference(reference);
  EXPECT_THAT(ref.status(), IsOk()) << reference;
  return ref.ok() ? *ref : ImageReference{};
}

TEST(ImageReferenceTest, DockerHubDefaults) {
  ImageReference ref = Parse("nginx:latest");
  EXPECT_EQ(ref.image, "nginx:latest");
  EXPECT_EQ(ref.registry, "index.docker.io");
  EXPECT_EQ(ref.repository, "library/nginx");
  EXPECT_EQ(ref.identifier, "latest");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(ref.digest, "");

  ref = Parse("nginx");
  EXPECT_EQ(ref.tag, "latest");
  EXPECT_EQ(Parse("docker.io/bitnami/redis:7").registry, "index.docker.io");
  EXPECT_EQ(Parse("docker.io/bitnami/redis:7").repository, "bitnami/redis");
  // Two components without a '.' or ':' in the first: all repository, on Docker Hub.
  EXPECT_EQ(Parse("bitnami/redis").registry, "index.docker.io");
  EXPECT_EQ(Parse("bitnami/redis").repository, "bitnami/redis");
}

TEST(ImageReferenceTest, RegistryTagAndDigest) {
  ImageReference ref = Parse("registry.k8s.io/kube-apiserver-arm64");
  EXPECT_EQ(ref.registry, "registry.k8s.io");
  EXPECT_EQ(ref.repository, "kube-apiserver-arm64");
  EXPECT_EQ(ref.identifier, "latest");
  EXPECT_EQ(ref.digest, "");

  ref = Parse("registry.k8s.io/kube-apiserver-arm64:testtag");
  EXPECT_EQ(ref.tag, "testtag");
  EXPECT_EQ(ref.identifier, "testtag");

  ref = Parse(std::string("registry.k8s.io/kube-apiserver-arm64@") + kDigest);
  EXPECT_EQ(ref.digest, kDigest);
  EXPECT_EQ(ref.identifier, kDigest);
  EXPECT_EQ(ref.tag, "");

  // Tag and digest: a digest reference; the tag is dropped.
  ref = Parse(std::string("registry.k8s.io/kube-apiserver-arm64:latest@") + kDigest);
  EXPECT_EQ(ref.digest, kDigest);
  EXPECT_EQ(ref.identifier, kDigest);
  EXPECT_EQ(ref.tag, "");
  EXPECT_EQ(ref.repository, "kube-apiserver-arm64");
}

TEST(ImageReferenceTest, RegistryWithPort) {
  ImageReference ref = Parse("localhost:5000/team/app:v1.2");
  EXPECT_EQ(ref.registry, "localhost:5000");
  EXPECT_EQ(ref.repository, "team/app");
  EXPECT_EQ(ref.tag, "v1.2");
  ref = Parse("[::1]:5000/app");
  EXPECT_EQ(ref.registry, "[::1]:5000");
  EXPECT_EQ(ref.tag, "latest");
}

TEST(ImageReferenceTest, Invalid) {
  for (const char* bad : {
           "registry.k8s.io/kube-apiserver-arm64:@",  // Kyverno's parse_invalid_image
           "",
           "a",                            // repositories have at least two characters
           "Nginx",                        // upper case repository
           "nginx:bad tag",                // space in tag
           "nginx@sha256:abc",             // short digest
           "nginx@sha512:abc",             // not a sha256 digest
           "http://registry.example/app",  // URL scheme
           "registry.example:port/app",    // port not numeric
           "reg@istry.example/app:1",      // '@' in the authority
           "nginx:1@sha256:1@sha256:1",    // two '@'
       }) {
    EXPECT_THAT(ParseImageReference(bad), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("could not parse reference")))
        << bad;
  }
  std::string long_tag(128, 'a');
  EXPECT_FALSE(ParseImageReference("nginx:" + long_tag).ok());
  EXPECT_TRUE(ParseImageReference("nginx:" + long_tag.substr(1)).ok());
}

}  // namespace
}  // namespace bulwark::policy::kyverno
