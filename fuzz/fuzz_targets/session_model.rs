#![no_main]

// The randomized model test of the session, searching beyond the seeds the core's tests replay.
libfuzzer_sys::fuzz_target!(|data: &[u8]| spotify_web_core::session::model::run(data));
