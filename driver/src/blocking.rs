//! The blocking client, over any [`Transport`].

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Condvar};

use spotify_web_core::access::{Access, App, SendableAs, User};
use spotify_web_core::auth::{AuthorizationCode, PkceVerifier, RedirectUri};
use spotify_web_core::endpoint::{CursorWalk, Endpoint, NextPage, Pages};
use spotify_web_core::model::Paged;
use spotify_web_core::session::{Policy, Step};

use crate::Error;
use crate::gate::{Gate, RateLimitGate};
use crate::shared::{self, Shared};
use crate::trace::CallTrace;
use crate::transport::Transport;

/// The kind of [`Builder`] that builds a blocking [`Client`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Blocking;

/// Settings for a blocking [`Client`] with the access `A`.
pub type Builder<T, A = App> = shared::Builder<T, Blocking, A>;

impl<T: Transport, A: Access> Builder<T, A> {
    /// Builds the client. For a user (see [`Client::user_builder`]), the session starts from
    /// the token the store holds.
    ///
    /// # Errors
    ///
    /// If the transport cannot be made; for a user,
    /// [`spotify_web_core::Error::LoginRequired`] if the store holds no token (sign the user
    /// in with [`login`](Self::login)), [`Error::TokenStore`] if it cannot be read.
    pub fn build(mut self) -> Result<Client<T, A>, Error> {
        let transport = self.take_transport(T::with_settings)?;
        Ok(Client::assemble(transport, self.shared()?))
    }
}

impl<T, A: Access> Builder<T, A> {
    /// Shares rate limits with every process of the app through `gate` (see
    /// [`gate`](crate::gate)): a 429 this client gets closes it for its `Retry-After`, and
    /// while it is closed this client sends nothing to the API. It costs one read of the gate
    /// before each request.
    #[must_use]
    pub fn rate_limit_gate(mut self, gate: impl RateLimitGate) -> Self {
        self.gate = Some(Gate::Blocking(Box::new(gate)));
        self
    }
}

impl<T: Transport> Builder<T, User> {
    /// Signs a user in: exchanges the code from the callback for tokens, saves them to the
    /// store, and builds the client. One attempt: a code works once, so it is taken by value.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] with the accounts service's refusal (such as `invalid_grant`), or
    /// [`spotify_web_core::Error::InvalidArgument`] if this builder is not for a user or a
    /// PKCE app gives no verifier; transport errors as for any call; [`Error::TokenStore`] if
    /// the tokens cannot be saved.
    pub fn login(
        mut self,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<Client<T, User>, Error> {
        let transport = self.take_transport(T::with_settings)?;
        let epoch = std::time::Instant::now();
        let (request, login) = self.start_login(code, redirect, verifier)?;
        let answer = transport.send(request, login.limits);
        let shared = login.finish(answer, epoch)?;
        Ok(Client::assemble(transport, shared))
    }
}

/// A blocking client for the Spotify Web API, over the transport `T`, holding an app's token
/// ([`App`], the default) or a user's ([`User`]).
///
/// It is `Clone + Send + Sync`: clones share one transport (one connection pool) and one
/// session, and calls from many threads cause one token request between them.
///
/// The access decides what compiles: an [`App`] client sends only the endpoints that need no
/// user ([`AppToken`](spotify_web_core::access::AppToken)).
///
/// ```compile_fail,E0277
/// use spotify_web_core::endpoint::GetCurrentUser;
/// use spotify_web_driver::{Transport, blocking::Client};
///
/// fn profile<T: Transport>(app: Client<T>) {
///     // An app's token has no user: Spotify would answer 401, and this does not compile.
///     let _ = app.send(GetCurrentUser::new());
/// }
/// ```
pub struct Client<T, A = App> {
    inner: Arc<Inner<T>>,
    access: PhantomData<fn() -> A>,
}

struct Inner<T> {
    transport: T,
    shared: Shared,
    /// Signalled whenever the session asks to wake waiting calls.
    changed: Condvar,
}

impl<T, A> Clone for Client<T, A> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            access: PhantomData,
        }
    }
}

