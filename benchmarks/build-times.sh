#!/usr/bin/env bash
# Clean debug build time of each crate (with its dependencies), each in an empty target
# folder, one after the other, and the core's dependency tree.
#
#   benchmarks/build-times.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for package in spotify-web-core spotify-web-emulator spotify-web-ureq spotify-web-hyper; do
  scratch="$(mktemp -d)"
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$scratch" cargo build --quiet --locked -p "$package"
  end=$(date +%s.%N)
  printf '%-24s %6.1f s\n' "$package" "$(echo "$end - $start" | bc)"
  rm -rf "$scratch"
done
scratch="$(mktemp -d)"
start=$(date +%s.%N)
CARGO_TARGET_DIR="$scratch" cargo build --quiet --locked -p spotify-web-core --no-default-features
end=$(date +%s.%N)
printf '%-24s %6.1f s\n' "spotify-web-core (no_std)" "$(echo "$end - $start" | bc)"
rm -rf "$scratch"
echo
echo "cargo tree -p spotify-web-core -e normal --no-default-features"
cargo tree -p spotify-web-core -e normal --no-default-features
echo
echo "cargo tree -p spotify-web-core -e normal"
cargo tree -p spotify-web-core -e normal
