//! The demo user's player: two devices, an active one (none at start), what plays (a context's
//! tracks or a list), a queue, progress that advances with the clock while playing, shuffle,
//! repeat and volume, and a Premium flag (off, every command gets Spotify's
//! `PREMIUM_REQUIRED`; with no active device and no `device_id`, `NO_ACTIVE_DEVICE`).

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{Value, json};

use crate::catalog::Catalog;
use crate::playlists::{Call, Playlists, now_millis};

/// A player error: status, message and Spotify's `reason`.
pub(crate) type PlayerFailure = (u16, &'static str, Option<&'static str>);

/// What a player route answers.
pub(crate) type Answer = Result<(u16, Option<Value>), PlayerFailure>;

const NO_DEVICE: PlayerFailure = (
    404,
    "Player command failed: No active device found",
    Some("NO_ACTIVE_DEVICE"),
);
const PREMIUM: PlayerFailure = (
    403,
    "Player command failed: Premium required",
    Some("PREMIUM_REQUIRED"),
);

struct Device {
    id: &'static str,
    name: &'static str,
    kind: &'static str,
    volume: u8,
}

pub(crate) struct Player {
    devices: Vec<Device>,
    active: Option<usize>,
    context: Option<String>,
    /// Track IDs of what plays, in order, and where in it playback is.
    items: Vec<String>,
    index: usize,
    queue: Vec<String>,
    playing: bool,
    /// Progress when it last changed, and when that was.
    progress: (u64, Instant),
    shuffle: bool,
    repeat: &'static str,
    pub(crate) premium: bool,
}

impl Default for Player {
    fn default() -> Self {
        Self {
            devices: vec![
                Device {
                    id: "emulator-speaker-0001",
                    name: "Kitchen speaker",
                    kind: "Speaker",
                    volume: 50,
                },
                Device {
                    id: "emulator-phone-0002",
                    name: "Phone",
                    kind: "Smartphone",
                    volume: 80,
                },
            ],
            active: None,
            context: None,
            items: Vec::new(),
            index: 0,
            queue: Vec::new(),
            playing: false,
            progress: (0, Instant::now()),
            shuffle: false,
            repeat: "off",
            premium: true,
        }
    }
}

fn track_ids(value: &Value) -> Vec<String> {
    value["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|t| t["id"].as_str().map(Into::into))
                .collect()
        })
        .unwrap_or_default()
}

impl Player {
    fn current(&self) -> Option<&String> {
        self.items.get(self.index)
    }

    fn progress_ms(&self, catalog: &Catalog) -> u64 {
        let (base, since) = self.progress;
        let elapsed = if self.playing {
            u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
        } else {
            0
        };
        let duration = self
            .current()
            .and_then(|id| catalog.track(id, false).ok())
            .and_then(|t| t["duration_ms"].as_u64())
            .unwrap_or(u64::MAX);
        base.saturating_add(elapsed).min(duration)
    }

    fn set_progress(&mut self, ms: u64) {
        self.progress = (ms, Instant::now());
    }

    /// The device a command acts on: the one named (which becomes active), or the active one.
    fn device(&mut self, query: &HashMap<String, String>) -> Result<usize, PlayerFailure> {
        match query.get("device_id") {
            Some(id) => {
                let index = self.devices.iter().position(|d| d.id == id).ok_or((
                    404,
                    "Device not found",
                    None,
                ))?;
                self.active = Some(index);
                Ok(index)
            }
            None => self.active.ok_or(NO_DEVICE),
        }
    }

    fn device_json(&self, index: usize) -> Value {
        let device = &self.devices[index];
        json!({
            "id": device.id,
            "is_active": self.active == Some(index),
            "is_private_session": false,
            "is_restricted": false,
            "name": device.name,
            "type": device.kind,
            "volume_percent": device.volume,
            "supports_volume": true,
        })
    }

    fn state(&self, catalog: &Catalog, call: &Call<'_>, full: bool) -> Option<Value> {
        let active = self.active?;
        let current = self.current()?;
        let item = catalog
            .track(current, call.development_mode)
            .unwrap_or(Value::Null);
        let context = self.context.as_ref().map(|uri| {
            let kind = uri.split(':').nth(1).unwrap_or_default();
            let id = uri.split(':').nth(2).unwrap_or_default();
            json!({
                "type": kind,
                "uri": uri,
                "href": format!("{}/{kind}s/{id}", call.base),
                "external_urls": {"spotify": format!("https://open.spotify.com/{kind}/{id}")},
            })
        });
        let mut state = json!({
            "timestamp": now_millis(),
            "context": context,
            "progress_ms": self.progress_ms(catalog),
            "is_playing": self.playing,
            "item": item,
            "currently_playing_type": "track",
            "actions": {"disallows": {
                "pausing": !self.playing,
                "resuming": self.playing,
                "skipping_prev": self.index == 0,
            }},
        });
        if full {
            state["device"] = self.device_json(active);
            state["repeat_state"] = json!(self.repeat);
            state["shuffle_state"] = json!(self.shuffle);
        }
        Some(state)
    }

