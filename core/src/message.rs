//! The plain request and response types that cross the line between the core and a transport.
//!
//! The core builds a [`Request`] and reads a [`Response`]; a transport moves the bytes. With
//! the `http` feature (on by default) a `Request` converts into `http::Request<Vec<u8>>` and a
//! borrowed `http::Response<B>` converts into a `Response`; without it, a transport reads and
//! fills these types directly.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// The HTTP methods the Spotify Web API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as it goes on the wire, such as `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }

    /// Whether sending the request twice has the same effect as sending it once (RFC 9110).
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request for a transport to send: method, absolute URL, headers and body.
///
/// Built by the core, so its URL is well formed and its header values hold no control
/// characters. `Debug` hides the value of the `authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    idempotent: bool,
}

impl Request {
    /// A request with no headers and an empty body.
    pub(crate) fn new(method: Method, url: String) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
            idempotent: method.is_idempotent(),
        }
    }

    /// Marks a request whose method is idempotent but whose effect is not (moving a range of
    /// a playlist's items moves it again if sent twice).
    pub(crate) fn not_idempotent(mut self) -> Self {
        self.idempotent = false;
        self
    }

    /// Whether sending it twice has the effect of sending it once: its method's rule, unless
    /// the endpoint says otherwise. The session never sends again a request that is not
    /// idempotent once it may have been processed.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Sets a JSON body (`content-type: application/json`).
    pub(crate) fn with_json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        // Serializing the crate's own request bodies (strings, numbers, arrays) cannot fail.
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.with_body("application/json", bytes)
    }

    /// Adds a header. Names are lowercase; values were checked by the caller.
    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.set_header(name, value);
        self
    }

    /// Sets a header, replacing an earlier value of the same name.
    pub(crate) fn set_header(&mut self, name: &'static str, value: String) {
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }

    /// Sets the body and its content type.
    pub(crate) fn with_body(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = body;
        self.with_header("content-type", content_type.into())
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The absolute URL, such as `https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers, as lowercase names and their values, in the order they were added.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> {
        self.headers.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// The value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body (empty for `GET`).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the parts apart: method, URL, headers and body.
    pub fn into_parts(self) -> (Method, String, Vec<(&'static str, String)>, Vec<u8>) {
        (self.method, self.url, self.headers, self.body)
    }
}

/// Header values that hold a secret, hidden by `Debug`.
const SECRET_HEADERS: [&str; 1] = ["authorization"];

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(&'static str, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (name, value) in self.0 {
                    if SECRET_HEADERS.contains(name) {
                        map.entry(name, &"<redacted>");
                    } else {
                        map.entry(name, value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Headers(&self.headers))
            // Token request bodies carry the client secret or a refresh token.
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// A response as the transport received it: status, headers and the whole body, borrowed.
///
/// ```
/// use spotify_web_core::message::Response;
///
/// let response = Response::new(429, b"").with_header("Retry-After", b"2");
/// assert_eq!(response.header("retry-after"), Some(&b"2"[..]));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Response<'a> {
    status: u16,
    headers: Headers<'a>,
    body: &'a [u8],
}

/// A response's headers: listed one by one, or the `http` response's own map, borrowed as it
/// is (converting a response then allocates nothing).
#[derive(Clone, PartialEq, Eq)]
enum Headers<'a> {
    Listed(Vec<(&'a str, &'a [u8])>),
    #[cfg(feature = "http")]
    Map(&'a http::HeaderMap),
}

impl<'a> Headers<'a> {
    fn get(&self, name: &str) -> Option<&'a [u8]> {
        match self {
            Self::Listed(headers) => headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v),
            #[cfg(feature = "http")]
            Self::Map(map) => map.get(name).map(http::HeaderValue::as_bytes),
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Listed(headers) => headers.len(),
            #[cfg(feature = "http")]
            Self::Map(map) => map.len(),
        }
    }

    fn push(&mut self, name: &'a str, value: &'a [u8]) {
        match self {
            Self::Listed(headers) => headers.push((name, value)),
            #[cfg(feature = "http")]
            Self::Map(map) => {
                let mut listed: Vec<_> = map
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_bytes()))
                    .collect();
                listed.push((name, value));
                *self = Self::Listed(listed);
            }
        }
    }
}

impl<'a> Response<'a> {
    /// A response with this status code and body, and no headers.
    pub fn new(status: u16, body: &'a [u8]) -> Self {
        Self {
            status,
            headers: Headers::Listed(Vec::new()),
            body,
        }
    }

    /// Adds a header (names are compared without regard to case).
    #[must_use]
    pub fn with_header(mut self, name: &'a str, value: &'a [u8]) -> Self {
        self.headers.push(name, value);
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first value of a header, by name in any case.
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers.get(name)
    }

    /// The body.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body of a token response is a secret, so only its length is shown.
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers.len())
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

#[cfg(feature = "http")]
mod http_conversions {
    use alloc::vec::Vec;

    use super::{Headers, Method, Request, Response};

