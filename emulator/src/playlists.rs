//! The demo user's playlists, with state: create, rename, add, remove, reorder and replace
//! items (each change makes a new `snapshot_id`), cover images, and another user's playlist
//! to be refused.
//!
//! Development-mode apps get the shapes Spotify sends since February 2026 (`items`, `item`)
//! and lose the extended-quota endpoints (403); other apps get the shapes from before
//! (`tracks`, `track`) and every endpoint.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::catalog::{Catalog, Failure};
use crate::paging::{limit_and_offset, page};

/// The demo user, as `/v1/me` shows it.
pub(crate) const USER: &str = "emulator-user";
/// The other user, who owns [`OTHER_PLAYLIST`].
const OTHER_USER: &str = "emulator-friend";
/// A playlist of another user's: development-mode apps may not read its items.
pub const OTHER_PLAYLIST: &str = "0therUsersP1ayl1st0000";

const MODIFY: &[&str] = &["playlist-modify-public", "playlist-modify-private"];

/// The most items one add, remove or replace may carry.
const MAX_ITEMS: usize = 100;
/// The largest cover, as base64 text.
const MAX_COVER: usize = 256 * 1024;

pub(crate) struct Playlist {
    id: String,
    owner: String,
    name: String,
    description: Option<String>,
    public: bool,
    collaborative: bool,
    items: Vec<Entry>,
    version: u64,
    cover: Option<usize>,
    followers: Vec<String>,
}

struct Entry {
    uri: String,
    added_at: String,
    added_by: String,
}

#[derive(Default)]
pub(crate) struct Playlists {
    by_id: HashMap<String, Playlist>,
    /// Each user's playlists, newest first.
    by_user: HashMap<String, Vec<String>>,
    made: u64,
}

/// One request to a playlist route, read.
pub(crate) struct Call<'a> {
    pub(crate) method: &'a hyper::Method,
    pub(crate) segments: &'a [&'a str],
    pub(crate) query: &'a HashMap<String, String>,
    pub(crate) body: &'a [u8],
    /// Whether the token acts for the demo user.
    pub(crate) user: bool,
    /// The scopes the token carries, space-separated.
    pub(crate) scope: &'a str,
    pub(crate) development_mode: bool,
    pub(crate) base: &'a str,
}

impl Call<'_> {
    /// Refuses, as Spotify does, a call whose token has none of these scopes.
    pub(crate) fn need(&self, any_of: &[&str]) -> Result<(), Failure> {
        if self
            .scope
            .split(' ')
            .any(|granted| any_of.contains(&granted))
        {
            Ok(())
        } else {
            Err((403, "Insufficient client scope"))
        }
    }
}

/// What a playlist route answers: a status and a JSON body (or none).
pub(crate) type Answer = Result<(u16, Option<Value>), Failure>;

fn user_object(base: &str, id: &str) -> Value {
    json!({
        "id": id,
        "type": "user",
        "uri": format!("spotify:user:{id}"),
        "href": format!("{base}/users/{id}"),
        "external_urls": {"spotify": format!("https://open.spotify.com/user/{id}")},
        "display_name": id,
    })
}

impl Playlists {
    /// The state a new emulator starts with: another user's public playlist of a few tracks.
    pub(crate) fn seeded(catalog: &Catalog) -> Self {
        let mut playlists = Self::default();
        let items = catalog
            .track_ids()
            .take(5)
            .map(|id| Entry {
                uri: format!("spotify:track:{id}"),
                added_at: "2026-01-15T12:00:00Z".into(),
                added_by: OTHER_USER.into(),
            })
            .collect();
        playlists.by_id.insert(
            OTHER_PLAYLIST.into(),
            Playlist {
                id: OTHER_PLAYLIST.into(),
                owner: OTHER_USER.into(),
                name: "A friend's mix".into(),
                description: None,
                public: true,
                collaborative: false,
                items,
                version: 1,
                cover: None,
                followers: Vec::new(),
            },
        );
        playlists
            .by_user
            .insert(OTHER_USER.into(), vec![OTHER_PLAYLIST.into()]);
        playlists
    }

