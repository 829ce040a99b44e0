//! The Redis store and gate against a real `redis-server` (started by each test on a Unix
//! socket of its own) and the emulator, with the clients in separate processes: this test
//! binary runs itself again as each of them (`child`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use spotify_web_core::auth::{
    AuthorizeUrl, ClientCredentials, ClientId, CsrfState, PkceVerifier, RedirectUri, UserClient,
    parse_callback,
};
use spotify_web_core::endpoint::{GetAlbum, GetArtist, GetCurrentUser};
use spotify_web_core::session::Config;
use spotify_web_core::store::TokenStore;
use spotify_web_core::url::BaseUrl;
use spotify_web_driver::gate::RateLimitGate;
use spotify_web_emulator::{Emulator, Fault, Route, Target};
use spotify_web_redis::{RedisRateLimitGate, RedisStoreError, RedisTokenStore};

const PREFIX: &str = "test-app";
const ALICE: &str = "alice";
const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";
const DISCOVERY: &str = "2noRn2Aes5aoNVsU6iWThc";

/// A `redis-server` of this test's own, on a Unix socket in a fresh folder.
struct RedisServer {
    child: Child,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts one, or says why not and returns `None` where `redis-server` is not installed
    /// (where `.ci/run` installed it and set `SPOTIFY_WEB_REDIS_REQUIRED=1`, that is a
    /// failure).
    fn start(name: &str) -> Option<Self> {
        let dir =
            std::env::temp_dir().join(format!("spotify-web-redis-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("redis.sock");
        let spawned = Command::new("redis-server")
            .args([
                "--port",
                "0",
                "--save",
                "",
                "--appendonly",
                "no",
                "--unixsocket",
            ])
            .arg(&socket)
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if std::env::var_os("SPOTIFY_WEB_REDIS_REQUIRED").is_none() => {
                eprintln!(
                    "redis-server could not be started ({error}): skipped (Debian: apt-get install redis-server)"
                );
                return None;
            }
            Err(error) => {
                panic!("redis-server could not be started, but .ci/run installed it: {error}")
            }
        };
        let server = Self { child, dir };
        let started = Instant::now();
        loop {
            let ping = server
                .client()
                .get_connection()
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            if ping.is_ok() {
                return Some(server);
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self) -> String {
        format!("redis+unix://{}", self.dir.join("redis.sock").display())
    }

    fn client(&self) -> redis::Client {
        redis::Client::open(self.url()).unwrap()
    }

    fn pttl(&self, key: &str) -> i64 {
        let mut connection = self.client().get_connection().unwrap();
        redis::cmd("PTTL").arg(key).query(&mut connection).unwrap()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn user(emulator: &Emulator) -> UserClient {
    UserClient::pkce(ClientId::new(emulator.client_id()))
}

fn config(accounts: &str, api: &str) -> Config {
    Config::default()
        .with_accounts_url(BaseUrl::new(accounts).unwrap())
        .with_api_url(BaseUrl::new(api).unwrap())
}

/// Signs the emulator's demo user in, tokens into Redis under `ALICE`.
fn sign_in(emulator: &Emulator, redis: &RedisServer) {
    let redirect = RedirectUri::new("http://127.0.0.1/callback").unwrap();
    let state = CsrfState::from_random(&[7; 16]).unwrap();
    let verifier = PkceVerifier::from_random(&[3; 32]).unwrap();
    let accounts = BaseUrl::new(emulator.accounts_url()).unwrap();
    let url = AuthorizeUrl::new(user(emulator).id(), &redirect, &state)
        .pkce(&verifier)
        .build(&accounts);
    let code = parse_callback(&emulator.approve(&url).unwrap(), &state).unwrap();
    let store = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
    spotify_web_ureq::Client::user_builder(user(emulator), store)
        .config(config(emulator.accounts_url(), emulator.api_url()))
        .login(code, &redirect, Some(&verifier))
        .unwrap();
}

/// Starts this binary again as a client process: `role` says what it does.
fn spawn(role: &str, emulator: &Emulator, redis: &RedisServer) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads", "1"])
        .env("SPOTIFY_WEB_REDIS_CHILD", role)
        .env("SPOTIFY_WEB_REDIS_URL", redis.url())
        .env("SPOTIFY_WEB_ACCOUNTS", emulator.accounts_url())
        .env("SPOTIFY_WEB_API", emulator.api_url())
        .env("SPOTIFY_WEB_CLIENT_ID", emulator.client_id())
        .env("SPOTIFY_WEB_CLIENT_SECRET", emulator.client_secret())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a client process and checks that it did its part.
fn finished(child: Child, role: &str) {
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("child done"),
        "{role}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What a client process does, by its role; nothing when run as a test of its own.
#[test]
fn child() {
    let Ok(role) = std::env::var("SPOTIFY_WEB_REDIS_CHILD") else {
        return;
    };
    let env = |name: &str| std::env::var(name).unwrap();
    let redis = redis::Client::open(env("SPOTIFY_WEB_REDIS_URL")).unwrap();
    let config = config(&env("SPOTIFY_WEB_ACCOUNTS"), &env("SPOTIFY_WEB_API"));
    let user = UserClient::pkce(ClientId::new(env("SPOTIFY_WEB_CLIENT_ID")));
    let credentials = ClientCredentials::new(
        env("SPOTIFY_WEB_CLIENT_ID"),
        env("SPOTIFY_WEB_CLIENT_SECRET"),
    );
    match role.as_str() {
        // The demo user's profile, from the token in Redis.
        "profile" => {
            let store = RedisTokenStore::new(redis, PREFIX, ALICE);
            let client = spotify_web_ureq::Client::user_builder(user, store)
                .config(config)
                .build()
                .unwrap();
            client.send(GetCurrentUser::new()).unwrap();
        }
        "profile-async" => runtime().block_on(async {
            let connection = redis::aio::ConnectionManager::new(redis).await.unwrap();
            let store = spotify_web_redis::AsyncRedisTokenStore::new(connection, PREFIX, ALICE);
            let client = spotify_web_hyper::Client::user_builder_async_store(user, store)
                .config(config)
                .build_async()
                .await
                .unwrap();
            client.send(GetCurrentUser::new()).await.unwrap();
        }),
        // An artist (the one the emulator answers 429 for) or an album (told apart from it),
        // sharing the app's gate.
        "artist" | "album" => {
            let client = spotify_web_ureq::Client::builder(credentials)
                .config(config)
                .rate_limit_gate(RedisRateLimitGate::new(redis, PREFIX))
                .build()
                .unwrap();
            if role == "artist" {
                client
                    .send(GetArtist::new(RADIOHEAD.parse().unwrap()))
                    .unwrap();
            } else {
                client
                    .send(GetAlbum::new(DISCOVERY.parse().unwrap()))
                    .unwrap();
            }
        }
        "artist-async" | "album-async" => runtime().block_on(async {
            let connection = redis::aio::ConnectionManager::new(redis).await.unwrap();
            let gate = spotify_web_redis::AsyncRedisRateLimitGate::new(connection, PREFIX);
            let client = spotify_web_hyper::Client::builder(credentials)
                .config(config)
                .rate_limit_gate(gate)
                .build()
                .unwrap();
            if role == "artist-async" {
                let artist = GetArtist::new(RADIOHEAD.parse().unwrap());
                client.send(artist).await.unwrap();
            } else {
                let album = GetAlbum::new(DISCOVERY.parse().unwrap());
                client.send(album).await.unwrap();
            }
        }),
        other => panic!("unknown role {other}"),
    }
    println!("child done");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Two processes find the user's token stale at once; the emulator rotates the refresh token
/// on each renewal (PKCE), so a second renewal with the first one's refresh token would be
/// refused. One renews, the other waits for the lock and takes what it saved.
fn two_processes_renew_once(first: &str, second: &str) {
    let Some(redis) = RedisServer::start(&format!("renew-{first}-{second}")) else {
        return;
    };
    let emulator = Emulator::start().unwrap();
    sign_in(&emulator, &redis);
    let mut store = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
    let mut stale = store.load().unwrap().expect("signed in");
    let signed_in_refresh = stale.refresh_token.clone();
    stale.expires_at_unix = 0;
    store.save(&stale).unwrap();
    emulator.reset_counters();
    // Each renewal takes a while: without the lock, both would be under way together.
    emulator.inject(Target::Token, Fault::Delay(Duration::from_millis(400)), 2);
    let children = [
        spawn(first, &emulator, &redis),
        spawn(second, &emulator, &redis),
    ];
    for (child, role) in children.into_iter().zip([first, second]) {
        finished(child, role);
    }
    assert_eq!(
        emulator.requests(Route::Token),
        1,
        "one renewal between the two"
    );
    assert_eq!(emulator.requests(Route::Me), 2);
    let renewed = store.load().unwrap().unwrap();
    assert_ne!(
        renewed.refresh_token, signed_in_refresh,
        "the rotated refresh token is kept"
    );
    assert_eq!(
        redis.pttl(&format!("{PREFIX}:user:{ALICE}:renewing")),
        -2,
        "the lock is released"
    );
}

#[test]
fn two_blocking_processes_renewing_one_users_token_send_one_refresh() {
    two_processes_renew_once("profile", "profile");
}

#[test]
fn two_async_processes_renewing_one_users_token_send_one_refresh() {
    two_processes_renew_once("profile-async", "profile-async");
}

#[test]
fn a_blocking_and_an_async_process_share_one_renewal() {
    two_processes_renew_once("profile", "profile-async");
}

/// One process gets a 429 with `Retry-After: 2`; another, started while the gate is closed
/// and ready to send, sends nothing to the API until the gate's key has expired by itself.
fn a_429_holds_the_other_process(publisher: &str, other: &str) {
    let Some(redis) = RedisServer::start(&format!("gate-{publisher}-{other}")) else {
        return;
    };
    let gate = format!("{PREFIX}:rate-limited");
    let emulator = Emulator::start().unwrap();
    emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(2),
        },
        1,
    );
    let first = spawn(publisher, &emulator, &redis);
    let started = Instant::now();
    while redis.pttl(&gate) <= 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the 429 was never published"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let closed = Instant::now();
    let second = spawn(other, &emulator, &redis);
    // The second process is ready once it has its token (token requests are not held).
    while emulator.requests(Route::Token) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the second process got no token"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut looks = 0;
    while redis.pttl(&gate) > 0 {
        assert_eq!(
            emulator.requests(Route::Album),
            0,
            "an album request inside the window"
        );
        looks += 1;
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(looks > 10, "the window was watched {looks} times only");
    assert!(
        closed.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        closed.elapsed()
    );
    finished(second, other);
    finished(first, publisher);
    assert_eq!(emulator.requests(Route::Album), 1);
    assert_eq!(
        emulator.requests(Route::Artist),
        2,
        "the 429, then its retry"
    );
    assert_eq!(redis.pttl(&gate), -2, "the gate's key expired by itself");
}

#[test]
fn a_429_in_a_blocking_process_holds_an_async_one() {
    a_429_holds_the_other_process("artist", "album-async");
}

#[test]
fn a_429_in_an_async_process_holds_a_blocking_one() {
    a_429_holds_the_other_process("artist-async", "album");
}

#[test]
fn the_renewal_lock_waits_for_its_holder_and_expires_without_it() {
    let Some(redis) = RedisServer::start("lock") else {
        return;
    };
    let emulator = Emulator::start().unwrap();
    sign_in(&emulator, &redis);
    let mut first = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
    let held = first.begin_renewal().unwrap().expect("the signed-in token");
    let lock = format!("{PREFIX}:user:{ALICE}:renewing");
    assert!(redis.pttl(&lock) > 0);
    std::thread::scope(|scope| {
        let waiter = scope.spawn(|| {
            let mut second = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
            let started = Instant::now();
            let seen = second.begin_renewal().unwrap().unwrap();
            second.end_renewal().unwrap();
            (started.elapsed(), seen)
        });
        std::thread::sleep(Duration::from_millis(300));
        let mut renewed = held.clone();
        renewed.access_token = "renewed-by-the-first".into();
        first.save(&renewed).unwrap();
        first.end_renewal().unwrap();
        let (waited, seen) = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(250), "{waited:?}");
        assert_eq!(
            seen.access_token, "renewed-by-the-first",
            "it reads what the holder saved"
        );
    });
    // A holder that never releases (a process that died) stops the others for the lock's
    // time to live only.
    let mut dies =
        RedisTokenStore::new(redis.client(), PREFIX, ALICE).lock_ttl(Duration::from_millis(300));
    dies.begin_renewal().unwrap();
    let started = Instant::now();
    let mut next = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
    next.begin_renewal().unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    // Its late release does not free the lock the next holder took.
    dies.end_renewal().unwrap();
    assert!(redis.pttl(&lock) > 0, "another's lock was released");
    next.end_renewal().unwrap();
    assert_eq!(redis.pttl(&lock), -2);
}

#[test]
fn the_gate_keeps_the_longest_wait_and_opens_by_itself() {
    let Some(redis) = RedisServer::start("gate-unit") else {
        return;
    };
    let gate = RedisRateLimitGate::new(redis.client(), PREFIX);
    assert_eq!(gate.closed_for().unwrap(), None);
    gate.close_for(Duration::from_millis(800)).unwrap();
    gate.close_for(Duration::from_millis(100)).unwrap();
    let left = gate.closed_for().unwrap().expect("closed");
    assert!(
        left > Duration::from_millis(500),
        "a shorter wait shortened it: {left:?}"
    );
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(gate.closed_for().unwrap(), None);
    assert_eq!(redis.pttl(&format!("{PREFIX}:rate-limited")), -2);
}

#[test]
fn a_key_that_holds_no_token_is_an_error_that_never_repeats_it() {
    let Some(redis) = RedisServer::start("unreadable") else {
        return;
    };
    let mut connection = redis.client().get_connection().unwrap();
    let key = format!("{PREFIX}:user:{ALICE}:token");
    redis::cmd("SET")
        .arg(&key)
        .arg(r#"{"access_token":"BQ-SECRET","expires_at_unix":"AQ-refresh-SECRET"}"#)
        .query::<()>(&mut connection)
        .unwrap();
    let mut store = RedisTokenStore::new(redis.client(), PREFIX, ALICE);
    let error = store.load().unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(
        matches!(error, RedisStoreError::Unreadable { .. }),
        "{text}"
    );
    assert!(!text.contains("SECRET"), "{text}");
    assert!(text.contains(&key), "{text}");
    // Forgetting the user removes it; the store is empty again.
    store.forget().unwrap();
    assert_eq!(store.load().unwrap(), None);
    // And a Redis that cannot be reached is an error, not a panic.
    let mut nowhere = RedisTokenStore::new(
        redis::Client::open("redis+unix:///nonexistent/redis.sock").unwrap(),
        PREFIX,
        ALICE,
    );
    assert!(matches!(nowhere.load(), Err(RedisStoreError::Redis(_))));
}

#[test]
fn tokens_left_unused_are_forgotten_and_used_ones_kept() {
    let Some(redis) = RedisServer::start("idle") else {
        return;
    };
    let emulator = Emulator::start().unwrap();
    sign_in(&emulator, &redis);
    let key = format!("{PREFIX}:user:{ALICE}:token");
    assert_eq!(redis.pttl(&key), -1, "kept until forgotten by default");
    let idle = Duration::from_millis(600);
    let mut store = RedisTokenStore::new(redis.client(), PREFIX, ALICE).forget_after_idle(idle);
    let token = store.load().unwrap().expect("signed in");
    store.save(&token).unwrap();
    // Used every 200 ms for a second: still there.
    for _ in 0..5 {
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(store.load().unwrap().as_ref(), Some(&token));
        assert!(redis.pttl(&key) > 400, "a load starts the time again");
    }
    // Then left alone: gone by itself.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(store.load().unwrap(), None);
    assert_eq!(redis.pttl(&key), -2);
}

#[test]
fn a_redis_that_never_answers_fails_the_call_within_the_timeout() {
    // A listener that accepts connections and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("redis://{}/", silent.local_addr().unwrap());
    let client = redis::Client::open(url).unwrap();
    let timeout = Duration::from_millis(200);
    let mut store = RedisTokenStore::new(client.clone(), PREFIX, ALICE).timeout(timeout);
    let started = Instant::now();
    assert!(matches!(store.load(), Err(RedisStoreError::Redis(_))));
    let gate = RedisRateLimitGate::new(client, PREFIX).timeout(timeout);
    assert!(gate.closed_for().is_err());
    // One try and one retry each, at most: well under a second, never the OS's minutes.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(silent);
}

#[test]
fn an_async_store_given_to_the_blocking_build_is_an_error_that_says_build_async() {
    let Some(redis) = RedisServer::start("build") else {
        return;
    };
    let emulator = Emulator::start().unwrap();
    sign_in(&emulator, &redis);
    runtime().block_on(async {
        let connection = redis::aio::ConnectionManager::new(redis.client())
            .await
            .unwrap();
        let store =
            || spotify_web_redis::AsyncRedisTokenStore::new(connection.clone(), PREFIX, ALICE);
        let builder = || {
            spotify_web_hyper::Client::user_builder_async_store(user(&emulator), store())
                .config(config(emulator.accounts_url(), emulator.api_url()))
        };
        let error = builder().build().unwrap_err();
        assert!(
            matches!(error, spotify_web_driver::Error::TokenStore(_)),
            "{error:?}"
        );
        let why = std::error::Error::source(&error).map(ToString::to_string);
        assert!(
            why.as_deref()
                .is_some_and(|why| why.contains("build_async")),
            "{why:?}"
        );
        let client = builder().build_async().await.unwrap();
        client.send(GetCurrentUser::new()).await.unwrap();
    });
}
