#!/usr/bin/env bash
# Instruction counts per operation of the core benchmark, with valgrind's callgrind: unlike
# times, they repeat exactly on a busy machine, so a regression shows. Each case runs N times
# and 0 times; the difference divided by N is the cost of one operation.
#
#   benchmarks/callgrind.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
bin=$(cargo bench -p spotify-web-benchmarks --bench core --no-run --message-format=json 2>/dev/null |
  python3 -c 'import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "core":
        print(m["executable"])' | tail -n 1)
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --only "$1" --iterations "$2" 2>&1 |
    awk '/Collected/ { print $4 }'
}
printf '%-46s %14s\n' "case" "instructions"
"$bin" --list | while IFS= read -r case; do
  base=$(count "$case" 0)
  runs=$(count "$case" "$n")
  printf '%-46s %14d\n' "$case" $(((runs - base) / n))
done
