//! The bundled catalog and the Web API's answers over it.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

/// A failed lookup: status and Spotify's message.
pub(crate) type Failure = (u16, &'static str);

/// The catalog, `data/catalog.json`, built from recorded answers by `data/build_catalog.py`.
pub(crate) struct Catalog {
    artists: Vec<Value>,
    albums: Vec<Value>,
    tracks: Vec<Value>,
    by_id: HashMap<(Kind, String), usize>,
    album_tracks: HashMap<String, Vec<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Artist,
    Album,
    Track,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Self::Artist => "artists",
            Self::Album => "albums",
            Self::Track => "tracks",
        }
    }
}

/// Fields development-mode apps no longer get since February 2026.
const DEV_MODE_DROPPED: [(Kind, &[&str]); 3] = [
    (Kind::Artist, &["followers", "popularity", "genres"]),
    (Kind::Album, &["label", "popularity", "external_ids"]),
    (Kind::Track, &["popularity", "external_ids", "linked_from"]),
];

/// A bundled data file, with each `available_markets` index replaced by the list it names in
/// the file's `market_lists` (the build scripts store each distinct list once).
pub(crate) fn load_data(text: &str) -> Value {
    fn expand(value: &mut Value, lists: &[Value]) {
        match value {
            Value::Object(object) => {
                for (key, value) in object.iter_mut() {
                    match value {
                        Value::Number(n) if key == "available_markets" => {
                            let list = n.as_u64().and_then(|i| lists.get(usize::try_from(i).ok()?));
                            *value = list.cloned().unwrap_or_else(|| Value::Array(Vec::new()));
                        }
                        _ => expand(value, lists),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| expand(v, lists)),
            _ => {}
        }
    }
    let mut data: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let lists = match data.as_object_mut().and_then(|o| o.remove("market_lists")) {
        Some(Value::Array(lists)) => lists,
        _ => Vec::new(),
    };
    expand(&mut data, &lists);
    data
}

/// Takes every `available_markets` out of an answer: development-mode apps no longer get it on
/// tracks, albums, shows, audiobooks or chapters since February 2026 (API-FACTS §7).
pub(crate) fn drop_available_markets(value: &mut Value) {
    match value {
        Value::Object(object) => {
            object.remove("available_markets");
            object.values_mut().for_each(drop_available_markets);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_available_markets),
        _ => {}
    }
}

/// Whether a string is a catalog ID: 22 characters of `[0-9A-Za-z]`.
fn valid_id(id: &str) -> bool {
    id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase()
}

impl Catalog {
    pub(crate) fn bundled() -> Self {
        let data = load_data(include_str!("../data/catalog.json"));
        let list = |key: &str| {
            data.get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (artists, albums, tracks) = (list("artists"), list("albums"), list("tracks"));
        let mut by_id = HashMap::new();
        for (kind, items) in [
            (Kind::Artist, &artists),
            (Kind::Album, &albums),
            (Kind::Track, &tracks),
        ] {
            for (i, item) in items.iter().enumerate() {
                by_id.insert((kind, text_raw(item, "id")), i);
            }
        }
        let mut album_tracks = HashMap::new();
        if let Some(map) = data.get("album_tracks").and_then(Value::as_object) {
            for (album, ids) in map {
                let indices = ids
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|id| by_id.get(&(Kind::Track, id.as_str()?.to_owned())).copied())
                    .collect();
                album_tracks.insert(album.clone(), indices);
            }
        }
        Self {
            artists,
            albums,
            tracks,
            by_id,
            album_tracks,
        }
    }

    fn items(&self, kind: Kind) -> &[Value] {
        match kind {
            Kind::Artist => &self.artists,
            Kind::Album => &self.albums,
            Kind::Track => &self.tracks,
        }
    }

    fn find(&self, kind: Kind, id: &str) -> Result<Option<&Value>, Failure> {
        if !valid_id(id) {
            return Err((400, "invalid id"));
        }
        Ok(self
            .by_id
            .get(&(kind, id.to_owned()))
            .map(|&i| &self.items(kind)[i]))
    }

    /// The IDs of every track, in catalog order.
    pub(crate) fn track_ids(&self) -> impl Iterator<Item = &str> {
        self.tracks
            .iter()
            .filter_map(|t| t.get("id").and_then(Value::as_str))
    }

    /// The IDs of every album, in catalog order.
    pub(crate) fn album_ids(&self) -> impl Iterator<Item = &str> {
        self.albums
            .iter()
            .filter_map(|a| a.get("id").and_then(Value::as_str))
    }

    /// Whether the catalog has this track.
    pub(crate) fn has_track(&self, id: &str) -> bool {
        self.by_id.contains_key(&(Kind::Track, id.to_owned()))
    }

    fn get(&self, kind: Kind, id: &str) -> Result<&Value, Failure> {
        self.find(kind, id)?.ok_or((404, "Resource not found"))
    }

    /// An object as the API shows it, slimmed for development mode if asked.
    fn present(kind: Kind, value: &Value, development_mode: bool) -> Value {
        let mut value = value.clone();
        if development_mode {
            if let Some(object) = value.as_object_mut() {
                for (k, fields) in DEV_MODE_DROPPED {
                    if k == kind {
                        for field in fields {
                            object.remove(*field);
                        }
                    }
                }
            }
        }
        value
    }

    pub(crate) fn artist(&self, id: &str, development_mode: bool) -> Result<Value, Failure> {
        Ok(Self::present(
            Kind::Artist,
            self.get(Kind::Artist, id)?,
            development_mode,
        ))
    }

    pub(crate) fn track(&self, id: &str, development_mode: bool) -> Result<Value, Failure> {
        Ok(Self::present(
            Kind::Track,
            self.get(Kind::Track, id)?,
            development_mode,
        ))
    }

    pub(crate) fn album(
        &self,
        id: &str,
        base: &str,
        development_mode: bool,
    ) -> Result<Value, Failure> {
        let album = self.get(Kind::Album, id)?;
        Ok(self.full_album(album, base, development_mode))
    }

    fn full_album(&self, album: &Value, base: &str, development_mode: bool) -> Value {
        let mut album = Self::present(Kind::Album, album, development_mode);
        let id = text_raw(&album, "id");
        let tracks = self.simplified_tracks(&id);
        let href = format!("{base}/albums/{id}/tracks");
        if let Some(object) = album.as_object_mut() {
            object.insert("tracks".into(), page_slice(tracks, &href, &[], 0, 50));
        }
        album
    }

    fn simplified_tracks(&self, album: &str) -> Vec<Value> {
        self.album_tracks
            .get(album)
            .into_iter()
            .flatten()
            .map(|&i| {
                let mut track = self.tracks[i].clone();
                if let Some(object) = track.as_object_mut() {
                    for field in ["album", "popularity", "external_ids"] {
                        object.remove(field);
                    }
                }
                track
            })
            .collect()
    }

    pub(crate) fn several(
        &self,
        kind: Kind,
        ids: Option<&String>,
        max: usize,
        base: &str,
        development_mode: bool,
    ) -> Result<Value, Failure> {
        let ids: Vec<&str> = ids.map(|ids| ids.split(',').collect()).unwrap_or_default();
        if ids.is_empty() || ids == [""] {
            return Err((400, "invalid id"));
        }
        if ids.len() > max {
            return Err((400, "too many ids requested"));
        }
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            items.push(match self.find(kind, id)? {
                Some(item) if kind == Kind::Album => self.full_album(item, base, development_mode),
                Some(item) => Self::present(kind, item, development_mode),
                None => Value::Null,
            });
        }
        Ok(json!({ kind.plural(): items }))
    }

    pub(crate) fn top_tracks(&self, id: &str, development_mode: bool) -> Result<Value, Failure> {
        self.get(Kind::Artist, id)?;
        let mut tracks: Vec<&Value> = self.tracks.iter().filter(|t| has_artist(t, id)).collect();
        tracks.sort_by_key(|t| {
            std::cmp::Reverse(t.get("popularity").and_then(Value::as_u64).unwrap_or(0))
        });
        let tracks: Vec<Value> = tracks
            .into_iter()
            .take(10)
            .map(|t| Self::present(Kind::Track, t, development_mode))
            .collect();
        Ok(json!({ "tracks": tracks }))
    }

    pub(crate) fn artist_albums(
        &self,
        id: &str,
        params: &HashMap<String, String>,
        base: &str,
        (default_limit, limit_cap): (u32, u32),
        development_mode: bool,
    ) -> Result<Value, Failure> {
        self.get(Kind::Artist, id)?;
        let (offset, limit) = paging(params, default_limit, limit_cap)?;
        let groups: Option<Vec<&str>> =
            params.get("include_groups").map(|g| g.split(',').collect());
        if let Some(groups) = &groups {
            if groups
                .iter()
                .any(|g| !["album", "single", "appears_on", "compilation"].contains(g))
            {
                return Err((400, "Invalid include_groups"));
            }
        }
        let mut albums = Vec::new();
        for album in &self.albums {
            let album_id = text_raw(album, "id");
            let group = if has_artist(album, id) {
                text(album, "album_type")
            } else if self
                .album_tracks
                .get(&album_id)
                .into_iter()
                .flatten()
                .any(|&t| has_artist(&self.tracks[t], id))
            {
                "appears_on".into()
            } else {
                continue;
            };
            if groups
                .as_ref()
                .is_some_and(|g| !g.contains(&group.as_str()))
            {
                continue;
            }
            let mut simple = simplified_album(album);
            if let Some(object) = simple.as_object_mut() {
                // Removed for development-mode apps in February 2026.
                if !development_mode {
                    object.insert("album_group".into(), Value::String(group));
                }
            }
            albums.push(simple);
        }
        let mut extra = Vec::new();
        if let Some(groups) = params.get("include_groups") {
            extra.push(("include_groups", groups.as_str()));
        }
        if let Some(market) = params.get("market") {
            extra.push(("market", market.as_str()));
        }
        let href = format!("{base}/artists/{id}/albums");
        Ok(page_slice(albums, &href, &extra, offset, limit))
    }

    pub(crate) fn album_tracks(
        &self,
        id: &str,
        params: &HashMap<String, String>,
        base: &str,
        development_mode: bool,
    ) -> Result<Value, Failure> {
        self.get(Kind::Album, id)?;
        let (offset, limit) = paging(params, 20, 50)?;
        let href = format!("{base}/albums/{id}/tracks");
        let mut tracks = self.simplified_tracks(id);
        if development_mode {
            // Removed for development-mode apps in February 2026.
            for track in &mut tracks {
                if let Some(object) = track.as_object_mut() {
                    object.remove("linked_from");
                }
            }
        }
        let extra: Vec<(&str, &str)> = params
            .get("market")
            .map(|market| ("market", market.as_str()))
            .into_iter()
            .collect();
        Ok(page_slice(tracks, &href, &extra, offset, limit))
    }

    /// Search over the catalog, and over `others` for the kinds it does not hold (playlists,
    /// shows, episodes, audiobooks: matched by name; `null` entries are kept, as Spotify has
    /// them in playlist results, and count in `total`).
    pub(crate) fn search(
        &self,
        query: &Query,
        base: &str,
        development_mode: bool,
        others: &HashMap<&str, Vec<Value>>,
    ) -> Value {
        let mut out = Map::new();
        let href = format!("{base}/search");
        for kind in &query.types {
            let items: Vec<Value> = match kind.as_str() {
                "artist" => self.matching(Kind::Artist, query, development_mode),
                "album" => self
                    .albums
                    .iter()
                    .filter(|a| query.matches(Kind::Album, a, self))
                    .map(simplified_album)
                    .collect(),
                "track" => self.matching(Kind::Track, query, development_mode),
                other => {
                    // A `null` stays where it follows a match (it stands for a result Spotify
                    // could not show).
                    let mut kept = Vec::new();
                    let mut last_matched = false;
                    for item in others.get(other).into_iter().flatten() {
                        if item.is_null() {
                            if last_matched {
                                kept.push(Value::Null);
                            }
                        } else {
                            last_matched = query.matches_name(item);
                            if last_matched {
                                kept.push(item.clone());
                            }
                        }
                    }
                    kept
                }
            };
            let mut extra = vec![("query", query.q.as_str()), ("type", kind.as_str())];
            if let Some(market) = &query.market {
                extra.push(("market", market.as_str()));
            }
            out.insert(
                format!("{kind}s"),
                page_slice(items, &href, &extra, query.offset, query.limit),
            );
        }
        Value::Object(out)
    }

    fn matching(&self, kind: Kind, query: &Query, development_mode: bool) -> Vec<Value> {
        self.items(kind)
            .iter()
            .filter(|item| query.matches(kind, item, self))
            .map(|item| Self::present(kind, item, development_mode))
            .collect()
    }

    fn artist_genres(&self, item: &Value) -> Vec<String> {
        artists_of(item)
            .filter_map(|a| self.by_id.get(&(Kind::Artist, text_raw(a, "id"))))
            .flat_map(|&i| {
                self.artists[i]
                    .get("genres")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|g| g.as_str().map(str::to_lowercase))
            })
            .collect()
    }
}

