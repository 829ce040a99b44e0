//! Reading the answers: a success body into its type, anything else into its typed error.

use alloc::string::String;

use serde::Deserialize;

use crate::error::{ApiError, AuthError, DecodeError, Error, UnexpectedStatus, scrub_credentials};
use crate::message::Response;
use crate::retry_after::RetryAfter;

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

/// The rate-limit error for a 429 answer, with what its `Retry-After` says.
pub(crate) fn rate_limited(response: &Response<'_>) -> Error {
    let (retry_after, retry_at) = match crate::retry_after::read(response) {
        RetryAfter::After(wait) => (Some(wait), None),
        RetryAfter::Date(date) => (None, Some(date)),
        RetryAfter::Unusable | RetryAfter::Overflow => (None, None),
    };
    Error::RateLimited {
        retry_after,
        retry_at,
    }
}

/// The typed error for a response that is not a success.
pub(crate) fn error_from_response(response: &Response<'_>) -> Error {
    let status = response.status();
    if status == 429 {
        return rate_limited(response);
    }
    match serde_json::from_slice::<ErrorEnvelope>(response.body()) {
        Ok(ErrorEnvelope {
            error: ErrorField::Auth(error),
            error_description,
        }) => Error::Auth(AuthError {
            status,
            error: scrub_credentials(&error),
            description: error_description.as_deref().map(scrub_credentials),
        }),
        Ok(ErrorEnvelope {
            error: ErrorField::Regular { message, reason },
            ..
        }) => Error::Api(ApiError {
            status,
            message: message.as_deref().map(scrub_credentials),
            reason: reason.as_deref().map(scrub_credentials),
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
    from_json(response.body()).map_err(|e| Error::Decode(DecodeError::json(what, &e, false)))
}

/// `serde_json` over a body: one UTF-8 check of the whole body, then the text parser, which
/// checks no string again (cheaper than checking each string as `from_slice` does). A body
/// that is not UTF-8 goes to `from_slice`, for the same error as before.
pub(crate) fn from_json<'de, T: Deserialize<'de>>(body: &'de [u8]) -> serde_json::Result<T> {
    match core::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use core::time::Duration;

    use super::*;
    use crate::error::EXCERPT_CHARS;

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
    fn rate_limited_errors_carry_what_retry_after_says() {
        let with =
            |v: &'static [u8]| rate_limited(&Response::new(429, b"").with_header("Retry-After", v));
        let delay = |secs| Error::RateLimited {
            retry_after: Some(Duration::from_secs(secs)),
            retry_at: None,
        };
        let unknown = Error::RateLimited {
            retry_after: None,
            retry_at: None,
        };
        assert_eq!(with(b"2"), delay(2));
        assert_eq!(with(b" 20000 "), delay(20000));
        assert_eq!(with(b"0"), delay(0));
        assert_eq!(with(b"soon"), unknown);
        assert_eq!(with(b"-1"), unknown);
        assert_eq!(with(b"\xff"), unknown);
        let dated = with(b"Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            dated,
            Error::RateLimited {
                retry_after: None,
                retry_at: Some("Sun, 06 Nov 1994 08:49:37 GMT".into()),
            }
        );
        assert!(
            dated
                .to_string()
                .contains("until Sun, 06 Nov 1994 08:49:37 GMT")
        );
    }
}
