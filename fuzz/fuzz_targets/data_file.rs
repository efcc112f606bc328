#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cib::fuzzing::data_file(data));
