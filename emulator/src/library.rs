//! The demo user's library (saved items of every kind, by URI), follows, top items and a
//! listening history with Spotify's cursor pages.
//!
//! The history is seeded at start: 150 plays of the catalog's tracks, one every 3 minutes,
//! the last a minute before the emulator started. Cursor semantics: without a cursor, the
//! newest plays; with `before=T`, the newest plays before T (the page's `next` link goes on
//! with `before`); with `after=T`, the **oldest** plays after T, shown newest first (its `next`
//! goes on with `after`), so that a forward walk misses nothing. Spotify does not document
//! which plays it gives for `after`; clients should not depend on it (the core's `since`
//! walks back instead).

use serde_json::{Value, json};

use crate::catalog::{Catalog, Failure};
use crate::paging::{limit, limit_and_offset, page};
use crate::playlists::{Call, now, now_millis};
use crate::spoken::Spoken;

/// The most URIs one library request may carry.
const MAX_URIS: usize = 40;

struct Saved {
    uri: String,
    added_at: String,
}

#[derive(Default)]
pub(crate) struct Library {
    /// Saved items, newest first.
    saved: Vec<Saved>,
    /// Followed artists, in the order they were followed.
    artists: Vec<String>,
    /// Plays: track ID and Unix milliseconds, newest first.
    history: Vec<(String, i64)>,
}

/// What a library route answers: a status and a JSON body (or none).
pub(crate) type Answer = Result<(u16, Option<Value>), Failure>;

fn iso(millis: i64) -> String {
    let secs = millis.div_euclid(1000);
    let text = crate::playlists::iso_seconds(secs);
    format!(
        "{}.{:03}Z",
        &text[..text.len() - 1],
        millis.rem_euclid(1000)
    )
}

impl Library {
    pub(crate) fn seeded(catalog: &Catalog) -> Self {
        let tracks: Vec<&str> = catalog.track_ids().collect();
        let start = now_millis() - 60_000;
        let history = (0..150_i64)
            .filter_map(|i| {
                let track = tracks.get(usize::try_from(i).ok()? % tracks.len().max(1))?;
                Some(((*track).to_owned(), start - i * 180_000 - i * 7))
            })
            .collect();
        Self {
            history,
            ..Self::default()
        }
    }

