#!/usr/bin/env bash
# Captures the ground-truth build logs under fixtures/scenarios/ from a REAL Docker engine.
#
#   sudo bash scripts/capture-fixtures.sh              # every scenario
#   sudo bash scripts/capture-fixtures.sh 01 12-parallel-stages-one-changed   # by slug or prefix
#
# Needs root and the engine of ../shared/tools/engine-setup.sh (Docker 26 + buildx 0.13, base image
# local/busybox:latest, no Docker Hub). Debian's Docker 20.10 CLI (/usr/bin/docker) is used for the
# "old" plain form.
#
# Each scenario folder holds:
#   scenario.sh        variables + hooks (see "Scenario contract" below)
#   Dockerfile         the Dockerfile of the AFTER build
#   Dockerfile.before  (optional) the Dockerfile of the BEFORE build; the swap is the change
#   context/           the build context in its BEFORE state
#   anything else      copied too (base/, secrets/, docker-bake.hcl, ...)
# and receives: before[.<fmt>].log, after[.<fmt>].log, optional image.history.jsonl/image.inspect.json.
# expected.json is written by hand from what the scenario changed and what the real log says.
#
# Scenario contract (all optional):
#   FORMATS=(plain)          one capture pass per entry: plain | rawjson | legacy | old. The first
#                            pass also writes the before log; later passes only add after.<fmt>.log.
#   BEFORE_FORMAT=           format of the BEFORE build (default: the pass format)
#   COMMON_ARGS=()           extra build flags for both builds
#   BEFORE_ARGS=() AFTER_ARGS=()
#   EXPECT_AFTER_FAIL=0      1 when the AFTER build must fail
#   IMAGE_METADATA=0         1 to save docker history/inspect of the AFTER image
#   prepare()                runs in the work dir before the BEFORE build (e.g. build a base image)
#   change()                 runs in the work dir between the builds (edit context/, prune, ...)
#   build PHASE FMT          replaces the default build command (used for bake)
# The work dir is a fresh copy of the scenario folder; builds run with cwd = work dir and
# context = ./context, Dockerfile = ./Dockerfile (Dockerfile.before is copied over it for BEFORE).
#
# Engines and where fixtures go (environment):
#   CAPTURE_ENV=/path/env.sh  source this engine environment (DOCKER_HOST, DOCKER_CONFIG, PATH) instead of
#                             the default socket: e.g. the modern engine's $ENGINE_DIR/env.sh
#   FIXTURES_DIR=dir          scenario folders live here (default fixtures/scenarios)
#   BUILD_NETWORK=host        adds --network=host to every build (needed on engines without a bridge)
#   RECORDS=1                 after each BuildKit build, export its build record (buildx >= 0.23) as
#                             before[.<fmt>].dockerbuild / after[.<fmt>].dockerbuild
#
# Isolation: before every pass the BuildKit cache is pruned (`docker builder prune -af`), the images
# this script tags (cachescope-fx/*, local/base:1) are removed and dangling images (legacy-builder
# intermediates) are pruned, so every BEFORE build starts cold and no scenario sees another's cache.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCENARIOS=${FIXTURES_DIR:-$ROOT/fixtures/scenarios}
ENGINE_BIN=${ENGINE_BIN:-/tmp/engine26/root/usr/bin}
OLD_DOCKER=${OLD_DOCKER:-/usr/bin/docker}
export PATH="$ENGINE_BIN:$PATH"
unset BUILDKIT_PROGRESS BUILDX_BUILDER DOCKER_HOST DOCKER_CONTEXT || true
if [[ -n ${CAPTURE_ENV:-} ]]; then
  # shellcheck disable=SC1090
  . "$CAPTURE_ENV"
fi
NET_ARGS=()
[[ -z ${BUILD_NETWORK:-} ]] || NET_ARGS=(--network="$BUILD_NETWORK")
export BUILDX_NO_DEFAULT_ATTESTATIONS=1

die() { echo "capture-fixtures: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

[[ $(id -u) == 0 ]] || die "run as root (sudo bash $0)"
docker info >/dev/null 2>&1 || die "no engine: run bash /work/shared/tools/engine-setup.sh (or ../shared/tools/engine-setup.sh)"
docker image inspect local/busybox:latest >/dev/null 2>&1 || die "local/busybox:latest missing (engine-setup.sh creates it)"
docker buildx version >/dev/null 2>&1 || die "docker buildx missing"

write_versions() {
  {
    echo "# written by scripts/capture-fixtures.sh"
    echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "engine: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
    echo "cli: $(docker version --format '{{.Client.Version}}')"
    echo "buildx: $(docker buildx version)"
    echo "old cli: $("$OLD_DOCKER" version --format '{{.Client.Version}}' 2>/dev/null || echo missing)"
    echo "storage driver: $(docker info --format '{{.Driver}}')"
  } > "$SCENARIOS/engine.txt"
}

reset_state() {
  docker builder prune -af >/dev/null
  local imgs
  imgs=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(cachescope-fx/|local/base:1$)' || true)
  [[ -z $imgs ]] || docker image rm -f $imgs >/dev/null
  docker image prune -f >/dev/null
}

# export_record FILE FMT: the newest build record of the engine, when RECORDS=1 and the build was BuildKit's.
export_record() {
  [[ ${RECORDS:-0} == 1 && $2 != legacy ]] || return 0
  docker buildx history export --finalize -o "$1" >/dev/null 2>&1 || echo "!! could not export a build record to $1" >&2
}

sfx() { [[ $1 == plain ]] && echo "" || echo ".$1"; }

# default_build PHASE FMT EXTRA_ARGS... (cwd = work dir)
default_build() {
  local phase=$1 fmt=$2; shift 2
  case $fmt in
    plain|rawjson) docker buildx build "${NET_ARGS[@]}" --progress="$fmt" -f Dockerfile -t "$TAG" "$@" context ;;
    legacy) DOCKER_BUILDKIT=0 docker build "${NET_ARGS[@]}" -f Dockerfile -t "$TAG" "$@" context ;;
    old) DOCKER_BUILDKIT=1 "$OLD_DOCKER" build "${NET_ARGS[@]}" --progress=plain -f Dockerfile -t "$TAG" "$@" context ;;
    *) die "unknown format $fmt" ;;
  esac
}

