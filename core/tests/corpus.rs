//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks the
//! fuzz targets run (`checks.rs`, beside this file), so CI checks every input found so far
//! without a nightly toolchain. The corpus lives in the repository, not in the published
//! crate: a packaged copy of the crate replays its recorded answers through the checks
//! instead.

#[allow(dead_code, unreachable_pub, reason = "shared with the fuzz targets")]
#[path = "checks.rs"]
mod checks;

use std::path::Path;

/// The repository's fuzz corpus, if this is the repository (not a packaged crate).
fn corpus() -> Option<std::path::PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    folder.is_dir().then_some(folder)
}

fn replay(target: &str, check: fn(&[u8])) {
    let Some(corpus) = corpus() else {
        // A packaged crate: every recorded answer goes through every check instead.
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in std::fs::read_dir(&fixtures).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                check(&std::fs::read(&path).unwrap());
            }
        }
        return;
    };
    let folder = corpus.join(target);
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
    let targets: [Target; 18] = [
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
        ("parse_playlist", checks::parse_playlist),
        ("parse_library", checks::parse_library),
        ("parse_player", checks::parse_player),
        ("parse_spoken", checks::parse_spoken),
    ];
    for (target, check) in targets {
        replay(target, check);
    }
}
