#!/usr/bin/env bash
# Installs a pmo-vmo .deb as the README says (`dpkg -i`), checks what a user gets,
# then removes it and checks that nothing is left. Needs root; `.ci/run` runs it on
# the CI machine after `cargo deb`:
#
#   sudo packaging/check-deb.sh target/debian/pmo-vmo_*.deb
#
# Checked: the installed binary answers `--version` with the package's version;
# `man -w pmo-vmo` finds the page; bash-completion's own loader finds the completion
# in its standard folder and it offers `score`; the zsh and fish completions and the
# licences are where Debian puts them. After `dpkg --purge`: no file of the package
# is left and `pmo-vmo` is no longer on the PATH.
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 PATH/TO/pmo-vmo_VERSION_ARCH.deb" >&2
    exit 2
fi
deb=$1
# The PATH of a login shell on Debian, not this one's (which may hold a
# `cargo install`ed pmo-vmo in ~/.cargo/bin).
syspath=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
on_path() { env -i PATH=$syspath sh -c 'command -v pmo-vmo'; }
fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }

version=$(dpkg-deb --field "$deb" Version)
if dpkg-query -W -f='${Status}' pmo-vmo 2>/dev/null | grep -q 'install ok installed'; then
    fail "pmo-vmo is already installed on this machine; remove it first (dpkg -r pmo-vmo)"
fi
# The reader and loader the checks use (Debian's man-db and bash-completion).
missing=()
command -v man >/dev/null || missing+=(man-db)
[ -r /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "dpkg -i $deb"
dpkg -i "$deb"
trap 'dpkg --purge pmo-vmo >/dev/null 2>&1 || true' EXIT
files=$(dpkg -L pmo-vmo)

# The binary, from the PATH a login shell has.
got=$(env -i PATH=$syspath pmo-vmo --version)
[ "$got" = "pmo-vmo ${version%-*}" ] || fail "pmo-vmo --version said '$got', expected 'pmo-vmo ${version%-*}'"
[ "$(on_path)" = /usr/bin/pmo-vmo ] || fail "pmo-vmo on the PATH is $(on_path), not /usr/bin/pmo-vmo"
echo "ok: $got"

# The man page, found by man itself and readable.
page=$(man -w pmo-vmo) || fail "man -w pmo-vmo found no page"
[ "$page" = /usr/share/man/man1/pmo-vmo.1.gz ] || fail "man -w pmo-vmo gave $page"
MANWIDTH=80 man pmo-vmo 2>/dev/null | grep -q 'pmo-vmo' || fail "man pmo-vmo shows nothing"
echo "ok: man -w pmo-vmo: $page"

# bash: the completion is loaded on demand by bash-completion from its standard
# folder, as in an interactive shell, and completes the subcommand `sc` to `score`.
# shellcheck disable=SC2016 # the script is for the inner bash
offered=$(bash -c '
    source /usr/share/bash-completion/bash_completion
    _completion_loader pmo-vmo
    fn=$(complete -p pmo-vmo | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    [ -n "$fn" ] || exit 3
    COMP_WORDS=(pmo-vmo sc); COMP_CWORD=1; COMP_LINE="pmo-vmo sc"; COMP_POINT=${#COMP_LINE}
    "$fn" pmo-vmo sc pmo-vmo
    printf "%s\n" "${COMPREPLY[@]}"
') || fail "the bash completion did not load (bash exited $?)"
grep -qx score <<<"$offered" || fail "the bash completion of 'pmo-vmo sc' offered: $offered"
echo "ok: bash completes 'pmo-vmo sc' to: $(tr '\n' ' ' <<<"$offered")"

for f in /usr/share/zsh/vendor-completions/_pmo-vmo \
         /usr/share/fish/vendor_completions.d/pmo-vmo.fish \
         /usr/share/doc/pmo-vmo/LICENSE-MIT \
         /usr/share/doc/pmo-vmo/LICENSE-APACHE \
         /usr/share/doc/pmo-vmo/copyright; do
    grep -qx "$f" <<<"$files" || fail "the package does not install $f"
    [ -s "$f" ] || fail "$f is empty"
done
grep -q '^#compdef pmo-vmo' /usr/share/zsh/vendor-completions/_pmo-vmo || fail "_pmo-vmo is not a zsh completion"
grep -q '^complete -c pmo-vmo' /usr/share/fish/vendor_completions.d/pmo-vmo.fish || fail "pmo-vmo.fish is not a fish completion"
echo "ok: zsh and fish completions, licences"

echo "dpkg --purge pmo-vmo"
dpkg --purge pmo-vmo
trap - EXIT
if dpkg-query -W -f='${Status}' pmo-vmo 2>/dev/null | grep -q 'installed'; then
    fail "dpkg still lists pmo-vmo"
fi
while read -r f; do
    [ -d "$f" ] && continue
    [ ! -e "$f" ] || fail "$f is still there after dpkg --purge"
done <<<"$files"
! on_path >/dev/null || fail "pmo-vmo is still on the PATH: $(on_path)"
man -w pmo-vmo >/dev/null 2>&1 && fail "man -w still finds a pmo-vmo page"
echo "ok: removed, nothing left"
