//! Walking every page of a list.

use std::collections::VecDeque;

use spotify_web_core::Endpoint;
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::model::Page;

use crate::{Client, Error};

/// The items of a list, page after page, fetched as they are needed.
///
/// Made by [`Client::items`] or [`Client::items_from`]. Each page is one call through the
/// session (token, retries and all); pages are fetched by following Spotify's `next` links.
/// After an error the iterator ends.
#[derive(Debug)]
pub struct Items<'a, E, T> {
    client: &'a Client,
    first: Option<E>,
    next: Option<NextPage<T>>,
    buffer: VecDeque<T>,
    remaining: Option<usize>,
}

impl<'a, E, T> Items<'a, E, T> {
    pub(crate) fn new(client: &'a Client, first: Option<E>, page: Option<Page<T>>) -> Self {
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

impl<E, T> Iterator for Items<'_, E, T>
where
    E: Endpoint<Output = Page<T>>,
    NextPage<T>: Endpoint<Output = Page<T>>,
{
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        if self.remaining == Some(0) {
            return None;
        }
        while self.buffer.is_empty() {
            let page = if let Some(first) = self.first.take() {
                self.client.send(first)
            } else {
                self.client.send(self.next.take()?)
            };
            match page {
                Ok(page) => {
                    self.next = page.next_page();
                    self.buffer = page.items.into();
                    if self.buffer.is_empty() && self.next.is_none() {
                        return None;
                    }
                }
                Err(error) => {
                    self.next = None;
                    self.remaining = Some(0);
                    return Some(Err(error));
                }
            }
        }
        if let Some(remaining) = &mut self.remaining {
            *remaining -= 1;
        }
        self.buffer.pop_front().map(Ok)
    }
}
