#!/usr/bin/env bash
# The desktop app's tests in the real Electron (test/electron): the app is built, launched through Playwright, and
# checked from its window down to the engine's utility process. `npm test` runs this last. They need the Electron binary
# (fetched from the network on first use, so not on a closed build machine) and a display (xvfb-run where none).
# Where the binary is missing they are reported as not run, never as passed.
set -uo pipefail
cd "$(dirname "$0")/.."
path_file=node_modules/electron/path.txt
if [ ! -f "$path_file" ] || [ ! -x "node_modules/electron/dist/$(cat "$path_file")" ]; then
  echo "Electron tests: NOT RUN — there is no Electron binary (node_modules/electron/dist)."
  echo "Fetch it on a machine with network access (node node_modules/electron/install.js), then run npm run test:electron again."
  echo "0 passed, 0 failed, $(cat test/electron/*.test.ts | grep -c "^  it(") not run"
  exit 0
fi
npx electron-vite build || exit 1
run=(npx vitest run --config test/electron/vitest.config.ts)
if [ -z "${DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
  if ! command -v xvfb-run >/dev/null; then
    echo "Electron tests: NOT RUN — no display, and no xvfb-run to make one (apt-get install xvfb)."
    exit 0
  fi
  run=(xvfb-run -a "${run[@]}")
fi
"${run[@]}"
