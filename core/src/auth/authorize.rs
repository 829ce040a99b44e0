//! The authorization-code flow's steps: scopes, the redirect URI, the CSRF state, the
//! authorize URL, the callback and the code exchange.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::*;
use crate::encode::{FormBuilder, base64url, form_pairs};
use crate::error::{Error, UrlError, redact_client};
use crate::message::{Request, Response};
use crate::time::Instant;
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

/// A redirect URI as Spotify accepts it since its 2025 security migration: `https://` with a
/// host, or `http://` to a loopback IP literal (`http://127.0.0.1:PORT/…`,
/// `http://[::1]:PORT/…`). `localhost` is refused: Spotify no longer accepts it.
///
/// The URI is read as RFC 3986 reads it, so that what the browser will call is what was
/// checked: no user information (`http://127.0.0.1@evil.example/` goes to evil.example), a
/// host, a port from 1 to 65535 if there is one, no fragment.
///
/// ```
/// use spotify_web_core::auth::RedirectUri;
///
/// assert!(RedirectUri::new("http://127.0.0.1:8888/callback").is_ok());
/// let refused = RedirectUri::new("http://127.0.0.1:80@evil.example/cb").unwrap_err();
/// assert!(refused.to_string().contains("user information"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RedirectUri(String);

impl RedirectUri {
    /// Checks a redirect URI.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`], naming the rule broken: [`UrlError::Malformed`] (whitespace,
    /// control characters, a bad percent escape, no `scheme://`), [`UrlError::NotHttp`] (a
    /// scheme other than `https` or `http`), [`UrlError::Userinfo`], [`UrlError::MissingHost`],
    /// [`UrlError::InvalidPort`], [`UrlError::Fragment`], [`UrlError::Localhost`], or
    /// [`UrlError::InsecureRedirect`] (`http://` to anything but a loopback IP literal).
    pub fn new(uri: &str) -> Result<Self, Error> {
        check_redirect(uri)?;
        Ok(Self(uri.into()))
    }

    /// The URI.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The rules of [`RedirectUri::new`].
fn check_redirect(uri: &str) -> Result<(), UrlError> {
    if uri.is_empty() || !uri.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(UrlError::Malformed);
    }
    if uri.contains('#') {
        return Err(UrlError::Fragment);
    }
    if !percent_escapes_are_whole(uri) {
        return Err(UrlError::Malformed);
    }
    let (scheme, rest) = uri.split_once("://").ok_or(UrlError::Malformed)?;
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(UrlError::Malformed);
    }
    let http = scheme.eq_ignore_ascii_case("http");
    if !http && !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlError::NotHttp);
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(UrlError::Userinfo);
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(literal) => {
            let (v6, after) = literal.split_once(']').ok_or(UrlError::Malformed)?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':').ok_or(UrlError::Malformed)?),
            };
            v6.parse::<core::net::Ipv6Addr>()
                .map_err(|_| UrlError::Malformed)?;
            (Host::V6(v6), port)
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            let reg_name = host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=".contains(&b));
            if !reg_name {
                return Err(UrlError::Malformed);
            }
            (Host::Name(host), port)
        }
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p != 0);
        if !valid {
            return Err(UrlError::InvalidPort);
        }
    }
    match host {
        Host::Name("") => Err(UrlError::MissingHost),
        Host::Name(name) if name.eq_ignore_ascii_case("localhost") => Err(UrlError::Localhost),
        Host::Name(name) if http && name == "127.0.0.1" => Ok(()),
        Host::V6(v6)
            if http
                && v6
                    .parse::<core::net::Ipv6Addr>()
                    .is_ok_and(|a| a.is_loopback()) =>
        {
            Ok(())
        }
        _ if http => Err(UrlError::InsecureRedirect),
        _ => Ok(()),
    }
}

