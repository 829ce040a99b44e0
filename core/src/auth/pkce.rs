//! PKCE (RFC 7636): the verifier an app without a secret keeps, and its challenge.

use alloc::string::String;
use core::fmt;

use crate::encode::base64url;
use crate::encode::sha256;
use crate::error::Error;

/// The PKCE code verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`. Kept secret until
/// the code exchange; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// A verifier from 32 to 96 of the caller's random bytes (base64url: 43 to 128 characters).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for fewer than 32 or more than 96 bytes.
    pub fn from_random(bytes: &[u8]) -> Result<Self, Error> {
        if !(32..=96).contains(&bytes.len()) {
            return Err(Error::InvalidArgument {
                what: "a PKCE verifier needs 32 to 96 random bytes",
            });
        }
        Ok(Self(base64url(bytes)))
    }

    /// A verifier given as text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] unless it has 43 to 128 characters of the allowed set.
    pub fn new(verifier: impl Into<String>) -> Result<Self, Error> {
        let verifier = verifier.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if !(43..=128).contains(&verifier.len()) || !verifier.bytes().all(allowed) {
            return Err(Error::InvalidArgument {
                what: "a PKCE verifier has 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_', '~'",
            });
        }
        Ok(Self(verifier))
    }

    /// The verifier itself, for the code exchange.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The S256 challenge: base64url(SHA-256(verifier)), without padding.
    pub fn challenge(&self) -> String {
        base64url(&sha256(self.0.as_bytes()))
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier(<redacted>)")
    }
}
