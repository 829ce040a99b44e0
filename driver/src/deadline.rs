//! Deadlines for the exchanges of a tokio transport, one timer for many exchanges.
//!
//! A `tokio::time::timeout` around every exchange costs a timer of its own: an insertion into
//! the runtime's timer wheel, its removal when the exchange ends first (nearly always), and
//! the clock reads around them; with 64 exchanges at once on two workers that is about 2 % of
//! a call. [`Deadlines`] groups the exchanges that start within the same few milliseconds
//! ([`GRAIN`]): the group has one timer, a task sleeping until the last deadline of the group,
//! and each exchange listens to the group's [`Notify`]. An exchange so gets between its timeout
//! and its timeout and one grain to finish.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::sync::futures::OwnedNotified;
use tokio::time::Instant;

use crate::{Failure, FailureKind};

/// How close together exchanges must start to share a timer: the most a deadline can be late.
pub const GRAIN: Duration = Duration::from_millis(20);

/// What a deadline too far to compute becomes (about thirty years, as tokio's far future).
const FOR_EVER: Duration = Duration::from_secs(86_400 * 365 * 30);

/// The exchanges that started within one grain, with the same timeout.
#[derive(Debug)]
struct Group {
    /// Exchanges that start before this join the group.
    joins_until: Instant,
    timeout: Duration,
    /// Set, then announced, when the group's deadline has passed.
    expired: AtomicBool,
    notify: Arc<Notify>,
}

/// The deadlines of one transport's exchanges (see the [module](self)).
#[derive(Debug, Default)]
pub struct Deadlines {
    current: Mutex<Option<Arc<Group>>>,
}

impl Deadlines {
    /// No exchange yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `exchange` with `timeout`, or fails with [`FailureKind::Timeout`] once it has
    /// passed (within one [`GRAIN`]), counted from the first poll. It needs a tokio runtime
    /// with its timer (as hyper and reqwest do); polled outside one, it fails at once rather
    /// than panic.
    ///
    /// # Errors
    ///
    /// The exchange's, [`FailureKind::Timeout`], or [`FailureKind::Other`] outside a tokio
    /// runtime (never retried).
    pub fn within<F, T>(&self, timeout: Duration, exchange: F) -> Within<'_, F>
    where
        F: Future<Output = Result<T, Failure>>,
    {
        Within {
            exchange,
            deadlines: self,
            timeout,
            expiry: Expiry::NotStarted,
        }
    }

    /// The group an exchange starting now joins, started if there is none to join; `None`
    /// outside a tokio runtime (no task can keep the group's timer).
    fn join(&self, timeout: Duration) -> Option<Arc<Group>> {
        let now = Instant::now();
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(group) = current
            .as_ref()
            .filter(|group| group.timeout == timeout && now < group.joins_until)
        {
            return Some(Arc::clone(group));
        }
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let group = Arc::new(Group {
            joins_until: now + GRAIN,
            timeout,
            expired: AtomicBool::new(false),
            notify: Arc::new(Notify::new()),
        });
        // Made here, not in the task: a runtime without a timer fails now, as a timeout of the
        // exchange's own would, rather than leaving the group without a deadline.
        // A timeout too long to add (`Duration::MAX`) waits for ever, as tokio's own does.
        let deadline = group
            .joins_until
            .checked_add(timeout)
            .unwrap_or_else(|| group.joins_until + FOR_EVER);
        let sleep = tokio::time::sleep_until(deadline);
        let timer = Arc::clone(&group);
        runtime.spawn(async move {
            sleep.await;
            timer.expired.store(true, Ordering::Release);
            timer.notify.notify_waiters();
        });
        *current = Some(Arc::clone(&group));
        Some(group)
    }
}

pin_project_lite::pin_project! {
    /// An exchange under a deadline ([`Deadlines::within`]).
    ///
    /// Written by hand rather than as an `async fn`, which would hold the exchange twice (as
    /// its argument and, pinned, as its local): the exchange's future is polled where it lies,
    /// and nothing around it is copied.
    #[must_use = "futures do nothing unless polled"]
    pub struct Within<'a, F> {
        #[pin]
        exchange: F,
        deadlines: &'a Deadlines,
        timeout: Duration,
        #[pin]
        expiry: Expiry,
    }
}

pin_project_lite::pin_project! {
    /// How a [`Within`] learns that its deadline has passed.
    #[project = ExpiryProjection]
    enum Expiry {
        /// Not polled yet.
        NotStarted,
        /// The group it joined announces its end.
        Group {
            group: Arc<Group>,
            // Listening from the first poll: `notify_waiters` reaches a `Notified` made
            // before it.
            #[pin]
            expired: OwnedNotified,
        },
    }
}

