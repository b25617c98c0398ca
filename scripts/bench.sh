#!/usr/bin/env bash
# Runs every benchmark (export, import, merge, save, startup) on the sample and on generated
# 2,000-measure reports, then writes BENCHMARKS.md with the medians from this machine beside
# their targets. Benchmarks are never part of the test suite: timings belong here, not in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Short but stable runs: criterion's median over 3 s of samples per benchmark.
cargo bench --workspace --locked -- --warm-up-time 1 --measurement-time 3 --noplot
python3 scripts/benchmarks.py target/criterion > BENCHMARKS.md
cat BENCHMARKS.md
