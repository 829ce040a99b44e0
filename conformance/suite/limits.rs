//! Limits and hostile peers: secrets never shown, no redirects, size caps, timeouts.

use spotify_web_conformance::prelude::*;

use super::T;

/// Runs every flow, successes and failures, with a canary client secret, and checks that no
/// secret or token the emulator handed out shows in any `Debug`, `Display`, error, log line
/// or `tracing` span or event (and that the flows were traced at all).
#[test]
fn never_prints_a_secret_or_token() {
    // Another test may have installed the logger first: either way, it captures.
    let _ = log::set_logger(&CapturingLogger);
    log::set_max_level(log::LevelFilter::Trace);
    CapturingSubscriber::install();
    let secret = "canary-client-secret-4d1f";
    let emulator = Emulator::builder()
        .credentials("canary-client-id", secret)
        .start()
        .unwrap_or_else(|e| panic!("emulator: {e}"));
    let config = config_for(&emulator);
    let mut printed = Vec::new();
    let mut note = |text: String| printed.push(text);

    let app = T::connect(
        ClientCredentials::new("canary-client-id", secret),
        config.clone(),
    );
    note(format!("{app:?}"));
    let artist = app.send(GetArtist::new(id(RADIOHEAD)));
    note(format!("{artist:?}"));
    for fault in [
        Fault::RateLimit {
            retry_after: Some(20_000),
        },
        Fault::MalformedJson,
        Fault::ServerError { status: 502 },
    ] {
        // A client of its own each: the long 429 holds every call of its session.
        let app = T::connect(
            ClientCredentials::new("canary-client-id", secret),
            config.clone(),
        );
        emulator.inject(Target::Api, fault, 4);
        let result = app.send(GetArtist::new(id(RADIOHEAD)));
        emulator.clear_faults();
        if let Err(error) = &result {
            note(error.to_string());
        }
        note(format!("{result:?}"));
    }
    for fault in [Fault::TruncatedBody, Fault::DropConnection] {
        emulator.inject(Target::Api, fault, 8);
        let result = app.send(GetArtist::new(id(RADIOHEAD)));
        emulator.clear_faults();
        note(format!("{result:?}"));
        if let Err(error) = &result {
            note(error.to_string());
        }
    }
    emulator.expire_tokens();
    note(format!("{:?}", app.send(GetArtist::new(id(RADIOHEAD)))));
    note(format!("{app:?}"));
    let wrong = T::connect(
        ClientCredentials::new("canary-client-id", "canary-wrong-secret"),
        config.clone(),
    );
    let refused = wrong.send(GetArtist::new(id(RADIOHEAD)));
    note(format!("{refused:?}"));
    if let Err(error) = &refused {
        note(error.to_string());
    }

    let user = UserClient::pkce(ClientId::new("canary-client-id"));
    let login = authorize(&emulator, &user, true);
    note(format!("{login:?}"));
    let store = SharedStore::default();
    let signed_in = T::user(user.clone(), store.clone(), config.clone(), Some(login)).unwrap();
    note(format!("{:?}", signed_in.send(GetCurrentUser::new())));
    note(format!("{:?} {:?}", store.get(), signed_in));
    emulator.expire_tokens();
    note(format!("{:?}", signed_in.send(GetCurrentUser::new())));
    emulator.revoke_refresh_tokens();
    emulator.expire_tokens();
    let revoked = signed_in.send(GetCurrentUser::new());
    note(format!("{revoked:?}"));
    if let Err(error) = &revoked {
        note(error.to_string());
    }
    let reused = authorize(&emulator, &user, true);
    let code = AuthorizationCode::new(reused.code.secret());
    note(format!(
        "{:?}",
        T::user(
            user.clone(),
            SharedStore::default(),
            config.clone(),
            Some(reused)
        )
    ));
    let again = Login {
        code,
        redirect: RedirectUri::new(REDIRECT).unwrap_or_else(|e| panic!("{e}")),
        verifier: None,
    };
    let error = T::user(user, SharedStore::default(), config, Some(again)).err();
    note(format!("{error:?}"));
    if let Some(error) = error {
        note(error.to_string());
    }

    let logs = LOG_LINES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let traces = TRACE_LINES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    eprintln!(
        "checked {} printed values, {} log lines and {} trace lines",
        printed.len(),
        logs.len(),
        traces.len()
    );
    // The flows were traced: calls, exchanges with their status, token requests, the rate
    // limit, retries and a call that gave up.
    for expected in [
        "span spotify_web.call endpoint=GetCurrentUser",
        "path=/v1/me status=200",
        "path=/api/token status=200",
        "token requested",
        "rate limited",
        "retry scheduled",
        "gave up",
    ] {
        assert!(
            traces.iter().any(|line| line.contains(expected)),
            "no trace line has `{expected}`"
        );
    }
    let mut canaries = emulator.issued_secrets();
    canaries.push(secret.to_owned());
    canaries.push("canary-wrong-secret".to_owned());
    assert!(
        canaries.len() > 10,
        "the flows issued too few tokens to mean anything"
    );
    for text in printed.iter().chain(&logs).chain(&traces) {
        for canary in &canaries {
            assert!(
                !text.contains(canary.as_str()),
                "a secret was printed: {text}"
            );
        }
    }
}

