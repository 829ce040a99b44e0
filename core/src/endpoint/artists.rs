//! The "Artists" section of the Web API reference.

use crate::error::{Error, decode};
use crate::id::ArtistId;
use crate::message::{Method, Request, Response};
use crate::model::Artist;
use crate::url::BaseUrl;

use super::Endpoint;

/// Get Artist: `GET /artists/{id}`, Spotify catalog information for one artist.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, GetArtist};
/// use spotify_web_core::url::BaseUrl;
///
/// let endpoint = GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?);
/// let request = endpoint.request(&BaseUrl::spotify_api());
/// assert_eq!(request.url(), "https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb");
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetArtist {
    id: ArtistId,
}

impl GetArtist {
    /// The artist with this ID.
    pub fn new(id: ArtistId) -> Self {
        Self { id }
    }
}

impl Endpoint for GetArtist {
    type Output = Artist;

    fn request(&self, api: &BaseUrl) -> Request {
        Request::new(Method::Get, api.join(format_args!("/artists/{}", self.id)))
    }

    fn parse(&self, response: &Response<'_>) -> Result<Artist, Error> {
        decode(response, "artist")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    #[test]
    fn builds_get_with_the_id_in_the_path() {
        let id = "4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap();
        let request = GetArtist::new(id).request(&BaseUrl::new("http://127.0.0.1:1/v1").unwrap());
        assert_eq!(request.method(), Method::Get);
        assert_eq!(
            request.url(),
            "http://127.0.0.1:1/v1/artists/4Z8W4fKeB5YxbusRsdQVPb"
        );
        assert!(request.body().is_empty());
        assert_eq!(request.header("authorization"), None);
    }

    #[test]
    fn parses_errors_by_status() {
        let endpoint = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
        let body = br#"{"error":{"status":400,"message":"invalid id"}}"#;
        assert_eq!(
            endpoint.parse(&Response::new(400, body)),
            Err(Error::Api(ApiError {
                status: 400,
                message: Some("invalid id".into()),
                reason: None
            }))
        );
        let err = endpoint
            .parse(&Response::new(200, b"{\"name\":1"))
            .unwrap_err();
        let Error::Decode(decode) = err else {
            panic!("expected a decode error")
        };
        assert_eq!(decode.what, "artist");
        assert!(decode.reason.contains("line 1 column"), "{}", decode.reason);
    }
}
