//! Keeping a Spotify user's tokens between runs.
//!
//! [`FileTokenStore`] keeps them in a JSON file readable by its owner only (mode 0600 on
//! Unix). `SessionStore` is how the client loads a user's session from a [`TokenStore`] and
//! saves each new token as the session gets it; users only hand the client a store.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use spotify_web_core::auth::{CodeExchange, UserClient};
use spotify_web_core::message::Response;
use spotify_web_core::session::{Config, Session};
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_core::time::Instant;

use crate::Error;

/// An error from a token store, whatever the store.
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

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
            Err(e) => return Err(self.error("cannot read", e)),
        };
        serde_json::from_slice(&text).map(Some).map_err(|e| {
            // serde_json's message may quote what the file holds (a token): say only where.
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} does not hold a saved token (unexpected content at line {} column {}): \
                     delete it and sign in again",
                    self.path.display(),
                    e.line(),
                    e.column()
                ),
            )
        })
    }

    /// Writes the token to a new temporary file beside the store's (a random name, created
    /// exclusively so a symlink planted there is never followed, readable by its owner only
    /// from the start), syncs it, renames it over the store's file and syncs the directory.
    /// Any failure removes the temporary file; concurrent writers never collide, and a reader
    /// always finds one whole token set.
    fn save(&mut self, token: &StoredToken) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(token).map_err(io::Error::other)?;
        let directory = match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = self
            .path
            .file_name()
            .ok_or_else(|| self.error("cannot save", io::Error::other("the path names no file")))?;
        let (temporary, mut file) = create_exclusive(directory, name)
            .map_err(|e| self.error("cannot create a temporary file beside", e))?;
        let written = file
            .write_all(&json)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.error("cannot write", e))
            .and_then(|()| {
                drop(file);
                fs::rename(&temporary, &self.path).map_err(|e| self.error("cannot replace", e))
            });
        if let Err(error) = written {
            let _ = fs::remove_file(&temporary);
            return Err(error);
        }
        #[cfg(unix)]
        fs::File::open(directory)
            .and_then(|dir| dir.sync_all())
            .map_err(|e| self.error("cannot sync the directory of", e))?;
        Ok(())
    }
}

