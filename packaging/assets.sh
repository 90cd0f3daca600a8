#!/usr/bin/env bash
# The files every package ships beside the binary, made by that binary, so they
# never drift from the commands it has: the man page (plain and gzipped) and the
# shell completions. Used by `.ci/run` (for the .deb), by the release workflow (for
# the archives) and by a developer:
#
#   cargo build --release --locked
#   packaging/assets.sh target/release/pmo-vmo target/assets
#
# Writes into OUT_DIR:
#   man/pmo-vmo.1  man/pmo-vmo.1.gz
#   complete/pmo-vmo.bash  complete/_pmo-vmo  complete/pmo-vmo.fish
#   complete/_pmo-vmo.ps1  complete/pmo-vmo.elv
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 PATH/TO/pmo-vmo OUT_DIR" >&2
    exit 2
fi
bin=$1 out=$2
[ -x "$bin" ] || { echo "error: $bin is not an executable (build it first)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/man" "$out/complete"
"$bin" man > "$out/man/pmo-vmo.1"
# -n: no name or time in the header, so the same page gives the same bytes.
gzip -n -9 < "$out/man/pmo-vmo.1" > "$out/man/pmo-vmo.1.gz"
"$bin" completions bash > "$out/complete/pmo-vmo.bash"
"$bin" completions zsh > "$out/complete/_pmo-vmo"
"$bin" completions fish > "$out/complete/pmo-vmo.fish"
"$bin" completions powershell > "$out/complete/_pmo-vmo.ps1"
"$bin" completions elvish > "$out/complete/pmo-vmo.elv"
for f in "$out"/man/pmo-vmo.1 "$out"/complete/*; do
    [ -s "$f" ] || { echo "error: $f came out empty" >&2; exit 1; }
done
