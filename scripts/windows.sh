#!/usr/bin/env bash
# The Windows build, checked on Linux: cross-builds shinchoku-cli.exe and the window app
# shinchoku.exe for x86_64-pc-windows-gnu (MinGW-w64), runs the core's unit and integration
# tests under Wine through cargo's runner, then the command line's whole cycle (coordinator and
# department) under Wine in a user profile with a Japanese name, spaces, Japanese folder names and
# a path longer than 260 characters. Then builds the two MSI installers (per machine for Group
# Policy, per user without admin rights) with wixl, installs each under Wine, runs the installed
# command line and uninstalls it, keeping the user's report. Prints how long each part took and
# the sizes of the executables and installers, and closes with `windows: N passed, M failed`.
#
# Installs what is missing first, from Debian packages and rustup only (gcc-mingw-w64-x86-64,
# wine, wine64, wixl, msitools; the rustup target), as scripts/install-deps.sh does. Everything
# Wine keeps lives in target/wine (WINEPREFIX). What still needs a real Windows machine (the
# window itself on WebView2, code signing): docs/install-windows.md.
#
# Builds with `-j ${CARGO_BUILD_JOBS:-1}` (one job unless CARGO_BUILD_JOBS says otherwise) and
# into ${CARGO_TARGET_DIR:-target}.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
jobs="${CARGO_BUILD_JOBS:-1}"
triple=x86_64-pc-windows-gnu
timings="$CARGO_TARGET_DIR/windows-timings.txt"
mkdir -p "$CARGO_TARGET_DIR"
: >"$timings"

# Each part's time, printed and kept in target/windows-timings.txt.
part_started=0
part() {
  part_name="$1"
  part_started=$SECONDS
  echo "== $part_name"
}
part_done() {
  local took=$((SECONDS - part_started))
  echo "$part_name: ${took} s" | tee -a "$timings"
}

# --- Installs: MinGW-w64 to link, Wine to run, the Rust target. ------------------------------
part "インストール（install: gcc-mingw-w64-x86-64, wine, wixl, msitools, rustup target $triple）"
packages=(gcc-mingw-w64-x86-64 wine wine64 wixl msitools)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "システムパッケージをインストールします: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}"
fi
if ! rustup target list --installed | grep -qx "$triple"; then
  echo "Rust のターゲット $triple を追加します"
  rustup target add "$triple"
fi
part_done

# --- Wine: a private prefix, no window, no Mono or Gecko download. ---------------------------
part "Wine の準備（WINEPREFIX=$CARGO_TARGET_DIR/wine）"
export WINEPREFIX="$CARGO_TARGET_DIR/wine"
export WINEARCH=win64 WINEDEBUG=-all DISPLAY= WINEDLLOVERRIDES="mscoree,mshtml="
# Wine reads the arguments and the Unix file names it is given in the locale's character set.
export LC_ALL=C.UTF-8
# The 64-bit loader: Debian's `wine` asks for wine32 when only wine64 is installed.
if [ -x /usr/lib/wine/wine64 ]; then
  wine=/usr/lib/wine/wine64
  export WINELOADER="$wine"
else
  wine=$(command -v wine64 || command -v wine)
fi
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "Wine の環境を作成します: $WINEPREFIX"
  wineboot -i
  # The registry reaches system.reg when the server ends.
  wineserver -w
fi
# A drive letter mapped to a share, as a city hall hands out its shared folders (N: here a folder
# that Wine's registry calls a network drive): a database there must use the rollback journal.
mkdir -p "$CARGO_TARGET_DIR/wine-share"
ln -sfn "$CARGO_TARGET_DIR/wine-share" "$WINEPREFIX/dosdevices/n:"
if ! grep -q '^"n:"="network"' "$WINEPREFIX/system.reg" 2>/dev/null; then
  "$wine" reg add 'HKLM\Software\Wine\Drives' /v n: /d network /f
  wineserver -w
