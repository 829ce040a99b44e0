//! One error type for every transport.

use std::fmt;

use crate::store::StoreError;
use crate::transport::{Failure, FailureKind, Source};

/// What can go wrong with a call, whatever the transport.
///
/// Spotify's answers (and everything the session decides) are [`Error::Spotify`]; the rest
/// are kept apart by kind, so a caller can tell a network problem from a refusal, with the
/// HTTP library's own error as the [`source`](std::error::Error::source). No message holds a
/// secret or a token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Spotify answered with an error, the answer could not be read, or the retry policy gave
    /// up (see [`spotify_web_core::Error`]).
    Spotify(spotify_web_core::Error),
    /// Could not reach the server (name resolution or connecting failed), after the retries
    /// the policy allows.
    Connect(Source),
    /// The exchange did not end within its deadline, after the retries the policy allows.
    Timeout(Source),
    /// The connection broke before the answer was complete, after the retries the policy
    /// allows.
    Interrupted(Source),
    /// The TLS handshake failed: an untrusted or expired certificate, a wrong host name. Not
    /// retried.
    Tls(Source),
    /// The answer's body is larger than the cap. Not retried.
    TooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// The answer's head is larger than the HTTP library accepts. Not retried.
    HeaderTooLarge(Source),
    /// Anything else the HTTP library reports (a malformed answer, say). Not retried.
    Http(Source),
    /// A user's tokens could not be loaded from, or saved to, the token store.
    TokenStore(StoreError),
    /// The operating system gave no random bytes (for a CSRF state or a PKCE verifier).
    Random(getrandom::Error),
}

impl Error {
    /// The error for a failed exchange, given the body cap that was in force.
    pub(crate) fn from_failure(failure: Failure, max_body_size: usize) -> Self {
        let kind = failure.kind();
        let source = failure.into_source();
        match kind {
            FailureKind::Connect => Self::Connect(source),
            FailureKind::Timeout => Self::Timeout(source),
            FailureKind::Interrupted => Self::Interrupted(source),
            FailureKind::Tls => Self::Tls(source),
            FailureKind::TooLarge => Self::TooLarge {
                limit: max_body_size,
            },
            FailureKind::HeaderTooLarge => Self::HeaderTooLarge(source),
            _ => Self::Http(source),
        }
    }

    /// The core's error, if this is one.
    pub fn spotify(&self) -> Option<&spotify_web_core::Error> {
        match self {
            Self::Spotify(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the user must sign in again (see
    /// [`spotify_web_core::Error::needs_sign_in`]).
    pub fn needs_sign_in(&self) -> bool {
        self.spotify()
            .is_some_and(spotify_web_core::Error::needs_sign_in)
    }

    /// The HTTP status Spotify answered with, if the call got that far.
    pub fn status(&self) -> Option<u16> {
        self.spotify().and_then(spotify_web_core::Error::status)
    }

    /// The reason Spotify gave, as a kind to match on, such as
    /// [`Reason::NoActiveDevice`](spotify_web_core::error::Reason::NoActiveDevice).
    pub fn reason_kind(&self) -> Option<spotify_web_core::error::Reason> {
        self.spotify()
            .and_then(spotify_web_core::Error::reason_kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spotify(e) => e.fmt(f),
            Self::Connect(_) => {
                f.write_str("could not connect to spotify: check the network and the base URL")
            }
            Self::Timeout(_) => f.write_str("spotify did not answer in time: try again later"),
            Self::Interrupted(_) => {
                f.write_str("the connection to spotify broke before the answer was complete")
            }
            Self::Tls(_) => f.write_str(
                "the TLS handshake with spotify failed: check the certificate, the host name, \
                 the system time and any proxy",
            ),
            Self::TooLarge { limit } => write!(
                f,
                "spotify's answer is larger than the {limit}-byte cap: raise the cap with \
                 the builder's max_body_size if this is expected"
            ),
            Self::HeaderTooLarge(_) => {
                f.write_str("spotify's answer has a header larger than the HTTP library accepts")
            }
            Self::Http(_) => f.write_str("the HTTP exchange with spotify failed"),
            Self::TokenStore(_) => f.write_str("the token store failed"),
            Self::Random(_) => f.write_str("the operating system gave no random bytes"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Spotify(e) => e.source(),
            Self::Connect(e)
            | Self::Timeout(e)
            | Self::Interrupted(e)
            | Self::Tls(e)
            | Self::HeaderTooLarge(e)
            | Self::Http(e)
            | Self::TokenStore(e) => Some(&**e),
            Self::Random(e) => Some(e),
            Self::TooLarge { .. } => None,
        }
    }
}

impl From<spotify_web_core::Error> for Error {
    fn from(e: spotify_web_core::Error) -> Self {
        Self::Spotify(e)
    }
}

impl From<spotify_web_core::id::IdError> for Error {
    fn from(e: spotify_web_core::id::IdError) -> Self {
        Self::Spotify(e.into())
    }
}

impl From<spotify_web_core::error::UrlError> for Error {
    fn from(e: spotify_web_core::error::UrlError) -> Self {
        Self::Spotify(e.into())
    }
}