/// Servers that echo the request into their error answers (a 400 error object, a plain 500,
/// an HTML 502, the token endpoint's 400 and 500) never put a credential into an error's
/// `Display` or `Debug`: not the access token, the client secret or the Basic pair.
#[test]
fn never_shows_a_secret_a_server_echoes() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let pair = format!("{}:{}", emulator.client_id(), emulator.client_secret());
    let mut shown = Vec::new();
    for echo in [Echo::ApiError, Echo::PlainText, Echo::Html] {
        let api = format!("{}/v1", echo_server(echo));
        let config = config_for(&emulator)
            .with_max_retries(1)
            .with_api_url(BaseUrl::new(&api).unwrap_or_else(|e| panic!("{e}")));
        let client = T::connect(credentials(), config);
        let error = client
            .send(GetArtist::new(id(RADIOHEAD)))
            .err()
            .unwrap_or_else(|| panic!("{echo:?}: an echo is no artist"));
        shown.push((echo, format!("{error} | {error:?}")));
    }
    for echo in [Echo::AuthError, Echo::PlainText] {
        let accounts = echo_server(echo);
        let config = config_for(&emulator)
            .with_max_retries(1)
            .with_accounts_url(BaseUrl::new(&accounts).unwrap_or_else(|e| panic!("{e}")));
        let client = T::connect(credentials(), config);
        let error = client
            .send(GetArtist::new(id(RADIOHEAD)))
            .err()
            .unwrap_or_else(|| panic!("{echo:?}: an echo is no token"));
        shown.push((echo, format!("{error} | {error:?}")));
    }
    let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &pair);
    let tokens = emulator.issued_secrets();
    assert!(!tokens.is_empty(), "the API echoes were sent with a token");
    for (echo, text) in &shown {
        assert!(
            text.contains("<redacted>"),
            "{echo:?} showed no echo at all: {text}"
        );
        for secret in tokens.iter().map(String::as_str).chain([
            emulator.client_secret(),
            pair.as_str(),
            basic.as_str(),
        ]) {
            assert!(!text.contains(secret), "{echo:?} shows {secret}: {text}");
        }
    }
}

/// A redirect is not followed (a token must never go to another host): it comes back as an
/// unexpected status.
#[test]
fn does_not_follow_redirects() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let api = format!(
        "http://{}/v1",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let redirecting = std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming().take(1) {
            let mut stream = stream.unwrap_or_else(|e| panic!("{e}"));
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let answer = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/v1/artists/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            stream
                .write_all(answer.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
            served += 1;
        }
        served
    });
    let config =
        config_for(&emulator).with_api_url(BaseUrl::new(&api).unwrap_or_else(|e| panic!("{e}")));
    let client = T::connect(
        ClientCredentials::new(emulator.client_id(), emulator.client_secret()),
        config,
    );
    let error = spotify(client.send(GetArtist::new(id(RADIOHEAD))));
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status == 302),
        "{error:?}"
    );
    assert_eq!(
        redirecting
            .join()
            .unwrap_or_else(|_| panic!("the listener panicked")),
        1
    );
}

/// An answer above the size cap is refused, not retried, and the client stays usable.
#[test]
fn refuses_answers_above_the_size_cap() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    // The token answer fits in 200 bytes; the artist does not.
    let small = T::connect_with_limits(
        credentials(),
        config_for(&emulator),
        200,
        Duration::from_secs(10),
    );
    let error = small
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(failure(&error), Failure::TooLarge, "{error:?}");
    assert!(error.to_string().contains("200-byte cap"), "{error}");
    assert_eq!(
        emulator.requests(Route::Artist),
        1,
        "too large is not retried"
    );
    let roomy = T::connect_with_limits(
        credentials(),
        config_for(&emulator),
        1 << 20,
        Duration::from_secs(10),
    );
    assert!(roomy.send(GetArtist::new(id(RADIOHEAD))).is_ok());
}

