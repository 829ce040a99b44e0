//! The two encodings the requests need: percent-encoding for query strings and form bodies,
//! and base64 for HTTP Basic credentials. Small enough that a dependency would not earn its place.

use alloc::string::String;

/// Appends `value` percent-encoded for a query string or an
/// `application/x-www-form-urlencoded` body: unreserved characters stay, a space becomes `%20`
/// (valid in both), everything else is `%XX`.
pub(crate) fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// Builds `key=value&key=value` with every key and value percent-encoded.
#[derive(Debug, Default)]
pub(crate) struct FormBuilder {
    out: String,
}

impl FormBuilder {
    pub(crate) fn pair(mut self, key: &str, value: &str) -> Self {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        percent_encode_into(&mut self.out, key);
        self.out.push('=');
        percent_encode_into(&mut self.out, value);
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

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(input: &[u8]) -> String {
    encode_base64(
        input,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        true,
    )
}

/// URL-safe base64 without padding (RFC 4648 §5), as PKCE uses.
pub(crate) fn base64url(input: &[u8]) -> String {
    encode_base64(
        input,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        false,
    )
}

fn encode_base64(input: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                // Six bits at a time, so the index is always below 64.
                out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 0x3F) as usize]));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space, `%XX` a byte); invalid
/// escapes are kept as they are and invalid UTF-8 is replaced.
pub(crate) fn percent_decode(input: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }
    let bytes = input.as_bytes();
    let mut out = alloc::vec::Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push((high << 4) | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `key=value` pairs of a query string or form, decoded.
pub(crate) fn form_pairs(input: &str) -> impl Iterator<Item = (String, String)> + '_ {
    input
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
}

#[cfg(test)]
mod tests {
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
        let mut encoded = String::new();
        percent_encode_into(&mut encoded, value);
        assert_eq!(percent_decode(&encoded), value);
        assert_eq!(percent_decode("a+b%2"), "a b%2");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        let pairs: alloc::vec::Vec<_> = form_pairs("code=x%2By&state=&&flag").collect();
        assert_eq!(
            pairs,
            [
                ("code".into(), "x+y".into()),
                ("state".into(), String::new()),
                ("flag".into(), String::new())
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
            "grant_type=client_credentials&q=a%20b%26c%3Dd%2F%C3%A9%2B~"
        );
    }
}
