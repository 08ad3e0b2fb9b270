#!/usr/bin/env bash
# Builds the faisca binary and prints its path.
# Usage: scripts/build.sh [release|dist|debug]   (default: release)
#
# release: the nightly toolchain when rustup has one, with Polars' SIMD kernels and
#   jemalloc (`--features simd,performant,jemalloc`): ~3.5x faster on a 10M-row group-by
#   than the stable build (docs/benchmarks.md), for ~10 more minutes of cold build.
#   FAISCA_SIMD=0 builds with stable only; a nightly that cannot build it falls back to
#   stable.
# dist: the same with the Python wheel's fat LTO and one codegen unit (Cargo.toml's
#   `dist` profile); measured in docs/benchmarks.md, with its build time.
# FAISCA_V3=1 (release or dist, x86-64): also builds for x86-64-v3 + pclmulqdq and puts
#   it beside the binary as faisca-x86-64-v3, which the baseline build hands the kernel
#   to on CPUs that have those features (kernel/faisca/src/cpu.rs). Twice the build time.
# Debug builds (the tests) are always stable.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${1:-${FAISCA_PROFILE:-release}}"
cd "$root"
if [ -n "${FAISCA_PREBUILT:-}" ]; then
  echo "$FAISCA_PREBUILT"
  exit 0
fi
target="${CARGO_TARGET_DIR:-$root/target}"
if [ "$profile" = debug ]; then
  cargo build --locked -p faisca >&2
  echo "$target/debug/faisca"
  exit 0
fi
features=(--features simd,performant,jemalloc)
if [ "${FAISCA_SIMD:-1}" != 0 ] && command -v rustup >/dev/null \
    && rustup toolchain list | grep -q '^nightly'; then
  # Their own target directories: switching compilers or CPU flags would rebuild Polars
  # each time.
  if CARGO_TARGET_DIR="$target/simd" cargo +nightly build --locked --profile "$profile" \
      -p faisca "${features[@]}" >&2; then
    bin="$target/simd/$profile/faisca"
    if [ "${FAISCA_V3:-0}" = 1 ] && [ "$(uname -m)" = x86_64 ]; then
      CARGO_TARGET_DIR="$target/simd-v3" \
        RUSTFLAGS="-C target-cpu=x86-64-v3 -C target-feature=+pclmulqdq" \
        cargo +nightly build --locked --profile "$profile" -p faisca "${features[@]}" >&2
      cp "$target/simd-v3/$profile/faisca" "$(dirname "$bin")/faisca-x86-64-v3.tmp"
      mv "$(dirname "$bin")/faisca-x86-64-v3.tmp" "$(dirname "$bin")/faisca-x86-64-v3"
    else
      rm -f "$(dirname "$bin")/faisca-x86-64-v3"
    fi
    echo "$bin"
    exit 0
  fi
  echo "build.sh: the nightly build failed; building with stable" >&2
fi
cargo build --locked --profile "$profile" -p faisca >&2
echo "$target/$profile/faisca"