    pub(crate) fn respond(
        &mut self,
        catalog: &Catalog,
        spoken: &Spoken,
        call: &Call<'_>,
    ) -> Answer {
        use hyper::Method as M;
        if !call.user {
            return Err((401, "This request requires user authentication."));
        }
        let extended_only = || {
            if call.development_mode {
                Err((403, "Forbidden"))
            } else {
                Ok(())
            }
        };
        // The scope each route needs, as Spotify's reference lists them.
        let needed: &[&str] = match (call.method, call.segments) {
            (&M::GET, ["me", "top", ..]) => &["user-top-read"],
            (&M::GET, ["me", "player", ..]) => &["user-read-recently-played"],
            (&M::GET, ["me", "following", ..]) => &["user-follow-read"],
            (_, ["me", "following", ..]) => &["user-follow-modify"],
            (&M::GET, _) => &["user-library-read"],
            _ => &["user-library-modify"],
        };
        call.need(needed)?;
        match (call.method, call.segments) {
            (&M::PUT, ["me", "library"]) => self.save(catalog, spoken, call),
            (&M::DELETE, ["me", "library"]) => {
                let uris = uri_list(call, false)?;
                self.saved.retain(|s| !uris.contains(&s.uri));
                self.artists
                    .retain(|a| !uris.contains(&format!("spotify:artist:{a}")));
                Ok((200, None))
            }
            (&M::GET, ["me", "library", "contains"]) => {
                let uris = uri_list(call, true)?;
                let flags: Vec<bool> = uris.iter().map(|uri| self.contains(uri)).collect();
                Ok((200, Some(json!(flags))))
            }
            (
                &M::GET,
                [
                    "me",
                    kind @ ("tracks" | "albums" | "shows" | "episodes" | "audiobooks"),
                ],
            ) => self.saved_page(catalog, spoken, kind, call),
            (
                method,
                [
                    "me",
                    kind @ ("tracks" | "albums" | "shows" | "episodes" | "audiobooks"),
                ],
            ) if *method == M::PUT || *method == M::DELETE => {
                extended_only()?;
                let word = kind.trim_end_matches('s');
                let uris: Vec<String> = ids(call)?
                    .into_iter()
                    .map(|id| format!("spotify:{word}:{id}"))
                    .collect();
                if *method == M::PUT {
                    self.add(catalog, spoken, uris)?;
                } else {
                    self.saved.retain(|s| !uris.contains(&s.uri));
                }
                Ok((200, None))
            }
            (
                &M::GET,
                [
                    "me",
                    kind @ ("tracks" | "albums" | "shows" | "episodes" | "audiobooks"),
                    "contains",
                ],
            ) => {
                extended_only()?;
                let word = kind.trim_end_matches('s');
                let flags: Vec<bool> = ids(call)?
                    .iter()
                    .map(|id| self.contains(&format!("spotify:{word}:{id}")))
                    .collect();
                Ok((200, Some(json!(flags))))
            }
            (&M::GET, ["me", "top", kind @ ("artists" | "tracks")]) => {
                self.top(catalog, kind, call)
            }
            (&M::GET, ["me", "player", "recently-played"]) => self.recently_played(catalog, call),
            (&M::GET, ["me", "following"]) => self.followed_artists(catalog, call),
            (method, ["me", "following"]) if *method == M::PUT || *method == M::DELETE => {
                extended_only()?;
                let (kind, list) = follow_ids(call)?;
                let uris: Vec<String> = list
                    .iter()
                    .map(|id| format!("spotify:{kind}:{id}"))
                    .collect();
                if *method == M::PUT {
                    for (id, uri) in list.iter().zip(&uris) {
                        if kind == "artist" {
                            catalog
                                .artist(id, false)
                                .map_err(|_| (400, "Invalid artist id"))?;
                            if !self.artists.contains(id) {
                                self.artists.push(id.clone());
                            }
                        } else if !self.saved.iter().any(|s| &s.uri == uri) {
                            self.saved.insert(
                                0,
                                Saved {
                                    uri: uri.clone(),
                                    added_at: now(),
                                },
                            );
                        }
                    }
                } else {
                    self.artists
                        .retain(|a| !(kind == "artist" && list.contains(a)));
                    self.saved.retain(|s| !uris.contains(&s.uri));
                }
                Ok((204, None))
            }
            (&M::GET, ["me", "following", "contains"]) => {
                extended_only()?;
                let (kind, list) = follow_ids(call)?;
                let flags: Vec<bool> = list
                    .iter()
                    .map(|id| self.contains(&format!("spotify:{kind}:{id}")))
                    .collect();
                Ok((200, Some(json!(flags))))
            }
            _ => Err((405, "Method not allowed")),
        }
    }

    fn contains(&self, uri: &str) -> bool {
        match uri.strip_prefix("spotify:artist:") {
            Some(id) => self.artists.iter().any(|a| a == id),
            None => self.saved.iter().any(|s| s.uri == uri),
        }
    }

    fn save(&mut self, catalog: &Catalog, spoken: &Spoken, call: &Call<'_>) -> Answer {
        let uris = uri_list(call, false)?;
        self.add(catalog, spoken, uris)?;
        Ok((200, None))
    }

    /// Saves URIs (all or none), each once, the newest first.
    fn add(
        &mut self,
        catalog: &Catalog,
        spoken: &Spoken,
        uris: Vec<String>,
    ) -> Result<(), Failure> {
        for uri in &uris {
            let known = match uri.split(':').collect::<Vec<_>>().as_slice() {
                ["spotify", "track", id] => catalog.has_track(id),
                ["spotify", "album", id] => catalog.album(id, "", false).is_ok(),
                ["spotify", "user", id] => !id.is_empty(),
                ["spotify", "playlist", id] => id.len() == 22,
                ["spotify", kind @ ("show" | "episode" | "audiobook"), id] => {
                    spoken.get(kind, id).is_some()
                }
                _ => false,
            };
            if !known {
                return Err((400, "Invalid uri"));
            }
        }
        for uri in uris {
            if !self.saved.iter().any(|s| s.uri == uri) {
                self.saved.insert(
                    0,
                    Saved {
                        uri,
                        added_at: now(),
                    },
                );
            }
        }
        Ok(())
    }