/// A new file `.<name>.<random>.tmp` in `directory`, made with `O_CREAT | O_EXCL` (so it never
/// opens an existing file or follows a symlink) and mode 0600 from its creation.
fn create_exclusive(directory: &Path, name: &std::ffi::OsStr) -> io::Result<(PathBuf, fs::File)> {
    loop {
        let mut random = [0u8; 8];
        getrandom::getrandom(&mut random).map_err(io::Error::other)?;
        let mut file_name = std::ffi::OsString::from(".");
        file_name.push(name);
        file_name.push(format!(".{:016x}.tmp", u64::from_le_bytes(random)));
        let path = directory.join(file_name);
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            // Another writer drew the same name: draw again.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

impl FileTokenStore {
    /// An I/O error that names the store's path and what was being done.
    fn error(&self, doing: &str, error: io::Error) -> io::Error {
        io::Error::new(
            error.kind(),
            format!("{doing} the token store {}: {error}", self.path.display()),
        )
    }
}

/// Seconds since the Unix epoch, by the wall clock (0 if it reads before 1970).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Object-safe view of a [`TokenStore`] with its error boxed.
trait ErasedStore: Send {
    fn load_erased(&mut self) -> Result<Option<StoredToken>, StoreError>;
    fn save_erased(&mut self, token: &StoredToken) -> Result<(), StoreError>;
    fn begin_renewal_erased(&mut self) -> Result<Option<StoredToken>, StoreError>;
    fn end_renewal_erased(&mut self) -> Result<(), StoreError>;
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

    fn begin_renewal_erased(&mut self) -> Result<Option<StoredToken>, StoreError> {
        self.begin_renewal().map_err(Into::into)
    }

    fn end_renewal_erased(&mut self) -> Result<(), StoreError> {
        self.end_renewal().map_err(Into::into)
    }
}

/// A future a store or a gate returns: boxed, so the traits stay object-safe.
#[cfg(feature = "async")]
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a user's tokens are kept, for the async client, when keeping them is I/O that
/// should not block a task (a database, Redis): what
/// [`TokenStore`](spotify_web_core::store::TokenStore) is for the blocking client, with
/// `&self` methods (such a store holds a connection handle that clones cheaply).
///
/// Give it to [`nonblocking::Client::user_builder_async_store`](crate::nonblocking::Client::user_builder_async_store).
#[cfg(feature = "async")]
pub trait AsyncTokenStore: Send + Sync + 'static {
    /// The saved token, if there is one.
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>>;

    /// Replaces the saved token.
    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), StoreError>>;

    /// As [`TokenStore::begin_renewal`]: take the renewal lock (waiting for another process
    /// to finish), then answer the token the store holds. The default loads.
    fn begin_renewal(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        self.load()
    }

    /// As [`TokenStore::end_renewal`]: release the renewal lock. The default does nothing.
    fn end_renewal(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// The store behind a client: blocking, or (for the async client) async.
enum Backend {
    Blocking(Mutex<Box<dyn ErasedStore>>),
    #[cfg(feature = "async")]
    Async {
        store: Box<dyn AsyncTokenStore>,
        /// Held across a save, so that the check of the saved generation and the save are
        /// one step, as the blocking store's mutex makes them.
        commit: tokio::sync::Mutex<()>,
    },
}

/// A token store as the client holds it: it loads the user's session, and saves each new
/// token once, however many calls share the session.
pub(crate) struct SessionStore {
    backend: Backend,
    saved: AtomicU64,
}

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionStore")
            .field("saved_generation", &self.saved.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// What a blocking step asked of an async store says.
#[cfg(feature = "async")]
fn needs_async() -> StoreError {
    "this token store is async: build the client with build_async".into()
}

impl SessionStore {
    /// Wraps a store.
    pub(crate) fn new<S>(store: S) -> Self
    where
        S: TokenStore + Send + 'static,
        S::Error: Into<StoreError>,
    {
        Self {
            backend: Backend::Blocking(Mutex::new(Box::new(store))),
            saved: AtomicU64::new(0),
        }
    }

    /// Wraps an async store.
    #[cfg(feature = "async")]
    pub(crate) fn new_async(store: impl AsyncTokenStore) -> Self {
        Self {
            backend: Backend::Async {
                store: Box::new(store),
                commit: tokio::sync::Mutex::new(()),
            },
            saved: AtomicU64::new(0),
        }
    }

    fn blocking(&self) -> Result<std::sync::MutexGuard<'_, Box<dyn ErasedStore>>, StoreError> {
        match &self.backend {
            Backend::Blocking(store) => Ok(store.lock().unwrap_or_else(PoisonError::into_inner)),
            #[cfg(feature = "async")]
            Backend::Async { .. } => Err(needs_async()),
        }
    }

    /// The saved token, if any.
    ///
    /// # Errors
    ///
    /// If the store cannot be read (or is async).
    pub(crate) fn load(&self) -> Result<Option<StoredToken>, StoreError> {
        self.blocking()?.load_erased()
    }

    /// The saved token, if any, from either kind of store.
    ///
    /// # Errors
    ///
    /// If the store cannot be read.
    #[cfg(feature = "async")]
    pub(crate) async fn load_async(&self) -> Result<Option<StoredToken>, StoreError> {
        match &self.backend {
            Backend::Async { store, .. } => store.load().await,
            Backend::Blocking(_) => self.load(),
        }
    }

    /// Saves a token (after a code exchange, say).
    ///
    /// # Errors
    ///
    /// If the store cannot be written.
    pub(crate) fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.blocking()?.save_erased(token)
    }

    /// Saves a token, to either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn save_async(&self, token: &StoredToken) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Async { store, .. } => store.save(token).await,
            Backend::Blocking(_) => self.save(token),
        }
    }

    /// Before a renewal: the store's lock taken, the token it holds now.
    pub(crate) fn begin_renewal(&self) -> Result<Option<StoredToken>, StoreError> {
        self.blocking()?.begin_renewal_erased()
    }

    /// After a renewal: the store's lock released.
    pub(crate) fn end_renewal(&self) -> Result<(), StoreError> {
        self.blocking()?.end_renewal_erased()
    }

    /// As [`begin_renewal`](Self::begin_renewal), for either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn begin_renewal_async(&self) -> Result<Option<StoredToken>, StoreError> {
        match &self.backend {
            Backend::Async { store, .. } => store.begin_renewal().await,
            Backend::Blocking(_) => self.begin_renewal(),
        }
    }

    /// As [`end_renewal`](Self::end_renewal), for either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn end_renewal_async(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Async { store, .. } => store.end_renewal().await,
            Backend::Blocking(_) => self.end_renewal(),
        }
    }

    /// A session for the user whose token was loaded, or `None` if there was none.
    pub(crate) fn session_from(
        &self,
        stored: Option<StoredToken>,
        client: UserClient,
        config: Config,
        seed: u64,
        now: Instant,
    ) -> Result<Option<Session>, StoreError> {
        let Some(stored) = stored else {
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
    /// [`Error::Spotify`] if the answer is a refusal or not a token, [`Error::TokenStore`]
    /// if the tokens cannot be saved.
    pub(crate) fn finish_login(
        &self,
        user: UserClient,
        config: Config,
        seed: u64,
        exchange: CodeExchange,
        answer: &Response<'_>,
        now: Instant,
    ) -> Result<Session, Error> {
        let token = exchange.finish(answer, now)?;
        self.save(&StoredToken::from_token(&token, now, unix_now()))
            .map_err(Error::TokenStore)?;
        Ok(self.signed_in(user, token, config, seed))
    }

    /// As [`finish_login`](Self::finish_login), for either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn finish_login_async(
        &self,
        user: UserClient,
        config: Config,
        seed: u64,
        exchange: CodeExchange,
        answer: &Response<'_>,
        now: Instant,
    ) -> Result<Session, Error> {
        let token = exchange.finish(answer, now)?;
        self.save_async(&StoredToken::from_token(&token, now, unix_now()))
            .await
            .map_err(Error::TokenStore)?;
        Ok(self.signed_in(user, token, config, seed))
    }

    /// The session of a user whose token was just saved.
    fn signed_in(
        &self,
        user: UserClient,
        token: spotify_web_core::auth::AccessToken,
        config: Config,
        seed: u64,
    ) -> Session {
        let session = Session::for_user(user, token, config, seed);
        self.saved
            .store(session.token_generation(), Ordering::SeqCst);
        session
    }

    /// The session took the token the store holds: nothing to save for it.
    pub(crate) fn adopted(&self, session: &Session) {
        self.saved
            .fetch_max(session.token_generation(), Ordering::SeqCst);
    }

    /// The token to save, if the session got one since the last successful save. Call it
    /// with the session locked, right after reporting to it; [`commit`](Self::commit) it after
    /// unlocking.
    pub(crate) fn pending(&self, session: &Session, now: Instant) -> Option<PendingSave> {
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
    pub(crate) fn commit(&self, pending: PendingSave) -> Result<(), StoreError> {
        let mut store = self.blocking()?;
        if pending.generation <= self.saved.load(Ordering::SeqCst) {
            return Ok(());
        }
        store.save_erased(&pending.token)?;
        self.saved.store(pending.generation, Ordering::SeqCst);
        Ok(())
    }

    /// As [`commit`](Self::commit), for either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn commit_async(&self, pending: PendingSave) -> Result<(), StoreError> {
        let Backend::Async { store, commit } = &self.backend else {
            return self.commit(pending);
        };
        let _one_at_a_time = commit.lock().await;
        if pending.generation <= self.saved.load(Ordering::SeqCst) {
            return Ok(());
        }
        store.save(&pending.token).await?;
        self.saved.store(pending.generation, Ordering::SeqCst);
        Ok(())
    }
}

