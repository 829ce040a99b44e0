//! Walking every page of a list, as a stream.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use spotify_web_core::Endpoint;
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::model::Page;

use crate::{Client, Error};

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;

/// The items of a list, page after page, fetched as they are needed: a [`Stream`], and an
/// async [`next`](Self::next) for code without stream combinators.
///
/// Made by [`Client::items`] or [`Client::items_from`]. Each page is one call through the
/// session (token, retries and all); pages are fetched by following Spotify's `next` links.
/// After an error the stream ends.
pub struct Items<E, T> {
    client: Client,
    first: Option<E>,
    next: Option<NextPage<T>>,
    pending: Option<PageFuture<T>>,
    buffer: VecDeque<T>,
    remaining: Option<usize>,
}

// No field is pinned in place: the page being fetched lives in its own box.
impl<E, T> Unpin for Items<E, T> {}

impl<E, T> std::fmt::Debug for Items<E, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.pending.is_some())
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl<E, T> Items<E, T> {
    pub(crate) fn new(client: Client, first: Option<E>, page: Option<Page<T>>) -> Self {
        let (buffer, next) = match page {
            Some(page) => {
                let next = page.next_page();
                (page.items.into(), next)
            }
            None => (VecDeque::new(), None),
        };
        Self {
            client,
            first,
            next,
            pending: None,
            buffer,
            remaining: None,
        }
    }

    /// Stops after this many items, without fetching pages beyond them.
    #[must_use]
    pub fn max_items(mut self, max: usize) -> Self {
        self.remaining = Some(max);
        self
    }
}

impl<E, T> Items<E, T>
where
    E: Endpoint<Output = Page<T>> + Send + 'static,
    NextPage<T>: Endpoint<Output = Page<T>>,
    T: Send + 'static,
{
    /// The next item, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<E, T> Stream for Items<E, T>
where
    E: Endpoint<Output = Page<T>> + Send + 'static,
    NextPage<T>: Endpoint<Output = Page<T>>,
    T: Send + 'static,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        let this = self.get_mut();
        loop {
            if this.remaining == Some(0) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                if let Some(remaining) = &mut this.remaining {
                    *remaining -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => {
                    let client = this.client.clone();
                    let future: PageFuture<T> = if let Some(first) = this.first.take() {
                        Box::pin(async move { client.send(first).await })
                    } else if let Some(next) = this.next.take() {
                        Box::pin(async move { client.send(next).await })
                    } else {
                        return Poll::Ready(None);
                    };
                    this.pending.insert(future)
                }
            };
            match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(page)) => {
                    this.pending = None;
                    this.next = page.next_page();
                    this.buffer = page.items.into();
                    if this.buffer.is_empty() && this.next.is_none() {
                        return Poll::Ready(None);
                    }
                }
                Poll::Ready(Err(error)) => {
                    this.pending = None;
                    this.next = None;
                    this.remaining = Some(0);
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}
