//! A memory budget for decoding: the session refuses an answer before decoding it if the
//! values it holds could take more memory than the body cap allows.
//!
//! A body's own bytes bound the memory its strings take, but not the memory of its values: an
//! array of 2.8 million empty strings is 8 MiB of JSON and 67 MB of `String`s, and an array of
//! small objects is worse (a `Track` is 848 bytes however short its JSON). Before decoding,
//! one pass over the body weighs every value as the models could hold it, rounding up: an
//! object as [`OBJECT_COST`] bytes (more than the largest model), an array as
//! [`VALUE_COST`], a string in an array as [`STRING_COST`] (a `String` and its allocation), any
//! other scalar in an array as [`VALUE_COST`], and a market code in `available_markets` as
//! [`MARKET_COST`] (the models pack them).
//!
//! With a body cap of `cap` bytes, a body of `len` bytes may weigh at most `2 * cap - len`
//! (and at least [`FLOOR`], for tiny caps).
//! A call then holds at most 4 times the cap: the body (and its copy while a transport
//! gathers it, `2 * len`), the decoded values (at most twice their weight, for the room a
//! growing `Vec` keeps) and the strings' bytes (at most `len`). Spotify's answers weigh a few
//! times their size, so with the default 8 MiB cap any answer up to about 2 MiB passes.

use crate::error::DecodeError;

/// What an object is weighed as: more than the largest model a JSON object decodes into.
pub(crate) const OBJECT_COST: usize = 1024;
/// What an array, or a number, boolean or null in an array, is weighed as.
pub(crate) const VALUE_COST: usize = 24;
/// What a string in an array is weighed as: a `String` and the smallest allocation.
pub(crate) const STRING_COST: usize = 48;
/// What a market code in `available_markets` is weighed as: packed, a few bytes.
pub(crate) const MARKET_COST: usize = 4;
/// Deeper than this, the JSON parser refuses the body anyway (its recursion limit is 128).
const MAX_DEPTH: usize = 256;

/// The least any body may weigh, whatever the cap: a tiny cap (a test's, say) still lets a
/// token answer through.
pub(crate) const FLOOR: usize = 64 * 1024;

/// How much the values of a body of `len` bytes may weigh under a body cap of `cap` bytes.
pub(crate) fn allowance(len: usize, cap: usize) -> usize {
    cap.saturating_mul(2).saturating_sub(len).max(FLOOR)
}

/// Checks that a body's values fit the budget of a body cap of `cap` bytes; `what` names the
/// body for the error.
pub(crate) fn check(body: &[u8], cap: usize, what: &'static str) -> Result<(), DecodeError> {
    let allowed = allowance(body.len(), cap);
    // No body weighs more than OBJECT_COST / 2 per byte (`{}` is two bytes): a short one
    // needs no look.
    if body.len().saturating_mul(OBJECT_COST / 2) <= allowed {
        return Ok(());
    }
    let weight = weigh(body);
    if weight <= allowed {
        return Ok(());
    }
    Err(DecodeError {
        what,
        reason: alloc::format!(
            "the answer holds values that could take {} MiB for {} KiB of JSON, more than the \
             {} MiB body cap allows; refused to keep memory bounded (raise the cap if this \
             answer is expected)",
            weight / (1024 * 1024),
            body.len() / 1024,
            cap / (1024 * 1024)
        ),
    })
}

/// The open containers of the body, by depth: whether each is an array, and whether it is the
/// `available_markets` array.
struct Containers {
    arrays: [u64; MAX_DEPTH / 64],
    markets: [u64; MAX_DEPTH / 64],
    depth: usize,
}

impl Containers {
    fn bit(depth: usize) -> (usize, u64) {
        ((depth - 1) / 64, 1 << ((depth - 1) % 64))
    }

