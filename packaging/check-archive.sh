#!/usr/bin/env bash
# Checks the release archive and the two ways in to it, end to end on this machine:
# packs an archive with packaging/archive.sh, serves it as a GitHub release would
# (with SHA256SUMS) on 127.0.0.1, then
#   1. runs the README's archive install steps (curl, the SHA-256 check, tar,
#      install), read from README.md, and the installed pmo-vmo;
#   2. runs action.yml's two scripts as a Linux x86_64 runner would: install (a
#      tampered archive must be refused) and check (annotations, JUnit, exit code).
# `.ci/run` runs it with the binary it built; the archive is named for the musl
# target the release builds, whatever binary is packed.
#
#   packaging/check-archive.sh BINARY ASSETS_DIR
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 BINARY ASSETS_DIR" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
assets=$(cd "$2" && pwd)
fail() { echo "check-archive: FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
server=""
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

V=$("$bin" --version | awk '{ print $2 }')
T=x86_64-unknown-linux-musl
rel="$work/site/OWNER/pmo-vmo/releases"
mkdir -p "$rel/download/v$V" "$rel/latest"
"$root/packaging/archive.sh" "$V" "$T" "$bin" "$assets" "$rel/download/v$V" >/dev/null
(cd "$rel/download/v$V" && sha256sum -- *.tar.gz > SHA256SUMS && rm -- *.sha256)
ln -s "../download/v$V" "$rel/latest/download"

# A plain HTTP server on a free port of the loopback address, ended on exit.
python3 - "$work/site" "$work/port" <<'PY' &
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=sys.argv[1])
with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
    open(sys.argv[2], "w").write(str(httpd.server_address[1]))
    httpd.serve_forever()
PY
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the test server did not start"
site="http://127.0.0.1:$(cat "$work/port")"

echo "== the README's archive steps (macOS and any Linux), as README.md has them"
# The block is read from README.md, so CI runs what the README says. Its
# `sudo install ... /usr/local/bin/` installs for real (CI runs as root; sudo is
# a no-op here), so it must not be there already, and is removed after.
steps=$(awk '/^\*\*macOS and any Linux\*\*/ { found = 1 }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' "$root/README.md")
grep -q 'sha256sum -c' <<<"$steps" || fail "no archive steps found in README.md"
[ ! -e /usr/local/bin/pmo-vmo ] || fail "/usr/local/bin/pmo-vmo is there already; remove it first"
mkdir "$work/readme"
(
    cd "$work/readme"
    export V T PMO_VMO_REPO="$site/OWNER/pmo-vmo"
    bash -euo pipefail -c "sudo() { \"\$@\"; }
$steps"
)
trap 'rm -f /usr/local/bin/pmo-vmo; cleanup' EXIT
[ "$(/usr/local/bin/pmo-vmo --version)" = "pmo-vmo $V" ] || fail "the installed pmo-vmo does not answer --version"
/usr/local/bin/pmo-vmo score "$root/examples/sheets/agency-with-a-pmo.toml" --format csv | grep -q ",Hendrik de Vries," ||
    fail "the installed pmo-vmo did not score a sheet"
for f in LICENSE-MIT LICENSE-APACHE README.md doc/pmo-vmo.1 complete/pmo-vmo.bash complete/_pmo-vmo \
    complete/pmo-vmo.fish complete/_pmo-vmo.ps1 complete/pmo-vmo.elv; do
    [ -s "$work/readme/pmo-vmo-$V-$T/$f" ] || fail "the archive has no $f"
done
rm -f /usr/local/bin/pmo-vmo
echo "ok: downloaded, checked, unpacked, installed, ran"

echo "== action.yml: install, then check"
runner() {
    env GITHUB_SERVER_URL="$site" PMO_VMO_REPOSITORY=OWNER/pmo-vmo RUNNER_OS=Linux RUNNER_ARCH=X64 \
        RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/github_path" GITHUB_OUTPUT="$work/github_output" "$@"
}
mkdir -p "$work/runner"
: >"$work/github_path"
runner PMO_VMO_ACTION_REF=main bash "$root/action/install.sh"
installed=$(tail -n 1 "$work/github_path")
[ -x "$installed/pmo-vmo" ] || fail "action/install.sh put no pmo-vmo on the PATH ($installed)"
runner PMO_VMO_VERSION="$V" bash "$root/action/install.sh" >/dev/null
echo "ok: installed the latest release and v$V"

# On rubric 2.0.0, where the gated sheet's expectation (vmo, capped at hybrid) fails.
(cd "$root" && runner PATH="$installed:$PATH" INPUT_PATHS="tests/fixtures/v2/sheets tests/fixtures/check/sheets/gated.toml" \
    INPUT_RUBRIC=tests/fixtures/v2/pmo-vmo-2.0.0.toml INPUT_JUNIT="$work/junit.xml" bash "$root/action/check.sh") >"$work/annotations" && status=0 || status=$?
[ "$status" = 1 ] || fail "the action's check exited $status for a failing sheet, not 1"
grep -q '^::error file=tests/fixtures/check/sheets/gated.toml,line=' "$work/annotations" ||
    fail "no annotation on the failing sheet: $(cat "$work/annotations")"
grep -q 'tests="4"' "$work/junit.xml" || fail "the JUnit file does not hold the 4 sheets"
grep -qx 'exit-code=1' "$work/github_output" || fail "the exit-code output is not 1"
(cd "$root" && runner PATH="$installed:$PATH" INPUT_PATHS="examples/sheets" INPUT_JUNIT= \
    bash "$root/action/check.sh") >/dev/null || fail "the action's check failed on the passing examples"
echo "ok: annotations, JUnit file and exit codes"

# A download that does not match its sum is refused.
echo tampered >>"$rel/download/v$V/pmo-vmo-$V-$T.tar.gz"
if runner PMO_VMO_VERSION="$V" bash "$root/action/install.sh" >"$work/tampered" 2>&1; then
    fail "action/install.sh installed an archive that does not match SHA256SUMS"
fi
grep -q 'does not match its SHA-256 sum' "$work/tampered" || fail "unexpected refusal: $(cat "$work/tampered")"
echo "ok: a tampered archive is refused"
