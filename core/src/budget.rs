//! A memory budget for decoding: an answer is refused before it is decoded if the values it
//! holds would take far more memory than its size.
//!
//! A body's own bytes bound the memory its strings take, but not the memory of its values: an
//! array of 2.8 million empty strings is 8 MiB of JSON and 67 MB of `String`s, and an array of
//! empty objects is worse. Before decoding, one pass over the body counts its objects and its
//! array elements and weighs them as the models would hold them (an object as
//! [`OBJECT_COST`] bytes, an array or an array's scalar element as [`VALUE_COST`] bytes). A
//! body whose weight exceeds [`FACTOR`] times its length, or [`FACTOR`] times [`FLOOR`] for a
//! body shorter than that, is refused with a [`DecodeError`].
//!
//! The weight over-counts on purpose (nested objects are often held inline, ignored fields not
//! at all); Spotify's real answers weigh at most about 3.5 times their minified size. So with
//! an 8 MiB body cap, a call holds at most the body, its strings and 32 MiB of values.

use crate::error::DecodeError;

/// What an object is weighed as: more than the largest model a JSON object decodes into.
pub(crate) const OBJECT_COST: usize = 256;
/// What an array, or a scalar in an array, is weighed as: a `String` or a `Vec`.
pub(crate) const VALUE_COST: usize = 24;
/// How much heavier than its length a body may weigh.
pub(crate) const FACTOR: usize = 4;
/// Bodies shorter than this are allowed the weight of a body this long.
pub(crate) const FLOOR: usize = 1024 * 1024;
/// Deeper than this, the JSON parser refuses the body anyway (its recursion limit is 128).
const MAX_DEPTH: usize = 256;

/// Checks that a body's values fit the memory budget; `what` names the body for the error.
pub(crate) fn check(body: &[u8], what: &'static str) -> Result<(), DecodeError> {
    // A body shorter than this cannot weigh more than the floor's allowance, whatever it holds
    // (an empty object, `{}`, is two bytes weighing OBJECT_COST).
    let allowed = FACTOR * body.len().max(FLOOR);
    if body.len() * OBJECT_COST / 2 <= allowed {
        return Ok(());
    }
    let weight = weigh(body);
    if weight <= allowed {
        return Ok(());
    }
    Err(DecodeError {
        what,
        reason: alloc::format!(
            "the answer holds values that would take {} MiB for {} KiB of JSON; refused to keep \
             memory bounded",
            weight / (1024 * 1024),
            body.len() / 1024
        ),
    })
}

/// The weight of a body's values.
fn weigh(body: &[u8]) -> usize {
    // Whether each open container is an array, as bits of a small stack.
    let mut arrays = [0u64; MAX_DEPTH / 64];
    let mut depth = 0usize;
    let in_array = |arrays: &[u64], depth: usize| {
        depth > 0 && depth <= MAX_DEPTH && arrays[(depth - 1) / 64] >> ((depth - 1) % 64) & 1 == 1
    };
    let mut weight = 0usize;
    let mut bytes = body.iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'{' | b'[' => {
                weight += if byte == b'{' {
                    OBJECT_COST
                } else {
                    VALUE_COST
                };
                depth += 1;
                if depth <= MAX_DEPTH {
                    let (word, bit) = ((depth - 1) / 64, (depth - 1) % 64);
                    if byte == b'[' {
                        arrays[word] |= 1 << bit;
                    } else {
                        arrays[word] &= !(1 << bit);
                    }
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                // A string directly in an array is a value; in an object, a key or a field.
                if in_array(&arrays, depth) {
                    weight += VALUE_COST;
                }
                // Skip the string, escapes included.
                while let Some(&byte) = bytes.next() {
                    match byte {
                        b'\\' => {
                            bytes.next();
                        }
                        b'"' => break,
                        _ => {}
                    }
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if in_array(&arrays, depth) => {
                weight += VALUE_COST;
                // The rest of the scalar.
                while bytes
                    .as_slice()
                    .first()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
                {
                    bytes.next();
                }
            }
            _ => {}
        }
    }
    weight
}

#[cfg(test)]
mod tests {
    use alloc::string::String;

    use super::*;

    fn repeated(element: &str, count: usize) -> String {
        let mut body = String::from("{\"genres\":[");
        for i in 0..count {
            if i > 0 {
                body.push(',');
            }
            body.push_str(element);
        }
        body.push_str("]}");
        body
    }

    #[test]
    fn weighs_objects_arrays_and_scalars_in_arrays() {
        assert_eq!(weigh(b"{}"), OBJECT_COST);
        assert_eq!(weigh(br#"{"a":"x","b":1}"#), OBJECT_COST);
        assert_eq!(weigh(br#"["x","y\"]",3,true,null]"#), VALUE_COST * 6);
        assert_eq!(
            weigh(br#"[{},{"k":["v"]}]"#),
            VALUE_COST * 3 + OBJECT_COST * 2
        );
        assert_eq!(
            weigh(repeated("\"\"", 10).as_bytes()),
            OBJECT_COST + VALUE_COST * 11
        );
    }

    #[test]
    fn refuses_bodies_that_weigh_too_much_for_their_size() {
        // 8 MiB of empty strings: 2.8 million values.
        let heavy = repeated("\"\"", 8 * 1024 * 1024 / 3);
        let error = check(heavy.as_bytes(), "artist").unwrap_err();
        assert!(
            error.reason.contains("refused to keep memory bounded"),
            "{}",
            error.reason
        );
        let objects = repeated("{}", 2 * 1024 * 1024 / 3);
        assert!(check(objects.as_bytes(), "artist").is_err());
        // Small bodies pass whatever they hold; so do ordinary shapes of any size.
        assert!(check(repeated("{}", 1000).as_bytes(), "artist").is_ok());
        let names = repeated("\"a genre with a name of ordinary length\"", 200_000);
        assert!(check(names.as_bytes(), "artist").is_ok());
    }
}