    pub(crate) fn respond(&mut self, catalog: &Catalog, call: &Call<'_>) -> Answer {
        use hyper::Method as M;
        let extended_only = || {
            if call.development_mode {
                Err((403, "Forbidden"))
            } else {
                Ok(())
            }
        };
        if !call.user {
            // Reading a public playlist works with an app's token; the rest acts for a user.
            if !(call.method == M::GET
                && matches!(
                    call.segments,
                    ["playlists", _] | ["playlists", _, "items" | "images"]
                ))
            {
                return Err((401, "This request requires user authentication."));
            }
        }
        match (call.method, call.segments) {
            (&M::GET, ["me", "playlists"]) => self.list(USER, call),
            (&M::POST, ["me", "playlists"]) => {
                call.need(MODIFY)?;
                self.create(call)
            }
            (&M::GET, ["users", user, "playlists"]) => {
                extended_only()?;
                self.list(user, call)
            }
            (&M::POST, ["users", user, "playlists"]) => {
                extended_only()?;
                if *user != USER {
                    return Err((403, "You cannot create a playlist for another user."));
                }
                call.need(MODIFY)?;
                self.create(call)
            }
            (&M::GET, ["playlists", id]) => self.get(catalog, id, call),
            (&M::PUT, ["playlists", id]) => {
                call.need(MODIFY)?;
                self.change(id, call)
            }
            (&M::GET, ["playlists", id, "items"]) => {
                let playlist = self.readable(id, call)?;
                Ok((200, Some(items_page(catalog, playlist, call)?)))
            }
            (&M::POST, ["playlists", id, "items"]) => {
                call.need(MODIFY)?;
                self.add(catalog, id, call)
            }
            (&M::PUT, ["playlists", id, "items"]) => {
                call.need(MODIFY)?;
                self.update(catalog, id, call)
            }
            (&M::DELETE, ["playlists", id, "items"]) => {
                call.need(MODIFY)?;
                self.remove(id, call)
            }
            (&M::GET, ["playlists", id, "images"]) => {
                let playlist = self.find(id)?;
                let images = match playlist.cover {
                    Some(_) => json!([{
                        "url": format!("{}/images/playlists/{}/{}", call.base, playlist.id, playlist.version),
                        "height": null,
                        "width": null,
                    }]),
                    None => json!([]),
                };
                Ok((200, Some(images)))
            }
            (&M::PUT, ["playlists", id, "images"]) => {
                call.need(&["ugc-image-upload"])?;
                call.need(MODIFY)?;
                self.cover(id, call)
            }
            (&M::PUT, ["playlists", id, "followers"]) => {
                extended_only()?;
                call.need(MODIFY)?;
                let playlist = self.find_mut(id)?;
                if !playlist.followers.iter().any(|u| u == USER) {
                    playlist.followers.push(USER.into());
                }
                Ok((200, None))
            }
            (&M::DELETE, ["playlists", id, "followers"]) => {
                extended_only()?;
                call.need(MODIFY)?;
                let playlist = self.find_mut(id)?;
                playlist.followers.retain(|u| u != USER);
                Ok((200, None))
            }
            (&M::GET, ["playlists", id, "followers", "contains"]) => {
                extended_only()?;
                let playlist = self.find(id)?;
                let follows =
                    playlist.owner == USER || playlist.followers.iter().any(|u| u == USER);
                Ok((200, Some(json!([follows]))))
            }
            _ => Err((405, "Method not allowed")),
        }
    }