    pub(crate) fn respond(
        &mut self,
        catalog: &Catalog,
        playlists: &Playlists,
        call: &Call<'_>,
    ) -> Answer {
        use hyper::Method as M;
        if !call.user {
            return Err((401, "This request requires user authentication.", None));
        }
        let command = *call.method != M::GET;
        let needed: &[&str] = match (command, call.segments.get(2).copied()) {
            (true, _) => &["user-modify-playback-state"],
            (false, Some("currently-playing")) => {
                &["user-read-currently-playing", "user-read-playback-state"]
            }
            (false, _) => &["user-read-playback-state"],
        };
        call.need(needed)
            .map_err(|(status, message)| (status, message, None))?;
        if command && !self.premium {
            return Err(PREMIUM);
        }
        let path = call.segments.get(2).copied().unwrap_or("");
        match (call.method, path) {
            (&M::GET, "") => Ok(match self.state(catalog, call, true) {
                Some(state) => (200, Some(state)),
                None => (204, None),
            }),
            (&M::GET, "currently-playing") => Ok(match self.state(catalog, call, false) {
                Some(state) => (200, Some(state)),
                None => (204, None),
            }),
            (&M::GET, "devices") => {
                let devices: Vec<Value> = (0..self.devices.len())
                    .map(|i| self.device_json(i))
                    .collect();
                Ok((200, Some(json!({"devices": devices}))))
            }
            (&M::PUT, "") => {
                let body: Value = serde_json::from_slice(call.body)
                    .map_err(|_| (400, "Error parsing json", None))?;
                let ids = body["device_ids"].as_array().cloned().unwrap_or_default();
                let [id] = ids.as_slice() else {
                    return Err((400, "Exactly one device ID is needed", None));
                };
                let index = self
                    .devices
                    .iter()
                    .position(|d| Some(d.id) == id.as_str())
                    .ok_or((404, "Device not found", None))?;
                self.active = Some(index);
                if body["play"].as_bool() == Some(true) && self.current().is_some() {
                    let progress = self.progress_ms(catalog);
                    self.playing = true;
                    self.set_progress(progress);
                }
                Ok((204, None))
            }
            (&M::PUT, "play") => {
                self.device(call.query)?;
                if !call.body.is_empty() {
                    let body: Value = serde_json::from_slice(call.body)
                        .map_err(|_| (400, "Error parsing json", None))?;
                    self.load(catalog, playlists, &body)?;
                } else if self.current().is_none() {
                    return Err((
                        404,
                        "Player command failed: Nothing to resume",
                        Some("NO_SPECIFIC_TRACK"),
                    ));
                } else {
                    let progress = self.progress_ms(catalog);
                    self.set_progress(progress);
                }
                self.playing = true;
                Ok((204, None))
            }
            (&M::PUT, "pause") => {
                self.device(call.query)?;
                let progress = self.progress_ms(catalog);
                self.playing = false;
                self.set_progress(progress);
                Ok((204, None))
            }
            (&M::POST, "next") => {
                self.device(call.query)?;
                if !self.queue.is_empty() {
                    let next = self.queue.remove(0);
                    self.items.insert(self.index + 1, next);
                }
                if self.index + 1 < self.items.len() {
                    self.index += 1;
                } else if self.repeat == "context" && !self.items.is_empty() {
                    self.index = 0;
                } else {
                    return Err((
                        403,
                        "Player command failed: No next track",
                        Some("NO_NEXT_TRACK"),
                    ));
                }
                self.set_progress(0);
                Ok((204, None))
            }
            (&M::POST, "previous") => {
                self.device(call.query)?;
                self.index = self.index.saturating_sub(1);
                self.set_progress(0);
                Ok((204, None))
            }
            (&M::PUT, "seek") => {
                self.device(call.query)?;
                let position = call
                    .query
                    .get("position_ms")
                    .and_then(|p| p.parse::<u64>().ok())
                    .ok_or((400, "Missing or invalid position_ms", None))?;
                self.set_progress(position);
                Ok((204, None))
            }
            (&M::PUT, "repeat") => {
                self.device(call.query)?;
                self.repeat = match call.query.get("state").map(String::as_str) {
                    Some("track") => "track",
                    Some("context") => "context",
                    Some("off") => "off",
                    _ => return Err((400, "Invalid repeat state", None)),
                };
                Ok((204, None))
            }
            (&M::PUT, "volume") => {
                let device = self.device(call.query)?;
                let volume = call
                    .query
                    .get("volume_percent")
                    .and_then(|v| v.parse::<u8>().ok())
                    .filter(|v| *v <= 100)
                    .ok_or((400, "Invalid volume_percent", None))?;
                self.devices[device].volume = volume;
                Ok((204, None))
            }
            (&M::PUT, "shuffle") => {
                self.device(call.query)?;
                self.shuffle = match call.query.get("state").map(String::as_str) {
                    Some("true") => true,
                    Some("false") => false,
                    _ => return Err((400, "Invalid shuffle state", None)),
                };
                Ok((204, None))
            }
            (&M::GET, "queue") => {
                let present = |id: &String| catalog.track(id, call.development_mode).ok();
                let upcoming: Vec<Value> = self
                    .queue
                    .iter()
                    .chain(self.items.iter().skip(self.index + 1))
                    .filter_map(present)
                    .collect();
                Ok((
                    200,
                    Some(json!({
                        "currently_playing": self.current().and_then(present),
                        "queue": upcoming,
                    })),
                ))
            }
            (&M::POST, "queue") => {
                self.device(call.query)?;
                let uri =
                    call.query
                        .get("uri")
                        .ok_or((400, "Missing required parameter: uri", None))?;
                let id = uri
                    .strip_prefix("spotify:track:")
                    .filter(|id| catalog.has_track(id))
                    .ok_or((400, "Invalid track uri", None))?;
                self.queue.push(id.to_owned());
                Ok((204, None))
            }
            _ => Err((405, "Method not allowed", None)),
        }
    }

