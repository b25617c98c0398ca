#!/usr/bin/env bash
# The command line as whole processes, side by side under hyperfine (Debian's package): the app
# binary `shinchoku` (which loads GTK and WebKit before any subcommand) and the windowless
# `shinchoku-cli`, for --version and for `export` of the sample, beside a bare rust_xlsxwriter
# program writing the same cells (benches/bare-writer/, its own workspace, reading a JSON dump of
# the sample's export made once before the runs). Release builds. Writes the raw figures to
# target/bench-cli.json and the "Command line (whole processes)" section of BENCHMARKS.md
# (replaced in place, or appended). Run by scripts/bench.sh; never by scripts/test.sh.
# --section-only rewrites the section from the last target/bench-cli.json without measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

measure() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v hyperfine >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends hyperfine
  fi
  cargo build --release --locked
  CARGO_TARGET_DIR="$root/target/bare-writer" \
    cargo build --release --locked --manifest-path benches/bare-writer/Cargo.toml

  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # The app's logs and settings stay in the run's own folders.
  export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
  app=target/release/shinchoku
  cli=target/release/shinchoku-cli
  bare=target/bare-writer/release/bare-writer
  $cli init --sample --db "$work/sample.db" >/dev/null
  $cli export --db "$work/sample.db" --out "$work/sample.xlsx" >/dev/null
  target/bare-writer/release/dump-cells "$work/sample.xlsx" > "$work/cells.json"

  commit=$(git rev-parse --short HEAD)
  [ -z "$(git status --porcelain -- src-tauri Cargo.toml Cargo.lock benches/bare-writer)" ] ||
    commit="$commit with uncommitted changes"
  # Each export writes a new file: the previous run's is removed between runs, outside the time.
  hyperfine --warmup 5 --min-runs 40 -N --export-json target/bench-cli.json \
    --prepare "rm -f $work/out.xlsx" \
    -n "shinchoku --version" "$app --version" \
    -n "shinchoku-cli --version" "$cli --version" \
    -n "shinchoku export (sample)" "$app export --db $work/sample.db --out $work/out.xlsx" \
    -n "shinchoku-cli export (sample)" "$cli export --db $work/sample.db --out $work/out.xlsx" \
    -n "bare writer (same cells)" "$bare $work/cells.json $work/out.xlsx"
  ls -l "$app" "$cli" "$bare" | awk '{print $5, $9}' > target/bench-cli-sizes.txt
  printf '%s\n%s\n' "$commit" "$(date +%F)" > target/bench-cli-meta.txt
}

[ "${1:-}" = "--section-only" ] || measure

python3 - <<'PY'
import json, pathlib, platform, re, subprocess, textwrap

runs = {r["command"]: r for r in json.loads(pathlib.Path("target/bench-cli.json").read_text())["results"]}
commit, day = pathlib.Path("target/bench-cli-meta.txt").read_text().split("\n")[:2]
sizes = dict(reversed(l.split(" ", 1)) for l in pathlib.Path("target/bench-cli-sizes.txt").read_text().splitlines())
ms = lambda s: f"{s * 1000:.1f} ms"
bare = runs["bare writer (same cells)"]["mean"]
cli = runs["shinchoku-cli export (sample)"]["mean"]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
out = ["## Command line (whole processes)", ""]
out.append(f"`bash scripts/bench-cli.sh` (also run by `scripts/bench.sh`) on {day}, {platform.machine()} ({cpu}, {cores} cores), "
           f"hyperfine without a shell, release builds from {commit}.")
out.append("")
out.append("| command | mean ± σ | min | × bare writer | target | met |")
out.append("|---|---|---|---|---|---|")
for name, r in runs.items():
    target, met = "", ""
    if name == "shinchoku-cli export (sample)":
        target, met = "≤ 2 × the bare writer", "yes" if cli <= 2 * bare else "no"
    out.append(f"| `{name}` | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} | {r['mean'] / bare:.2f} | {target} | {met} |")
out.append("")
mb = lambda path: f"{int(sizes[path]) / 1e6:.1f} MB"
out.append(f"Binaries: `shinchoku` {mb('target/release/shinchoku')}, `shinchoku-cli` {mb('target/release/shinchoku-cli')}, "
           f"bare writer {mb('target/bare-writer/release/bare-writer')}.")
out.append("")
out.append("`shinchoku-cli` is built from shinchoku-core alone and links no GTK or WebKit (`ldd`; the test "
           "`shinchoku_cli_links_neither_gtk_nor_webkit` keeps it so); the app binary loads them before any "
           "subcommand runs. The bare writer (`benches/bare-writer/`) writes the cells and merges of the "
           "sample's exported workbook, dumped once to JSON by calamine, with one wrapped, bordered format, "
           "at the export's deflate level (3); it opens no database and checks nothing. What `shinchoku-cli "
           "export` does beyond it: opening SQLite and reading the report, recording the export in the "
           "database (one transaction: 4 of the run's 6 fsyncs, `strace -c`), and the safe save of the file "
           "(fdatasync, rename, fsync of the folder).")
# Paragraphs wrapped as the rest of BENCHMARKS.md is; table rows kept whole.
section = "\n".join(l if l.startswith("|") or not l else textwrap.fill(l, 100, break_on_hyphens=False) for l in out) + "\n"
bench = pathlib.Path("BENCHMARKS.md")
text = bench.read_text()
old = re.search(r"^## Command line \(whole processes\)\n.*?(?=^## |\Z)", text, re.S | re.M)
if old:
    text = text[:old.start()] + section + ("\n" if old.end() < len(text) else "") + text[old.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
bench.write_text(text)
print(section)
PY
