//! `spotify-web-emulator`: serves the emulator on 127.0.0.1 until interrupted.
//!
//! ```text
//! cargo run -p spotify-web-emulator -- [--port 8080] [--development-mode] [--limit-cap 10]
//! ```

use std::process::ExitCode;

use spotify_web_emulator::Emulator;

const USAGE: &str = "usage: spotify-web-emulator [--port PORT] [--development-mode] [--limit-cap N] [--token-lifetime SECONDS]";

fn main() -> ExitCode {
    let mut builder = Emulator::builder();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = args.next().ok_or_else(|| format!("{name} needs a value"))?;
            value
                .parse()
                .map_err(|_| format!("{name} takes a whole number, not {value:?}"))
        };
        let parsed = match arg.as_str() {
            "--port" => number("--port")
                .and_then(|p| u16::try_from(p).map_err(|_| "--port is at most 65535".into()))
                .map(|p| builder = builder.clone().port(p)),
            "--limit-cap" => number("--limit-cap")
                .and_then(|n| u32::try_from(n).map_err(|_| "--limit-cap is too large".into()))
                .map(|n| builder = builder.clone().limit_cap(n)),
            "--token-lifetime" => number("--token-lifetime").map(|s| {
                builder = builder
                    .clone()
                    .token_lifetime(std::time::Duration::from_secs(s))
            }),
            "--development-mode" => {
                builder = builder.clone().development_mode(true);
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument {other:?}")),
        };
        if let Err(message) = parsed {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let emulator = match builder.start() {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: could not start the emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("Spotify emulator listening on {}", emulator.url());
    println!("  accounts service: {}/api/token", emulator.accounts_url());
    println!("  Web API:          {}", emulator.api_url());
    println!("  client ID:        {}", emulator.client_id());
    println!(
        "  client secret:    {} (a demo secret, not a real one)",
        emulator.client_secret()
    );
    println!("Press Ctrl-C to stop.");
    loop {
        std::thread::park();
    }
}
