#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver, which the web console's browser tests (launcher
# ConsoleBrowserTest, Selenium) drive headless, unless both are already there.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver are installed"
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium chromium-driver
