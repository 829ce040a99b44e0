//! The operating system's randomness, for what a sign-in must not guess.

use spotify_web_core::auth::{CsrfState, PkceVerifier};

use crate::Error;

/// A fresh CSRF state: 32 random bytes from the operating system.
///
/// # Errors
///
/// [`Error::Random`] if the operating system gives no random bytes.
pub fn csrf_state() -> Result<CsrfState, Error> {
    let mut bytes = [0; 32];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(CsrfState::from_random(&bytes)?)
}

/// A fresh PKCE verifier: 64 random bytes from the operating system, 86 characters.
///
/// # Errors
///
/// [`Error::Random`] if the operating system gives no random bytes.
pub fn pkce_verifier() -> Result<PkceVerifier, Error> {
    let mut bytes = [0; 64];
    getrandom::getrandom(&mut bytes).map_err(Error::Random)?;
    Ok(PkceVerifier::from_random(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_verifiers_are_fresh_each_time() {
        let (a, b) = (csrf_state().unwrap(), csrf_state().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        let (c, d) = (pkce_verifier().unwrap(), pkce_verifier().unwrap());
        assert_ne!(c.secret(), d.secret());
        assert_eq!(c.secret().len(), 86);
    }
}
