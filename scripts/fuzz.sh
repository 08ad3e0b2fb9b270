#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) on the nightly toolchain.
#   scripts/fuzz.sh smoke          10 s per quick target (the test command runs this)
#   scripts/fuzz.sh long SECONDS   every target, the parser and readers included
#   scripts/fuzz.sh run TARGET [SECONDS]
# Inputs that crash land in test-output/fuzz/; add them to kernel/fuzz/seeds/<target>/,
# where `cargo test` replays them (kernel/lang/tests/fuzz_seeds.rs, wire and model tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=(wire_decode connection_file model_file)
# These need Polars built with coverage instrumentation: ~30 min cold on two cores.
slow=(cell_parse read_files)

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz --version 0.13.2
fi

run() {
  local target=$1 seconds=$2 features=()
  [[ " ${slow[*]} " == *" $target "* ]] && features=(--features lang)
  local corpus="$root/test-output/fuzz/corpus/$target"
  mkdir -p "$corpus" "$root/test-output/fuzz/artifacts"
  local log="$root/test-output/fuzz/$target.log" status=0
  # New inputs go to the scratch corpus; the committed seeds are read only.
  cargo +nightly fuzz run --fuzz-dir kernel/fuzz -s none "${features[@]}" "$target" \
    "$corpus" "kernel/fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 \
    -artifact_prefix="$root/test-output/fuzz/artifacts/$target-" >"$log" 2>&1 || status=$?
  grep -E '^(Done|SUMMARY)|panicked|DEADLYSIGNAL|Test unit written' "$log" | tail -5 || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz $target failed (exit $status); see $log" >&2
  fi
  return "$status"
}

case "${1:-smoke}" in
  smoke) for t in "${quick[@]}"; do echo "fuzz $t (10 s)"; run "$t" 10; done ;;
  long) for t in "${quick[@]}" "${slow[@]}"; do echo "fuzz $t (${2:-600} s)"; run "$t" "${2:-600}"; done ;;
  run) run "$2" "${3:-60}" ;;
  *) echo "usage: $0 smoke | long [SECONDS] | run TARGET [SECONDS]" >&2; exit 2 ;;
esac
