//! The wire as Spotify serves it: a cold client (no connection, no token) sends 64 concurrent
//! Get Artist calls to the emulator serving TLS, offering HTTP/2 and HTTP/1.1 through ALPN or
//! HTTP/1.1 only. Reports, per transport: TLS handshakes, connections, HTTP/2 connections, and
//! the time until all 64 have answered (the median of the rounds).
//!
//! ```text
//! cargo run --release -p spotify-web-benchmarks --bin tls -- [--rounds 5] [--calls 64]
//! ```

use std::time::{Duration, Instant};

use spotify_web_core::GetArtist;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_emulator::{Emulator, ServerCertificate};

const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

/// What one cold burst cost.
struct Burst {
    elapsed: Duration,
    handshakes: usize,
    connections: usize,
    http2: usize,
}

fn emulator(http2: bool) -> Emulator {
    Emulator::builder()
        .tls(ServerCertificate::Valid)
        .http2(http2)
        .workers(2)
        .start()
        .unwrap_or_else(|e| panic!("emulator: {e}"))
}

fn credentials(emulator: &Emulator) -> ClientCredentials {
    ClientCredentials::new(emulator.client_id(), emulator.client_secret())
}

fn root() -> Vec<u8> {
    spotify_web_emulator::root_certificate().unwrap_or_else(|e| panic!("{e}"))
}

fn burst_of(emulator: &Emulator, elapsed: Duration) -> Burst {
    Burst {
        elapsed,
        handshakes: emulator.tls_handshakes(),
        connections: emulator.connections(),
        http2: emulator.http2_connections(),
    }
}

fn ureq_burst(calls: usize, http2: bool) -> Burst {
    let emulator = emulator(http2);
    let client = spotify_web_ureq::Client::builder(credentials(&emulator))
        .base_urls(emulator.accounts_url(), emulator.api_url())
        .and_then(|b| b.root_certificate(root()).build())
        .unwrap_or_else(|e| panic!("{e}"));
    let id = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let threads: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.send(GetArtist::new(id)))
        })
        .collect();
    for thread in threads {
        thread
            .join()
            .unwrap_or_else(|_| panic!("a call panicked"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    burst_of(&emulator, started.elapsed())
}

/// 64 (or `calls`) tasks at once on `runtime`, each making `call()`'s call.
fn async_burst<F, Fut>(runtime: &tokio::runtime::Runtime, calls: usize, call: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    runtime.block_on(async {
        let started = Instant::now();
        let tasks: Vec<_> = (0..calls).map(|_| tokio::spawn(call())).collect();
        for task in tasks {
            task.await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        started.elapsed()
    })
}

/// A cold burst through one of the async transports' clients (the crate's `Client`).
macro_rules! async_client_burst {
    ($krate:ident, $runtime:expr, $calls:expr, $http2:expr) => {{
        let emulator = emulator($http2);
        let client = $krate::Client::builder(credentials(&emulator))
            .base_urls(emulator.accounts_url(), emulator.api_url())
            .and_then(|b| b.root_certificate(root()).build())
            .unwrap_or_else(|e| panic!("{e}"));
        let id = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
        let elapsed = async_burst($runtime, $calls, || {
            let client = client.clone();
            async move {
                client
                    .send(GetArtist::new(id))
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        });
        burst_of(&emulator, elapsed)
    }};
}

fn main() {
    let mut rounds = 5;
    let mut calls = 64;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair
            .get(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{} needs a number", pair[0]));
        match pair[0].as_str() {
            "--rounds" => rounds = value,
            "--calls" => calls = value,
            other => panic!("unknown argument {other}"),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    println!(
        "{calls} concurrent Get Artist calls from a cold client, TLS emulator on loopback, median of {rounds} rounds"
    );
    println!();
    println!(
        "| transport | server offers | handshakes | connections | HTTP/2 connections | all answered |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for (name, http2) in [
        ("spotify-web-ureq", false),
        ("spotify-web-ureq", true),
        ("spotify-web-hyper", false),
        ("spotify-web-hyper", true),
        ("spotify-web-reqwest", false),
        ("spotify-web-reqwest", true),
    ] {
        let mut bursts: Vec<Burst> = (0..rounds)
            .map(|_| match name {
                "spotify-web-ureq" => ureq_burst(calls, http2),
                "spotify-web-hyper" => {
                    async_client_burst!(spotify_web_hyper, &runtime, calls, http2)
                }
                _ => async_client_burst!(spotify_web_reqwest, &runtime, calls, http2),
            })
            .collect();
        bursts.sort_by_key(|b| b.elapsed);
        let median = &bursts[bursts.len() / 2];
        println!(
            "| {name} | {} | {} | {} | {} | {:.1} ms |",
            if http2 { "h2, http/1.1" } else { "http/1.1" },
            median.handshakes,
            median.connections,
            median.http2,
            median.elapsed.as_secs_f64() * 1000.0
        );
    }
}
