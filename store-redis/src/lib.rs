//! Spotify Web API tokens in Redis, for apps that run as many processes.
//!
//! Spotify limits an app, not a process, and a user's refresh token may be rotated by each
//! renewal (it always is with PKCE): processes that share users must share their tokens,
//! renew each one once, and stop together when one of them is rate-limited. This crate keeps
//! all three in Redis:
//!
//! - [`RedisTokenStore`] (blocking) and `AsyncRedisTokenStore` (feature `async`): one user's
//!   tokens under `{prefix}:user:{user}:token`, as JSON. A renewal takes the user's lock
//!   `{prefix}:user:{user}:renewing` (`SET NX PX`, with an expiry, so a process that dies
//!   holding it stops nobody for long); the other processes wait for it, then read the token
//!   the renewal saved instead of renewing again. Whatever the number of processes, a user's
//!   token is renewed by one request.
//! - [`RedisRateLimitGate`] (blocking) and `AsyncRedisRateLimitGate`: one key,
//!   `{prefix}:rate-limited`, set with an expiry of a 429's `Retry-After` by whichever process
//!   gets it; every process reads it before each request and holds its calls until it expires.
//!   It counts in durations (Redis's `PTTL`), so the processes' clocks need not agree, and the
//!   key goes away by itself.
//!
//! ```no_run
//! use spotify_web_core::auth::{ClientId, UserClient};
//! use spotify_web_redis::{RedisRateLimitGate, RedisTokenStore};
//! use spotify_web_ureq::Client;
//!
//! let redis = redis::Client::open("redis://127.0.0.1/")?;
//! let user = UserClient::pkce(ClientId::new("your-client-id"));
//! // One store per signed-in user, named by the app (a session ID, a user ID).
//! let store = RedisTokenStore::new(redis.clone(), "my-app", "session-4f1c");
//! let client = Client::user_builder(user, store)
//!     .rate_limit_gate(RedisRateLimitGate::new(redis, "my-app"))
//!     .build()?;
//! let me = client.send(spotify_web_core::endpoint::GetCurrentUser::new())?;
//! println!("{}", me.display_name.unwrap_or_default());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Nothing a store writes or reads is ever put into an error's text: a key that does not hold
//! a token is reported by its name and the position of the fault.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "async")]
mod nonblocking;

#[cfg(feature = "async")]
pub use nonblocking::{AsyncRedisRateLimitGate, AsyncRedisTokenStore};

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use redis::{Connection, RedisResult, Script};
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_driver::StoreError;
use spotify_web_driver::gate::RateLimitGate;

/// How long a renewal lock lasts unless released (default): longer than a token request takes,
/// short enough that a process dying with it stops the others briefly.
pub const DEFAULT_LOCK_TTL: Duration = Duration::from_secs(10);

/// How long the blocking store and gate wait for Redis to connect, or to answer a command
/// (default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a process waiting for another's renewal looks again.
pub(crate) const POLL: Duration = Duration::from_millis(20);

/// What went wrong with Redis, or with what it holds.
#[derive(Debug)]
#[non_exhaustive]
pub enum RedisStoreError {
    /// Redis could not be reached, or refused a command.
    Redis(redis::RedisError),
    /// A key does not hold a saved token. Its content is never repeated.
    Unreadable {
        /// The key.
        key: String,
        /// Where the content stops making sense.
        line: usize,
        /// Where the content stops making sense.
        column: usize,
    },
    /// Another process held the renewal lock for longer than its own expiry allows (it is
    /// renewed again and again): given up after this long.
    LockTimeout {
        /// The lock's key.
        key: String,
        /// How long this process waited.
        waited: Duration,
    },
}

impl fmt::Display for RedisStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Redis(_) => f.write_str("redis"),
            Self::Unreadable { key, line, column } => write!(
                f,
                "the Redis key {key} does not hold a saved token (unexpected content at line \
                 {line} column {column}): the user signs in again"
            ),
            Self::LockTimeout { key, waited } => write!(
                f,
                "waited {waited:?} for another process's renewal lock {key}"
            ),
        }
    }
}

