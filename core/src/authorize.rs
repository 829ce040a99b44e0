//! Signing a user in: the authorization-code flow, with or without a client secret (PKCE),
//! and refreshing the user's token.
//!
//! The implicit grant is deprecated by Spotify and not offered. Randomness comes from the
//! caller: [`State::from_random`] and [`PkceVerifier::from_random`] take bytes from the
//! caller's random source.
//!
//! # Example: the PKCE flow, offline
//!
//! ```
//! use spotify_web_core::auth::{AccessToken, ClientId};
//! use spotify_web_core::authorize::{AuthorizeUrl, PkceVerifier, RedirectUri, Scope, State, UserClient, parse_callback};
//! use spotify_web_core::message::Response;
//! use spotify_web_core::time::Instant;
//! use spotify_web_core::url::BaseUrl;
//!
//! let client = UserClient::pkce(ClientId::new("my-client-id"));
//! let redirect = RedirectUri::new("http://127.0.0.1:8888/callback")?;
//! let state = State::from_random(&[7; 16]); // from the OS's random source in real code
//! let verifier = PkceVerifier::from_random(&[42; 32])?;
//! let url = AuthorizeUrl::new(client.id(), &redirect, &state)
//!     .scopes([Scope::UserReadPrivate])
//!     .pkce(&verifier)
//!     .build(&BaseUrl::spotify_accounts());
//! assert!(url.starts_with("https://accounts.spotify.com/authorize?client_id=my-client-id&response_type=code"));
//!
//! // The user approves; the browser comes back to the redirect URI.
//! let back = format!("http://127.0.0.1:8888/callback?code=AQD_code&state={}", state.as_str());
//! let code = parse_callback(&back, &state)?;
//! let request = client.code_exchange_request(&BaseUrl::spotify_accounts(), &code, &redirect, Some(&verifier))?;
//! assert_eq!(request.url(), "https://accounts.spotify.com/api/token");
//!
//! let answer = br#"{"access_token":"BQ","token_type":"Bearer","expires_in":3600,"refresh_token":"AQ","scope":"user-read-private"}"#;
//! let token = AccessToken::from_response(&Response::new(200, answer), Instant::ZERO)?;
//! assert_eq!(token.refresh_token().map(|r| r.secret()), Some("AQ"));
//! # Ok::<(), spotify_web_core::Error>(())
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::auth::{ClientId, ClientSecret, token_request};
use crate::encode::{FormBuilder, base64, base64url, form_pairs};
use crate::error::{CallbackError, Error, UrlError};
use crate::message::Request;
use crate::sha256::sha256;
use crate::url::BaseUrl;

/// The scopes a user can grant, as Spotify lists them. Catalog endpoints need none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[allow(missing_docs, reason = "each variant is the scope of the same name")]
pub enum Scope {
    AppRemoteControl,
    PlaylistReadPrivate,
    PlaylistReadCollaborative,
    PlaylistModifyPublic,
    PlaylistModifyPrivate,
    UserLibraryRead,
    UserLibraryModify,
    UserReadPrivate,
    UserReadEmail,
    UserFollowRead,
    UserFollowModify,
    UserTopRead,
    UserReadPlaybackPosition,
    UserReadPlaybackState,
    UserReadRecentlyPlayed,
    UserReadCurrentlyPlaying,
    UserModifyPlaybackState,
    UgcImageUpload,
    Streaming,
}

