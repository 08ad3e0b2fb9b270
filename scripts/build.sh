#!/usr/bin/env bash
# Builds the faisca binary and prints its path.
# Usage: scripts/build.sh [release|dist|debug]   (default: release)
#
# release: the nightly toolchain when rustup has one, with Polars' SIMD kernels and
#   jemalloc (`--features simd,performant,jemalloc`): ~3.5x faster on a 10M-row group-by
#   than the stable build (docs/benchmarks.md), for ~10 more minutes of cold build.
#   On a CPU with x86-64-v3 (AVX2, FMA, BMI2, …) and pclmulqdq it is built for that CPU
#   level (another ~10 % off every query, same build time); the binary then needs such a
#   CPU, which the machine that built it has. FAISCA_SIMD=0 builds with stable only; a
#   nightly that cannot build it falls back to stable.
# FAISCA_PORTABLE=1: a binary for any x86-64 instead, with the x86-64-v3 build beside it as
#   faisca-x86-64-v3, which it hands the kernel to on CPUs that have those features
#   (kernel/faisca/src/cpu.rs): for copying elsewhere; twice the build time.
# dist: the Python wheel's fat LTO and one codegen unit (Cargo.toml's `dist` profile);
#   measured no faster in docs/benchmarks.md, for a ~1.5 h build: not the default.
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
v3_flags="-C target-cpu=x86-64-v3 -C target-feature=+pclmulqdq"
cpu_has_v3() {
  [ "$(uname -m)" = x86_64 ] || return 1
  local flag flags
  flags="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)" || return 1
  for flag in avx2 fma bmi1 bmi2 abm movbe f16c popcnt sse4_2 pclmulqdq; do
    [[ " $flags " == *" $flag "* ]] || return 1
  done
}
# Each variant in its own target directory: switching compilers or CPU flags would rebuild
# Polars each time.
nightly() { # dir, extra RUSTFLAGS
  CARGO_TARGET_DIR="$target/$1" RUSTFLAGS="${RUSTFLAGS:-} $2" \
    cargo +nightly build --locked --profile "$profile" -p faisca "${features[@]}" >&2
}
if [ "${FAISCA_SIMD:-1}" != 0 ] && command -v rustup >/dev/null \
    && rustup toolchain list | grep -q '^nightly'; then
  if [ "${FAISCA_PORTABLE:-0}" != 1 ] && cpu_has_v3; then
    if nightly simd-v3 "$v3_flags"; then
      echo "$target/simd-v3/$profile/faisca"
      exit 0
    fi
  elif nightly simd ""; then
    bin="$target/simd/$profile/faisca"
    rm -f "$(dirname "$bin")/faisca-x86-64-v3"
    if [ "${FAISCA_PORTABLE:-0}" = 1 ] && [ "$(uname -m)" = x86_64 ]; then
      nightly simd-v3 "$v3_flags"
      cp "$target/simd-v3/$profile/faisca" "$(dirname "$bin")/faisca-x86-64-v3.tmp"
      mv "$(dirname "$bin")/faisca-x86-64-v3.tmp" "$(dirname "$bin")/faisca-x86-64-v3"
    fi
    echo "$bin"
    exit 0
  fi
  echo "build.sh: the nightly build failed; building with stable" >&2
fi
cargo build --locked --profile "$profile" -p faisca >&2
echo "$target/$profile/faisca"
