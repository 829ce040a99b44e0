//! Any endpoint, read another way: into the caller's own type, as the raw body, or not at
//! all. The request is the endpoint's own (so are its checks and whether it is idempotent),
//! and an error answer is the same typed error; only a success is read differently.
//!
//! ```
//! use spotify_web_core::endpoint::{Endpoint, EndpointExt, GetArtist};
//! use spotify_web_core::message::Response;
//!
//! #[derive(serde::Deserialize)]
//! struct Lean {
//!     name: String,
//!     popularity: Option<u32>,
//! }
//!
//! let get = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?).decode_as::<Lean>();
//! let body = br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead","popularity":79,"brand_new_field":1}"#;
//! let lean = get.parse(&Response::new(200, body))?;
//! assert_eq!((lean.name.as_str(), lean.popularity), ("Radiohead", Some(79)));
//!
//! let raw = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?).raw();
//! let answer = raw.parse(&Response::new(200, body))?;
//! assert_eq!(answer.status, 200);
//! assert_eq!(answer.body, body);
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::Endpoint;
use crate::error::Error;
use crate::message::{Request, Response};
use crate::response::{decode, error_from_response};
use crate::url::BaseUrl;

/// Ways to read any endpoint's answer differently; implemented for every endpoint.
pub trait EndpointExt: Endpoint + Sized {
    /// Reads a success into `T` instead (a lean struct on a hot path, or a field the models do
    /// not have yet).
    fn decode_as<T: DeserializeOwned>(self) -> DecodeAs<Self, T> {
        DecodeAs {
            endpoint: self,
            output: PhantomData,
        }
    }

    /// Gives a success as its status and body bytes, unread.
    fn raw(self) -> Raw<Self> {
        Raw { endpoint: self }
    }

    /// Reads nothing from a success.
    fn ignore(self) -> Ignore<Self> {
        Ignore { endpoint: self }
    }

    /// Asks only for a change: sends `If-None-Match` with the `ETag` of the answer already held
    /// (none on the first call), and reads a `304 Not Modified` as [`Conditional::NotModified`].
    ///
    /// Spotify tags few answers (a playlist, the user's playlists, followed artists); where it
    /// sends no `ETag`, every call is [`Conditional::Modified`] with `etag: None`, so code written
    /// this way never depends on one being there.
    ///
    /// ```
    /// use spotify_web_core::endpoint::{Conditional, Endpoint, EndpointExt, GetCurrentUsersPlaylists};
    /// use spotify_web_core::message::Response;
    /// use spotify_web_core::url::BaseUrl;
    ///
    /// let first = GetCurrentUsersPlaylists::new().if_none_match(None);
    /// let body = br#"{"href":"","items":[],"limit":20,"next":null,"offset":0,"previous":null,"total":0}"#;
    /// let answer = Response::new(200, body).with_header("ETag", b"\"v1\"");
    /// let Conditional::Modified { value, etag } = first.parse(&answer)? else { panic!("a first answer is new") };
    /// assert_eq!((value.total, etag.as_deref()), (0, Some("\"v1\"")));
    ///
    /// let again = GetCurrentUsersPlaylists::new().if_none_match(etag.as_deref());
    /// let request = again.request(&BaseUrl::spotify_api());
    /// assert_eq!(request.header("if-none-match"), Some("\"v1\""));
    /// assert!(matches!(again.parse(&Response::new(304, b""))?, Conditional::NotModified));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    fn if_none_match(self, etag: Option<&str>) -> IfNoneMatch<Self> {
        IfNoneMatch {
            endpoint: self,
            etag: etag.map(Into::into),
        }
    }
}

impl<E: Endpoint> EndpointExt for E {}

/// An endpoint whose success is read into `T`. Made by [`EndpointExt::decode_as`].
pub struct DecodeAs<E, T> {
    endpoint: E,
    output: PhantomData<fn() -> T>,
}

impl<E: fmt::Debug, T> fmt::Debug for DecodeAs<E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DecodeAs").field(&self.endpoint).finish()
    }
}

impl<E: Clone, T> Clone for DecodeAs<E, T> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            output: PhantomData,
        }
    }
}

impl<E: Endpoint, T: DeserializeOwned> Endpoint for DecodeAs<E, T> {
    type Output = T;

    fn request(&self, api: &BaseUrl) -> Request {
        self.endpoint.request(api)
    }

    fn parse(&self, response: &Response<'_>) -> Result<T, Error> {
        decode(response, core::any::type_name::<T>())
    }

    fn validate(&self) -> Result<(), Error> {
        self.endpoint.validate()
    }
}

/// A successful answer, unread.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawAnswer {
    /// The status (a 2xx).
    pub status: u16,
    /// The body as it came.
    pub body: Vec<u8>,
}

