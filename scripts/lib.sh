# Shared by scripts/setup, scripts/run and scripts/test. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Exact tool versions: Trunk.toml [tools] and Cargo.toml pin the same ones.
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_OPT_VERSION=132

say() { printf '\033[1;36m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo "$@"; else "$@"; fi; }

# A release build of a Rust tool, fast: tools are not hot paths, so no fat LTO.
fast_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo install "$@"
}

# Compiles with clippy's lints as errors: clippy-driver as the workspace members' compiler
# wrapper (what `cargo clippy` sets up for its check build), so the build that runs the tests
# is also the lint pass, and no dependency is compiled twice (once checked, once built).
# `cargo clippy --all-targets -- -D warnings` reports the same lints.
linted() {
  RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver" \
  CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}

# The wasm32 builds use target directories of their own, so a native cargo and a wasm32 cargo
# never wait on each other's lock and can run side by side (scripts/test runs three lanes):
# `wasm_dir` for the app's tests (linted, run in Chromium), `release_build`
# for Trunk's release build of the app (no unit is shared between the two profiles anyway).
wasm_dir() { CARGO_TARGET_DIR="$ROOT/target/wasm" "$@"; }
release_build() { CARGO_TARGET_DIR="$ROOT/target/wasm-release" trunk build --release "$@"; }