/// A server that is not there is a connect error, with a message that says so.
#[test]
fn reports_a_missing_server_as_a_connect_error() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let config = config_for(&emulator);
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    drop(emulator);
    let client = T::connect(credentials, config);
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(failure(&error), Failure::Connect, "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("could not connect to spotify"),
        "{error}"
    );
}

/// An answer slower than the timeout is a timeout error.
#[test]
fn times_out_a_slow_answer() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect_with_limits(
        credentials,
        config_for(&emulator).with_max_retries(0),
        1 << 20,
        Duration::from_secs(1),
    );
    client
        .send(GetArtist::new(id(RADIOHEAD)))
        .unwrap_or_else(|e| panic!("{e}"));
    emulator.inject(Target::Api, Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(failure(&error), Failure::Timeout, "{error:?}");
}

/// The timeout is one deadline for the whole exchange: a server that sends its head in time
/// and its body as late again, each phase within the timeout, still times out.
#[test]
fn the_timeout_bounds_the_whole_exchange() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (api, served) = scripted_server(|stream| {
        let body = r#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#;
        std::thread::sleep(Duration::from_millis(500));
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.flush();
        std::thread::sleep(Duration::from_millis(500));
        let _ = stream.write_all(body.as_bytes());
    });
    let config = config_for(&emulator)
        .with_max_retries(0)
        .with_api_url(BaseUrl::new(&format!("{api}/v1")).unwrap_or_else(|e| panic!("{e}")));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect_with_limits(credentials, config, 1 << 20, Duration::from_millis(750));
    let started = Instant::now();
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("each phase fit the timeout, the whole did not"));
    assert_eq!(failure(&error), Failure::Timeout, "{error:?}");
    assert!(
        started.elapsed() < Duration::from_millis(990),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(served(), 1);
}

/// An answer whose head is larger than the HTTP library accepts is one clear error, never
/// retried as a broken connection.
#[test]
fn an_oversized_header_is_one_clear_error() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (api, served) = scripted_server(|stream| {
        let filler = "x".repeat(8 * 1024);
        let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
        for i in 0..128 {
            head.push_str(&format!("X-Filler-{i}: {filler}\r\n"));
        }
        head.push_str("\r\n{}");
        let _ = stream.write_all(head.as_bytes());
    });
    let config = config_for(&emulator)
        .with_api_url(BaseUrl::new(&format!("{api}/v1")).unwrap_or_else(|e| panic!("{e}")));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect(credentials, config);
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("a 1 MiB head is refused"));
    assert_eq!(failure(&error), Failure::HeaderTooLarge, "{error:?}");
    assert_eq!(served(), 1, "not retried");
}

/// Writes an artist's answer with `Transfer-Encoding: chunked`, in pieces of 40 bytes, each
/// flushed and a little apart: the client reads a body that reaches it in many reads.
fn chunked_artist(stream: &mut std::net::TcpStream) {
    let body = format!(
        r#"{{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead","genres":["{}"],"type":"artist"}}"#,
        "art rock".repeat(40)
    );
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    for piece in body.as_bytes().chunks(40) {
        let _ = stream.write_all(format!("{:x}\r\n", piece.len()).as_bytes());
        let _ = stream.write_all(piece);
        let _ = stream.write_all(b"\r\n");
        let _ = stream.flush();
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = stream.write_all(b"0\r\n\r\n");
}

/// A body that arrives in many pieces is read whole (a transport that keeps one piece as it
/// came joins them when there are more), and the size cap counts all the pieces together.
#[test]
fn reads_a_body_sent_in_pieces_and_caps_the_whole() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let (api, served) = scripted_server(chunked_artist);
    let config = config_for(&emulator)
        .with_max_retries(0)
        .with_api_url(BaseUrl::new(&format!("{api}/v1")).unwrap_or_else(|e| panic!("{e}")));
    let client = T::connect_with_limits(
        credentials(),
        config.clone(),
        1 << 20,
        Duration::from_secs(10),
    );
    let artist = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(artist.name, "Radiohead");
    let genres: Vec<&str> = artist.genres.iter().collect();
    assert_eq!(genres, ["art rock".repeat(40)]);
    // Every piece is under the cap, the whole is not.
    let small = T::connect_with_limits(credentials(), config, 200, Duration::from_secs(10));
    let error = small
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("a 400-byte body went under a 200-byte cap"));
    assert_eq!(failure(&error), Failure::TooLarge, "{error:?}");
    assert_eq!(served(), 2);
}