impl std::error::Error for RedisStoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Redis(error) => Some(error),
            Self::Unreadable { .. } | Self::LockTimeout { .. } => None,
        }
    }
}

impl From<redis::RedisError> for RedisStoreError {
    fn from(error: redis::RedisError) -> Self {
        Self::Redis(error)
    }
}

/// The keys of one user's tokens and renewal lock.
#[derive(Debug, Clone)]
pub(crate) struct UserKeys {
    pub(crate) token: String,
    pub(crate) lock: String,
    /// This store's value for the lock: whose lock it is.
    pub(crate) owner: String,
}

impl UserKeys {
    pub(crate) fn new(prefix: &str, user: &str) -> Self {
        Self {
            token: format!("{prefix}:user:{user}:token"),
            lock: format!("{prefix}:user:{user}:renewing"),
            owner: owner(),
        }
    }

    /// The token stored under the key, if any.
    pub(crate) fn parse(
        &self,
        json: Option<Vec<u8>>,
    ) -> Result<Option<StoredToken>, RedisStoreError> {
        let Some(json) = json else { return Ok(None) };
        serde_json::from_slice(&json)
            .map(Some)
            .map_err(|e| RedisStoreError::Unreadable {
                key: self.token.clone(),
                line: e.line(),
                column: e.column(),
            })
    }
}

/// A value that names this store as a lock's holder, different for every store: random, or
/// (should the system give no randomness) the process, a counter and the clock.
fn owner() -> String {
    static STORES: AtomicU64 = AtomicU64::new(0);
    let mut random = [0u8; 16];
    if getrandom::getrandom(&mut random).is_ok() {
        return random.iter().map(|b| format!("{b:02x}")).collect();
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{}-{nanos}",
        std::process::id(),
        STORES.fetch_add(1, Ordering::Relaxed)
    )
}

/// The command that reads a user's token; with `idle`, it keeps the key that much longer
/// (`GETEX … PX`: unused tokens expire, used ones stay).
pub(crate) fn read_token(keys: &UserKeys, idle: Option<Duration>) -> redis::Cmd {
    match idle {
        Some(idle) => {
            let mut cmd = redis::cmd("GETEX");
            cmd.arg(&keys.token).arg("PX").arg(millis(idle).max(1));
            cmd
        }
        None => {
            let mut cmd = redis::cmd("GET");
            cmd.arg(&keys.token);
            cmd
        }
    }
}

/// The command that writes a user's token, to expire after `idle` unused if given.
pub(crate) fn write_token(keys: &UserKeys, json: &[u8], idle: Option<Duration>) -> redis::Cmd {
    let mut cmd = redis::cmd("SET");
    cmd.arg(&keys.token).arg(json);
    if let Some(idle) = idle {
        cmd.arg("PX").arg(millis(idle).max(1));
    }
    cmd
}

/// The token as JSON; it cannot fail for a `StoredToken`, but says which key if it did.
pub(crate) fn token_json(keys: &UserKeys, token: &StoredToken) -> Result<Vec<u8>, RedisStoreError> {
    serde_json::to_vec(token).map_err(|e| RedisStoreError::Unreadable {
        key: keys.token.clone(),
        line: e.line(),
        column: e.column(),
    })
}

/// Runs a command on the connection in `slot`, opening it when there is none (within
/// `timeout`, which also bounds every read and write on it, so that a Redis that stops
/// answering fails the call instead of hanging it). A connection that fails is dropped and the
/// command tried once more on a new one.
fn run_on<T>(
    client: &redis::Client,
    slot: &mut Option<Connection>,
    timeout: Duration,
    mut command: impl FnMut(&mut Connection) -> RedisResult<T>,
) -> RedisResult<T> {
    match command(connected(client, slot, timeout)?) {
        Err(error) if error.is_io_error() || error.is_connection_dropped() => {
            *slot = None;
            command(connected(client, slot, timeout)?)
        }
        result => result,
    }
}

