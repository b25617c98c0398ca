"""Writes BENCHMARKS.md from criterion's results: the median of every benchmark and its target."""
import json
import pathlib
import platform
import re
import subprocess
import sys
from datetime import date

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
window = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None

# (pattern on "group/benchmark", target seconds or None, what the target says)
TARGETS = [
    (r"^cycle/.*2000", 2.0, "< 2 s: 41 packages out, 41 submissions in, merge, export"),
    (r"^cycle/", None, "41 packages out, 41 submissions in, merge, export"),
    (r"^export/.*bare_same_zip_level", None, "rust_xlsxwriter alone at the export's deflate level (3)"),
    (r"^export/.*bare", None, "baseline: rust_xlsxwriter alone, its defaults"),
    (r"^export/", None, "≤ 1.5 × the bare writer of the same sheet"),
    (r"^import/.*2000", 0.5, "≤ 0.5 s"),
    (r"^merge/.*2000", 0.2, "≤ 0.2 s"),
    (r"^publish/.*2000", 0.5, "< 0.5 s"),
    (r"^save/", 0.010, "≤ 10 ms"),
    (r"^startup/", 1.0, "≤ 1 s to an editable view"),
]


def human(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


rows = []
for estimates in sorted(root.glob("**/new/estimates.json")):
    name = "/".join(estimates.parent.parent.relative_to(root).parts)
    median = json.loads(estimates.read_text())["median"]["point_estimate"] / 1e9
    rows.append((name, median))
medians = dict(rows)

print("# Benchmarks\n")
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
print(f"Medians from `bash scripts/bench.sh` on {date.today()}, {platform.machine()} ({cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores).\n")
print("| benchmark | median | target | met |")
print("|---|---|---|---|")
for name, median in rows:
    target, wording = None, ""
    for pattern, seconds, text in TARGETS:
        if re.search(pattern, name):
            target, wording = seconds, text
            break
    met = ""
    if name.startswith("export/") and "bare" not in name:
        # "export/<size>/app" against "export/<size>/bare", and, for the record, against the
        # bare writer at the same deflate level.
        parts = name.split("/")
        bare = medians.get("/".join(parts[:-1] + ["bare"]))
        same = medians.get("/".join(parts[:-1] + ["bare_same_zip_level"]))
        if bare:
            ratio = median / bare
            wording += f" (ratio {ratio:.2f}"
            if same:
                wording += f"; {median / same:.2f} against the bare writer at level 3"
            wording += ")"
            met = "yes" if ratio <= 1.5 else "NO"
    elif target is not None:
        met = "yes" if median <= target else "NO"
    print(f"| {name} | {human(median)} | {wording} | {met} |")

# The window, measured on the real app (release build): the median of the launches.
if window and window.exists():
    columns = {
        "in-page render": r"in-page (\d+) ms",
        "process start to editable (app's clock)": r"process start to editable (\d+) ms",
        "launch to editable incl. WebDriver": r"launch to editable incl. WebDriver (\d+) ms",
    }
    values = {name: [] for name in columns}
    for line in window.read_text().splitlines():
        for name, pattern in columns.items():
            m = re.search(pattern, line)
            if m:
                values[name].append(int(m.group(1)))
    med = lambda xs: sorted(xs)[len(xs) // 2]
    for name, xs in values.items():
        if xs:
            v = med(xs) / 1000
            print(f"| window/2000_measures_4_years {name} ({len(xs)} launches) | {human(v)} | ≤ 1 s to interactive | {'yes' if v <= 1.0 else 'NO'} |")
print()
print("Export, import and merge use generated reports of 2,000 measures × 2 fiscal years (the printed layout's two");
print("year blocks); save and start-up use 2,000 measures × 4 years. Numbers are medians of criterion's samples.")
print()
print("A cycle is the coordinator's half-year: every department's package written, every department's")
print("submission merged (two cells of each measure changed), the sheet exported; at 2,000 measures of 41")
print("departments. The departments' databases and submissions are prepared outside the timed part.")
print()
print("The export deflates its container at level 3, as Excel does (rust_xlsxwriter's default is 6); the")
print("`bare_same_zip_level` rows are the bare writer at that level too, for the ratio without that choice.")
print("`app` includes reading the report from SQLite and the safe save (temporary file, fsync, rename); `bytes`")
print("stops at the workbook's bytes. The window rows are the release app's second launch on the same")
print("report (who-am-I remembered, as on every day after the first), three runs of the e2e start-up test.")
