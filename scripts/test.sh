#!/usr/bin/env bash
# Every test the project has: type-check, lint, formatting, build the console, then one Vitest run covering
# unit, integration (engine against the emulators over HTTP), shell logic, UI (Chromium) and
# end-to-end (Chromium through the headless host), and last the desktop app in real Electron where its binary is
# present (reported as NOT RUN where it is not). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
failed_steps=0
step() {
  local name="$1"; shift
  echo "── $name"
  if ! "$@"; then echo "✗ $name failed"; failed_steps=$((failed_steps + 1)); fi
}
step "Chromium" bash scripts/ensure-chromium.sh
step "type-check" npx tsc -b
step "lint" npx eslint . --max-warnings 0
step "format" npx prettier --check . --log-level warn
step "build console" npm run --silent build:console
results=out/test-results.json
rm -f "$results"
echo "── tests"
VITEST_JSON="$results" npx vitest run
vitest_status=$?
passed=0
failed=0
if [ -f "$results" ]; then
  read -r passed failed < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && !r.success && r.numFailedTests===0 ? 1 : 0))' "$PWD/$results")
elif [ "$vitest_status" -ne 0 ]; then
  failed=1
fi
step "desktop app (real Electron)" bash scripts/test-electron.sh
failed=$((failed + failed_steps))
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ] && [ "$vitest_status" -eq 0 ]
