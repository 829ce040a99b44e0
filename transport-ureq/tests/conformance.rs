//! The shared conformance suite, run on this transport.

/// The client under test.
type T = spotify_web_ureq::Client;

#[path = "../../conformance/suite/mod.rs"]
mod suite;
