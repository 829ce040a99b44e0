//! One error type for everything the core can report.

use alloc::string::String;
use core::fmt;
use core::time::Duration;

use crate::id::IdError;

/// Everything that can go wrong in a call, as data.
///
/// Messages are lowercase, say what happened and what to do, and never contain a client secret
/// or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The Web API answered with its regular error object, `{"error": {"status", "message"}}`.
    Api(ApiError),
    /// The accounts service refused a token request, `{"error", "error_description"}`.
    Auth(AuthError),
    /// Spotify answered 429 and the wait it asked for is longer than the configured cap (or the
    /// retry budget ran out). Sleeping that long silently is left to the caller's judgement.
    RateLimited {
        /// The `Retry-After` value, if the answer had one that could be read as a delay.
        retry_after: Option<Duration>,
        /// The `Retry-After` value as the HTTP-date it was, when the answer had no `Date`
        /// header to measure it against (the core reads no clock: compare it with yours).
        retry_at: Option<String>,
    },
    /// A string given as an ID is not one.
    InvalidId(IdError),
    /// A URL given to the core is not one it can use.
    InvalidUrl(UrlError),
    /// A status the call does not expect, with a body that is not one of Spotify's error
    /// objects (plain text, HTML or empty).
    UnexpectedStatus(UnexpectedStatus),
    /// A body that does not decode into the expected type.
    Decode(DecodeError),
    /// The URL the user's browser came back to does not carry a usable code.
    Callback(CallbackError),
    /// The session acts for a user but has no refresh token left: the user must sign in again.
    LoginRequired,
    /// The transport could not complete the exchange, and the retry budget ran out (or the
    /// request may have been processed and is not safe to send again).
    Transport(TransportFailure),
    /// The request cannot be built from what was given, such as an empty ID list.
    InvalidArgument {
        /// What is wrong with it.
        what: &'static str,
    },
    /// A call was driven out of order, such as reporting a response when no request was sent.
    Misuse {
        /// What was done out of order.
        what: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Auth(e) => e.fmt(f),
            Self::RateLimited {
                retry_at: Some(at), ..
            } => write!(
                f,
                "spotify is rate limiting this app until {at}: try again after that"
            ),
            Self::RateLimited {
                retry_after: Some(after),
                ..
            } => write!(
                f,
                "spotify is rate limiting this app and asked to wait {} s: try again later",
                after.as_secs()
            ),
            Self::RateLimited { .. } => {
                f.write_str("spotify is rate limiting this app: wait a little and try again")
            }
            Self::InvalidId(e) => e.fmt(f),
            Self::InvalidUrl(e) => e.fmt(f),
            Self::UnexpectedStatus(e) => e.fmt(f),
            Self::Decode(e) => e.fmt(f),
            Self::Callback(e) => e.fmt(f),
            Self::LoginRequired => f.write_str(
                "the user's token expired and there is no refresh token to renew it: sign the user in again",
            ),
            Self::Transport(e) => e.fmt(f),
            Self::InvalidArgument { what } => write!(f, "the request cannot be built: {what}"),
            Self::Misuse { what } => write!(
                f,
                "the call was driven out of order ({what}): poll until it asks to send, then \
                 report exactly one response or failure for each request"
            ),
        }
    }
}

impl Error {
    /// The same error with every occurrence of `secret` in its text replaced by
    /// `<redacted>`. The session does this with every secret it holds (client secret, the
    /// Basic credential, access and refresh tokens) and the sign-in with the code and the PKCE
    /// verifier, so that a server echoing the request into its error answer cannot put them
    /// into a message. Secrets shorter than 8 characters are left alone: Spotify's are far
    /// longer, and short ones would redact ordinary words.
    #[must_use]
    pub fn redact(mut self, secret: &str) -> Self {
        if secret.len() < 8 {
            return self;
        }
        let scrub = |text: &mut String| {
            if text.contains(secret) {
                *text = text.replace(secret, REDACTED);
            }
        };
        match &mut self {
            Self::Api(e) => {
                e.message.as_mut().map(scrub);
                e.reason.as_mut().map(scrub);
            }
            Self::Auth(e) => {
                scrub(&mut e.error);
                e.description.as_mut().map(scrub);
            }
            Self::UnexpectedStatus(e) => scrub(&mut e.body),
            Self::Decode(e) => scrub(&mut e.reason),
            Self::RateLimited { retry_at, .. } => {
                retry_at.as_mut().map(scrub);
            }
            Self::Callback(CallbackError::Refused { error }) => scrub(error),
            _ => {}
        }
        self
    }
}

