#!/usr/bin/env bash
# The one test command (npm test): build, type-check, then every unit and end-to-end test in
# a single run of Node's test runner. The end-to-end tests need Chromium and code-server;
# test/e2e/setup.sh installs them once (idempotent). SOURCELENS_SKIP_E2E=1 runs the unit tests only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
node esbuild.mjs
npx tsc -p . --noEmit
files=(test/unit/*.test.ts)
if [ "${SOURCELENS_SKIP_E2E:-}" != "1" ] && compgen -G "test/e2e/*.test.ts" > /dev/null; then
  bash test/e2e/setup.sh
  files+=(test/e2e/*.test.ts)
fi
exec node --import tsx --test --test-concurrency=1 "${files[@]}"
