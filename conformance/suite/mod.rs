//! The conformance suite: every rule a transport must keep, as `#[test]` functions, by topic.
//!
//! A transport's test file defines `T`, the client under test, and includes this module; the
//! rules reach it as `super::T`.

pub(crate) use super::T;

/// The same transport's client acting for a user.
pub(crate) type U = <T as spotify_web_conformance::Connect>::User;

mod catalog;
mod faults;
mod library;
mod limits;
mod player;
mod playlists;
mod spoken;
mod tls;
mod tokens;
mod users;
