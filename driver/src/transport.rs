//! What a transport implements: send one request, under a deadline and a size cap.
//!
//! Everything else (the session's loop, saving tokens, waking waiting calls, errors, paging,
//! sign-in) is the driver's. A blocking transport implements [`Transport`]; an async one
//! implements [`AsyncTransport`], which also brings its runtime's timer.

use bytes::Bytes;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use spotify_web_core::error::TransportFailure;

/// The largest answer body accepted by default: 8 MiB, far above any Spotify answer.
pub const DEFAULT_MAX_BODY_SIZE: usize = 8 * 1024 * 1024;

/// The `User-Agent` every request carries: this library and its version.
///
/// ```
/// assert!(spotify_web_driver::USER_AGENT.starts_with("spotify-web/"));
/// ```
pub const USER_AGENT: &str = concat!("spotify-web/", env!("CARGO_PKG_VERSION"));

/// The error a transport's HTTP library gave, kept as the source of the driver's [`Error`].
///
/// [`Error`]: crate::Error
pub type Source = Box<dyn StdError + Send + Sync + 'static>;

/// The bounds of one exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The whole exchange (connecting, sending, the answer's head and its whole body) must be
    /// over within this time from the call to `send`.
    pub timeout: Duration,
    /// Read at most this many bytes of the answer's body: a larger body is a
    /// [`FailureKind::TooLarge`] failure, and is never held whole.
    pub max_body_size: usize,
}

impl Limits {
    /// Limits of this timeout and body cap.
    pub fn new(timeout: Duration, max_body_size: usize) -> Self {
        Self {
            timeout,
            max_body_size,
        }
    }
}

/// How a transport the builder makes is set up: what every transport's `with_settings` gets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// How long connecting may take, TLS included.
    pub connect_timeout: Duration,
    /// The limits every exchange of the client will have (a library that can set them once,
    /// rather than on every request, may).
    pub limits: Limits,
    /// Root certificates (DER) to trust instead of the web's (Mozilla's) roots, when there
    /// are any: a private authority, a TLS-inspecting proxy's, an emulator's. Empty: the
    /// web's roots.
    pub roots: Vec<Vec<u8>>,
}

impl Settings {
    /// Settings with this connect timeout and these limits, trusting the web's roots.
    pub fn new(connect_timeout: Duration, limits: Limits) -> Self {
        Self {
            connect_timeout,
            limits,
            roots: Vec::new(),
        }
    }
}

/// A blocking transport: ureq, or any HTTP library with a blocking client.
///
/// It follows no redirect, verifies TLS, reuses connections, and reports failures by kind.
pub trait Transport: Send + Sync + 'static {
    /// A transport with this library's defaults and these settings: the limit on connecting
    /// (TLS included), the limits every exchange will have, the roots to trust.
    ///
    /// # Errors
    ///
    /// If the library cannot be set up (a TLS provider that fails to load, a root that is no
    /// certificate).
    fn with_settings(settings: &Settings) -> Result<Self, Failure>
    where
        Self: Sized;

    /// Sends one request and reads its whole answer, within `limits`. The body is [`Bytes`]:
    /// hand over the library's own buffer where it has one, rather than a copy.
    ///
    /// # Errors
    ///
    /// A [`Failure`] of the kind that says what happened.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> Result<http::Response<Bytes>, Failure>;
}

/// An async transport: hyper, reqwest, or any async HTTP library, with its runtime's timer.
#[cfg(feature = "async")]
pub trait AsyncTransport: Send + Sync + 'static {
    /// A transport with this library's defaults and these settings: the limit on connecting
    /// (TLS included), the limits every exchange will have, the roots to trust.
    ///
    /// # Errors
    ///
    /// If the library cannot be set up (a TLS provider that fails to load, a root that is no
    /// certificate).
    fn with_settings(settings: &Settings) -> Result<Self, Failure>
    where
        Self: Sized;

    /// Sends one request and reads its whole answer, within `limits`, as
    /// [`Transport::send`] does.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Failure>> + Send;

    /// Sleeps this long, on the runtime's timer.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// What kind of failure ended an exchange: it decides what the session may retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureKind {
    /// The request never left: name resolution or connecting failed.
    Connect,
    /// The exchange did not end within its deadline.
    Timeout,
    /// The connection broke after the request left, or the answer was cut short.
    Interrupted,
    /// The TLS handshake failed: an untrusted or expired certificate, a wrong host name.
    Tls,
    /// The answer's body is larger than the cap.
    TooLarge,
    /// The answer's head is larger than the HTTP library accepts.
    HeaderTooLarge,
    /// Anything else the library reports (a malformed answer, a request it cannot send).
    Other,
}