impl<T, A> fmt::Debug for Client<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("session", &*self.inner.shared.lock())
            .finish_non_exhaustive()
    }
}

impl<T: Transport> Client<T, App> {
    shared::app_constructors!();
}

impl<T: Transport> Client<T, User> {
    shared::user_constructors!();
}

impl<T: Transport, A: Access> Client<T, A> {
    fn assemble(transport: T, shared: Shared) -> Self {
        Self {
            inner: Arc::new(Inner {
                transport,
                shared,
                changed: Condvar::new(),
            }),
            access: PhantomData,
        }
    }

    /// The transport, as the client was built with it.
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends any endpoint of the core and returns its typed answer, after the token requests,
    /// waits and retries the session asks for.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] for what Spotify or the session reports; the other variants for
    /// transport failures that outlasted the retry policy or cannot be retried.
    pub fn send<E: SendableAs<A>>(&self, endpoint: E) -> Result<E::Output, Error> {
        self.inner.send_with(endpoint, Policy::default())
    }

    /// As [`send`](Self::send), with this call's own retry rules ([`Policy`]): fail fast on
    /// an interactive request, or wait longer in a background job.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub fn send_with<E: SendableAs<A>>(
        &self,
        endpoint: E,
        policy: Policy,
    ) -> Result<E::Output, Error> {
        self.inner.send_with(endpoint, policy)
    }

    /// Every item of a paged list, starting with `endpoint`'s page and following `next` links.
    pub fn items<E>(&self, endpoint: E) -> Items<'_, T, E>
    where
        E: SendableAs<A>,
        E::Output: Paged,
    {
        Items {
            inner: &self.inner,
            pages: Pages::new(endpoint),
            buffer: VecDeque::new(),
        }
    }

    /// Every item of a list paged by cursors, each request made by the endpoint from the
    /// page before it ([`CursorWalk`]): recently played tracks walked back in time (from
    /// `GetRecentlyPlayed::new()` or `before`), forward (from `after`), or back to a time
    /// (`GetRecentlyPlayed::since`).
    pub fn walk<E>(&self, endpoint: E) -> Items<'_, T, E>
    where
        E: CursorWalk + SendableAs<A> + Clone,
        E::Output: Paged,
    {
        Items {
            inner: &self.inner,
            pages: Pages::walk(endpoint),
            buffer: VecDeque::new(),
        }
    }

    /// Every item of a paged list from a page already in hand (a search result's, say),
    /// then the pages after it.
    pub fn items_from<P>(&self, page: P) -> Items<'_, T, NextPage<P::Item, P>>
    where
        P: Paged,
        NextPage<P::Item, P>: Endpoint<Output = P>,
    {
        let mut pages = Pages::after(&page);
        let buffer = pages.take(page).into();
        Items {
            inner: &self.inner,
            pages,
            buffer,
        }
    }
}

