use core::fmt;

/// The error hyper or the connector reported, kept as the source of an [`Error`].
pub type Source = Box<dyn std::error::Error + Send + Sync>;

/// What can go wrong with a call through the async client.
///
/// Spotify's answers (and everything the core decides) are [`Error::Spotify`]; the rest are
/// kept apart by kind so a caller can tell a network problem from a refusal. No message
/// contains a secret or a token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Spotify answered with an error, or the answer could not be read, or the retry policy
    /// gave up (see [`spotify_web_core::Error`]).
    Spotify(spotify_web_core::Error),
    /// Could not reach the server, after the retries the policy allows.
    Connect(Source),
    /// The server did not answer in time, after the retries the policy allows.
    Timeout,
    /// The connection broke before the answer was complete, after the retries the policy allows.
    Interrupted(Source),
    /// The TLS handshake failed (an untrusted certificate, say). Not retried.
    Tls(Source),
    /// The answer's body is larger than the configured cap. Not retried.
    TooLarge {
        /// The cap, in bytes.
        limit: usize,
    },
    /// Anything else hyper reports. Not retried.
    Http(Source),
    /// A user's tokens could not be loaded from, or saved to, the token store.
    TokenStore(Source),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spotify(e) => e.fmt(f),
            Self::Connect(e) => write!(
                f,
                "could not connect to spotify ({e}): check the network and the base URL"
            ),
            Self::Timeout => f.write_str("spotify did not answer in time: try again later"),
            Self::Interrupted(e) => write!(
                f,
                "the connection to spotify broke before the answer was complete ({e})"
            ),
            Self::Tls(e) => write!(
                f,
                "the TLS handshake with spotify failed ({e}): check the system time and any proxy"
            ),
            Self::TooLarge { limit } => write!(
                f,
                "spotify's answer is larger than the {limit}-byte cap: raise the cap with Builder::max_body_size if this is expected"
            ),
            Self::Http(e) => write!(f, "the HTTP exchange with spotify failed: {e}"),
            Self::TokenStore(e) => write!(f, "the token store failed: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Spotify(e) => Some(e),
            Self::Connect(e)
            | Self::Interrupted(e)
            | Self::Tls(e)
            | Self::Http(e)
            | Self::TokenStore(e) => Some(&**e),
            Self::Timeout | Self::TooLarge { .. } => None,
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
