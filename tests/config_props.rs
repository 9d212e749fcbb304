//! The config.json reader on any input: the published configs with lines dropped, repeated or
//! their numbers replaced, and arbitrary text. Never a panic; what it reads goes into a link
//! and back to the same architecture, with fewer active parameters than parameters.
#![cfg(not(target_arch = "wasm32"))]

use bitbudget::core::catalog::model::Arch;
use bitbudget::core::files::config::read_config;
use proptest::prelude::*;

const IDS: [&str; 9] = [
    "llama-3.1-8b",
    "qwen2.5-7b",
    "gemma-3-27b-it",
    "gpt-oss-20b",
    "qwen3-next-80b-a3b",
    "deepseek-v3",
    "llama-4-scout-17b-16e",
    "nemotron-h-8b",
    "jamba-1.5-mini",
];

fn fixture(i: usize) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/configs/{}/config.json", env!("CARGO_MANIFEST_DIR"), IDS[i]))
        .unwrap()
}

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Ok(c) = read_config(text.as_bytes()) {
        let link = c.arch.encode();
        prop_assert_eq!(Arch::decode(&link), Ok(c.arch), "{}", link);
        prop_assert!(c.arch.active_params() <= c.arch.params());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn edited_configs_read_or_say_why(
        i in 0..IDS.len(),
        line in 0usize..80,
        edit in 0u8..3,
        number in prop_oneof![Just("-1".to_string()), Just("0".into()), Just("1e400".into()), Just("18446744073709551616".into()), Just("null".into()), Just("\"x\"".into()), Just("[]".into()), (0u64..=u64::MAX).prop_map(|n| n.to_string())],
    ) {
        let text = fixture(i);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let at = line % lines.len();
        match edit {
            0 => { lines.remove(at); }
            1 => { let l = lines[at].clone(); lines.insert(at, l); }
            _ => {
                if let Some((k, v)) = lines[at].clone().split_once(": ") {
                    let comma = if v.ends_with(',') { "," } else { "" };
                    lines[at] = format!("{k}: {number}{comma}");
                }
            }
        }
        check(&lines.join("\n"))?;
    }

    #[test]
    fn any_text_reads_or_says_why(text in ".{0,400}") {
        check(&text)?;
        check(&format!("{{\"model_type\": \"llama\", {text}}}"))?;
    }
}