/// The connection in `slot`, opened first if there is none.
fn connected<'a>(
    client: &redis::Client,
    slot: &'a mut Option<Connection>,
    timeout: Duration,
) -> RedisResult<&'a mut Connection> {
    match slot {
        Some(connection) => Ok(connection),
        empty => {
            let connection = client.get_connection_with_timeout(timeout)?;
            connection.set_read_timeout(Some(timeout))?;
            connection.set_write_timeout(Some(timeout))?;
            Ok(empty.insert(connection))
        }
    }
}

/// The gate's key.
pub(crate) fn gate_key(prefix: &str) -> String {
    format!("{prefix}:rate-limited")
}

/// Deletes the lock only if this store holds it (another's lock, taken after ours expired,
/// stays).
pub(crate) fn release_script() -> Script {
    Script::new(
        r"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
          return 0",
    )
}

/// Closes the gate for `ARGV[1]` milliseconds unless it is already closed for longer.
pub(crate) fn close_script() -> Script {
    Script::new(
        r"local left = redis.call('PTTL', KEYS[1])
          if left < tonumber(ARGV[1]) then
            redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
            return 1
          end
          return 0",
    )
}

/// The `SET NX PX` that takes a lock.
pub(crate) fn take_lock(keys: &UserKeys, ttl: Duration) -> redis::Cmd {
    let mut cmd = redis::cmd("SET");
    cmd.arg(&keys.lock)
        .arg(&keys.owner)
        .arg("NX")
        .arg("PX")
        .arg(millis(ttl).max(1));
    cmd
}

