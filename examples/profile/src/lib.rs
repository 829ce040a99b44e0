//! The profile web app: "Log in with Spotify", then a page with the user's profile and top
//! artists, for many users at once.
//!
//! - Sign-in is the authorization code flow with PKCE. The CSRF state travels in an
//!   `HttpOnly`, `SameSite=Lax` cookie and must come back unchanged with the code; the PKCE
//!   verifier stays on the server, keyed by the state, for ten minutes at most.
//! - Each signed-in browser gets a random session ID (an `HttpOnly`, `SameSite=Lax` cookie),
//!   and its own tokens, kept under that ID: in memory, or in Redis when the app is given a
//!   Redis URL. With Redis, any number of instances serve the same users: a token is renewed
//!   by one instance at a time, and a 429 that one instance gets holds every instance until
//!   its `Retry-After` is over (`spotify-web-redis`).
//! - Nothing secret is ever put in a page or a log line.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use spotify_web_hyper::auth::{
    AuthorizeUrl, ClientId, CsrfState, PkceVerifier, RedirectUri, Scope, UserClient, parse_callback,
};
use spotify_web_hyper::driver::{AsyncTransport, Limits, Settings as TransportSettings};
use spotify_web_hyper::endpoint::{GetCurrentUser, GetUsersTopArtists};
use spotify_web_hyper::session::Config;
use spotify_web_hyper::store::StoredToken;
use spotify_web_hyper::url::BaseUrl;
use spotify_web_hyper::{AsyncTokenStore, BoxFuture, Client, Hyper, StoreError, random};
use spotify_web_redis::{AsyncRedisRateLimitGate, AsyncRedisTokenStore};
// Text safe in HTML, in an element or a quoted attribute (`&`, `<`, `>`, `"`, `'`).
use html_escape::encode_quoted_attribute as escape;
use tokio::net::TcpListener;

/// The cookie that carries the CSRF state from `/login` to `/callback`.
const STATE_COOKIE: &str = "spotify_auth_state";
/// The cookie that names a signed-in browser's session.
const SESSION_COOKIE: &str = "sid";
/// How long a signed-in browser stays signed in without a visit: its cookie's age, and how
/// long Redis keeps its unused tokens.
const SESSION_IDLE: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long a sign-in may take, from `/login` to `/callback`.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(600);
/// What the app asks the user for.
const SCOPES: [Scope; 3] = [
    Scope::UserReadPrivate,
    Scope::UserReadEmail,
    Scope::UserTopRead,
];

/// What the app needs to run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The Spotify app's client ID (a PKCE app: no secret).
    pub client_id: String,
    /// The accounts service's base URL (`https://accounts.spotify.com`, or an emulator's).
    pub accounts_url: String,
    /// The Web API's base URL (`https://api.spotify.com/v1`, or an emulator's).
    pub api_url: String,
    /// Where the app is reached, such as `http://127.0.0.1:8888`: its `/callback` must be a
    /// redirect URI registered for the Spotify app.
    pub public_url: String,
    /// A Redis URL (`redis://127.0.0.1/`), to share users and the rate limit with other
    /// instances; `None` keeps tokens in this process's memory.
    pub redis_url: Option<String>,
    /// The prefix of every Redis key of this app.
    pub redis_prefix: String,
}

/// Where the tokens and the pending sign-ins live.
enum Backend {
    Memory {
        tokens: Arc<Mutex<HashMap<String, StoredToken>>>,
        logins: Mutex<HashMap<String, (String, Instant)>>,
    },
    Redis {
        connection: redis::aio::ConnectionManager,
        prefix: String,
    },
}

/// One browser session's tokens, in memory.
struct MemoryTokens {
    tokens: Arc<Mutex<HashMap<String, StoredToken>>>,
    session: String,
}