fn text_raw(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn artists_of(item: &Value) -> impl Iterator<Item = &Value> {
    item.get("artists")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn has_artist(item: &Value, id: &str) -> bool {
    artists_of(item).any(|a| a.get("id").and_then(Value::as_str) == Some(id))
}

fn simplified_album(album: &Value) -> Value {
    let mut album = album.clone();
    if let Some(object) = album.as_object_mut() {
        for field in [
            "tracks",
            "copyrights",
            "external_ids",
            "genres",
            "label",
            "popularity",
        ] {
            object.remove(field);
        }
    }
    album
}

/// `offset` and `limit` from a query, checked as Spotify does.
fn paging(
    params: &HashMap<String, String>,
    default_limit: u32,
    cap: u32,
) -> Result<(usize, usize), Failure> {
    let limit = match params.get("limit") {
        None => default_limit.min(cap),
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| (1..=cap).contains(l))
            .ok_or((400, "Invalid limit"))?,
    };
    // Unsigned: `offset=-1` is Spotify's 400, never a negative number cast to an index.
    let offset: u32 = match params.get("offset") {
        None => 0,
        Some(o) => o
            .parse()
            .ok()
            .filter(|o| *o <= 1000)
            .ok_or((400, "Invalid offset"))?,
    };
    Ok((offset as usize, limit as usize))
}

fn page_slice(
    items: Vec<Value>,
    href: &str,
    extra: &[(&str, &str)],
    offset: usize,
    limit: usize,
) -> Value {
    let total = items.len();
    let window = items.into_iter().skip(offset).take(limit).collect();
    page_with_total(window, href, extra, offset, limit, total)
}

/// Spotify's paging object, with `next` and `previous` as full URLs.
fn page_with_total(
    items: Vec<Value>,
    href: &str,
    extra: &[(&str, &str)],
    offset: usize,
    limit: usize,
    total: usize,
) -> Value {
    let url = |offset: usize| {
        let mut url = format!("{href}?offset={offset}&limit={limit}");
        for (key, value) in extra {
            url.push('&');
            url.push_str(key);
            url.push('=');
            url.push_str(&encode(value));
        }
        url
    };
    let next = (offset + limit < total).then(|| url(offset + limit));
    let previous = (offset > 0).then(|| url(offset.saturating_sub(limit)));
    json!({
        "href": url(offset),
        "items": items,
        "limit": limit,
        "next": next,
        "offset": offset,
        "previous": previous,
        "total": total,
    })
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A search: the `q` string taken apart into filters, and the paging.
pub(crate) struct Query {
    q: String,
    market: Option<String>,
    types: Vec<String>,
    words: Vec<String>,
    filters: Vec<(String, String)>,
    offset: usize,
    limit: usize,
}

const SEARCH_TYPES: [&str; 7] = [
    "album",
    "artist",
    "playlist",
    "track",
    "show",
    "episode",
    "audiobook",
];

impl Query {
    pub(crate) fn from_params(
        params: &HashMap<String, String>,
        (default_limit, limit_cap): (u32, u32),
    ) -> Result<Self, Failure> {
        // Spotify's own page links spell it `query`, and it accepts them back.
        let q = params
            .get("q")
            .or_else(|| params.get("query"))
            .filter(|q| !q.trim().is_empty())
            .ok_or((400, "No search query"))?;
        let types: Vec<String> = params
            .get("type")
            .ok_or((400, "Missing parameter type"))?
            .split(',')
            .map(str::to_owned)
            .collect();
        if types.iter().any(|t| !SEARCH_TYPES.contains(&t.as_str())) {
            return Err((400, "Bad search type field"));
        }
        let (offset, limit) = paging(params, default_limit, limit_cap)?;
        let mut words = Vec::new();
        let mut filters = Vec::new();
        for term in split_terms(q) {
            match term.split_once(':') {
                Some((field, value))
                    if [
                        "artist", "album", "track", "year", "genre", "isrc", "upc", "tag",
                    ]
                    .contains(&field) =>
                {
                    filters.push((field.to_owned(), value.trim_matches('"').to_lowercase()));
                }
                _ => words.push(term.trim_matches('"').to_lowercase()),
            }
        }
        Ok(Self {
            q: q.clone(),
            market: params.get("market").cloned(),
            types,
            words,
            filters,
            offset,
            limit,
        })
    }

    /// Whether an object outside the catalog matches: every word in its name, and no field
    /// filter (they name catalog fields).
    fn matches_name(&self, item: &Value) -> bool {
        let name = text(item, "name");
        self.filters.is_empty() && self.words.iter().all(|w| name.contains(w.as_str()))
    }

    fn matches(&self, kind: Kind, item: &Value, catalog: &Catalog) -> bool {
        let name = text(item, "name");
        let artist_names: Vec<String> = if kind == Kind::Artist {
            vec![name.clone()]
        } else {
            artists_of(item).map(|a| text(a, "name")).collect()
        };
        let album = match kind {
            Kind::Album => Some(item),
            Kind::Track => item.get("album"),
            Kind::Artist => None,
        };
        let words_match = self.words.iter().all(|w| {
            name.contains(w.as_str()) || artist_names.iter().any(|a| a.contains(w.as_str()))
        });
        words_match
            && self
                .filters
                .iter()
                .all(|(field, value)| match field.as_str() {
                    "artist" => artist_names.iter().any(|a| a.contains(value.as_str())),
                    "album" => album.is_some_and(|a| text(a, "name").contains(value.as_str())),
                    "track" => kind == Kind::Track && name.contains(value.as_str()),
                    "year" => match album {
                        Some(album) => year_matches(&text(album, "release_date"), value),
                        None => true,
                    },
                    "genre" => {
                        let genres = if kind == Kind::Artist {
                            catalog.artist_genres(&json!({"artists": [item]}))
                        } else {
                            catalog.artist_genres(item)
                        };
                        kind != Kind::Album && genres.iter().any(|g| g.contains(value.as_str()))
                    }
                    "isrc" => {
                        kind == Kind::Track
                            && item
                                .pointer("/external_ids/isrc")
                                .and_then(Value::as_str)
                                .is_some_and(|i| i.eq_ignore_ascii_case(value))
                    }
                    "upc" => {
                        kind == Kind::Album
                            && item.pointer("/external_ids/upc").and_then(Value::as_str)
                                == Some(value.as_str())
                    }
                    "tag" => {
                        kind == Kind::Album
                            && value == "hipster"
                            && item
                                .get("popularity")
                                .and_then(Value::as_u64)
                                .is_some_and(|p| p < 10)
                    }
                    _ => false,
                })
    }
}

/// Splits `q` on spaces, keeping `"quoted phrases"` (and `field:"quoted values"`) whole.
fn split_terms(q: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in q.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    terms.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        terms.push(current);
    }
    terms
}

/// `year:1999` or `year:1990-1999` against a release date.
fn year_matches(release_date: &str, filter: &str) -> bool {
    let Some(year) = release_date.get(..4).and_then(|y| y.parse::<u32>().ok()) else {
        return false;
    };
    let (from, to) = filter.split_once('-').unwrap_or((filter, filter));
    match (from.parse::<u32>(), to.parse::<u32>()) {
        (Ok(from), Ok(to)) => (from..=to).contains(&year),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_is_consistent() {
        let catalog = Catalog::bundled();
        assert!(catalog.artists.len() >= 20);
        assert!(catalog.get(Kind::Artist, "4Z8W4fKeB5YxbusRsdQVPb").is_ok());
        for item in catalog.albums.iter().chain(&catalog.tracks) {
            for artist in artists_of(item) {
                let id = text_raw(artist, "id");
                assert!(
                    catalog.get(Kind::Artist, &id).is_ok(),
                    "artist {id} is missing"
                );
            }
        }
        for (album, tracks) in &catalog.album_tracks {
            assert!(catalog.get(Kind::Album, album).is_ok());
            assert!(!tracks.is_empty());
        }
    }

    #[test]
    fn splits_quoted_terms_and_year_ranges() {
        assert_eq!(
            split_terms(r#"artist:"Band of Horses" year:2000-2010  rock"#),
            [r#"artist:"Band of Horses""#, "year:2000-2010", "rock"]
        );
        assert!(year_matches("2005-04-01", "2000-2010"));
        assert!(year_matches("1983", "1983"));
        assert!(!year_matches("1983", "1984"));
        assert!(!year_matches("", "1983"));
    }
}
