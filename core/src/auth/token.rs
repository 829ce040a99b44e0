//! Access and refresh tokens, and the token endpoint's answer.

use alloc::format;
use alloc::string::String;
use core::fmt;
use core::time::Duration;

use serde::Deserialize;

use crate::error::{DecodeError, Error};
use crate::message::{Request, Response};
use crate::response::error_from_response;
use crate::time::Instant;

/// A bearer token for the Web API, with the instant it expires.
///
/// `Debug` hides the token; [`secret`](Self::secret) gives it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: String,
    expires_at: Instant,
    scope: String,
    refresh: Option<RefreshToken>,
}

impl AccessToken {
    /// A token that expires at `expires_at`, with a space-separated `scope` (empty for
    /// client credentials).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] if the token is empty or has a character that cannot go in an HTTP
    /// header (only visible ASCII can).
    pub fn new(value: String, expires_at: Instant, scope: String) -> Result<Self, Error> {
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Decode(DecodeError {
                what: "token response",
                reason: "the access token is empty or has characters that cannot go in a header"
                    .into(),
            }));
        }
        Ok(Self {
            value,
            expires_at,
            scope,
            refresh: None,
        })
    }

    /// The same token, with this refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh: Option<RefreshToken>) -> Self {
        self.refresh = refresh;
        self
    }

    /// Reads the token endpoint's answer. The expiry is `now + expires_in`.
    ///
    /// ```
    /// use spotify_web_core::auth::AccessToken;
    /// use spotify_web_core::message::Response;
    /// use spotify_web_core::time::Instant;
    ///
    /// let body = br#"{"access_token":"NgCXRK","token_type":"bearer","expires_in":3600}"#;
    /// let token = AccessToken::from_response(&Response::new(200, body), Instant::from_secs(100))?;
    /// assert_eq!(token.secret(), "NgCXRK");
    /// assert_eq!(token.expires_at(), Instant::from_secs(3700));
    /// # Ok::<(), spotify_web_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] with the accounts service's error object, [`Error::RateLimited`] on 429,
    /// [`Error::UnexpectedStatus`] for other failures, and [`Error::Decode`] if the body is not
    /// a bearer token answer. No message contains the token.
    pub fn from_response(response: &Response<'_>, now: Instant) -> Result<Self, Error> {
        if !response.is_success() {
            return Err(error_from_response(response));
        }
        let body: TokenBody = serde_json::from_slice(response.body())
            .map_err(|e| Error::Decode(DecodeError::json("token response", &e, true)))?;
        if !body.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Error::Decode(DecodeError {
                what: "token response",
                reason: format!(
                    "the token type is {:?}, and only bearer tokens are supported",
                    body.token_type
                ),
            }));
        }
        let token = Self::new(
            body.access_token,
            now + Duration::from_secs(body.expires_in),
            body.scope.unwrap_or_default(),
        )?;
        Ok(token.with_refresh_token(
            body.refresh_token
                .filter(|r| !r.is_empty())
                .map(RefreshToken::new),
        ))
    }

    /// The refresh token that came with this token (user tokens only). A refresh answer may
    /// have none: keep using the previous one then.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh.as_ref()
    }

    /// The token itself. Keep it out of logs.
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// When the token expires.
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// The scopes granted, as Spotify lists them (empty for client credentials).
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.split_ascii_whitespace()
    }

    /// Whether the token is still good for at least `margin` after `now`.
    pub fn is_fresh(&self, now: Instant, margin: Duration) -> bool {
        now + margin < self.expires_at
    }

    /// Adds `Authorization: Bearer …` to a request.
    pub fn authorize(&self, mut request: Request) -> Request {
        // Not `format!`: this runs for every API request, and the formatting machinery costs
        // several times a reserved push.
        let mut value = String::with_capacity("Bearer ".len() + self.value.len());
        value.push_str("Bearer ");
        value.push_str(&self.value);
        request.set_header("authorization", value);
        request
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .field("refresh_token", &self.refresh)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    token_type: String,
    expires_in: u64,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
}

crate::secret::secret_string!(
    /// A user's refresh token. `Debug` hides it.
    RefreshToken,
    Clone
);

#[cfg(test)]
mod tests {
    use super::super::client::FORM;
    use crate::auth::*;
    use crate::message::Method;
    use crate::url::BaseUrl;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;

    const NOW: Instant = Instant::from_secs(1_000);

    fn token(body: &str) -> Result<AccessToken, Error> {
        AccessToken::from_response(&Response::new(200, body.as_bytes()), NOW)
    }

