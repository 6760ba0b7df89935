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
  libyaml-cpp-dev libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev pybind11-dev python3-dev
  # Python tests (Debian's /usr/bin/python3 runs them)
  python3 python3-pytest python3-jsonschema python3-yaml
  # Fuzzing and sanitizers (--config=fuzz)
  clang-14 libclang-rt-14-dev
  # Tools that tests compare against
  openssl coreutils tar gzip zstd umoci skopeo
  # Benchmark baselines (bench/secret_scan)
  yara
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bulwark setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
