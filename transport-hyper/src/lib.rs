//! An async Spotify Web API client: [`spotify_web_core`]'s session driven over hyper and
//! tokio.
//!
//! This crate only moves bytes: [`Hyper`] implements the driver's [`AsyncTransport`] with
//! hyper-util's connection pool, one deadline for each whole exchange, a cap on the size of
//! answers, no redirects, rustls with the `ring` provider, and tokio's timer. Over TLS it
//! offers HTTP/2 and HTTP/1.1 through ALPN and speaks what the server picks: against an HTTP/2
//! server, concurrent calls share one connection. Plain `http://` (an emulator) is HTTP/1.1. The client, its
//! builder, its errors, sign-in and paging are [`spotify_web_driver`]'s, the same for every
//! transport; requests, answers, tokens and the retry policy are the core's. Both are
//! re-exported here, so this crate is the only one to depend on.
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # let (accounts, api) = (emulator.accounts_url().to_owned(), emulator.api_url());
//! # let (id, secret) = (emulator.client_id(), emulator.client_secret());
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use spotify_web_hyper::Client;
//! use spotify_web_hyper::auth::ClientCredentials;
//! use spotify_web_hyper::endpoint::GetArtist;
//!
//! let credentials = ClientCredentials::new(id, secret);
//! // `Client::new(credentials)` talks to Spotify; here, to a local emulator.
//! let client = Client::with_base_urls(credentials, &accounts, &api)?;
//! let artist = client.send(GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?)).await?;
//! assert_eq!(artist.name, "Radiohead");
//! # Ok::<(), spotify_web_hyper::Error>(())
//! # }).unwrap();
//! ```
//!
//! # Your own connector
//!
//! An application with its own connector (its own TLS roots or settings, a proxy tunnel)
//! builds the pooled client over it and hands it over with [`Hyper::from_client`]; the client
//! still follows no redirect and applies its own deadline and body cap to every exchange:
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use hyper_util::client::legacy::Client as Pool;
//! use spotify_web_hyper::{Client, Hyper};
//! use spotify_web_hyper::auth::ClientCredentials;
//! use spotify_web_hyper::endpoint::GetArtist;
//!
//! let https = hyper_rustls::HttpsConnectorBuilder::new()
//!     // or .with_tls_config(your_rustls_config), with the roots of your choice
//!     .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())?
//!     .https_or_http()
//!     .enable_http1()
//!     .build();
//! let pool = Pool::builder(hyper_util::rt::TokioExecutor::new()).build(https);
//! let client = Client::builder(ClientCredentials::new(emulator.client_id(), emulator.client_secret()))
//!     .base_urls(emulator.accounts_url(), emulator.api_url())?
//!     .transport(Hyper::from_client(pool))
//!     .build()?;
//! assert_eq!(client.send(GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?)).await?.name, "Radiohead");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! A proxy is a connector of its own wrapping the HTTPS one (such as hyper-util's `Tunnel`,
//! or `hyper-http-proxy`): a client over it is a `driver::nonblocking::Client<Hyper<C>>`, and
//! its connector implements [`NewConnector`] (by refusing, if it is only ever handed over).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::http;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as Pool;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;
use spotify_web_driver::deadline::Deadlines;
use spotify_web_driver::{
    AsyncTransport, Failure, FailureKind, Limits, Settings, find_in_chain, rustls_roots,
};

spotify_web_driver::transport_surface!(nonblocking, Hyper, "hyper");

/// The driver, for clients over another connector.
pub use spotify_web_driver as driver;

/// Moves the client's bytes over hyper-util's pooled client, on tokio.
#[derive(Debug, Clone)]
pub struct Hyper<C = HttpsConnector<HttpConnector>> {
    pool: Pool<C, Full<Bytes>>,
    /// One timer for the exchanges that start together, shared by the clones.
    deadlines: std::sync::Arc<Deadlines>,
}

