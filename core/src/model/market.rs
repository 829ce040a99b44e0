use alloc::string::String;
use core::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// The markets (ISO 3166-1 alpha-2 codes) where an album or track is available.
///
/// Spotify lists up to ~185 codes per album and per track; they are kept in one buffer rather
/// than as a `String` each, which makes a full album parse several times cheaper. Reads and
/// writes as a JSON list of strings, like Spotify's; `null` or absent is empty.
///
/// ```
/// use spotify_web_core::model::Markets;
///
/// let markets: Markets = serde_json::from_str(r#"["SE","NO","GB"]"#)?;
/// assert_eq!(markets.len(), 3);
/// assert!(markets.contains("NO"));
/// assert_eq!(markets.iter().collect::<Vec<_>>(), ["SE", "NO", "GB"]);
/// assert_eq!(serde_json::to_string(&markets)?, r#"["SE","NO","GB"]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Markets {
    /// The codes, each followed by a `,`.
    codes: String,
    len: usize,
}

impl Markets {
    /// The codes, in Spotify's order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.codes.split_terminator(',')
    }

    /// How many markets there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none (also when Spotify left the list out).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether this market is listed.
    pub fn contains(&self, code: &str) -> bool {
        self.iter().any(|c| c == code)
    }
}

impl fmt::Debug for Markets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Markets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for code in self.iter() {
            seq.serialize_element(code)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Markets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MarketsVisitor)
    }
}

struct MarketsVisitor;

impl<'de> Visitor<'de> for MarketsVisitor {
    type Value = Markets;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of market codes")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Markets, E> {
        Ok(Markets::default())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Markets, E> {
        Ok(Markets::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Markets, A::Error> {
        let mut markets = Markets {
            codes: String::with_capacity(seq.size_hint().unwrap_or(0) * 3),
            len: 0,
        };
        while seq.next_element_seed(Append(&mut markets.codes))?.is_some() {
            markets.len += 1;
        }
        Ok(markets)
    }
}

/// Appends one code (and its `,`) to the buffer, borrowed or not, without a `String` of its own.
struct Append<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Append<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a market code")
    }

    fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<(), E> {
        if code.contains(',') {
            return Err(E::custom("a market code cannot contain a comma"));
        }
        self.0.push_str(code);
        self.0.push(',');
        Ok(())
    }
}
