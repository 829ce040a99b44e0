//! Spotify's offset paging, as the user routes and spoken-word routes answer it: the `limit`
//! and `offset` of a query checked as Spotify checks them, and the paging object.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::catalog::Failure;

/// `limit` (1 to 50, default 20) from a query: anything else is `400 Invalid limit`.
pub(crate) fn limit(query: &HashMap<String, String>) -> Result<usize, Failure> {
    match query.get("limit") {
        None => Ok(20),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=50).contains(l))
            .ok_or((400, "Invalid limit")),
    }
}

/// `limit` as [`limit`] and `offset` (unsigned, default 0; `offset=-1` is a 400, never an
/// index) from a query.
pub(crate) fn limit_and_offset(query: &HashMap<String, String>) -> Result<(usize, usize), Failure> {
    let offset = match query.get("offset") {
        None => 0,
        Some(text) => text.parse::<usize>().map_err(|_| (400, "Invalid offset"))?,
    };
    Ok((limit(query)?, offset))
}

/// Spotify's paging object for `items`, the window at `offset` of a list of `total`, with
/// `next` and `previous` as full URLs under `base` + `path` (and `extra` query pairs, each
/// starting with `&`).
pub(crate) fn page(
    base: &str,
    path: &str,
    items: Vec<Value>,
    total: usize,
    limit: usize,
    offset: usize,
    extra: &str,
) -> Value {
    let link = |offset: usize| format!("{base}{path}?offset={offset}&limit={limit}{extra}");
    json!({
        "href": link(offset),
        "items": items,
        "limit": limit,
        "offset": offset,
        "total": total,
        "next": (offset + limit < total).then(|| link(offset + limit)),
        "previous": (offset > 0).then(|| link(offset.saturating_sub(limit))),
    })
}
