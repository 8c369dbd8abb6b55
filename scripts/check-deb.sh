#!/usr/bin/env bash
# check-deb.sh PKG.deb: fails unless PKG is a .deb that dpkg installs and that shows up in the
# desktop menu as 示范创建工作台. Run by `make test` (stage deb, on the debug build) and `make deb`.
#
# The Tauri bundler takes the control file's Package field from productName (kebab-cased) and
# names the .desktop file after it, so on Linux productName must be an ASCII Debian name
# (src-tauri/tauri.linux.conf.json); the menu entry's Name comes from the template
# src-tauri/linux/shifan.desktop. See docs/packaging.md.
#
# Checks: the control fields (Package, Version, Architecture, Depends); the files (the binary,
# one .desktop file with Name=示范创建工作台 whose Icon is in the package); then dpkg installs the
# package into a throwaway root whose database is a copy of this machine's (so Depends are
# checked for real) and removes it again. Works as root or, through --force-not-root, as a user.
set -euo pipefail

PACKAGE=shifan          # the Debian package name; renaming it breaks upgrades of installed copies
BIN=shifan-app          # mainBinaryName
MENU_NAME=示范创建工作台  # what the desktop menu shows

deb=${1:?usage: check-deb.sh PKG.deb}
[ $# -eq 1 ] || { echo "check-deb: expected one .deb, got: $*" >&2; exit 1; }
[ -f "$deb" ] || { echo "check-deb: no such file: $deb" >&2; exit 1; }

failures=0
ok()   { printf '  ok    %s\n' "$*"; }
bad()  { printf '  FAIL  %s\n' "$*" >&2; failures=$((failures + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "check-deb: $deb ($(du -h "$deb" | cut -f1))"

# --- control data -----------------------------------------------------------------------------
# dpkg-deb parses the whole control file here and refuses an invalid Package name, as dpkg does.
if ! pkg=$(dpkg-deb --field "$deb" Package 2>"$tmp/err"); then
  cat "$tmp/err" >&2
  echo "check-deb: FAIL  dpkg-deb cannot read the control file of $deb (dpkg would refuse it)" >&2
  exit 1
fi
field() { dpkg-deb --field "$deb" "$1"; }
version=$(field Version)
arch=$(field Architecture)
depends=$(field Depends)
# Debian policy 5.6.1: lower case letters, digits, + - . ; at least two characters; starts
# alphanumeric.
check "Package '$pkg' is a valid Debian package name" \
  grep -Eq '^[a-z0-9][a-z0-9+.-]+$' <<<"$pkg"
check "Package is '$PACKAGE'" test "$pkg" = "$PACKAGE"
check "Version '$version' starts with a digit" grep -Eq '^[0-9][A-Za-z0-9.+~-]*$' <<<"$version"
check "Architecture '$arch' is this machine's" test "$arch" = "$(dpkg --print-architecture)"
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 fonts-noto-cjk; do
  check "Depends names $dep" grep -Eq "(^|, )$dep( |,|$)" <<<"$depends"
done

# --- files ------------------------------------------------------------------------------------
# Listing as "MODE OWNER SIZE DATE TIME PATH"; the bundler writes paths without a leading "./".
dpkg-deb --contents "$deb" | sed -E 's#^(([^ ]+ +){5})\./#\1#' >"$tmp/contents"
paths() { awk '{ print $6 }' "$tmp/contents"; }
check "/usr/bin/$BIN is an executable file" \
  grep -Eq "^-rwxr-xr-x .* usr/bin/$BIN\$" "$tmp/contents"
desktops=$(paths | grep -E '^usr/share/applications/[^/]+\.desktop$' || true)
check "exactly one .desktop file, /usr/share/applications/$pkg.desktop" \
  test "$desktops" = "usr/share/applications/$pkg.desktop"
check "hicolor icons named $BIN" \
  grep -Eq "^usr/share/icons/hicolor/[0-9]+x[0-9]+(@2)?/apps/$BIN\.png\$" <(paths)

# The member name as the archive spells it ("./usr/..." from dpkg-deb -b, "usr/..." from Tauri).
member=$(dpkg-deb --contents "$deb" | awk '{ print $6 }' \
  | grep -E "^(\./)?usr/share/applications/$pkg\.desktop\$" | head -n1 || true)
if [ -n "$member" ] \
   && dpkg-deb --fsys-tarfile "$deb" | tar -xO "$member" >"$tmp/app.desktop"; then
  entry() { sed -n "s/^$1=//p" "$tmp/app.desktop"; }
  check "desktop Name=$MENU_NAME" test "$(entry Name)" = "$MENU_NAME"
  check "desktop Exec=$BIN" test "$(entry Exec)" = "$BIN"
  check "desktop Icon=$BIN" test "$(entry Icon)" = "$BIN"
  check "desktop Type=Application" test "$(entry Type)" = Application
  check "desktop file has no unrendered template tags" \
    bash -c '! grep -q "{{" "$1"' _ "$tmp/app.desktop"
  if command -v desktop-file-validate >/dev/null; then
    check "desktop-file-validate" desktop-file-validate "$tmp/app.desktop"
  fi
else
  bad "cannot extract the .desktop file"
fi

# --- install and remove in a throwaway root ---------------------------------------------------
root="$tmp/root"
admin="$root/var/lib/dpkg"
mkdir -p "$admin/info" "$admin/updates"
cp /var/lib/dpkg/status "$admin/status"
# Empty file lists, so dpkg does not warn about each package it knows only from the status copy.
dpkg-query -W -f='${binary:Package}\n' | sed "s|^|$admin/info/|; s|\$|.list|" | xargs touch
DPKG=(dpkg --root="$root" --log=/dev/null)
[ "$(id -u)" -eq 0 ] || DPKG+=(--force-not-root)
if "${DPKG[@]}" --install "$deb" >"$tmp/install.log" 2>&1; then
  ok "dpkg --install (throwaway root; Depends satisfied on this machine)"
  status=$(dpkg-query --root="$root" -W -f='${Status}' "$pkg" 2>/dev/null || true)
  check "dpkg reports '$pkg' installed" test "$status" = "install ok installed"
  check "installed /usr/bin/$BIN" test -x "$root/usr/bin/$BIN"
  check "installed /usr/share/applications/$pkg.desktop" \
    test -f "$root/usr/share/applications/$pkg.desktop"
  if "${DPKG[@]}" --purge "$pkg" >>"$tmp/install.log" 2>&1; then
    ok "dpkg --purge"
    check "purge removed /usr/bin/$BIN" test ! -e "$root/usr/bin/$BIN"
  else
    cat "$tmp/install.log" >&2
    bad "dpkg --purge $pkg"
  fi
else
  cat "$tmp/install.log" >&2
  bad "dpkg --install $deb"
fi

if [ "$failures" -gt 0 ]; then
  echo "check-deb: $failures check(s) failed for $deb" >&2
  exit 1
fi
echo "check-deb: $deb installs as $pkg $version ($arch), menu entry $MENU_NAME"
