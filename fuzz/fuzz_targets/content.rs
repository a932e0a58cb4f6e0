//! One content file (front matter + Markdown, any bytes) through the `lotse` library as a build reads,
//! checks and renders it (see ../content_harness.rs).
#![no_main]
include!("../content_harness.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_content(data));
