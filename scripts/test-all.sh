#!/usr/bin/env bash
# `npm test`: type check, unit + property + corpus tests, then the end-to-end suite on a production build.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

echo "== type check"
npx tsc --noEmit

echo "== unit tests (vitest)"
unit_status=0
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json || unit_status=$?

echo "== end-to-end tests (next build + Playwright in Chromium)"
e2e_status=0
bash scripts/e2e.sh || e2e_status=$?

node scripts/summarize-tests.mjs
if [ "$unit_status" -ne 0 ] || [ "$e2e_status" -ne 0 ]; then exit 1; fi
