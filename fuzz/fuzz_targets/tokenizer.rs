//! The `tokenizer` target; its body and invariants are in `tsunagari::fuzzing::tokenizer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tsunagari::fuzzing::tokenizer(data));
