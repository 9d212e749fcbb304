//! A model's files on the Hugging Face Hub, fetched only when the user asks: the repository id
//! checked the way the Hub checks it, and the URLs of the files the page reads.
//!
//! `config.json` and `model.safetensors.index.json` are ordinary git files, which the Hub serves
//! from its own host (`resolve/main/…`), so the page's Content-Security-Policy names that one
//! host. Large (LFS) files redirect elsewhere; the page never asks for them.

use crate::core::text::i18n::Msg;
use crate::core::text::units::clip;
use crate::msg;

/// The Hub's origin: the only host outside the page's own that it may contact, and only on a click.
pub const HUB: &str = "https://huggingface.co";

/// The files, in the order the page asks for them.
pub const CONFIG: &str = "config.json";
pub const INDEX: &str = "model.safetensors.index.json";

/// `org/name` from what a person types: the id itself, or a Hub page's address
/// (`https://huggingface.co/Qwen/Qwen3-32B`, with or without `/tree/main…`). A name part is 1–96
/// characters of letters, digits, `-`, `_` and `.`, neither starting nor ending with `-` or `.`,
/// and without `--` or `..` (the rules of `huggingface_hub.utils.validate_repo_id`).
pub fn repo_id(text: &str) -> Result<String, Msg> {
    let t = text.trim();
    let bare = t.strip_prefix(HUB).or_else(|| t.strip_prefix("huggingface.co")).unwrap_or(t);
    let mut parts = bare.trim_matches('/').split('/');
    let (Some(org), Some(name)) = (parts.next(), parts.next()) else {
        return Err(msg!(err_hub_id, clip(t)));
    };
    // A page address may go on (`/tree/main`, `/blob/main/config.json`); an id may not.
    let rest: Vec<&str> = parts.collect();
    let page_tail = rest.is_empty() || (bare.len() < t.len() && matches!(rest[0], "tree" | "blob" | "resolve"));
    let part_ok = |p: &str| {
        (1..=96).contains(&p.len())
            && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !p.starts_with(['-', '.'])
            && !p.ends_with(['-', '.'])
            && !p.contains("--")
            && !p.contains("..")
    };
    if !page_tail || !part_ok(org) || !part_ok(name) {
        return Err(msg!(err_hub_id, clip(t)));
    }
    Ok(format!("{org}/{name}"))
}

/// Where the Hub serves `file` of repository `id` (an id from [`repo_id`]) at its main branch.
pub fn file_url(id: &str, file: &str) -> String {
    format!("{HUB}/{id}/resolve/main/{file}")
}

/// The longest index read: DeepSeek-V3's, with its 91,000 tensor names, is under 9 MB.
pub const MAX_INDEX_BYTES: usize = 32 << 20;

/// `metadata.total_size` of a `model.safetensors.index.json`: the bytes of every tensor in the
/// repository's safetensors shards (their headers left out), as `transformers` writes it when it
/// shards a checkpoint. Anything else is refused with the field's name.
pub fn index_total(bytes: &[u8]) -> Result<u64, Msg> {
    let bad = || msg!(err_hub_index, INDEX);
    if bytes.len() > MAX_INDEX_BYTES {
        return Err(bad());
    }
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| bad())?;
    let total = v.get("metadata").and_then(|m| m.get("total_size"));
    // Some writers store it as a float with no fraction (`1.6e10` never, `16060522496.0` seen).
    let n = total.and_then(|t| {
        t.as_u64().or_else(|| t.as_f64().filter(|f| f.fract() == 0.0 && *f >= 1.0 && *f < 1e18).map(|f| f as u64))
    });
    n.filter(|n| *n > 0).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_page_addresses_give_the_id() {
        for (typed, id) in [
            ("Qwen/Qwen3-32B", "Qwen/Qwen3-32B"),
            ("  openai/gpt-oss-20b ", "openai/gpt-oss-20b"),
            ("https://huggingface.co/google/gemma-3-27b-it", "google/gemma-3-27b-it"),
            ("huggingface.co/meta-llama/Llama-3.1-8B/", "meta-llama/Llama-3.1-8B"),
            ("https://huggingface.co/deepseek-ai/DeepSeek-R1/tree/main", "deepseek-ai/DeepSeek-R1"),
            ("https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json", "Qwen/Qwen3-8B"),
            ("unsloth/Llama-3.3-70B-Instruct_v2.1", "unsloth/Llama-3.3-70B-Instruct_v2.1"),
        ] {
            assert_eq!(repo_id(typed).unwrap(), id, "{typed}");
        }
    }

    #[test]
    fn what_the_hub_refuses_is_refused_with_the_text() {
        for bad in [
            "",
            "gpt2",
            "Qwen/",
            "/Qwen3-32B",
            "a/b/c",
            "Qwen/Qwen3 32B",
            "Qwen/../etc",
            "Qwen/-x",
            "Qwen/x.",
            "a--b/c",
            "Qwen/Qwen3?x=1",
            "https://example.com/Qwen/Qwen3-32B",
            "Qwen/Qwen3-32B#frag",
        ] {
            let e = repo_id(bad).unwrap_err();
            assert!(e.contains("organisation/name"), "{bad}: {e}");
        }
        assert!(repo_id(&format!("a/{}", "x".repeat(97))).is_err());
        assert!(repo_id(&format!("a/{}", "x".repeat(96))).is_ok());
    }

    /// The published index of meta-llama/Llama-3.1-8B (as transformers' docs quote it, and
    /// four test suites) holds 16,060,522,496 bytes: its 8,030,261,248 parameters in BF16.
    #[test]
    fn the_index_total_is_read_or_refused() {
        let llama = br#"{"metadata": {"total_size": 16060522496}, "weight_map": {"lm_head.weight": "model-00004-of-00004.safetensors"}}"#;
        assert_eq!(index_total(llama), Ok(16_060_522_496));
        assert_eq!(index_total(br#"{"metadata": {"total_size": 16060522496.0}}"#), Ok(16_060_522_496));
        for bad in [
            &b"{}"[..],
            b"[]",
            b"not json",
            br#"{"metadata": {}}"#,
            br#"{"metadata": {"total_size": "16060522496"}}"#,
            br#"{"metadata": {"total_size": -1}}"#,
            br#"{"metadata": {"total_size": 0}}"#,
            br#"{"metadata": {"total_size": 1.5}}"#,
        ] {
            let e = index_total(bad).unwrap_err();
            assert!(e.to_string().contains("metadata.total_size"), "{e}");
        }
    }

    #[test]
    fn urls_are_the_hubs_resolve_layout() {
        assert_eq!(
            file_url("Qwen/Qwen3-32B", CONFIG),
            "https://huggingface.co/Qwen/Qwen3-32B/resolve/main/config.json"
        );
        assert_eq!(
            file_url("openai/gpt-oss-20b", INDEX),
            "https://huggingface.co/openai/gpt-oss-20b/resolve/main/model.safetensors.index.json"
        );
    }
}