fi
export SHINCHOKU_NETWORK_DRIVE=N:
# One server for every process below (each would otherwise start and stop its own), and Wine's
# background services started now, with no terminal or pipe of ours: started by the first test,
# they would hold the pipe to `tee` open and the script would wait for them forever. Ended on exit.
wineserver -p >/dev/null 2>&1 </dev/null
trap 'wineserver -k 2>/dev/null || true' EXIT
"$wine" cmd /c ver >/dev/null 2>&1 </dev/null
# Rust's std needs ProcessPrng (bcryptprimitives.dll), which Wine 8 lacks: a test-only stand-in,
# built from packaging/windows/wine/bcryptprimitives.c into this prefix alone, never shipped.
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
source_c=packaging/windows/wine/bcryptprimitives.c
if [ ! -f "$dll" ] || [ "$source_c" -nt "$dll" ]; then
  echo "テスト用の bcryptprimitives.dll（ProcessPrng）を作成します"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$dll" "$source_c" -ladvapi32
fi
part_done

# --- The windowless command line for Windows. ------------------------------------------------
part "ビルド（build: shinchoku-cli.exe, release）"
cargo build -j "$jobs" --locked --release -p shinchoku-core --bin shinchoku-cli --target "$triple"
exe="$CARGO_TARGET_DIR/$triple/release/shinchoku-cli.exe"
part_done
size=$(stat -c %s "$exe")
echo "shinchoku-cli.exe: $size bytes ($((size / 1024)) KiB)" | tee -a "$timings"

# --- The window app for Windows (Tauri, WebView2): built and installed here, run on Windows. ----
part "ビルド（build: shinchoku.exe, the window app, release）"
cargo build -j "$jobs" --locked --release -p shinchoku --bin shinchoku --target "$triple"
app_exe="$CARGO_TARGET_DIR/$triple/release/shinchoku.exe"
# webview2-com's build places the loader beside the executable for the GNU target.
webview2_loader="$CARGO_TARGET_DIR/$triple/release/WebView2Loader.dll"
part_done
for f in "$app_exe" "$webview2_loader"; do
  [ -f "$f" ] || { echo "エラー: $f ができていません" >&2; exit 1; }
  echo "$(basename "$f"): $(stat -c %s "$f") bytes" | tee -a "$timings"
done

# --- The core's tests, built for Windows and run under Wine. ---------------------------------
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$wine"
part "テストのビルド（build: the core's tests for Windows）"
cargo test -j "$jobs" --locked -p shinchoku-core --target "$triple" --no-run
part_done

part "テストの実行（test run under Wine）"
log="$CARGO_TARGET_DIR/windows-test-output.log"
set +e
cargo test -j "$jobs" --locked --no-fail-fast -p shinchoku-core --target "$triple" 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e
part_done

# --- The command line's whole cycle, as the coordinator and a department run it. -------------
part "コマンドの一巡（the CLI's cycle under Wine）"
cycle_status=0
fail() {
  echo "失敗: $*" >&2
  cycle_status=1
}
# Runs shinchoku-cli.exe under Wine; its output (UTF-8 as the CLI writes it to a pipe) is kept
# in $out, its status in $rc.
out="$CARGO_TARGET_DIR/windows-cli-output.txt"
rc=0
cli() {
  set +e
  "$wine" "$exe" "$@" >"$out" 2>&1
  rc=$?
  set -e
  # The first lines are enough to see the Japanese as the CLI printed it.
  head -n 4 "$out" | cut -c 1-300 | sed 's/^/    /'
  [ "$(wc -l <"$out")" -le 4 ] || echo "    …"
}
# Runs it and counts a non-zero status as a failure.
must() {
  echo "  > shinchoku-cli $*"
  cli "$@"
  [ "$rc" -eq 0 ] || fail "shinchoku-cli $1 (status $rc)"
}