/// An endpoint whose success comes back unread. Made by [`EndpointExt::raw`].
#[derive(Debug, Clone)]
pub struct Raw<E> {
    endpoint: E,
}

impl<E: Endpoint> Endpoint for Raw<E> {
    type Output = RawAnswer;

    fn request(&self, api: &BaseUrl) -> Request {
        self.endpoint.request(api)
    }

    fn parse(&self, response: &Response<'_>) -> Result<RawAnswer, Error> {
        if !response.is_success() {
            return Err(error_from_response(response));
        }
        Ok(RawAnswer {
            status: response.status(),
            body: response.body().to_vec(),
        })
    }

    fn validate(&self) -> Result<(), Error> {
        self.endpoint.validate()
    }
}

/// An endpoint whose success is not read at all. Made by [`EndpointExt::ignore`].
#[derive(Debug, Clone)]
pub struct Ignore<E> {
    endpoint: E,
}

impl<E: Endpoint> Endpoint for Ignore<E> {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        self.endpoint.request(api)
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        if response.is_success() {
            Ok(())
        } else {
            Err(error_from_response(response))
        }
    }

    fn validate(&self) -> Result<(), Error> {
        self.endpoint.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{AddItemsToPlaylist, GetArtist};

    #[test]
    fn the_request_and_its_rules_are_the_endpoints_own() {
        let api = BaseUrl::spotify_api();
        let get = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
        assert_eq!(get.raw().request(&api), get.request(&api));
        let add = AddItemsToPlaylist::new(
            "3cEYpjA9oz9GiPac4AsH4n".parse().unwrap(),
            ["spotify:track:4iV5W9uYEdYUVa79Axb7Rh".parse().unwrap()],
        )
        .unwrap();
        assert!(!add.clone().ignore().request(&api).is_idempotent());
        assert!(
            !add.decode_as::<serde_json::Value>()
                .request(&api)
                .is_idempotent()
        );
    }

    #[test]
    fn errors_stay_typed_and_successes_are_read_the_other_way() {
        let get = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
        let missing = br#"{"error":{"status":404,"message":"non existing id"}}"#;
        for error in [
            get.raw().parse(&Response::new(404, missing)).unwrap_err(),
            get.ignore()
                .parse(&Response::new(404, missing))
                .unwrap_err(),
            get.decode_as::<serde_json::Value>()
                .parse(&Response::new(404, missing))
                .unwrap_err(),
        ] {
            assert!(error.is_not_found(), "{error:?}");
        }
        assert_eq!(get.ignore().parse(&Response::new(200, b"not json")), Ok(()));
        assert!(matches!(
            get.decode_as::<u32>().parse(&Response::new(200, b"{}")),
            Err(Error::Decode(_))
        ));
    }
}

/// What a conditional request found. Made by [`EndpointExt::if_none_match`].
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::exhaustive_enums,
    reason = "HTTP has two outcomes here, a new answer or 304: complete by design"
)]
pub enum Conditional<T> {
    /// A new answer (or the first): its value, and its `ETag` if Spotify sent one, to send next
    /// time.
    Modified {
        /// The answer, read as the endpoint reads it.
        value: T,
        /// The answer's `ETag`, as sent (quotes and any `W/` included).
        etag: Option<String>,
    },
    /// `304 Not Modified`: the answer held is still current.
    NotModified,
}

/// An endpoint sent with `If-None-Match`. Made by [`EndpointExt::if_none_match`].
#[derive(Debug, Clone)]
pub struct IfNoneMatch<E> {
    endpoint: E,
    etag: Option<String>,
}

impl<E: Endpoint> Endpoint for IfNoneMatch<E> {
    type Output = Conditional<E::Output>;

    fn request(&self, api: &BaseUrl) -> Request {
        let request = self.endpoint.request(api);
        match &self.etag {
            Some(etag) => request.with_header("if-none-match", etag.clone()),
            None => request,
        }
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        if response.status() == 304 {
            return Ok(Conditional::NotModified);
        }
        let value = self.endpoint.parse(response)?;
        let etag = response
            .header("etag")
            .and_then(|v| core::str::from_utf8(v).ok())
            .map(Into::into);
        Ok(Conditional::Modified { value, etag })
    }

    /// The endpoint's own checks, and a tag that can be sent as a header: visible ASCII only
    /// (an entity tag has no spaces or control characters).
    fn validate(&self) -> Result<(), Error> {
        if let Some(etag) = &self.etag {
            if etag.is_empty() || !etag.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::InvalidArgument {
                    what: "an ETag is visible ASCII with no spaces",
                });
            }
        }
        self.endpoint.validate()
    }
}
