#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| digest_fuzz::mentions(data));
