//! One rate-limit gate for every process of an app.
//!
//! Spotify limits an app, not a process: when one instance gets a 429 with `Retry-After`, the
//! others would get the same if they went on. A [`RateLimitGate`] (or, for the async client,
//! an [`AsyncRateLimitGate`]) is where instances share it: a client given one publishes each
//! 429's wait to it, and reads it before each request, holding its own session
//! ([`Session::hold_until`](spotify_web_core::session::Session::hold_until)) while the gate is
//! closed. The gate counts in durations, not instants, so the instances' clocks need not
//! agree.
//!
//! A gate that cannot be reached is treated as open (the client's own 429 handling still
//! applies), and the failure is traced with the `tracing` feature: an outage of the shared
//! store slows nothing down and stops nothing.

use std::time::Duration;

#[cfg(feature = "async")]
use crate::store::BoxFuture;
use crate::store::StoreError;

/// A rate-limit gate shared by the processes of one app (see the [module](self)).
pub trait RateLimitGate: Send + Sync + 'static {
    /// How much longer the gate stays closed, or `None` if it is open.
    ///
    /// # Errors
    ///
    /// If the shared store cannot be read.
    fn closed_for(&self) -> Result<Option<Duration>, StoreError>;

    /// Closes the gate for `wait` from now, for every process; a gate already closed for
    /// longer stays so.
    ///
    /// # Errors
    ///
    /// If the shared store cannot be written.
    fn close_for(&self, wait: Duration) -> Result<(), StoreError>;
}

/// A [`RateLimitGate`] whose I/O is async, for the async client.
#[cfg(feature = "async")]
pub trait AsyncRateLimitGate: Send + Sync + 'static {
    /// As [`RateLimitGate::closed_for`].
    fn closed_for(&self) -> BoxFuture<'_, Result<Option<Duration>, StoreError>>;

    /// As [`RateLimitGate::close_for`].
    fn close_for(&self, wait: Duration) -> BoxFuture<'_, Result<(), StoreError>>;
}

/// The gate behind a client.
pub(crate) enum Gate {
    Blocking(Box<dyn RateLimitGate>),
    #[cfg(feature = "async")]
    Async(Box<dyn AsyncRateLimitGate>),
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gate")
    }
}

impl Gate {
    /// How much longer the gate stays closed; open if it cannot be read.
    pub(crate) fn closed_for(&self) -> Option<Duration> {
        let read = match self {
            Self::Blocking(gate) => gate.closed_for(),
            #[cfg(feature = "async")]
            Self::Async(_) => return None,
        };
        read.unwrap_or_else(|error| {
            crate::trace::gate_failed("read", &*error);
            None
        })
    }

    /// Closes the gate for every process; a failure is traced.
    pub(crate) fn close_for(&self, wait: Duration) {
        let written = match self {
            Self::Blocking(gate) => gate.close_for(wait),
            #[cfg(feature = "async")]
            Self::Async(_) => return,
        };
        if let Err(error) = written {
            crate::trace::gate_failed("close", &*error);
        }
    }

    /// As [`closed_for`](Self::closed_for), for either kind of gate.
    #[cfg(feature = "async")]
    pub(crate) async fn closed_for_async(&self) -> Option<Duration> {
        match self {
            Self::Async(gate) => gate.closed_for().await.unwrap_or_else(|error| {
                crate::trace::gate_failed("read", &*error);
                None
            }),
            Self::Blocking(_) => self.closed_for(),
        }
    }

    /// As [`close_for`](Self::close_for), for either kind of gate.
    #[cfg(feature = "async")]
    pub(crate) async fn close_for_async(&self, wait: Duration) {
        match self {
            Self::Async(gate) => {
                if let Err(error) = gate.close_for(wait).await {
                    crate::trace::gate_failed("close", &*error);
                }
            }
            Self::Blocking(_) => self.close_for(wait),
        }
    }
}
