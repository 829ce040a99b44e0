//! Following a page's `next` link.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::Deserialize;

use super::Endpoint;
use crate::error::{DecodeError, Error};
use crate::message::{Method, Request, Response};
use crate::model::{Page, Paged};
use crate::response::error_from_response;
use crate::url::BaseUrl;

/// The page a [`Page::next`] (or `previous`) link points to, requested exactly as given.
///
/// Spotify's links carry parameters of their own (a different `limit` on the last page, a
/// `locale`, `query=` instead of `q=`), so they are followed verbatim rather than rebuilt. The
/// session sends the token only to the configured API host: a link to any other host ends
/// the call with [`Error::InvalidUrl`].
///
/// Search links answer with the page wrapped in its kind (`{"artists": {…}}`); that wrapping
/// is taken off.
///
/// `P` is the kind of page: an offset [`Page`] (the default) or a
/// [`CursorPage`](crate::model::CursorPage).
pub struct NextPage<T, P = Page<T>> {
    url: String,
    item: PhantomData<fn() -> (T, P)>,
}

impl<T, P> NextPage<T, P> {
    /// The page at this URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            item: PhantomData,
        }
    }

    /// The URL that will be requested.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl<T, P> Clone for NextPage<T, P> {
    fn clone(&self) -> Self {
        Self::new(self.url.clone())
    }
}

impl<T, P> PartialEq for NextPage<T, P> {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl<T, P> Eq for NextPage<T, P> {}

impl<T, P> fmt::Debug for NextPage<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NextPage").field(&self.url).finish()
    }
}

impl<T, P: for<'de> Deserialize<'de>> Endpoint for NextPage<T, P> {
    type Output = P;

    fn request(&self, _api: &BaseUrl) -> Request {
        Request::new(Method::Get, self.url.clone())
    }

    fn parse(&self, response: &Response<'_>) -> Result<P, Error> {
        if !response.is_success() {
            return Err(error_from_response(response));
        }
        // A plain page, or one wrapped as search wraps it (`{"artists": {…page…}}`). Tried in
        // turn rather than as an untagged enum, which would copy the whole body into a buffer
        // of serde values first.
        let plain = match crate::response::from_json::<P>(response.body()) {
            Ok(page) => return Ok(page),
            Err(error) => error,
        };
        let wrapped: BTreeMap<String, P> = crate::response::from_json(response.body())
            .map_err(|_| Error::Decode(DecodeError::json("page", &plain, false)))?;
        let mut pages = wrapped.into_values();
        match (pages.next(), pages.next()) {
            (Some(page), None) => Ok(page),
            _ => Err(Error::Decode(DecodeError {
                what: "page",
                reason: "the answer holds several pages (or none) where one was expected".into(),
            })),
        }
    }
}

/// Walks a paged list, sans I/O: it says which request to send next, and takes each page's
/// answer in turn, following `next` links until the list ends or `max_items` are out.
///
/// A driver wraps it in a few lines (an iterator, a stream):
///
/// ```
/// use spotify_web_core::endpoint::{GetArtistAlbums, Pages};
/// use spotify_web_core::model::{Album, Page};
///
/// let pitbull = "0TnOYISbd1XYRBk9myaseg".parse()?;
/// let mut pages = Pages::new(GetArtistAlbums::new(pitbull)).max_items(3);
/// let request = pages.next_request().expect("the first page");
/// # let _ = request;
/// // … send `request` through the session, which gives a page back …
/// let page: Page<Album> = serde_json::from_str(
///     r#"{"items":[],"next":null,"total":0,"limit":2,"offset":0}"#,
/// )?;
/// let items = pages.take(page);
/// assert!(items.is_empty());
/// assert!(pages.next_request().is_none(), "the list has ended");
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub struct Pages<E, P> {
    first: Option<E>,
    next: Option<String>,
    remaining: Option<usize>,
    total: Option<usize>,
    seen: usize,
    page: PhantomData<fn() -> P>,
    /// On a cursor walk: how the endpoint makes the request after a page, and the request
    /// that page answered.
    advance: Option<Advance<E, P>>,
    last: Option<E>,
}

