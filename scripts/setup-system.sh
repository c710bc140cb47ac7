#!/usr/bin/env bash
# Install the Debian packages Zhixing needs, when they are missing.
# As root: apt-get installs them. Otherwise: say exactly what to install, and fail.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || have_cmd initdb || need+=(postgresql)
have_cmd chromium || need+=(chromium)
have_cmd chromedriver || need+=(chromium-driver)
have_pkg fonts-noto-cjk || need+=(fonts-noto-cjk)
have_cmd msgfmt || need+=(gettext)
have_cmd pdftoppm || need+=(poppler-utils)
have_pkg libpango-1.0-0 || need+=(libpango-1.0-0)
have_pkg libpangoft2-1.0-0 || need+=(libpangoft2-1.0-0)
have_cmd node || need+=(nodejs)
have_cmd npm || need+=(npm)

if [[ ${#need[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them as root:  apt-get update && apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
