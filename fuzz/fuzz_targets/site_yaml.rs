//! The `site_yaml` target; its body and invariants are in `tsunagari::fuzzing::site_yaml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsunagari::fuzzing::site_yaml(data));
