//! Drives [`spotify_web_core`]'s sans-I/O session over any HTTP library, written once for
//! every transport.
//!
//! A transport crate (`spotify-web-ureq`, `spotify-web-hyper`, `spotify-web-reqwest`)
//! implements one small trait, [`Transport`] (blocking) or [`AsyncTransport`]: send one
//! request under a deadline and a cap on the answer's size. Everything else is here, once:
//!
//! - the clients, [`blocking::Client`] and [`nonblocking::Client`], their builders (one
//!   meaning for every setting, whatever the transport), sign-in and paging;
//! - the duties the session asks of its driver: saving each new token once to the
//!   [`TokenStore`](spotify_web_core::store::TokenStore), waking waiting calls, failures that
//!   are never retried;
//! - one [`Error`] type, with the HTTP library's error as its source;
//! - token stores shared between processes ([`TokenStore::begin_renewal`](spotify_web_core::store::TokenStore::begin_renewal),
//!   [`AsyncTokenStore`]) and one rate-limit gate for every process of an app ([`gate`]);
//! - [`FileTokenStore`], and the operating system's randomness for the CSRF state and the
//!   PKCE verifier ([`random`]);
//! - with the `tokio` feature, exchange deadlines for the tokio transports, one timer for the
//!   exchanges that start together (`deadline`).
//!
//! Users depend on a transport crate, which re-exports what they need from here and from the
//! core.

pub mod blocking;
#[cfg(feature = "tokio")]
pub mod deadline;
mod error;
pub mod gate;
#[cfg(feature = "async")]
pub mod nonblocking;
pub mod random;
mod shared;
mod store;
mod trace;
pub mod transport;

pub use crate::error::Error;
#[cfg(feature = "async")]
pub use crate::gate::AsyncRateLimitGate;
pub use crate::gate::RateLimitGate;
pub use crate::shared::Builder;
#[cfg(feature = "async")]
pub use crate::store::{AsyncTokenStore, BoxFuture};
pub use crate::store::{FileTokenStore, StoreError};
#[cfg(feature = "async")]
pub use crate::transport::AsyncTransport;
#[cfg(feature = "rustls")]
pub use crate::transport::rustls_roots;
pub use crate::transport::{
    DEFAULT_MAX_BODY_SIZE, Failure, FailureKind, Limits, Settings, Source, Transport, USER_AGENT,
    find_in_chain,
};
/// The bytes of an answer's body, as a transport hands them over (hyper's and reqwest's own
/// buffers, not a copy).
pub use bytes::Bytes;
