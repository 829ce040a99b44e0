//! The profile app over plain HTTP, without a browser: its cookies, its refusals and its
//! health check (the browser test drives the whole sign-in).

use std::net::{Ipv4Addr, SocketAddr};

use spotify_web_emulator::{Emulator, Route};
use spotify_web_profile::{App, Settings, start};

/// The emulator and the app (tokens in memory), on loopback.
fn app(emulator: &Emulator) -> (tokio::runtime::Runtime, String) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let settings = Settings {
        client_id: emulator.client_id().into(),
        accounts_url: emulator.accounts_url().into(),
        api_url: emulator.api_url().into(),
        public_url: format!("http://127.0.0.1:{port}"),
        redis_url: None,
        redis_prefix: "app-test".into(),
    };
    let address = runtime.block_on(async {
        start(
            App::new(settings).await.unwrap(),
            SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        )
        .await
        .unwrap()
    });
    (runtime, format!("http://{address}"))
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

#[test]
fn login_sets_a_private_state_cookie_and_a_forged_callback_is_refused() {
    let emulator = Emulator::builder().sign_in_page(true).start().unwrap();
    let (_runtime, url) = app(&emulator);
    let agent = agent();
    let mut health = agent.get(format!("{url}/healthz")).call().unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.body_mut().read_to_string().unwrap(), "ok");
    let login = agent.get(format!("{url}/login")).call().unwrap();
    assert_eq!(login.status(), 303);
    let to = login.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        to.starts_with(&format!("{}/authorize?", emulator.accounts_url())),
        "{to}"
    );
    assert!(
        to.contains("code_challenge_method=S256") && to.contains("user-top-read"),
        "{to}"
    );
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("spotify_auth_state="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=600"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    let state = cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .unwrap();
    assert!(
        to.contains(&format!("state={state}")),
        "the cookie's state goes to Spotify"
    );
    // A callback whose state is not the cookie's (a forged link) signs nobody in.
    let mut forged = agent
        .get(format!("{url}/callback?code=AQforged&state=not-{state}"))
        .header("Cookie", format!("spotify_auth_state={state}"))
        .call()
        .unwrap();
    assert_eq!(forged.status(), 200);
    let page = forged.body_mut().read_to_string().unwrap();
    assert!(
        page.contains("Sign-in failed") && page.contains("id=\"login\""),
        "{page}"
    );
    assert!(
        forged.headers().get("set-cookie").is_none(),
        "no session for a forged callback"
    );
    // Without the cookie at all: an expired sign-in, not an error.
    let mut stale = agent
        .get(format!("{url}/callback?code=AQx&state={state}"))
        .call()
        .unwrap();
    assert!(
        stale
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("expired")
    );
    // A session cookie the app never gave is a visitor, not an error.
    let mut visitor = agent
        .get(format!("{url}/"))
        .header("Cookie", "sid=made-up")
        .call()
        .unwrap();
    assert_eq!(visitor.status(), 200);
    assert!(
        visitor
            .body_mut()
            .read_to_string()
            .unwrap()
            .contains("id=\"login\"")
    );
    assert_eq!(emulator.requests(Route::Token), 0, "nothing was exchanged");
}