impl AsyncTokenStore for MemoryTokens {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        let token = lock(&self.tokens).get(&self.session).cloned();
        Box::pin(std::future::ready(Ok(token)))
    }

    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), StoreError>> {
        lock(&self.tokens).insert(self.session.clone(), token.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The app: its settings, its HTTP client's connection pool, where tokens live.
pub struct App {
    settings: Settings,
    user: UserClient,
    redirect: RedirectUri,
    config: Config,
    transport: Hyper,
    backend: Backend,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("public_url", &self.settings.public_url)
            .field("redis", &self.settings.redis_url.is_some())
            .finish_non_exhaustive()
    }
}

/// What can stop the app from starting.
pub type StartError = Box<dyn std::error::Error + Send + Sync>;

impl App {
    /// The app, connected to Redis if its settings name one.
    ///
    /// # Errors
    ///
    /// If a URL is not one, or Redis cannot be reached.
    pub async fn new(settings: Settings) -> Result<Self, StartError> {
        let redirect = RedirectUri::new(&format!("{}/callback", settings.public_url))?;
        let config = Config::default()
            .with_accounts_url(BaseUrl::new(&settings.accounts_url)?)
            .with_api_url(BaseUrl::new(&settings.api_url)?);
        let transport = Hyper::with_settings(&TransportSettings::new(
            Duration::from_secs(10),
            Limits::new(
                Duration::from_secs(30),
                spotify_web_hyper::DEFAULT_MAX_BODY_SIZE,
            ),
        ))
        .map_err(|failure| format!("cannot make the HTTP client: {:?}", failure.kind()))?;
        let backend = match &settings.redis_url {
            Some(url) => Backend::Redis {
                connection: redis::aio::ConnectionManager::new(redis::Client::open(url.as_str())?)
                    .await?,
                prefix: settings.redis_prefix.clone(),
            },
            None => Backend::Memory {
                tokens: Arc::default(),
                logins: Mutex::default(),
            },
        };
        Ok(Self {
            user: UserClient::pkce(ClientId::new(settings.client_id.clone())),
            settings,
            redirect,
            config,
            transport,
            backend,
        })
    }

    /// Serves the app on `listener` until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let app = Arc::clone(&self);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let app = Arc::clone(&app);
                    async move { Ok::<_, Infallible>(app.handle(request).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let path = request.uri().path().to_owned();
        let answer = match (request.method(), path.as_str()) {
            (&Method::GET, "/") => self.home(&request).await,
            (&Method::GET, "/login") => self.login().await,
            (&Method::GET, "/callback") => self.callback(&request).await,
            (&Method::POST, "/logout") => self.logout(&request).await,
            (&Method::GET, "/healthz") => Ok(self.health().await),
            _ => Ok(page(
                StatusCode::NOT_FOUND,
                "Not found",
                "<p>No such page.</p>",
            )),
        };
        answer.unwrap_or_else(|message| {
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                &format!(
                    "<p id=\"error\">{}</p><p><a href=\"/\">Back</a></p>",
                    escape(&message)
                ),
            )
        })
    }

    /// The profile of a signed-in browser, or the page that signs one in.
    async fn home(&self, request: &Request<Incoming>) -> Result<Response<Full<Bytes>>, String> {
        let Some(session) = cookie(request, SESSION_COOKIE) else {
            return Ok(landing(None));
        };
        let mut builder =
            Client::user_builder_async_store(self.user.clone(), self.tokens(&session))
                .config(self.config.clone())
                .transport(self.transport.clone());
        if let Some(gate) = self.gate() {
            builder = builder.rate_limit_gate(gate);
        }
        let client = builder.build_async().await;
        let client = match client {
            Ok(client) => client,
            Err(error) if error.needs_sign_in() => return Ok(landing(None)),
            Err(error) => return Err(error.to_string()),
        };
        let me = match client.send(GetCurrentUser::new()).await {
            Ok(me) => me,
            Err(error) if error.needs_sign_in() => {
                self.forget(&session).await;
                return Ok(landing(Some("Your Spotify session ended: log in again.")));
            }
            Err(error) => return Err(error.to_string()),
        };
        let granted = self.granted(&session).await;
        let top = if granted.split(' ').any(|s| s == Scope::UserTopRead.as_str()) {
            Some(
                client
                    .send(GetUsersTopArtists::new().limit(5))
                    .await
                    .map_err(|e| e.to_string())?,
            )
        } else {
            None
        };
        let name = me.display_name.clone().unwrap_or_else(|| me.id.clone());
        let mut body = String::new();
        let _ = write!(body, "<h1 id=\"name\">{}</h1>", escape(&name));
        if let Some(avatar) = me.images.first() {
            let _ = write!(
                body,
                "<img id=\"avatar\" src=\"{}\" alt=\"\" width=\"120\" height=\"120\">",
                escape(&avatar.url)
            );
        }
        body.push_str("<dl>");
        let mut field = |label: &str, id: &str, value: Option<String>| {
            if let Some(value) = value {
                let _ = write!(
                    body,
                    "<dt>{label}</dt><dd id=\"{id}\">{}</dd>",
                    escape(&value)
                );
            }
        };
        field("Country", "country", me.country.clone());
        field("Plan", "product", me.product.clone());
        field(
            "Followers",
            "followers",
            me.followers
                .as_ref()
                .and_then(|f| f.total)
                .map(|t| t.to_string()),
        );
        body.push_str("</dl>");
        if let Some(top) = top {
            body.push_str("<h2>Top artists</h2><ol id=\"top-artists\">");
            for artist in &top.items {
                let _ = write!(body, "<li>{}</li>", escape(&artist.name));
            }
            body.push_str("</ol>");
        }
        body.push_str(
            "<form method=\"post\" action=\"/logout\"><button id=\"logout\" type=\"submit\">Log out</button></form>",
        );
        Ok(page(StatusCode::OK, &name, &body))
    }

    /// Starts a sign-in: a fresh state and verifier, the state in a cookie, the verifier kept
    /// here, and off to Spotify.
    async fn login(&self) -> Result<Response<Full<Bytes>>, String> {
        let state = random::csrf_state().map_err(|e| e.to_string())?;
        let verifier = random::pkce_verifier().map_err(|e| e.to_string())?;
        self.keep_login(state.as_str(), verifier.secret()).await?;
        let accounts = BaseUrl::new(&self.settings.accounts_url).map_err(|e| e.to_string())?;
        let url = AuthorizeUrl::new(self.user.id(), &self.redirect, &state)
            .scopes(SCOPES)
            .pkce(&verifier)
            .build(&accounts);
        let mut response = redirect(&url);
        set_cookie(
            &mut response,
            &format!(
                "{STATE_COOKIE}={}; Max-Age=600; {}",
                state.as_str(),
                self.cookie_flags()
            ),
        );
        Ok(response)
    }

    /// Ends a sign-in: the state must match the cookie's, the code is exchanged (once) for
    /// tokens kept under a new session ID.
    async fn callback(&self, request: &Request<Incoming>) -> Result<Response<Full<Bytes>>, String> {
        let Some(expected) = cookie(request, STATE_COOKIE) else {
            return Ok(landing(Some("That sign-in had expired: log in again.")));
        };
        let expected = CsrfState::new(expected).map_err(|e| e.to_string())?;
        let url = format!(
            "{}{}",
            self.settings.public_url,
            request.uri().path_and_query().map_or("/", |p| p.as_str())
        );
        let code = match parse_callback(&url, &expected) {
            Ok(code) => code,
            Err(error) => return Ok(landing(Some(&format!("Sign-in failed: {error}")))),
        };
        let Some(verifier) = self.take_login(expected.as_str()).await? else {
            return Ok(landing(Some("That sign-in had expired: log in again.")));
        };
        let verifier = PkceVerifier::new(verifier).map_err(|e| e.to_string())?;
        let session = random::csrf_state().map_err(|e| e.to_string())?;
        Client::user_builder_async_store(self.user.clone(), self.tokens(session.as_str()))
            .config(self.config.clone())
            .transport(self.transport.clone())
            .login(code, &self.redirect, Some(&verifier))
            .await
            .map_err(|e| e.to_string())?;
        let mut response = redirect("/");
        set_cookie(
            &mut response,
            &format!(
                "{SESSION_COOKIE}={}; Max-Age={}; {}",
                session.as_str(),
                SESSION_IDLE.as_secs(),
                self.cookie_flags()
            ),
        );
        set_cookie(
            &mut response,
            &format!("{STATE_COOKIE}=; Max-Age=0; {}", self.cookie_flags()),
        );
        Ok(response)
    }

    /// Signs a browser out: its tokens are forgotten, its cookie cleared.
    async fn logout(&self, request: &Request<Incoming>) -> Result<Response<Full<Bytes>>, String> {
        if let Some(session) = cookie(request, SESSION_COOKIE) {
            self.forget(&session).await;
        }
        let mut response = redirect("/");
        set_cookie(
            &mut response,
            &format!("{SESSION_COOKIE}=; Max-Age=0; {}", self.cookie_flags()),
        );
        Ok(response)
    }

    /// `200 ok` when the app can serve (its Redis answers), `503` otherwise: for a load
    /// balancer's health check.
    async fn health(&self) -> Response<Full<Bytes>> {
        let healthy = match &self.backend {
            Backend::Memory { .. } => true,
            Backend::Redis { connection, .. } => redis::cmd("PING")
                .query_async::<String>(&mut connection.clone())
                .await
                .is_ok(),
        };
        let (status, text) = if healthy {
            (StatusCode::OK, "ok")
        } else {
            (StatusCode::SERVICE_UNAVAILABLE, "redis unreachable")
        };
        let mut response = Response::new(Full::new(Bytes::from(text)));
        *response.status_mut() = status;
        response
    }

    /// `HttpOnly` and `SameSite=Lax` always, `Secure` when the app is served over HTTPS.
    fn cookie_flags(&self) -> &'static str {
        if self.settings.public_url.starts_with("https://") {
            "Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "Path=/; HttpOnly; SameSite=Lax"
        }
    }

    /// The tokens of one browser session.
    fn tokens(&self, session: &str) -> SessionTokens {
        match &self.backend {
            Backend::Memory { tokens, .. } => SessionTokens::Memory(MemoryTokens {
                tokens: Arc::clone(tokens),
                session: session.to_owned(),
            }),
            Backend::Redis { connection, prefix } => SessionTokens::Redis(
                AsyncRedisTokenStore::new(connection.clone(), prefix, session)
                    .forget_after_idle(SESSION_IDLE),
            ),
        }
    }

    /// The rate-limit gate every instance shares, with Redis.
    fn gate(&self) -> Option<AsyncRedisRateLimitGate> {
        match &self.backend {
            Backend::Redis { connection, prefix } => {
                Some(AsyncRedisRateLimitGate::new(connection.clone(), prefix))
            }
            Backend::Memory { .. } => None,
        }
    }

    /// The scopes the user granted, as the stored token says.
    async fn granted(&self, session: &str) -> String {
        match AsyncTokenStore::load(&self.tokens(session)).await {
            Ok(Some(token)) => token.scope,
            _ => String::new(),
        }
    }

    async fn forget(&self, session: &str) {
        match &self.backend {
            Backend::Memory { tokens, .. } => {
                lock(tokens).remove(session);
            }
            Backend::Redis { connection, prefix } => {
                let _ = AsyncRedisTokenStore::new(connection.clone(), prefix, session)
                    .forget()
                    .await;
            }
        }
    }

    async fn keep_login(&self, state: &str, verifier: &str) -> Result<(), String> {
        match &self.backend {
            Backend::Memory { logins, .. } => {
                let mut logins = lock(logins);
                logins.retain(|_, (_, started)| started.elapsed() < LOGIN_TIMEOUT);
                logins.insert(state.to_owned(), (verifier.to_owned(), Instant::now()));
                Ok(())
            }
            Backend::Redis { connection, prefix } => redis::cmd("SET")
                .arg(format!("{prefix}:login:{state}"))
                .arg(verifier)
                .arg("EX")
                .arg(LOGIN_TIMEOUT.as_secs())
                .query_async::<()>(&mut connection.clone())
                .await
                .map_err(|e| e.to_string()),
        }
    }

    async fn take_login(&self, state: &str) -> Result<Option<String>, String> {
        match &self.backend {
            Backend::Memory { logins, .. } => Ok(lock(logins)
                .remove(state)
                .filter(|(_, started)| started.elapsed() < LOGIN_TIMEOUT)
                .map(|(verifier, _)| verifier)),
            Backend::Redis { connection, prefix } => redis::cmd("GETDEL")
                .arg(format!("{prefix}:login:{state}"))
                .query_async(&mut connection.clone())
                .await
                .map_err(|e| e.to_string()),
        }
    }
}

