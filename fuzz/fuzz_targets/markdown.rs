//! The `markdown` target; its body and invariants are in `tsunagari::fuzzing::markdown`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsunagari::fuzzing::markdown(data));
