//! The `whole_site` target; its body and invariants are in `tsunagari::fuzzing::whole_site`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsunagari::fuzzing::whole_site(data));
