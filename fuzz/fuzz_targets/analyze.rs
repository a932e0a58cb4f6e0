//! Analyzer and query parsing in every language, and a search with the result (see ../harness.rs).
#![no_main]
include!("../harness.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_analyze(data));
