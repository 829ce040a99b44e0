//! The player's answers and errors, from recorded answers and the shapes the reference gives.

use spotify_web_core::Error;
use spotify_web_core::endpoint::{
    AddItemToQueue, Endpoint, GetAvailableDevices, GetCurrentlyPlaying, GetPlaybackState,
    GetUsersQueue, PausePlayback, SetPlaybackVolume, SkipToNext, StartPlayback,
};
use spotify_web_core::error::Reason;
use spotify_web_core::id::ContextUri;
use spotify_web_core::message::Response;
use spotify_web_core::model::{PlayableItem, PlayingKind};
use spotify_web_core::url::BaseUrl;

#[test]
fn playback_state_with_a_track_or_an_episode() {
    let state = GetPlaybackState::new()
        .parse(&Response::new(200, fixture!("player_state_java")))
        .unwrap()
        .expect("something plays");
    assert!(state.is_playing);
    assert_eq!(state.progress_ms, Some(69_937));
    assert_eq!(state.repeat_state.as_deref(), Some("off"));
    assert_eq!(
        state.device.as_ref().map(|d| d.kind.as_str()),
        Some("Computer")
    );
    assert!(state.actions.disallows("resuming"));
    assert!(
        !state.actions.disallows("pausing"),
        "an action not named is allowed"
    );
    assert!(matches!(state.item, Some(PlayableItem::Track(_))));

    let episode = GetPlaybackState::new()
        .with_episodes()
        .parse(&Response::new(200, fixture!("player_state_episode_java")))
        .unwrap()
        .unwrap();
    assert_eq!(episode.playing_kind(), PlayingKind::Episode);
    assert!(matches!(episode.item, Some(PlayableItem::Episode(_))));

    let now = GetCurrentlyPlaying::new()
        .parse(&Response::new(
            200,
            fixture!("player_currently_playing_java"),
        ))
        .unwrap()
        .unwrap();
    assert!(!now.is_playing);
    let episode = GetCurrentlyPlaying::new()
        .parse(&Response::new(
            200,
            fixture!("player_currently_playing_episode_java"),
        ))
        .unwrap()
        .unwrap();
    assert!(episode.item.is_some());
}

#[test]
fn nothing_playing_an_ad_and_unknown_devices_are_answers_not_errors() {
    assert_eq!(
        GetPlaybackState::new()
            .parse(&Response::new(204, b""))
            .unwrap(),
        None
    );
    assert_eq!(
        GetCurrentlyPlaying::new()
            .parse(&Response::new(200, b""))
            .unwrap(),
        None
    );
    let ad = br#"{"timestamp":1,"progress_ms":5000,"is_playing":true,"item":null,"currently_playing_type":"ad","actions":{"disallows":{"seeking":true}}}"#;
    let state = GetCurrentlyPlaying::new()
        .parse(&Response::new(200, ad))
        .unwrap()
        .unwrap();
    assert_eq!(state.currently_playing_type, "ad");
    assert_eq!(state.playing_kind(), PlayingKind::Ad);
    assert_eq!(state.item, None);
    assert!(state.actions.disallows("seeking"));

    let devices = GetAvailableDevices::new()
        .parse(&Response::new(200, fixture!("player_devices_java")))
        .unwrap();
    assert!(!devices.is_empty());
    let none = GetAvailableDevices::new()
        .parse(&Response::new(200, fixture!("player_devices_none_java")))
        .unwrap();
    assert!(none.is_empty());
    let future = br#"{"devices":[{"id":null,"is_active":false,"name":"Car","type":"HoverCar","volume_percent":null}]}"#;
    let devices = GetAvailableDevices::new()
        .parse(&Response::new(200, future))
        .unwrap();
    assert_eq!(devices[0].kind, "HoverCar");
    assert_eq!(devices[0].id, None);

    let queue = GetUsersQueue::new()
        .parse(&Response::new(200, fixture!("player_queue_java")))
        .unwrap();
    assert_eq!(queue.queue.len(), 20);
}

#[test]
fn player_errors_carry_a_reason_to_match_and_advice() {
    let premium = PausePlayback::new()
        .parse(&Response::new(
            403,
            fixture!("error_regular_403_premium_required"),
        ))
        .unwrap_err();
    assert_eq!(premium.reason_kind(), Some(Reason::PremiumRequired));
    assert!(premium.to_string().contains("Premium"), "{premium}");
    let body = br#"{"error":{"status":404,"message":"Player command failed: No active device found","reason":"NO_ACTIVE_DEVICE"}}"#;
    let none = SkipToNext::new()
        .parse(&Response::new(404, body))
        .unwrap_err();
    assert_eq!(none.reason_kind(), Some(Reason::NoActiveDevice));
    assert!(none.to_string().contains("open Spotify on a device first"));
    let body = br#"{"error":{"status":403,"message":"Player command failed: Restriction violated","reason":"BRAND_NEW_REASON"}}"#;
    let other = PausePlayback::new()
        .parse(&Response::new(403, body))
        .unwrap_err();
    assert_eq!(
        other.reason_kind(),
        Some(Reason::Other("BRAND_NEW_REASON".into()))
    );
}

#[test]
fn skips_and_queue_adds_are_not_idempotent_the_rest_is() {
    let api = BaseUrl::spotify_api();
    let track = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap();
    assert!(!SkipToNext::new().request(&api).is_idempotent());
    assert!(!AddItemToQueue::new(track).request(&api).is_idempotent());
    assert!(PausePlayback::new().request(&api).is_idempotent());
    assert!(
        SetPlaybackVolume::new(40)
            .unwrap()
            .request(&api)
            .is_idempotent()
    );
    assert!(SetPlaybackVolume::new(101).is_err());
    assert!(
        StartPlayback::resume()
            .offset_position(3)
            .validate()
            .is_err(),
        "an offset needs something to play"
    );
    assert!(
        matches!(
            "spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse::<ContextUri>(),
            Err(spotify_web_core::id::IdError::WrongKind { .. })
        ),
        "a track is not a context"
    );
    let liked: ContextUri = "spotify:user:smedjan:collection".parse().unwrap();
    assert!(StartPlayback::context(liked).validate().is_ok());
    assert!(matches!(
        StartPlayback::uris([]).validate(),
        Err(Error::InvalidArgument { .. })
    ));
}
