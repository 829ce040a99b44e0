//! Keeping a Spotify user's tokens between runs.
//!
//! [`FileTokenStore`] keeps them in a JSON file readable by its owner only (mode 0600 on
//! Unix). [`SessionStore`] is what the transports share to load a user's session from a
//! [`TokenStore`] and to save each new token as the session gets it; users of the transports
//! only hand them a store.

use std::error::Error;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use spotify_web_core::auth::AccessToken;
use spotify_web_core::authorize::UserClient;
use spotify_web_core::message::Response;
use spotify_web_core::session::{Config, Session};
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_core::time::Instant;

/// An error from a token store, whatever the store.
pub type StoreError = Box<dyn Error + Send + Sync>;

/// Why a sign-in could not be finished.
#[derive(Debug)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the two ways a sign-in ends badly, for the transports to map"
)]
pub enum LoginError {
    /// The accounts service refused the code, or its answer is not a token.
    Spotify(spotify_web_core::Error),
    /// The tokens could not be saved.
    Store(StoreError),
}

/// A user's tokens in a JSON file, written whole (to a temporary file, then renamed) and
/// readable only by its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at this path. Nothing is read or written until asked.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Where the tokens are kept.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl TokenStore for FileTokenStore {
    type Error = io::Error;

    fn load(&mut self) -> io::Result<Option<StoredToken>> {
        let text = match fs::read(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        serde_json::from_slice(&text).map(Some).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} does not hold a saved token ({e}): delete it and sign in again",
                    self.path.display()
                ),
            )
        })
    }

    fn save(&mut self, token: &StoredToken) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(token).map_err(io::Error::other)?;
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temporary)?;
        // The mode only applies to new files: make sure an older file is tightened too.
        #[cfg(unix)]
        fs::set_permissions(
            &temporary,
            std::os::unix::fs::PermissionsExt::from_mode(0o600),
        )?;
        file.write_all(&json)?;
        file.sync_all()?;
        fs::rename(&temporary, &self.path)
    }
}

/// Seconds since the Unix epoch, by the wall clock (0 if it reads before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Object-safe view of a [`TokenStore`] with its error boxed.
trait ErasedStore: Send {
    fn load_erased(&mut self) -> Result<Option<StoredToken>, StoreError>;
    fn save_erased(&mut self, token: &StoredToken) -> Result<(), StoreError>;
}

impl<S> ErasedStore for S
where
    S: TokenStore + Send,
    S::Error: Into<StoreError>,
{
    fn load_erased(&mut self) -> Result<Option<StoredToken>, StoreError> {
        self.load().map_err(Into::into)
    }

    fn save_erased(&mut self, token: &StoredToken) -> Result<(), StoreError> {
        self.save(token).map_err(Into::into)
    }
}

