//! An async Spotify Web API client over the application's own `reqwest::Client`.
//!
//! This crate only moves bytes: [`Reqwest`] implements the driver's [`AsyncTransport`] on a
//! `reqwest::Client`, with one deadline for each whole exchange and a cap on the size of
//! answers. The client, its builder, its errors, sign-in and paging are
//! [`spotify_web_driver`]'s, the same for every transport; requests, answers, tokens and the
//! retry policy are the core's. Both are re-exported here.
//!
//! Most applications already own a configured `reqwest::Client` (proxies, TLS roots,
//! middleware): hand it over with [`Reqwest::from_client`]. Build it with
//! `redirect(reqwest::redirect::Policy::none())`: Spotify's API does not redirect, and a
//! client that follows redirects turns a redirect into another host's answer (reqwest drops
//! the `authorization` header when the host changes, so the token is not sent). Without one,
//! the transport makes a client with rustls and the `ring` provider, the web's root
//! certificates (or the ones given to `Builder::root_certificate`), no redirects, and ALPN
//! offering HTTP/2 and HTTP/1.1: against an HTTP/2 server, concurrent calls share one
//! connection.
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use spotify_web_reqwest::{Client, Reqwest};
//! use spotify_web_reqwest::auth::ClientCredentials;
//! use spotify_web_reqwest::endpoint::GetArtist;
//!
//! let http = reqwest::Client::builder()
//!     .redirect(reqwest::redirect::Policy::none())
//!     // .proxy(reqwest::Proxy::all("http://proxy.example:3128")?)
//!     .tls_backend_preconfigured(spotify_web_reqwest::rustls_config())
//!     .build()?;
//! let client = Client::builder(ClientCredentials::new(emulator.client_id(), emulator.client_secret()))
//!     .base_urls(emulator.accounts_url(), emulator.api_url())?
//!     .transport(Reqwest::from_client(http))
//!     .build()?;
//! assert_eq!(client.send(GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?)).await?.name, "Radiohead");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```

use std::sync::Arc;
use std::time::Duration;

use spotify_web_driver::deadline::Deadlines;
use spotify_web_driver::{
    AsyncTransport, Bytes, Failure, FailureKind, Limits, Settings, find_in_chain, rustls_roots,
};

spotify_web_driver::transport_surface!(nonblocking, Reqwest, "reqwest");

/// Moves the client's bytes over a `reqwest::Client`.
#[derive(Debug, Clone)]
pub struct Reqwest {
    client: reqwest::Client,
    /// One timer for the exchanges that start together, shared by the clones.
    deadlines: Arc<Deadlines>,
}

impl Reqwest {
    /// A transport over a client the application configured.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            deadlines: Arc::new(Deadlines::new()),
        }
    }

    /// The reqwest client.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// The TLS set-up the transport's own client uses: rustls with the `ring` provider, the
/// web's root certificates, and ALPN offering HTTP/2 and HTTP/1.1 (a preconfigured TLS
/// backend is used as given by reqwest), for a
/// `reqwest::ClientBuilder::tls_backend_preconfigured` of the application's.
pub fn rustls_config() -> rustls::ClientConfig {
    config_with(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
}

fn config_with(roots: rustls::RootCertStore) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
        .unwrap_or_else(|_| {
            // The ring provider supports the default versions: this is never reached.
            rustls::ClientConfig::builder_with_protocol_versions(&[&rustls::version::TLS13])
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth()
        });
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    config
}

impl AsyncTransport for Reqwest {
    fn with_settings(settings: &Settings) -> Result<Self, Failure> {
        let config = config_with(rustls_roots(settings)?);
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .tls_backend_preconfigured(config)
            .build()
            .map(Self::from_client)
            .map_err(|e| Failure::new(FailureKind::Tls, e))
    }

    // Not an `async fn`: one would keep the request in its future for as long as the
    // exchange runs, beside the copy the exchange holds.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Failure>> + Send {
        // Handed to reqwest at once (its future is boxed): the request is not carried along
        // in this one.
        let pending = to_reqwest(request).map(|request| self.client.execute(request));
        // From connecting to the last byte of the body.
        self.deadlines.within(limits.timeout, async move {
            let response = pending?.await.map_err(classify)?;
            read(response, limits).await
        })
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// The request as reqwest's own. reqwest's `TryFrom` formats the whole URI into a new string
/// (through the formatting machinery) before parsing it as a URL; here the URI's parts are
/// copied into one string of the right size. An empty body is none: nothing to send.
fn to_reqwest(request: http::Request<Vec<u8>>) -> Result<reqwest::Request, Failure> {
    let (parts, body) = request.into_parts();
    let uri = &parts.uri;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(Failure::new(
            FailureKind::Other,
            format!("the request's URI {uri} has no scheme or host"),
        ));
    };
    let path = uri.path_and_query().map_or("/", |path| path.as_str());
    let authority = authority.as_str();
    let mut text = String::with_capacity(scheme.len() + 3 + authority.len() + path.len());
    for piece in [scheme, "://", authority, path] {
        text.push_str(piece);
    }
    let url = reqwest::Url::parse(&text).map_err(|e| Failure::new(FailureKind::Other, e))?;
    let mut out = reqwest::Request::new(parts.method, url);
    *out.headers_mut() = parts.headers;
    *out.version_mut() = parts.version;
    if !body.is_empty() {
        *out.body_mut() = Some(body.into());
    }
    Ok(out)
}

/// The whole answer, up to the size cap. One chunk (the usual answer) is handed over as reqwest
/// read it, without a copy; the chunks of a longer one are joined once.
async fn read(
    mut response: reqwest::Response,
    limits: Limits,
) -> Result<http::Response<Bytes>, Failure> {
    let mut first = Bytes::new();
    let mut joined: Option<Vec<u8>> = None;
    let mut length = 0;
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        length += chunk.len();
        if length > limits.max_body_size {
            return Err(Failure::new(
                FailureKind::TooLarge,
                format!("the answer's body is over {} bytes", limits.max_body_size),
            ));
        }
        match &mut joined {
            Some(body) => body.extend_from_slice(&chunk),
            None if first.is_empty() => first = chunk,
            None => {
                let mut body = Vec::with_capacity(length);
                body.extend_from_slice(&first);
                body.extend_from_slice(&chunk);
                joined = Some(body);
            }
        }
    }
    let mut answer = http::Response::new(joined.map_or(first, Bytes::from));
    *answer.status_mut() = response.status();
    *answer.version_mut() = response.version();
    *answer.headers_mut() = std::mem::take(response.headers_mut());
    Ok(answer)
}

/// Sorts reqwest's errors into the driver's kinds.
fn classify(error: reqwest::Error) -> Failure {
    let kind = if find_in_chain::<rustls::Error>(&error).is_some() {
        FailureKind::Tls
    } else if error.is_timeout() {
        FailureKind::Timeout
    } else if error.is_connect() {
        FailureKind::Connect
    } else if head_too_large(&error) {
        FailureKind::HeaderTooLarge
    } else {
        FailureKind::Interrupted
    };
    Failure::new(kind, error)
}

/// Whether hyper, under reqwest, refused the answer's head as too large.
fn head_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.to_string().contains("message head is too large") {
            return true;
        }
        current = error.source();
    }
    false
}