impl Scope {
    /// Spotify's name for the scope, such as `user-read-private`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AppRemoteControl => "app-remote-control",
            Self::PlaylistReadPrivate => "playlist-read-private",
            Self::PlaylistReadCollaborative => "playlist-read-collaborative",
            Self::PlaylistModifyPublic => "playlist-modify-public",
            Self::PlaylistModifyPrivate => "playlist-modify-private",
            Self::UserLibraryRead => "user-library-read",
            Self::UserLibraryModify => "user-library-modify",
            Self::UserReadPrivate => "user-read-private",
            Self::UserReadEmail => "user-read-email",
            Self::UserFollowRead => "user-follow-read",
            Self::UserFollowModify => "user-follow-modify",
            Self::UserTopRead => "user-top-read",
            Self::UserReadPlaybackPosition => "user-read-playback-position",
            Self::UserReadPlaybackState => "user-read-playback-state",
            Self::UserReadRecentlyPlayed => "user-read-recently-played",
            Self::UserReadCurrentlyPlaying => "user-read-currently-playing",
            Self::UserModifyPlaybackState => "user-modify-playback-state",
            Self::UgcImageUpload => "ugc-image-upload",
            Self::Streaming => "streaming",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A redirect URI as Spotify accepts it since its 2025 security migration: `https://`, a
/// loopback IP literal over `http://` (`http://127.0.0.1:PORT/…`, `http://[::1]:PORT/…`), or an
/// app's own scheme. `localhost` is refused: Spotify no longer accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RedirectUri(String);

impl RedirectUri {
    /// Checks a redirect URI.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`]: [`UrlError::Localhost`] for `localhost`,
    /// [`UrlError::InsecureRedirect`] for `http://` to anything but a loopback IP literal,
    /// [`UrlError::Malformed`] for a fragment, whitespace or control characters.
    pub fn new(uri: &str) -> Result<Self, Error> {
        if uri.is_empty() || uri.contains('#') || !uri.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(UrlError::Malformed.into());
        }
        let (scheme, rest) = uri.split_once("://").ok_or(UrlError::Malformed)?;
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority
                .rsplit_once(':')
                .map_or(authority, |(host, _port)| host),
        };
        if host.eq_ignore_ascii_case("localhost") {
            return Err(UrlError::Localhost.into());
        }
        if scheme.eq_ignore_ascii_case("http") && !(host == "127.0.0.1" || host == "::1") {
            return Err(UrlError::InsecureRedirect.into());
        }
        if (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
            && host.is_empty()
        {
            return Err(UrlError::NotHttp.into());
        }
        Ok(Self(uri.into()))
    }

    /// The URI.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `state` that ties a callback to the authorization request that caused it (CSRF
/// protection).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct State(String);

impl State {
    /// A state from the caller's random bytes (16 or more are plenty), base64url-encoded.
    pub fn from_random(bytes: &[u8]) -> Self {
        Self(base64url(bytes))
    }

    /// A state chosen by the caller.
    pub fn new(state: impl Into<String>) -> Self {
        Self(state.into())
    }

    /// The state.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The PKCE code verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`. Kept secret until
/// the code exchange; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// A verifier from 32 to 96 of the caller's random bytes (base64url: 43 to 128 characters).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for fewer than 32 or more than 96 bytes.
    pub fn from_random(bytes: &[u8]) -> Result<Self, Error> {
        if !(32..=96).contains(&bytes.len()) {
            return Err(Error::InvalidArgument {
                what: "a PKCE verifier needs 32 to 96 random bytes",
            });
        }
        Ok(Self(base64url(bytes)))
    }

    /// A verifier given as text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] unless it has 43 to 128 characters of the allowed set.
    pub fn new(verifier: impl Into<String>) -> Result<Self, Error> {
        let verifier = verifier.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if !(43..=128).contains(&verifier.len()) || !verifier.bytes().all(allowed) {
            return Err(Error::InvalidArgument {
                what: "a PKCE verifier has 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'",
            });
        }
        Ok(Self(verifier))
    }

    /// The verifier itself, for the code exchange.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The S256 challenge: base64url(SHA-256(verifier)), without padding.
    pub fn challenge(&self) -> String {
        base64url(&sha256(self.0.as_bytes()))
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier(<redacted>)")
    }
}

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps the value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The value itself. Keep it out of logs.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

secret_string!(
    /// The one-time code a callback carries, to exchange for tokens. `Debug` hides it.
    AuthorizationCode
);
secret_string!(
    /// A user's refresh token. `Debug` hides it.
    RefreshToken
);

/// An app acting for a user: its client ID, and its secret unless it uses PKCE (an app that
/// cannot keep a secret, such as a CLI or a mobile app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserClient {
    id: ClientId,
    secret: Option<ClientSecret>,
}

impl UserClient {
    /// An app with a client secret: it authenticates with HTTP Basic.
    pub fn confidential(id: ClientId, secret: ClientSecret) -> Self {
        Self {
            id,
            secret: Some(secret),
        }
    }

