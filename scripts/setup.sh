#!/usr/bin/env bash
# Installs the system packages the build needs, once; idempotent.
# PROJ (libproj-dev) is linked by the `proj` crate, whose bindgen step needs
# libclang-dev; GDAL (libgdal-dev) by the `gdal` crate. proj-bin (`cs2cs`,
# `projinfo`) and gdal-bin (`ogrinfo`, `ogr2ogr`) are outside references and
# clients in tests. fonts-wqy-microhei (WenQuanYi Micro Hei, Apache-2.0 or
# GPL-3 with the font exception) draws the Chinese district names in map.png.
# Called by the README's commands and by .ci/run.
set -euo pipefail

PKGS=(libproj-dev libclang-dev pkg-config proj-bin sqlite3 libgdal-dev gdal-bin fonts-wqy-microhei)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
