#!/usr/bin/env bash
# The window's memory beside a bare Tauri 2 window (benches/bare-window/, a page of Japanese text):
# PSS (the sum of Pss: in /proc/PID/smaps_rollup) of the app process and every process under it
# (WebKitWebProcess, WebKitNetworkProcess, ...), under its own Xvfb. Three launches of each of: the
# bare window, the app on the sample (81 measures, 2 years), the app on a generated report of 2,000
# measures × 4 years, and that report scrolled to the bottom (End, without WebDriver: xdotool).
# Writes the raw figures to target/bench-memory.txt and the "Window memory (PSS)" section of
# BENCHMARKS.md (replaced in place, or appended). Run by scripts/bench.sh; never by scripts/test.sh.
# RUNS=N changes the number of launches of each.
# --section-only rewrites the section from the last target/bench-memory.txt without measuring.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
measure() {
  scripts/install-deps.sh
  export PATH="$HOME/.cargo/bin:$PATH"

  cargo build --release --locked
  CARGO_TARGET_DIR="$root/target/bare-window" \
    cargo build --release --locked --manifest-path benches/bare-window/Cargo.toml

  work=$(mktemp -d)
  xvfb_pid=""
  cleanup() {
    [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
  }
  trap cleanup EXIT

  # A display of our own, on the first free number from :95, so no other window shares it.
  n=95
  while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  export DISPLAY=":$n"
  Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1

  target/release/shinchoku init --sample --db "$work/sample.db" >/dev/null
  target/release/shinchoku init --generate 2000 --db "$work/large.db" >/dev/null

  commit=$(git rev-parse --short HEAD)
  [ -z "$(git status --porcelain -- ui src-tauri Cargo.toml Cargo.lock tauri.conf.json)" ] ||
    commit="$commit with uncommitted changes to the app"
  python3 - "$work" "${RUNS:-3}" "$commit" <<'PY'
import os, signal, sqlite3, statistics, subprocess, sys, time

work, runs = sys.argv[1], int(sys.argv[2])
APP, BARE = "target/release/shinchoku", "target/bare-window/release/bare-window"
# Every launch: its own XDG folders (the app's who-am-I and logs stay in them) and no session
# bus, so the single-instance plugin never hands over to an app someone else has open.
env = dict(os.environ, XDG_DATA_HOME=f"{work}/data", XDG_CACHE_HOME=f"{work}/cache", XDG_CONFIG_HOME=f"{work}/config")
env.pop("DBUS_SESSION_BUS_ADDRESS", None)


def ppids():
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            out[int(d)] = int(stat[stat.rindex(")") + 2:].split()[1])
    return out


def tree(pid):
    """The process and all its descendants, by the ppid links in /proc/*/stat."""
    links, found, todo = ppids(), [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += [c for c, parent in links.items() if parent == p]
    return found


def pss(pid):
    """{pid: (name, Pss kB, Pss_Anon kB)} over the tree."""
    out = {}
    for p in tree(pid):
        try:
            name = open(f"/proc/{p}/comm").read().strip()
            rollup = dict(l.split(":", 1) for l in open(f"/proc/{p}/smaps_rollup").read().splitlines()[1:])
        except (OSError, ValueError):
            continue
        kb = lambda k: int(rollup.get(k, "0 kB").split()[0])
        out[p] = (name, kb("Pss"), kb("Pss_Anon"))
    return out


def window_of(pid):
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid)], capture_output=True, text=True)
    return r.stdout.split()[0] if r.returncode == 0 and r.stdout.split() else None


def settle(pid, started):
    """Polls every 0.5 s until the window is shown and the total PSS moved by < 1 % over 3 s
    (at most 30 s from `started`); the last sample and whether it settled."""
    totals = []
    while True:
        time.sleep(0.5)
        sample = pss(pid)
        total = sum(v[1] for v in sample.values())
        shown = window_of(pid) is not None
        totals = totals + [total] if shown else []
        last = totals[-7:]
        if len(last) == 7 and (max(last) - min(last)) < 0.01 * max(last):
            return sample, True
        if time.monotonic() - started > 30:
            return sample, False