impl FailureKind {
    /// The session's view: what it may retry, and what it never does.
    pub fn session_failure(self) -> TransportFailure {
        match self {
            Self::Connect => TransportFailure::Connect,
            Self::Timeout => TransportFailure::Timeout,
            Self::Interrupted => TransportFailure::Interrupted,
            Self::Tls | Self::TooLarge | Self::HeaderTooLarge | Self::Other => {
                TransportFailure::Permanent
            }
        }
    }
}

/// An exchange that ended without an answer: its kind, and the library's error.
pub struct Failure {
    kind: FailureKind,
    source: Source,
}

impl Failure {
    /// A failure of this kind, caused by the library's `source`.
    pub fn new(kind: FailureKind, source: impl Into<Source>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The library's error.
    pub fn into_source(self) -> Source {
        self.source
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Failure")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

/// Sorts an `io::Error` (as HTTP libraries wrap what sockets report) into a failure kind,
/// looking through its chain for a TLS error first.
pub fn classify_io(error: &std::io::Error) -> FailureKind {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::NotFound => {
            FailureKind::Connect
        }
        ErrorKind::TimedOut | ErrorKind::WouldBlock => FailureKind::Timeout,
        _ => FailureKind::Interrupted,
    }
}

/// The first error of type `E` in an error's chain, looking inside `io::Error`s too (TLS
/// libraries wrap their errors in one): `find_in_chain::<rustls::Error>(&error)` tells a TLS
/// failure from others, whatever wraps it.
pub fn find_in_chain<'a, E: StdError + 'static>(
    error: &'a (dyn StdError + 'static),
) -> Option<&'a E> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<E>() {
            return Some(found);
        }
        // An `io::Error`'s `source()` skips the error it wraps (it gives that error's source):
        // step into the wrapped one instead, which may be another `io::Error` (hyper-rustls
        // wraps rustls's error twice).
        current = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => error.source(),
        };
    }
    None
}

/// The root certificates a transport's rustls trusts: the ones given
/// ([`Settings::roots`]), or the web's (Mozilla's, from `webpki-roots`) when none are. Every
/// root given must be one rustls can read: one it cannot is a [`FailureKind::Tls`] failure,
/// never skipped (the client would trust less than it was told).
///
/// # Errors
///
/// A [`FailureKind::Tls`] failure for a root rustls cannot read.
#[cfg(feature = "rustls")]
pub fn rustls_roots(settings: &Settings) -> Result<rustls::RootCertStore, Failure> {
    if settings.roots.is_empty() {
        return Ok(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
    }
    let mut roots = rustls::RootCertStore::empty();
    for der in &settings.roots {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .map_err(|e| Failure::new(FailureKind::Tls, e))?;
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Deep;

    impl fmt::Display for Deep {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("deep")
        }
    }

    impl StdError for Deep {}

    #[test]
    fn finds_an_error_inside_io_errors_wrapped_twice() {
        use std::io::{Error, ErrorKind};
        // As hyper-rustls reports a failed certificate check: io(Other, io(InvalidData, rustls)).
        let twice = Error::other(Error::new(ErrorKind::InvalidData, Deep));
        assert_eq!(find_in_chain::<Deep>(&twice), Some(&Deep));
        let once = Error::new(ErrorKind::InvalidData, Deep);
        assert_eq!(find_in_chain::<Deep>(&once), Some(&Deep));
        let none = Error::other("no");
        assert_eq!(find_in_chain::<Deep>(&none), None);
    }
}
