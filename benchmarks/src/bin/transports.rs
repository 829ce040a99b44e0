//! The transports' cost: Get Artist with a warm token against the emulator on loopback,
//! through our clients and through plain ureq / plain hyper sending the same hand-written
//! request, in the same run, rounds interleaved.
//!
//! ```text
//! cargo run --release -p spotify-web-benchmarks --bin transports -- [--seconds 2] [--rounds 3] [--csv PATH] [--tls]
//! ```
//!
//! With `--tls` the emulator serves HTTPS (ALPN `h2` and `http/1.1`) and every client, ours
//! and the plain ones, trusts its root: the async clients then speak HTTP/2.
//!
//! With `--calls N` it makes N calls through the ureq client (or, with `--plain`, plain ureq)
//! one after the other and stops, timing nothing: what `benchmarks/per-call.sh` counts the
//! instructions of, under callgrind.
//!
//! With `--only TEXT` it runs only the clients whose name (as printed) contains `TEXT`, say
//! `--only "hyper x64: spotify"`: what a profiler (`perf record`) is pointed at. With
//! `--async-calls N` too, each round of the async clients ends after N calls: what
//! `benchmarks/per-call.sh` counts for them under callgrind.
//!
//! The plain clients send the headers ours send: the bearer token and our `User-Agent`
//! (`USER_AGENT`; ~1k instructions a call between hyper's encoding and the emulator's parsing).
//! With `--bare` they send the bearer token alone (plain ureq then its own user agent), as the
//! comparisons before the fourth stop of 2026-11-29 did.
//!
//! With `--decode` the plain clients also decode each answer into the same
//! `spotify_web_core::model::Artist` ours return (one UTF-8 check, then `serde_json::from_str`,
//! as the core does): the comparison is then of the transport and the driver alone, the
//! decoding being on both sides.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use spotify_web_core::GetArtist;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_emulator::Emulator;

const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

/// What a plain client does with an answer's body: keep it, or with `--decode` decode it into
/// the model ours return.
fn finish(body: &[u8], decode: bool) {
    if decode {
        let text = std::str::from_utf8(body).expect("UTF-8");
        let artist: spotify_web_core::model::Artist = serde_json::from_str(text).expect("artist");
        std::hint::black_box(artist);
    } else {
        std::hint::black_box(body);
    }
}

/// Latencies of one round, and how long it took.
struct Round {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Round {
    fn calls_per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs `call` back to back for `duration`.
fn blocking_round(duration: Duration, mut call: impl FnMut()) -> Round {
    let mut latencies = Vec::new();
    let start = Instant::now();
    while start.elapsed() < duration {
        let t = Instant::now();
        call();
        latencies.push(t.elapsed());
    }
    Round {
        latencies,
        elapsed: start.elapsed(),
    }
}

/// Runs `concurrency` tasks, each calling back to back, for `duration` or until `calls` calls
/// are made between them, whichever comes first.
async fn async_round<F, Fut>(
    duration: Duration,
    calls: Option<usize>,
    concurrency: usize,
    call: F,
) -> Round
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let start = Instant::now();
    let left = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(
        calls.unwrap_or(usize::MAX),
    ));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let call = call.clone();
        let left = left.clone();
        let another = move || {
            left.fetch_update(
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
                |n| n.checked_sub(1),
            )
            .is_ok()
        };
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            while start.elapsed() < duration && another() {
                let t = Instant::now();
                call().await;
                latencies.push(t.elapsed());
            }
            latencies
        });
    }
    let mut latencies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.expect("a benchmark task panicked"));
    }
    Round {
        latencies,
        elapsed: start.elapsed(),
    }
}

/// A token from the emulator, for the plain clients' hand-written requests.
/// A plain ureq agent, trusting the emulator's root when it serves TLS.
fn plain_ureq(tls: bool) -> ureq::Agent {
    if !tls {
        return ureq::Agent::new_with_defaults();
    }
    let root = ureq::tls::Certificate::from_der(&root()).to_owned();
    ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::from([root]))
                .build(),
        )
        .build()
        .into()
}