/// An error with an app's client secret redacted in every form a request carries it: the
/// secret itself, the `id:secret` pair of HTTP Basic, and that pair in base64.
pub(crate) fn redact_client(error: Error, id: &str, secret: &str) -> Error {
    let pair = alloc::format!("{id}:{secret}");
    let encoded = crate::encode::base64(pair.as_bytes());
    error.redact(&encoded).redact(&pair).redact(secret)
}

/// What a secret is replaced with in error text.
const REDACTED: &str = "<redacted>";

/// Text from a server with the credential after every `Bearer ` or `Basic ` (any case)
/// replaced: a proxy or server that echoes the request would otherwise show it. What follows
/// counts as a credential if it is 8 or more token characters and not a lowercase word.
pub(crate) fn scrub_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_scheme(rest) {
        let (before, after) = rest.split_at(at.0 + at.1);
        out.push_str(before);
        let end = after
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '='))
            })
            .unwrap_or(after.len());
        let word = &after[..end];
        // A credential, not a word of a message ("only valid bearer authentication supported"):
        // 8 or more token characters, not all lowercase letters.
        if word.len() >= 8 && !word.bytes().all(|b| b.is_ascii_lowercase()) {
            out.push_str(REDACTED);
        } else {
            out.push_str(word);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Where the first `bearer ` or `basic ` (any case) starts, and its length.
fn find_scheme(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    ["bearer ", "basic "]
        .iter()
        .filter_map(|scheme| lower.find(scheme).map(|at| (at, scheme.len())))
        .min()
}

/// Each variant's message is its inner error's, so the inner error is not given again as the
/// source (a chain printer such as `anyhow`'s `{:#}` would show it twice): the source is the
/// inner error's own.
impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::InvalidId(e) => e.source(),
            Self::InvalidUrl(e) => e.source(),
            Self::Api(e) => e.source(),
            Self::Auth(e) => e.source(),
            Self::UnexpectedStatus(e) => e.source(),
            Self::Decode(e) => e.source(),
            Self::Callback(e) => e.source(),
            Self::Transport(e) => e.source(),
            _ => None,
        }
    }
}

impl Error {
    /// The HTTP status Spotify answered with, if the error is an answer: 429 for
    /// [`Error::RateLimited`].
    ///
    /// ```
    /// use spotify_web_core::endpoint::{Endpoint, GetArtist};
    /// use spotify_web_core::message::Response;
    ///
    /// let missing = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?)
    ///     .parse(&Response::new(404, br#"{"error":{"status":404,"message":"Not found"}}"#))
    ///     .unwrap_err();
    /// assert_eq!(missing.status(), Some(404));
    /// assert!(missing.is_not_found());
    /// # Ok::<(), spotify_web_core::Error>(())
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(e) => Some(e.status),
            Self::Auth(e) => Some(e.status),
            Self::UnexpectedStatus(e) => Some(e.status),
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Whether Spotify answered 404: no such object, or an endpoint this app may not use.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the user must sign in again: the session has no refresh token
    /// ([`Error::LoginRequired`]), or the accounts service refused the one it has
    /// (`invalid_grant`: revoked, expired, or rotated by another renewal). A web app clears the
    /// user's session and shows its sign-in page.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            Self::LoginRequired => true,
            Self::Auth(e) => e.error == "invalid_grant",
            _ => false,
        }
    }

    /// How long Spotify asked to wait, for [`Error::RateLimited`] with a readable
    /// `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The `reason` of Spotify's regular error object, such as `PREMIUM_REQUIRED`.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.reason.as_deref(),
            _ => None,
        }
    }

    /// The reason as a known kind ([`Reason`]), such as [`Reason::NoActiveDevice`], to match
    /// on.
    pub fn reason_kind(&self) -> Option<Reason> {
        match self {
            Self::Api(e) => e.reason_kind(),
            _ => None,
        }
    }
}

impl From<IdError> for Error {
    fn from(e: IdError) -> Self {
        Self::InvalidId(e)
    }
}

impl From<UrlError> for Error {
    fn from(e: UrlError) -> Self {
        Self::InvalidUrl(e)
    }
}

