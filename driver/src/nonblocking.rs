//! The async client, over any [`AsyncTransport`], on any runtime the transport brings.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use futures_core::Stream;
use spotify_web_core::access::{Access, App, SendableAs, User};
use spotify_web_core::auth::{AuthorizationCode, PkceVerifier, RedirectUri};
use spotify_web_core::endpoint::{CursorWalk, Endpoint, NextPage, PageRequest, Pages};
use spotify_web_core::model::Paged;
use spotify_web_core::session::{Call, Policy, Step};
use tokio::sync::Notify;

use crate::Error;
use crate::gate::{AsyncRateLimitGate, Gate};
use crate::shared::{self, Shared};
use crate::store::AsyncTokenStore;
use crate::trace::CallTrace;
use crate::transport::AsyncTransport;

/// The kind of [`Builder`] that builds an async [`Client`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Async;

/// Settings for an async [`Client`] with the access `A`.
pub type Builder<T, A = App> = shared::Builder<T, Async, A>;

impl<T: AsyncTransport, A: Access> Builder<T, A> {
    /// Builds the client. It needs no runtime until its first call. For a user (see
    /// [`Client::user_builder`]), the session starts from the token the store holds.
    ///
    /// # Errors
    ///
    /// If the transport cannot be made; for a user,
    /// [`spotify_web_core::Error::LoginRequired`] if the store holds no token (sign the user
    /// in with [`login`](Self::login)), [`Error::TokenStore`] if it cannot be read. An async
    /// store ([`Client::user_builder_async_store`]) cannot be read without awaiting: `build`
    /// refuses it with [`Error::TokenStore`], and [`build_async`](Self::build_async) reads it.
    pub fn build(mut self) -> Result<Client<T, A>, Error> {
        let transport = self.take_transport(T::with_settings)?;
        Ok(Client::assemble(transport, self.shared()?))
    }

    /// Builds the client, reading the user's token from an async store
    /// ([`Client::user_builder_async_store`]) without blocking; with any other store it is
    /// [`build`](Self::build).
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build).
    pub async fn build_async(mut self) -> Result<Client<T, A>, Error> {
        let transport = self.take_transport(T::with_settings)?;
        Ok(Client::assemble(transport, self.shared_async().await?))
    }

    /// Shares rate limits with every process of the app through `gate` (see
    /// [`gate`](crate::gate)), as the blocking
    /// [`Builder::rate_limit_gate`](crate::blocking::Builder::rate_limit_gate) does.
    #[must_use]
    pub fn rate_limit_gate(mut self, gate: impl AsyncRateLimitGate) -> Self {
        self.gate = Some(Gate::Async(Box::new(gate)));
        self
    }
}

impl<T: AsyncTransport> Builder<T, User> {
    /// Signs a user in: exchanges the code from the callback for tokens, saves them to the
    /// store, and builds the client. One attempt: a code works once, so it is taken by value.
    ///
    /// # Errors
    ///
    /// As the blocking [`Builder::login`](crate::blocking::Builder::login).
    pub async fn login(
        mut self,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<Client<T, User>, Error> {
        let transport = self.take_transport(T::with_settings)?;
        let epoch = std::time::Instant::now();
        let (request, login) = self.start_login(code, redirect, verifier)?;
        let answer = transport.send(request, login.limits).await;
        let shared = login.finish_async(answer, epoch).await?;
        Ok(Client::assemble(transport, shared))
    }
}

/// An async client for the Spotify Web API, over the transport `T`.
///
/// It is `Clone + Send + Sync` and cheap to clone: clones share one transport (one connection
/// pool) and one session, and concurrent calls that find no token cause one token request.
/// Dropping a call's future abandons it cleanly.
///
/// It holds an app's token ([`App`], the default) or a user's ([`User`]), and an [`App`]
/// client sends only the endpoints that need no user
/// ([`AppToken`](spotify_web_core::access::AppToken)):
///
/// ```compile_fail,E0277
/// use spotify_web_core::endpoint::GetCurrentUser;
/// use spotify_web_driver::{AsyncTransport, nonblocking::Client};
///
/// async fn profile<T: AsyncTransport>(app: Client<T>) {
///     // An app's token has no user: Spotify would answer 401, and this does not compile.
///     let _ = app.send(GetCurrentUser::new()).await;
/// }
/// ```
pub struct Client<T, A = App> {
    inner: Arc<Inner<T>>,
    access: PhantomData<fn() -> A>,
}

struct Inner<T> {
    transport: T,
    shared: Shared,
    /// Woken whenever the session asks to wake waiting calls.
    changed: Notify,
    /// How many calls are waiting on `changed`: a report skips the wake-up when none are.
    waiting: AtomicUsize,
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

impl<T: AsyncTransport> Client<T, App> {
    shared::app_constructors!();
}

impl<T: AsyncTransport> Client<T, User> {
    shared::user_constructors!();

