#!/usr/bin/env bash
# Builds the Go test executables for go_buildinfo_test with Debian's go (offline: the only
# dependency is a local replacement). Usage: build_fixtures.sh APP_DIR OUT_DIR NAME...
# Without go (bazel/setup.sh installs golang-go) it writes empty files, and the test skips
# locally or fails in CI, so that `bazel build //...` never needs go.
set -euo pipefail
app_dir="$(cd "$1" && pwd)"
out_dir="$(mkdir -p "$2" && cd "$2" && pwd)"
shift 2
if ! command -v go >/dev/null 2>&1; then
  for name in "$@"; do : >"$out_dir/$name"; done
  exit 0
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export GOCACHE="$scratch/cache" GOPATH="$scratch/gopath" HOME="$scratch" GOPROXY=off
export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
cd "$app_dir"
for name in "$@"; do
  case "$name" in
    app-amd64) GOARCH=amd64 go build -ldflags="-X 'main.note=a b'" -o "$out_dir/$name" . ;;
    app-amd64-stripped) GOARCH=amd64 go build -ldflags="-s -w" -o "$out_dir/$name" . ;;
    app-386) GOARCH=386 go build -o "$out_dir/$name" . ;;
    app-ppc64) GOARCH=ppc64 go build -o "$out_dir/$name" . ;;
    app-windows-amd64.exe) GOOS=windows GOARCH=amd64 go build -o "$out_dir/$name" . ;;
    app-windows-386.exe) GOOS=windows GOARCH=386 go build -o "$out_dir/$name" . ;;
    app-darwin-arm64) GOOS=darwin GOARCH=arm64 go build -o "$out_dir/$name" . ;;
    app-darwin-amd64-stripped) GOOS=darwin GOARCH=amd64 go build -ldflags="-s -w" -o "$out_dir/$name" . ;;
    *) echo "unknown fixture $name" >&2; exit 1 ;;
  esac
done