/// A token store as a transport holds it: it loads the user's session, and saves each new
/// token once, however many calls share the session.
pub struct SessionStore {
    store: Mutex<Box<dyn ErasedStore>>,
    saved: AtomicU64,
}

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionStore")
            .field("saved_generation", &self.saved.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SessionStore {
    /// Wraps a store.
    pub fn new<S>(store: S) -> Self
    where
        S: TokenStore + Send + 'static,
        S::Error: Into<StoreError>,
    {
        Self {
            store: Mutex::new(Box::new(store)),
            saved: AtomicU64::new(0),
        }
    }

    /// The saved token, if any.
    ///
    /// # Errors
    ///
    /// If the store cannot be read.
    pub fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        self.store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .load_erased()
    }

    /// Saves a token (after a code exchange, say).
    ///
    /// # Errors
    ///
    /// If the store cannot be written.
    pub fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .save_erased(token)
    }

    /// A session for the user whose token the store holds, or `None` if it holds none.
    ///
    /// # Errors
    ///
    /// If the store cannot be read, or holds a token that cannot be used.
    pub fn load_session(
        &self,
        client: UserClient,
        config: Config,
        seed: u64,
        now: Instant,
    ) -> Result<Option<Session>, StoreError> {
        let Some(stored) = self.load()? else {
            return Ok(None);
        };
        let token = stored.into_token(now, unix_now())?;
        let session = Session::for_user(client, token, config, seed);
        self.saved
            .store(session.token_generation(), Ordering::SeqCst);
        Ok(Some(session))
    }

    /// Ends a sign-in: reads the code exchange's answer, saves the tokens, and starts the
    /// user's session.
    ///
    /// # Errors
    ///
    /// [`LoginError::Spotify`] if the answer is a refusal or not a token,
    /// [`LoginError::Store`] if the tokens cannot be saved.
    pub fn finish_login(
        &self,
        user: UserClient,
        config: Config,
        seed: u64,
        answer: &Response<'_>,
        now: Instant,
    ) -> Result<Session, LoginError> {
        let token = AccessToken::from_response(answer, now).map_err(LoginError::Spotify)?;
        self.save(&StoredToken::from_token(&token, now, unix_now()))
            .map_err(LoginError::Store)?;
        let session = Session::for_user(user, token, config, seed);
        self.saved
            .store(session.token_generation(), Ordering::SeqCst);
        Ok(session)
    }

    /// The token to save, if the session got one since the last successful save. Call it
    /// with the session locked, right after reporting to it; [`commit`](Self::commit) it after
    /// unlocking.
    pub fn pending(&self, session: &Session, now: Instant) -> Option<PendingSave> {
        let generation = session.token_generation();
        if generation <= self.saved.load(Ordering::SeqCst) {
            return None;
        }
        let token = StoredToken::from_token(session.token()?, now, unix_now());
        Some(PendingSave { generation, token })
    }

    /// Saves a pending token, unless the store already holds this generation or a newer one.
    ///
    /// The check and the save happen under the store's lock, so the store only moves forward:
    /// a save of an older generation that comes late never replaces a newer token (with PKCE,
    /// the older refresh token is already revoked), and a token that many calls saw arrive is
    /// written once. Only a save that succeeds counts: after a failure the same token is
    /// pending again, so the next report tries again and no token is lost.
    ///
    /// # Errors
    ///
    /// If the store cannot be written.
    pub fn commit(&self, pending: PendingSave) -> Result<(), StoreError> {
        let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.generation <= self.saved.load(Ordering::SeqCst) {
            return Ok(());
        }
        store.save_erased(&pending.token)?;
        self.saved.store(pending.generation, Ordering::SeqCst);
        Ok(())
    }
}

/// A token the session got and the store does not have yet.
#[derive(Debug)]
pub struct PendingSave {
    generation: u64,
    token: StoredToken,
}

#[cfg(test)]
mod tests {
    use spotify_web_core::auth::{AccessToken, ClientId};
    use spotify_web_core::authorize::RefreshToken;
    use spotify_web_core::store::MemoryTokenStore;

    use super::*;
    use std::time::Duration;

    fn stored(access: &str) -> StoredToken {
        let token = AccessToken::new(
            access.into(),
            Instant::from_secs(3600),
            "user-read-private".into(),
        )
        .unwrap()
        .with_refresh_token(Some(RefreshToken::new("refresh")));
        StoredToken::from_token(&token, Instant::ZERO, unix_now())
    }

