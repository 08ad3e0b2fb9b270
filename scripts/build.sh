#!/usr/bin/env bash
# Builds the faisca binary and prints its path.
# Usage: scripts/build.sh [release|debug]   (default: release)
#
# A release build uses the nightly toolchain when rustup has one, with Polars' SIMD
# kernels and jemalloc (`--features simd,performant,jemalloc`): ~3.5x faster on a
# 10M-row group-by than the stable build (docs/benchmarks.md), for ~10 more minutes of
# cold build. FAISCA_SIMD=0
# builds with stable only; a nightly that cannot build it falls back to stable. Debug
# builds (the tests) are always stable.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${1:-${FAISCA_PROFILE:-release}}"
cd "$root"
if [ -n "${FAISCA_PREBUILT:-}" ]; then
  echo "$FAISCA_PREBUILT"
  exit 0
fi
target="${CARGO_TARGET_DIR:-$root/target}"
if [ "$profile" = release ]; then
  if [ "${FAISCA_SIMD:-1}" != 0 ] && command -v rustup >/dev/null \
      && rustup toolchain list | grep -q '^nightly'; then
    # Its own target directory: switching compilers would rebuild Polars each time.
    if CARGO_TARGET_DIR="$target/simd" cargo +nightly build --locked --release -p faisca \
        --features simd,performant,jemalloc >&2; then
      echo "$target/simd/release/faisca"
      exit 0
    fi
    echo "build.sh: the nightly build failed; building with stable" >&2
  fi
  cargo build --locked --release -p faisca >&2
else
  cargo build --locked -p faisca >&2
fi
echo "$target/$profile/faisca"