    /// Settings for a client acting for a user, whose tokens an async store keeps (Redis, a
    /// database): build it from a saved login with [`Builder::build_async`], or sign the user
    /// in with [`Builder::login`].
    pub fn user_builder_async_store(
        user: spotify_web_core::auth::UserClient,
        store: impl AsyncTokenStore,
    ) -> Builder<T, User> {
        Builder::with_grant(shared::user_grant_async(user, store))
    }
}

impl<T: AsyncTransport, A: Access> Client<T, A> {
    fn assemble(transport: T, shared: Shared) -> Self {
        Self {
            inner: Arc::new(Inner {
                transport,
                shared,
                changed: Notify::new(),
                waiting: AtomicUsize::new(0),
            }),
            access: PhantomData,
        }
    }

    /// The transport, as the client was built with it.
    pub fn transport(&self) -> &T {
        &self.inner.transport
    }

    /// Sends any endpoint of the core and returns its typed answer, after the token requests,
    /// waits and retries the session asks for. Dropping the future abandons the call cleanly.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] for what Spotify or the session reports; the other variants for
    /// transport failures that outlasted the retry policy or cannot be retried.
    // Not an `async fn` around `send_with`: the call's future (a few kilobytes) is then not
    // moved into a second one on every call.
    pub fn send<E: SendableAs<A>>(
        &self,
        endpoint: E,
    ) -> impl Future<Output = Result<E::Output, Error>> {
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
    ) -> impl Future<Output = Result<E::Output, Error>> {
        self.inner.send_with(endpoint, policy)
    }

    /// Every item of a paged list, starting with `endpoint`'s page and following `next`
    /// links, as a stream (or with [`Items::next`]).
    pub fn items<E>(&self, endpoint: E) -> Items<T, E>
    where
        E: SendableAs<A>,
        E::Output: Paged,
    {
        Items {
            inner: Arc::clone(&self.inner),
            pages: Pages::new(endpoint),
            buffer: VecDeque::new(),
            pending: None,
        }
    }

    /// Every item of a list paged by cursors, each request made by the endpoint from the
    /// page before it ([`CursorWalk`]): recently played tracks walked back in time (from
    /// `GetRecentlyPlayed::new()` or `before`), forward (from `after`), or back to a time
    /// (`GetRecentlyPlayed::since`).
    pub fn walk<E>(&self, endpoint: E) -> Items<T, E>
    where
        E: CursorWalk + SendableAs<A> + Clone,
        E::Output: Paged,
    {
        Items {
            inner: Arc::clone(&self.inner),
            pages: Pages::walk(endpoint),
            buffer: VecDeque::new(),
            pending: None,
        }
    }