    #[test]
    fn file_store_round_trips_and_is_private() {
        let dir = std::env::temp_dir().join(format!("spotify-web-store-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut store = FileTokenStore::new(dir.join("token.json"));
        assert_eq!(store.load().unwrap(), None);
        store.save(&stored("first")).unwrap();
        store.save(&stored("second")).unwrap();
        assert_eq!(store.load().unwrap(), Some(stored("second")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(store.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::write(store.path(), b"not json").unwrap();
        let error = store.load().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("sign in again"));
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A store whose writes fail while `failing` is set.
    struct Flaky {
        failing: std::sync::Arc<std::sync::atomic::AtomicBool>,
        saves: std::sync::Arc<AtomicU64>,
    }

    impl TokenStore for Flaky {
        type Error = io::Error;

        fn load(&mut self) -> io::Result<Option<StoredToken>> {
            Ok(None)
        }

        fn save(&mut self, _: &StoredToken) -> io::Result<()> {
            if self.failing.load(Ordering::SeqCst) {
                return Err(io::Error::other("disk full"));
            }
            self.saves.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    #[test]
    fn a_failed_save_is_tried_again_until_it_succeeds() {
        let failing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let saves = std::sync::Arc::new(AtomicU64::new(0));
        let store = SessionStore::new(Flaky {
            failing: failing.clone(),
            saves: saves.clone(),
        });
        let token = stored("first")
            .into_token(Instant::ZERO, unix_now())
            .unwrap();
        let session = Session::for_user(
            UserClient::pkce(ClientId::new("id")),
            token,
            Config::default(),
            1,
        );
        let pending = store
            .pending(&session, Instant::ZERO)
            .expect("a new session's token is pending");
        assert!(store.commit(pending).is_err());
        failing.store(false, Ordering::SeqCst);
        let pending = store
            .pending(&session, Instant::ZERO)
            .expect("still pending after the failure");
        store.commit(pending).unwrap();
        assert_eq!(saves.load(Ordering::SeqCst), 1);
        assert!(
            store.pending(&session, Instant::ZERO).is_none(),
            "saved once, not again"
        );
    }

    /// A store that records every token it is asked to save, taking a while for each.
    #[derive(Clone, Default)]
    struct Recording {
        saved: std::sync::Arc<Mutex<Vec<String>>>,
        delay: Duration,
    }

    impl TokenStore for Recording {
        type Error = io::Error;

        fn load(&mut self) -> io::Result<Option<StoredToken>> {
            Ok(None)
        }

        fn save(&mut self, token: &StoredToken) -> io::Result<()> {
            std::thread::sleep(self.delay);
            self.saved.lock().unwrap().push(token.access_token.clone());
            Ok(())
        }
    }

    fn pending(generation: u64, access: &str) -> PendingSave {
        PendingSave {
            generation,
            token: stored(access),
        }
    }

    #[test]
    fn an_older_save_that_comes_late_never_replaces_a_newer_one() {
        let recording = Recording::default();
        let store = SessionStore::new(recording.clone());
        // Two reports took their pending saves in order; the newer one is written first.
        let older = pending(2, "older");
        let newer = pending(3, "newer");
        store.commit(newer).unwrap();
        store.commit(older).unwrap();
        assert_eq!(*recording.saved.lock().unwrap(), ["newer"]);
        // The same generation again is not written twice.
        store.commit(pending(3, "newer")).unwrap();
        assert_eq!(*recording.saved.lock().unwrap(), ["newer"]);
        store.commit(pending(4, "newest")).unwrap();
        assert_eq!(*recording.saved.lock().unwrap(), ["newer", "newest"]);
    }

    #[test]
    fn a_token_that_many_calls_saw_arrive_is_saved_once() {
        let recording = Recording {
            delay: Duration::from_millis(20),
            ..Recording::default()
        };
        let store = SessionStore::new(recording.clone());
        let token = stored("new").into_token(Instant::ZERO, unix_now()).unwrap();
        let session = Session::for_user(
            UserClient::pkce(ClientId::new("id")),
            token,
            Config::default(),
            1,
        );
        // 16 calls each find the new token pending before the first save is done.
        let pendings: Vec<_> = (0..16)
            .map(|_| store.pending(&session, Instant::ZERO).unwrap())
            .collect();
        std::thread::scope(|scope| {
            for pending in pendings {
                let store = &store;
                scope.spawn(move || store.commit(pending).unwrap());
            }
        });
        assert_eq!(recording.saved.lock().unwrap().len(), 1);
    }

    #[test]
    fn session_store_loads_a_session_and_saves_each_new_token_once() {
        let store = SessionStore::new(MemoryTokenStore::with(stored("saved")));
        let session = store
            .load_session(
                UserClient::pkce(ClientId::new("id")),
                Config::default(),
                1,
                Instant::ZERO,
            )
            .unwrap()
            .unwrap();
        assert_eq!(session.token().map(AccessToken::secret), Some("saved"));
        assert!(
            store.pending(&session, Instant::ZERO).is_none(),
            "nothing new to save"
        );
        let empty = SessionStore::new(MemoryTokenStore::new());
        assert!(
            empty
                .load_session(
                    UserClient::pkce(ClientId::new("id")),
                    Config::default(),
                    1,
                    Instant::ZERO
                )
                .unwrap()
                .is_none()
        );
    }
}
