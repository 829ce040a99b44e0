//! The player: nothing playing is `None`, commands without a device or without Premium fail
//! with the reasons Spotify gives, transfer, play a context at an offset, skip (each skip
//! reaches Spotify once, even when its answer is lost), queue, pause.

use spotify_web_conformance::prelude::*;
use spotify_web_core::endpoint::SkipToPrevious;
use spotify_web_core::error::Reason;
use spotify_web_core::id::ContextUri;
use spotify_web_core::model::PlayableItem;

use super::{T, U};

/// "She's So Unusual" (13 tracks in the emulator's catalog).
const ALBUM: &str = "spotify:album:0sNOF9WDwhWunNAHPD3Baj";

fn playing(client: &U) -> String {
    let state = client
        .send(GetPlaybackState::new())
        .unwrap()
        .expect("something plays");
    match state.item {
        Some(PlayableItem::Track(track)) => track.id.uri(),
        other => panic!("expected a track, got {other:?}"),
    }
}

#[test]
fn nothing_playing_no_device_and_no_premium_are_told_apart() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    assert_eq!(client.send(GetPlaybackState::new()).unwrap(), None, "204");
    assert_eq!(client.send(GetCurrentlyPlaying::new()).unwrap(), None);
    let error = spotify(client.send(PausePlayback::new()));
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.reason_kind(), Some(Reason::NoActiveDevice));
    assert!(error.to_string().contains("open Spotify on a device first"));
    emulator.set_premium(false);
    let error = spotify(client.send(SkipToNext::new()));
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.reason_kind(), Some(Reason::PremiumRequired));
    // Reading needs no Premium.
    assert_eq!(client.send(GetAvailableDevices::new()).unwrap().len(), 2);
}

#[test]
fn transfer_play_skip_queue_and_pause() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    let devices = client.send(GetAvailableDevices::new()).unwrap();
    assert!(devices.iter().all(|d| !d.is_active));
    let speaker = devices
        .iter()
        .find(|d| d.kind == "Speaker")
        .and_then(|d| d.id.clone())
        .unwrap();
    client.send(TransferPlayback::new(speaker.clone())).unwrap();
    let devices = client.send(GetAvailableDevices::new()).unwrap();
    assert!(
        devices
            .iter()
            .any(|d| d.is_active && d.id.as_deref() == Some(speaker.as_str()))
    );

    // The album from its third track, 10 s in.
    client
        .send(
            StartPlayback::context(id::<ContextUri>(ALBUM))
                .offset_position(2)
                .position_ms(10_000),
        )
        .unwrap();
    let album = client
        .send(GetAlbum::new(id(&ALBUM["spotify:album:".len()..])))
        .unwrap();
    let tracks: Vec<String> = album
        .tracks
        .as_ref()
        .map(|page| page.items.iter().map(|t| t.id.uri()).collect())
        .unwrap_or_default();
    assert_eq!(playing(&client), tracks[2]);
    let state = client.send(GetPlaybackState::new()).unwrap().unwrap();
    assert!(state.is_playing);
    assert!(state.progress_ms.unwrap_or(0) >= 10_000);
    assert_eq!(state.device.and_then(|d| d.id), Some(speaker));
    assert_eq!(state.context.map(|c| c.uri).as_deref(), Some(ALBUM));

    // Two skips, the second with its answer lost: each reaches the player exactly once.
    let before = emulator.requests(Route::Player);
    client.send(SkipToNext::new()).unwrap();
    emulator.inject(Target::Api, Fault::DropAfterProcessing, 1);
    assert!(
        client.send(SkipToNext::new()).is_err(),
        "the answer was lost"
    );
    assert_eq!(
        emulator.requests(Route::Player) - before,
        2,
        "never sent twice"
    );
    assert_eq!(playing(&client), tracks[4]);

    // Queue an item: it plays next.
    let queued: PlayableUri = id(&tracks[0]);
    client.send(AddItemToQueue::new(queued)).unwrap();
    let queue = client.send(GetUsersQueue::new()).unwrap();
    match queue.queue.first() {
        Some(PlayableItem::Track(track)) => assert_eq!(track.id.uri(), tracks[0]),
        other => panic!("expected the queued track first, got {other:?}"),
    }
    client.send(SkipToNext::new()).unwrap();
    assert_eq!(playing(&client), tracks[0]);
    // Back once: the track before it.
    client.send(SkipToPrevious::new()).unwrap();
    assert_eq!(playing(&client), tracks[4]);

    // Pause (idempotent: a lost answer is retried, and the player stays paused), volume, seek.
    emulator.inject(Target::Api, Fault::DropAfterProcessing, 1);
    client.send(PausePlayback::new()).unwrap();
    let state = client.send(GetPlaybackState::new()).unwrap().unwrap();
    assert!(!state.is_playing);
    assert!(state.actions.disallows("pausing"));
    client.send(SeekToPosition::new(1_000)).unwrap();
    assert_eq!(
        client
            .send(GetCurrentlyPlaying::new())
            .unwrap()
            .and_then(|s| s.progress_ms),
        Some(1_000),
        "paused: progress stays where it was put"
    );
    client.send(SetPlaybackVolume::new(30).unwrap()).unwrap();
    client
        .send(SetRepeatMode::new(RepeatMode::Context))
        .unwrap();
    client.send(TogglePlaybackShuffle::new(true)).unwrap();
    let state = client.send(GetPlaybackState::new()).unwrap().unwrap();
    assert_eq!(state.device.and_then(|d| d.volume_percent), Some(30));
    assert_eq!(state.repeat_state.as_deref(), Some("context"));
    assert_eq!(state.shuffle_state, Some(true));
}