    /// Every item of a paged list from a page already in hand (a search result's, say),
    /// then the pages after it.
    pub fn items_from<P>(&self, page: P) -> Items<T, NextPage<P::Item, P>>
    where
        P: Paged,
        NextPage<P::Item, P>: Endpoint<Output = P>,
    {
        let mut pages = Pages::after(&page);
        let buffer = pages.take(page).into();
        Items {
            inner: Arc::clone(&self.inner),
            pages,
            buffer,
            pending: None,
        }
    }
}

impl<T: AsyncTransport> Inner<T> {
    /// Drives one call through the session to its end (what every `send` does).
    async fn send_with<E: Endpoint>(
        &self,
        endpoint: E,
        policy: Policy,
    ) -> Result<E::Output, Error> {
        let inner = self;
        let shared = &inner.shared;
        // Locals that outlive an `.await` are kept in the call's future: built in place and
        // moved out of before awaiting, they keep it small (it is copied as it is polled).
        let mut call = Abandon {
            inner,
            call: shared.lock().call(endpoint).with_policy(policy),
        };
        let mut trace = CallTrace::new::<E>(call.call.id());
        let mut last = None;
        loop {
            let remaining = match &shared.gate {
                Some(gate) => gate.closed_for_async().await,
                None => None,
            };
            let changed = inner.changed.notified();
            let mut changed = pin!(changed);
            // The step lives in a block of its own: in the loop's scope it would keep its
            // room in the call's future through the exchange.
            let request = {
                let step = {
                    let mut session = shared.lock();
                    shared.hold(&mut session, remaining);
                    let step = session.poll(&mut call.call, shared.now());
                    // Listen before unlocking, so a report made after this look wakes the wait.
                    // Only waiting calls listen: registering every call costs every report.
                    if matches!(step, Step::Wait(_)) {
                        changed.as_mut().enable();
                        inner.waiting.fetch_add(1, Ordering::SeqCst);
                    }
                    step
                };
                match step {
                    Step::Send(request) => request,
                    Step::Wait(until) => {
                        let _waiting = Waiting(&inner.waiting);
                        let timeout = until.saturating_duration_since(shared.now());
                        let mut sleep = pin!(inner.transport.sleep(timeout));
                        std::future::poll_fn(|cx| {
                            if sleep.as_mut().poll(cx).is_ready()
                                || changed.as_mut().poll(cx).is_ready()
                            {
                                Poll::Ready(())
                            } else {
                                Poll::Pending
                            }
                        })
                        .await;
                        continue;
                    }
                    Step::Done(result) => {
                        trace.finished(result.is_ok());
                        return result.map_err(|error| shared.end(error, last));
                    }
                }
            };
            // A renewal takes the store's lock (which expires by itself, should this future
            // be dropped before it ends).
            let store = shared
                .store
                .as_ref()
                .filter(|_| call.call.is_fetching_token());
            let stored = match store {
                Some(store) => match store.begin_renewal_async().await {
                    Ok(stored) => stored,
                    Err(error) => {
                        trace.finished(false);
                        return Err(Error::TokenStore(error));
                    }
                },
                None => None,
            };
            if let Some(mut duties) = shared.renewed_elsewhere(&mut call.call, stored) {
                end_renewal(store).await;
                if duties.wake {
                    inner.wake_waiters();
                }
                shared.save_async(&mut duties).await?;
                continue;
            }
            let (exchange, sending) = match shared::to_http(request) {
                // In a block of its own, the request leaves no room behind in this future.
                Ok(request) => (
                    trace.start(&request),
                    inner.transport.send(request, shared.limits),
                ),
                Err(error) => {
                    end_renewal(store).await;
                    trace.finished(false);
                    return Err(error);
                }
            };
            // The answer and what it asks for live in blocks of their own: kept in scope,
            // their room in this future could not be shared with the exchange's.
            let saved = {
                let mut duties = {
                    let outcome = sending.await;
                    trace.answered(exchange, &outcome);
                    let mut session = shared.lock();
                    shared.report(&mut session, &mut call.call, outcome, &mut last)
                };
                if duties.wake {
                    inner.wake_waiters();
                }
                // Most answers leave nothing to save or publish: no future is made for them.
                if duties.is_empty() {
                    Ok(())
                } else {
                    shared.save_async(&mut duties).await
                }
            };
            end_renewal(store).await;
            saved?;
        }
    }
}

impl<T> Inner<T> {
    /// Wakes the calls waiting for a report, if any. A waiting call counts itself (and starts
    /// listening) before it unlocks the session, so a report that follows its look sees it.
    fn wake_waiters(&self) {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.changed.notify_waiters();
        }
    }
}

/// Releases the store's renewal lock, if this exchange took it.
async fn end_renewal(store: Option<&crate::store::SessionStore>) {
    if let Some(store) = store {
        if let Err(error) = store.end_renewal_async().await {
            crate::trace::unlock_failed(&*error);
        }
    }
}

/// Abandons a call that did not finish (its future was dropped), so that a token request it
/// had in flight stops holding up the other calls.
struct Abandon<'a, T, E: Endpoint> {
    inner: &'a Inner<T>,
    call: Call<E>,
}

