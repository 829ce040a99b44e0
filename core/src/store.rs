//! The seam for keeping a user's tokens between runs.
//!
//! The core does no I/O, so it never loads or saves by itself: a driver loads a
//! [`StoredToken`] to start a [`Session::for_user`](crate::session::Session::for_user), and
//! saves one whenever [`Session::token_generation`](crate::session::Session::token_generation)
//! changes. [`MemoryTokenStore`] is here; the transports offer a file store.
//!
//! A stored token's expiry is wall-clock time (seconds since the Unix epoch), while a session
//! counts from whatever epoch its driver chose: the conversions take both clocks' `now`.

use alloc::string::String;
use core::fmt;
use core::time::Duration;

use serde::{Deserialize, Serialize};

use crate::auth::AccessToken;
use crate::auth::RefreshToken;
use crate::error::Error;
use crate::time::Instant;

/// Where a user's tokens are kept between runs.
pub trait TokenStore {
    /// What can go wrong loading or saving.
    type Error;

    /// The saved token, if there is one.
    ///
    /// # Errors
    ///
    /// If the store cannot be read.
    fn load(&mut self) -> Result<Option<StoredToken>, Self::Error>;

    /// Replaces the saved token.
    ///
    /// # Errors
    ///
    /// If the store cannot be written.
    fn save(&mut self, token: &StoredToken) -> Result<(), Self::Error>;

    /// Called before the session renews the user's token, with the token the store holds now
    /// as its answer: if another process sharing the store renewed it meanwhile, the session
    /// takes that one instead of renewing again
    /// ([`Session::handle_stored_token`](crate::session::Session::handle_stored_token)), so
    /// a refresh token that process's renewal revoked is never sent. A store that processes
    /// share takes its renewal lock here, waiting while another process holds it, so that
    /// one renews at a time. The default takes no lock and [`load`](Self::load)s.
    ///
    /// # Errors
    ///
    /// If the store cannot be read, or its lock cannot be taken.
    fn begin_renewal(&mut self) -> Result<Option<StoredToken>, Self::Error> {
        self.load()
    }

    /// Called once the renewal [`begin_renewal`](Self::begin_renewal) began is over: the new
    /// token saved, or the renewal failed or was not needed. A shared store releases its lock
    /// here. The default does nothing.
    ///
    /// # Errors
    ///
    /// If the lock cannot be released (it then expires by itself, in a well-made store).
    fn end_renewal(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A user's token as a store keeps it. `Debug` hides the tokens.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct StoredToken {
    /// The access token.
    pub access_token: String,
    /// When it expires, in seconds since the Unix epoch.
    pub expires_at_unix: u64,
    /// The scopes granted, space-separated.
    #[serde(default)]
    pub scope: String,
    /// The refresh token, if there is one.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl StoredToken {
    /// The token to keep, with its expiry turned into wall-clock time: `now` is the session's
    /// clock and `unix_now` the wall clock (seconds since the Unix epoch), read together.
    pub fn from_token(token: &AccessToken, now: Instant, unix_now: u64) -> Self {
        let left = token.expires_at().saturating_duration_since(now).as_secs();
        Self {
            access_token: token.secret().into(),
            expires_at_unix: unix_now.saturating_add(left),
            scope: token.scopes().collect::<alloc::vec::Vec<_>>().join(" "),
            refresh_token: token.refresh_token().map(|r| r.secret().into()),
        }
    }

    /// The token for a session whose clock reads `now` while the wall clock reads `unix_now`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] if the stored access token cannot go in a header.
    pub fn into_token(self, now: Instant, unix_now: u64) -> Result<AccessToken, Error> {
        let left = Duration::from_secs(self.expires_at_unix.saturating_sub(unix_now));
        let token = AccessToken::new(self.access_token, now + left, self.scope)?;
        Ok(token.with_refresh_token(self.refresh_token.map(RefreshToken::new)))
    }
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("access_token", &"<redacted>")
            .field("expires_at_unix", &self.expires_at_unix)
            .field("scope", &self.scope)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A store that keeps the token in memory, for tests and short-lived programs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryTokenStore {
    token: Option<StoredToken>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding this token.
    pub fn with(token: StoredToken) -> Self {
        Self { token: Some(token) }
    }
}

impl TokenStore for MemoryTokenStore {
    type Error = core::convert::Infallible;

    fn load(&mut self) -> Result<Option<StoredToken>, Self::Error> {
        Ok(self.token.clone())
    }

    fn save(&mut self, token: &StoredToken) -> Result<(), Self::Error> {
        self.token = Some(token.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_session_time_and_wall_clock() {
        let token = AccessToken::new(
            "canary-access".into(),
            Instant::from_secs(3_700),
            "a b".into(),
        )
        .unwrap()
        .with_refresh_token(Some(RefreshToken::new("canary-refresh")));
        // Session clock 100 s after its epoch; wall clock 1 700 000 000.
        let stored = StoredToken::from_token(&token, Instant::from_secs(100), 1_700_000_000);
        assert_eq!(stored.expires_at_unix, 1_700_003_600);
        assert_eq!(stored.refresh_token.as_deref(), Some("canary-refresh"));
        assert!(
            !alloc::format!("{stored:?}").contains("canary"),
            "{stored:?}"
        );
        // A later run: its session clock starts again at 5, 600 s of wall time later.
        let back = stored
            .clone()
            .into_token(Instant::from_secs(5), 1_700_000_600)
            .unwrap();
        assert_eq!(back.expires_at(), Instant::from_secs(5 + 3_000));
        assert_eq!(
            back.refresh_token().map(RefreshToken::secret),
            Some("canary-refresh")
        );
        assert_eq!(back.scopes().count(), 2);
        // Long expired: expires now, so the session refreshes at once.
        let old = stored.into_token(Instant::from_secs(5), u64::MAX).unwrap();
        assert_eq!(old.expires_at(), Instant::from_secs(5));
    }

    #[test]
    fn memory_store_keeps_the_last_save() {
        let mut store = MemoryTokenStore::new();
        assert_eq!(store.load(), Ok(None));
        let token = StoredToken {
            access_token: "a".into(),
            expires_at_unix: 1,
            scope: String::new(),
            refresh_token: None,
        };
        store.save(&token).unwrap();
        assert_eq!(store.load(), Ok(Some(token)));
    }
}
