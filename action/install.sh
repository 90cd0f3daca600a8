#!/usr/bin/env bash
# action.yml, first step: download the pmo-vmo release archive for this runner,
# check it against the release's SHA256SUMS, unpack it and put it on the PATH.
#
# Environment (set by action.yml):
#   PMO_VMO_REPOSITORY  owner/name the releases are attached to
#   PMO_VMO_VERSION     1.2.3, v1.2.3 or latest; empty: the version of the action's
#                       own tag (`uses: OWNER/pmo-vmo@v1.2.3`), else latest
#   PMO_VMO_ACTION_REF  the ref the action was used at
#   GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH: the runner's
set -euo pipefail
fail() { echo "::error title=pmo-vmo action::$*"; exit 1; }
repo=${PMO_VMO_REPOSITORY:?}
version=${PMO_VMO_VERSION:-}
if [ -z "$version" ]; then
    case "${PMO_VMO_ACTION_REF:-}" in
        v[0-9]*) version=$PMO_VMO_ACTION_REF ;;
        *) version=latest ;;
    esac
fi
case "$version" in
    latest) base="$GITHUB_SERVER_URL/$repo/releases/latest/download" ;;
    *) base="$GITHUB_SERVER_URL/$repo/releases/download/v${version#v}" ;;
esac
case "$RUNNER_OS/$RUNNER_ARCH" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    # Windows on Arm runs the x86_64 build under its emulation.
    Windows/X64 | Windows/ARM64) target=x86_64-pc-windows-msvc ;;
    *) fail "no pmo-vmo release is built for $RUNNER_OS on $RUNNER_ARCH" ;;
esac

dir="$RUNNER_TEMP/pmo-vmo-action"
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
echo "pmo-vmo $version for $target, from $base"
curl -fsSL --retry 3 -o SHA256SUMS "$base/SHA256SUMS" ||
    fail "could not download $base/SHA256SUMS (is there such a release?)"
# The archive's line: "HASH  pmo-vmo-VERSION-TARGET.tar.gz" (.zip for Windows).
awk -v t="$target" '$2 ~ ("^pmo-vmo-.*-" t "\\.(tar\\.gz|zip)$") { print; exit }' SHA256SUMS > archive.sha256
[ -s archive.sha256 ] || fail "the release has no archive for $target"
archive=$(awk '{ print $2 }' archive.sha256)
curl -fsSL --retry 3 -o "$archive" "$base/$archive" || fail "could not download $base/$archive"
if command -v sha256sum >/dev/null; then
    sha256sum -c archive.sha256 || fail "$archive does not match its SHA-256 sum"
else
    shasum -a 256 -c archive.sha256 || fail "$archive does not match its SHA-256 sum"
fi

case "$archive" in
    *.zip)
        folder=${archive%.zip}
        if command -v unzip >/dev/null; then
            unzip -q "$archive"
        else
            pwsh -NoProfile -Command "Expand-Archive -LiteralPath '$archive' -DestinationPath ."
        fi
        ;;
    *)
        folder=${archive%.tar.gz}
        tar -xzf "$archive"
        ;;
esac
bin_dir="$dir/$folder"
"$bin_dir/pmo-vmo" --version
# The PATH of the steps that follow is the runner's: a Windows path on Windows.
if command -v cygpath >/dev/null; then
    bin_dir=$(cygpath -w "$bin_dir")
fi
echo "$bin_dir" >> "$GITHUB_PATH"