/// Spotify's regular error object, from the Web API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code of the answer.
    pub status: u16,
    /// The `message` Spotify gave, if any (it is sometimes missing, as in `{"error":{"status":403}}`).
    pub message: Option<String>,
    /// The `reason` Spotify gave, if any, such as `PREMIUM_REQUIRED`.
    pub reason: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spotify answered {}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, " \"{message}\"")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        match self.reason_kind() {
            Some(Reason::NoActiveDevice) => {
                return f.write_str(
                    ": no device is active; open Spotify on a device first, or pass a device_id \
                     (see Get Available Devices)",
                );
            }
            Some(Reason::PremiumRequired) => {
                return f.write_str(": controlling playback needs a Spotify Premium account");
            }
            _ => {}
        }
        if self.status == 400 && self.message.as_deref() == Some("Invalid limit") {
            return f.write_str(
                ": since 2026, apps in development mode may ask for at most 10 items per page of \
                 search and artist albums",
            );
        }
        f.write_str(match self.status {
            400 => ": the request was refused as malformed; check the IDs and parameters",
            401 => ": the access token was refused; get a new token",
            403 => {
                ": the app may not use this endpoint, the token may lack a scope, or the user is \
                 not allowed for this app"
            }
            404 => ": there is no such object, or the endpoint is not available to this app",
            429 => ": slow down and try again later",
            500..=599 => ": spotify had a problem; try again later",
            _ => "",
        })
    }
}

impl core::error::Error for ApiError {}

impl ApiError {
    /// The `reason` as a known kind, if Spotify gave one (an unknown word is
    /// [`Reason::Other`]).
    pub fn reason_kind(&self) -> Option<Reason> {
        self.reason.as_deref().map(Reason::from_code)
    }
}

/// Why a player command failed: the `reason` of Spotify's error object, as its reference lists
/// them ("Player Error Reasons"). An open set: a word not known today is kept in
/// [`Other`](Self::Other).
///
/// ```
/// use spotify_web_core::Error;
/// use spotify_web_core::error::Reason;
/// use spotify_web_core::message::Response;
/// # use spotify_web_core::endpoint::{Endpoint, PausePlayback};
///
/// let body = br#"{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}"#;
/// let error = PausePlayback::new().parse(&Response::new(404, body)).unwrap_err();
/// assert_eq!(error.reason_kind(), Some(Reason::NoActiveDevice));
/// assert!(error.to_string().contains("open Spotify on a device first"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// `NO_PREV_TRACK`: there is no previous track.
    NoPreviousTrack,
    /// `NO_NEXT_TRACK`: there is no next track.
    NoNextTrack,
    /// `NO_SPECIFIC_TRACK`: the requested track does not exist.
    NoSpecificTrack,
    /// `ALREADY_PAUSED`: playback is already paused.
    AlreadyPaused,
    /// `NOT_PAUSED`: playback is not paused.
    NotPaused,
    /// `NOT_PLAYING_LOCALLY`: playback is not on the local device.
    NotPlayingLocally,
    /// `NOT_PLAYING_TRACK`: no track is playing.
    NotPlayingTrack,
    /// `NOT_PLAYING_CONTEXT`: no context is playing.
    NotPlayingContext,
    /// `ENDLESS_CONTEXT`: shuffle or repeat is not allowed on an endless context.
    EndlessContext,
    /// `CONTEXT_DISALLOW`: the context does not allow this command.
    ContextDisallow,
    /// `ALREADY_PLAYING`: the track is already playing.
    AlreadyPlaying,
    /// `RATE_LIMITED`: too many player commands.
    RateLimited,
    /// `REMOTE_CONTROL_DISALLOW`: the device may not be controlled remotely.
    RemoteControlDisallow,
    /// `DEVICE_NOT_CONTROLLABLE`: the device cannot be controlled.
    DeviceNotControllable,
    /// `VOLUME_CONTROL_DISALLOW`: the device's volume cannot be set.
    VolumeControlDisallow,
    /// `NO_ACTIVE_DEVICE`: no device is active; open Spotify on one, or name one.
    NoActiveDevice,
    /// `PREMIUM_REQUIRED`: the user needs Spotify Premium.
    PremiumRequired,
    /// `UNKNOWN`: Spotify did not say.
    Unknown,
    /// A reason this crate does not know yet, as Spotify wrote it.
    Other(String),
}