def launch(args, extra_env=None):
    started = time.monotonic()
    proc = subprocess.Popen(args, env={**env, **(extra_env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, started


def close(proc):
    """SIGTERM to the app; its WebKit processes end with it (killed after 10 s if not)."""
    pids = tree(proc.pid)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in pids[1:]):
        time.sleep(0.2)
    for p in pids[1:]:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def keys(pid, *args):
    """xdotool's `args` on the focused window of `pid`, if it has one."""
    w = window_of(pid)
    if w:
        subprocess.run(["xdotool", "windowfocus", "--sync", w], check=True)
        subprocess.run(["xdotool", *[w if a == "WINDOW" else a for a in args]], check=True)
    return w


def identity():
    path = f"{work}/data/jp.shinchoku.app/localstorage/tauri_localhost_0.localstorage"
    try:
        row = sqlite3.connect(path).execute("SELECT value FROM ItemTable WHERE key = 'shinchoku.identity'").fetchone()
    except sqlite3.Error:
        return None
    return bytes(row[0]).decode("utf-16-le") if row else None


def webkit_processes():
    """WebKit web processes on the machine (ours have ended by then): they share the library
    pages with ours, and so lower every PSS a little."""
    count = 0
    for p in ppids():
        try:
            count += open(f"/proc/{p}/comm").read().strip() == "WebKitWebProces"
        except OSError:
            pass
    return count


# Who-am-I once, as a first start does: the dialog, answered "取りまとめとして使う" with the
# keyboard (Tab, Tab, Enter); every measured launch is then an everyday start.
proc, started = launch([APP, "--db", f"{work}/sample.db"])
settle(proc.pid, started)
keys(proc.pid, "key", "--delay", "150", "Tab", "Tab", "Return")
deadline = time.monotonic() + 15
while identity() is None and time.monotonic() < deadline:
    time.sleep(0.5)
close(proc)
who = identity()
print(f"who-am-I remembered: {who}" if who else "who-am-I NOT remembered: the app launches show the 担当を選んでください dialog")

# The app draws its page without GPU compositing (src-tauri/src/memory.rs); the bare window is
# measured both with Tauri's defaults and drawn the same way (WebKitGTK's own switch), so the
# page's own cost shows like for like.
NO_COMPOSITING = {"WEBKIT_DISABLE_COMPOSITING_MODE": "1"}
cases = [
    ("bare", [BARE], False, None),
    ("bare_no_compositing", [BARE], False, NO_COMPOSITING),
    ("sample_81", [APP, "--db", f"{work}/sample.db"], False, None),
    ("generated_2000x4", [APP, "--db", f"{work}/large.db"], True, None),
]
lines = []
for run in range(1, runs + 1):
    for name, args, scroll, extra_env in cases:
        webkit_before = webkit_processes()
        proc, started = launch(args, extra_env)
        figures = [(name, *settle(proc.pid, started))]
        if scroll:
            # A click in the report's left margin (nothing there to press), then End; cards
            # drawn near the bottom make the page longer, so End again until it stays.
            keys(proc.pid, "mousemove", "--window", "WINDOW", "250", "500", "click", "1")
            for _ in range(3):
                subprocess.run(["xdotool", "key", "End"], check=True)
                time.sleep(1)
            figures.append((f"{name}_scrolled", *settle(proc.pid, time.monotonic())))
        for fig, sample, settled in figures:
            total = sum(v[1] for v in sample.values())
            anon = sum(v[2] for v in sample.values())
            split = " ".join(f"{v[0]}={v[1]}/{v[2]}" for v in sample.values())
            line = f"MEM {fig} run={run} pss_kb={total} anon_kb={anon} settled={'yes' if settled else 'no'} other_webkit={webkit_before} {split}"
            print(line, flush=True)
            lines.append(line)
        close(proc)
open("target/bench-memory.txt", "w").write(f"# app built from {sys.argv[3]}\n# on {time.strftime('%Y-%m-%d')}\n# who-am-I {'remembered' if who else 'NOT remembered'}\n" + "\n".join(lines) + "\n")
PY
}

[ "${1:-}" = "--section-only" ] || measure

python3 - <<'PY'
import datetime, pathlib, platform, re, subprocess, statistics, textwrap

rows = {}
commit, day, asked = "?", str(datetime.date.today()), False
for line in pathlib.Path("target/bench-memory.txt").read_text().splitlines():
    if line.startswith("# app built from "):
        commit = line.removeprefix("# app built from ")
    if line.startswith("# on "):
        day = line.removeprefix("# on ")
    if line.startswith("# who-am-I NOT"):
        asked = True
    if line.startswith("#"):
        continue
    f = line.split()
    kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
    procs = {k: int(v.split("/")[0]) for k, v in kv.items() if "/" in v}
    rows.setdefault(f[1], []).append((int(kv["pss_kb"]), int(kv["anon_kb"]), procs, kv["settled"], int(kv["other_webkit"])))
mb = lambda kb: kb / 1024
med = lambda xs: statistics.median(xs)
bare = med([r[0] for r in rows["bare"]])
names = {
    "bare": "bare Tauri 2 window, a page of Japanese text",
    "bare_no_compositing": "the same bare window drawn without compositing, as the app draws",
    "sample_81": "app, sample (81 measures, 2 years)",
    "generated_2000x4": "app, 2,000 measures × 4 years",
    "generated_2000x4_scrolled": "app, 2,000 measures × 4 years, scrolled to the bottom",
}
def proc(r, prefix):
    return sum(v for k, v in r[2].items() if k.startswith(prefix))
out = ["## Window memory (PSS)", ""]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
webkit = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libwebkit2gtk-4.1-0"], capture_output=True, text=True).stdout.strip()
n = len(rows["bare"])
out.append(f"`bash scripts/bench-memory.sh` (also run by `scripts/bench.sh`) on {day}, {platform.machine()} ({cpu}, "
           f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores), WebKitGTK {webkit}, Xvfb 1600×1000×24; "
           f"the app built from {commit}.")