/// How a cursor walk copies the request it sends, and makes the next one from its page.
struct Advance<E, P> {
    copy: fn(&E) -> E,
    next: fn(&E, &P) -> Option<E>,
}

impl<E, P> Clone for Advance<E, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E, P> Copy for Advance<E, P> {}

/// An endpoint paged by cursors that makes the request for the page after one from that
/// page's cursors, rather than following its `next` link: recently played tracks walked
/// forward with `after`, or back to a given time. Walk it with [`Pages::walk`] (a client's
/// `walk`).
pub trait CursorWalk: Endpoint + Sized
where
    Self::Output: Paged,
{
    /// The request for the page after `page` (which answered `self`), or `None` where the
    /// walk ends.
    fn next_from(&self, page: &Self::Output) -> Option<Self>;
}

impl<E: fmt::Debug, P> fmt::Debug for Pages<E, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("first", &self.first)
            .field("next", &self.next)
            .field("remaining", &self.remaining)
            .field("total", &self.total)
            .field("seen", &self.seen)
            .finish()
    }
}

/// The request for a page: the walk's first endpoint, or a `next` link.
#[derive(Debug)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a page is the first one or a followed link: complete by design"
)]
pub enum PageRequest<E, P: Paged> {
    /// The first page.
    First(E),
    /// A page after it.
    Next(NextPage<P::Item, P>),
}