/// A token the session got and the store does not have yet.
#[derive(Debug)]
pub(crate) struct PendingSave {
    generation: u64,
    token: StoredToken,
}

#[cfg(test)]
mod tests {
    use spotify_web_core::auth::RefreshToken;
    use spotify_web_core::auth::{AccessToken, ClientId};
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

    /// A fresh directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("spotify-web-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_planted_symlink() {
        let dir = scratch("symlink");
        let victim = dir.join("victim");
        fs::write(&victim, b"not yours").unwrap();
        let path = dir.join("token.json");
        // The temporary name the store once used, and a few more guesses.
        for planted in ["token.json.tmp", ".token.json.tmp", "token.json~"] {
            std::os::unix::fs::symlink(&victim, dir.join(planted)).unwrap();
        }
        let mut store = FileTokenStore::new(&path);
        store.save(&stored("first")).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"not yours");
        use std::os::unix::fs::PermissionsExt;
        assert_ne!(
            fs::metadata(&victim).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(store.load().unwrap(), Some(stored("first")));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_save_leaves_no_temporary_file_and_names_the_path() {
        let dir = scratch("failed");
        // A directory where the file should go: the rename fails.
        let path = dir.join("token.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        let error = FileTokenStore::new(&path).save(&stored("t")).unwrap_err();
        assert!(
            error.to_string().contains(&*path.to_string_lossy()),
            "{error}"
        );
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("token.json")], "{left:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_load_error_never_repeats_what_the_file_holds() {
        let dir = scratch("load");
        let path = dir.join("token.json");
        fs::write(
            &path,
            br#"{"access_token":"a","expires_at_unix":"AQ-refresh-SECRET","refresh_token":"x"}"#,
        )
        .unwrap();
        let error = FileTokenStore::new(&path).load().unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("AQ-refresh-SECRET"), "{text}");
        assert!(text.contains(&*path.to_string_lossy()), "{text}");
        assert!(text.contains("line 1 column"), "{text}");
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Saves 300 tokens to the store at `path`, checking each save succeeds.
    fn save_300(path: &Path, writer: &str) {
        let mut store = FileTokenStore::new(path);
        for i in 0..300 {
            store
                .save(&stored(&format!("{writer}-{i}")))
                .unwrap_or_else(|e| panic!("{writer}: save {i} failed: {e}"));
        }
    }

    /// Run by the test below in a second process: `SPOTIFY_WEB_STORE_WRITER` names the file.
    #[test]
    fn writer_process() {
        if let Some(path) = std::env::var_os("SPOTIFY_WEB_STORE_WRITER") {
            save_300(Path::new(&path), "process");
        }
    }

    #[test]
    fn concurrent_writers_in_threads_and_processes_never_fail_or_tear() {
        let dir = scratch("concurrent");
        let path = dir.join("token.json");
        FileTokenStore::new(&path).save(&stored("start")).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| {
                let mut store = FileTokenStore::new(&path);
                let mut loads = 0;
                while !done.load(Ordering::SeqCst) {
                    let token = store.load().unwrap().expect("the file is always there");
                    assert!(token.refresh_token.is_some());
                    loads += 1;
                }
                loads
            });
            // Two other processes, and two threads of this one.
            let others: Vec<_> = (0..2)
                .map(|_| {
                    std::process::Command::new(std::env::current_exe().unwrap())
                        .args(["--exact", "tests::writer_process", "--quiet"])
                        .env("SPOTIFY_WEB_STORE_WRITER", &path)
                        .stdout(std::process::Stdio::piped())
                        .stderr(std::process::Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            let threads = [
                scope.spawn(|| save_300(&path, "thread-a")),
                scope.spawn(|| save_300(&path, "thread-b")),
            ];
            for thread in threads {
                thread.join().unwrap();
            }
            for other in others {
                let other = other.wait_with_output().unwrap();
                assert!(
                    other.status.success(),
                    "another process: {}",
                    String::from_utf8_lossy(&other.stdout)
                );
            }
            done.store(true, Ordering::SeqCst);
            assert!(reader.join().unwrap() > 0);
        });
        let left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "temporary files left: {left:?}");
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
        let load = |store: &SessionStore| {
            store.session_from(
                store.load().unwrap(),
                UserClient::pkce(ClientId::new("id")),
                Config::default(),
                1,
                Instant::ZERO,
            )
        };
        let store = SessionStore::new(MemoryTokenStore::with(stored("saved")));
        let session = load(&store).unwrap().unwrap();
        assert_eq!(session.token().map(AccessToken::secret), Some("saved"));
        assert!(
            store.pending(&session, Instant::ZERO).is_none(),
            "nothing new to save"
        );
        let empty = SessionStore::new(MemoryTokenStore::new());
        assert!(load(&empty).unwrap().is_none());
    }
}
