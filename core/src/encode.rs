//! The encodings the requests need, from well-kept crates: `application/x-www-form-urlencoded`
//! for query strings and form bodies (`form_urlencoded`), percent-encoding for path segments
//! (`percent-encoding`), and base64 for HTTP Basic credentials and PKCE (`base64`).

use alloc::borrow::Cow;
use alloc::string::String;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Builds `key=value&key=value`, form-encoded (a space is `+`, as HTML forms and Spotify's
/// own examples send it).
pub(crate) struct FormBuilder {
    out: form_urlencoded::Serializer<'static, String>,
    empty: bool,
}

impl core::fmt::Debug for FormBuilder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FormBuilder")
    }
}

impl Default for FormBuilder {
    fn default() -> Self {
        Self {
            out: form_urlencoded::Serializer::new(String::new()),
            empty: true,
        }
    }
}

impl FormBuilder {
    pub(crate) fn pair(mut self, key: &str, value: &str) -> Self {
        self.out.append_pair(key, value);
        self.empty = false;
        self
    }

    /// Adds the pair if there is a value.
    pub(crate) fn optional(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.pair(key, value),
            None => self,
        }
    }

    /// Adds a number if there is one.
    pub(crate) fn number(self, key: &str, value: Option<u32>) -> Self {
        match value {
            Some(value) => self.pair(key, &alloc::format!("{value}")),
            None => self,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.finish()
    }
}

/// What a path segment must escape (RFC 3986 `pchar` keeps the rest): controls, space,
/// and the characters that end or split a segment or start an escape.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// `value` percent-encoded as one path segment.
pub(crate) fn path_segment(value: &str) -> Cow<'_, str> {
    utf8_percent_encode(value, PATH_SEGMENT).into()
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(input: &[u8]) -> String {
    STANDARD.encode(input)
}

/// URL-safe base64 without padding (RFC 4648 §5), as PKCE uses.
pub(crate) fn base64url(input: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(input)
}

/// The `key=value` pairs of a query string or form, decoded (`+` is a space, `%XX` a byte;
/// invalid escapes are kept as they are and invalid UTF-8 is replaced).
pub(crate) fn form_pairs(input: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(input.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
}

/// SHA-256, for the PKCE challenge.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    hmac_sha256::Hash::hash(data)
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn base64url_has_no_padding_and_url_safe_characters() {
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
    }

    #[test]
    fn decodes_what_it_encodes() {
        let value = "a b&c=d/é+~%";
        let encoded = FormBuilder::default().pair("v", value).finish();
        let pairs: Vec<_> = form_pairs(&encoded).collect();
        assert_eq!(pairs, [("v".into(), value.into())]);
        let pairs: Vec<_> = form_pairs("code=x%2By&state=&&flag&bad=%zz%41").collect();
        assert_eq!(
            pairs,
            [
                ("code".into(), "x+y".into()),
                ("state".into(), String::new()),
                ("flag".into(), String::new()),
                ("bad".into(), "%zzA".into())
            ]
        );
    }

    #[test]
    fn form_encodes_reserved_and_non_ascii() {
        let form = FormBuilder::default()
            .pair("grant_type", "client_credentials")
            .pair("q", "a b&c=d/é+~")
            .finish();
        assert_eq!(
            form,
            "grant_type=client_credentials&q=a+b%26c%3Dd%2F%C3%A9%2B%7E"
        );
    }

    #[test]
    fn path_segments_escape_what_would_split_or_end_them() {
        assert_eq!(path_segment("smedjan"), "smedjan");
        assert_eq!(path_segment("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
        assert_eq!(path_segment("josé.1_~"), "jos%C3%A9.1_~");
    }

    #[test]
    fn sha256_matches_fips_180_vectors() {
        let hex = |d: [u8; 32]| {
            d.iter()
                .map(|b| alloc::format!("{b:02x}"))
                .collect::<String>()
        };
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