    /// Every public playlist, simplified, for search; after every other one (the first, the third, …) a `null`, as
    /// Spotify's playlist results have held since late 2024.
    pub(crate) fn public(&self, call: &Call<'_>) -> Vec<Value> {
        let mut ids: Vec<&String> = self.by_id.keys().collect();
        ids.sort();
        let mut out = Vec::new();
        for (i, playlist) in ids
            .into_iter()
            .filter_map(|id| self.by_id.get(id))
            .filter(|p| p.public)
            .enumerate()
        {
            out.push(simplified(playlist, call));
            if i % 2 == 0 {
                out.push(Value::Null);
            }
        }
        out
    }

    fn find(&self, id: &str) -> Result<&Playlist, Failure> {
        self.by_id.get(id).ok_or((404, "Resource not found"))
    }

    fn find_mut(&mut self, id: &str) -> Result<&mut Playlist, Failure> {
        self.by_id.get_mut(id).ok_or((404, "Resource not found"))
    }

    /// A playlist whose items the caller may read: its own or a collaborative one, or any
    /// public one for an extended-quota app.
    fn readable(&self, id: &str, call: &Call<'_>) -> Result<&Playlist, Failure> {
        let playlist = self.find(id)?;
        let mine = call.user && (playlist.owner == USER || playlist.collaborative);
        if mine || (!call.development_mode && playlist.public) {
            Ok(playlist)
        } else {
            Err((403, "Forbidden"))
        }
    }

    /// A playlist the demo user may change.
    fn writable(&mut self, id: &str) -> Result<&mut Playlist, Failure> {
        let playlist = self.find_mut(id)?;
        if playlist.owner == USER || playlist.collaborative {
            Ok(playlist)
        } else {
            Err((403, "You cannot edit a playlist you do not own."))
        }
    }

    fn list(&self, user: &str, call: &Call<'_>) -> Answer {
        let (limit, offset) = limit_and_offset(call.query)?;
        let ids = self
            .by_user
            .get(user)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let visible: Vec<&Playlist> = ids
            .iter()
            .filter_map(|id| self.by_id.get(id))
            .filter(|p| user == USER || p.public)
            .collect();
        let items: Vec<Value> = visible
            .iter()
            .skip(offset)
            .take(limit)
            .map(|p| simplified(p, call))
            .collect();
        let path = if user == USER {
            "/me/playlists".to_owned()
        } else {
            format!("/users/{user}/playlists")
        };
        Ok((
            200,
            Some(page(
                call.base,
                &path,
                items,
                visible.len(),
                limit,
                offset,
                "",
            )),
        ))
    }

    fn create(&mut self, call: &Call<'_>) -> Answer {
        let body: Value =
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?;
        let Some(name) = body.get("name").and_then(Value::as_str) else {
            return Err((400, "Missing required field: name"));
        };
        let public = body.get("public").and_then(Value::as_bool).unwrap_or(true);
        let collaborative = body
            .get("collaborative")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if collaborative && public {
            return Err((400, "Collaborative playlists can only be private."));
        }
        self.made += 1;
        let id = playlist_id(self.made);
        let playlist = Playlist {
            id: id.clone(),
            owner: USER.into(),
            name: name.into(),
            description: body
                .get("description")
                .and_then(Value::as_str)
                .map(Into::into),
            public,
            collaborative,
            items: Vec::new(),
            version: 1,
            cover: None,
            followers: Vec::new(),
        };
        let answer = full(None, &playlist, call, &HashMap::new());
        self.by_id.insert(id.clone(), playlist);
        self.by_user.entry(USER.into()).or_default().insert(0, id);
        Ok((201, Some(answer?)))
    }

    fn get(&self, catalog: &Catalog, id: &str, call: &Call<'_>) -> Answer {
        let playlist = self.find(id)?;
        if playlist.owner != USER && !playlist.public && !playlist.collaborative {
            return Err((404, "Resource not found"));
        }
        // Development-mode apps get another user's playlist without its items.
        let items = self.readable(id, call).is_ok().then_some(catalog);
        Ok((200, Some(full(items, playlist, call, call.query)?)))
    }

