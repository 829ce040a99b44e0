use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One page of a list, as Spotify's paging object.
///
/// `null` entries, which Spotify has sent inside pages (search results for playlists since
/// late 2024), are left out of `items` rather than failing the page; `total` and `offset`
/// still count them. Follow [`next`](Self::next) with
/// [`NextPage`](crate::endpoint::NextPage) rather than rebuilding the URL: Spotify's links
/// carry parameters of their own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page (without `null` entries).
    #[serde(deserialize_with = "skip_nulls")]
    pub items: Vec<T>,
    /// The API URL of this page.
    #[serde(default)]
    pub href: String,
    /// The largest number of items a page holds.
    #[serde(default)]
    pub limit: u32,
    /// Where this page starts in the whole list.
    #[serde(default)]
    pub offset: u32,
    /// How many items the whole list has.
    #[serde(default)]
    pub total: u32,
    /// The URL of the next page, if there is one.
    #[serde(default)]
    pub next: Option<String>,
    /// The URL of the previous page, if there is one.
    #[serde(default)]
    pub previous: Option<String>,
}

impl<T> Page<T> {
    /// A page with nothing on it and no link onward.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            href: String::new(),
            limit: 0,
            offset: 0,
            total: 0,
            next: None,
            previous: None,
        }
    }

    /// The request for the next page, if there is one: `next`, followed as given.
    pub fn next_page(&self) -> Option<crate::endpoint::NextPage<T>> {
        self.next.as_deref().map(crate::endpoint::NextPage::new)
    }
}

/// One page of a list paged by cursors rather than offsets (recently played tracks, followed
/// artists): `next` (and the `cursors`) lead on; `total` may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// The items on this page (without `null` entries).
    #[serde(deserialize_with = "skip_nulls")]
    pub items: Vec<T>,
    /// The API URL of this page.
    #[serde(default)]
    pub href: String,
    /// The largest number of items a page holds.
    #[serde(default)]
    pub limit: u32,
    /// The URL of the next page, if there is one.
    #[serde(default)]
    pub next: Option<String>,
    /// Where this page ends and starts, to ask for the pages after or before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// How many items the whole list has, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}

/// The cursors of a [`CursorPage`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Cursors {
    /// The cursor to ask for the items after this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The cursor to ask for the items before this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

impl<T> CursorPage<T> {
    /// The request for the next page, if there is one: `next`, followed as given.
    pub fn next_page(&self) -> Option<crate::endpoint::NextPage<T, Self>> {
        self.next.as_deref().map(crate::endpoint::NextPage::new)
    }
}

/// A page of a list, however it is paged: what a walk over the pages needs.
pub trait Paged: Sized {
    /// What the list holds.
    type Item;

    /// The link to the next page, if there is one.
    fn next_link(&self) -> Option<&str>;

    /// How many items the whole list holds, if the page says.
    fn total(&self) -> Option<usize>;

    /// The items on this page.
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T> Paged for Page<T> {
    type Item = T;

    fn next_link(&self) -> Option<&str> {
        self.next.as_deref()
    }

    fn total(&self) -> Option<usize> {
        usize::try_from(self.total).ok()
    }

    fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> Paged for CursorPage<T> {
    type Item = T;

    fn next_link(&self) -> Option<&str> {
        self.next.as_deref()
    }

    fn total(&self) -> Option<usize> {
        self.total.and_then(|total| usize::try_from(total).ok())
    }

    fn into_items(self) -> Vec<T> {
        self.items
    }
}

/// Reads a list, leaving out `null` entries.
fn skip_nulls<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct NonNull<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for NonNull<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(item) = seq.next_element::<Option<T>>()? {
                items.extend(item);
            }
            Ok(items)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(NonNull(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_out_null_items_and_reads_null_links() {
        let page: Page<u32> = serde_json::from_str(
            r#"{"href":"h","items":[1,null,3],"limit":3,"next":null,"offset":0,"previous":null,"total":3}"#,
        )
        .unwrap();
        assert_eq!(page.items, [1, 3]);
        assert_eq!(page.total, 3);
        assert!(page.next_page().is_none());
        let page: Page<u32> = serde_json::from_str(r#"{"items":null}"#).unwrap();
        assert!(page.items.is_empty());
    }
}
