#!/usr/bin/env bash
# The release workflow's first check: the tag (v1.2.3) names the version in
# Cargo.toml, and Cargo.toml's `repository` is the repository being released from
# (binstall's download URLs are built from it). Prints `version=1.2.3` for
# $GITHUB_OUTPUT.
#
#   packaging/release-plan.sh TAG REPOSITORY_URL
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 TAG REPOSITORY_URL" >&2
    exit 2
fi
tag=$1 repo_url=$2
cd "$(dirname "$0")/.."
read -r version repository < <(cargo metadata --no-deps --format-version 1 --locked |
    python3 -c 'import json, sys
p = [p for p in json.load(sys.stdin)["packages"] if p["name"] == "pmo-vmo"][0]
print(p["version"], p["repository"] or "-")')
if [ "$tag" != "v$version" ]; then
    echo "error: the tag is $tag but Cargo.toml's version is $version (tag v$version)" >&2
    exit 1
fi
if [ "${repository%/}" != "$repo_url" ]; then
    echo "error: Cargo.toml's repository is '$repository', not $repo_url:" >&2
    echo "       cargo binstall would look for the archives there" >&2
    exit 1
fi
echo "version=$version"
