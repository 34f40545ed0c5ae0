#!/bin/sh
# Run by `npm test` first: the browser tests drive Chromium at $CHROMIUM_PATH (default
# /usr/bin/chromium). When it is missing, install Debian's package as root, or stop at once with
# the one command to run, rather than fail minutes later inside the browser tests.
set -eu

path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0

# apt only helps when Debian's package puts the browser where the tests look.
if [ "$path" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-chromium: $path is missing; installing Debian's chromium package for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [ -x "$path" ] && exit 0
    echo "ensure-chromium: installed chromium, yet $path is still missing" >&2
    exit 1
  fi
  echo "ensure-chromium: the browser tests need Chromium at $path. Install it, then run npm test again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: the browser tests need Chromium at $path. Install Chromium (or Chrome) and point" >&2
echo "CHROMIUM_PATH at it, e.g.:  CHROMIUM_PATH=/path/to/chromium npm test" >&2
exit 1