/// One browser session's tokens, wherever the app keeps them.
enum SessionTokens {
    Memory(MemoryTokens),
    Redis(AsyncRedisTokenStore),
}

impl AsyncTokenStore for SessionTokens {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        match self {
            Self::Memory(store) => store.load(),
            Self::Redis(store) => AsyncTokenStore::load(store),
        }
    }

    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), StoreError>> {
        match self {
            Self::Memory(store) => store.save(token),
            Self::Redis(store) => store.save(token),
        }
    }

    fn begin_renewal(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        match self {
            Self::Memory(store) => store.begin_renewal(),
            Self::Redis(store) => store.begin_renewal(),
        }
    }

    fn end_renewal(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        match self {
            Self::Memory(store) => store.end_renewal(),
            Self::Redis(store) => store.end_renewal(),
        }
    }
}

/// Listens on `address` and serves the app there; returns where it listens.
///
/// # Errors
///
/// If the address cannot be bound.
pub async fn start(app: App, address: SocketAddr) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(address).await?;
    let local = listener.local_addr()?;
    tokio::spawn(Arc::new(app).serve(listener));
    Ok(local)
}

/// The page for a browser that is not signed in.
fn landing(message: Option<&str>) -> Response<Full<Bytes>> {
    let mut body = String::from("<h1>Your Spotify profile</h1>");
    if let Some(message) = message {
        let _ = write!(body, "<p id=\"message\">{}</p>", escape(message));
    }
    body.push_str("<p><a id=\"login\" href=\"/login\">Log in with Spotify</a></p>");
    page(StatusCode::OK, "Your Spotify profile", &body)
}

fn page(status: StatusCode, title: &str, body: &str) -> Response<Full<Bytes>> {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body>{body}</body></html>",
        escape(title)
    );
    let mut response = Response::new(Full::new(Bytes::from(html)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn redirect(location: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn set_cookie(response: &mut Response<Full<Bytes>>, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The value of a cookie the request carries.
fn cookie(request: &Request<Incoming>, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}
