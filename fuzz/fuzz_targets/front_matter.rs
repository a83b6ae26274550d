//! The `front_matter` target; its body and invariants are in `tsunagari::fuzzing::front_matter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsunagari::fuzzing::front_matter(data));
