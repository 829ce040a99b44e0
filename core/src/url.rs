//! Base URLs of the accounts service and the Web API, checked once.

use alloc::string::String;
use core::fmt;

/// A checked base URL: `http://` or `https://`, a host, an optional path, no query, no
/// fragment, no trailing slash.
///
/// The defaults are Spotify's; tests and the emulator give their own.
///
/// ```
/// use spotify_web_core::url::BaseUrl;
///
/// assert_eq!(BaseUrl::spotify_api().as_str(), "https://api.spotify.com/v1");
/// let local = BaseUrl::new("http://127.0.0.1:8080/v1/")?;
/// assert_eq!(local.as_str(), "http://127.0.0.1:8080/v1");
/// assert!(BaseUrl::new("ftp://example.test").is_err());
/// # Ok::<(), spotify_web_core::error::UrlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    url: String,
    /// Where the path starts (the length of `scheme://host[:port]`).
    origin_len: usize,
}

impl BaseUrl {
    /// Checks and keeps a base URL.
    ///
    /// # Errors
    ///
    /// [`UrlError::NotHttp`] if it does not start with `http://` or `https://` followed by a
    /// host; [`UrlError::Malformed`] if it has a query, a fragment, whitespace, control or
    /// non-ASCII characters.
    pub fn new(url: &str) -> Result<Self, UrlError> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or(UrlError::NotHttp)?;
        let host_len = rest.find('/').unwrap_or(rest.len());
        if host_len == 0 {
            return Err(UrlError::NotHttp);
        }
        let allowed = |b: u8| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b'?' | b'#' | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
                )
        };
        if !url.bytes().all(allowed) {
            return Err(UrlError::Malformed);
        }
        // Trimming only removes slashes after the host, so the origin stays whole.
        let origin_len = url.len() - rest.len() + host_len;
        Ok(Self {
            url: url.trim_end_matches('/').into(),
            origin_len,
        })
    }

    /// Spotify's Web API, `https://api.spotify.com/v1`.
    pub fn spotify_api() -> Self {
        Self {
            url: "https://api.spotify.com/v1".into(),
            origin_len: "https://api.spotify.com".len(),
        }
    }

    /// Spotify's accounts service, `https://accounts.spotify.com`.
    pub fn spotify_accounts() -> Self {
        Self {
            url: "https://accounts.spotify.com".into(),
            origin_len: "https://accounts.spotify.com".len(),
        }
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `scheme://host[:port]`, the part a link must share to be followed with a token.
    pub fn origin(&self) -> &str {
        &self.url[..self.origin_len]
    }

    /// Checks that `url` is on this base URL's origin (same scheme, host and port) and is made
    /// only of characters that belong in a URL: a token may be sent to it.
    ///
    /// # Errors
    ///
    /// [`UrlError::ForeignHost`] for another origin, [`UrlError::Malformed`] for characters
    /// that do not belong in a URL.
    pub fn check_same_origin(&self, url: &str) -> Result<(), UrlError> {
        let rest = url
            .strip_prefix(self.origin())
            .ok_or(UrlError::ForeignHost)?;
        if !(rest.is_empty() || rest.starts_with(['/', '?'])) {
            return Err(UrlError::ForeignHost);
        }
        // The origin matched this base URL's, whose characters were checked when it was made.
        if !url_bytes(rest.as_bytes()) {
            return Err(UrlError::Malformed);
        }
        Ok(())
    }

    /// The base URL followed by `path`, which starts with `/`.
    pub(crate) fn join(&self, path: fmt::Arguments<'_>) -> String {
        // Sized once for the paths the endpoints write (a segment or two and an ID), where
        // `format!` would grow the string twice for every request.
        let mut url = String::with_capacity(self.url.len() + 64);
        url.push_str(&self.url);
        // Writing to a `String` cannot fail.
        let _ = fmt::Write::write_fmt(&mut url, path);
        url
    }
}

/// Whether every byte is one a URL may hold as the API's links write them: visible ASCII but
/// `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`. This runs for every request: the bytes are
/// compared without stopping at the first bad one and without a table, so the compiler checks
/// many at once (a table looked up byte by byte cost 250 instructions for a short path).
fn url_bytes(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| ok & url_byte(b))
}