impl<T, E: Endpoint> Drop for Abandon<'_, T, E> {
    fn drop(&mut self) {
        if !self.call.is_finished() {
            let duties = {
                let mut session = self.inner.shared.lock();
                session.abandon(&mut self.call);
                self.inner.shared.duties(&mut session)
            };
            if duties.wake {
                self.inner.wake_waiters();
            }
        }
    }
}

/// Counts a call as waiting for as long as it is, even if its future is dropped meanwhile.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<P, Error>> + Send>>;

/// The items of a list, page after page, fetched as they are needed: a [`Stream`], or
/// [`next`](Self::next) in a loop.
///
/// Made by [`Client::items`] or [`Client::items_from`]. Each page is one call through the
/// session (token, retries and all). After an error the stream ends. `size_hint` tells what
/// the pages' `total` says.
pub struct Items<T, E: Endpoint>
where
    E::Output: Paged,
{
    inner: Arc<Inner<T>>,
    pages: Pages<E, E::Output>,
    buffer: VecDeque<<E::Output as Paged>::Item>,
    /// The page being fetched, in its own box.
    pending: Option<PageFuture<E::Output>>,
}

// No field is pinned in place: the page being fetched lives in its own box.
impl<T, E: Endpoint> Unpin for Items<T, E> where E::Output: Paged {}

impl<T, E: Endpoint + fmt::Debug> fmt::Debug for Items<T, E>
where
    E::Output: Paged,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, E: Endpoint> Items<T, E>
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

impl<T, E> Items<T, E>
where
    T: AsyncTransport,
    E: Endpoint + Send + 'static,
    E::Output: Paged + Send + 'static,
    NextPage<<E::Output as Paged>::Item, E::Output>: Endpoint<Output = E::Output>,
    <E::Output as Paged>::Item: Send + 'static,
{
    /// The next item, or `None` at the end of the list (or after an error).
    pub async fn next(&mut self) -> Option<Result<<E::Output as Paged>::Item, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T, E> Stream for Items<T, E>
where
    T: AsyncTransport,
    E: Endpoint + Send + 'static,
    E::Output: Paged + Send + 'static,
    NextPage<<E::Output as Paged>::Item, E::Output>: Endpoint<Output = E::Output>,
    <E::Output as Paged>::Item: Send + 'static,
{
    type Item = Result<<E::Output as Paged>::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => {
                    let Some(request) = this.pages.next_request() else {
                        return Poll::Ready(None);
                    };
                    let inner = Arc::clone(&this.inner);
                    let future: PageFuture<E::Output> = Box::pin(async move {
                        let request: PageRequest<E, E::Output> = request;
                        inner.send_with(request, Policy::default()).await
                    });
                    this.pending.insert(future)
                }
            };
            let page = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.pending = None;
            match page {
                Ok(page) => this.buffer = this.pages.take(page).into(),
                Err(error) => {
                    this.pages.stop();
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (_, more) = self.pages.size_hint();
        let here = self.buffer.len();
        (here, more.map(|more| more + here))
    }
}
