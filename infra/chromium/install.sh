#!/usr/bin/env sh
# Installs Debian's chromium and chromium-driver (Selenium drives the browser through it) for the dashboard's browser
# test (DashboardBrowserTest). Run by the Maven profile install-chromium when /usr/bin/chromedriver is missing; safe to
# run by hand. Needs apt (Debian/Ubuntu) and root or sudo.
set -eu

CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver

if [ -x "$CHROMIUM" ] && [ -x "$DRIVER" ]; then
  exit 0
fi

fail() {
  echo "install-chromium: $1" >&2
  echo "install-chromium: the dashboard browser test needs Debian's chromium at $CHROMIUM and chromium-driver at $DRIVER." >&2
  echo "install-chromium: install them yourself with: sudo apt-get update && sudo apt-get install -y chromium chromium-driver" >&2
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

echo "install-chromium: $CHROMIUM or $DRIVER is missing; installing Debian's chromium, chromium-driver (and a font) with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || fail "apt-get update failed"
$SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core \
  || fail "apt-get install chromium chromium-driver failed"
[ -x "$CHROMIUM" ] || fail "apt-get finished but $CHROMIUM is still missing"
[ -x "$DRIVER" ] || fail "apt-get finished but $DRIVER is still missing"
"$CHROMIUM" --version || true
"$DRIVER" --version || true
