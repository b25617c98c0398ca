#!/usr/bin/env bash
# Writes licenses/THIRD-PARTY-NOTICES.txt, the notices of every crate built into shinchoku and
# shinchoku-cli on Linux and Windows, with cargo-about (about.toml: the accepted licences;
# about.hbs: the plain-text form). It fails, writing nothing, when a crate's licence is not
# accepted. The app shows the file in 「このアプリについて」 and the package ships it;
# tests/licences.rs fails while the committed file is not what this writes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-about >/dev/null 2>&1 || scripts/install-deps.sh
# Every target's crates (the Windows ones too) are fetched, so that the offline run below reads
# the same licence files on every machine.
cargo fetch --locked
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# As tests/licences.rs reads it: on standard output.
cargo about generate --frozen --workspace --fail about.hbs > "$out"
chmod 644 "$out"
mkdir -p licenses
mv "$out" licenses/THIRD-PARTY-NOTICES.txt
trap - EXIT
wc -c licenses/THIRD-PARTY-NOTICES.txt
