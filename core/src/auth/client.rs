//! Who the app is: its client ID and secret, for its own token or for a user's.

use alloc::format;
use alloc::string::String;

use super::*;
use crate::encode::{FormBuilder, base64};
use crate::error::Error;
use crate::message::{Method, Request};
use crate::url::BaseUrl;

/// An app's client ID, from the Spotify developer dashboard. Not a secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The client ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::secret::secret_string!(
    /// An app's client secret. `Debug` prints `ClientSecret(<redacted>)`; there is no
    /// `Display`.
    ClientSecret,
    Clone
);

/// Where the token request carries the client ID and secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `Authorization: Basic base64(id:secret)`, which Spotify documents as required.
    #[default]
    Basic,
    /// `client_id=…&client_secret=…` in the form body, as Spotify's "Getting started"
    /// tutorial does.
    RequestBody,
}

/// An app's client ID and secret, for the client-credentials flow.
///
/// ```
/// use spotify_web_core::auth::ClientCredentials;
///
/// let credentials = ClientCredentials::new("my-id", "my-secret");
/// assert!(!format!("{credentials:?}").contains("my-secret"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    id: ClientId,
    secret: ClientSecret,
    auth: ClientAuth,
}

impl ClientCredentials {
    /// Credentials sent as HTTP Basic (see [`client_auth`](Self::client_auth)).
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: ClientId::new(id),
            secret: ClientSecret::new(secret),
            auth: ClientAuth::Basic,
        }
    }

    /// Chooses where the token request carries the credentials.
    #[must_use]
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// The client ID.
    pub fn id(&self) -> &ClientId {
        &self.id
    }

    /// The client secret.
    pub fn secret(&self) -> &ClientSecret {
        &self.secret
    }

    /// The client-credentials token request: `POST {accounts}/api/token` with the form body
    /// `grant_type=client_credentials`.
    ///
    /// ```
    /// use spotify_web_core::auth::{ClientAuth, ClientCredentials};
    /// use spotify_web_core::url::BaseUrl;
    ///
    /// let credentials = ClientCredentials::new("id", "secret").client_auth(ClientAuth::RequestBody);
    /// let request = credentials.token_request(&BaseUrl::spotify_accounts());
    /// assert_eq!(request.url(), "https://accounts.spotify.com/api/token");
    /// assert_eq!(
    ///     request.body(),
    ///     b"grant_type=client_credentials&client_id=id&client_secret=secret"
    /// );
    /// ```
    pub fn token_request(&self, accounts: &BaseUrl) -> Request {
        let form = FormBuilder::default().pair("grant_type", "client_credentials");
        self.authenticate(token_request(accounts), form)
    }

    /// Adds the client's credentials to a token request, in the header or in the form.
    pub(crate) fn authenticate(&self, request: Request, form: FormBuilder) -> Request {
        match self.auth {
            ClientAuth::Basic => {
                let pair = format!("{}:{}", self.id.as_str(), self.secret.secret());
                request
                    .with_header(
                        "authorization",
                        format!("Basic {}", base64(pair.as_bytes())),
                    )
                    .with_body(FORM, form.finish().into_bytes())
            }
            ClientAuth::RequestBody => {
                let form = form
                    .pair("client_id", self.id.as_str())
                    .pair("client_secret", self.secret.secret());
                request.with_body(FORM, form.finish().into_bytes())
            }
        }
    }
}

pub(super) const FORM: &str = "application/x-www-form-urlencoded";

/// `POST {accounts}/api/token`, without a body yet.
pub(crate) fn token_request(accounts: &BaseUrl) -> Request {
    Request::new(Method::Post, accounts.join(format_args!("/api/token")))
        .with_header("accept", "application/json".into())
}

/// An app acting for a user: its client ID, and its secret unless it uses PKCE (an app that
/// cannot keep a secret, such as a CLI or a mobile app).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserClient {
    id: ClientId,
    secret: Option<ClientSecret>,
}

impl UserClient {
    /// The client secret, for an app that has one.
    pub(crate) fn client_secret(&self) -> Option<&ClientSecret> {
        self.secret.as_ref()
    }

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
    /// It takes the code by value: a code works once. Send [`CodeExchange::request`], then read
    /// the answer with [`CodeExchange::finish`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if a PKCE app gives no verifier.
    pub fn code_exchange(
        &self,
        accounts: &BaseUrl,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<CodeExchange, Error> {
        let form = FormBuilder::default()
            .pair("grant_type", "authorization_code")
            .pair("code", code.secret())
            .pair("redirect_uri", redirect.as_str());
        let request = match (&self.secret, verifier) {
            (None, None) => {
                return Err(Error::InvalidArgument {
                    what: "a PKCE app must send the code verifier it made the challenge from",
                });
            }
            (_, Some(verifier)) => {
                self.authenticate(accounts, form.pair("code_verifier", verifier.secret()))
            }
            (Some(_), None) => self.authenticate(accounts, form),
        };
        Ok(CodeExchange {
            request,
            client: self.clone(),
            code,
            verifier: verifier.cloned(),
        })
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
