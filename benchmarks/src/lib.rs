//! Benchmarks live in `benches/` and `src/bin/`; this library is empty.

/// The repository's README, whose examples run (or, where they would reach Spotify, compile)
/// as this crate's doctests: `cargo test -p spotify-web-benchmarks --doc`.
#[doc = include_str!("../../README.md")]
pub mod readme {}
