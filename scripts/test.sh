#!/usr/bin/env bash
# The whole test suite: system packages, formatting, lints, then every unit,
# integration, property and doc test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
