#!/usr/bin/env bash
# Instructions per Get Artist call, ours against the plain client, against the emulator in the
# same process, counted by callgrind.
#
#   benchmarks/per-call.sh [N] [--decode]                 the ureq clients, the calling thread
#   benchmarks/per-call.sh [N] [--decode] --async "hyper x64"
#                                                         an async pair ("hyper x1", "hyper x64",
#                                                         "reqwest x1", "reqwest x64"), all threads
#
# With --decode the plain client also decodes the Artist. The ureq count is the calling thread's
# (--separate-threads: it is the first): N calls less none, divided by N. An async count is
# every thread's, the emulator's included (the same for both clients, it is what the machine
# spends per call): N calls less one, divided by N - 1.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
shift || true
flags=()
pair=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --async) pair="$2"; shift 2 ;;
    *) flags+=("$1"); shift ;;
  esac
done
cargo build --release -q -p spotify-web-benchmarks --bin transports
bin="${CARGO_TARGET_DIR:-target}/release/transports"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
if [ -z "$pair" ]; then
  count() {
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$scratch/out" \
      "$bin" --calls "$1" "${@:2}" >/dev/null 2>&1
    awk '/^summary:/ { print $2; exit }' "$scratch/out-01"
    rm -f "$scratch"/out*
  }
  for client in ours plain; do
    these=("${flags[@]}")
    [ "$client" = plain ] && these+=(--plain)
    base=$(count 0 "${these[@]}")
    runs=$(count "$n" "${these[@]}")
    printf '%-6s %8d instructions per call\n' "$client" $(((runs - base) / n))
  done
else
  count() {
    valgrind --tool=callgrind --callgrind-out-file="$scratch/out" "$bin" --rounds 1 \
      --seconds 100000 --only "$2" --async-calls "$1" "${@:3}" >/dev/null 2>&1
    awk '/^summary:/ { print $2; exit }' "$scratch/out"
    rm -f "$scratch"/out*
  }
  for client in spotify plain; do
    base=$(count 1 "$pair: $client" "${flags[@]}")
    runs=$(count "$((n + 1))" "$pair: $client" "${flags[@]}")
    printf '%-8s %8d instructions per call (%s, every thread)\n' "$client" $(((runs - base) / n)) "$pair"
  done
fi
