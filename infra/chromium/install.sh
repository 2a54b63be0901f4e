#!/usr/bin/env sh
# Installs Debian's chromium for the dashboard's browser test (DashboardBrowserTest). Run by the Maven profile
# install-chromium when /usr/bin/chromium is missing; safe to run by hand. Needs apt (Debian/Ubuntu) and root or sudo.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

fail() {
  echo "install-chromium: $1" >&2
  echo "install-chromium: the dashboard browser test needs Debian's chromium at $CHROMIUM." >&2
  echo "install-chromium: install it yourself with: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available on this machine"

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  fail "not root, and sudo is not available without a password"
fi

echo "install-chromium: $CHROMIUM is missing; installing Debian's chromium (and a font) with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || fail "apt-get update failed"
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core || fail "apt-get install chromium failed"
[ -x "$CHROMIUM" ] || fail "apt-get finished but $CHROMIUM is still missing"
"$CHROMIUM" --version || true
