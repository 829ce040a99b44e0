#!/usr/bin/env bash
# Instructions per Get Artist call on the calling thread, through our ureq client and through
# plain ureq (with --decode, plain ureq also decodes the Artist), against the emulator in the
# same process. callgrind counts each thread apart (--separate-threads): the calling thread is
# the first; N calls less none, divided by N, is the cost of one call.
#
#   benchmarks/per-call.sh [N] [--decode]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
shift || true
cargo build --release -q -p spotify-web-benchmarks --bin transports
bin=target/release/transports
scratch="$(mktemp -d)"
count() {
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$scratch/out" \
    "$bin" --calls "$1" "${@:2}" >/dev/null 2>&1
  awk '/^summary:/ { print $2; exit }' "$scratch/out-01"
  rm -f "$scratch"/out*
}
for client in ours plain; do
  flags=("$@")
  [ "$client" = plain ] && flags+=(--plain)
  base=$(count 0 "${flags[@]}")
  runs=$(count "$n" "${flags[@]}")
  printf '%-6s %8d instructions per call\n' "$client" $(((runs - base) / n))
done
rm -rf "$scratch"