/// What `PTTL` answered, as how long a gate stays closed.
pub(crate) fn remaining(pttl: i64) -> Option<Duration> {
    u64::try_from(pttl)
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// One user's tokens in Redis, for the blocking client (see the [crate docs](crate)).
///
/// It holds its own connection, opened when first needed and opened again after a failure.
pub struct RedisTokenStore {
    client: redis::Client,
    connection: Option<Connection>,
    keys: UserKeys,
    lock_ttl: Duration,
    idle: Option<Duration>,
    timeout: Duration,
    /// How many renewals of this store hold the lock (a renewal taken over within the
    /// process takes it again).
    held: u32,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("key", &self.keys.token)
            .field("lock_ttl", &self.lock_ttl)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStore {
    /// The store of `user`'s tokens (any name the app gives its signed-in users: a session ID,
    /// a Spotify user ID), under `prefix` (the app's name, say). Nothing is sent until asked.
    pub fn new(client: redis::Client, prefix: &str, user: &str) -> Self {
        Self {
            client,
            connection: None,
            keys: UserKeys::new(prefix, user),
            lock_ttl: DEFAULT_LOCK_TTL,
            idle: None,
            timeout: DEFAULT_TIMEOUT,
            held: 0,
        }
    }

    /// How long a renewal lock lasts unless released (default [`DEFAULT_LOCK_TTL`]).
    #[must_use]
    pub fn lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// How long to wait for Redis to connect or to answer (default [`DEFAULT_TIMEOUT`]): past
    /// it, the call fails with [`RedisStoreError::Redis`] rather than hang.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Lets Redis forget the user's tokens once they go unused for `idle` (every load and save
    /// starts the time again), so that abandoned sign-ins do not pile up. By default they are
    /// kept until [`forget`](Self::forget).
    #[must_use]
    pub fn forget_after_idle(mut self, idle: Duration) -> Self {
        self.idle = Some(idle);
        self
    }

    /// Forgets the user's tokens (on sign-out).
    ///
    /// # Errors
    ///
    /// If Redis cannot be reached.
    pub fn forget(&mut self) -> Result<(), RedisStoreError> {
        let key = self.keys.token.clone();
        self.run(|c| redis::cmd("DEL").arg(&key).query::<()>(c))?;
        Ok(())
    }

    /// Runs a command on the store's connection (see [`run_on`]).
    fn run<T>(&mut self, command: impl FnMut(&mut Connection) -> RedisResult<T>) -> RedisResult<T> {
        run_on(&self.client, &mut self.connection, self.timeout, command)
    }
}

impl TokenStore for RedisTokenStore {
    type Error = RedisStoreError;

    fn load(&mut self) -> Result<Option<StoredToken>, RedisStoreError> {
        let keys = self.keys.clone();
        let idle = self.idle;
        let json: Option<Vec<u8>> = self.run(|c| read_token(&keys, idle).query(c))?;
        keys.parse(json)
    }

    fn save(&mut self, token: &StoredToken) -> Result<(), RedisStoreError> {
        let json = token_json(&self.keys, token)?;
        let (keys, idle) = (self.keys.clone(), self.idle);
        self.run(|c| write_token(&keys, &json, idle).query::<()>(c))?;
        Ok(())
    }

    /// Takes the user's renewal lock, waiting while another process holds it, then loads the
    /// token (the one that process saved, if it renewed).
    fn begin_renewal(&mut self) -> Result<Option<StoredToken>, RedisStoreError> {
        let keys = self.keys.clone();
        let started = Instant::now();
        loop {
            let ttl = self.lock_ttl;
            let taken: Option<String> = self.run(|c| take_lock(&keys, ttl).query(c))?;
            let mine = taken.is_some()
                || self.held > 0
                    && self
                        .run(|c| redis::cmd("GET").arg(&keys.lock).query::<Option<String>>(c))?
                        .as_deref()
                        == Some(&keys.owner);
            if mine {
                self.held += 1;
                return self.load();
            }
            if started.elapsed() > self.lock_ttl * 2 {
                return Err(RedisStoreError::LockTimeout {
                    key: keys.lock,
                    waited: started.elapsed(),
                });
            }
            std::thread::sleep(POLL);
        }
    }

    fn end_renewal(&mut self) -> Result<(), RedisStoreError> {
        self.held = self.held.saturating_sub(1);
        if self.held > 0 {
            return Ok(());
        }
        let keys = self.keys.clone();
        self.run(|c| {
            release_script()
                .key(&keys.lock)
                .arg(&keys.owner)
                .invoke::<i64>(c)
        })?;
        Ok(())
    }
}

/// The rate-limit gate of every process of an app, in Redis, for the blocking client (see
/// the [crate docs](crate)).
pub struct RedisRateLimitGate {
    client: redis::Client,
    connection: Mutex<Option<Connection>>,
    key: String,
    timeout: Duration,
}

impl fmt::Debug for RedisRateLimitGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimitGate")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl RedisRateLimitGate {
    /// The gate of the app named `prefix` (the same prefix as its token stores, say).
    pub fn new(client: redis::Client, prefix: &str) -> Self {
        Self {
            client,
            connection: Mutex::new(None),
            key: gate_key(prefix),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// How long to wait for Redis to connect or to answer (default [`DEFAULT_TIMEOUT`]); a
    /// gate that does not answer in time is treated as open.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn run<T>(&self, command: impl FnMut(&mut Connection) -> RedisResult<T>) -> RedisResult<T> {
        let mut slot = self
            .connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        run_on(&self.client, &mut slot, self.timeout, command)
    }
}

impl RateLimitGate for RedisRateLimitGate {
    fn closed_for(&self) -> Result<Option<Duration>, StoreError> {
        let pttl: i64 = self.run(|c| redis::cmd("PTTL").arg(&self.key).query(c))?;
        Ok(remaining(pttl))
    }

    fn close_for(&self, wait: Duration) -> Result<(), StoreError> {
        let ms = millis(wait).max(1);
        self.run(|c| close_script().key(&self.key).arg(ms).invoke::<i64>(c))?;
        Ok(())
    }
}
