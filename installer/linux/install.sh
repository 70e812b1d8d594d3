#!/bin/sh
# Install Alliance Planner from this unpacked folder, with its menu entry, icon and .alliance
# file type. As root: into /opt/alliance-planner for every user of the machine; as a user:
# into ~/.local for that user alone. No Python is needed. Then check it: alliance-planner self-test
#
#   sudo ./install.sh               (or ./install.sh for yourself)
#   sudo ./install.sh --uninstall   removes what it installed
#
# PREFIX, SHARE and BIN choose other places (for image builders and packaging tools).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then
  PREFIX=${PREFIX:-/opt/alliance-planner}; SHARE=${SHARE:-/usr/share}; BIN=${BIN:-/usr/local/bin}
else
  PREFIX=${PREFIX:-$HOME/.local/opt/alliance-planner}
  SHARE=${SHARE:-${XDG_DATA_HOME:-$HOME/.local/share}}; BIN=${BIN:-$HOME/.local/bin}
fi
SIZES="16 24 32 48 64 128 256 512"
case "$PREFIX" in  # it is replaced whole: never a folder that holds anything else
  */alliance-planner) ;;
  *) echo "install.sh: PREFIX must end in /alliance-planner (got $PREFIX)" >&2; exit 2 ;;
esac

refresh() {
  command -v update-mime-database >/dev/null && update-mime-database "$SHARE/mime" || true
  command -v update-desktop-database >/dev/null && update-desktop-database "$SHARE/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$BIN/alliance-planner" "$SHARE/applications/alliance-planner.desktop" \
        "$SHARE/mime/packages/alliance-planner.xml"
  for s in $SIZES; do rm -f "$SHARE/icons/hicolor/${s}x${s}/apps/alliance-planner.png"; done
  rm -rf "$PREFIX"
  refresh
  echo "Alliance Planner removed (plans and settings in users' home folders are kept)"
  exit 0
fi

if [ "$here" != "$PREFIX" ]; then
  rm -rf "$PREFIX"
  mkdir -p "$(dirname "$PREFIX")"
  cp -R "$here" "$PREFIX"
fi
mkdir -p "$BIN" "$SHARE/applications" "$SHARE/mime/packages"
ln -sf "$PREFIX/alliance-planner" "$BIN/alliance-planner"
for s in $SIZES; do
  mkdir -p "$SHARE/icons/hicolor/${s}x${s}/apps"
  cp "$PREFIX/share/icons/hicolor/${s}x${s}/apps/alliance-planner.png" \
     "$SHARE/icons/hicolor/${s}x${s}/apps/alliance-planner.png"
done
sed -e "s|^Exec=alliance-planner|Exec=$PREFIX/alliance-planner|" \
    -e "s|^TryExec=alliance-planner|TryExec=$PREFIX/alliance-planner|" \
    "$PREFIX/share/applications/alliance-planner.desktop" \
    > "$SHARE/applications/alliance-planner.desktop"
cp "$PREFIX/share/mime/packages/alliance-planner.xml" "$SHARE/mime/packages/alliance-planner.xml"
refresh
echo "Alliance Planner installed in $PREFIX ($BIN/alliance-planner); check it with:"
echo "  $PREFIX/alliance-planner self-test"
