#!/usr/bin/env bash
# The whole test suite: system packages, formatting, lints (missing docs
# included), documentation links, then every unit, integration, property and
# doc test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
cargo test --workspace
