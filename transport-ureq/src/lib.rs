//! A blocking Spotify Web API client: [`spotify_web_core`]'s session driven over ureq.
//!
//! This crate only moves bytes: [`Ureq`] implements the driver's [`Transport`] with one ureq
//! agent (one connection pool), one deadline for each whole exchange, a cap on the size of
//! answers, no redirects, and rustls with the `ring` provider. The client, its builder, its
//! errors, sign-in and paging are [`spotify_web_driver`]'s, the same for every transport;
//! requests, answers, tokens and the retry policy are the core's. Both are re-exported here,
//! so this crate is the only one to depend on.
//!
//! It speaks HTTP/1.1 (ureq has no HTTP/2; it offers no ALPN, so servers answer in HTTP/1.1),
//! over TLS with the web's roots or the ones given to `Builder::root_certificate`.
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # let (accounts, api) = (emulator.accounts_url().to_owned(), emulator.api_url());
//! # let (id, secret) = (emulator.client_id(), emulator.client_secret());
//! use spotify_web_ureq::Client;
//! use spotify_web_ureq::auth::ClientCredentials;
//! use spotify_web_ureq::endpoint::GetArtist;
//!
//! let credentials = ClientCredentials::new(id, secret);
//! // `Client::new(credentials)` talks to Spotify; here, to a local emulator.
//! let client = Client::with_base_urls(credentials, &accounts, &api)?;
//! let artist = client.send(GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?))?;
//! assert_eq!(artist.name, "Radiohead");
//! # Ok::<(), spotify_web_ureq::Error>(())
//! ```
//!
//! # Your own agent
//!
//! An application that configured a `ureq::Agent` (a proxy, its own TLS roots) hands it over
//! with [`Ureq::from_agent`]; the client still follows no redirect and applies its own
//! deadline and body cap to every exchange:
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! use spotify_web_ureq::{Client, Ureq};
//! use spotify_web_ureq::auth::ClientCredentials;
//! use spotify_web_ureq::endpoint::GetArtist;
//!
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     // .proxy(Some(ureq::Proxy::new("http://proxy.example:3128")?))
//!     .build()
//!     .into();
//! let client = Client::builder(ClientCredentials::new(emulator.client_id(), emulator.client_secret()))
//!     .base_urls(emulator.accounts_url(), emulator.api_url())?
//!     .transport(Ureq::from_agent(agent))
//!     .build()?;
//! assert_eq!(client.send(GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?))?.name, "Radiohead");
//! # Ok::<(), spotify_web_ureq::Error>(())
//! ```

use std::io::ErrorKind;

use ureq::http;

use spotify_web_driver::{
    Bytes, Failure, FailureKind, Limits, Settings, Transport, find_in_chain, rustls_roots,
};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::time::Duration as Remaining;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout,
    Transport as UreqTransport,
};

spotify_web_driver::transport_surface!(blocking, Ureq, "ureq");

/// Moves the client's bytes over a ureq agent.
#[derive(Debug, Clone)]
pub struct Ureq {
    agent: ureq::Agent,
    /// The limits the agent was made with, if this transport made it: its requests need no
    /// configuration of their own then.
    made_for: Option<Limits>,
}

impl Ureq {
    /// A transport over an agent the application configured. Each request still follows no
    /// redirect, treats every status as an answer, and has the client's deadline.
    pub fn from_agent(agent: ureq::Agent) -> Self {
        Self {
            agent,
            made_for: None,
        }
    }

    /// The agent.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }
}

/// Resolves names in the calling thread. With a deadline on the whole exchange, ureq's own
/// resolver starts a thread for every call, to be able to give up on it: that cost a third
/// of the throughput on loopback. Resolution keeps the system's own limits.
#[derive(Debug)]
struct InThread(DefaultResolver);

impl Resolver for InThread {
    fn resolve(
        &self,
        uri: &http::Uri,
        config: &ureq::config::Config,
        _: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        self.0.resolve(uri, config, NextTimeout::default())
    }
}

/// Hands the socket each exchange's remaining time rounded up to the millisecond.
///
/// ureq sets a socket's timeout (one `setsockopt` each for reading and writing) only when it
/// changes, but with a deadline on the whole exchange the time left differs by microseconds
/// from one call to the next: two system calls on every call, on a reused connection. Rounded
/// up, a fresh exchange on a warm connection asks for the same value as the one before and
/// none are made. A timeout then fires under a millisecond late.
#[derive(Debug)]
struct WholeMillis;

impl<In: UreqTransport> Connector<In> for WholeMillis {
    type Out = Rounded<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Rounded))
    }
}

/// A connection whose timeouts are rounded up to the millisecond ([`WholeMillis`]).
#[derive(Debug)]
struct Rounded<T>(T);

