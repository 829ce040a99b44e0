//! The "Player" section of the Web API reference: reading and controlling the user's
//! playback. Every command needs a Premium user (else 403 with reason `PREMIUM_REQUIRED`) and
//! an active device or a `device_id` (else 404 `NO_ACTIVE_DEVICE`): match them with
//! [`Error::reason_kind`](crate::Error::reason_kind).
//!
//! Pausing, resuming, seeking, setting volume, repeat or shuffle, and transferring are
//! idempotent and may be retried; skipping and adding to the queue are **not**, and the
//! session never sends them again once they may have been processed.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::{Endpoint, get};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::{ContextUri, PlayableUri};
use crate::message::{Method, Request, Response};
use crate::model::{Device, PlaybackState, Queue};
use crate::response::{decode, error_from_response};
use crate::url::BaseUrl;

/// A success with nothing to read.
fn nothing(response: &Response<'_>) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

/// `204 No Content` (or an empty 200) is "nothing is playing": `None`.
fn maybe_state(response: &Response<'_>) -> Result<Option<PlaybackState>, Error> {
    if response.is_success() && response.body().iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    decode(response, "playback state").map(Some)
}

/// A command to the player: `METHOD {api}/me/player{path}?{query}`.
fn command(method: Method, api: &BaseUrl, path: &str, query: FormBuilder) -> Request {
    let mut url = api.join(format_args!("/me/player{path}"));
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.finish());
    }
    Request::new(method, url)
}

macro_rules! reads {
    ($(#[$doc:meta])* $name:ident, $path:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            market: Option<String>,
            episodes: bool,
        }

        impl $name {
            /// The user's playback now.
            pub fn new() -> Self {
                Self::default()
            }

            /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
            #[must_use]
            pub fn market(mut self, market: impl Into<String>) -> Self {
                self.market = Some(market.into());
                self
            }

            /// Reads an episode as an episode (`additional_types=episode`); without it,
            /// Spotify shows an episode in a track's shape.
            #[must_use]
            pub fn with_episodes(mut self) -> Self {
                self.episodes = true;
                self
            }
        }

        impl Endpoint for $name {
            type Output = Option<PlaybackState>;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .optional("market", self.market.as_deref())
                    .optional("additional_types", self.episodes.then_some("episode"));
                get(api, format_args!($path), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
                maybe_state(response)
            }
        }
    };
}

reads!(
    /// Get Playback State: `GET /me/player`, the device, progress, shuffle and repeat state and
    /// the item; `None` when nothing is active (204). Idempotent.
    GetPlaybackState, "/me/player"
);
reads!(
    /// Get Currently Playing Track: `GET /me/player/currently-playing`; `None` when nothing
    /// plays (204). Idempotent.
    GetCurrentlyPlaying, "/me/player/currently-playing"
);

/// Get Available Devices: `GET /me/player/devices`. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GetAvailableDevices;

impl GetAvailableDevices {
    /// The user's devices.
    pub fn new() -> Self {
        Self
    }
}

impl Endpoint for GetAvailableDevices {
    type Output = Vec<Device>;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/me/player/devices"),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Vec<Device>, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            #[serde(default)]
            devices: Vec<Device>,
        }
        decode::<Answer>(response, "devices").map(|answer| answer.devices)
    }
}

/// Transfer Playback: `PUT /me/player` to this device, playing or keeping the state it had.
/// Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TransferPlayback {
    device_ids: [String; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    play: Option<bool>,
}

impl TransferPlayback {
    /// To this device (the reference takes exactly one).
    pub fn new(device_id: impl Into<String>) -> Self {
        Self {
            device_ids: [device_id.into()],
            play: None,
        }
    }

    /// Start playing there (`true`), or keep the current state (`false`, the default).
    #[must_use]
    pub fn play(mut self, play: bool) -> Self {
        self.play = Some(play);
        self
    }
}

impl Endpoint for TransferPlayback {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        Request::new(Method::Put, api.join(format_args!("/me/player"))).with_json(self)
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.device_ids[0].is_empty() {
            return Err(Error::InvalidArgument {
                what: "a device ID is empty",
            });
        }
        Ok(())
    }
}

/// Where in the context playback starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Offset {
    /// At this zero-based position.
    Position {
        /// The position.
        position: u32,
    },
    /// At this item.
    Uri {
        /// The item.
        uri: PlayableUri,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
struct PlayBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    context_uri: Option<ContextUri>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uris: Option<Vec<PlayableUri>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<Offset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position_ms: Option<u64>,
}

