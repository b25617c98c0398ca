#!/usr/bin/env bash
# Runs the fuzz targets (sheet importer, submission reader, indicator parser) for SECONDS each
# (default 600), all at once. cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable
# toolchain build them (set for the fuzz builds only: it would invalidate the main build). Crashing inputs land in fuzz/artifacts/<target>/: copy each into
# src-tauri/core/tests/fuzz-regressions/, where a test feeds it to the code on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p fuzz/corpus/import_sheet fuzz/corpus/submission fuzz/corpus/indicator
# Seeds: exports for the importer, a real submission for the reader, glyphs for the parser.
SHINCHOKU_FUZZ_SEEDS="$PWD/fuzz/corpus/import_sheet" cargo test -p shinchoku-core --test core fuzz_seeds -q
tmp=$(mktemp -d)
cargo build -q
target/debug/shinchoku init --sample --db "$tmp/main.db" >/dev/null
target/debug/shinchoku package --db "$tmp/main.db" --department こども支援課 --out "$tmp/pkg.json" >/dev/null
target/debug/shinchoku init --db "$tmp/dept.db" --package "$tmp/pkg.json" >/dev/null
target/debug/shinchoku submit --db "$tmp/dept.db" --out fuzz/corpus/submission/seed.json >/dev/null
for g in ☆ ★ ○ 〇 ◯ △ × ☓ x "‐（未公表のため）" " ○ "; do printf '%s' "$g" > "fuzz/corpus/indicator/$(printf '%s' "$g" | od -An -tx1 | tr -d ' \n')"; done
rm -rf "$tmp"
rm -f target/fuzz-summary.log
pids=()
for target in import_sheet submission indicator; do
  (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds" > "../target/fuzz-$target.log" 2>&1; echo "$target: exit $?" >> ../target/fuzz-summary.log) &
  pids+=($!)
done
wait "${pids[@]}"
cat target/fuzz-summary.log
grep -h -E "^#[0-9]+.*DONE|Done [0-9]+ runs" target/fuzz-*.log || true