/// `timeout` with its time left rounded up to a whole number of milliseconds.
fn rounded(mut timeout: NextTimeout) -> NextTimeout {
    if let Remaining::Exact(left) = timeout.after {
        let millis = left.as_nanos().div_ceil(1_000_000);
        timeout.after = Remaining::Exact(std::time::Duration::from_millis(
            u64::try_from(millis).unwrap_or(u64::MAX),
        ));
    }
    timeout
}

impl<T: UreqTransport> UreqTransport for Rounded<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, rounded(timeout))
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(rounded(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(rounded(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

impl Transport for Ureq {
    fn with_settings(settings: &Settings) -> Result<Self, Failure> {
        let limits = settings.limits;
        let mut config = ureq::Agent::config_builder()
            .timeout_connect(Some(settings.connect_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(limits.timeout));
        if !settings.roots.is_empty() {
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(roots(settings)?)
                    .build(),
            );
        }
        let config = config.build();
        let resolver = InThread(DefaultResolver::default());
        let agent =
            ureq::Agent::with_parts(config, DefaultConnector::new().chain(WholeMillis), resolver);
        Ok(Self {
            agent,
            made_for: Some(limits),
        })
    }

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> Result<http::Response<Bytes>, Failure> {
        let response = if self.made_for == Some(limits) {
            // The agent was made with these settings.
            self.agent.run(request)
        } else {
            let request = self
                .agent
                .configure_request(request)
                .http_status_as_error(false)
                // Spotify does not redirect API calls; not following keeps tokens on their host.
                .max_redirects(0)
                .max_redirects_will_error(false)
                .timeout_global(Some(limits.timeout))
                .build();
            self.agent.run(request)
        }
        .map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let limit = u64::try_from(limits.max_body_size).unwrap_or(u64::MAX);
        let bytes = body
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(classify)?;
        Ok(http::Response::from_parts(parts, Bytes::from(bytes)))
    }
}

/// The roots given instead of the web's, each checked by rustls first
/// ([`rustls_roots`]: ureq would skip one it cannot read, and the client would then trust less
/// than it was told).
fn roots(settings: &Settings) -> Result<ureq::tls::RootCerts, Failure> {
    rustls_roots(settings)?;
    let roots = settings
        .roots
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der).to_owned());
    Ok(ureq::tls::RootCerts::from(roots.collect::<Vec<_>>()))
}

/// Sorts ureq's errors into the driver's kinds.
fn classify(error: ureq::Error) -> Failure {
    use ureq::Timeout;
    // A failed certificate check comes as an I/O error that wraps rustls's: never retried.
    let tls = match &error {
        ureq::Error::Io(io) => find_in_chain::<rustls::Error>(io).is_some(),
        other => find_in_chain::<rustls::Error>(other).is_some(),
    };
    if tls {
        return Failure::new(FailureKind::Tls, error);
    }
    let kind = match &error {
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => FailureKind::Connect,
        ureq::Error::Timeout(_) => FailureKind::Timeout,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable => FailureKind::Connect,
            ErrorKind::TimedOut | ErrorKind::WouldBlock => FailureKind::Timeout,
            _ => FailureKind::Interrupted,
        },
        ureq::Error::Protocol(_) | ureq::Error::BodyStalled => FailureKind::Interrupted,
        ureq::Error::BodyExceedsLimit(_) => FailureKind::TooLarge,
        ureq::Error::LargeResponseHeader(..) => FailureKind::HeaderTooLarge,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => FailureKind::Tls,
        _ => FailureKind::Other,
    };
    Failure::new(kind, error)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{NextTimeout, Remaining, rounded};

    fn left(after: Remaining) -> Option<Duration> {
        let timeout = NextTimeout {
            after,
            ..NextTimeout::default()
        };
        match rounded(timeout).after {
            Remaining::Exact(left) => Some(left),
            Remaining::NotHappening => None,
        }
    }

    #[test]
    fn rounds_the_time_left_up_to_the_millisecond() {
        // Two fresh exchanges a few microseconds apart ask the socket for the same value.
        let thirty = Duration::from_secs(30);
        for spent in [1, 7, 999] {
            let after = Remaining::Exact(thirty - Duration::from_micros(spent));
            assert_eq!(left(after), Some(thirty), "{spent} µs spent");
        }
        assert_eq!(
            left(Remaining::Exact(Duration::from_nanos(1))),
            Some(Duration::from_millis(1)),
            "a deadline about to pass is never rounded down to none"
        );
        assert_eq!(
            left(Remaining::Exact(Duration::from_millis(750))),
            Some(Duration::from_millis(750))
        );
        assert_eq!(left(Remaining::NotHappening), None);
    }
}
