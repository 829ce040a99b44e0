//! What the user listens to and follows: top artists and tracks, recently played tracks
//! (cursor pages, walked back in time with `before` or forward with `after`), followed
//! artists, and following artists and users.

use alloc::vec::Vec;

use super::library::flags;
use super::{CursorWalk, Endpoint, check_limit, get, join_ids};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::{ArtistId, UserId};
use crate::message::{Method, Request, Response};
use crate::model::{Artist, CursorPage, Page, PlayHistory, Track};
use crate::response::{decode, error_from_response};
use crate::time::Timestamp;
use crate::url::BaseUrl;

/// Over how long the top items are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TimeRange {
    /// About the last 4 weeks.
    ShortTerm,
    /// About the last 6 months (Spotify's default).
    #[default]
    MediumTerm,
    /// About the last year.
    LongTerm,
}

impl TimeRange {
    /// The word on the wire, such as `"short_term"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ShortTerm => "short_term",
            Self::MediumTerm => "medium_term",
            Self::LongTerm => "long_term",
        }
    }
}

macro_rules! top_items {
    ($(#[$doc:meta])* $name:ident, $item:ty, $path:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            time_range: Option<TimeRange>,
            limit: Option<u32>,
            offset: Option<u32>,
        }

        impl $name {
            /// Over Spotify's default range (about 6 months).
            pub fn new() -> Self {
                Self::default()
            }

            /// Over this range.
            #[must_use]
            pub fn time_range(mut self, range: TimeRange) -> Self {
                self.time_range = Some(range);
                self
            }

            crate::endpoint::paging_methods!();
        }

        impl Endpoint for $name {
            type Output = Page<$item>;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .optional("time_range", self.time_range.map(TimeRange::as_str))
                    .number("limit", self.limit)
                    .number("offset", self.offset);
                get(api, format_args!($path), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
                decode(response, $what)
            }

            fn validate(&self) -> Result<(), Error> {
                check_limit(self.limit)
            }
        }
    };
}

top_items!(
    /// Get User's Top Artists: `GET /me/top/artists`, needs `user-top-read`. Idempotent.
    GetUsersTopArtists, Artist, "/me/top/artists", "top artists"
);
top_items!(
    /// Get User's Top Tracks: `GET /me/top/tracks`, needs `user-top-read`. Idempotent.
    GetUsersTopTracks, Track, "/me/top/tracks", "top tracks"
);

/// Get Recently Played Tracks: `GET /me/player/recently-played`, one cursor page of the
/// tracks the user played, newest first; needs `user-read-recently-played`. Idempotent.
///
/// Walk it with a client's `walk`: from [`new`](Self::new) or [`before`](Self::before) the
/// walk goes back in time page by page; from [`after`](Self::after) it goes forward; and
/// [`since`](Self::since) gives everything played after a time, newest first.
///
/// ```
/// use spotify_web_core::endpoint::{CursorWalk, Endpoint, GetRecentlyPlayed};
/// use spotify_web_core::message::Response;
/// use spotify_web_core::url::BaseUrl;
///
/// let first = GetRecentlyPlayed::new().limit(2);
/// let body = br#"{"items":[],"next":null,"limit":2,"cursors":{"after":"1495915674720","before":"1495842394544"}}"#;
/// let page = first.parse(&Response::new(200, body))?;
/// let older = first.next_from(&page).expect("a page before it");
/// assert_eq!(
///     older.request(&BaseUrl::spotify_api()).url(),
///     "https://api.spotify.com/v1/me/player/recently-played?limit=2&before=1495842394544"
/// );
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GetRecentlyPlayed {
    limit: Option<u32>,
    after: Option<i64>,
    before: Option<i64>,
    since: Option<Timestamp>,
}

impl GetRecentlyPlayed {
    /// The most recent plays.
    pub fn new() -> Self {
        Self::default()
    }

    /// Items per page, 1 to 50 (Spotify's default is 20).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Plays after this time (not at it); a walk from here goes forward.
    #[must_use]
    pub fn after(mut self, time: Timestamp) -> Self {
        self.after = Some(time.unix_millis());
        self.before = None;
        self
    }

    /// Plays before this time (not at it); a walk from here goes back.
    #[must_use]
    pub fn before(mut self, time: Timestamp) -> Self {
        self.before = Some(time.unix_millis());
        self.after = None;
        self
    }

    /// Everything played after `time`, newest first: a walk back from now that stops at
    /// `time` (it never depends on which plays Spotify gives for `after`).
    pub fn since(time: Timestamp) -> Self {
        Self {
            since: Some(time),
            ..Self::default()
        }
    }
}

impl Endpoint for GetRecentlyPlayed {
    type Output = CursorPage<PlayHistory>;