/// Start/Resume Playback: `PUT /me/player/play`, resuming, or playing a context (an album,
/// artist, playlist or show) or a list of tracks and episodes, from an offset and a position.
/// Idempotent (sent twice, it starts the same thing at the same place).
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, StartPlayback};
/// use spotify_web_core::url::BaseUrl;
///
/// use spotify_web_core::id::ContextUri;
///
/// let play = StartPlayback::context("spotify:album:6akEvsycLGftJxYudPjmqK".parse::<ContextUri>()?)
///     .offset_position(4)
///     .position_ms(30_000)
///     .device("d5b3a2");
/// let request = play.request(&BaseUrl::spotify_api());
/// assert_eq!(request.url(), "https://api.spotify.com/v1/me/player/play?device_id=d5b3a2");
/// assert_eq!(
///     request.body(),
///     br#"{"context_uri":"spotify:album:6akEvsycLGftJxYudPjmqK","offset":{"position":4},"position_ms":30000}"#
/// );
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StartPlayback {
    device: Option<String>,
    body: Option<PlayBody>,
}

impl StartPlayback {
    /// Resumes what was playing.
    pub fn resume() -> Self {
        Self {
            device: None,
            body: None,
        }
    }

    /// Plays a context: an album, artist, playlist, show, audiobook or the user's saved
    /// tracks (a track or episode is not one: play it with [`uris`](Self::uris)).
    pub fn context(uri: impl Into<ContextUri>) -> Self {
        Self {
            device: None,
            body: Some(PlayBody {
                context_uri: Some(uri.into()),
                uris: None,
                offset: None,
                position_ms: None,
            }),
        }
    }

    /// Plays these tracks and episodes, in order.
    pub fn uris(uris: impl IntoIterator<Item = PlayableUri>) -> Self {
        Self {
            device: None,
            body: Some(PlayBody {
                context_uri: None,
                uris: Some(uris.into_iter().collect()),
                offset: None,
                position_ms: None,
            }),
        }
    }

    fn body(&mut self) -> &mut PlayBody {
        self.body.get_or_insert(PlayBody {
            context_uri: None,
            uris: None,
            offset: None,
            position_ms: None,
        })
    }

    /// Starts at this zero-based position of the context or list.
    #[must_use]
    pub fn offset_position(mut self, position: u32) -> Self {
        self.body().offset = Some(Offset::Position { position });
        self
    }

    /// Starts at this item of the context or list.
    #[must_use]
    pub fn offset_uri(mut self, uri: PlayableUri) -> Self {
        self.body().offset = Some(Offset::Uri { uri });
        self
    }

    /// Starts this many milliseconds into the first item.
    #[must_use]
    pub fn position_ms(mut self, position: u64) -> Self {
        self.body().position_ms = Some(position);
        self
    }

    /// On this device rather than the active one.
    #[must_use]
    pub fn device(mut self, device_id: impl Into<String>) -> Self {
        self.device = Some(device_id.into());
        self
    }
}

impl Endpoint for StartPlayback {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("device_id", self.device.as_deref());
        let request = command(Method::Put, api, "/play", query);
        match &self.body {
            Some(body) => request.with_json(body),
            None => request,
        }
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }

    fn validate(&self) -> Result<(), Error> {
        match &self.body {
            Some(PlayBody {
                context_uri: None,
                uris: None,
                offset: Some(_),
                ..
            }) => Err(Error::InvalidArgument {
                what: "an offset needs a context or a list of URIs",
            }),
            Some(PlayBody {
                uris: Some(uris), ..
            }) if uris.is_empty() => Err(Error::InvalidArgument {
                what: "no URIs were given",
            }),
            _ => Ok(()),
        }
    }
}

macro_rules! device_command {
    (
        $(#[$doc:meta])* $name:ident, $method:ident, $path:literal
        $(, $field:ident: $ty:ty => $key:literal, $show:expr)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            device: Option<String>,
            $($field: $ty,)?
        }

        impl $name {
            /// On this device rather than the active one.
            #[must_use]
            pub fn device(mut self, device_id: impl Into<String>) -> Self {
                self.device = Some(device_id.into());
                self
            }
        }

        impl Endpoint for $name {
            type Output = ();

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default();
                $(
                    let show: fn(&$ty) -> String = $show;
                    let query = query.pair($key, &show(&self.$field));
                )?
                let query = query.optional("device_id", self.device.as_deref());
                command(Method::$method, api, $path, query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
                nothing(response)
            }
        }
    };
}