run_scenario() (
  local dir=$1 slug
  slug=$(basename "$dir")
  FORMATS=(plain); BEFORE_FORMAT=""; COMMON_ARGS=(); BEFORE_ARGS=(); AFTER_ARGS=()
  EXPECT_AFTER_FAIL=0; IMAGE_METADATA=0
  TAG="cachescope-fx/$slug"
  prepare() { :; }
  change() { :; }
  # shellcheck disable=SC1091
  source "$dir/scenario.sh"
  local pass=0 fmt bfmt work rc status=0
  for fmt in "${FORMATS[@]}"; do
    pass=$((pass + 1))
    bfmt=${BEFORE_FORMAT:-$fmt}
    log "$slug: pass $pass ($fmt)"
    reset_state
    work=$(mktemp -d /tmp/cachescope-fx.XXXXXX)
    tar -C "$dir" --exclude='*.log' --exclude='*.dockerbuild' --exclude='expected.json' --exclude='image.*.json*' \
      --exclude='scenario.sh' -c . | tar -C "$work" -x
    [[ -f $work/Dockerfile.before ]] && mv "$work/Dockerfile" "$work/Dockerfile.after" \
      && mv "$work/Dockerfile.before" "$work/Dockerfile"
    pushd "$work" >/dev/null
    prepare
    local blog=/dev/null
    (( pass == 1 )) && blog="$dir/before$(sfx "$bfmt").log"
    rc=0
    if declare -F build >/dev/null; then build before "$bfmt" > "$blog" 2>&1 || rc=$?
    else default_build before "$bfmt" "${COMMON_ARGS[@]}" "${BEFORE_ARGS[@]}" > "$blog" 2>&1 || rc=$?; fi
    (( rc == 0 )) || { echo "!! $slug: BEFORE build failed (rc=$rc), see $blog" >&2; status=1; }
    (( pass == 1 )) && export_record "$dir/before$(sfx "$bfmt").dockerbuild" "$bfmt"
    [[ -f Dockerfile.after ]] && mv Dockerfile.after Dockerfile
    change
    local alog="$dir/after$(sfx "$fmt").log"
    rc=0
    if declare -F build >/dev/null; then build after "$fmt" > "$alog" 2>&1 || rc=$?
    else default_build after "$fmt" "${COMMON_ARGS[@]}" "${AFTER_ARGS[@]}" > "$alog" 2>&1 || rc=$?; fi
    export_record "$dir/after$(sfx "$fmt").dockerbuild" "$fmt"
    if (( EXPECT_AFTER_FAIL )); then
      (( rc != 0 )) || { echo "!! $slug: AFTER build was expected to fail but succeeded" >&2; status=1; }
    else
      (( rc == 0 )) || { echo "!! $slug: AFTER build failed (rc=$rc), see $alog" >&2; status=1; }
    fi
    if (( IMAGE_METADATA && pass == 1 )); then
      docker history --no-trunc --format '{{json .}}' "$TAG" > "$dir/image.history.jsonl"
      docker image inspect "$TAG" > "$dir/image.inspect.json"
    fi
    popd >/dev/null
    rm -rf "$work"
  done
  return $status
)

main() {
  local -a dirs=()
  if (( $# == 0 )); then
    for d in "$SCENARIOS"/*/; do [[ -f $d/scenario.sh ]] && dirs+=("${d%/}"); done
  else
    local a m
    for a in "$@"; do
      m=$(find "$SCENARIOS" -mindepth 1 -maxdepth 1 -type d -name "${a%/}*" | sort)
      [[ -n $m ]] || die "no scenario matches '$a'"
      while read -r d; do dirs+=("$d"); done <<< "$m"
    done
  fi
  write_versions
  local failed=0 d start=$SECONDS
  for d in "${dirs[@]}"; do run_scenario "$d" || failed=$((failed + 1)); done
  reset_state
  log "done: ${#dirs[@]} scenario(s), $failed with unexpected results, $((SECONDS - start))s"
  (( failed == 0 ))
}

main "$@"