impl<T: Transport> Inner<T> {
    /// Drives one call through the session to its end (what every `send` does).
    fn send_with<E: Endpoint>(&self, endpoint: E, policy: Policy) -> Result<E::Output, Error> {
        let Self {
            transport,
            shared,
            changed,
        } = self;
        let mut session = shared.lock();
        let mut call = session.call(endpoint).with_policy(policy);
        let mut trace = CallTrace::new::<E>(call.id());
        let mut last = None;
        loop {
            if let Some(gate) = &shared.gate {
                // Another instance's 429 holds this one too: read the gate unlocked.
                drop(session);
                let remaining = gate.closed_for();
                session = shared.lock();
                shared.hold(&mut session, remaining);
            }
            match session.poll(&mut call, shared.now()) {
                Step::Send(request) => {
                    drop(session);
                    let renewal = match shared.store.as_ref() {
                        Some(store) if call.is_fetching_token() => match store.begin_renewal() {
                            Ok(stored) => Some((store, stored)),
                            Err(error) => {
                                self.abandon(&mut call);
                                trace.finished(false);
                                return Err(Error::TokenStore(error));
                            }
                        },
                        _ => None,
                    };
                    let (store, stored) = renewal.unzip();
                    if let Some(mut duties) = shared.renewed_elsewhere(&mut call, stored.flatten())
                    {
                        end_renewal(store);
                        if duties.wake {
                            changed.notify_all();
                        }
                        shared.save(&mut duties)?;
                        session = shared.lock();
                        continue;
                    }
                    let outcome = match shared::to_http(request) {
                        Ok(request) => {
                            let exchange = trace.start(&request);
                            let outcome = transport.send(request, shared.limits);
                            trace.answered(exchange, &outcome);
                            outcome
                        }
                        Err(error) => {
                            end_renewal(store);
                            self.abandon(&mut call);
                            trace.finished(false);
                            return Err(error);
                        }
                    };
                    session = shared.lock();
                    let mut duties = shared.report(&mut session, &mut call, outcome, &mut last);
                    drop(session);
                    if duties.wake {
                        changed.notify_all();
                    }
                    let saved = shared.save(&mut duties);
                    end_renewal(store);
                    saved?;
                    session = shared.lock();
                }
                Step::Wait(until) => {
                    let timeout = until.saturating_duration_since(shared.now());
                    session = changed
                        .wait_timeout(session, timeout)
                        .map(|(guard, _)| guard)
                        .unwrap_or_else(|poisoned| poisoned.into_inner().0);
                }
                Step::Done(result) => {
                    trace.finished(result.is_ok());
                    return result.map_err(|error| shared.end(error, last));
                }
            }
        }
    }

    /// Gives up on a call that cannot go on, waking the calls that waited for its token.
    fn abandon<E: Endpoint>(&self, call: &mut spotify_web_core::session::Call<E>) {
        let mut session = self.shared.lock();
        session.abandon(call);
        let duties = self.shared.duties(&mut session);
        drop(session);
        if duties.wake {
            self.changed.notify_all();
        }
    }
}

/// Releases the store's renewal lock, if this exchange took it.
fn end_renewal(store: Option<&crate::store::SessionStore>) {
    if let Some(Err(error)) = store.map(crate::store::SessionStore::end_renewal) {
        crate::trace::unlock_failed(&*error);
    }
}

/// The items of a list, page after page, fetched as they are needed.
///
/// Made by [`Client::items`] or [`Client::items_from`]. Each page is one call through the
/// session (token, retries and all). After an error the iterator ends. `size_hint` tells
/// what the pages' `total` says.
pub struct Items<'a, T, E: Endpoint>
where
    E::Output: Paged,
{
    inner: &'a Inner<T>,
    pages: Pages<E, E::Output>,
    buffer: VecDeque<<E::Output as Paged>::Item>,
}

impl<T, E: Endpoint + fmt::Debug> fmt::Debug for Items<'_, T, E>
where
    E::Output: Paged,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<T, E: Endpoint> Items<'_, T, E>
where
    E::Output: Paged,
{
    /// Stops after this many items, without fetching pages beyond them.
    #[must_use]
    pub fn max_items(mut self, max: usize) -> Self {
        self.buffer.truncate(max);
        self.pages.limit(max - self.buffer.len());
        self
    }

    /// How many items the list holds, as its pages say, within `max_items`.
    pub fn total(&self) -> Option<usize> {
        self.pages.total()
    }
}

impl<T, E> Iterator for Items<'_, T, E>
where
    T: Transport,
    E: Endpoint,
    E::Output: Paged,
    NextPage<<E::Output as Paged>::Item, E::Output>: Endpoint<Output = E::Output>,
{
    type Item = Result<<E::Output as Paged>::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.buffer.is_empty() {
            let request = self.pages.next_request()?;
            match self.inner.send_with(request, Policy::default()) {
                Ok(page) => self.buffer = self.pages.take(page).into(),
                Err(error) => {
                    self.pages.stop();
                    return Some(Err(error));
                }
            }
        }
        self.buffer.pop_front().map(Ok)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (_, more) = self.pages.size_hint();
        let here = self.buffer.len();
        (here, more.map(|more| more + here))
    }
}
