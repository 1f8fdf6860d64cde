#!/usr/bin/env bash
# The main job: plan on the embedded Chongqing data into out/chongqing
# (or the folder given), after installing what the build needs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run --release --bin siting -- plan --out "${1:-out/chongqing}"