/// A redirect URI's host: a name (or IPv4 literal), or an IPv6 literal without its brackets.
enum Host<'a> {
    Name(&'a str),
    V6(&'a str),
}

/// Whether every `%` starts an escape of two hex digits.
fn percent_escapes_are_whole(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The `state` that ties a callback to the authorization request that caused it (CSRF
/// protection). It carries at least 128 bits of the caller's randomness, and compares in
/// constant time.
///
/// ```
/// use spotify_web_core::auth::CsrfState;
///
/// let state = CsrfState::from_random(&[7; 16])?; // bytes from the OS's random source
/// assert_eq!(state.as_str().len(), 22);
/// assert!(CsrfState::from_random(&[]).is_err());
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, Eq)]
pub struct CsrfState(String);

/// A state's least randomness: 16 bytes, 128 bits.
const STATE_BYTES: usize = 16;

impl CsrfState {
    /// A state from the caller's random bytes, base64url-encoded.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for fewer than 16 bytes (128 bits).
    pub fn from_random(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() < STATE_BYTES {
            return Err(Error::InvalidArgument {
                what: "a CSRF state needs at least 16 random bytes (128 bits)",
            });
        }
        Ok(Self(base64url(bytes)))
    }

    /// A state kept by the caller, such as one read back from a session cookie: at least 22
    /// characters (128 bits in base64url) of `A-Z a-z 0-9 - . _ ~`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a shorter state or another character.
    pub fn new(state: impl Into<String>) -> Result<Self, Error> {
        let state = state.into();
        let unreserved = state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if state.len() < 22 || !unreserved {
            return Err(Error::InvalidArgument {
                what: "a CSRF state needs at least 22 characters of A-Z a-z 0-9 - . _ ~",
            });
        }
        Ok(Self(state))
    }

    /// The state.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for CsrfState {
    /// In constant time for states of equal length (a state's length is no secret).
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

/// Whether two byte strings are equal, in a time that depends on their lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

crate::secret::secret_string!(
    /// The one-time code a callback carries, to exchange for tokens. `Debug` hides it.
    ///
    /// It is not `Clone`, and the code exchange takes it by value: a code works once, so
    /// exchanging it twice does not compile.
    ///
    /// ```compile_fail,E0382
    /// use spotify_web_core::auth::{AuthorizationCode, RedirectUri, UserClient};
    /// use spotify_web_core::auth::ClientId;
    /// use spotify_web_core::url::BaseUrl;
    ///
    /// let user = UserClient::pkce(ClientId::new("id"));
    /// let accounts = BaseUrl::spotify_accounts();
    /// let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
    /// let code = AuthorizationCode::new("from-the-callback");
    /// let first = user.code_exchange(&accounts, code, &redirect, None);
    /// let again = user.code_exchange(&accounts, code, &redirect, None); // moved
    /// ```
    AuthorizationCode
);

/// A code exchange on its way: the request to send, and what reads its answer. `Debug`
/// hides the code and the verifier, and so does every error [`finish`](Self::finish) gives.
#[derive(Debug)]
pub struct CodeExchange {
    pub(super) request: Request,
    pub(super) client: UserClient,
    pub(super) code: AuthorizationCode,
    pub(super) verifier: Option<PkceVerifier>,
}

impl CodeExchange {
    /// The request to send to the accounts service.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Reads the accounts service's answer: the user's tokens, or its refusal (such as
    /// `invalid_grant` for a code already used). No error's text holds the code, the
    /// verifier or the client secret, even if the server echoed the request.
    ///
    /// # Errors
    ///
    /// As [`AccessToken::from_response`].
    pub fn finish(self, response: &Response<'_>, now: Instant) -> Result<AccessToken, Error> {
        AccessToken::from_response(response, now).map_err(|error| {
            let mut error = error.redact(self.code.secret());
            if let Some(verifier) = &self.verifier {
                error = error.redact(verifier.secret());
            }
            match self.client.client_secret() {
                Some(secret) => redact_client(error, self.client.id().as_str(), secret.secret()),
                None => error,
            }
        })
    }
}

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
    pub fn new(client: &ClientId, redirect: &RedirectUri, state: &CsrfState) -> Self {
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
pub fn parse_callback(url: &str, expected: &CsrfState) -> Result<AuthorizationCode, Error> {
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
    let matches =
        state.is_some_and(|state| constant_time_eq(state.as_bytes(), expected.as_str().as_bytes()));
    if !matches {
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

impl core::error::Error for CallbackError {}

#[cfg(test)]
mod tests {
    use crate::encode::base64;
    use alloc::format;

    use super::*;

    /// A state for tests: the text given, made long enough (22 characters) with `~`.
    fn state(text: &str) -> CsrfState {
        CsrfState(format!(
            "{text}{}",
            "~".repeat(22usize.saturating_sub(text.len()))
        ))
    }

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
            "https://app.example:8443/cb?x=1",
            "http://[0:0:0:0:0:0:0:1]:9000/cb",
        ] {
            assert!(RedirectUri::new(ok).is_ok(), "{ok}");
        }
        // What a hostile configuration tried: each refusal names its rule.
        for (bad, rule) in [
            ("http://127.0.0.1:80@evil.example/cb", UrlError::Userinfo),
            ("http://[::1]@evil.example/cb", UrlError::Userinfo),
            ("https://user:pw@app.example/cb", UrlError::Userinfo),
            ("://x", UrlError::Malformed),
            ("hTtPs://@/cb", UrlError::Userinfo),
            ("https:///cb", UrlError::MissingHost),
            ("http://127.0.0.1:notaport/cb", UrlError::InvalidPort),
            ("http://127.0.0.1:0/cb", UrlError::InvalidPort),
            ("http://127.0.0.1:65536/cb", UrlError::InvalidPort),
            ("http://127.0.0.1:/cb", UrlError::InvalidPort),
            ("file:///etc/passwd", UrlError::NotHttp),
            ("javascript://%0aalert(1)", UrlError::NotHttp),
            ("myapp://callback", UrlError::NotHttp),
            ("https://a.test/cb#x", UrlError::Fragment),
            ("https://a.test/%zz", UrlError::Malformed),
            ("http://[::2]/cb", UrlError::InsecureRedirect),
            ("http://[::1/cb", UrlError::Malformed),
        ] {
            assert_eq!(
                RedirectUri::new(bad),
                Err(Error::InvalidUrl(rule.clone())),
                "{bad}"
            );
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
        let url = AuthorizeUrl::new(&ClientId::new("cid"), &redirect(), &state("s t"))
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
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback&state=s+t%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E%7E\
             &scope=brand-new-scope+user-read-email+user-read-private&show_dialog=true\
             &code_challenge_method=S256&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let plain = AuthorizeUrl::new(&ClientId::new("cid"), &redirect(), &state("s"))
            .build(&BaseUrl::spotify_accounts());
        assert!(
            !plain.contains("scope")
                && !plain.contains("code_challenge")
                && !plain.contains("show_dialog")
        );
    }

    #[test]
    fn callbacks_give_the_code_only_with_the_right_state() {
        let state = CsrfState::new("xyz-abcdefghijklmnopqrstuvwxyz").unwrap();
        let code = parse_callback(
            "http://127.0.0.1:8888/callback?code=AQ%2Bc&state=xyz-abcdefghijklmnopqrstuvwxyz",
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
            (
                "http://127.0.0.1/cb?state=xyz-abcdefghijklmnopqrstuvwxyz",
                CallbackError::MissingCode,
            ),
            (
                "http://127.0.0.1/cb?code=&state=xyz-abcdefghijklmnopqrstuvwxyz",
                CallbackError::MissingCode,
            ),
            (
                "http://127.0.0.1/cb?error=access_denied&state=xyz-abcdefghijklmnopqrstuvwxyz",
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
        let code = || AuthorizationCode::new("the-code");
        let confidential =
            UserClient::confidential(ClientId::new("id"), ClientSecret::new("secret"));
        let request = confidential
            .code_exchange(&accounts, code(), &redirect(), None)
            .unwrap()
            .request;
        assert_eq!(request.header("authorization"), Some("Basic aWQ6c2VjcmV0"));
        assert_eq!(
            request.body(),
            b"grant_type=authorization_code&code=the-code&redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcallback"
        );
        let pkce = UserClient::pkce(ClientId::new("id"));
        assert!(
            pkce.code_exchange(&accounts, code(), &redirect(), None)
                .is_err()
        );
        let verifier = PkceVerifier::new("v".repeat(43)).unwrap();
        let request = pkce
            .code_exchange(&accounts, code(), &redirect(), Some(&verifier))
            .unwrap()
            .request;
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
        let state = CsrfState::from_random(&[0xfb; 16]).unwrap();
        assert!(
            state
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(state.as_str().len(), 22);
    }

    #[test]
    fn a_code_exchange_never_shows_the_code_the_verifier_or_the_secret() {
        let accounts = BaseUrl::spotify_accounts();
        let verifier = PkceVerifier::new("v3rifier-".repeat(6)).unwrap();
        let client = UserClient::confidential(
            ClientId::new("client-id"),
            ClientSecret::new("s3cr3t-value"),
        );
        let basic = base64(b"client-id:s3cr3t-value");
        for status in [400, 500] {
            let exchange = client
                .code_exchange(
                    &accounts,
                    AuthorizationCode::new("AQ-the-code-1"),
                    &redirect(),
                    Some(&verifier),
                )
                .unwrap();
            // A server that echoes the request into its refusal.
            let echo = format!(
                r#"{{"error":"invalid_grant","error_description":"code=AQ-the-code-1 code_verifier={} {basic} client-id:s3cr3t-value"}}"#,
                verifier.secret()
            );
            let error = exchange
                .finish(&Response::new(status, echo.as_bytes()), Instant::ZERO)
                .unwrap_err();
            let shown = format!("{error} {error:?}");
            for secret in [
                "AQ-the-code-1",
                verifier.secret(),
                basic.as_str(),
                "s3cr3t-value",
            ] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
        }
    }

    #[test]
    fn a_state_carries_at_least_128_bits() {
        for short in [&[][..], &[1; 15][..]] {
            assert!(matches!(
                CsrfState::from_random(short),
                Err(Error::InvalidArgument { .. })
            ));
        }
        for bad in [
            "",
            "short",
            &"a".repeat(21),
            &format!("{}+", "a".repeat(22)),
        ] {
            assert!(CsrfState::new(bad).is_err(), "{bad:?}");
        }
        let state = CsrfState::from_random(&[3; 16]).unwrap();
        // An empty or bare state in the callback never matches.
        for url in [
            "http://127.0.0.1/cb?code=c&state=",
            "http://127.0.0.1/cb?code=c&state",
            "http://127.0.0.1/cb?code=c",
        ] {
            assert_eq!(
                parse_callback(url, &state).unwrap_err(),
                Error::Callback(CallbackError::StateMismatch),
                "{url}"
            );
        }
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert_eq!(state, CsrfState::new(state.as_str()).unwrap());
    }
}
