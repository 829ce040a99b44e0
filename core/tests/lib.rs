//! Fixture tests: real answers recorded from Spotify (see `fixtures/SOURCES.md`), read through
//! the public API.

mod catalog;
mod catalog_more;
mod corpus;
mod fixtures;
mod library;
mod player;
mod playlists;
mod properties;
mod requests;