# One whole cycle in the Windows folder $1 (its Unix path $2).
cycle() {
  local win="$1" unix="$2"
  rm -rf "$unix"
  mkdir -p "$unix"
  local coordinator="$win\\取りまとめ 進捗.db" department="$win\\こども支援課\\こども支援課.db"
  mkdir -p "$unix/こども支援課" "$unix/提出"

  must init --db "$coordinator" --sample
  must package --db "$coordinator" --all --out "$win\\依頼パッケージ"
  local packages
  packages=$(find "$unix/依頼パッケージ" -name '*.shinchoku-package' | wc -l)
  [ "$packages" -eq 41 ] || fail "パッケージが 41 ではなく $packages 件"
  echo "  パッケージ: $packages 件"

  must init --db "$department" --package "$win\\依頼パッケージ\\こども支援課.shinchoku-package"
  must list --db "$department"
  local id
  id=$(grep -o '^\[ID [0-9]*\]' "$out" | head -1 | tr -dc 0-9)
  [ -n "$id" ] || fail "実施内容の ID が読めません"
  local status_text="令和６年度 下半期：「山田 太郎」が Wine から入力（C:\\パス）"
  must set --db "$department" --measure "${id:-0}" --year 2024 --half H2 --indicator ○ \
    --status "$status_text" --as こども支援課
  local submission="$win\\提出\\こども支援課.shinchoku-submission"
  must submit --db "$department" --out "$submission" --approved-by "山田 太郎"
  must merge --db "$coordinator" "$submission"
  must list --db "$coordinator" --department こども支援課 --json
  grep -qF "$(printf '%s' "$status_text" | sed 's/\\/\\\\/g')" "$out" \
    || fail "取りまとめに部署の入力が入っていません"
  must export --db "$coordinator" --out "$win\\令和6年度 進捗報告.xlsx"
  [ "$(head -c 2 "$unix/令和6年度 進捗報告.xlsx")" = "PK" ] || fail "xlsx ではありません"
  must publish --db "$coordinator" --out "$win\\公開用"
  [ -f "$unix/公開用/index.html" ] && [ -f "$unix/公開用/report.csv" ] || fail "公開用ページがありません"
  must restore --db "$coordinator" --list
  grep -q 'merge' "$out" || fail "merge 前のバックアップがありません"
  # A refusal: Japanese on stderr, naming the Windows path, status 1.
  echo "  > shinchoku-cli check --db （存在しないファイル）"
  cli check --db "$win\\ない.db"
  [ "$rc" -eq 1 ] || fail "存在しないデータベースの status が 1 ではなく $rc"
  grep -qF "ない.db" "$out" || fail "エラーがファイル名を出していません"
}

echo "-- ネットワークドライブ（N:）のデータベース"
rm -f "$CARGO_TARGET_DIR/wine-share/"共有の報告.db*
must init --db 'N:\共有の報告.db' --sample
must check --db 'N:\共有の報告.db' --json
grep -q '"journal": "rollback"' "$out" || fail "ネットワークドライブで WAL のままです"

profile_win='C:\users\山田 太郎'
profile_unix="$WINEPREFIX/drive_c/users/山田 太郎"
echo "-- 日本語のユーザー名・空白・日本語のフォルダ: $profile_win\\デスクトップ\\令和6年度 提出"
cycle "$profile_win\\デスクトップ\\令和6年度 提出" "$profile_unix/デスクトップ/令和6年度 提出"