impl<F, T> Future for Within<'_, F>
where
    F: Future<Output = Result<T, Failure>>,
{
    type Output = Result<T, Failure>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let ExpiryProjection::NotStarted = this.expiry.as_mut().project() {
            let Some(group) = this.deadlines.join(*this.timeout) else {
                // tokio's own timers would panic here.
                return Poll::Ready(Err(Failure::new(
                    FailureKind::Other,
                    "the exchange was polled outside a tokio runtime, which its transport needs",
                )));
            };
            this.expiry.set(Expiry::Group {
                expired: Arc::clone(&group.notify).notified_owned(),
                group,
            });
        }
        if let Poll::Ready(outcome) = this.exchange.poll(cx) {
            return Poll::Ready(outcome);
        }
        let expired = match this.expiry.project() {
            ExpiryProjection::Group { group, expired } => {
                group.expired.load(Ordering::Acquire) || expired.poll(cx).is_ready()
            }
            ExpiryProjection::NotStarted => false,
        };
        if expired {
            return Poll::Ready(Err(Failure::new(
                FailureKind::Timeout,
                format!("no whole answer within {:?}", this.timeout),
            )));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn exchanges_starting_within_a_grain_share_a_group() {
        runtime().block_on(async {
            let deadlines = Deadlines::new();
            let second = Duration::from_secs(1);
            let first = deadlines.join(second).unwrap_or_else(|| panic!("no group"));
            let same = deadlines.join(second).unwrap_or_else(|| panic!("no group"));
            assert!(Arc::ptr_eq(&first, &same));
            let other_timeout = deadlines
                .join(second * 2)
                .unwrap_or_else(|| panic!("no group"));
            assert!(!Arc::ptr_eq(&first, &other_timeout));
            tokio::time::advance(GRAIN).await;
            let later = deadlines
                .join(second * 2)
                .unwrap_or_else(|| panic!("no group"));
            assert!(!Arc::ptr_eq(&other_timeout, &later));
        });
    }

    #[test]
    fn a_slow_exchange_times_out_within_a_grain_of_its_timeout_and_a_fast_one_does_not() {
        runtime().block_on(async {
            let deadlines = Deadlines::new();
            let timeout = Duration::from_millis(500);
            let started = Instant::now();
            let slow = deadlines.within(timeout, async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(())
            });
            let error = slow.await.err().unwrap_or_else(|| panic!("no timeout"));
            assert_eq!(error.kind(), FailureKind::Timeout);
            let waited = started.elapsed();
            assert!(waited >= timeout && waited <= timeout + GRAIN, "{waited:?}");
            // Within the same grain, a quick exchange ends with its answer.
            let quick = deadlines.within(timeout, async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                Ok(7)
            });
            assert_eq!(quick.await.ok(), Some(7));
        });
    }

    #[test]
    fn outside_a_tokio_runtime_an_exchange_fails_without_panicking() {
        let deadlines = Deadlines::new();
        let mut polled = false;
        let mut exchange = std::pin::pin!(deadlines.within(
            Duration::from_secs(1),
            std::future::poll_fn(|_| {
                polled = true;
                Poll::Ready(Ok(()))
            }),
        ));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let Poll::Ready(Err(error)) = exchange.as_mut().poll(&mut cx) else {
            panic!("an exchange outside a runtime must fail at once");
        };
        assert_eq!(error.kind(), FailureKind::Other);
        let source = error.into_source().to_string();
        assert!(source.contains("tokio runtime"), "{source}");
        assert!(!polled, "nothing is sent without a deadline");
    }

    #[test]
    fn a_timeout_too_long_to_add_never_fires() {
        runtime().block_on(async {
            let deadlines = Deadlines::new();
            let answer = deadlines.within(Duration::MAX, async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(1)
            });
            assert_eq!(answer.await.ok(), Some(1));
        });
    }

    #[test]
    fn every_exchange_of_a_group_times_out_when_it_expires() {
        runtime().block_on(async {
            let deadlines = Arc::new(Deadlines::new());
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..8 {
                let deadlines = Arc::clone(&deadlines);
                tasks.spawn(async move {
                    deadlines
                        .within(
                            Duration::from_millis(100),
                            std::future::pending::<Result<(), _>>(),
                        )
                        .await
                });
            }
            let mut timed_out = 0;
            let all = async {
                while let Some(done) = tasks.join_next().await {
                    let outcome = done.unwrap_or_else(|e| panic!("{e}"));
                    assert_eq!(outcome.err().map(|e| e.kind()), Some(FailureKind::Timeout));
                    timed_out += 1;
                }
            };
            // Paused time moves on by itself while every task waits: a group whose end is
            // never announced shows as this outer limit passing.
            tokio::time::timeout(Duration::from_secs(10), all)
                .await
                .unwrap_or_else(|_| panic!("the exchanges were not told their group expired"));
            assert_eq!(timed_out, 8);
        });
    }
}
