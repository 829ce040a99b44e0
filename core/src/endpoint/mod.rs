//! One type per Web API call, behind one trait.
//!
//! Each endpoint builds its request (without the token: the session, or
//! [`AccessToken::authorize`](crate::auth::AccessToken::authorize), adds it) and reads its
//! answer. Adding an endpoint is one small type here, its fixtures and its tests.

mod artists;

pub use artists::GetArtist;

use crate::error::Error;
use crate::message::{Request, Response};
use crate::url::BaseUrl;

/// A call to the Web API: how to ask, and how to read the answer.
pub trait Endpoint {
    /// What a successful answer decodes into.
    type Output;

    /// The request, addressed to the API at `api`, without an `authorization` header.
    fn request(&self, api: &BaseUrl) -> Request;

    /// Reads the answer to [`request`](Self::request): the typed result on success, the typed
    /// error otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for Spotify's error object, [`Error::RateLimited`] on 429,
    /// [`Error::UnexpectedStatus`] for other failures, [`Error::Decode`] for a body that does
    /// not decode.
    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error>;
}
