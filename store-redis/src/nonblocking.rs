//! The async store and gate, over one multiplexed connection that reconnects by itself.

use std::fmt;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use spotify_web_core::store::StoredToken;
use spotify_web_driver::gate::AsyncRateLimitGate;
use spotify_web_driver::{AsyncTokenStore, BoxFuture, StoreError};

use crate::{
    DEFAULT_LOCK_TTL, POLL, RedisStoreError, UserKeys, close_script, gate_key, millis, read_token,
    release_script, remaining, take_lock, token_json, write_token,
};

/// One user's tokens in Redis, for the async client (see the [crate docs](crate)). Give it to
/// `Client::user_builder_async_store`.
///
/// It shares the connection it is given (a [`ConnectionManager`] clones cheaply): one for
/// every user of a process. Its timeouts are the connection's: give the manager a response
/// and a connection timeout (`ConnectionManagerConfig::set_response_timeout`,
/// `set_connection_timeout`) so that a Redis that stops answering fails calls rather than
/// holding them.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use spotify_web_core::auth::{ClientId, UserClient};
/// use spotify_web_hyper::Client;
/// use spotify_web_redis::{AsyncRedisRateLimitGate, AsyncRedisTokenStore};
///
/// let redis = redis::Client::open("redis://127.0.0.1/")?;
/// let connection = redis::aio::ConnectionManager::new(redis).await?;
/// let user = UserClient::pkce(ClientId::new("your-client-id"));
/// let store = AsyncRedisTokenStore::new(connection.clone(), "my-app", "session-4f1c");
/// let client = Client::user_builder_async_store(user, store)
///     .rate_limit_gate(AsyncRedisRateLimitGate::new(connection, "my-app"))
///     .build_async()
///     .await?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
pub struct AsyncRedisTokenStore {
    connection: ConnectionManager,
    keys: UserKeys,
    lock_ttl: Duration,
    idle: Option<Duration>,
    /// How many renewals of this store hold the lock.
    held: Mutex<u32>,
}

impl fmt::Debug for AsyncRedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncRedisTokenStore")
            .field("key", &self.keys.token)
            .field("lock_ttl", &self.lock_ttl)
            .finish_non_exhaustive()
    }
}

impl AsyncRedisTokenStore {
    /// The store of `user`'s tokens under `prefix`, over `connection`.
    pub fn new(connection: ConnectionManager, prefix: &str, user: &str) -> Self {
        Self {
            connection,
            keys: UserKeys::new(prefix, user),
            lock_ttl: DEFAULT_LOCK_TTL,
            idle: None,
            held: Mutex::new(0),
        }
    }

    /// How long a renewal lock lasts unless released (default [`DEFAULT_LOCK_TTL`]).
    #[must_use]
    pub fn lock_ttl(mut self, ttl: Duration) -> Self {
        self.lock_ttl = ttl;
        self
    }

    /// As [`RedisTokenStore::forget_after_idle`](crate::RedisTokenStore::forget_after_idle).
    #[must_use]
    pub fn forget_after_idle(mut self, idle: Duration) -> Self {
        self.idle = Some(idle);
        self
    }

    /// The saved token, if any (whether a user is signed in).
    ///
    /// # Errors
    ///
    /// If Redis cannot be reached, or the key holds no token.
    pub async fn load(&self) -> Result<Option<StoredToken>, RedisStoreError> {
        let json: Option<Vec<u8>> = read_token(&self.keys, self.idle)
            .query_async(&mut self.connection.clone())
            .await?;
        self.keys.parse(json)
    }

    /// Forgets the user's tokens (on sign-out).
    ///
    /// # Errors
    ///
    /// If Redis cannot be reached.
    pub async fn forget(&self) -> Result<(), RedisStoreError> {
        redis::cmd("DEL")
            .arg(&self.keys.token)
            .query_async::<()>(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    async fn save_token(&self, token: &StoredToken) -> Result<(), RedisStoreError> {
        let json = token_json(&self.keys, token)?;
        write_token(&self.keys, &json, self.idle)
            .query_async::<()>(&mut self.connection.clone())
            .await?;
        Ok(())
    }

    async fn lock(&self) -> Result<Option<StoredToken>, RedisStoreError> {
        let mut connection = self.connection.clone();
        let started = Instant::now();
        loop {
            let taken: Option<String> = take_lock(&self.keys, self.lock_ttl)
                .query_async(&mut connection)
                .await?;
            let reentered = taken.is_none() && self.holders() > 0 && {
                let holder: Option<String> = redis::cmd("GET")
                    .arg(&self.keys.lock)
                    .query_async(&mut connection)
                    .await?;
                holder.as_deref() == Some(&self.keys.owner)
            };
            if taken.is_some() || reentered {
                *self.held.lock().unwrap_or_else(PoisonError::into_inner) += 1;
                return self.load().await;
            }
            if started.elapsed() > self.lock_ttl * 2 {
                return Err(RedisStoreError::LockTimeout {
                    key: self.keys.lock.clone(),
                    waited: started.elapsed(),
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn holders(&self) -> u32 {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn unlock(&self) -> Result<(), RedisStoreError> {
        let left = {
            let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
            *held = held.saturating_sub(1);
            *held
        };
        if left == 0 {
            release_script()
                .key(&self.keys.lock)
                .arg(&self.keys.owner)
                .invoke_async::<i64>(&mut self.connection.clone())
                .await?;
        }
        Ok(())
    }
}

impl AsyncTokenStore for AsyncRedisTokenStore {
    fn load(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        Box::pin(async move { Ok(Self::load(self).await?) })
    }

    fn save<'a>(&'a self, token: &'a StoredToken) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move { Ok(self.save_token(token).await?) })
    }

    fn begin_renewal(&self) -> BoxFuture<'_, Result<Option<StoredToken>, StoreError>> {
        Box::pin(async move { Ok(self.lock().await?) })
    }

    fn end_renewal(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move { Ok(self.unlock().await?) })
    }
}

/// The rate-limit gate of every process of an app, in Redis, for the async client.
#[derive(Clone)]
pub struct AsyncRedisRateLimitGate {
    connection: ConnectionManager,
    key: String,
}

impl fmt::Debug for AsyncRedisRateLimitGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncRedisRateLimitGate")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl AsyncRedisRateLimitGate {
    /// The gate of the app named `prefix`, over `connection`.
    pub fn new(connection: ConnectionManager, prefix: &str) -> Self {
        Self {
            connection,
            key: gate_key(prefix),
        }
    }
}

impl AsyncRateLimitGate for AsyncRedisRateLimitGate {
    fn closed_for(&self) -> BoxFuture<'_, Result<Option<Duration>, StoreError>> {
        Box::pin(async move {
            let pttl: i64 = redis::cmd("PTTL")
                .arg(&self.key)
                .query_async(&mut self.connection.clone())
                .await?;
            Ok(remaining(pttl))
        })
    }

    fn close_for(&self, wait: Duration) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            close_script()
                .key(&self.key)
                .arg(millis(wait).max(1))
                .invoke_async::<i64>(&mut self.connection.clone())
                .await?;
            Ok(())
        })
    }
}