    fn open(&mut self, array: bool, markets: bool) {
        self.depth += 1;
        if self.depth <= MAX_DEPTH {
            let (word, bit) = Self::bit(self.depth);
            for (set, on) in [(&mut self.arrays, array), (&mut self.markets, markets)] {
                if on {
                    set[word] |= bit;
                } else {
                    set[word] &= !bit;
                }
            }
        }
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn is(&self, set: &[u64; MAX_DEPTH / 64]) -> bool {
        if self.depth == 0 || self.depth > MAX_DEPTH {
            return false;
        }
        let (word, bit) = Self::bit(self.depth);
        set[word] & bit != 0
    }
}

/// The weight of a body's values.
pub(crate) fn weigh(body: &[u8]) -> usize {
    let mut open = Containers {
        arrays: [0; MAX_DEPTH / 64],
        markets: [0; MAX_DEPTH / 64],
        depth: 0,
    };
    let mut weight = 0usize;
    // Whether the last string seen in an object was the key `available_markets`.
    let mut markets_key = false;
    let mut at = 0;
    while let Some(&byte) = body.get(at) {
        at += 1;
        match byte {
            b'{' => {
                weight = weight.saturating_add(OBJECT_COST);
                open.open(false, false);
            }
            b'[' => {
                weight = weight.saturating_add(VALUE_COST);
                open.open(true, core::mem::take(&mut markets_key));
            }
            b'}' | b']' => open.close(),
            b'"' => {
                let start = at;
                while let Some(&byte) = body.get(at) {
                    at += 1;
                    match byte {
                        b'\\' => at += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                if open.is(&open.arrays) {
                    weight = weight.saturating_add(if open.is(&open.markets) {
                        MARKET_COST
                    } else {
                        STRING_COST
                    });
                } else {
                    // In an object, a key or a value: only a key matters, for the array after it.
                    let text = body.get(start..at.saturating_sub(1)).unwrap_or_default();
                    markets_key = text == b"available_markets";
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' if open.is(&open.arrays) => {
                weight = weight.saturating_add(VALUE_COST);
                while body
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
                {
                    at += 1;
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

    const CAP: usize = 8 * 1024 * 1024;

    fn repeated(field: &str, element: &str, count: usize) -> String {
        let mut body = alloc::format!("{{\"{field}\":[");
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
        assert_eq!(
            weigh(br#"["x","y\"]",3,true,null]"#),
            VALUE_COST + 2 * STRING_COST + 3 * VALUE_COST
        );
        assert_eq!(
            weigh(br#"[{},{"k":["v"]}]"#),
            VALUE_COST * 2 + OBJECT_COST * 2 + STRING_COST
        );
        assert_eq!(
            weigh(repeated("available_markets", "\"AD\"", 10).as_bytes()),
            OBJECT_COST + VALUE_COST + 10 * MARKET_COST
        );
        assert_eq!(
            weigh(repeated("genres", "\"AD\"", 10).as_bytes()),
            OBJECT_COST + VALUE_COST + 10 * STRING_COST
        );
    }

    #[test]
    fn refuses_bodies_that_weigh_more_than_the_cap_allows() {
        // 8 MiB of empty strings: 2.8 million values.
        let heavy = repeated("genres", "\"\"", CAP / 3 - 10);
        let error = check(heavy.as_bytes(), CAP, "artist").unwrap_err();
        assert!(
            error.reason.contains("refused to keep memory bounded"),
            "{}",
            error.reason
        );
        let objects = repeated("images", "{}", 100_000);
        assert!(check(objects.as_bytes(), CAP, "artist").is_err());
        // Small bodies pass whatever they hold; so do ordinary shapes, and markets.
        assert!(check(repeated("images", "{}", 1000).as_bytes(), CAP, "artist").is_ok());
        let names = repeated(
            "genres",
            "\"a genre with a name of ordinary length\"",
            50_000,
        );
        assert!(check(names.as_bytes(), CAP, "artist").is_ok());
        let markets = repeated("available_markets", "\"AD\"", 500_000);
        assert!(check(markets.as_bytes(), CAP, "album").is_ok());
        // A larger cap allows more.
        assert!(check(objects.as_bytes(), 64 * CAP, "artist").is_ok());
    }
}