/// rustls trusting the emulator's root, offering HTTP/2 and HTTP/1.1 when `alpn` (hyper-rustls
/// sets ALPN itself).
fn plain_rustls(alpn: bool) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(root()))
        .expect("the emulator's root");
    let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    if alpn {
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    }
    config
}

fn root() -> Vec<u8> {
    spotify_web_emulator::root_certificate().expect("the emulator's root")
}

fn token(emulator: &Emulator, tls: bool) -> String {
    let agent = plain_ureq(tls);
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        emulator.client_id(),
        emulator.client_secret()
    );
    let mut answer = agent
        .post(&format!("{}/api/token", emulator.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(form)
        .expect("token request");
    let body: serde_json::Value =
        serde_json::from_slice(&answer.body_mut().read_to_vec().expect("token body"))
            .expect("token json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// What every async comparison shares: rounds, their length, and the plain clients' request.
struct Spec {
    rounds: usize,
    only: Option<String>,
    /// `--async-calls`: each round ends after this many calls.
    calls: Option<usize>,
    duration: Duration,
    url: String,
    bearer: String,
}

impl Spec {
    /// Our client and a plain one, `concurrency` calls at once, in interleaved rounds.
    async fn compare<F, Fut, G, Gut>(
        &self,
        names: [&'static str; 2],
        concurrency: usize,
        ours: F,
        plain: G,
    ) -> [Summary; 2]
    where
        F: Fn() -> Fut + Clone + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
        G: Fn(String, String) -> Gut + Clone + Send + 'static,
        Gut: std::future::Future<Output = ()> + Send,
    {
        let mut mine = Summary {
            name: names[0],
            rounds: Vec::new(),
        };
        let mut theirs = Summary {
            name: names[1],
            rounds: Vec::new(),
        };
        for _ in 0..self.rounds {
            if wanted(&self.only, names[0]) {
                mine.rounds
                    .push(async_round(self.duration, self.calls, concurrency, ours.clone()).await);
            }
            if wanted(&self.only, names[1]) {
                let (url, bearer, plain) = (self.url.clone(), self.bearer.clone(), plain.clone());
                theirs.rounds.push(
                    async_round(self.duration, self.calls, concurrency, move || {
                        plain(url.clone(), bearer.clone())
                    })
                    .await,
                );
            }
        }
        [mine, theirs]
    }
}

/// Whether `--only` (if given) picks the client called `name`.
fn wanted(only: &Option<String>, name: &str) -> bool {
    only.as_ref()
        .is_none_or(|only| name.contains(only.as_str()))
}

struct Summary {
    name: &'static str,
    rounds: Vec<Round>,
}

impl Summary {
    fn median_calls_per_second(&self) -> f64 {
        let mut rates: Vec<f64> = self.rounds.iter().map(Round::calls_per_second).collect();
        rates.sort_by(f64::total_cmp);
        rates[rates.len() / 2]
    }

    fn latency(&self, p: f64) -> Duration {
        let mut all: Vec<Duration> = self
            .rounds
            .iter()
            .flat_map(|r| r.latencies.iter().copied())
            .collect();
        all.sort();
        percentile(&all, p)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seconds: f64 = value("--seconds")
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let rounds: usize = value("--rounds").and_then(|s| s.parse().ok()).unwrap_or(3);
    let csv = value("--csv");
    let tls = args.iter().any(|a| a == "--tls");
    let decode = args.iter().any(|a| a == "--decode");
    // The plain clients send the headers ours send (our user agent too), unless `--bare`.
    let agent = if args.iter().any(|a| a == "--bare") {
        None
    } else {
        Some(spotify_web_hyper::USER_AGENT)
    };
    let only = value("--only");
    let duration = Duration::from_secs_f64(seconds);

    let emulator = if tls {
        Emulator::builder()
            .tls(spotify_web_emulator::ServerCertificate::Valid)
            .workers(1)
            .start()
    } else {
        Emulator::builder().workers(1).plain().start()
    }
    .expect("emulator");
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let api = emulator.api_url();
    let url = format!("{api}/artists/{RADIOHEAD}");
    let bearer = format!("Bearer {}", token(&emulator, tls));
    let roots = if tls { vec![root()] } else { Vec::new() };

    // Blocking: our ureq client against plain ureq.
    let ours = roots
        .iter()
        .fold(
            spotify_web_ureq::Client::builder(credentials())
                .base_urls(emulator.accounts_url(), api)
                .expect("URLs"),
            |builder, root| builder.root_certificate(root.clone()),
        )
        .build()
        .expect("client");
    let id = RADIOHEAD.parse().expect("id");
    ours.send(GetArtist::new(id)).expect("warm up");
    let plain = plain_ureq(tls);
    let plain_call = || {
        let request = plain.get(&url).header("authorization", &bearer);
        let request = match agent {
            Some(agent) => request.header("user-agent", agent),
            // ureq's own user agent, as before.
            None => request,
        };
        let mut answer = request.call().expect("plain ureq");
        finish(&answer.body_mut().read_to_vec().expect("body"), decode);
    };
    plain_call();
    if let Some(calls) = value("--calls").and_then(|n| n.parse::<usize>().ok()) {
        let plain = args.iter().any(|a| a == "--plain");
        for _ in 0..calls {
            if plain {
                plain_call();
            } else {
                std::hint::black_box(ours.send(GetArtist::new(id)).expect("our ureq client"));
            }
        }
        return;
    }
    let mut ureq_ours = Summary {
        name: "ureq: spotify-web-ureq",
        rounds: Vec::new(),
    };
    let mut ureq_plain = Summary {
        name: "ureq: plain ureq",
        rounds: Vec::new(),
    };
    for _ in 0..rounds {
        if wanted(&only, ureq_ours.name) {
            ureq_ours.rounds.push(blocking_round(duration, || {
                std::hint::black_box(ours.send(GetArtist::new(id)).expect("our ureq client"));
            }));
        }
        if wanted(&only, ureq_plain.name) {
            ureq_plain.rounds.push(blocking_round(duration, plain_call));
        }
    }

    // Async: our hyper client against plain hyper, one call at a time and 64 at once.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let ours = roots
        .iter()
        .fold(
            spotify_web_hyper::Client::builder(credentials())
                .base_urls(emulator.accounts_url(), api)
                .expect("URLs"),
            |builder, root| builder.root_certificate(root.clone()),
        )
        .build()
        .expect("client");
    let connector = {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        let builder = if tls {
            builder.with_tls_config(plain_rustls(false))
        } else {
            builder
                .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
                .expect("roots")
        };
        builder
            .https_or_http()
            .enable_all_versions()
            .wrap_connector(http)
    };
    let plain: HyperClient<_, Full<Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build(connector);
    let mut hyper = Vec::new();
    let spec = Spec {
        rounds,
        only,
        calls: value("--async-calls").and_then(|n| n.parse().ok()),
        duration,
        url: url.clone(),
        bearer: bearer.clone(),
    };
    runtime.block_on(async {
        ours.send(GetArtist::new(id)).await.expect("warm up");
        for (concurrency, names) in [
            (1, ["hyper x1: spotify-web-hyper", "hyper x1: plain hyper"]),
            (
                64,
                ["hyper x64: spotify-web-hyper", "hyper x64: plain hyper"],
            ),
        ] {
            let ours = ours.clone();
            let plain = plain.clone();
            let pair = spec
                .compare(
                    names,
                    concurrency,
                    move || {
                        let client = ours.clone();
                        async move {
                            let artist = client.send(GetArtist::new(id)).await;
                            std::hint::black_box(artist.expect("our hyper client"));
                        }
                    },
                    move |url: String, bearer: String| {
                        let plain = plain.clone();
                        async move {
                            let request = hyper::Request::get(url.as_str())
                                .header("authorization", bearer.as_str());
                            let request = match agent {
                                Some(agent) => request.header("user-agent", agent),
                                None => request,
                            };
                            let request = request.body(Full::new(Bytes::new())).expect("request");
                            let answer = plain.request(request).await.expect("plain hyper");
                            let body = answer.into_body().collect().await.expect("body");
                            finish(&body.to_bytes(), decode);
                        }
                    },
                )
                .await;
            hyper.extend(pair);
        }
    });

    let ours = roots
        .iter()
        .fold(
            spotify_web_reqwest::Client::builder(credentials())
                .base_urls(emulator.accounts_url(), api)
                .expect("URLs"),
            |builder, root| builder.root_certificate(root.clone()),
        )
        .build()
        .expect("client");
    let plain = reqwest::Client::builder()
        .tls_backend_preconfigured(if tls {
            plain_rustls(true)
        } else {
            spotify_web_reqwest::rustls_config()
        })
        .build()
        .expect("plain reqwest");
    runtime.block_on(async {
        ours.send(GetArtist::new(id)).await.expect("warm up");
        for (concurrency, names) in [
            (
                1,
                [
                    "reqwest x1: spotify-web-reqwest",
                    "reqwest x1: plain reqwest",
                ],
            ),
            (
                64,
                [
                    "reqwest x64: spotify-web-reqwest",
                    "reqwest x64: plain reqwest",
                ],
            ),
        ] {
            let ours = ours.clone();
            let plain = plain.clone();
            let pair = spec
                .compare(
                    names,
                    concurrency,
                    move || {
                        let client = ours.clone();
                        async move {
                            let artist = client.send(GetArtist::new(id)).await;
                            std::hint::black_box(artist.expect("our reqwest client"));
                        }
                    },
                    move |url: String, bearer: String| {
                        let plain = plain.clone();
                        async move {
                            let request = plain
                                .get(url.as_str())
                                .header("authorization", bearer.as_str());
                            let request = match agent {
                                Some(agent) => request.header("user-agent", agent),
                                None => request,
                            };
                            let answer = request.send().await.expect("plain reqwest");
                            finish(&answer.bytes().await.expect("body"), decode);
                        }
                    },
                )
                .await;
            hyper.extend(pair);
        }
    });

    let all: Vec<&Summary> = [&ureq_ours, &ureq_plain]
        .into_iter()
        .chain(hyper.iter())
        .collect();
    println!(
        "{rounds} rounds of {seconds} s each, interleaved; median round throughput, latency over all rounds{}",
        if tls { "; over TLS" } else { "" }
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>8}",
        "client", "calls/s", "p50 µs", "p99 µs", "ratio"
    );
    let mut lines = vec!["client,calls_per_second,p50_us,p99_us,ratio".to_owned()];
    for pair in all.chunks(2) {
        let both = pair.iter().all(|summary| !summary.rounds.is_empty());
        let ratio = if both {
            pair[0].median_calls_per_second() / pair[1].median_calls_per_second()
        } else {
            f64::NAN
        };
        for (i, summary) in pair.iter().enumerate() {
            if summary.rounds.is_empty() {
                continue;
            }
            let shown = if i == 0 && both {
                format!("{ratio:.3}")
            } else {
                String::new()
            };
            println!(
                "{:<34} {:>10.0} {:>10.1} {:>10.1} {:>8}",
                summary.name,
                summary.median_calls_per_second(),
                summary.latency(0.5).as_secs_f64() * 1e6,
                summary.latency(0.99).as_secs_f64() * 1e6,
                shown
            );
            lines.push(format!(
                "{},{:.1},{:.1},{:.1},{}",
                summary.name,
                summary.median_calls_per_second(),
                summary.latency(0.5).as_secs_f64() * 1e6,
                summary.latency(0.99).as_secs_f64() * 1e6,
                shown
            ));
        }
    }
    if let Some(path) = csv {
        std::fs::write(&path, lines.join("\n") + "\n").expect("write the CSV");
        println!("wrote {path}");
    }
    // One token for each of our clients, one for the plain ones: every call reused its token.
    assert_eq!(emulator.requests(spotify_web_emulator::Route::Token), 4);
}
