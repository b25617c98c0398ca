#!/usr/bin/env bash
# Runs every benchmark (export, import, merge, save, startup, the window's memory, the command
# line as whole processes) on the sample
# and on generated 2,000-measure reports, then writes BENCHMARKS.md with the medians from this
# machine beside their targets. Benchmarks are never part of the test suite: timings belong
# here, not in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Short but stable runs: criterion's median over 3 s of samples per benchmark.
cargo bench -p shinchoku-core --benches --locked -- --warm-up-time 1 --measurement-time 3 --noplot
# The window's time to an editable view with 2,000 measures × 4 years, read off the real app
# (release build, tauri-driver under Xvfb), three runs: the second launch of each is measured,
# an everyday start with who-am-I remembered.
if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:96
  Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  sleep 1
fi
: > target/bench-window.txt
for _ in 1 2 3; do
  cargo test --release --locked --test e2e two_thousand -- --nocapture 2>/dev/null | grep "^BENCH" >> target/bench-window.txt
done
python3 scripts/benchmarks.py target/criterion target/bench-window.txt > BENCHMARKS.md
# The window's memory (PSS) beside a bare Tauri window, three launches of each: its own section.
scripts/bench-memory.sh >/dev/null
# The command line as whole processes (hyperfine): shinchoku and shinchoku-cli beside a bare writer.
scripts/bench-cli.sh >/dev/null
cat BENCHMARKS.md