out.append("")
out.append(f"| window | PSS, median of {n} launch{'es' if n > 1 else ''} | range | × bare | app process | WebKitWebProcess | WebKitNetworkProcess | anonymous part |")
out.append("|---|---|---|---|---|---|---|---|")
for key in names:
    if key not in rows:
        continue
    rs = rows[key]
    total = med([r[0] for r in rs])
    ratio = total / bare
    first = "bare-window" if key.startswith("bare") else "shinchoku"
    out.append(f"| {names[key]} | {mb(total):.0f} MB | {mb(min(r[0] for r in rs)):.0f}–{mb(max(r[0] for r in rs)):.0f} MB | {ratio:.2f} | "
               f"{mb(med([proc(r, first) for r in rs])):.0f} MB | {mb(med([proc(r, 'WebKitWebProces') for r in rs])):.0f} MB | "
               f"{mb(med([proc(r, 'WebKitNetworkPr') for r in rs])):.0f} MB | {mb(med([r[1] for r in rs])):.0f} MB |")
out.append("")
large = med([r[0] for r in rows["generated_2000x4"]]) / bare
out.append(f"Target: at most 1.3× the bare window at 2,000 measures. Met: {'yes' if large <= 1.3 else 'NO'} ({large:.2f}×"
           + (f"; {med([r[0] for r in rows['generated_2000x4_scrolled']]) / bare:.2f}× scrolled to the bottom" if "generated_2000x4_scrolled" in rows else "")
           + ").")
if "bare_no_compositing" in rows:
    alike = med([r[0] for r in rows["generated_2000x4"]]) / med([r[0] for r in rows["bare_no_compositing"]])
    out.append("")
    out.append(f"The app draws its page without GPU compositing (src-tauri/src/memory.rs). Like for like, against the bare "
               f"window drawn the same way, the 2,000-measure window is {alike:.2f}× (the page's own data and cards).")
unsettled = sum(1 for rs in rows.values() for r in rs if r[3] != "yes")
shared = max(r[4] for rs in rows.values() for r in rs)
out.append("")
out.append("Method: each window is launched on its own Xvfb display (release builds; the bare window is "
           "`benches/bare-window/`, Tauri 2 with its defaults, the same 1440×900 window size as the app). Every 0.5 s the "
           "script sums `Pss:` from `/proc/PID/smaps_rollup` over the launched process and all its descendants (found by the "
           "ppid links in `/proc/*/stat`: WebKitWebProcess and WebKitNetworkProcess); once the window is shown and the total "
           "has moved by less than 1 % over 3 s (at most 30 s), the last sample is recorded and the window is closed (SIGTERM). "
           + ("The app's who-am-I was NOT remembered: its launches show the 担当を選んでください dialog, not the report. " if asked else
              "The app's who-am-I is answered once before (取りまとめ, by the keyboard), so every measured launch is an everyday start "
              "showing the report view. ")
           + "\"Scrolled to the bottom\" is a click in the report's margin and End (xdotool), then the same wait. "
           "\"Anonymous part\" is the sum of `Pss_Anon:`, memory that is the window's own; the rest is mostly the shared "
           "libraries' pages, whose PSS shrinks when other WebKit processes run on the machine"
           + (f" (up to {shared} other WebKitWebProcess ran during these launches)" if shared else " (none ran during these launches)")
           + "." + (f" {unsettled} sample(s) had not settled after 30 s." if unsettled else "")
           + " Raw figures: `target/bench-memory.txt`.")
# Paragraphs wrapped as the rest of BENCHMARKS.md is; table rows kept whole.
section = "\n".join(l if l.startswith("|") or not l else textwrap.fill(l, 100, break_on_hyphens=False) for l in out) + "\n"

bench = pathlib.Path("BENCHMARKS.md")
text = bench.read_text() if bench.exists() else "# Benchmarks\n"
old = re.search(r"^## Window memory \(PSS\)\n.*?(?=^## |\Z)", text, re.S | re.M)
if old:
    text = text[:old.start()] + section + ("\n" if old.end() < len(text) else "") + text[old.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
bench.write_text(text)
print(section)
PY
