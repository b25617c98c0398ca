#!/usr/bin/env bash
# Builds the release app with the Tauri CLI and makes the installable packages that
# tauri.conf.json names (on Linux the .deb), then prints their paths and sizes.
# scripts/install-test.sh installs the .deb and tries it; Windows: docs/install-windows.md.
#
#   bash scripts/package.sh
#
# The Tauri CLI is installed pinned (below) with `cargo install --locked`, once; a Windows
# machine builds its installers with the same CLI and `cargo tauri build` (docs/install-windows.md).
set -euo pipefail
cd "$(dirname "$0")/.."

# The Tauri CLI this project builds with: a 2.x that knows the tauri crates in Cargo.lock.
# docs/install-windows.md names the same version.
TAURI_CLI_VERSION=2.12.4

scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

if [ "$(cargo tauri --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]; then
  echo "Tauri CLI $TAURI_CLI_VERSION をインストールします"
  cargo install tauri-cli --version "=$TAURI_CLI_VERSION" --locked
fi

bundle=target/release/bundle
# Only what this run makes is listed, never a package left by an earlier version.
rm -rf "$bundle"

started=$(date +%s)
# --ci: no prompts. The windowless shinchoku-cli is built first (tauri.conf.json
# build.beforeBuildCommand) and goes into the package beside the app (bundle.linux.deb.files).
cargo tauri build --ci -- --locked
elapsed=$(($(date +%s) - started))

echo
echo "パッケージ（ビルド ${elapsed} 秒）:"
found=0
while IFS= read -r -d '' package; do
  found=1
  printf '  %s  %s (%s bytes)\n' "$package" "$(du -h "$package" | cut -f1)" "$(stat -c %s "$package")"
done < <(find "$bundle" -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \
  -o -name '*.msi' -o -name '*-setup.exe' -o -name '*.dmg' \) -print0 | sort -z)
if [ "$found" -eq 0 ]; then
  echo "エラー: $bundle にパッケージが作られませんでした" >&2
  exit 1
fi
