#!/usr/bin/env bash
# Build Steelman for macOS: Steelman.app (PyInstaller BUNDLE, see the spec) and a .dmg.
#
#   bash packaging/macos/build.sh
#
# Run on a Mac (the architecture of the build Python decides the app's: arm64 on
# Apple silicon, x86_64 on Intel). Needs Python 3.11 (python.org or Homebrew)
# as python3.11 or $PYTHON, and the Xcode command line tools (iconutil, hdiutil,
# codesign). Output in packaging/dist/:
#   Steelman.app
#   Steelman-<version>-macos-<arch>.dmg   drag Steelman to Applications
#
# The app is ad-hoc signed only (no Apple Developer ID, not notarized): on first
# start a user right-clicks it and chooses Open (docs/installing.md). To sign and
# notarize, set CODESIGN_IDENTITY="Developer ID Application: ..." and run
# `xcrun notarytool submit ... --wait` + `xcrun stapler staple` on the .dmg.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=$ROOT/packaging/build
DIST=$ROOT/packaging/dist
VENV=${STEELMAN_BUILD_VENV:-$BUILD/venv-macos}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
mkdir -p "$BUILD" "$DIST"
START=$(date +%s)

[ "$(uname -s)" = Darwin ] || { echo "macos/build.sh: run this on macOS" >&2; exit 1; }
for tool in iconutil hdiutil codesign; do
  command -v "$tool" >/dev/null || { echo "macos/build.sh: $tool missing (xcode-select --install)" >&2; exit 1; }
done

# --- build venv: plain (non-editable) install
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check ".[packaging]"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .
VERSION=$("$VENV/bin/python" -c 'import trainer; print(trainer.__version__)')
ARCH=$("$VENV/bin/python" -c 'import platform; print(platform.machine())')

# --- icon: Steelman.icns from the PNGs in packaging/linux/icons (the spec picks it up)
ICONSET=$BUILD/Steelman.iconset
rm -rf "$ICONSET"; mkdir -p "$ICONSET"
icons=packaging/linux/icons
for s in 16 32 128 256 512; do
  cp "$icons/steelman-$s.png" "$ICONSET/icon_${s}x${s}.png"
  d=$((s * 2))
  if [ -f "$icons/steelman-$d.png" ]; then cp "$icons/steelman-$d.png" "$ICONSET/icon_${s}x${s}@2x.png"; fi
done
iconutil -c icns -o "$BUILD/Steelman.icns" "$ICONSET"

# --- Steelman.app (the spec's BUNDLE step: Info.plist with the bundle id, version, category)
rm -rf "$DIST/Steelman.app" "$DIST/steelman"
(cd "$BUILD" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" "$ROOT/packaging/pyinstaller/steelman.spec")
APP=$DIST/Steelman.app
[ -d "$APP" ] || { echo "macos/build.sh: PyInstaller made no $APP" >&2; exit 1; }
/usr/libexec/PlistBuddy -c "Print :CFBundleIdentifier" "$APP/Contents/Info.plist"

# Signing: ad-hoc by default (required on Apple silicon), or a real identity.
codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" ${CODESIGN_IDENTITY:+--options runtime --timestamp} "$APP"
codesign --verify --deep --strict "$APP"

# --- smoke: the binary inside the .app prints the smoke line when run from a terminal
SMOKE_DATA=$(mktemp -d)
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/steelman" --smoke --data-dir "$SMOKE_DATA"
rm -rf "$SMOKE_DATA"

# --- .dmg: the app and a link to /Applications, compressed (UDZO)
STAGE=$BUILD/dmg
rm -rf "$STAGE"; mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
cat >"$STAGE/Read me first.txt" <<'TXT'
Drag Steelman onto Applications.

The first time: open Applications, right-click (or Control-click) Steelman and
choose Open, then Open again. macOS asks once because the app is not from the
App Store. After that it opens normally.

Portable mode (USB stick): copy Steelman.app to the stick and create a folder
named steelman-data next to it. Steelman then keeps its data in that folder.
TXT
DMG=$DIST/Steelman-$VERSION-macos-$ARCH.dmg
rm -f "$DMG"
hdiutil create -volname "Steelman $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$DMG" >/dev/null
rm -rf "$STAGE"

echo
echo "== summary"
printf '  %-10s %6s MB  %s\n' "app" "$(du -sm "$APP" | cut -f1)" "$APP"
printf '  %-10s %6s MB  %s\n' ".dmg" "$(du -sm "$DMG" | cut -f1)" "$DMG"
echo "  total time: $(( $(date +%s) - START )) s"