# Past MAX_PATH (260): folder names of 60 characters until the path is over 300.
long_win="$profile_win\\デスクトップ\\令和6年度 提出"
long_unix="$profile_unix/デスクトップ/令和6年度 提出"
segment="令和６年度 重点政策 進捗状況 取りまとめ 各課からの提出物 保管用フォルダ 第二版 控え 原本 共有"
while [ ${#long_win} -le 300 ]; do
  long_win="$long_win\\$segment"
  long_unix="$long_unix/$segment"
done
echo "-- 260 文字を超えるパス（${#long_win} 文字）: $long_win"
cycle "$long_win" "$long_unix"
part_done

# --- The installers: built with wixl, installed, run and uninstalled under Wine. -------------
# One descriptor (packaging/windows/shinchoku.wxs), two MSI packages: per machine (Group Policy)
# and per user (no admin rights). See the descriptor for why WINDOWS_LANGUAGE and msibuild.
part "インストーラ（build: MSI per machine and per user with wixl; install, run, uninstall under Wine）"
installer_dir="$CARGO_TARGET_DIR/windows-installer"
rm -rf "$installer_dir"
mkdir -p "$installer_dir/bin" "$installer_dir/codepage"
cp "$app_exe" "$exe" "$webview2_loader" "$installer_dir/bin/"
printf '\r\n\r\n932\t_ForceCodepage\r\n' >"$installer_dir/codepage/_ForceCodepage.idt"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
# wixl takes the files' paths relative to where it runs.
bin_relative=$(realpath --relative-to=. "$installer_dir/bin")
msi_machine="$installer_dir/shinchoku_${version}_x64_ja-JP.msi"
msi_user="$installer_dir/shinchoku_${version}_x64_ja-JP_per-user.msi"
for scope in perMachine perUser; do
  msi="$msi_machine"
  [ "$scope" = perUser ] && msi="$msi_user"
  WINDOWS_LANGUAGE=ja wixl -a x64 -D Scope="$scope" -D Version="$version" -D Bin="$bin_relative" \
    -D Root=. -o "$msi" packaging/windows/shinchoku.wxs
  WINDOWS_LANGUAGE=ja msibuild "$msi" -i "$installer_dir/codepage/_ForceCodepage.idt"
  # Left by libgsf beside the package when it saves.
  rm -f .gsf-save-* "$installer_dir"/.gsf-save-*
  echo "$(basename "$msi"): $(stat -c %s "$msi") bytes" | tee -a "$timings"
done

installer_status=0
installer_fail() {
  echo "失敗（インストーラ）: $*" >&2
  installer_status=1
}
# Windows paths of the prefix's user, and their Unix paths.
unix_path() { "$wine" winepath -u "$1" 2>/dev/null | tr -d '\r'; }
windows_env() { "$wine" cmd /c "echo %$1%" 2>/dev/null </dev/null | tr -d '\r'; }
appdata=$(windows_env APPDATA)
localappdata=$(windows_env LOCALAPPDATA)
programfiles=$(windows_env ProgramW6432)
[ -n "$appdata" ] && [ -n "$localappdata" ] && [ -n "$programfiles" ] \
  || installer_fail "Wine の APPDATA などが読めません"

# Installs, tries and uninstalls one package. $1: the .msi, $2: the Windows folder it installs
# into, $3: the registry root of its file associations.
try_installer() {
  local msi="$1" folder="$2" classes="$3"
  local folder_unix msi_win
  folder_unix=$(unix_path "$folder")
  msi_win=$("$wine" winepath -w "$msi" 2>/dev/null | tr -d '\r')
  echo "-- $(basename "$msi") → $folder"
  set +e
  "$wine" msiexec /i "$msi_win" /qn </dev/null
  local status=$?
  set -e
  [ "$status" -eq 0 ] || installer_fail "msiexec /i の status が $status"
  for f in shinchoku.exe shinchoku-cli.exe WebView2Loader.dll licenses/THIRD-PARTY-NOTICES.txt; do
    [ -f "$folder_unix/$f" ] || installer_fail "$folder\\$f がインストールされていません"
  done
  # The entry is in ProgramMenuFolder: for all users on Windows with ALLUSERS=1, while Wine's
  # msiexec keeps the user's Programs folder for both packages. Either place counts here.
  local entry="Microsoft\\Windows\\Start Menu\\Programs\\重点政策 進捗管理.lnk"
  [ -f "$(unix_path "C:\\ProgramData\\$entry")" ] || [ -f "$(unix_path "$appdata\\$entry")" ] \
    || installer_fail "スタートメニューに「重点政策 進捗管理」がありません"
  local ext
  for ext in shinchoku-package shinchoku-submission; do
    "$wine" reg query "$classes\\.$ext" /ve </dev/null 2>/dev/null | tr -d '\r' | grep -q "shinchoku\\." \
      || installer_fail ".$ext が関連付けられていません（$classes）"
  done
  "$wine" reg query "$classes\\shinchoku.package\\shell\\open\\command" /ve </dev/null 2>/dev/null \
    | tr -d '\r' | grep -qF "$folder\\shinchoku.exe" \
    || installer_fail "提出用パッケージを開くコマンドが $folder\\shinchoku.exe ではありません"

  # The installed command line, as the IT section tries it: the report in the default place.
  local installed="$folder_unix/shinchoku-cli.exe" report="$appdata\\jp.shinchoku.app\\shinchoku.db"
  local report_unix
  report_unix=$(unix_path "$report")
  rm -f "$report_unix" "$report_unix-wal" "$report_unix-shm"
  for args in "--version" "init --sample" "check"; do
    echo "  > (インストール先) shinchoku-cli $args"
    set +e
    # shellcheck disable=SC2086 # the words of $args are the arguments
    "$wine" "$installed" $args >"$out" 2>&1 </dev/null
    status=$?
    set -e
    head -n 3 "$out" | cut -c 1-200 | sed 's/^/    /'
    [ "$status" -eq 0 ] || installer_fail "インストールした shinchoku-cli $args の status が $status"
  done
  grep -q "shinchoku" <(set +e; "$wine" "$installed" --version 2>&1 </dev/null) \
    || installer_fail "--version が名前を出していません"

  set +e
  "$wine" msiexec /x "$msi_win" /qn </dev/null
  status=$?
  set -e
  [ "$status" -eq 0 ] || installer_fail "msiexec /x の status が $status"
  [ ! -e "$folder_unix/shinchoku.exe" ] && [ ! -e "$folder_unix/shinchoku-cli.exe" ] \
    || installer_fail "アンインストール後も $folder にファイルが残っています"
  "$wine" reg query "$classes\\.shinchoku-package" /ve </dev/null >/dev/null 2>&1 \
    && installer_fail "アンインストール後も .shinchoku-package の関連付けが残っています"
  [ -f "$(unix_path "C:\\ProgramData\\$entry")" ] || [ -f "$(unix_path "$appdata\\$entry")" ] \
    && installer_fail "アンインストール後もスタートメニューに残っています"
  # The user's report is kept, whole: the build's own command line still reads it.
  if [ -f "$report_unix" ]; then
    echo "  アンインストール後も報告は残っています: $report"
    cli check --db "$report"
    [ "$rc" -eq 0 ] || installer_fail "アンインストール後の報告を check できません（status $rc）"
  else
    installer_fail "アンインストールで利用者の報告 $report が消えました"
  fi
}
try_installer "$msi_machine" "$programfiles\\shinchoku" 'HKLM\Software\Classes'
try_installer "$msi_user" "$localappdata\\Programs\\shinchoku" 'HKCU\Software\Classes'
[ "$installer_status" -eq 0 ] && echo "インストーラ: ok"
part_done

# What the console shows: the CLI writes UTF-8 to a pipe or a file (here), and UTF-16 through
# WriteConsoleW to a real console (Rust's std), so no code page is involved either way.
if iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1; then
  echo "出力の文字コード: UTF-8 (valid)"
else
  fail "出力が UTF-8 ではありません"
fi

echo "== 所要時間（timings）"
cat "$timings"
# One closing line over every test binary, as scripts/test.sh prints it.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1); if ($i ~ /^ignored/) g += $(i-1) } }
     END { printf "ignored under Windows/Wine: %d\n", g }' "$log"
[ "$installer_status" -eq 0 ] && echo "installers under Wine: ok" || echo "installers under Wine: FAILED"
[ "$cycle_status" -eq 0 ] && echo "CLI cycle under Wine: ok" || echo "CLI cycle under Wine: FAILED"
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "windows: %d passed, %d failed\n", p, f }' "$log"
[ "$test_status" -eq 0 ] && [ "$cycle_status" -eq 0 ] && [ "$installer_status" -eq 0 ]
