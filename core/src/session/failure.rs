//! How a transport failed, as it reports it to the session.

use core::fmt;

/// How a transport failed to complete an exchange, as it reports it to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// The request never left: name resolution, connecting or the TLS handshake failed.
    /// Retrying is safe for any request.
    Connect,
    /// No answer came in time. The server may have processed the request.
    Timeout,
    /// The connection broke after the request was sent, or the answer was cut short.
    /// The server may have processed the request.
    Interrupted,
    /// The exchange failed in a way no retry mends: the TLS handshake failed (an untrusted or
    /// expired certificate, a wrong host name), the answer's header or body was larger than
    /// the transport accepts. Never retried; the server may have processed the request.
    Permanent,
}

impl TransportFailure {
    /// Whether the server may have processed the request, so that sending it again is safe
    /// only if it is idempotent.
    pub const fn may_have_been_processed(self) -> bool {
        !matches!(self, Self::Connect)
    }
}

impl fmt::Display for TransportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect to spotify: check the network and try again",
            Self::Timeout => "spotify did not answer in time: try again later",
            Self::Interrupted => "the connection to spotify broke before the answer was complete",
            Self::Permanent => "the exchange with spotify failed in a way a retry cannot mend",
        })
    }
}

impl core::error::Error for TransportFailure {}
