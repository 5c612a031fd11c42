#!/usr/bin/env bash
# End-to-end tests: production build, then Playwright in the system Chromium.
#   SKIP_BUILD=1 scripts/e2e.sh     reuse the existing .next build
#   CHROMIUM_PATH=/path/to/chromium  another Chromium binary (default /usr/bin/chromium)
#   scripts/e2e.sh e2e/app.spec.ts   extra arguments go to `playwright test`
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "e2e: no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)" >&2
  exit 2
fi

node scripts/build-examples.mjs
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  npx next build
fi
exec npx playwright test "$@"