    impl From<Method> for http::Method {
        fn from(method: Method) -> Self {
            match method {
                Method::Get => Self::GET,
                Method::Post => Self::POST,
                Method::Put => Self::PUT,
                Method::Delete => Self::DELETE,
            }
        }
    }

    impl TryFrom<Request> for http::Request<Vec<u8>> {
        type Error = http::Error;

        /// Fails only if a base URL given to the core is not a valid URI.
        fn try_from(request: Request) -> Result<Self, http::Error> {
            // Built in place rather than through `http::request::Builder`, which moves its
            // parts at every step: a third of the conversion's cost per request.
            let (method, url, headers, body) = request.into_parts();
            let mut out = Self::new(body);
            *out.method_mut() = http::Method::from(method);
            *out.uri_mut() = http::Uri::try_from(url)?;
            let map = out.headers_mut();
            for (name, value) in headers {
                map.append(header_name(name)?, http::HeaderValue::try_from(value)?);
            }
            Ok(out)
        }
    }

    /// The names the core sets as `http`'s constants (one comparison, where parsing a name
    /// costs a pass over its bytes and a table lookup), any other parsed.
    fn header_name(name: &'static str) -> Result<http::HeaderName, http::Error> {
        Ok(match name {
            "authorization" => http::header::AUTHORIZATION,
            "content-type" => http::header::CONTENT_TYPE,
            "accept" => http::header::ACCEPT,
            "if-none-match" => http::header::IF_NONE_MATCH,
            _ => http::HeaderName::from_bytes(name.as_bytes())?,
        })
    }

    impl<'a, B: AsRef<[u8]>> From<&'a http::Response<B>> for Response<'a> {
        /// Borrows the response's header map as it is: nothing is copied or allocated.
        fn from(response: &'a http::Response<B>) -> Self {
            Self {
                status: response.status().as_u16(),
                headers: Headers::Map(response.headers()),
                body: response.body().as_ref(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use alloc::format;
        use alloc::string::String;
        use alloc::vec;

        use super::*;

        #[test]
        fn converts_to_and_from_http() {
            let request = Request::new(Method::Post, "https://accounts.test/api/token".into())
                .with_body("text/plain", vec![1, 2])
                .with_header("authorization", "Basic x".into())
                .with_header("if-none-match", "\"1\"".into())
                .with_header("x-Other", "y".into());
            let http_request = http::Request::try_from(request).unwrap();
            assert_eq!(http_request.method(), http::Method::POST);
            assert_eq!(http_request.uri(), "https://accounts.test/api/token");
            let headers = http_request.headers();
            assert_eq!(headers["content-type"], "text/plain");
            assert_eq!(headers[http::header::AUTHORIZATION], "Basic x");
            assert_eq!(headers[http::header::IF_NONE_MATCH], "\"1\"");
            assert_eq!(headers["x-other"], "y", "any other name is parsed");
            assert_eq!(headers.len(), 4);
            assert_eq!(http_request.body(), &vec![1, 2]);

            let http_response = http::Response::builder()
                .status(429)
                .header("Retry-After", "7")
                .body(String::from("{}"))
                .unwrap();
            let response = Response::from(&http_response);
            assert_eq!(response.status(), 429);
            assert_eq!(response.header("retry-after"), Some(&b"7"[..]));
            assert_eq!(response.header("RETRY-After"), Some(&b"7"[..]));
            assert_eq!(response.header("date"), None);
            assert_eq!(response.header("not a header name"), None);
            assert_eq!(response.body(), b"{}");
            // A header added to a converted response joins the map's.
            let more = response.clone().with_header("Date", b"today");
            assert_eq!(more.header("retry-after"), Some(&b"7"[..]));
            assert_eq!(more.header("date"), Some(&b"today"[..]));
            assert_eq!(response.header("date"), None);
            assert!(format!("{more:?}").contains("headers: 2"), "{more:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    #[test]
    fn debug_hides_authorization_and_body() {
        let request = Request::new(Method::Post, "https://accounts.test/api/token".into())
            .with_header("authorization", "Basic c2VjcmV0".into())
            .with_body(
                "application/x-www-form-urlencoded",
                b"client_secret=s3cr3t".to_vec(),
            );
        let debug = format!("{request:?}");
        assert!(!debug.contains("c2VjcmV0"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(debug.contains("https://accounts.test/api/token"), "{debug}");
        let response = Response::new(200, b"{\"access_token\":\"tok\"}");
        assert!(!format!("{response:?}").contains("tok"));
    }

    #[test]
    fn header_lookup_ignores_case_and_setting_replaces() {
        let mut request = Request::new(Method::Get, "https://api.test/v1".into());
        request.set_header("accept", "a".into());
        request.set_header("accept", "b".into());
        assert_eq!(request.headers().len(), 1);
        assert_eq!(request.header("Accept"), Some("b"));
        let response = Response::new(200, b"").with_header("Content-Type", b"x");
        assert_eq!(response.header("content-type"), Some(&b"x"[..]));
        assert_eq!(response.header("etag"), None);
    }
}