    fn saved_page(
        &self,
        catalog: &Catalog,
        spoken: &Spoken,
        kind: &str,
        call: &Call<'_>,
    ) -> Answer {
        let (limit, offset) = limit_and_offset(call.query)?;
        let word = kind.trim_end_matches('s');
        let prefix = format!("spotify:{word}:");
        let all: Vec<&Saved> = self
            .saved
            .iter()
            .filter(|s| s.uri.starts_with(&prefix))
            .collect();
        let items: Vec<Value> = all
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|saved| {
                let id = &saved.uri[prefix.len()..];
                let item = match word {
                    "track" => catalog.track(id, call.development_mode).ok()?,
                    "album" => catalog.album(id, call.base, call.development_mode).ok()?,
                    other => {
                        let mut item = spoken.get(other, id)?;
                        if call.development_mode {
                            crate::spoken::drop_publishers(&mut item);
                        }
                        item
                    }
                };
                // Saved audiobooks come as audiobooks, without `added_at` (as recorded).
                if word == "audiobook" {
                    return Some(item);
                }
                let mut value = json!({"added_at": saved.added_at});
                value[word] = item;
                Some(value)
            })
            .collect();
        let path = format!("/me/{kind}");
        let total = all.len();
        Ok((
            200,
            Some(page(call.base, &path, items, total, limit, offset, "")),
        ))
    }

    fn top(&self, catalog: &Catalog, kind: &str, call: &Call<'_>) -> Answer {
        match call.query.get("time_range").map(String::as_str) {
            None | Some("short_term" | "medium_term" | "long_term") => {}
            Some(_) => return Err((400, "Invalid time range")),
        }
        let (limit, offset) = limit_and_offset(call.query)?;
        // Most played first; ties in order of first appearance.
        let mut counts: Vec<(String, usize)> = Vec::new();
        for (track, _) in &self.history {
            let key = if kind == "tracks" {
                Some(track.clone())
            } else {
                catalog
                    .track(track, false)
                    .ok()
                    .and_then(|t| t["artists"][0]["id"].as_str().map(str::to_owned))
            };
            let Some(key) = key else { continue };
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let items: Vec<Value> = counts
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|(id, _)| {
                if kind == "tracks" {
                    catalog.track(id, call.development_mode).ok()
                } else {
                    catalog.artist(id, call.development_mode).ok()
                }
            })
            .collect();
        let path = format!("/me/top/{kind}");
        let total = counts.len();
        Ok((
            200,
            Some(page(call.base, &path, items, total, limit, offset, "")),
        ))
    }

    fn recently_played(&self, catalog: &Catalog, call: &Call<'_>) -> Answer {
        let limit = limit(call.query)?;
        let cursor = |name: &str| -> Result<Option<i64>, Failure> {
            call.query
                .get(name)
                .map(|text| text.parse::<i64>().map_err(|_| (400, "Invalid cursor")))
                .transpose()
        };
        let (after, before) = (cursor("after")?, cursor("before")?);
        if after.is_some() && before.is_some() {
            return Err((400, "Only one of after and before may be given"));
        }
        // Newest first.
        let page: Vec<&(String, i64)> = match (after, before) {
            (Some(after), _) => {
                let newer: Vec<&(String, i64)> =
                    self.history.iter().filter(|(_, at)| *at > after).collect();
                let start = newer.len().saturating_sub(limit);
                newer[start..].to_vec()
            }
            (_, Some(before)) => self
                .history
                .iter()
                .filter(|(_, at)| *at < before)
                .take(limit)
                .collect(),
            _ => self.history.iter().take(limit).collect(),
        };
        let items: Vec<Value> = page
            .iter()
            .map(|(track, at)| {
                json!({
                    "track": catalog.track(track, call.development_mode).unwrap_or(Value::Null),
                    "played_at": iso(*at),
                    "context": null,
                })
            })
            .collect();
        let (newest, oldest) = (page.first().map(|p| p.1), page.last().map(|p| p.1));
        let base = format!("{}/me/player/recently-played", call.base);
        let next = match (after, newest, oldest) {
            (Some(_), Some(newest), _) if self.history.iter().any(|(_, at)| *at > newest) => {
                Some(format!("{base}?after={newest}&limit={limit}"))
            }
            (None, _, Some(oldest)) if self.history.iter().any(|(_, at)| *at < oldest) => {
                Some(format!("{base}?before={oldest}&limit={limit}"))
            }
            _ => None,
        };
        let cursors = match (newest, oldest) {
            (Some(newest), Some(oldest)) => {
                json!({"after": newest.to_string(), "before": oldest.to_string()})
            }
            _ => Value::Null,
        };
        Ok((
            200,
            Some(json!({
                "href": format!("{base}?limit={limit}"),
                "items": items,
                "limit": limit,
                "next": next,
                "cursors": cursors,
            })),
        ))
    }

    fn followed_artists(&self, catalog: &Catalog, call: &Call<'_>) -> Answer {
        if call.query.get("type").map(String::as_str) != Some("artist") {
            return Err((400, "Bad search type field"));
        }
        let limit = limit(call.query)?;
        let start = match call.query.get("after") {
            None => 0,
            Some(after) => self
                .artists
                .iter()
                .position(|a| a == after)
                .map_or(self.artists.len(), |i| i + 1),
        };
        let ids: Vec<&String> = self.artists.iter().skip(start).take(limit).collect();
        let items: Vec<Value> = ids
            .iter()
            .filter_map(|id| catalog.artist(id, call.development_mode).ok())
            .collect();
        let base = format!("{}/me/following?type=artist", call.base);
        let last = ids.last();
        let more = start + ids.len() < self.artists.len();
        Ok((
            200,
            Some(json!({"artists": {
                "href": format!("{base}&limit={limit}"),
                "items": items,
                "limit": limit,
                "total": self.artists.len(),
                "next": last.filter(|_| more).map(|id| format!("{base}&after={id}&limit={limit}")),
                "cursors": {"after": last.filter(|_| more)},
            }})),
        ))
    }
}

