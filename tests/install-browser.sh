#!/bin/sh
# Headless Chromium for the HTML report's browser test (tests/report_browser.rs), from the
# distribution's packages when it is missing. Debian and Ubuntu; run as root.
set -eu
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "${CHROMIUM:-}" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no chromium and no apt-get; install Chromium with your system's package manager, or set CHROMIUM to its binary" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
