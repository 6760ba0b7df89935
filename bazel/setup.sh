#!/usr/bin/env bash
# Installs every Debian 12 package that Bulwark's build, tests, fuzzing and benchmarks need.
# Idempotent: when everything is present it only checks and exits (about a second).
# Run as root (or with sudo) on Debian 12.
set -euo pipefail

PACKAGES=(
  # Build
  bazel-bootstrap g++ protobuf-compiler
  # Libraries mapped in third_party/
  libabsl-dev libssl-dev libarchive-dev libre2-dev libprotobuf-dev libsimdjson-dev
  libyaml-cpp-dev libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev pybind11-dev
  python3-dev libsqlite3-dev zlib1g-dev libyara-dev libsodium-dev libcbor-dev
  libvectorscan-dev
  # Python tests (Debian's /usr/bin/python3 runs them)
  python3 python3-pytest python3-jsonschema python3-yaml python3-protobuf
  # Fuzzing and sanitizers (--config=fuzz)
  clang-14 libclang-rt-14-dev
  # Tools that tests compare against
  openssl coreutils tar gzip zstd umoci skopeo
  rpm sqlite3 golang-go openjdk-17-jdk-headless
  # CVSS v2/v3.x reference scores (image/vuln:cvss_test)
  ruby ruby-cvss-suite
  # Real jars (manifests, pom.properties) that image/sbom/java tests compare with the JDK
  libcommons-lang3-java libcommons-io-java libcommons-codec-java
  # Benchmark baselines (bench/secret_scan)
  yara
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

if ((${#missing[@]} > 0)); then
  echo "bulwark setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Test fixtures from the npm registry, unpacked (never committed) where tests look for them:
# /var/cache/bulwark/testdata/npm/<name>-<version>/package. A failed download only warns; the
# tests that need a fixture skip locally and fail in CI without it.
FIXTURES=/var/cache/bulwark/testdata
NPM_FIXTURES=(
  # A Go executable built in module mode with ~90 dependencies (image/sbom/gobinary tests).
  "@bufbuild/buf-linux-x64@1.75.0 bufbuild-buf-linux-x64-1.75.0"
)
for fixture in "${NPM_FIXTURES[@]}"; do
  read -r spec dir <<<"$fixture"
  [[ -d "$FIXTURES/npm/$dir/package" ]] && continue
  echo "bulwark setup: fetching test fixture $spec" >&2
  scratch=$(mktemp -d)
  if command -v npm >/dev/null && (cd "$scratch" && npm pack --silent "$spec" >/dev/null) &&
    $SUDO mkdir -p "$FIXTURES/npm/$dir.partial" &&
    $SUDO tar -xzf "$scratch"/*.tgz -C "$FIXTURES/npm/$dir.partial"; then
    $SUDO mv "$FIXTURES/npm/$dir.partial" "$FIXTURES/npm/$dir"
  else
    echo "bulwark setup: warning: could not fetch $spec; tests that need it will skip" >&2
    $SUDO rm -rf "$FIXTURES/npm/$dir.partial"
  fi
  rm -rf "$scratch"
done
# express 4.17.1 with its dependency tree as `npm install` lays it out (tests/vuln image test).
EXPRESS_TREE="$FIXTURES/npm/express-4.17.1-tree"
if [[ ! -d "$EXPRESS_TREE" ]] && command -v npm >/dev/null; then
  echo "bulwark setup: fetching test fixture express@4.17.1 and its dependencies" >&2
  $SUDO mkdir -p "$EXPRESS_TREE.partial"
  echo '{"name":"bulwark-vuln-fixture","version":"1.0.0","private":true}' |
    $SUDO tee "$EXPRESS_TREE.partial/package.json" >/dev/null
  if (cd "$EXPRESS_TREE.partial" &&
    $SUDO npm install --silent --ignore-scripts --no-audit --no-fund express@4.17.1); then
    $SUDO mv "$EXPRESS_TREE.partial" "$EXPRESS_TREE"
  else
    echo "bulwark setup: warning: could not fetch express@4.17.1; tests that need it will skip" >&2
    $SUDO rm -rf "$EXPRESS_TREE.partial"
  fi
fi

# The sample image of the README's first command (examples/data/sample-image), built with dpkg and
# umoci from pinned Debian packages when it is absent; the packages stay in /var/cache/bulwark/debs
# for the test that rebuilds it. A failed download only warns.
$SUDO bash "$(dirname "$0")/../examples/data/build_sample_image.sh" --if-absent ||
  echo "bulwark setup: warning: could not build examples/data/sample-image" >&2