/// Whether `b` may be in a URL ([`url_bytes`]); `&`, not `&&`, so that it has no branch.
const fn url_byte(b: u8) -> bool {
    (b.wrapping_sub(0x21) < 0x7f - 0x21)
        & (b != b'"')
        & (b != b'<')
        & (b != b'>')
        & (b != b'\\')
        & (b != b'^')
        & (b != b'`')
        & (b != b'{')
        & (b != b'|')
        & (b != b'}')
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// A base URL or page link the core cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The URL does not start with `http://` or `https://`, or has no host.
    NotHttp,
    /// A base URL has a query, a fragment, or characters that do not belong in a URL.
    Malformed,
    /// A link points to another host than the configured base URL.
    ForeignHost,
    /// A redirect URI names `localhost`, which Spotify refuses since 2025.
    Localhost,
    /// A redirect URI uses `http://` for something other than a loopback IP literal.
    InsecureRedirect,
    /// A redirect URI carries user information (`user@`), which hides its real host.
    Userinfo,
    /// A redirect URI names no host.
    MissingHost,
    /// A redirect URI's port is not a number from 1 to 65535.
    InvalidPort,
    /// A redirect URI has a fragment (`#…`), which a redirect cannot carry.
    Fragment,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotHttp => "the URL must start with http:// or https:// and name a host",
            Self::Malformed => {
                "the URL must have no query, no fragment, no whitespace and no control characters"
            }
            Self::ForeignHost => {
                "the link points to another host than the configured API base URL: refused so a \
                 token is never sent elsewhere"
            }
            Self::Localhost => {
                "spotify no longer accepts localhost in redirect URIs: use http://127.0.0.1:PORT/… \
                 (or http://[::1]:PORT/…) and register that"
            }
            Self::InsecureRedirect => {
                "a redirect URI must use https://, unless it is a loopback IP literal such as \
                 http://127.0.0.1:PORT/…"
            }
            Self::Userinfo => {
                "a redirect URI must not carry user information (user@host): it hides the host \
                 the browser will really go to"
            }
            Self::MissingHost => "a redirect URI must name a host",
            Self::InvalidPort => "a redirect URI's port must be a number from 1 to 65535",
            Self::Fragment => "a redirect URI must not have a fragment (#…)",
        })
    }
}

impl core::error::Error for UrlError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_visible_ascii_but_the_unsafe_nine() {
        let base = BaseUrl::new("https://api.test/v1").unwrap();
        for b in 0..=255u8 {
            let expected = (0x21..=0x7e).contains(&b) && !b"\"<>\\^`{|}".contains(&b);
            assert_eq!(url_byte(b), expected, "byte {b:#04x}");
            let mut url = alloc::vec::Vec::from(&b"https://api.test/v1/x"[..]);
            url.push(b);
            if let Ok(url) = core::str::from_utf8(&url) {
                assert_eq!(
                    base.check_same_origin(url).is_ok(),
                    expected,
                    "byte {b:#04x}"
                );
            }
        }
    }

    #[test]
    fn keeps_path_and_drops_trailing_slash() {
        let url = BaseUrl::new("http://127.0.0.1:4000/v1/").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:4000/v1");
        assert_eq!(url.origin(), "http://127.0.0.1:4000");
        let url = BaseUrl::new("https://accounts.test").unwrap();
        assert_eq!(url.origin(), "https://accounts.test");
        assert_eq!(
            url.join(format_args!("/api/token")),
            "https://accounts.test/api/token"
        );
        assert_eq!(BaseUrl::spotify_api().origin(), "https://api.spotify.com");
        assert_eq!(
            BaseUrl::spotify_accounts().origin(),
            "https://accounts.spotify.com"
        );
    }

    #[test]
    fn same_origin_means_scheme_host_and_port() {
        let api = BaseUrl::spotify_api();
        assert_eq!(
            api.check_same_origin("https://api.spotify.com/v1/artists?offset=5"),
            Ok(())
        );
        for foreign in [
            "https://api.spotify.com.evil.test/v1",
            "https://api.spotify.com@evil.test/v1",
            "http://api.spotify.com/v1",
            "https://api.spotify.com:8443/v1",
            "https://evil.test/https://api.spotify.com/v1",
        ] {
            assert_eq!(
                api.check_same_origin(foreign),
                Err(UrlError::ForeignHost),
                "{foreign}"
            );
        }
        assert_eq!(
            api.check_same_origin("https://api.spotify.com/v1/a b"),
            Err(UrlError::Malformed)
        );
        assert_eq!(
            api.check_same_origin("https://api.spotify.com/v1/\r\n"),
            Err(UrlError::Malformed)
        );
    }

    #[test]
    fn refuses_what_is_not_a_plain_http_base() {
        for bad in ["", "api.spotify.com", "ftp://x", "https://", "https:///v1"] {
            assert_eq!(BaseUrl::new(bad), Err(UrlError::NotHttp), "{bad}");
        }
        for bad in [
            "https://a.test/v1?x=1",
            "https://a.test/#f",
            "https://a .test",
            "https://a.test/\r\n",
            "https://é.test",
        ] {
            assert_eq!(BaseUrl::new(bad), Err(UrlError::Malformed), "{bad}");
        }
    }
}
