//! One error type for everything the core can report.

use alloc::string::String;
use core::fmt;
use core::time::Duration;

use serde::Deserialize;

use crate::id::IdError;
use crate::message::Response;

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
        /// The `Retry-After` value, if the answer had one that could be read.
        retry_after: Option<Duration>,
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
                retry_after: Some(after),
            } => write!(
                f,
                "spotify is rate limiting this app and asked to wait {} s: try again later",
                after.as_secs()
            ),
            Self::RateLimited { retry_after: None } => {
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

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::InvalidId(e) => Some(e),
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
const EXCERPT_CHARS: usize = 200;

impl UnexpectedStatus {
    fn new(status: u16, body: &[u8]) -> Self {
        let text = String::from_utf8_lossy(body);
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

/// Replaces every `"…"` span with `"<redacted>"`: serde_json quotes values it saw, while it
/// names fields with backticks, so field names stay and values go.
fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message.split('"').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else {
            out.push_str("\"<redacted>\"");
        }
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

/// A base URL or page link the core cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The URL does not start with `http://` or `https://`, or has no host.
    NotHttp,
    /// A base URL has a query, a fragment, or characters that do not belong in a URL.
    Malformed,
    /// A link points to another host than the configured base URL.
    ForeignHost,
    /// A redirect URI names `localhost`, which Spotify refuses since 2025.
    Localhost,
    /// A redirect URI uses `http://` for something other than a loopback IP literal.
    InsecureRedirect,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotHttp => "the URL must start with http:// or https:// and name a host",
            Self::Malformed => {
                "the URL must have no query, no fragment, no whitespace and no control characters"
            }
            Self::ForeignHost => {
                "the link points to another host than the configured API base URL: refused so a \
                 token is never sent elsewhere"
            }
            Self::Localhost => {
                "spotify no longer accepts localhost in redirect URIs: use http://127.0.0.1:PORT/… \
                 (or http://[::1]:PORT/…) and register that"
            }
            Self::InsecureRedirect => {
                "a redirect URI must use https://, unless it is a loopback IP literal such as \
                 http://127.0.0.1:PORT/…"
            }
        })
    }
}

impl core::error::Error for UrlError {}

/// Why a callback URL carries no usable code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// The user or Spotify refused, with this `error` (such as `access_denied`).
    Refused {
        /// Spotify's error code.
        error: String,
    },
    /// The `state` is missing or is not the one sent: the callback may be forged.
    StateMismatch,
    /// There is no `code`.
    MissingCode,
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused { error } if error == "access_denied" => {
                f.write_str("the user did not approve the app (access_denied)")
            }
            Self::Refused { error } => write!(f, "spotify refused the authorization ({error})"),
            Self::StateMismatch => f.write_str(
                "the callback's state is missing or not the one sent: it may be forged, so it was \
                 refused; start the sign-in again",
            ),
            Self::MissingCode => {
                f.write_str("the callback has no authorization code: start the sign-in again")
            }
        }
    }
}

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
        })
    }
}

/// The shapes error bodies come in. Every field is optional: Spotify has sent each of them
/// without some (`{"error":{"status":403}}`, `{"error":"invalid_client"}`).
#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorField,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ErrorField {
    /// The accounts service: `{"error": "invalid_client", "error_description": …}`.
    Auth(String),
    /// The Web API: `{"error": {"status", "message", "reason"}}`, and the 2014 shape
    /// `{"error": {"type", "description"}}`.
    Regular {
        #[serde(default, alias = "description")]
        message: Option<String>,
        #[serde(default, alias = "type")]
        reason: Option<String>,
    },
}

/// The `Retry-After` of a response, in seconds (the only form Spotify sends).
pub(crate) fn retry_after(response: &Response<'_>) -> Option<Duration> {
    let value = core::str::from_utf8(response.header("retry-after")?).ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

/// The typed error for a response that is not a success.
pub(crate) fn error_from_response(response: &Response<'_>) -> Error {
    let status = response.status();
    if status == 429 {
        return Error::RateLimited {
            retry_after: retry_after(response),
        };
    }
    match serde_json::from_slice::<ErrorEnvelope>(response.body()) {
        Ok(ErrorEnvelope {
            error: ErrorField::Auth(error),
            error_description,
        }) => Error::Auth(AuthError {
            status,
            error,
            description: error_description,
        }),
        Ok(ErrorEnvelope {
            error: ErrorField::Regular { message, reason },
            ..
        }) => Error::Api(ApiError {
            status,
            message,
            reason,
        }),
        Err(_) => Error::UnexpectedStatus(UnexpectedStatus::new(status, response.body())),
    }
}

/// Decodes a success body, or turns an error answer into its typed error.
pub(crate) fn decode<'de, T: Deserialize<'de>>(
    response: &Response<'de>,
    what: &'static str,
) -> Result<T, Error> {
    if !response.is_success() {
        return Err(error_from_response(response));
    }
    serde_json::from_slice(response.body())
        .map_err(|e| Error::Decode(DecodeError::json(what, &e, false)))
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    fn error(status: u16, body: &str) -> Error {
        error_from_response(&Response::new(status, body.as_bytes()))
    }

    #[test]
    fn reads_regular_error_with_and_without_message() {
        assert_eq!(
            error(
                404,
                r#"{"error":{"status":404,"message":"Resource not found"}}"#
            ),
            Error::Api(ApiError {
                status: 404,
                message: Some("Resource not found".into()),
                reason: None
            })
        );
        assert_eq!(
            error(403, r#"{"error":{"status":403}}"#),
            Error::Api(ApiError {
                status: 403,
                message: None,
                reason: None
            })
        );
    }

    #[test]
    fn reads_auth_error_with_and_without_description() {
        assert_eq!(
            error(400, r#"{"error":"invalid_client"}"#),
            Error::Auth(AuthError {
                status: 400,
                error: "invalid_client".into(),
                description: None
            })
        );
    }

    #[test]
    fn keeps_non_json_bodies_as_short_text() {
        let Error::UnexpectedStatus(e) = error(502, "<html>\n<h1>502 Bad Gateway</h1>\n</html>")
        else {
            panic!("expected an unexpected status")
        };
        assert_eq!(e.body, "<html><h1>502 Bad Gateway</h1></html>");
        let long = "x".repeat(5000);
        let Error::UnexpectedStatus(e) = error(500, &long) else {
            panic!("expected an unexpected status")
        };
        assert_eq!(e.body.len(), EXCERPT_CHARS);
        assert_eq!(
            error(503, "").to_string(),
            "spotify answered status 503 with an empty body: spotify had a problem; try again later"
        );
    }

    #[test]
    fn reads_retry_after_seconds_and_tolerates_garbage() {
        let with =
            |v: &'static [u8]| retry_after(&Response::new(429, b"").with_header("Retry-After", v));
        assert_eq!(with(b"2"), Some(Duration::from_secs(2)));
        assert_eq!(with(b" 20000 "), Some(Duration::from_secs(20000)));
        assert_eq!(with(b"0"), Some(Duration::ZERO));
        assert_eq!(with(b"soon"), None);
        assert_eq!(with(b"-1"), None);
        assert_eq!(with(b"\xff"), None);
        assert_eq!(retry_after(&Response::new(429, b"")), None);
    }

    #[test]
    fn redacts_quoted_values_only() {
        assert_eq!(
            redact_quoted("invalid type: string \"BQDsecret\", expected u64 at line 1 column 9"),
            "invalid type: string \"<redacted>\", expected u64 at line 1 column 9"
        );
        assert_eq!(
            redact_quoted("missing field `access_token`"),
            "missing field `access_token`"
        );
    }
}