    fn request(&self, api: &BaseUrl) -> Request {
        let number = |value: Option<i64>| value.map(|v| alloc::format!("{v}"));
        let query = FormBuilder::default()
            .number("limit", self.limit)
            .optional("after", number(self.after).as_deref())
            .optional("before", number(self.before).as_deref());
        get(api, format_args!("/me/player/recently-played"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        let mut page: CursorPage<PlayHistory> = decode(response, "recently played")?;
        if let Some(since) = self.since {
            // Newest first: the walk ends at the first play at or before `since`.
            if let Some(end) = page.items.iter().position(|play| play.played_at <= since) {
                page.items.truncate(end);
                page.next = None;
                page.cursors = None;
            }
        }
        Ok(page)
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

impl CursorWalk for GetRecentlyPlayed {
    fn next_from(&self, page: &Self::Output) -> Option<Self> {
        let cursors = page.cursors.as_ref()?;
        let cursor = |text: &Option<alloc::string::String>| text.as_deref()?.parse::<i64>().ok();
        if self.after.is_some() {
            Some(Self {
                after: Some(cursor(&cursors.after)?),
                ..*self
            })
        } else {
            Some(Self {
                before: Some(cursor(&cursors.before)?),
                ..*self
            })
        }
    }
}

/// Get Followed Artists: `GET /me/following?type=artist`, one cursor page of the artists the
/// user follows; needs `user-follow-read`. Its `next` link carries the `after` cursor, so a
/// client's `items` walks it. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GetFollowedArtists {
    limit: Option<u32>,
    after: Option<ArtistId>,
}

impl GetFollowedArtists {
    /// From the start.
    pub fn new() -> Self {
        Self::default()
    }

    /// Artists per page, 1 to 50 (Spotify's default is 20).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The artists after this one (the last of the previous page).
    #[must_use]
    pub fn after(mut self, artist: ArtistId) -> Self {
        self.after = Some(artist);
        self
    }
}

impl Endpoint for GetFollowedArtists {
    type Output = CursorPage<Artist>;

    fn request(&self, api: &BaseUrl) -> Request {
        let after = self.after.map(|id| alloc::format!("{id}"));
        let query = FormBuilder::default()
            .pair("type", "artist")
            .optional("after", after.as_deref())
            .number("limit", self.limit);
        get(api, format_args!("/me/following"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            artists: CursorPage<Artist>,
        }
        decode::<Answer>(response, "followed artists").map(|answer| answer.artists)
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

/// Artists or users to follow, unfollow or check: one kind per request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Followed {
    /// Artists.
    Artists(Vec<ArtistId>),
    /// Users.
    Users(Vec<UserId>),
}

impl Followed {
    fn query(&self) -> FormBuilder {
        match self {
            Self::Artists(ids) => FormBuilder::default()
                .pair("type", "artist")
                .pair("ids", &join_ids(ids)),
            Self::Users(ids) => FormBuilder::default()
                .pair("type", "user")
                .pair("ids", &join_ids(ids)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Artists(ids) => ids.len(),
            Self::Users(ids) => ids.len(),
        }
    }

    fn check(&self) -> Result<(), Error> {
        match self.len() {
            0 => Err(Error::InvalidArgument {
                what: "no IDs were given",
            }),
            1..=50 => Ok(()),
            _ => Err(Error::InvalidArgument {
                what: "more than 50 IDs in one request",
            }),
        }
    }
}

macro_rules! follow {
    ($(#[$doc:meta])* $name:ident, $method:ident, $path:literal, $output:ty, $parse:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            who: Followed,
        }

        impl $name {
            /// These artists (1 to 50).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] for none or more than 50.
            pub fn artists(ids: impl IntoIterator<Item = ArtistId>) -> Result<Self, Error> {
                let who = Followed::Artists(ids.into_iter().collect());
                who.check()?;
                Ok(Self { who })
            }

            /// These users (1 to 50).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] for none or more than 50.
            pub fn users(ids: impl IntoIterator<Item = UserId>) -> Result<Self, Error> {
                let who = Followed::Users(ids.into_iter().collect());
                who.check()?;
                Ok(Self { who })
            }
        }

        impl Endpoint for $name {
            type Output = $output;

            fn request(&self, api: &BaseUrl) -> Request {
                let mut url = api.join(format_args!($path));
                url.push('?');
                url.push_str(&self.who.query().finish());
                Request::new(Method::$method, url)
            }

            fn parse(&self, response: &Response<'_>) -> Result<$output, Error> {
                let parse: fn(&Self, &Response<'_>) -> Result<$output, Error> = $parse;
                parse(self, response)
            }

            fn validate(&self) -> Result<(), Error> {
                self.who.check()
            }
        }
    };
}

fn nothing(response: &Response<'_>) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

follow!(
    /// Follow Artists or Users: `PUT /me/following?type=…&ids=…`; needs
    /// `user-follow-modify`. **Extended-quota apps only** since February 2026: development-mode
    /// apps save users with [`SaveItemsToLibrary`](super::SaveItemsToLibrary), and cannot
    /// follow artists. Idempotent.
    FollowArtistsOrUsers, Put, "/me/following", (), |_, response| nothing(response)
);
follow!(
    /// Unfollow Artists or Users: `DELETE /me/following?type=…&ids=…`. **Extended-quota apps
    /// only** since February 2026. Idempotent.
    UnfollowArtistsOrUsers, Delete, "/me/following", (), |_, response| nothing(response)
);
follow!(
    /// Check If User Follows Artists or Users: `GET /me/following/contains?type=…&ids=…`, one
    /// answer per ID in input order. **Extended-quota apps only** since February 2026
    /// (development-mode apps use [`CheckLibraryContains`](super::CheckLibraryContains)).
    /// Idempotent.
    CheckIfUserFollows, Get, "/me/following/contains", Vec<bool>,
    |endpoint, response| flags(response, endpoint.who.len())
);

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> CursorPage<PlayHistory> {
        GetRecentlyPlayed::new()
            .parse(&Response::new(200, body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn walks_forward_from_after_and_back_from_before() {
        let body = r#"{"items":[],"limit":2,"cursors":{"after":"200","before":"100"}}"#;
        let start = Timestamp::from_unix_millis(50);
        let forward = GetRecentlyPlayed::new().after(start);
        assert_eq!(
            forward.next_from(&page(body)).map(|e| e.after),
            Some(Some(200))
        );
        let back = GetRecentlyPlayed::new().before(Timestamp::from_unix_millis(500));
        assert_eq!(
            back.next_from(&page(body)).map(|e| e.before),
            Some(Some(100))
        );
        let ended = r#"{"items":[],"limit":2,"next":null}"#;
        assert_eq!(
            back.next_from(&page(ended)),
            None,
            "no cursors: the walk ends"
        );
    }

    #[test]
    fn a_walk_asks_from_the_cursors_and_ends_where_they_end() {
        use crate::endpoint::{PageRequest, Pages};
        let track = r#"{"track":{"id":"6rqhFgbbKwnb9MLmUQDhG6","name":"t","type":"track"},"played_at":"2026-03-01T10:00:00Z"}"#;
        let mut pages = Pages::walk(GetRecentlyPlayed::new().limit(1));
        let Some(PageRequest::First(first)) = pages.next_request() else {
            panic!("the first page")
        };
        assert_eq!(first.before, None);
        let with_cursors = alloc::format!(
            r#"{{"items":[{track}],"limit":1,"next":null,"cursors":{{"after":"9","before":"5"}}}}"#
        );
        assert_eq!(pages.take(page(&with_cursors)).len(), 1);
        let Some(PageRequest::First(second)) = pages.next_request() else {
            panic!("a page before it, from the cursors even though next is null")
        };
        assert_eq!(second.before, Some(5));
        let without = alloc::format!(r#"{{"items":[{track}],"limit":1,"next":null}}"#);
        assert_eq!(pages.take(page(&without)).len(), 1);
        assert!(pages.next_request().is_none(), "no cursors: the walk ends");

        let mut pages = Pages::walk(GetRecentlyPlayed::new());
        let _ = pages.next_request();
        let empty = r#"{"items":[],"limit":1,"cursors":{"after":"9","before":"5"}}"#;
        assert!(pages.take(page(empty)).is_empty());
        assert!(
            pages.next_request().is_none(),
            "an empty page ends the walk"
        );
    }

    #[test]
    fn since_stops_at_the_first_older_play() {
        let play = |at: &str| {
            alloc::format!(
                r#"{{"track":{{"id":"6rqhFgbbKwnb9MLmUQDhG6","name":"t","type":"track"}},"played_at":"{at}"}}"#
            )
        };
        let body = alloc::format!(
            r#"{{"items":[{},{},{}],"limit":3,"next":"https://api.spotify.com/v1/me/player/recently-played?before=1","cursors":{{"after":"3","before":"1"}}}}"#,
            play("2026-03-01T10:00:03Z"),
            play("2026-03-01T10:00:02Z"),
            play("2026-03-01T10:00:01Z")
        );
        let since = GetRecentlyPlayed::since("2026-03-01T10:00:02Z".parse().unwrap());
        let page = since.parse(&Response::new(200, body.as_bytes())).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(since.next_from(&page), None);
    }
}
