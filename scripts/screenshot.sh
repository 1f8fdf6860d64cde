#!/usr/bin/env bash
# A screenshot of a plan's report.html in headless Chromium, so that someone
# can look at it without a browser of their own:
#   bash scripts/screenshot.sh [REPORT_HTML] [OUT_PNG] [WIDTH,HEIGHT]
# defaults: out/chongqing/report.html, beside it report-screenshot.png, 1400,3000.
# Installs Debian's chromium (and the CJK font the maps ask for) if missing.
# The page needs no network; Chromium is started with it all but off.
set -euo pipefail
cd "$(dirname "$0")/.."
html="${1:-out/chongqing/report.html}"
out="${2:-$(dirname "$html")/report-screenshot.png}"
size="${3:-1400,3000}"
[ -f "$html" ] || { echo "screenshot: $html not found (run bash scripts/plan.sh first)" >&2; exit 1; }

missing=()
for p in chromium fonts-wqy-microhei; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "screenshot: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
abs_html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
mkdir -p "$(dirname "$out")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-quic --no-first-run --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$size" --screenshot="$abs_out" "file://$abs_html" 2>/dev/null
echo "wrote $abs_out"
