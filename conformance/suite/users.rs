//! Users: sign-in with and without PKCE, refresh, tokens kept in a store.

use spotify_web_conformance::prelude::*;

use super::T;

/// The PKCE flow end to end: authorize, callback, code exchange, the user's profile; the
/// tokens land in the store.
#[test]
fn signs_a_user_in_with_pkce() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let store = SharedStore::default();
    let client = T::user(user, store.clone(), config_for(&emulator), Some(login)).unwrap();
    let me = client.send(GetCurrentUser::new()).unwrap();
    assert_eq!(me.id, "emulator-user");
    assert_eq!(me.email.as_deref(), Some("user@emulator.test"));
    let saved = store
        .get()
        .unwrap_or_else(|| panic!("the login was not saved"));
    assert!(saved.refresh_token.is_some());
    let granted: Vec<&str> = saved.scope.split(' ').collect();
    assert!(
        granted.contains(&"user-read-email") && granted.contains(&"user-read-private"),
        "{granted:?}"
    );
    // Catalog calls work with a user's token too.
    assert_eq!(
        client.send(GetArtist::new(id(RADIOHEAD))).unwrap().name,
        "Radiohead"
    );
}

/// An expired user token is refreshed once, the rotated refresh token saved, and a later
/// client starts from the store without signing in again.
#[test]
fn refreshes_a_user_token_and_saves_it() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let store = SharedStore::default();
    let client = T::user(
        user.clone(),
        store.clone(),
        config_for(&emulator),
        Some(login),
    )
    .unwrap();
    client.send(GetCurrentUser::new()).unwrap();
    let first = store.get().unwrap_or_else(|| panic!("not saved"));
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    let second = store.get().unwrap_or_else(|| panic!("not saved"));
    assert_ne!(second.access_token, first.access_token);
    assert_ne!(
        second.refresh_token, first.refresh_token,
        "PKCE refresh tokens rotate"
    );
    assert_eq!(
        emulator.requests(Route::Token),
        2,
        "one exchange, one refresh"
    );
    drop(client);
    let later = T::user(user, store, config_for(&emulator), None).unwrap();
    assert_eq!(
        later.send(GetCurrentUser::new()).unwrap().id,
        "emulator-user"
    );
    assert_eq!(
        emulator.requests(Route::Token),
        2,
        "the saved token was used as it was"
    );
}

