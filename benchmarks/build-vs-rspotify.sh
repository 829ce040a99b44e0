#!/usr/bin/env bash
# The quick start's weight beside rspotify's: the same tiny program (read the client
# credentials from the environment, fetch the Radiohead artist, print its name) written with
# spotify-web-ureq and with rspotify 0.16.1 (ureq, rustls), each a one-crate workspace in a
# temporary folder, dependencies fetched first, then a clean `cargo build --release` in an empty
# target folder, one after the other. Prints the crates in each tree (the program included),
# the build's wall and CPU time, and the binary's size. Needs the network to fetch rspotify.
#
#   benchmarks/build-vs-rspotify.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/ours/src" "$scratch/rspotify/src"
cat >"$scratch/ours/Cargo.toml" <<TOML
[package]
name = "ours"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
spotify-web-ureq = { path = "$repo/transport-ureq" }

[workspace]
TOML
cat >"$scratch/ours/src/main.rs" <<'RUST'
use spotify_web_ureq::{Client, GetArtist, auth::ClientCredentials};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::var("SPOTIFY_CLIENT_ID")?;
    let secret = std::env::var("SPOTIFY_CLIENT_SECRET")?;
    let client = Client::new(ClientCredentials::new(id, secret))?;
    let artist = client.send(GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?))?;
    println!("{}", artist.name);
    Ok(())
}
RUST
cat >"$scratch/rspotify/Cargo.toml" <<'TOML'
[package]
name = "rspotify-program"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
rspotify = { version = "=0.16.1", default-features = false, features = ["client-ureq", "ureq-rustls-tls"] }

[workspace]
TOML
cat >"$scratch/rspotify/src/main.rs" <<'RUST'
use rspotify::{model::ArtistId, prelude::*, ClientCredsSpotify, Credentials};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let creds = Credentials::from_env().ok_or("SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET")?;
    let spotify = ClientCredsSpotify::new(creds);
    spotify.request_token()?;
    let artist = spotify.artist(ArtistId::from_id("4Z8W4fKeB5YxbusRsdQVPb")?)?;
    println!("{}", artist.name);
    Ok(())
}
RUST
cp "$repo/Cargo.lock" "$scratch/ours/Cargo.lock"
printf '%-10s %7s %10s %14s %10s\n' program crates wall "CPU (u+s)" binary
for program in ours rspotify; do
  cd "$scratch/$program"
  cargo fetch -q
  crates=$(cargo tree -e normal --prefix none 2>/dev/null | sed 's/ (\*)//' | sort -u | wc -l)
  start=$(date +%s.%N)
  TIMEFORMAT='%U %S'
  cpu=$( { time cargo build --release -q >/dev/null 2>&1; } 2>&1 )
  end=$(date +%s.%N)
  binary=$(find target/release -maxdepth 1 -type f -perm -u+x | head -n 1)
  printf '%-10s %7d %9.1fs %13.1fs %9.1fM\n' "$program" "$crates" "$(echo "$end - $start" | bc)" \
    "$(echo "$cpu" | awk '{ print $1 + $2 }')" "$(echo "$(stat -c %s "$binary") / 1000000" | bc -l)"
done
