//! The app's token: reused, renewed, shared between concurrent calls, refused.

use spotify_web_conformance::prelude::*;

use super::T;

/// A token lasts for many calls.
#[test]
fn reuses_one_token_for_100_calls() {
    let s = Setup::<T>::new();
    for _ in 0..100 {
        s.artist(RADIOHEAD).unwrap();
    }
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 100);
    // Connections are reused. (hyper hands a connection back to its pool asynchronously, so
    // the next request may now and then open another one: a few, never one per request.)
    assert!(
        s.emulator.connections() <= 5,
        "{} connections for 101 sequential requests",
        s.emulator.connections()
    );
}

/// When the server expires the token, the next call gets a new one and succeeds.
#[test]
fn reauthenticates_after_the_token_expires() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.expire_tokens();
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Token), 2);
    assert_eq!(s.emulator.requests(Route::Artist), 3);
}

/// Calls from many threads at once, with no token yet, cause one token request.
#[test]
fn concurrent_calls_share_one_token_request() {
    let s = Setup::<T>::new();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = s.client.clone();
            std::thread::spawn(move || {
                let id: ArtistId = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
                (0..4)
                    .map(|_| client.send(GetArtist::new(id)).map(|a| a.name))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for thread in threads {
        for name in thread
            .join()
            .unwrap_or_else(|_| panic!("a calling thread panicked"))
        {
            assert_eq!(name.unwrap(), "Radiohead");
        }
    }
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 64);
}

/// Wrong credentials end the call with the accounts error, and print no secret.
#[test]
fn reports_wrong_credentials_without_the_secret() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), "canary-wrong-secret");
    let client = T::connect(credentials, config_for(&emulator));
    let id: ArtistId = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
    let result = client.send(GetArtist::new(id));
    let error = result
        .as_ref()
        .err()
        .map(|e| (e.to_string(), format!("{e:?}")));
    let refusal = spotify(result);
    assert!(
        matches!(&refusal, Error::Auth(AuthError { status: 400, error, description: Some(d), .. })
            if error == "invalid_client" && d == "Invalid client secret"),
        "{refusal:?}"
    );
    let (display, debug) = error.unwrap_or_default();
    assert!(
        !display.contains("canary") && !debug.contains("canary"),
        "{display} / {debug}"
    );
    assert_eq!(emulator.requests(Route::Artist), 0);
}

/// A token request that meets a 5xx is retried too.
#[test]
fn retries_token_requests() {
    let s = Setup::<T>::new();
    s.emulator
        .inject(Target::Token, Fault::ServerError { status: 503 }, 2);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Token), 3);
}
