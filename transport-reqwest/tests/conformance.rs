//! The shared conformance suite, run on this transport, and the rules of async clients.

/// The client under test, driven from the suite's blocking code.
type T = spotify_web_conformance::OnTokio<spotify_web_reqwest::Reqwest>;
/// The async client itself, for the async rules.
type A = spotify_web_reqwest::Client;

#[path = "../../conformance/suite/mod.rs"]
mod suite;

#[path = "../../conformance/suite_async.rs"]
mod suite_async;
