#!/usr/bin/env bash
# The whole test suite: system tools, type check, lint, every vitest suite.
# Installs the system tools the tests need when it can (apt-get as root); otherwise stops
# and names what is missing. Its last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package
declare -A NEEDS=([socat]=socat [chromium]=chromium)

missing_pkgs=()
for tool in "${!NEEDS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing_pkgs+=("${NEEDS[$tool]}")
done
# The PostgreSQL server binaries live outside PATH on Debian.
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing_pkgs+=(postgresql)
# A CJK font, so the screenshots the browser tests write can be read.
compgen -G '/usr/share/fonts/truetype/wqy/*' >/dev/null || missing_pkgs+=(fonts-wqy-microhei)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system tools the tests need: ${missing_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null; }; then
      echo "Could not install ${missing_pkgs[*]} with apt-get. Install them by hand, then run npm test again."
      echo "0 passed, 1 failed"
      exit 1
    fi
  else
    echo "The tests need these system packages, which are missing: ${missing_pkgs[*]}"
    echo "Install them (sudo apt-get install ${missing_pkgs[*]}) or run npm test as root to have it done."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

if [ ! -d node_modules ]; then
  echo "Installing npm dependencies (the Electron binary is not downloaded)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
skipped=0
step() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then passed=$((passed + 1)); echo "-- $name: passed"; else failed=$((failed + 1)); echo "-- $name: FAILED"; fi
}

step "type check (kiosk)" npx tsc -p tsconfig.json --noEmit
step "type check (centre server)" npx tsc -p server/tsconfig.json --noEmit
step "type check (centre console)" npx tsc -p server/console/tsconfig.json --noEmit
step "lint (including the layering rules)" npx eslint .
# The browser tests and the start test serve the built screens.
step "build (screens, Electron main and preload)" npm run -s build

report=$(mktemp)
echo "== vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"
vitest_status=$?
counts=$(node -e '
  const fs = require("fs");
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
  } catch { console.log("0 1 0"); }
' "$report")
rm -f "$report"
read -r v_passed v_failed v_skipped <<<"$counts"
if [ "$vitest_status" -ne 0 ] && [ "$v_failed" -eq 0 ]; then v_failed=1; fi
passed=$((passed + v_passed))
failed=$((failed + v_failed))
skipped=$((skipped + v_skipped))

echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
