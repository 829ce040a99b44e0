//! The encodings the requests need, from well-kept crates: percent-encoding for query strings
//! and form bodies (`application/x-www-form-urlencoded`) and for path segments
//! (`percent-encoding`), and base64 for HTTP Basic credentials and PKCE (`base64`).
//!
//! The form encoding is `percent-encoding` with the WHATWG form's set and its one twist (a
//! space is `+`), rather than `form_urlencoded`, the same authors' thin layer over it: one
//! crate fewer in every program's tree for the dozen lines below.

use alloc::borrow::Cow;
use alloc::string::String;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use percent_encoding::{
    AsciiSet, CONTROLS, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode,
};

/// Builds `key=value&key=value`, form-encoded (a space is `+`, as HTML forms and Spotify's
/// own examples send it).
#[derive(Default)]
pub(crate) struct FormBuilder {
    out: String,
}

impl core::fmt::Debug for FormBuilder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FormBuilder")
    }
}

impl FormBuilder {
    pub(crate) fn pair(mut self, key: &str, value: &str) -> Self {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        form_encode(&mut self.out, key);
        self.out.push('=');
        form_encode(&mut self.out, value);
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
        self.out.is_empty()
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// What `application/x-www-form-urlencoded` escapes (WHATWG URL, "urlencoded serializing"):
/// every byte but ASCII alphanumerics and `*-._`. A space is then written `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// Appends `value` form-encoded. The encoder yields each escaped byte as its own `%XX`
/// piece, so a space is exactly the piece `%20`.
fn form_encode(out: &mut String, value: &str) {
    for piece in utf8_percent_encode(value, FORM) {
        out.push_str(if piece == "%20" { "+" } else { piece });
    }
}

/// A form-encoded name or value, decoded: `+` is a space, `%XX` a byte (an invalid escape is
/// kept as it is), and invalid UTF-8 is replaced.
fn form_decode(value: &str) -> String {
    let spaced: Cow<'_, str> = if value.contains('+') {
        value.replace('+', " ").into()
    } else {
        value.into()
    };
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
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
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_decode(key), form_decode(value))
        })
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
    fn form_leaves_only_alphanumerics_and_four_marks_as_they_are() {
        let every_ascii: String = (0x20u8..0x7f).map(char::from).collect();
        let encoded = FormBuilder::default().pair("k", &every_ascii).finish();
        assert_eq!(
            encoded,
            "k=+%21%22%23%24%25%26%27%28%29*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40\
             ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D%7E"
        );
        let pairs: Vec<_> = form_pairs(&encoded).collect();
        assert_eq!(pairs, [("k".into(), every_ascii)]);
        assert!(FormBuilder::default().is_empty());
        assert_eq!(
            FormBuilder::default().pair("a", "1").pair("", "").finish(),
            "a=1&="
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
