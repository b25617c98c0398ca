#!/usr/bin/env bash
# Installs what building, running and testing shinchoku needs on Debian/Ubuntu, skipping what is there.
# Used by scripts/run-app.sh, scripts/test.sh and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # Tauri 2 on Linux
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev
  pkg-config build-essential file
  # Japanese text in the window and in the rendered sheets
  fonts-noto-cjk
  # End-to-end tests: a virtual display and WebKit's WebDriver
  xvfb xauth webkit2gtk-driver dbus
  # Closing the window as its close button does (tests/tools/close_window.py)
  python3-xlib
  # The window's memory benchmark scrolls the report without WebDriver (scripts/bench-memory.sh)
  xdotool
  # The printed look of the exported sheet: xlsx → PDF → text and PNG
  libreoffice-calc-nogui poppler-utils
  # The published web page checked as a browser and a validator see it: axe-core and the print
  # to PDF in headless Chromium over chromedriver, the Nu Html Checker (vnu.jar) on Java
  chromium chromium-driver default-jre-headless
)
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

# tauri-driver 2.x drives the real app for the end-to-end tests (3.x is for Tauri 3).
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "tauri-driver をインストールします"
  cargo install tauri-driver@^2 --locked
fi

# cargo-about writes the licences of every crate shipped and checks them against about.toml
# (scripts/licenses.sh, tests/licences.rs). Pinned: another version may word the file otherwise.
about_version=0.9.3
if [ "$(cargo-about --version 2>/dev/null || "$HOME/.cargo/bin/cargo-about" --version 2>/dev/null || true)" != "cargo-about $about_version" ]; then
  echo "cargo-about $about_version をインストールします"
  cargo install --locked --force --features cli "cargo-about@$about_version"
fi

# axe-core, the accessibility checker the end-to-end tests run inside the window, and vnu-jar, the
# Nu Html Checker of the published page: a test-only npm package (tests/axe/package-lock.json),
# never shipped in ui/. No install scripts: vnu-jar's would download a Java runtime, which the
# Debian package above provides.
if [ ! -f tests/axe/node_modules/axe-core/axe.min.js ] || [ ! -f tests/axe/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends nodejs npm
  fi
  echo "axe-core と vnu-jar（テスト用）をインストールします"
  npm ci --prefix tests/axe --no-audit --no-fund --ignore-scripts
fi