    fn change(&mut self, id: &str, call: &Call<'_>) -> Answer {
        let body: Value =
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?;
        let playlist = self.writable(id)?;
        if playlist.owner != USER {
            return Err((
                403,
                "You cannot change the details of a playlist you do not own.",
            ));
        }
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            playlist.name = name.into();
        }
        if let Some(public) = body.get("public").and_then(Value::as_bool) {
            playlist.public = public;
        }
        if let Some(collaborative) = body.get("collaborative").and_then(Value::as_bool) {
            playlist.collaborative = collaborative;
        }
        if let Some(description) = body.get("description").and_then(Value::as_str) {
            playlist.description = Some(description.into());
        }
        if playlist.collaborative && playlist.public {
            return Err((400, "Collaborative playlists can only be private."));
        }
        playlist.version += 1;
        Ok((200, None))
    }

    fn add(&mut self, catalog: &Catalog, id: &str, call: &Call<'_>) -> Answer {
        let body: Value = if call.body.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?
        };
        let uris = uris(&body, call.query)?;
        if uris.len() > MAX_ITEMS {
            return Err((400, "You can add a maximum of 100 tracks per request."));
        }
        check_uris(catalog, &uris)?;
        let position = match body
            .get("position")
            .or_else(|| call.query.get("position").map(|_| &Value::Null))
        {
            Some(Value::Number(n)) => Some(n.as_u64().ok_or((400, "Invalid position"))?),
            Some(Value::Null) => Some(
                call.query
                    .get("position")
                    .and_then(|p| p.parse().ok())
                    .ok_or((400, "Invalid position"))?,
            ),
            None => None,
            Some(_) => return Err((400, "Invalid position")),
        };
        let playlist = self.writable(id)?;
        let at = match position {
            None => playlist.items.len(),
            Some(p) => usize::try_from(p)
                .ok()
                .filter(|p| *p <= playlist.items.len())
                .ok_or((400, "Index out of bounds"))?,
        };
        let entries = uris.into_iter().map(|uri| Entry {
            uri,
            added_at: now(),
            added_by: USER.into(),
        });
        playlist.items.splice(at..at, entries);
        playlist.version += 1;
        Ok((201, Some(json!({"snapshot_id": snapshot(playlist)}))))
    }

    fn update(&mut self, catalog: &Catalog, id: &str, call: &Call<'_>) -> Answer {
        let body: Value = if call.body.is_empty() {
            json!({})
        } else {
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?
        };
        if let Some(start) = body.get("range_start") {
            let number = |v: Option<&Value>| {
                v.and_then(Value::as_u64)
                    .and_then(|n| usize::try_from(n).ok())
            };
            let start = number(Some(start)).ok_or((400, "Invalid range_start"))?;
            let before = number(body.get("insert_before"))
                .ok_or((400, "Missing required field: insert_before"))?;
            let length = match body.get("range_length") {
                None => 1,
                some => number(some).ok_or((400, "Invalid range_length"))?,
            };
            let playlist = self.writable(id)?;
            check_snapshot(playlist, &body)?;
            let n = playlist.items.len();
            if length == 0 || start + length > n || before > n {
                return Err((400, "Index out of bounds"));
            }
            if !(start..=start + length).contains(&before) {
                let moved: Vec<Entry> = playlist.items.drain(start..start + length).collect();
                let at = if before > start {
                    before - length
                } else {
                    before
                };
                playlist.items.splice(at..at, moved);
            }
            playlist.version += 1;
            return Ok((200, Some(json!({"snapshot_id": snapshot(playlist)}))));
        }
        let uris = uris(&body, call.query)?;
        if uris.len() > MAX_ITEMS {
            return Err((400, "You can add a maximum of 100 tracks per request."));
        }
        check_uris(catalog, &uris)?;
        let playlist = self.writable(id)?;
        playlist.items = uris
            .into_iter()
            .map(|uri| Entry {
                uri,
                added_at: now(),
                added_by: USER.into(),
            })
            .collect();
        playlist.version += 1;
        Ok((200, Some(json!({"snapshot_id": snapshot(playlist)}))))
    }

    fn remove(&mut self, id: &str, call: &Call<'_>) -> Answer {
        let body: Value =
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?;
        // `items` since February 2026, `tracks` before.
        let Some(list) = body
            .get("items")
            .or_else(|| body.get("tracks"))
            .and_then(Value::as_array)
        else {
            return Err((400, "Missing required field: items"));
        };
        if list.len() > MAX_ITEMS {
            return Err((400, "You can remove a maximum of 100 tracks per request."));
        }
        let uris: Vec<&str> = list
            .iter()
            .map(|entry| {
                entry
                    .get("uri")
                    .and_then(Value::as_str)
                    .ok_or((400, "Invalid track uri"))
            })
            .collect::<Result<_, _>>()?;
        let playlist = self.writable(id)?;
        check_snapshot(playlist, &body)?;
        playlist
            .items
            .retain(|entry| !uris.contains(&entry.uri.as_str()));
        playlist.version += 1;
        Ok((200, Some(json!({"snapshot_id": snapshot(playlist)}))))
    }

    fn cover(&mut self, id: &str, call: &Call<'_>) -> Answer {
        if call.body.len() > MAX_COVER {
            return Err((
                413,
                "Payload too large: the image must be at most 256 KB of base64",
            ));
        }
        let text: Vec<u8> = call
            .body
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| (400, "The image must be base64-encoded"))?;
        if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err((400, "The image must be a JPEG"));
        }
        let playlist = self.writable(id)?;
        playlist.cover = Some(jpeg.len());
        playlist.version += 1;
        Ok((202, None))
    }

    /// How many items a playlist holds, for tests that look inside.
    pub(crate) fn item_uris(&self, id: &str) -> Option<Vec<String>> {
        self.by_id
            .get(id)
            .map(|p| p.items.iter().map(|e| e.uri.clone()).collect())
    }
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Now, as ISO 8601 (UTC, whole seconds).
pub(crate) fn now() -> String {
    iso_seconds(now_millis().div_euclid(1000))
}

