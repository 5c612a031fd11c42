#!/usr/bin/env bash
# Makes a stand-in for node:20-bookworm-slim on machines that reach Debian and the npm registry
# but no container registry: a Debian bookworm minbase root (debootstrap) with this host's Node
# and npm copied in, imported as local/node:20. It also carries python3/make/g++ and Node's
# headers, because without GitHub better-sqlite3 cannot download its prebuilt binary and
# compiles from source instead. The host's CA bundle replaces Debian's, so npm inside trusts the
# same registry certificates as the host.
#   sudo bash scripts/make-local-node-image.sh [tag]     (needs debootstrap and a Docker engine)
#   docker buildx build --build-arg NODE_IMAGE=local/node:20 --network=host .
set -euo pipefail
tag="${1:-local/node:20}"
node_bin="$(readlink -f "$(command -v node)")"
node_prefix="$(dirname "$(dirname "$node_bin")")"          # /usr or /usr/local
npm_dir="$node_prefix/lib/node_modules/npm"
[ -d "$npm_dir" ] || { echo "npm not found at $npm_dir" >&2; exit 1; }
root="$(mktemp -d /tmp/cachescope-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=ca-certificates,python3,make,g++ bookworm "$root" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
[ -d "$node_prefix/include/node" ] && cp -a "$node_prefix/include/node" "$root/usr/local/include/node"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# node:20 images carry a "node" user with uid 1000; keep that so Dockerfiles that use it work here too.
chroot "$root" /usr/sbin/groupadd --gid 1000 node
chroot "$root" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# Trust what this host trusts (a registry reached through an intercepting proxy has its own CA).
[ -f /etc/ssl/certs/ca-certificates.crt ] && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV npm_config_nodedir=/usr/local' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' - "$tag"
docker image inspect --format '{{.Id}} {{.Size}}' "$tag"
