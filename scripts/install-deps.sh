#!/usr/bin/env bash
# Installs what building, running and testing shinchoku needs on Debian/Ubuntu, skipping what is there.
# Used by scripts/run-app.sh, scripts/test.sh and .ci/run.
set -euo pipefail

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
  # The printed look of the exported sheet: xlsx → PDF → text and PNG
  libreoffice-calc-nogui poppler-utils
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
