#![no_main]

libfuzzer_sys::fuzz_target!(init: bitbudget_fuzz::quant_init(), |data: &[u8]| bitbudget_fuzz::quant(data));