    /// An app without a secret: it proves itself with a PKCE verifier, and sends its client ID.
    pub fn pkce(id: ClientId) -> Self {
        Self { id, secret: None }
    }

    /// The client ID.
    pub fn id(&self) -> &ClientId {
        &self.id
    }

    /// Whether this app uses PKCE (has no secret).
    pub fn is_pkce(&self) -> bool {
        self.secret.is_none()
    }

    /// The code exchange: `POST {accounts}/api/token` with `grant_type=authorization_code`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if a PKCE app gives no verifier.
    pub fn code_exchange_request(
        &self,
        accounts: &BaseUrl,
        code: &AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<Request, Error> {
        let form = FormBuilder::default()
            .pair("grant_type", "authorization_code")
            .pair("code", code.secret())
            .pair("redirect_uri", redirect.as_str());
        match (&self.secret, verifier) {
            (None, None) => Err(Error::InvalidArgument {
                what: "a PKCE app must send the code verifier it made the challenge from",
            }),
            (_, Some(verifier)) => {
                Ok(self.authenticate(accounts, form.pair("code_verifier", verifier.secret())))
            }
            (Some(_), None) => Ok(self.authenticate(accounts, form)),
        }
    }

    /// The refresh: `POST {accounts}/api/token` with `grant_type=refresh_token`.
    pub fn refresh_request(&self, accounts: &BaseUrl, refresh: &RefreshToken) -> Request {
        let form = FormBuilder::default()
            .pair("grant_type", "refresh_token")
            .pair("refresh_token", refresh.secret());
        self.authenticate(accounts, form)
    }

    /// HTTP Basic with the secret, or the client ID in the form for PKCE.
    fn authenticate(&self, accounts: &BaseUrl, form: FormBuilder) -> Request {
        let request = token_request(accounts);
        let body = match &self.secret {
            Some(secret) => {
                let pair = alloc::format!("{}:{}", self.id.as_str(), secret.secret());
                return request
                    .with_header(
                        "authorization",
                        alloc::format!("Basic {}", base64(pair.as_bytes())),
                    )
                    .with_body(FORM, form.finish().into_bytes());
            }
            None => form.pair("client_id", self.id.as_str()).finish(),
        };
        request.with_body(FORM, body.into_bytes())
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

/// The URL to send the user to, to approve the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    client_id: String,
    redirect: String,
    state: String,
    scopes: Vec<String>,
    show_dialog: bool,
    challenge: Option<String>,
}

impl AuthorizeUrl {
    /// For this app, coming back to `redirect` with `state`.
    pub fn new(client: &ClientId, redirect: &RedirectUri, state: &State) -> Self {
        Self {
            client_id: client.as_str().into(),
            redirect: redirect.as_str().into(),
            state: state.as_str().into(),
            scopes: Vec::new(),
            show_dialog: false,
            challenge: None,
        }
    }

    /// Asks for these scopes (in addition to any asked for before).
    #[must_use]
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = Scope>) -> Self {
        self.scopes
            .extend(scopes.into_iter().map(|s| s.as_str().to_string()));
        self
    }

    /// Asks for a scope this crate does not know yet, by Spotify's name.
    #[must_use]
    pub fn raw_scope(mut self, scope: &str) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Whether to ask the user again even if they approved the app before.
    #[must_use]
    pub fn show_dialog(mut self, show: bool) -> Self {
        self.show_dialog = show;
        self
    }

    /// Adds the PKCE challenge (`code_challenge_method=S256`) derived from `verifier`.
    #[must_use]
    pub fn pkce(mut self, verifier: &PkceVerifier) -> Self {
        self.challenge = Some(verifier.challenge());
        self
    }

    /// `{accounts}/authorize?…`
    pub fn build(&self, accounts: &BaseUrl) -> String {
        let mut scopes = self.scopes.clone();
        scopes.sort_unstable();
        scopes.dedup();
        let scope = (!scopes.is_empty()).then(|| scopes.join(" "));
        let form = FormBuilder::default()
            .pair("client_id", &self.client_id)
            .pair("response_type", "code")
            .pair("redirect_uri", &self.redirect)
            .pair("state", &self.state)
            .optional("scope", scope.as_deref())
            .optional("show_dialog", self.show_dialog.then_some("true"))
            .optional(
                "code_challenge_method",
                self.challenge.as_ref().map(|_| "S256"),
            )
            .optional("code_challenge", self.challenge.as_deref());
        alloc::format!("{}/authorize?{}", accounts.as_str(), form.finish())
    }
}

/// Reads the URL the user's browser came back to: the code, if the user approved and the
/// state matches.
///
/// # Errors
///
/// [`Error::Callback`]: [`CallbackError::Refused`] with Spotify's `error` (such as
/// `access_denied`), [`CallbackError::StateMismatch`] if the state is missing or not the one
/// sent (a forged callback), [`CallbackError::MissingCode`] if there is no code.
pub fn parse_callback(url: &str, expected: &State) -> Result<AuthorizationCode, Error> {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    let query = query.split('#').next().unwrap_or_default();
    let (mut code, mut state, mut error) = (None, None, None);
    for (key, value) in form_pairs(query) {
        match key.as_str() {
            "code" if code.is_none() => code = Some(value),
            "state" if state.is_none() => state = Some(value),
            "error" if error.is_none() => error = Some(value),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected.as_str()) {
        return Err(Error::Callback(CallbackError::StateMismatch));
    }
    if let Some(error) = error {
        return Err(Error::Callback(CallbackError::Refused { error }));
    }
    match code {
        Some(code) if !code.is_empty() => Ok(AuthorizationCode(code)),
        _ => Err(Error::Callback(CallbackError::MissingCode)),
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    fn redirect() -> RedirectUri {
        RedirectUri::new("http://127.0.0.1:8888/callback").unwrap()
    }

    #[test]
    fn pkce_challenge_matches_rfc_7636() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(format!("{verifier:?}"), "PkceVerifier(<redacted>)");
    }

    #[test]
    fn verifiers_have_43_to_128_allowed_characters() {
        assert_eq!(
            PkceVerifier::from_random(&[0; 32]).unwrap().secret().len(),
            43
        );
        assert_eq!(
            PkceVerifier::from_random(&[255; 96])
                .unwrap()
                .secret()
                .len(),
            128
        );
        assert!(PkceVerifier::from_random(&[0; 31]).is_err());
        assert!(PkceVerifier::from_random(&[0; 97]).is_err());
        assert!(PkceVerifier::new("a".repeat(42)).is_err());
        assert!(PkceVerifier::new("a".repeat(129)).is_err());
        assert!(PkceVerifier::new(format!("{}+", "a".repeat(42))).is_err());
        assert!(PkceVerifier::new("a-b.c_d~".repeat(6)).is_ok());
    }

    #[test]
    fn redirect_uris_follow_spotifys_rules() {
        for ok in [
            "http://127.0.0.1:8888/callback",
            "http://127.0.0.1/cb",
            "http://[::1]:9000/callback",
            "https://app.example/callback",
            "myapp://callback",
        ] {
            assert!(RedirectUri::new(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            RedirectUri::new("http://localhost:8888/callback"),
            Err(Error::InvalidUrl(UrlError::Localhost))
        );
        assert_eq!(
            RedirectUri::new("https://LOCALHOST/cb"),
            Err(Error::InvalidUrl(UrlError::Localhost))
        );
        assert_eq!(
            RedirectUri::new("http://example.test/cb"),
            Err(Error::InvalidUrl(UrlError::InsecureRedirect))
        );
        assert_eq!(
            RedirectUri::new("http://127.0.0.2/cb"),
            Err(Error::InvalidUrl(UrlError::InsecureRedirect))
        );
        assert_eq!(
            RedirectUri::new("https://a.test/cb#x"),
            Err(Error::InvalidUrl(UrlError::Malformed))
        );
        assert_eq!(
            RedirectUri::new("not a uri"),
            Err(Error::InvalidUrl(UrlError::Malformed))
        );
        let message = RedirectUri::new("http://localhost:1/")
            .unwrap_err()
            .to_string();
        assert!(message.contains("127.0.0.1"), "{message}");
    }

    #[test]
    fn authorize_url_has_every_parameter_encoded() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        let url = AuthorizeUrl::new(&ClientId::new("cid"), &redirect(), &State::new("s t"))
            .scopes([
                Scope::UserReadPrivate,
                Scope::UserReadEmail,
                Scope::UserReadPrivate,
            ])
            .raw_scope("brand-new-scope")
            .show_dialog(true)
            .pkce(&verifier)
            .build(&BaseUrl::spotify_accounts());
        assert_eq!(
            url,
            "https://accounts.spotify.com/authorize?client_id=cid&response_type=code\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback&state=s%20t\
             &scope=brand-new-scope%20user-read-email%20user-read-private&show_dialog=true\
             &code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let plain = AuthorizeUrl::new(&ClientId::new("cid"), &redirect(), &State::new("s"))
            .build(&BaseUrl::spotify_accounts());
        assert!(
            !plain.contains("scope")
                && !plain.contains("code_challenge")
                && !plain.contains("show_dialog")
        );
    }

    #[test]
    fn callbacks_give_the_code_only_with_the_right_state() {
        let state = State::new("xyz");
        let code = parse_callback(
            "http://127.0.0.1:8888/callback?code=AQ%2Bc&state=xyz",
            &state,
        )
        .unwrap();
        assert_eq!(code.secret(), "AQ+c");
        assert_eq!(format!("{code:?}"), "AuthorizationCode(<redacted>)");
        let cases = [
            (
                "http://127.0.0.1/cb?code=c&state=abc",
                CallbackError::StateMismatch,
            ),
            ("http://127.0.0.1/cb?code=c", CallbackError::StateMismatch),
            ("http://127.0.0.1/cb?state=xyz", CallbackError::MissingCode),
            (
                "http://127.0.0.1/cb?code=&state=xyz",
                CallbackError::MissingCode,
            ),
            (
                "http://127.0.0.1/cb?error=access_denied&state=xyz",
                CallbackError::Refused {
                    error: "access_denied".into(),
                },
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(
                parse_callback(url, &state).unwrap_err(),
                Error::Callback(expected),
                "{url}"
            );
        }
        // A forged refusal is still a state mismatch.
        assert_eq!(
            parse_callback("http://127.0.0.1/cb?error=access_denied&state=evil", &state)
                .unwrap_err(),
            Error::Callback(CallbackError::StateMismatch)
        );
    }

    #[test]
    fn code_exchange_and_refresh_requests() {
        let accounts = BaseUrl::spotify_accounts();
        let code = AuthorizationCode::new("the-code");
        let confidential =
            UserClient::confidential(ClientId::new("id"), ClientSecret::new("secret"));
        let request = confidential
            .code_exchange_request(&accounts, &code, &redirect(), None)
            .unwrap();
        assert_eq!(request.header("authorization"), Some("Basic aWQ6c2VjcmV0"));
        assert_eq!(
            request.body(),
            b"grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback"
        );
        let pkce = UserClient::pkce(ClientId::new("id"));
        assert!(
            pkce.code_exchange_request(&accounts, &code, &redirect(), None)
                .is_err()
        );
        let verifier = PkceVerifier::new("v".repeat(43)).unwrap();
        let request = pkce
            .code_exchange_request(&accounts, &code, &redirect(), Some(&verifier))
            .unwrap();
        assert_eq!(request.header("authorization"), None);
        assert!(
            request
                .body()
                .ends_with(format!("&code_verifier={}&client_id=id", "v".repeat(43)).as_bytes())
        );
        let refresh = RefreshToken::new("r1");
        assert_eq!(
            pkce.refresh_request(&accounts, &refresh).body(),
            b"grant_type=refresh_token&refresh_token=r1&client_id=id"
        );
        let request = confidential.refresh_request(&accounts, &refresh);
        assert_eq!(request.body(), b"grant_type=refresh_token&refresh_token=r1");
        assert!(request.header("authorization").is_some());
        assert!(!format!("{request:?}").contains("r1"));
    }

    #[test]
    fn states_from_random_bytes_are_url_safe() {
        let state = State::from_random(&[0xfb; 16]);
        assert!(
            state
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(state.as_str().len(), 22);
    }
}