impl Reason {
    /// The reason for Spotify's word, such as `NO_ACTIVE_DEVICE`.
    pub fn from_code(code: &str) -> Self {
        match code {
            "NO_PREV_TRACK" => Self::NoPreviousTrack,
            "NO_NEXT_TRACK" => Self::NoNextTrack,
            "NO_SPECIFIC_TRACK" => Self::NoSpecificTrack,
            "ALREADY_PAUSED" => Self::AlreadyPaused,
            "NOT_PAUSED" => Self::NotPaused,
            "NOT_PLAYING_LOCALLY" => Self::NotPlayingLocally,
            "NOT_PLAYING_TRACK" => Self::NotPlayingTrack,
            "NOT_PLAYING_CONTEXT" => Self::NotPlayingContext,
            "ENDLESS_CONTEXT" => Self::EndlessContext,
            "CONTEXT_DISALLOW" => Self::ContextDisallow,
            "ALREADY_PLAYING" => Self::AlreadyPlaying,
            "RATE_LIMITED" => Self::RateLimited,
            "REMOTE_CONTROL_DISALLOW" => Self::RemoteControlDisallow,
            "DEVICE_NOT_CONTROLLABLE" => Self::DeviceNotControllable,
            "VOLUME_CONTROL_DISALLOW" => Self::VolumeControlDisallow,
            "NO_ACTIVE_DEVICE" => Self::NoActiveDevice,
            "PREMIUM_REQUIRED" => Self::PremiumRequired,
            "UNKNOWN" => Self::Unknown,
            other => Self::Other(other.into()),
        }
    }
}

/// The accounts service's error object (RFC 6749 §5.2), from a token request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthError {
    /// The HTTP status code of the answer (Spotify uses 400 for every refusal seen so far).
    pub status: u16,
    /// The error code, such as `invalid_client` or `invalid_grant`.
    pub error: String,
    /// The description, if any, such as `Invalid client secret`.
    pub description: Option<String>,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the accounts service refused the token request ({} {}",
            self.status, self.error
        )?;
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        f.write_str(")")?;
        f.write_str(match self.error.as_str() {
            "invalid_client" => ": check the client ID and client secret",
            "invalid_grant" => ": the code or refresh token is no longer valid; sign in again",
            "unsupported_grant_type" | "invalid_request" => ": the token request was malformed",
            _ => "",
        })
    }
}

impl core::error::Error for AuthError {}

/// A status the call did not expect, with a body that is none of Spotify's error objects.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnexpectedStatus {
    /// The HTTP status code.
    pub status: u16,
    /// The start of the body as text (at most 200 characters, control characters dropped),
    /// such as `User not approved for app`; empty if the body was.
    pub body: String,
}

/// How much of an unexpected body is kept for the message.
pub(crate) const EXCERPT_CHARS: usize = 200;

impl UnexpectedStatus {
    pub(crate) fn new(status: u16, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
        // Scrubbed whole, before the excerpt is cut, so a cut cannot split a credential.
        let text = scrub_credentials(&text);
        let body = text
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(EXCERPT_CHARS)
            .collect();
        Self { status, body }
    }
}

impl fmt::Display for UnexpectedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spotify answered status {}", self.status)?;
        if self.body.is_empty() {
            f.write_str(" with an empty body")?;
        } else {
            write!(f, " with \"{}\"", self.body)?;
        }
        f.write_str(match self.status {
            500..=599 => ": spotify had a problem; try again later",
            403 => ": the app or user may not be allowed to use this endpoint",
            _ => "",
        })
    }
}

impl core::error::Error for UnexpectedStatus {}

/// A body that did not decode into the type the call expected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// What was being decoded, such as `"artist"` or `"token response"`.
    pub what: &'static str,
    /// Why, with the line and column where decoding stopped.
    pub reason: String,
}

impl DecodeError {
    /// Wraps a serde_json error. `secret` hides quoted values from the message, for bodies that
    /// carry a token.
    pub(crate) fn json(what: &'static str, error: &serde_json::Error, secret: bool) -> Self {
        let reason = alloc::format!("{error}");
        let reason = if secret {
            redact_quoted(&reason)
        } else {
            reason
        };
        Self { what, reason }
    }
}