    /// Loads what a play command names: a context (an album or a playlist) or a list of
    /// tracks, at an offset and a position.
    fn load(
        &mut self,
        catalog: &Catalog,
        playlists: &Playlists,
        body: &Value,
    ) -> Result<(), PlayerFailure> {
        let bad = (400, "Non supported context uri", None);
        let (context, items) = match (body["context_uri"].as_str(), body["uris"].as_array()) {
            (Some(uri), _) => {
                let items = match uri.split(':').collect::<Vec<_>>().as_slice() {
                    ["spotify", "album", id] => catalog
                        .album_tracks(
                            id,
                            &HashMap::from([("limit".into(), "50".into())]),
                            "",
                            false,
                        )
                        .map(|page| track_ids(&page))
                        .map_err(|_| bad)?,
                    ["spotify", "playlist", id] => playlists
                        .item_uris(id)
                        .ok_or(bad)?
                        .iter()
                        .filter_map(|u| u.strip_prefix("spotify:track:").map(Into::into))
                        .collect(),
                    _ => return Err(bad),
                };
                (Some(uri.to_owned()), items)
            }
            (None, Some(uris)) => {
                let items = uris
                    .iter()
                    .map(|u| {
                        u.as_str()
                            .and_then(|u| u.strip_prefix("spotify:track:"))
                            .filter(|id| catalog.has_track(id))
                            .map(Into::into)
                            .ok_or((400, "Invalid track uri", None))
                    })
                    .collect::<Result<Vec<String>, _>>()?;
                (None, items)
            }
            (None, None) => return Err((400, "Missing context_uri or uris", None)),
        };
        if items.is_empty() {
            return Err((
                404,
                "Player command failed: Nothing to play",
                Some("NO_SPECIFIC_TRACK"),
            ));
        }
        let index = match &body["offset"] {
            Value::Null => 0,
            offset => match (offset["position"].as_u64(), offset["uri"].as_str()) {
                (Some(position), _) => usize::try_from(position).unwrap_or(usize::MAX),
                (None, Some(uri)) => {
                    let id = uri.trim_start_matches("spotify:track:");
                    items.iter().position(|i| i == id).ok_or((
                        404,
                        "Player command failed: Track not in context",
                        Some("NO_SPECIFIC_TRACK"),
                    ))?
                }
                _ => return Err((400, "Invalid offset", None)),
            },
        };
        if index >= items.len() {
            return Err((400, "position out of range", None));
        }
        self.context = context;
        self.items = items;
        self.index = index;
        self.set_progress(body["position_ms"].as_u64().unwrap_or(0));
        Ok(())
    }
}
