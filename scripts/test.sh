#!/usr/bin/env bash
# Runs every test: formatting and lints, the core's unit and integration tests (LibreOffice
# renders the exported sheet), the app's command tests, the end-to-end tests of the real
# window under Xvfb, and the core and the command line built for Windows and run under Wine.
# Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

# A virtual display for the window, unless one is there already.
if [ -z "${DISPLAY:-}" ]; then
  # The first free display from :97, so a display someone else has open is never shared.
  n=97
  while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  export DISPLAY=":$n"
  Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  sleep 1
  kill -0 "$xvfb_pid" 2>/dev/null || { echo "Xvfb が $DISPLAY で起動できませんでした" >&2; exit 1; }
fi

# The end-to-end tests start the real binary: build it first so no test times out on the build.
cargo build --locked
log=target/test-output.log
set +e
cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test binary, so the total is not the last binary's count.
count='/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }'
awk "$count"' END { printf "linux: %d passed, %d failed\n", p, f }' "$log"

# Windows, the city's own platform: the core and the command line cross-built and run under
# Wine (scripts/windows.sh). Its own failures turn the run red like any other test's.
windows_log=target/windows-output.log
set +e
CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-$(nproc)}" bash scripts/windows.sh 2>&1 | tee "$windows_log"
windows_status=${PIPESTATUS[0]}
set -e
cat "$log" "$windows_log" | awk "$count"' END { printf "tests: %d passed, %d failed\n", p, f }'
[ "$status" -eq 0 ] && [ "$windows_status" -eq 0 ]
