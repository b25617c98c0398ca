#!/usr/bin/env bash
# Installs the .deb that scripts/package.sh made, as an IT section would, and tries the installed
# app: `shinchoku --version`, `shinchoku init --sample` and `check` (and the same through
# shinchoku-cli), then the installed window under Xvfb through tauri-driver (its title, the first
# start's welcome dialog, the sample made from it, a screenshot); then removes the package and
# shows that the data folder is kept.
#
#   bash scripts/install-test.sh            # uses the newest .deb, makes one when there is none
#   bash scripts/install-test.sh --build    # runs scripts/package.sh first
#
# Not part of scripts/test.sh: the release build takes longer than the whole everyday test run
# (README, "Packages"). Needs root (dpkg); DISPLAY :92 unless INSTALL_TEST_DISPLAY names another.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if [ "$(id -u)" -ne 0 ]; then
  echo "エラー: dpkg を使うため root で実行してください（sudo bash $0）" >&2
  exit 1
fi

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
if [ "${1:-}" = "--build" ] || [ -z "$deb" ]; then
  bash scripts/package.sh
  deb=$(ls -t target/release/bundle/deb/*.deb | head -n1)
fi
command -v tauri-driver >/dev/null || { echo "エラー: tauri-driver がありません（scripts/install-deps.sh）" >&2; exit 1; }
[ -x /usr/bin/WebKitWebDriver ] || { echo "エラー: WebKitWebDriver がありません（webkit2gtk-driver）" >&2; exit 1; }

work=$(mktemp -d /tmp/shinchoku-install-test.XXXXXX)
out=target/install-test
mkdir -p "$out"
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  # The package never stays installed after a failed run.
  if dpkg-query -W -f='${Status}' shinchoku 2>/dev/null | grep -q "install ok installed"; then
    dpkg -r shinchoku >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== パッケージ"
echo "$deb  $(du -h "$deb" | cut -f1) ($(stat -c %s "$deb") bytes)"
dpkg-deb -f "$deb" Package Version Architecture Installed-Size Depends | sed 's/^/  /'
if dpkg-query -W -f='${Status}' shinchoku 2>/dev/null | grep -q "install ok installed"; then
  echo "エラー: shinchoku は既にインストールされています。この試験は最後に削除するため、先に dpkg -r shinchoku してください" >&2
  trap - EXIT
  rm -rf "$work"
  exit 1
fi

echo "== インストール (dpkg -i)"
t=$(now)
if ! dpkg -i "$deb"; then
  # Missing dependencies: apt-get brings them and finishes the configuration.
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y --no-install-recommends
fi
echo "インストール: $(since "$t") 秒"
dpkg -L shinchoku | while IFS= read -r f; do [ -d "$f" ] || echo "  $f ($(stat -c %s "$f") bytes)"; done
for f in /usr/bin/shinchoku /usr/bin/shinchoku-cli /usr/share/applications/shinchoku.desktop /usr/share/mime/packages/shinchoku.xml; do
  [ -e "$f" ] || { echo "エラー: $f がインストールされていません" >&2; exit 1; }
done
# The licence notices the about dialog shows (tauri.conf.json bundle.resources).
dpkg -L shinchoku | grep -q '/THIRD-PARTY-NOTICES.txt$' \
  || { echo "エラー: ライセンス表示（THIRD-PARTY-NOTICES.txt）がインストールされていません" >&2; exit 1; }
grep -q '^Name\[ja\]=' /usr/share/applications/shinchoku.desktop \
  || { echo "エラー: shinchoku.desktop に日本語の名前がありません" >&2; exit 1; }

echo "== コマンド"
for bin in shinchoku shinchoku-cli; do
  t=$(now)
  version=$("/usr/bin/$bin" --version)
  echo "$bin --version → $version ($(since "$t") 秒)"
  [[ "$version" == *" $(dpkg-deb -f "$deb" Version)" ]] \
    || { echo "エラー: $bin --version がパッケージの版 $(dpkg-deb -f "$deb" Version) を示しません" >&2; exit 1; }
  t=$(now)
  "/usr/bin/$bin" init --sample --db "$work/$bin.db" >/dev/null
  echo "$bin init --sample: $(since "$t") 秒"
  t=$(now)
  "/usr/bin/$bin" check --db "$work/$bin.db" | sed 's/^/  /'
  echo "$bin check: $(since "$t") 秒"
done

echo "== ウィンドウ (Xvfb + tauri-driver)"
export DISPLAY="${INSTALL_TEST_DISPLAY:-:92}"
if [ ! -e "/tmp/.X11-unix/X${DISPLAY#:}" ]; then
  Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  sleep 1
  kill -0 "$xvfb_pid" 2>/dev/null || { echo "エラー: Xvfb が $DISPLAY で起動できませんでした" >&2; exit 1; }
fi
# The installed app with no --db: its default database in the data folder ($XDG_DATA_HOME).
data_home="$work/data"
mkdir -p "$data_home" "$work/cache" "$work/config"
XDG_DATA_HOME="$data_home" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config" \
  python3 tests/tools/installed_window.py /usr/bin/shinchoku "$out/window.png"
db="$data_home/jp.shinchoku.app/shinchoku.db"
[ -f "$db" ] || { echo "エラー: ウィンドウがサンプルを $db に作りませんでした" >&2; exit 1; }
/usr/bin/shinchoku-cli check --db "$db" | sed -n '1,2s/^/  /p'

echo "== 削除 (dpkg -r)"
t=$(now)
dpkg -r shinchoku
echo "削除: $(since "$t") 秒"
for f in /usr/bin/shinchoku /usr/bin/shinchoku-cli /usr/share/applications/shinchoku.desktop; do
  [ ! -e "$f" ] || { echo "エラー: 削除後も $f が残っています" >&2; exit 1; }
done
echo "データフォルダは残ります:"
find "$data_home/jp.shinchoku.app" -mindepth 1 -maxdepth 1 | sort | sed "s|^$data_home/|  |"
other=$(find "$work/cache" "$work/config" -name '*shinchoku*')
[ -z "$other" ] || { echo "エラー: データフォルダの外にも書いています: $other" >&2; exit 1; }
echo "アプリのログ:"
sed 's/^/  /' "$data_home"/jp.shinchoku.app/logs/*.log
[ -f "$db" ] || { echo "エラー: 削除でデータベースが消えました" >&2; exit 1; }
echo "install-test: 1 passed, 0 failed"