/// Seconds since the epoch as ISO 8601 (UTC), without pulling in a date crate.
pub(crate) fn iso_seconds(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn playlist_id(n: u64) -> String {
    // 22 base-62 characters, different for each playlist made.
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut out = vec![b'0'; 22];
    let mut value = n;
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(value % 62) as usize];
        value /= 62;
    }
    out[0] = b'E';
    String::from_utf8(out).unwrap_or_default()
}

fn snapshot(playlist: &Playlist) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{:08}:emulator", playlist.id, playlist.version))
}

/// A change that names a snapshot applies only to that version. Spotify answered a bad
/// version this way (jwilsson/spotify-web-api-php#271); it may apply a change to an older
/// version it still knows, which the emulator does not.
fn check_snapshot(playlist: &Playlist, body: &Value) -> Result<(), Failure> {
    match body.get("snapshot_id").and_then(Value::as_str) {
        Some(given) if given != snapshot(playlist) => Err((400, "Missing or bad version tag")),
        _ => Ok(()),
    }
}

/// The URIs of an add or replace: the body's `uris`, or the query's comma-separated list.
fn uris(body: &Value, query: &HashMap<String, String>) -> Result<Vec<String>, Failure> {
    if let Some(list) = body.get("uris") {
        let list = list.as_array().ok_or((400, "Invalid uris"))?;
        return list
            .iter()
            .map(|v| v.as_str().map(Into::into).ok_or((400, "Invalid uris")))
            .collect();
    }
    Ok(query
        .get("uris")
        .map(|list| {
            list.split(',')
                .filter(|u| !u.is_empty())
                .map(Into::into)
                .collect()
        })
        .unwrap_or_default())
}

