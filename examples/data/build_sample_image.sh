#!/usr/bin/env bash
# Builds examples/data/sample-image/, the OCI image `bulwark scan` is shown on, with real tools:
# Debian 12 packages (apt-get download, pinned versions and SHA-256) installed by dpkg into a root
# filesystem, layers and config written by umoci. Reproducible: fixed file times, owners and
# created dates, so building again from the same packages gives the same bytes (a test checks the
# checked-in copy). Needs root (dpkg runs the packages' maintainer scripts chrooted into the
# image, with its own busybox as /bin/sh), umoci and dpkg; the network only to fetch the three
# packages from Debian's mirror into $BULWARK_DEB_CACHE once.
#
# What it plants (every secret is fake, made up for this sample, and planted on purpose):
#   layer 0  ADD rootfs: busybox-static and base-files (Debian 12) installed by dpkg, busybox
#            setuid root, /etc/passwd and /etc/group, a setuid script /usr/bin/pinger, an
#            executable in /tmp, a world-writable /srv/uploads, a file owned by a uid /etc/passwd
#            does not know
#   layer 1  ADD https://.../app.tar.gz /app/: /app/config.env (AWS key pair, a DB URL with a
#            password), /app/deploy_key (an OpenSSH private key), /root/.docker/config.json
#   layer 2  RUN curl ... | sh, apt-get install python3-requests (2.28.1: vulnerable to
#            GHSA-j8r2-6x86-q33q and others, see examples/data/advisories/) without pinning or
#            cleanup, chmod 777, chmod 4755 /usr/bin/pinger (a new version of the script)
#   layer 3  RUN rm /app/deploy_key: a whiteout, so the key is deleted but still shipped
#   config   ENV DB_PASSWORD=..., GITHUB_TOKEN in the environment, no USER, EXPOSE 22, no
#            HEALTHCHECK
#
#   bash examples/data/build_sample_image.sh [OUTPUT_DIR]   # default: beside this script
#   bash examples/data/build_sample_image.sh --if-absent    # fetch the packages; build if missing
set -euo pipefail
# dpkg wants root's PATH (ldconfig, start-stop-daemon), which sudo and test runners may not give.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

here=$(cd "$(dirname "$0")" && pwd)
if_absent=false
if [[ ${1:-} == --if-absent ]]; then
  if_absent=true
  shift
fi
out=${1:-$here/sample-image}
cache=${BULWARK_DEB_CACHE:-/var/cache/bulwark/debs}

# name=version sha256 (amd64): what the image is built from. A newer Debian point release removes the
# old version from the mirror; then update a row (and the checked-in image).
PACKAGES=(
  "busybox-static=1:1.35.0-4+deb12u1+b1 3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744"
  "base-files=12.4+deb12u15 3eb1ea6d85488f488cc2a163b98ad640ef88cee4c79287cf14e361aaf6206f47"
  "python3-requests=2.28.1+dfsg-1 c75b5c05d8d4a813bd83c3d432ffe65a2ca13e771bc91d4b9787690097598603"
)
EPOCH=1700000000 # 2023-11-14T22:13:20Z: every file's mtime and every created date.
CREATED=2023-11-14T22:13:20Z

# Fake credentials in the vendors' formats (none was ever issued).
AWS_KEY_ID=AKIA""QX7ZB4NDR2WLKP3M
AWS_SECRET=q9Zt/4vLmX""2pR8sWn+Kd7Hy3Bf""6Jc1Qe0Ta5Uv8X
GITHUB_TOKEN=ghp_""s4mPl3T0k3nN0tR3aL""q8Zx2Cv6Bn1Mk5Lj9Hg0
DB_PASSWORD=Sampl3-Pa55word!
DOCKER_AUTH=c2FtcGxlOnM0bXBsM1JlZ2lzdHJ5UGFzcw== # base64 of a fake user:password
SSH_KEY_BODY='b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBzYW1wbGUta2V5LW5vdC1yZWFsLWZvci1idWx3YXJrLWRlbW8AAAAJAAAA
c2FtcGxlIGtleSBmb3IgdGhlIGJ1bHdhcmsgc2NhbiBkZW1vLCBub3QgYSByZWFsIGtleQ=='

