//! Shows, episodes, audiobooks and chapters (`data/spoken.json`, built from recorded answers by
//! `data/build_spoken.py`), browse categories, markets, new releases, user profiles, and the
//! answers new apps get from the endpoints closed in November 2024.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::catalog::{Catalog, Failure};
use crate::paging::{limit_and_offset, page};
use crate::playlists::Call;

pub(crate) struct Spoken {
    shows: HashMap<String, Value>,
    episodes: HashMap<String, Value>,
    show_episodes: HashMap<String, Vec<String>>,
    audiobooks: HashMap<String, Value>,
    chapters: HashMap<String, Value>,
    audiobook_chapters: HashMap<String, Vec<String>>,
    categories: Vec<Value>,
    markets: Vec<String>,
}

fn by_id(list: Option<&Value>) -> HashMap<String, Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| Some((item["id"].as_str()?.to_owned(), item.clone())))
        .collect()
}

fn children(map: Option<&Value>) -> HashMap<String, Vec<String>> {
    map.and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(parent, ids)| {
            let ids = ids
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|id| id.as_str().map(Into::into))
                .collect();
            (parent.clone(), ids)
        })
        .collect()
}

fn valid_id(id: &str) -> bool {
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What a spoken route answers.
pub(crate) type Answer = Result<Value, Failure>;

impl Spoken {
    pub(crate) fn bundled() -> Self {
        let data = crate::catalog::load_data(include_str!("../data/spoken.json"));
        Self {
            shows: by_id(data.get("shows")),
            episodes: by_id(data.get("episodes")),
            show_episodes: children(data.get("show_episodes")),
            audiobooks: by_id(data.get("audiobooks")),
            chapters: by_id(data.get("chapters")),
            audiobook_chapters: children(data.get("audiobook_chapters")),
            categories: data["categories"].as_array().cloned().unwrap_or_default(),
            markets: data["markets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| m.as_str().map(Into::into))
                .collect(),
        }
    }

    /// One show, episode or audiobook, as the library keeps it.
    pub(crate) fn get(&self, kind: &str, id: &str) -> Option<Value> {
        let map = match kind {
            "show" => &self.shows,
            "episode" => &self.episodes,
            "audiobook" => &self.audiobooks,
            _ => return None,
        };
        map.get(id).cloned()
    }

    /// Every show, episode or audiobook, for search.
    pub(crate) fn all(&self, kind: &str) -> Vec<Value> {
        let map = match kind {
            "show" => &self.shows,
            "episode" => &self.episodes,
            "audiobook" => &self.audiobooks,
            _ => return Vec::new(),
        };
        let mut items: Vec<(&String, &Value)> = map.iter().collect();
        items.sort_by_key(|(id, _)| *id);
        items.into_iter().map(|(_, v)| v.clone()).collect()
    }

    fn one<'a>(map: &'a HashMap<String, Value>, id: &str) -> Result<&'a Value, Failure> {
        if !valid_id(id) {
            return Err((400, "invalid id"));
        }
        map.get(id).ok_or((404, "non existing id"))
    }

    /// Up to `max` objects by `?ids=`, `null` for unknown ones, under `key`.
    fn several(map: &HashMap<String, Value>, call: &Call<'_>, key: &str, max: usize) -> Answer {
        if call.development_mode {
            return Err((403, "Forbidden"));
        }
        let ids: Vec<&str> = call
            .query
            .get("ids")
            .map(|ids| ids.split(',').filter(|id| !id.is_empty()).collect())
            .unwrap_or_default();
        if ids.is_empty() {
            return Err((400, "Missing required parameter: ids"));
        }
        if ids.len() > max {
            return Err((400, "too many ids requested"));
        }
        if !ids.iter().all(|id| valid_id(id)) {
            return Err((400, "invalid id"));
        }
        let items: Vec<Value> = ids
            .iter()
            .map(|id| map.get(*id).cloned().unwrap_or(Value::Null))
            .collect();
        Ok(json!({ key: items }))
    }

    /// A page of `ids` from `map`, as Spotify pages children.
    fn page(map: &HashMap<String, Value>, ids: &[String], call: &Call<'_>, path: &str) -> Answer {
        let (limit, offset) = limit_and_offset(call.query)?;
        let items: Vec<Value> = ids
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|id| map.get(id).cloned())
            .collect();
        Ok(page(call.base, path, items, ids.len(), limit, offset, ""))
    }

    /// The answer, as development-mode apps get it when they are one: since February 2026
    /// shows and audiobooks (wherever they appear) have no `publisher`.
    pub(crate) fn respond(&self, catalog: &Catalog, call: &Call<'_>) -> Answer {
        let mut answer = self.answer(catalog, call)?;
        if call.development_mode {
            drop_publishers(&mut answer);
        }
        Ok(answer)
    }

    fn answer(&self, catalog: &Catalog, call: &Call<'_>) -> Answer {
        let extended_only = || {
            if call.development_mode {
                Err((403, "Forbidden"))
            } else {
                Ok(())
            }
        };
        let none = Vec::new();
        match call.segments {
            ["shows"] => Self::several(&self.shows, call, "shows", 50),
            ["shows", id] => {
                let mut show = Self::one(&self.shows, id)?.clone();
                let ids = self.show_episodes.get(*id).unwrap_or(&none);
                show["episodes"] =
                    Self::page(&self.episodes, ids, call, &format!("/shows/{id}/episodes"))?;
                Ok(show)
            }
            ["shows", id, "episodes"] => {
                Self::one(&self.shows, id)?;
                let ids = self.show_episodes.get(*id).unwrap_or(&none);
                Self::page(&self.episodes, ids, call, &format!("/shows/{id}/episodes"))
            }
            ["episodes"] => Self::several(&self.episodes, call, "episodes", 50),
            ["episodes", id] => {
                let mut episode = Self::one(&self.episodes, id)?.clone();
                if let Some((show, _)) = self
                    .show_episodes
                    .iter()
                    .find(|(_, ids)| ids.iter().any(|e| e == id))
                {
                    episode["show"] = self.shows.get(show).cloned().unwrap_or(Value::Null);
                }
                Ok(episode)
            }
            ["audiobooks"] => Self::several(&self.audiobooks, call, "audiobooks", 50),
            ["audiobooks", id] => {
                let mut book = Self::one(&self.audiobooks, id)?.clone();
                let ids = self.audiobook_chapters.get(*id).unwrap_or(&none);
                book["chapters"] = Self::page(
                    &self.chapters,
                    ids,
                    call,
                    &format!("/audiobooks/{id}/chapters"),
                )?;
                Ok(book)
            }
            ["audiobooks", id, "chapters"] => {
                Self::one(&self.audiobooks, id)?;
                let ids = self.audiobook_chapters.get(*id).unwrap_or(&none);
                Self::page(
                    &self.chapters,
                    ids,
                    call,
                    &format!("/audiobooks/{id}/chapters"),
                )
            }
            ["chapters"] => Self::several(&self.chapters, call, "chapters", 50),
            ["chapters", id] => {
                let mut chapter = Self::one(&self.chapters, id)?.clone();
                if let Some((book, _)) = self
                    .audiobook_chapters
                    .iter()
                    .find(|(_, ids)| ids.iter().any(|c| c == id))
                {
                    chapter["audiobook"] =
                        self.audiobooks.get(book).cloned().unwrap_or(Value::Null);
                }
                Ok(chapter)
            }
            ["users", user] => {
                extended_only()?;
                Ok(json!({
                    "id": user,
                    "display_name": user,
                    "type": "user",
                    "uri": format!("spotify:user:{user}"),
                    "href": format!("{}/users/{user}", call.base),
                    "external_urls": {"spotify": format!("https://open.spotify.com/user/{user}")},
                    "followers": {"href": null, "total": 0},
                    "images": [],
                }))
            }
            ["browse", "new-releases"] => {
                extended_only()?;
                let albums: HashMap<String, Value> = catalog
                    .album_ids()
                    .filter_map(|id| {
                        Some((id.to_owned(), catalog.album(id, call.base, false).ok()?))
                    })
                    .collect();
                let ids: Vec<String> = catalog.album_ids().map(Into::into).collect();
                Ok(json!({"albums": Self::page(&albums, &ids, call, "/browse/new-releases")?}))
            }
            ["browse", "categories"] => {
                extended_only()?;
                let map: HashMap<String, Value> = self
                    .categories
                    .iter()
                    .filter_map(|c| Some((c["id"].as_str()?.to_owned(), c.clone())))
                    .collect();
                let ids: Vec<String> = self
                    .categories
                    .iter()
                    .filter_map(|c| c["id"].as_str().map(Into::into))
                    .collect();
                Ok(json!({"categories": Self::page(&map, &ids, call, "/browse/categories")?}))
            }
            ["browse", "categories", id] => {
                extended_only()?;
                self.categories
                    .iter()
                    .find(|c| c["id"].as_str() == Some(id))
                    .cloned()
                    .ok_or((404, "non existing id"))
            }
            ["markets"] => {
                extended_only()?;
                Ok(json!({"markets": self.markets}))
            }
            // Closed to new apps on 2024-11-27: the answers they get.
            ["audio-features", ..] | ["audio-analysis", ..] => Err((403, "")),
            ["artists", _, "related-artists"]
            | ["recommendations", ..]
            | ["browse", "featured-playlists"]
            | ["browse", "categories", _, "playlists"] => Err((404, "Resource not found")),
            _ => Err((404, "Service not found")),
        }
    }
}

/// Takes `publisher` off every show and audiobook in an answer, as Spotify does for
/// development-mode apps since February 2026.
pub(crate) fn drop_publishers(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if matches!(
                object.get("type").and_then(Value::as_str),
                Some("show" | "audiobook")
            ) {
                object.remove("publisher");
            }
            object.values_mut().for_each(drop_publishers);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_publishers),
        _ => {}
    }
}