/// The `uris` of a library request, checked: 1 to 40, of the kinds the endpoint takes.
fn uri_list(call: &Call<'_>, artists: bool) -> Result<Vec<String>, Failure> {
    let uris: Vec<String> = call
        .query
        .get("uris")
        .map(|list| {
            list.split(',')
                .filter(|u| !u.is_empty())
                .map(Into::into)
                .collect()
        })
        .unwrap_or_default();
    if uris.is_empty() {
        return Err((400, "Missing required parameter: uris"));
    }
    if uris.len() > MAX_URIS {
        return Err((400, "too many ids requested"));
    }
    for uri in &uris {
        let kind = uri.split(':').nth(1).unwrap_or_default();
        let allowed = matches!(
            kind,
            "track" | "album" | "episode" | "show" | "audiobook" | "user" | "playlist"
        ) || (artists && kind == "artist");
        if !uri.starts_with("spotify:") || !allowed {
            return Err((400, "Unsupported URI type"));
        }
    }
    Ok(uris)
}

/// The `ids` of a type-specific request (at most 50): in the query, or in a JSON body
/// (`{"ids": […]}`, which `PUT /me/tracks` takes).
fn ids(call: &Call<'_>) -> Result<Vec<String>, Failure> {
    let mut ids: Vec<String> = call
        .query
        .get("ids")
        .map(|list| {
            list.split(',')
                .filter(|u| !u.is_empty())
                .map(Into::into)
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() && !call.body.is_empty() {
        let body: Value =
            serde_json::from_slice(call.body).map_err(|_| (400, "Error parsing json"))?;
        ids = body
            .get("ids")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(Into::into)
                    .collect()
            })
            .unwrap_or_default();
    }
    if ids.is_empty() {
        return Err((400, "Missing required parameter: ids"));
    }
    if ids.len() > 50 {
        return Err((400, "too many ids requested"));
    }
    Ok(ids)
}

/// `type` and `ids` of a follow request.
fn follow_ids(call: &Call<'_>) -> Result<(&'static str, Vec<String>), Failure> {
    let kind = match call.query.get("type").map(String::as_str) {
        Some("artist") => "artist",
        Some("user") => "user",
        _ => return Err((400, "Bad search type field")),
    };
    Ok((kind, ids(call)?))
}
