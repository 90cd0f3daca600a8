#!/usr/bin/env bash
# Packs one release archive: pmo-vmo-VERSION-TARGET.tar.gz (.zip for Windows), a
# folder of that name holding the binary, the licences, the README, the man page
# and the completions (from packaging/assets.sh), with a .sha256 file beside it.
# The release workflow runs it on each platform's runner; the names are the ones
# `[package.metadata.binstall]` in Cargo.toml and action.yml look for.
#
#   packaging/archive.sh VERSION TARGET BINARY ASSETS_DIR OUT_DIR
set -euo pipefail
if [ $# -ne 5 ]; then
    echo "usage: $0 VERSION TARGET BINARY ASSETS_DIR OUT_DIR" >&2
    exit 2
fi
version=$1 target=$2 bin=$3 assets=$4 out=$5
root=$(cd "$(dirname "$0")/.." && pwd)
name="pmo-vmo-$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/$name/doc" "$stage/$name/complete" "$out"
cp "$bin" "$stage/$name/"
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$root/README.md" "$stage/$name/"
cp "$assets/man/pmo-vmo.1" "$stage/$name/doc/"
cp "$assets"/complete/* "$stage/$name/complete/"

out=$(cd "$out" && pwd)
case "$target" in
    *windows*)
        archive="$name.zip"
        # Python's zipfile: on every runner, unlike zip(1); Windows calls it python.
        py=$(command -v python3 || command -v python)
        (cd "$stage" && "$py" -m zipfile -c "$out/$archive" "$name/")
        ;;
    *)
        archive="$name.tar.gz"
        tar -C "$stage" -czf "$out/$archive" "$name"
        ;;
esac
if command -v sha256sum >/dev/null; then
    (cd "$out" && sha256sum "$archive" > "$archive.sha256")
else
    (cd "$out" && shasum -a 256 "$archive" > "$archive.sha256")
fi
cat "$out/$archive.sha256"