    #[test]
    fn basic_auth_request_has_header_and_grant_only() {
        let request =
            ClientCredentials::new("abc", "s3cret").token_request(&BaseUrl::spotify_accounts());
        assert_eq!(request.method(), Method::Post);
        assert_eq!(request.url(), "https://accounts.spotify.com/api/token");
        assert_eq!(
            request.header("authorization"),
            Some("Basic YWJjOnMzY3JldA==")
        );
        assert_eq!(request.header("content-type"), Some(FORM));
        assert_eq!(request.body(), b"grant_type=client_credentials");
    }

    #[test]
    fn body_auth_request_encodes_credentials() {
        let request = ClientCredentials::new("a&b", "c=d e")
            .client_auth(ClientAuth::RequestBody)
            .token_request(&BaseUrl::new("http://127.0.0.1:9/").unwrap());
        assert_eq!(request.url(), "http://127.0.0.1:9/api/token");
        assert_eq!(request.header("authorization"), None);
        assert_eq!(
            request.body(),
            b"grant_type=client_credentials&client_id=a%26b&client_secret=c%3Dd+e"
        );
    }

    #[test]
    fn debug_never_shows_the_secret_or_token() {
        let credentials = ClientCredentials::new("id", "canary-secret");
        assert!(!format!("{credentials:?}").contains("canary-secret"));
        let request = credentials.token_request(&BaseUrl::spotify_accounts());
        assert!(!format!("{request:?}").contains("canary"));
        let token =
            token(r#"{"access_token":"canary-token","token_type":"Bearer","expires_in":1}"#)
                .unwrap();
        assert!(!format!("{token:?}").contains("canary-token"));
    }

    #[test]
    fn parses_token_with_case_insensitive_type_and_optional_scope() {
        for body in [
            r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#,
            r#"{"access_token":"t","token_type":"bearer","expires_in":3600,"scope":""}"#,
            r#"{"access_token":"t","token_type":"BEARER","expires_in":3600,"scope":null,"x":1}"#,
        ] {
            let token = token(body).unwrap();
            assert_eq!(token.secret(), "t");
            assert_eq!(token.expires_at(), Instant::from_secs(4_600));
            assert_eq!(token.scopes().count(), 0);
        }
        let token =
            token(r#"{"access_token":"t","token_type":"Bearer","expires_in":1,"scope":"a b"}"#)
                .unwrap();
        assert_eq!(token.scopes().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn refuses_bad_token_answers_without_echoing_them() {
        let err =
            token(r#"{"access_token":"canary","token_type":"mac","expires_in":1}"#).unwrap_err();
        assert!(err.to_string().contains("\"mac\""), "{err}");
        let err =
            token(r#"{"access_token":"canary","token_type":"Bearer","expires_in":"canary2"}"#)
                .unwrap_err();
        assert!(matches!(err, Error::Decode(_)));
        assert!(!err.to_string().contains("canary"), "{err}");
        let err = token(r#"{"access_token":"bad\r\nx: y","token_type":"Bearer","expires_in":1}"#)
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err}");
        assert!(token(r#"{"access_token":"","token_type":"Bearer","expires_in":1}"#).is_err());
        assert!(token(r#"{"token_type":"Bearer","expires_in":1}"#).is_err());
        assert!(token("").is_err());
    }

    #[test]
    fn expiry_saturates_instead_of_overflowing() {
        let body =
            r#"{"access_token":"t","token_type":"Bearer","expires_in":18446744073709551615}"#;
        let token = AccessToken::from_response(
            &Response::new(200, body.as_bytes()),
            Instant::from_duration(Duration::MAX),
        )
        .unwrap();
        assert_eq!(token.expires_at(), Instant::from_duration(Duration::MAX));
    }

    #[test]
    fn freshness_respects_the_margin() {
        let token = AccessToken::new("t".into(), Instant::from_secs(100), String::new()).unwrap();
        let margin = Duration::from_secs(10);
        assert!(token.is_fresh(Instant::from_secs(89), margin));
        assert!(!token.is_fresh(Instant::from_secs(90), margin));
        assert!(!token.is_fresh(Instant::from_secs(200), margin));
    }

    #[test]
    fn authorize_sets_bearer_header_once() {
        let token = AccessToken::new("abc".into(), Instant::ZERO, String::new()).unwrap();
        let request = Request::new(Method::Get, "https://api.test/v1/x".into());
        let request = token.authorize(token.authorize(request));
        assert_eq!(request.header("authorization"), Some("Bearer abc"));
        assert_eq!(request.headers().len(), 1);
    }
}