/// Many threads renewing a user's rotating (PKCE) tokens at once leave the newest refresh
/// token in the store: a later client starts from it without signing in again.
#[test]
fn keeps_the_newest_refresh_token_under_rotation() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (user, store) = signed_in_to_a_store(&emulator);
    for round in 0..5 {
        // Each round's client starts from what the store kept.
        let client = T::user(user.clone(), store.clone(), config_for(&emulator), None).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    emulator.expire_tokens();
                    std::thread::sleep(Duration::from_millis(3));
                }
            });
            let threads: Vec<_> = (0..32)
                .map(|_| {
                    let client = client.clone();
                    scope.spawn(move || {
                        for _ in 0..10 {
                            // A call can meet two expiries in a row and end with a 401: what
                            // matters here is what the store keeps.
                            let _ = client.send(GetCurrentUser::new());
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread
                    .join()
                    .unwrap_or_else(|_| panic!("a caller panicked"));
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        // Whatever the store holds must still be good: a new client renews with it.
        emulator.expire_tokens();
        let later = T::user(user.clone(), store.clone(), config_for(&emulator), None).unwrap();
        if let Err(error) = later.send(GetCurrentUser::new()) {
            panic!("round {round}: the stored refresh token no longer works: {error}");
        }
    }
}

/// An app with a secret signs in with it; its refresh answers carry no refresh token, and
/// the old one is kept.
#[test]
fn keeps_the_refresh_token_of_a_confidential_app() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = UserClient::confidential(
        ClientId::new(emulator.client_id()),
        ClientSecret::new(emulator.client_secret()),
    );
    let login = authorize(&emulator, &user, false);
    let store = SharedStore::default();
    let client = T::user(user, store.clone(), config_for(&emulator), Some(login)).unwrap();
    let first = store.get().unwrap_or_else(|| panic!("not saved"));
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    let second = store.get().unwrap_or_else(|| panic!("not saved"));
    assert_ne!(second.access_token, first.access_token);
    assert_eq!(second.refresh_token, first.refresh_token);

    // Spotify may rotate it in this flow too: the new one is saved and used from then on.
    emulator.set_rotate_refresh_tokens(true);
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    let third = store.get().unwrap_or_else(|| panic!("not saved"));
    assert_ne!(third.refresh_token, second.refresh_token, "rotated");
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    assert_ne!(
        store
            .get()
            .unwrap_or_else(|| panic!("not saved"))
            .refresh_token,
        third.refresh_token,
        "the rotated token worked, and rotated again"
    );
}

/// A revoked refresh token ends the call with `invalid_grant`; a reused code is refused; an
/// empty store asks for a login.
#[test]
fn reports_revoked_tokens_reused_codes_and_missing_logins() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let reused = Login {
        code: AuthorizationCode::new(login.code.secret()),
        redirect: login.redirect.clone(),
        verifier: login.verifier.clone(),
    };
    let store = SharedStore::default();
    let client = T::user(user.clone(), store, config_for(&emulator), Some(login)).unwrap();
    emulator.revoke_refresh_tokens();
    emulator.expire_tokens();
    let error = spotify(client.send(GetCurrentUser::new()));
    assert!(
        matches!(&error, Error::Auth(AuthError { error, .. }) if error == "invalid_grant"),
        "{error:?}"
    );
    let error = spotify(T::user(
        user.clone(),
        SharedStore::default(),
        config_for(&emulator),
        Some(reused),
    ));
    assert!(
        matches!(&error, Error::Auth(AuthError { description: Some(d), .. }) if d == "Invalid authorization code"),
        "{error:?}"
    );
    let error = spotify(T::user(
        user,
        SharedStore::default(),
        config_for(&emulator),
        None,
    ));
    assert_eq!(error, Error::LoginRequired);
}

/// Scopes decide what a user's token may do, as Spotify decides it: `/me` shows `email` only
/// with `user-read-email`, and a write without its scope is refused with Spotify's 403.
#[test]
fn scopes_gate_what_a_users_token_may_read_and_do() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize_with(&emulator, &user, true, &[Scope::UserReadPrivate]);
    let client = T::user(
        user,
        SharedStore::default(),
        config_for(&emulator),
        Some(login),
    )
    .unwrap();
    let me = client.send(GetCurrentUser::new()).unwrap();
    assert_eq!(me.email, None, "no user-read-email");
    assert_eq!(me.country.as_deref(), Some("SE"), "user-read-private");
    let error = spotify(client.send(CreatePlaylist::new("Not allowed")));
    assert_eq!(error.status(), Some(403));
    assert!(
        error.to_string().contains("Insufficient client scope"),
        "{error}"
    );
}

/// Two clients of one user whose tokens one store keeps (as two processes sharing Redis): the
/// first renews after a 401 and the emulator rotates the refresh token; the second, meeting
/// the same 401, takes the token the first saved instead of renewing with the refresh token
/// that renewal revoked.
#[test]
fn a_renewal_takes_the_token_another_client_of_the_store_saved() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (user, store) = signed_in_to_a_store(&emulator);
    let first = T::user(user.clone(), store.clone(), config_for(&emulator), None).unwrap();
    let second = T::user(user, store.clone(), config_for(&emulator), None).unwrap();
    let signed_in = store.get().unwrap();
    emulator.reset_counters();
    emulator.expire_tokens();
    first.send(GetCurrentUser::new()).unwrap();
    let renewed = store.get().unwrap();
    assert_ne!(renewed.refresh_token, signed_in.refresh_token, "rotated");
    second
        .send(GetCurrentUser::new())
        .unwrap_or_else(|e| panic!("the second client renewed with a revoked token: {e}"));
    assert_eq!(
        emulator.requests(Route::Token),
        1,
        "one renewal between the two"
    );
    assert_eq!(
        emulator.requests(Route::Me),
        4,
        "two 401s, then two answers"
    );
    assert_eq!(
        store.get().unwrap(),
        renewed,
        "the store keeps the one renewal"
    );
}

/// A PKCE user signed in once, the tokens in a store that later clients share (as processes
/// sharing Redis do): the user, and the store.
fn signed_in_to_a_store(emulator: &Emulator) -> (UserClient, SharedStore) {
    let user = pkce_user(emulator);
    let login = authorize(emulator, &user, true);
    let store = SharedStore::default();
    drop(
        T::user(
            user.clone(),
            store.clone(),
            config_for(emulator),
            Some(login),
        )
        .unwrap(),
    );
    (user, store)
}
