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
    /// The request for the next page, if there is one: `next`, followed as given.
    pub fn next_page(&self) -> Option<crate::endpoint::NextPage<T>> {
        self.next.as_deref().map(crate::endpoint::NextPage::new)
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