/// Hides every value serde_json quotes in a message (a string in `"…"`, an unknown field or
/// variant in backticks) for bodies that carry a token: everything from the first such value to
/// the position (`at line L column C`) goes. A value may itself hold quotes (an escaped `\"`
/// comes out as a plain `"`), so no span inside it can be trusted to end it.
fn redact_quoted(message: &str) -> String {
    // Field names in backticks are ours (`missing field `access_token``); an unknown field's
    // or variant's name comes from the body.
    let start = [
        message.find('"'),
        message.find("unknown field `"),
        message.find("unknown variant `"),
    ]
    .into_iter()
    .flatten()
    .min();
    let Some(start) = start else {
        return message.into();
    };
    let position = message.rfind(" at line ").filter(|at| *at > start);
    let mut out = String::with_capacity(message.len());
    out.push_str(&message[..start]);
    out.push_str("\"<redacted>\"");
    if let Some(at) = position {
        out.push_str(&message[at..]);
    }
    out
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not decode the {} from spotify's answer: {}; the API may have changed shape, \
             please report it",
            self.what, self.reason
        )
    }
}

impl core::error::Error for DecodeError {}

pub use crate::auth::CallbackError;
pub use crate::session::TransportFailure;
pub use crate::url::UrlError;

#[cfg(test)]
mod tests {
    use crate::message::Response;
    use crate::response::error_from_response;
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn scrubs_credentials_after_bearer_and_basic() {
        assert_eq!(
            scrub_credentials(
                "echo: Authorization: Bearer BQD.tok-en_1 and basic aWQ6c2VjcmV0; ok"
            ),
            "echo: Authorization: Bearer <redacted> and basic <redacted>; ok"
        );
        assert_eq!(scrub_credentials("Bearer"), "Bearer");
        assert_eq!(
            scrub_credentials("<b>BEARER BQDx-yz_123</b>"),
            "<b>BEARER <redacted></b>"
        );
        // Words of a message stay.
        assert_eq!(
            scrub_credentials("Only valid bearer authentication supported"),
            "Only valid bearer authentication supported"
        );
        let echoed = br#"{"error":{"status":400,"message":"bad header Bearer BQDsecret"}}"#;
        let error = error_from_response(&Response::new(400, echoed));
        assert!(!error.to_string().contains("BQDsecret"), "{error}");
        let error = error_from_response(&Response::new(
            500,
            b"<pre>Authorization: Basic aWQ6c2VjcmV0</pre>",
        ));
        assert!(!error.to_string().contains("aWQ6c2VjcmV0"), "{error}");
    }

    #[test]
    fn redacts_a_secret_wherever_an_error_carries_text() {
        let echoed = [
            error_from_response(&Response::new(
                400,
                br#"{"error":{"status":400,"message":"refresh=AQ-refresh-secret"}}"#,
            )),
            error_from_response(&Response::new(
                400,
                br#"{"error":"AQ-refresh-secret","error_description":"AQ-refresh-secret"}"#,
            )),
            error_from_response(&Response::new(502, b"<html>code=AQ-refresh-secret</html>")),
        ];
        for error in echoed {
            let redacted = error.redact("AQ-refresh-secret");
            assert!(
                !redacted.to_string().contains("AQ-refresh-secret"),
                "{redacted}"
            );
            assert!(!alloc::format!("{redacted:?}").contains("AQ-refresh-secret"));
            assert!(redacted.to_string().contains("<redacted>"), "{redacted}");
        }
    }

    #[test]
    fn redacts_quoted_values_only() {
        assert_eq!(
            redact_quoted("invalid type: string \"BQDsecret\", expected u64 at line 1 column 9"),
            "invalid type: string \"<redacted>\" at line 1 column 9"
        );
        // An escaped quote inside the value cannot end the redaction early.
        let escaped = serde_json::from_str::<u64>(r#""x\"SECRET""#)
            .unwrap_err()
            .to_string();
        assert!(escaped.contains("SECRET"), "{escaped}");
        let redacted = redact_quoted(&escaped);
        assert!(!redacted.contains("SECRET"), "{redacted}");
        assert!(redacted.ends_with("at line 1 column 11"), "{redacted}");
        assert_eq!(
            redact_quoted("unknown variant `SECRET`, expected `Bearer` at line 1 column 3"),
            "\"<redacted>\" at line 1 column 3"
        );
        assert_eq!(
            redact_quoted("missing field `access_token`"),
            "missing field `access_token`"
        );
    }
}
