//! Each new preset against its published config.json, read by the page's own config reader:
//! the same architecture, so the same parameters, active parameters and KV cache per layer kind.
//! (`tests/fixtures/configs/SOURCES.md` says where each file came from.)

use bitbudget::core::catalog::model::preset;
use bitbudget::core::files::config::read_config;

const CONFIGS: [&str; 24] = [
    "qwen3-0.6b",
    "qwen3-1.7b",
    "qwen3-4b",
    "qwen3-8b",
    "qwen3-14b",
    "qwen3-32b",
    "qwen3-30b-a3b",
    "qwen3-235b-a22b",
    "qwen3-next-80b-a3b",
    "gpt-oss-20b",
    "gpt-oss-120b",
    "gemma-3-1b",
    "gemma-3-4b",
    "gemma-3-12b",
    "gemma-3-27b",
    "llama-4-scout",
    "llama-4-maverick",
    "deepseek-r1",
    "kimi-k2",
    "phi-4",
    "mistral-small-3.1-24b",
    "glm-4.5-air",
    "nemotron-h-8b",
    "jamba-1.5-mini",
];

#[test]
fn presets_are_their_config_json() {
    let mut wrong = Vec::new();
    for id in CONFIGS {
        let path = format!("{}/tests/fixtures/configs/{id}/config.json", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let read = match read_config(&bytes) {
            Ok(r) => r,
            Err(e) => {
                wrong.push(format!("{id}: {e}"));
                continue;
            }
        };
        let want = preset(id).unwrap_or_else(|| panic!("no preset {id}")).arch;
        if read.arch != want {
            wrong.push(format!("{id}:\n  config {:?}\n  preset {:?}", read.arch, want));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
