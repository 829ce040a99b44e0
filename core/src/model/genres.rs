use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// How many genres are placed without an allocation of their own for where they end: more
/// than any recorded artist has.
const INLINE: usize = 8;

/// The genres Spotify associates with an artist, such as `art rock`.
///
/// Kept in one buffer rather than as a `String` each: an artist's parse makes one allocation
/// for its genres instead of one per genre and the list's growth (Spotify lists up to about a
/// dozen). Reads and writes as a JSON list of strings, like Spotify's; `null` or absent is
/// empty.
///
/// ```
/// use spotify_web_core::model::Genres;
///
/// let genres: Genres = serde_json::from_str(r#"["art rock","permanent wave"]"#)?;
/// assert_eq!(genres.len(), 2);
/// assert!(genres.contains("art rock"));
/// assert_eq!(genres.get(1), Some("permanent wave"));
/// assert_eq!(genres.join(", "), "art rock, permanent wave");
/// assert_eq!(genres.iter().collect::<Vec<_>>(), ["art rock", "permanent wave"]);
/// assert_eq!(serde_json::to_string(&genres)?, r#"["art rock","permanent wave"]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Genres {
    /// The genres, one after the other.
    text: String,
    /// Where each of the first [`INLINE`] genres ends in `text`.
    ends: [u32; INLINE],
    /// Where each genre after those ends.
    more: Vec<u32>,
    len: usize,
}

impl Genres {
    /// The genres, in Spotify's order.
    pub fn iter(&self) -> GenresIter<'_> {
        GenresIter {
            genres: self,
            front: 0,
            back: self.len,
        }
    }

    /// How many genres there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none (also when Spotify left the list out).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The genre at `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        (index < self.len).then(|| self.at(index))
    }

    /// Whether this genre is listed.
    pub fn contains(&self, genre: &str) -> bool {
        self.iter().any(|g| g == genre)
    }

    /// The genres with `separator` between them, as `[String]::join` would.
    pub fn join(&self, separator: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + separator.len() * self.len);
        for (i, genre) in self.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(genre);
        }
        out
    }

    fn end(&self, index: usize) -> usize {
        let end = match self.ends.get(index) {
            Some(end) => *end,
            None => self.more[index - INLINE],
        };
        end as usize
    }

    fn at(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.end(index - 1) };
        &self.text[start..self.end(index)]
    }

    /// Appends a genre. A buffer past 4 GiB is refused (no answer is near it).
    fn push(&mut self, genre: &str) -> Result<(), &'static str> {
        if self.text.capacity() == 0 {
            // One allocation for a whole usual list (Radiohead's six take 65 bytes).
            self.text.reserve(genre.len().max(96));
        }
        self.text.push_str(genre);
        let end = u32::try_from(self.text.len()).map_err(|_| "the genres are too long")?;
        match self.ends.get_mut(self.len) {
            Some(slot) => *slot = end,
            None => self.more.push(end),
        }
        self.len += 1;
        Ok(())
    }
}

impl<S: AsRef<str>> FromIterator<S> for Genres {
    fn from_iter<I: IntoIterator<Item = S>>(genres: I) -> Self {
        let mut out = Self::default();
        for genre in genres {
            // Only a list longer than 4 GiB is refused; such a list is not built by hand.
            let _ = out.push(genre.as_ref());
        }
        out
    }
}

impl<'a> IntoIterator for &'a Genres {
    type Item = &'a str;
    type IntoIter = GenresIter<'a>;

    fn into_iter(self) -> GenresIter<'a> {
        self.iter()
    }
}

/// The genres of a [`Genres`], in order (from [`Genres::iter`]).
#[derive(Debug, Clone)]
pub struct GenresIter<'a> {
    genres: &'a Genres,
    front: usize,
    back: usize,
}

impl<'a> Iterator for GenresIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        Some(self.genres.at(self.front - 1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for GenresIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        Some(self.genres.at(self.back))
    }
}

impl ExactSizeIterator for GenresIter<'_> {}

impl<S: AsRef<str>> PartialEq<[S]> for Genres {
    fn eq(&self, other: &[S]) -> bool {
        self.len == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for Genres {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Genres {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for Genres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Genres {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for genre in self.iter() {
            seq.serialize_element(genre)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Genres {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(GenresVisitor)
    }
}

struct GenresVisitor;

impl<'de> Visitor<'de> for GenresVisitor {
    type Value = Genres;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of genres")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Genres, E> {
        Ok(Genres::default())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Genres, E> {
        Ok(Genres::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Genres, A::Error> {
        let mut genres = Genres::default();
        while seq.next_element_seed(Append(&mut genres))?.is_some() {}
        Ok(genres)
    }
}

/// Appends one genre to the buffer, borrowed or not, without a `String` of its own.
struct Append<'a>(&'a mut Genres);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Append<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a genre")
    }

    fn visit_str<E: serde::de::Error>(self, genre: &str) -> Result<(), E> {
        self.0.push(genre).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_any_number_of_genres_with_any_characters_in_order() {
        let many: Vec<String> = (0..20)
            .map(|i| alloc::format!("genre, \"{i}\"\u{0}é"))
            .collect();
        let json = serde_json::to_string(&many).unwrap();
        let genres: Genres = serde_json::from_str(&json).unwrap();
        assert_eq!(genres.len(), 20);
        assert_eq!(genres.iter().collect::<Vec<_>>(), many);
        assert_eq!(genres, many);
        assert_ne!(genres, many[..19]);
        assert_eq!(genres.iter().next_back(), Some(many[19].as_str()));
        assert_eq!(genres.iter().len(), 20);
        assert_eq!(genres.get(19), Some(many[19].as_str()));
        assert_eq!(genres.get(20), None);
        assert_eq!(serde_json::to_string(&genres).unwrap(), json);
        assert_eq!(genres, many.iter().collect::<Genres>());
        assert_eq!(genres.join("|"), many.join("|"));
        // An empty genre is a genre.
        let odd: Genres = serde_json::from_str(r#"["", "rock", ""]"#).unwrap();
        assert_eq!(odd.iter().collect::<Vec<_>>(), ["", "rock", ""]);
    }

    #[test]
    fn null_and_empty_are_empty_and_other_shapes_are_errors() {
        for empty in ["null", "[]"] {
            let genres: Genres = serde_json::from_str(empty).unwrap();
            assert!(
                genres.is_empty() && genres.iter().next().is_none(),
                "{empty}"
            );
            assert_eq!(alloc::format!("{genres:?}"), "[]");
        }
        for wrong in [r#""rock""#, "[1]", r#"{"a":1}"#, "[null]"] {
            assert!(serde_json::from_str::<Genres>(wrong).is_err(), "{wrong}");
        }
    }
}
