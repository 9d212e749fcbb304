#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bitbudget_fuzz::config(data));
