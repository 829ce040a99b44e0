//! Rules only async clients have: many tasks at once, and futures dropped mid-call.
//!
//! An async transport's test file defines `A`, its async client, and includes this module.

use std::sync::Arc;
use std::time::Duration;

use spotify_web_conformance::prelude::*;

use super::A;

fn client(emulator: &Emulator, config: Config) -> A {
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    trusting_the_emulator(A::builder(credentials))
        .config(config)
        .build()
        .unwrap()
}

fn radiohead() -> GetArtist {
    GetArtist::new(RADIOHEAD.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_calls_cause_one_token_request() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator, config_for(&emulator));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = client.clone();
        tasks.spawn(async move { client.send(radiohead()).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap().unwrap().name, "Radiohead");
    }
    assert_eq!(emulator.requests(Route::Token), 1);
    assert_eq!(emulator.requests(Route::Artist), 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_run_is_renewed_once() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator, config_for(&emulator));
    let barrier = Arc::new(tokio::sync::Barrier::new(65));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let (client, barrier) = (client.clone(), Arc::clone(&barrier));
        tasks.spawn(async move {
            let first = client.send(radiohead()).await.map(|a| a.name);
            barrier.wait().await;
            barrier.wait().await;
            let second = client.send(radiohead()).await.map(|a| a.name);
            (first, second)
        });
    }
    barrier.wait().await;
    // Every task has its first answer; the server now refuses the token they share.
    emulator.expire_tokens();
    barrier.wait().await;
    while let Some(result) = tasks.join_next().await {
        let (first, second) = result.unwrap();
        assert_eq!(first.unwrap(), "Radiohead");
        assert_eq!(second.unwrap(), "Radiohead");
    }
    assert_eq!(emulator.requests(Route::Token), 2);
}

#[tokio::test]
async fn a_dropped_call_does_not_hold_up_the_token() {
    let emulator = Emulator::start().unwrap();
    // Others would wait a minute for an abandoned token request if nobody said so.
    let client = client(
        &emulator,
        config_for(&emulator).with_token_wait(Duration::from_secs(60)),
    );
    emulator.inject(Target::Token, Fault::Delay(Duration::from_secs(5)), 1);
    let dropped = tokio::time::timeout(Duration::from_millis(100), client.send(radiohead())).await;
    assert!(
        dropped.is_err(),
        "the first call should still have been waiting"
    );
    let artist = tokio::time::timeout(Duration::from_secs(4), client.send(radiohead())).await;
    assert_eq!(
        artist
            .expect("the second call waited for the dropped one")
            .unwrap()
            .name,
        "Radiohead"
    );
}

#[test]
fn the_client_and_its_futures_are_send() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<A>();
    fn assert_send<T: Send>(_: &T) {}
    let client = A::new(ClientCredentials::new("id", "secret")).unwrap();
    assert_send(&client.send(radiohead()));
}
