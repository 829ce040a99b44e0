//! TLS as Spotify serves it: certificate checks that end a call at once with an error that
//! says which check failed (never retried, nothing sent), and HTTP/2 through ALPN where the
//! transport speaks it.

use spotify_web_conformance::prelude::*;
use spotify_web_emulator::ServerCertificate;

use super::T;

/// The error and its sources, as one line.
fn chain(error: &ClientError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(error) = source {
        text.push_str(": ");
        text.push_str(&error.to_string());
        source = error.source();
    }
    text
}

#[test]
fn a_bad_certificate_ends_the_call_at_once_and_says_why() {
    for (certificate, says) in [
        (ServerCertificate::UnknownIssuer, "UnknownIssuer"),
        (ServerCertificate::WrongHost, "not valid for name"),
        (ServerCertificate::Expired, "expired"),
    ] {
        let emulator = Emulator::builder()
            .tls(certificate)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}"));
        let root = spotify_web_emulator::root_certificate().unwrap();
        let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
        let client = T::connect_trusting(credentials, config_for(&emulator), root).unwrap();
        let error = client.send(GetArtist::new(id(RADIOHEAD))).unwrap_err();
        assert_eq!(failure(&error), Failure::Tls, "{certificate:?}: {error:?}");
        let text = chain(&error);
        assert!(
            text.to_lowercase().contains(&says.to_lowercase()),
            "{certificate:?}: `{text}` does not say `{says}`"
        );
        // Never retried (one connection), and no request reached the server: not
        // the token request, so not the client's secret either.
        assert_eq!(emulator.connections(), 1, "{certificate:?} was retried");
        assert_eq!(emulator.tls_handshakes(), 0);
        assert_eq!(emulator.requests(Route::Token), 0);
    }
}

#[test]
fn concurrent_calls_share_one_http2_connection_where_the_transport_speaks_it() {
    let emulator = Emulator::builder()
        .tls(ServerCertificate::Valid)
        .start()
        .unwrap_or_else(|e| panic!("emulator: {e}"));
    let root = spotify_web_emulator::root_certificate().unwrap();
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect_trusting(credentials, config_for(&emulator), root).unwrap();
    let calls: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || client.send(GetArtist::new(id(RADIOHEAD))))
        })
        .collect();
    for call in calls {
        assert_eq!(call.join().unwrap().unwrap().name, "Radiohead");
    }
    assert_eq!(emulator.requests(Route::Artist), 16);
    // Every connection was a TLS one: as many handshakes as connections, never more.
    assert_eq!(emulator.tls_handshakes(), emulator.connections());
    if <T as Connect>::SPEAKS_HTTP2 {
        // The token request opened it; the 16 calls went over it together.
        assert_eq!(emulator.connections(), 1);
        assert_eq!(emulator.http2_connections(), 1);
    } else {
        assert_eq!(emulator.http2_connections(), 0);
    }
}

#[test]
fn a_root_that_is_no_certificate_is_refused_when_the_client_is_built() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let error = T::connect_trusting(
        credentials,
        config_for(&emulator),
        b"not a certificate".to_vec(),
    )
    .unwrap_err();
    assert_eq!(failure(&error), Failure::Tls, "{error:?}");
}
