#![no_main]

#[allow(dead_code, reason = "each target uses one check of the shared file")]
#[path = "../../core/tests/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse_spoken(data));