impl<C> Hyper<C> {
    /// A transport over a pooled client the application built (over its own connector).
    pub fn from_client(pool: Pool<C, Full<Bytes>>) -> Self {
        Self {
            pool,
            deadlines: std::sync::Arc::new(Deadlines::new()),
        }
    }
}

/// A connector the transport can make by itself, for a client built without one. A custom
/// connector that is only ever given with [`Hyper::from_client`] implements it by refusing.
pub trait NewConnector: Sized {
    /// The connector, with these settings (the limit on connecting, TLS included, and the
    /// roots to trust).
    ///
    /// # Errors
    ///
    /// If it cannot be made (a TLS provider that fails to load, a root that is no certificate).
    fn new_connector(settings: &Settings) -> Result<Self, Failure>;
}

impl NewConnector for HttpsConnector<HttpConnector> {
    /// HTTPS (or plain HTTP, for an emulator) over rustls with the `ring` provider and the
    /// web's root certificates (or the ones given), HTTP/2 or HTTP/1.1 as ALPN decides.
    fn new_connector(settings: &Settings) -> Result<Self, Failure> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let tls = |e| Failure::new(FailureKind::Tls, e);
        let roots = rustls_roots(settings)?;
        let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(tls)?
        .with_root_certificates(roots)
        .with_no_client_auth();
        Ok(hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_all_versions()
            .wrap_connector(http))
    }
}

/// Sends one request and reads its whole answer, up to the size cap, within the deadline.
///
/// Not an `async fn`: one would keep its arguments (the request among them) in its future for
/// as long as the exchange runs, beside the copy the exchange holds.
fn send<'a, C>(
    pool: &'a Pool<C, Full<Bytes>>,
    deadlines: &'a Deadlines,
    request: http::Request<Vec<u8>>,
    limits: Limits,
) -> impl Future<Output = Result<http::Response<Bytes>, Failure>> + Send + 'a
where
    C: Connect + Clone + Send + Sync + 'static,
{
    // Handed to the pool at once (its future is boxed): the request is not carried along in
    // the exchange's future.
    let response = pool.request(request.map(|body| Full::new(Bytes::from(body))));
    let exchange = async move {
        let response = response.await.map_err(classify)?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, limits.max_body_size)
            .collect()
            .await
            .map_err(|error| {
                let kind = if error.is::<LengthLimitError>() {
                    FailureKind::TooLarge
                } else {
                    FailureKind::Interrupted
                };
                Failure::new(kind, error)
            })?;
        // One frame (the usual answer) is handed over as hyper read it, without a copy.
        Ok(http::Response::from_parts(parts, body.to_bytes()))
    };
    deadlines.within(limits.timeout, exchange)
}

/// Sorts the pooled client's errors into the driver's kinds.
fn classify(error: hyper_util::client::legacy::Error) -> Failure {
    let kind = if find_in_chain::<rustls::Error>(&error).is_some() {
        FailureKind::Tls
    } else if error.is_connect() {
        FailureKind::Connect
    } else if find_in_chain::<hyper::Error>(&error).is_some_and(head_too_large) {
        FailureKind::HeaderTooLarge
    } else {
        FailureKind::Interrupted
    };
    Failure::new(kind, error)
}

/// Whether hyper refused the answer's head as too large (`is_parse_too_large` is only built
/// with hyper's server side).
fn head_too_large(error: &hyper::Error) -> bool {
    error.is_parse() && error.to_string().contains("too large")
}

impl<C> AsyncTransport for Hyper<C>
where
    C: Connect + NewConnector + Clone + Send + Sync + 'static,
{
    fn with_settings(settings: &Settings) -> Result<Self, Failure> {
        let connector = C::new_connector(settings)?;
        Ok(Self::from_client(
            Pool::builder(TokioExecutor::new()).build(connector),
        ))
    }

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Failure>> + Send {
        // The exchange's own future, not one more around it.
        send(&self.pool, &self.deadlines, request, limits)
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}
