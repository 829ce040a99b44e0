//! Pacing against a rate limit: a bulk job of Get Artist calls from several threads through
//! one blocking client, against the emulator limiting the app to so many requests per rolling
//! window, with and without the session's pacing. Reports the 429s the app received and the
//! time the job took.
//!
//! ```text
//! cargo run --release -p spotify-web-benchmarks --bin pacing -- [--calls 2000] [--threads 8] [--limit 400] [--window-ms 1000]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use spotify_web_core::GetArtist;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::session::Config;
use spotify_web_core::url::BaseUrl;
use spotify_web_emulator::Emulator;
use spotify_web_ureq::Client;

const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

struct Settings {
    calls: usize,
    threads: usize,
    limit: usize,
    window: Duration,
}

fn settings() -> Settings {
    let mut settings = Settings {
        calls: 2000,
        threads: 8,
        limit: 400,
        window: Duration::from_millis(1000),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = || -> u64 {
            pair.get(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{} needs a number", pair[0]))
        };
        match pair[0].as_str() {
            "--calls" => settings.calls = value() as usize,
            "--threads" => settings.threads = value() as usize,
            "--limit" => settings.limit = value() as usize,
            "--window-ms" => settings.window = Duration::from_millis(value()),
            other => panic!("unknown argument {other}"),
        }
    }
    settings
}

/// Runs the job once; gives the time it took, the 429s the emulator sent, and the calls that
/// failed.
fn job(emulator: &Emulator, settings: &Settings, pacing: bool) -> (Duration, usize, usize) {
    let url = |u: &str| BaseUrl::new(u).unwrap_or_else(|e| panic!("{e}"));
    let mut config = Config::default()
        .with_accounts_url(url(emulator.accounts_url()))
        .with_api_url(url(emulator.api_url()))
        .with_max_retries(20);
    if pacing {
        // A tenth longer than the app's window: a request may reach the server a little
        // after it leaves.
        config = config.with_pacing(
            u32::try_from(settings.limit).unwrap_or(u32::MAX),
            settings.window + settings.window / 10,
        );
    }
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = Client::builder(credentials)
        .config(config)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let id = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
    client
        .send(GetArtist::new(id))
        .unwrap_or_else(|e| panic!("{e}"));
    // A fresh window for the job.
    std::thread::sleep(settings.window);
    emulator.set_rate_limit(Some((settings.limit, settings.window)));
    let refused_before = emulator.rate_limited();
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..settings.threads)
        .map(|_| {
            let (client, next, failed) = (client.clone(), next.clone(), failed.clone());
            let calls = settings.calls;
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    if client.send(GetArtist::new(id)).is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker
            .join()
            .unwrap_or_else(|_| panic!("a worker panicked"));
    }
    let elapsed = started.elapsed();
    let refused = emulator.rate_limited() - refused_before;
    emulator.set_rate_limit(None);
    (elapsed, refused, failed.load(Ordering::Relaxed))
}

fn main() {
    let settings = settings();
    let emulator = Emulator::builder()
        .workers(2)
        .start()
        .unwrap_or_else(|e| panic!("emulator: {e}"));
    let floor = settings.window.as_secs_f64() * (settings.calls as f64 / settings.limit as f64);
    println!(
        "{} calls from {} threads, app limited to {} requests per {} ms (the limit alone needs {:.1} s)",
        settings.calls,
        settings.threads,
        settings.limit,
        settings.window.as_millis(),
        floor - settings.window.as_secs_f64(),
    );
    println!("| session | 429s received | failed calls | total time |");
    println!("|---|---:|---:|---:|");
    for pacing in [false, true, false, true] {
        let (elapsed, refused, failed) = job(&emulator, &settings, pacing);
        println!(
            "| {} | {refused} | {failed} | {:.2} s |",
            if pacing { "paced" } else { "not paced" },
            elapsed.as_secs_f64()
        );
    }
}