fn check_uris(catalog: &Catalog, uris: &[String]) -> Result<(), Failure> {
    for uri in uris {
        match uri.strip_prefix("spotify:track:") {
            Some(id) if catalog.has_track(id) => {}
            _ => return Err((400, "Invalid track uri")),
        }
    }
    Ok(())
}

fn simplified(playlist: &Playlist, call: &Call<'_>) -> Value {
    let key = if call.development_mode {
        "items"
    } else {
        "tracks"
    };
    let mut value = header(playlist, call);
    value[key] = json!({
        "href": format!("{}/playlists/{}/{}", call.base, playlist.id, if call.development_mode { "items" } else { "tracks" }),
        "total": playlist.items.len(),
    });
    value
}

fn header(playlist: &Playlist, call: &Call<'_>) -> Value {
    json!({
        "id": playlist.id,
        "type": "playlist",
        "uri": format!("spotify:playlist:{}", playlist.id),
        "href": format!("{}/playlists/{}", call.base, playlist.id),
        "external_urls": {"spotify": format!("https://open.spotify.com/playlist/{}", playlist.id)},
        "name": playlist.name,
        "description": playlist.description,
        "owner": user_object(call.base, &playlist.owner),
        "public": playlist.public,
        "collaborative": playlist.collaborative,
        "images": [],
        "snapshot_id": snapshot(playlist),
    })
}

/// The whole playlist; its first page of items only if `catalog` is given (the caller may
/// read them).
fn full(
    catalog: Option<&Catalog>,
    playlist: &Playlist,
    call: &Call<'_>,
    query: &HashMap<String, String>,
) -> Result<Value, Failure> {
    let mut value = header(playlist, call);
    value["followers"] = json!({"href": null, "total": playlist.followers.len()});
    let key = if call.development_mode {
        "items"
    } else {
        "tracks"
    };
    if let Some(catalog) = catalog {
        let mut first = HashMap::new();
        if let Some(market) = query.get("market") {
            first.insert("market".to_owned(), market.clone());
        }
        let inner = Call {
            query: &first,
            ..*call
        };
        value[key] = items_page_of(catalog, playlist, &inner, 100, 0)?;
    }
    Ok(value)
}

fn items_page(catalog: &Catalog, playlist: &Playlist, call: &Call<'_>) -> Result<Value, Failure> {
    let (limit, offset) = limit_and_offset(call.query)?;
    items_page_of(catalog, playlist, call, limit, offset)
}

fn items_page_of(
    catalog: &Catalog,
    playlist: &Playlist,
    call: &Call<'_>,
    limit: usize,
    offset: usize,
) -> Result<Value, Failure> {
    let item_key = if call.development_mode {
        "item"
    } else {
        "track"
    };
    let items = playlist
        .items
        .iter()
        .skip(offset)
        .take(limit)
        .map(|entry| {
            let id = entry.uri.trim_start_matches("spotify:track:");
            let track = catalog.track(id, call.development_mode).ok();
            let mut value = json!({
                "added_at": entry.added_at,
                "added_by": user_object(call.base, &entry.added_by),
                "is_local": false,
            });
            value[item_key] = track.unwrap_or(Value::Null);
            value
        })
        .collect();
    let market = call
        .query
        .get("market")
        .map(|m| format!("&market={m}"))
        .unwrap_or_default();
    Ok(page(
        call.base,
        &format!("/playlists/{}/items", playlist.id),
        items,
        playlist.items.len(),
        limit,
        offset,
        &market,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_8601() {
        let date = now();
        assert_eq!(date.len(), 20, "{date}");
        assert!(date.starts_with("20") && date.ends_with('Z'), "{date}");
        assert_eq!(iso_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_seconds(1_495_915_674), "2017-05-27T20:07:54Z");
        assert_eq!(iso_seconds(951_868_799), "2000-02-29T23:59:59Z");
    }

    #[test]
    fn playlist_ids_are_22_base62_characters_and_differ() {
        let (a, b) = (playlist_id(1), playlist_id(2));
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
