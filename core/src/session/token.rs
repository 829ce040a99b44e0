//! The token slot: fetching, sharing and replacing the session's token.

use super::{Call, Session, Slot, State};
use crate::auth::AccessToken;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::Response;
use crate::time::Instant;

impl Session {
    pub(super) fn handle_token_response<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        fetch: u64,
        response: &Response<'_>,
        now: Instant,
    ) {
        if !self.is_current_fetch(fetch) {
            return self.handle_superseded_token_response(call, response, now);
        }
        if let Some(until) = self.retry_delay(call, response, now, true) {
            return self.back_off(call, until);
        }
        if let Err(error) = self.check_budget(response, "token response") {
            return self.token_failed(call, error);
        }
        match AccessToken::from_response(response, now) {
            Ok(token) => {
                self.retire_token();
                self.install_token(call, token, now);
                self.save = Some(self.generation);
            }
            Err(error) => self.token_failed(call, error),
        }
    }

    /// Makes `token` the session's, as the answer to `call`'s token request: a new
    /// generation, waiting calls woken, the call ready to send with it. A token without a
    /// refresh token keeps the session's (a refresh answer may leave it out: the old one stays
    /// good).
    pub(super) fn install_token<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        token: AccessToken,
        now: Instant,
    ) {
        let token = match token.refresh_token() {
            Some(refresh) => {
                self.refresh = Some(refresh.clone());
                token
            }
            None => token.with_refresh_token(self.refresh.clone()),
        };
        self.generation += 1;
        let lifetime = token.expires_at().saturating_duration_since(now);
        self.slot = Slot::Ready {
            token,
            generation: self.generation,
            lifetime,
        };
        self.wake = true;
        call.fetched = Some(self.generation);
        call.state = State::Ready;
    }

    /// Whether token request `fetch` is the one the slot waits for, or none is out (it was
    /// abandoned, or failed): then its answer is welcome. An answer to a request that another
    /// call took over, or that a newer token already replaced, is not.
    pub(super) fn is_current_fetch(&self, fetch: u64) -> bool {
        match self.slot {
            Slot::Fetching { fetch: current, .. } => current == fetch,
            Slot::Empty => true,
            Slot::Ready { .. } => false,
        }
    }

    /// A late answer to a token request that was superseded: it never replaces the state of
    /// the newer request or token; the call goes on with those.
    pub(super) fn handle_superseded_token_response<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        response: &Response<'_>,
        now: Instant,
    ) {
        match &self.slot {
            Slot::Ready { generation, .. } if response.is_success() => {
                // This call counts as having fetched the token it now uses.
                call.fetched = Some(*generation);
                call.state = State::Ready;
            }
            _ => match self.retry_delay(call, response, now, true) {
                Some(until) => call.state = State::Backoff { until },
                None if response.is_success() => call.state = State::Ready,
                None => {
                    let error = match AccessToken::from_response(response, now) {
                        Err(error) => error,
                        Ok(_) => Error::Misuse {
                            what: "a token answer was both a success and a failure",
                        },
                    };
                    call.state = State::Done(Err(self.redact(error)));
                }
            },
        }
    }

    /// Ends a call's token request with an error, which the calls waiting for it share.
    pub(super) fn token_failed<E: Endpoint>(&mut self, call: &mut Call<E>, error: Error) {
        let error = self.redact(error);
        if let Slot::Fetching { by, fetch, .. } = self.slot {
            if by == call.id {
                self.slot = Slot::Empty;
                self.wake = true;
                self.failed = Some((fetch, error.clone()));
            }
        }
        call.state = State::Done(Err(error));
    }

    /// Keeps the current token's value aside before it is replaced or dropped (the last
    /// [`MAX_RETIRED`](super::MAX_RETIRED) of them).
    pub(super) fn retire_token(&mut self) {
        if let Slot::Ready { token, .. } = &self.slot {
            if self
                .retired
                .back()
                .is_some_and(|last| last == token.secret())
            {
                return;
            }
            if self.retired.len() == super::MAX_RETIRED {
                self.retired.pop_front();
            }
            self.retired.push_back(token.secret().into());
        }
    }

    pub(super) fn release_slot<E: Endpoint>(&mut self, call: &Call<E>) {
        if matches!(self.slot, Slot::Fetching { by, .. } if by == call.id) {
            self.slot = Slot::Empty;
            self.wake = true;
        }
    }
}