impl<E, P> Endpoint for PageRequest<E, P>
where
    E: Endpoint<Output = P>,
    P: Paged,
    NextPage<P::Item, P>: Endpoint<Output = P>,
{
    type Output = P;

    fn request(&self, api: &BaseUrl) -> Request {
        match self {
            Self::First(endpoint) => endpoint.request(api),
            Self::Next(next) => next.request(api),
        }
    }

    fn parse(&self, response: &Response<'_>) -> Result<P, Error> {
        match self {
            Self::First(endpoint) => endpoint.parse(response),
            Self::Next(next) => next.parse(response),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        match self {
            Self::First(endpoint) => endpoint.validate(),
            Self::Next(_) => Ok(()),
        }
    }
}

impl<E, P: Paged> Pages<E, P> {
    /// A walk from `first`'s page.
    pub fn new(first: E) -> Self {
        Self {
            first: Some(first),
            next: None,
            remaining: None,
            total: None,
            seen: 0,
            page: PhantomData,
            advance: None,
            last: None,
        }
    }

    /// A walk in which `first` makes each next request from the page before it
    /// ([`CursorWalk`]), instead of following `next` links.
    pub fn walk(first: E) -> Self
    where
        E: CursorWalk<Output = P> + Clone,
    {
        Self {
            advance: Some(Advance {
                copy: E::clone,
                next: E::next_from,
            }),
            ..Self::new(first)
        }
    }

    /// A walk from a page already in hand (a search result's, say): its items come first,
    /// from [`take`](Self::take), then the pages after it.
    pub fn after(page: &P) -> Self {
        Self {
            first: None,
            next: page.next_link().map(Into::into),
            remaining: None,
            total: page.total(),
            seen: 0,
            page: PhantomData,
            advance: None,
            last: None,
        }
    }

    /// Stops after this many items, without asking for pages beyond them.
    #[must_use]
    pub fn max_items(mut self, max: usize) -> Self {
        self.remaining = Some(max);
        self
    }

    /// Stops after this many more items (as [`max_items`](Self::max_items), on a walk in
    /// progress).
    pub fn limit(&mut self, max: usize) {
        self.remaining = Some(max);
    }

    /// The request for the next page, or `None` when the list (or `max_items`) is done.
    pub fn next_request(&mut self) -> Option<PageRequest<E, P>> {
        if self.remaining == Some(0) {
            return None;
        }
        match self.first.take() {
            Some(first) => {
                if let Some(advance) = self.advance {
                    self.last = Some((advance.copy)(&first));
                }
                Some(PageRequest::First(first))
            }
            None => self
                .next
                .take()
                .map(|link| PageRequest::Next(NextPage::new(link))),
        }
    }

    /// Takes a page's answer: its items (no more than `max_items` allows), and its link to the
    /// next page.
    pub fn take(&mut self, page: P) -> Vec<P::Item> {
        match self.advance {
            Some(advance) => {
                self.first = self
                    .last
                    .take()
                    .and_then(|last| (advance.next)(&last, &page));
                self.next = None;
            }
            None => self.next = page.next_link().map(Into::into),
        }
        if let Some(total) = page.total() {
            self.total = Some(total);
        }
        let mut items = page.into_items();
        if let Some(remaining) = &mut self.remaining {
            items.truncate(*remaining);
            *remaining -= items.len();
        }
        if items.is_empty() {
            // An empty page ends the walk, whatever its link or cursors say.
            self.next = None;
            if self.advance.is_some() {
                self.first = None;
            }
        }
        self.seen += items.len();
        items
    }

    /// Ends the walk (after an error, say): no request follows.
    pub fn stop(&mut self) {
        self.first = None;
        self.next = None;
    }

    /// How many items the list holds, as the last page said (`total`), within `max_items`.
    pub fn total(&self) -> Option<usize> {
        match (self.total, self.remaining) {
            (Some(total), Some(remaining)) => Some(total.min(self.seen + remaining)),
            (total, _) => total,
        }
    }

    /// How many items the walk has given so far.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// Bounds on the items still to come, for an iterator's `size_hint`: what `total` and
    /// `max_items` allow beyond what was seen.
    pub fn size_hint(&self) -> (usize, Option<usize>) {
        if self.first.is_none() && self.next.is_none() {
            return (0, Some(0));
        }
        let upper = match (self.total, self.remaining) {
            (Some(total), Some(remaining)) => Some(total.saturating_sub(self.seen).min(remaining)),
            (Some(total), None) => Some(total.saturating_sub(self.seen)),
            (None, remaining) => remaining,
        };
        (0, upper)
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::model::CursorPage;

    /// A first page that is already in hand.
    #[derive(Debug)]
    struct First;

    impl Endpoint for First {
        type Output = CursorPage<u32>;

        fn request(&self, api: &BaseUrl) -> Request {
            Request::new(
                Method::Get,
                api.join(format_args!("/me/player/recently-played")),
            )
        }

        fn parse(&self, response: &Response<'_>) -> Result<CursorPage<u32>, Error> {
            crate::response::decode(response, "page")
        }
    }

    fn cursor_page(items: &[u32], next: Option<&str>) -> CursorPage<u32> {
        let next = next.map_or("null".into(), |n| alloc::format!("\"{n}\""));
        let body = alloc::format!(r#"{{"items":{items:?},"next":{next},"limit":2}}"#);
        serde_json::from_str(&body).unwrap()
    }

    #[test]
    fn walks_cursor_pages_by_their_links_until_the_last() {
        let mut pages = Pages::new(First);
        assert!(matches!(
            pages.next_request(),
            Some(PageRequest::First(First))
        ));
        let back = "https://api.spotify.com/v1/me/player/recently-played?before=1700000000000";
        assert_eq!(pages.take(cursor_page(&[1, 2], Some(back))), vec![1, 2]);
        assert_eq!(pages.total(), None, "cursor pages may say no total");
        assert_eq!(pages.size_hint(), (0, None));
        let Some(PageRequest::Next(next)) = pages.next_request() else {
            panic!("the link is followed")
        };
        assert_eq!(next.url(), back);
        assert_eq!(pages.take(cursor_page(&[3], None)), vec![3]);
        assert!(pages.next_request().is_none(), "no next: the walk ends");
        assert_eq!(pages.seen(), 3);
    }

    #[test]
    fn an_empty_page_or_max_items_ends_the_walk() {
        let mut pages = Pages::new(First).max_items(3);
        pages.next_request();
        assert_eq!(
            pages.take(cursor_page(&[1, 2], Some("https://x/a"))),
            vec![1, 2]
        );
        assert_eq!(pages.size_hint(), (0, Some(1)));
        pages.next_request();
        assert_eq!(
            pages.take(cursor_page(&[3, 4], Some("https://x/b"))),
            vec![3]
        );
        assert!(pages.next_request().is_none());
        let mut pages = Pages::new(First);
        pages.next_request();
        assert!(pages.take(cursor_page(&[], Some("https://x/c"))).is_empty());
        assert!(pages.next_request().is_none(), "an empty page ends it");
    }
}
