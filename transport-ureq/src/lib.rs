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

use std::cell::Cell;
use std::io::ErrorKind;
use std::time::Instant;

use ureq::http;

use spotify_web_driver::{
    Bytes, Failure, FailureKind, Limits, Settings, Transport, find_in_chain, rustls_roots,
};
use ureq::unversioned::resolver::DefaultResolver;
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

    /// The agent. One this transport made has no timeout of its own: the client's exchanges
    /// get their deadline from the transport, not from the agent's settings.
    pub fn agent(&self) -> &ureq::Agent {
        &self.agent
    }
}

std::thread_local! {
    /// When the exchange this thread runs must be over, while [`Ureq::send`] runs one on an
    /// agent it made; read by [`Timed`] before each read and write.
    ///
    /// The deadline could be ureq's `timeout_global`, but ureq then works out the time left
    /// for every phase of every exchange (which phases have begun, which limit comes first):
    /// about 1,100 instructions a call, 2 % of a whole call on loopback (BENCHMARKS.md). Here
    /// it is one subtraction at each read and write. The thread is the right carrier: ureq
    /// runs an exchange, body included, in the thread that called it.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Sets this thread's [`DEADLINE`] for as long as it lives, then puts the one before back.
struct Until(Option<Instant>);

impl Until {
    fn set(deadline: Instant) -> Self {
        Self(DEADLINE.replace(Some(deadline)))
    }
}

impl Drop for Until {
    fn drop(&mut self) {
        DEADLINE.set(self.0);
    }
}

/// Hands the socket the time left until this thread's [`DEADLINE`] (or ureq's own timeout,
/// if sooner or if no deadline is set), rounded up to the millisecond.
///
/// ureq sets a socket's timeout (one `setsockopt` each for reading and writing) only when it
/// changes, but with a deadline on the whole exchange the time left differs by microseconds
/// from one call to the next: two system calls on every call, on a reused connection. Rounded
/// up, a fresh exchange on a warm connection asks for the same value as the one before and
/// none are made. A timeout then fires under a millisecond late.
#[derive(Debug)]
struct ExchangeDeadline;

impl<In: UreqTransport> Connector<In> for ExchangeDeadline {
    type Out = Timed<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(Timed))
    }
}

/// A connection that keeps this thread's [`DEADLINE`], its timeouts rounded up to the
/// millisecond ([`ExchangeDeadline`]).
#[derive(Debug)]
struct Timed<T>(T);

/// `timeout`, shortened to the time left until this thread's [`DEADLINE`] if that is sooner.
/// Once the deadline has passed, no time is left: ureq's transports then fail with
/// `Timeout::Global` before reading or writing.
fn limited(mut timeout: NextTimeout) -> NextTimeout {
    if let Some(deadline) = DEADLINE.get() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left < *timeout.after {
            timeout.after = Remaining::Exact(left);
            timeout.reason = ureq::Timeout::Global;
        }
    }
    rounded(timeout)
}

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

impl<T: UreqTransport> UreqTransport for Timed<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, limited(timeout))
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.maybe_await_input(limited(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(limited(timeout))
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
            // The connection is made within the exchange's deadline too (name resolution
            // keeps the system's own limits).
            .timeout_connect(Some(settings.connect_timeout.min(limits.timeout)))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false);
        if !settings.roots.is_empty() {
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(roots(settings)?)
                    .build(),
            );
        }
        let config = config.build();
        // With no timeout of ureq's own to keep, its resolver also runs in the calling thread
        // (with one, it would start a thread for every call, to be able to give up on it).
        let agent = ureq::Agent::with_parts(
            config,
            DefaultConnector::new().chain(ExchangeDeadline),
            DefaultResolver::default(),
        );
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
        // On the agent this transport made, the deadline covers the whole exchange, the
        // body's reading included (a deadline past the clock's end is none).
        let own = self.made_for == Some(limits);
        let _until = own
            .then(|| Instant::now().checked_add(limits.timeout))
            .flatten()
            .map(Until::set);
        let response = if request.method() == http::Method::GET && request.body().is_empty() {
            // Sent as no body at all: an empty `Vec` would add `content-length: 0`.
            self.run(request.map(|_| ()), own, limits)
        } else {
            self.run(request, own, limits)
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

impl Ureq {
    /// Runs one exchange, up to the answer's head. On the agent this transport made for these
    /// limits (`own`), the settings are the agent's and the deadline this thread's
    /// [`DEADLINE`]; otherwise each request carries them.
    fn run(
        &self,
        request: http::Request<impl ureq::AsSendBody>,
        own: bool,
        limits: Limits,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        if own {
            return self.agent.run(request);
        }
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

    use super::{Instant, NextTimeout, Remaining, Until, limited, rounded};

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
    fn keeps_the_deadline_of_the_exchange_this_thread_runs() {
        let no_limit = NextTimeout::default();
        let ureqs = NextTimeout {
            after: Remaining::Exact(Duration::from_secs(5)),
            reason: ureq::Timeout::RecvBody,
            ..NextTimeout::default()
        };
        // No exchange running: ureq's own timeout, or none.
        assert!(limited(no_limit).after.is_not_happening());
        assert_eq!(limited(ureqs).after, ureqs.after);
        {
            let _until = Until::set(Instant::now() + Duration::from_secs(2));
            for timeout in [no_limit, ureqs] {
                let limited = limited(timeout);
                let left = *limited.after;
                assert!(left <= Duration::from_secs(2) && left > Duration::from_secs(1));
                assert_eq!(limited.reason, ureq::Timeout::Global);
            }
            // A sooner timeout of ureq's own stays.
            let sooner = NextTimeout {
                after: Remaining::Exact(Duration::from_millis(100)),
                ..ureqs
            };
            assert_eq!(limited(sooner).after, sooner.after);
            assert_eq!(limited(sooner).reason, ureq::Timeout::RecvBody);
            {
                // Once the deadline has passed, no time is left (ureq then fails at once).
                let _inner = Until::set(Instant::now());
                assert_eq!(*limited(ureqs).after, Duration::ZERO);
            }
            // The deadline before is put back.
            assert!(*limited(ureqs).after > Duration::from_secs(1));
        }
        assert_eq!(limited(ureqs).after, ureqs.after);
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