device_command!(
    /// Pause Playback: `PUT /me/player/pause`. Idempotent.
    PausePlayback, Put, "/pause"
);
device_command!(
    /// Skip to Next: `POST /me/player/next`. **Not idempotent**: never sent again once it may
    /// have been processed (a second skip would skip twice).
    SkipToNext, Post, "/next"
);
device_command!(
    /// Skip to Previous: `POST /me/player/previous`. **Not idempotent**, as [`SkipToNext`].
    SkipToPrevious, Post, "/previous"
);
device_command!(
    /// Seek to Position: `PUT /me/player/seek?position_ms=…`. Idempotent.
    SeekToPosition, Put, "/seek", position_ms: u64 => "position_ms", |ms| alloc::format!("{ms}")
);
device_command!(
    /// Set Repeat Mode: `PUT /me/player/repeat?state=…`. Idempotent.
    SetRepeatMode, Put, "/repeat", state: RepeatMode => "state", |mode| mode.as_str().into()
);
device_command!(
    /// Set Playback Volume: `PUT /me/player/volume?volume_percent=…` (0 to 100). Idempotent.
    SetPlaybackVolume, Put, "/volume", percent: u8 => "volume_percent", |p| alloc::format!("{p}")
);
device_command!(
    /// Toggle Playback Shuffle: `PUT /me/player/shuffle?state=…`. Idempotent.
    TogglePlaybackShuffle, Put, "/shuffle", on: bool => "state", |on| alloc::format!("{on}")
);
device_command!(
    /// Add Item to Playback Queue: `POST /me/player/queue?uri=…`. **Not idempotent**: sent
    /// twice, the item is queued twice, so it is never sent again once it may have been
    /// processed.
    AddItemToQueue, Post, "/queue", uri: PlayableUri => "uri", |uri| alloc::format!("{uri}")
);

impl PausePlayback {
    /// Pauses the active device.
    pub fn new() -> Self {
        Self { device: None }
    }
}

impl Default for PausePlayback {
    fn default() -> Self {
        Self::new()
    }
}

impl SkipToNext {
    /// Skips on the active device.
    pub fn new() -> Self {
        Self { device: None }
    }
}

impl Default for SkipToNext {
    fn default() -> Self {
        Self::new()
    }
}

impl SkipToPrevious {
    /// Skips back on the active device.
    pub fn new() -> Self {
        Self { device: None }
    }
}

impl Default for SkipToPrevious {
    fn default() -> Self {
        Self::new()
    }
}

impl SeekToPosition {
    /// Seeks to this many milliseconds into the item (past its end skips to the next).
    pub fn new(position_ms: u64) -> Self {
        Self {
            device: None,
            position_ms,
        }
    }
}

impl SetRepeatMode {
    /// Repeats the track, the context, or nothing.
    pub fn new(state: RepeatMode) -> Self {
        Self {
            device: None,
            state,
        }
    }
}

impl SetPlaybackVolume {
    /// Sets the volume, 0 to 100.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] above 100.
    pub fn new(percent: u8) -> Result<Self, Error> {
        if percent > 100 {
            return Err(Error::InvalidArgument {
                what: "a volume is 0 to 100",
            });
        }
        Ok(Self {
            device: None,
            percent,
        })
    }
}

impl TogglePlaybackShuffle {
    /// Turns shuffle on or off.
    pub fn new(on: bool) -> Self {
        Self { device: None, on }
    }
}

impl AddItemToQueue {
    /// Adds this track or episode to the end of the queue.
    pub fn new(uri: PlayableUri) -> Self {
        Self { device: None, uri }
    }
}

/// What Set Repeat Mode repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RepeatMode {
    /// The current track.
    Track,
    /// The current context.
    Context,
    /// Nothing.
    Off,
}

impl RepeatMode {
    /// The word on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::Context => "context",
            Self::Off => "off",
        }
    }
}

/// Get the User's Queue: `GET /me/player/queue`. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GetUsersQueue;

impl GetUsersQueue {
    /// The user's queue.
    pub fn new() -> Self {
        Self
    }
}

impl Endpoint for GetUsersQueue {
    type Output = Queue;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/me/player/queue"),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Queue, Error> {
        decode(response, "queue")
    }
}
