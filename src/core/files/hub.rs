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