die() {
  echo "build_sample_image: $*" >&2
  exit 1
}

# The .deb of "name=version" in the cache, fetched from the mirror when missing, checked.
deb_of() {
  local spec=$1 sha=$2 name=${1%%=*} version=${1#*=}
  local file="$cache/${name}_${version//:/%3a}.deb"
  if [[ ! -f $file ]]; then
    mkdir -p "$cache"
    local scratch
    scratch=$(mktemp -d)
    chmod 755 "$scratch" # apt's _apt user downloads into it
    (cd "$scratch" && apt-get download -q "$spec" >&2) ||
      die "cannot fetch $spec from the Debian mirror (a newer point release? update PACKAGES)"
    mv "$scratch"/*.deb "$file"
    rmdir "$scratch"
  fi
  echo "$sha  $file" | sha256sum --check --quiet >&2 || die "$file: SHA-256 is not $sha"
  echo "$file"
}

declare -A DEB
for row in "${PACKAGES[@]}"; do
  read -r spec sha <<<"$row"
  DEB[${spec%%=*}]=$(deb_of "$spec" "$sha")
done
if $if_absent && [[ -f $out/index.json ]]; then exit 0; fi
[[ $(id -u) -eq 0 ]] || die "run as root (dpkg configures the packages chrooted into the image)"
command -v umoci >/dev/null || die "umoci is missing (bash bazel/setup.sh installs it)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
layout=$work/layout
bundle=$work/bundle
rootfs=$bundle/rootfs

# dpkg into the image: unpack, then configure with the maintainer scripts chrooted into it.
# Dependencies the sample leaves out (perl, python3, awk) are forced past.
dpkg_run() {
  dpkg --root="$rootfs" --log=/dev/null --force-depends --no-triggers "$@" >"$work/dpkg.log" 2>&1 ||
    { cat "$work/dpkg.log" >&2; die "dpkg $* failed"; }
}
dpkg_install() {
  dpkg_run --unpack "$@"
  dpkg_run --configure -a
}

# One layer: what changed in the bundle since the last one, with every mtime fixed.
commit_layer() {
  find "$rootfs" -exec touch -h -d "@$EPOCH" {} +
  umoci repack --refresh-bundle --history.created "$CREATED" --history.created_by "$1" \
    --image "$layout:latest" "$bundle"
}

# A config change with its own history entry (empty_layer), as `docker build` records ENV. The
# bundle is unpacked again: umoci repack builds on the manifest the bundle was unpacked from.
config_step() {
  local created_by=$1
  shift
  umoci config --image "$layout:latest" --history.created "$CREATED" \
    --history.created_by "$created_by" "$@"
  rm -rf "$bundle"
  umoci unpack --image "$layout:latest" "$bundle" >/dev/null
}

umoci init --layout "$layout"
umoci new --image "$layout:latest"
umoci unpack --image "$layout:latest" "$bundle" >/dev/null

# Layer 0: the base system.
mkdir -p "$rootfs"/{etc,tmp,srv/uploads,usr/bin} "$rootfs"/var/lib/dpkg/{info,updates,triggers}
touch "$rootfs"/var/lib/dpkg/{status,available}
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
  >"$rootfs/etc/passwd"
printf '%s\n' root:x:0: daemon:x:1: bin:x:2: sys:x:3: adm:x:4: tty:x:5: disk:x:6: mail:x:8: \
  shadow:x:42: utmp:x:43: staff:x:50: users:x:100: nogroup:x:65534: >"$rootfs/etc/group"
dpkg_run --unpack "${DEB[busybox-static]}"
# The applets as symlinks (what `busybox --install -s` makes), so maintainer scripts have a shell.
for applet in $("$rootfs/bin/busybox" --list-full); do
  [[ -e $rootfs/$applet || -L $rootfs/$applet ]] && continue
  mkdir -p "$(dirname "$rootfs/$applet")"
  ln -s /bin/busybox "$rootfs/$applet"
done
dpkg_install "${DEB[base-files]}"
chmod 4755 "$rootfs/bin/busybox" # setuid root, for its su and passwd applets
printf '#!/bin/sh\necho pong\n' >"$rootfs/usr/bin/pinger"
chmod 4755 "$rootfs/usr/bin/pinger"
chmod 1777 "$rootfs/tmp"
printf '#!/bin/sh\n# stand-in for a dropped binary\nsleep 1\n' >"$rootfs/tmp/.x"
chmod 755 "$rootfs/tmp/.x"
chmod 777 "$rootfs/srv/uploads"
echo "uploads land here" >"$rootfs/srv/uploads/readme.txt"
chown 4242:4242 "$rootfs/srv/uploads/readme.txt"
commit_layer "/bin/sh -c #(nop) ADD file:5f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8 in / "

# Layer 1: the application, with its secrets.
mkdir -p "$rootfs/app" "$rootfs/root/.docker"
chmod 700 "$rootfs/root" "$rootfs/root/.docker"
printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nDATABASE_URL=postgres://app:%s@db:5432/app\n' \
  "$AWS_KEY_ID" "$AWS_SECRET" "$DB_PASSWORD" >"$rootfs/app/config.env"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' \
  "$SSH_KEY_BODY" >"$rootfs/app/deploy_key"
chmod 600 "$rootfs/app/deploy_key"
echo "require('http').createServer((q, s) => s.end('ok')).listen(8080);" >"$rootfs/app/server.js"
printf '{\n "auths": {\n  "registry.example.com": {\n   "auth": "%s"\n  }\n }\n}\n' "$DOCKER_AUTH" \
  >"$rootfs/root/.docker/config.json"
chmod 600 "$rootfs/root/.docker/config.json"
commit_layer "/bin/sh -c #(nop) ADD https://downloads.example.com/app.tar.gz /app/ "
config_step "/bin/sh -c #(nop)  ENV DB_PASSWORD=$DB_PASSWORD" --config.env "DB_PASSWORD=$DB_PASSWORD"

# Layer 2: the risky RUN step.
dpkg_install "${DEB[python3-requests]}"
printf '#!/bin/sh\necho pong v2\n' >"$rootfs/usr/bin/pinger"
mkdir -p "$rootfs/var/lib/apt/lists"
echo "Origin: example" >"$rootfs/var/lib/apt/lists/deb.example_dists_stable_InRelease"
chmod 4755 "$rootfs/usr/bin/pinger"
commit_layer "/bin/sh -c curl -fsSL https://get.example.com/install.sh | sh && apt-get update && \
apt-get install -y python3-requests && chmod 777 /srv/uploads && chmod 4755 /usr/bin/pinger"

# Layer 3: the key is removed, but layer 1 still ships it.
rm "$rootfs/app/deploy_key"
commit_layer "/bin/sh -c rm -f /app/deploy_key"

config_step "/bin/sh -c #(nop)  EXPOSE 22/tcp 8080/tcp" \
  --config.exposedports 22/tcp --config.exposedports 8080/tcp
config_step '/bin/sh -c #(nop)  CMD ["node" "/app/server.js"]' --config.cmd node \
  --config.cmd /app/server.js
umoci config --image "$layout:latest" --no-history --created "$CREATED" \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env "GITHUB_TOKEN=$GITHUB_TOKEN" --config.workingdir /app \
  --config.label org.opencontainers.image.title=bulwark-sample
umoci gc --layout "$layout"

rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$layout" "$out"
echo "build_sample_image: wrote $out" >&2
