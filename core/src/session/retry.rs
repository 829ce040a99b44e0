//! The retry policy: `Retry-After`, capped backoff with jitter, one budget per call.

use core::time::Duration;

use super::{Call, Event, RetryReason, Session, Slot, State, Step};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::Response;
use crate::retry_after::{self, RetryAfter};
use crate::time::Instant;

impl Session {
    /// When to retry after this response, if the rules allow it and the budget has room.
    pub(super) fn retry_delay<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        response: &Response<'_>,
        now: Instant,
        idempotent: bool,
    ) -> Option<Instant> {
        let delay = match response.status() {
            429 if call.policy.no_rate_limit_wait => return None,
            429 => {
                let wait = match retry_after::read(response) {
                    RetryAfter::After(wait) if !wait.is_zero() => wait,
                    RetryAfter::After(_) | RetryAfter::Unusable => self.config.default_retry_after,
                    // Too long to hold, or a date the core cannot measure: the caller decides.
                    RetryAfter::Overflow | RetryAfter::Date(_) => return None,
                };
                let cap = call
                    .policy
                    .max_retry_after
                    .unwrap_or(self.config.max_retry_after);
                if wait > cap {
                    return None;
                }
                wait
            }
            500..=599 if idempotent => self.backoff_delay(call.retries),
            _ => return None,
        };
        self.take_retry(call)?;
        let reason = match response.status() {
            429 => RetryReason::RateLimited,
            status => RetryReason::ServerError { status },
        };
        self.note(Event::RetryScheduled {
            call: call.id,
            reason,
            delay,
            retry: call.retries,
        });
        Some(now + delay)
    }

    /// Holds every API request of the session for as long as a 429 asks (the default wait
    /// when it says nothing usable; nothing when it gives a date the core cannot measure).
    pub(super) fn close_gate(&mut self, response: &Response<'_>, now: Instant) {
        let wait = match retry_after::read(response) {
            RetryAfter::After(wait) if !wait.is_zero() => wait,
            RetryAfter::After(_) | RetryAfter::Unusable => self.config.default_retry_after,
            RetryAfter::Overflow => Duration::MAX,
            RetryAfter::Date(_) => return,
        };
        let until = now.saturating_add(wait);
        if self.gate.is_none_or(|gate| gate < until) {
            self.gate = Some(until);
            self.wake = true;
            self.note(Event::RateLimited {
                until,
                retry_after: wait,
            });
        }
    }

    /// A call that would send while the gate is closed: it waits for the gate, or ends at
    /// once with [`Error::RateLimited`] when the wait is longer than it may wait (or it may
    /// not wait at all).
    pub(super) fn gated<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        until: Instant,
        now: Instant,
    ) -> Step<E::Output> {
        let remaining = until.saturating_duration_since(now);
        let cap = call
            .policy
            .max_retry_after
            .unwrap_or(self.config.max_retry_after);
        if call.policy.no_rate_limit_wait || remaining > cap {
            self.gave_up(call, RetryReason::Gated);
            call.state = State::Finished;
            return Step::Done(Err(Error::RateLimited {
                retry_after: Some(remaining),
                retry_at: None,
            }));
        }
        call.state = State::Gated;
        Step::Wait(until)
    }

    /// Notes that a call ends with an error it was being retried for.
    pub(super) fn gave_up<E: Endpoint>(&mut self, call: &Call<E>, reason: RetryReason) {
        self.note(Event::GaveUp {
            call: call.id,
            reason,
            retries: call.retries,
        });
    }

    /// Counts one retry against the call's budget, if there is room.
    pub(super) fn take_retry<E: Endpoint>(&self, call: &mut Call<E>) -> Option<()> {
        if call.retries >= call.policy.max_retries.unwrap_or(self.config.max_retries) {
            return None;
        }
        call.retries += 1;
        Some(())
    }

    pub(super) fn back_off<E: Endpoint>(&mut self, call: &mut Call<E>, until: Instant) {
        // A call backing off its token request keeps the slot, so others keep waiting for it.
        if let Slot::Fetching { by, deadline, .. } = &mut self.slot {
            if *by == call.id {
                *deadline = until + self.config.token_wait;
            }
        }
        call.state = State::Backoff { until };
    }

    /// Capped exponential backoff for retry number `retry` (from 0), jittered down by up to half.
    pub(super) fn backoff_delay(&mut self, retry: u32) -> Duration {
        let full = self
            .config
            .backoff_base
            .saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX))
            .min(self.config.backoff_cap);
        let half_nanos = u64::try_from((full / 2).as_nanos()).unwrap_or(u64::MAX);
        let jitter = self.next_random() % half_nanos.saturating_add(1);
        full.saturating_sub(Duration::from_nanos(jitter))
    }

    /// splitmix64: small, fast, and good enough to spread retries.
    pub(super) fn next_random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
