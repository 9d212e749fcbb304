#![no_main]

// The parsers pick the format by its magic; the targets differ by their seed corpora.
libfuzzer_sys::fuzz_target!(|data: &[u8]| bitbudget_fuzz::file(data));
