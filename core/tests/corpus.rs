//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks the
//! fuzz targets run, so CI checks every input found so far without a nightly toolchain.

#[allow(dead_code, unreachable_pub, reason = "shared with the fuzz targets")]
#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
    {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(
            outcome.is_ok(),
            "{target}: {} fails its check",
            path.display()
        );
        count += 1;
    }
    assert!(count > 0, "the {target} corpus is empty");
}

/// A fuzz target's name and its check.
type Target = (&'static str, fn(&[u8]));

#[test]
fn replays_the_fuzz_corpus_of_every_target() {
    let targets: [Target; 14] = [
        ("parse_id", checks::parse_id),
        ("parse_token", checks::parse_token),
        ("parse_error", checks::parse_error),
        ("parse_artist", checks::parse_artist),
        ("parse_album", checks::parse_album),
        ("parse_track", checks::parse_track),
        ("parse_search", checks::parse_search),
        ("parse_user", checks::parse_user),
        ("parse_page", checks::parse_page),
        ("parse_callback_url", checks::parse_callback_url),
        ("session", checks::session),
        ("parse_redirect_uri", checks::parse_redirect_uri),
        ("retry_after", checks::retry_after),
        ("stored_token", checks::stored_token),
    ];
    for (target, check) in targets {
        replay(target, check);
    }
}
