//! The shard decoder and `Engine::add_file` on damaged or hostile files (see ../harness.rs).
#![no_main]
include!("../harness.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_shard(data));
