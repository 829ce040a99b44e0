//! Following a page's `next` link.

use alloc::collections::BTreeMap;
use alloc::string::String;
use core::fmt;
use core::marker::PhantomData;

use serde::Deserialize;

use super::Endpoint;
use crate::error::{DecodeError, Error, error_from_response};
use crate::message::{Method, Request, Response};
use crate::model::Page;
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
pub struct NextPage<T> {
    url: String,
    item: PhantomData<fn() -> T>,
}

impl<T> NextPage<T> {
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

impl<T> Clone for NextPage<T> {
    fn clone(&self) -> Self {
        Self::new(self.url.clone())
    }
}

impl<T> PartialEq for NextPage<T> {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

impl<T> Eq for NextPage<T> {}

impl<T> fmt::Debug for NextPage<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NextPage").field(&self.url).finish()
    }
}

impl<T: for<'de> Deserialize<'de>> Endpoint for NextPage<T> {
    type Output = Page<T>;

    fn request(&self, _api: &BaseUrl) -> Request {
        Request::new(Method::Get, self.url.clone())
    }

    fn parse(&self, response: &Response<'_>) -> Result<Page<T>, Error> {
        if !response.is_success() {
            return Err(error_from_response(response));
        }
        crate::budget::check(response.body(), "page").map_err(Error::Decode)?;
        // A plain page, or one wrapped as search wraps it (`{"artists": {…page…}}`). Tried in
        // turn rather than as an untagged enum, which would copy the whole body into a buffer
        // of serde values first.
        let plain = match serde_json::from_slice::<Page<T>>(response.body()) {
            Ok(page) => return Ok(page),
            Err(error) => error,
        };
        let wrapped: BTreeMap<String, Page<T>> = serde_json::from_slice(response.body())
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
