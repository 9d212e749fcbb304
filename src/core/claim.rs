//! Checks a size claim typed in plain words: "100B at INT8 and a 2B student at FP16 are about
//! the same size" → the weight bytes of each, whether they are in fact close, and which counts
//! would match each other's bytes.

use super::i18n::{fill, Lang};
use super::scenario::parse_scheme;
use super::scheme::{self, Scheme};
use super::tradeoff::{count_for_weights, count_weights};
use super::units::{fmt_bytes, human_count, parse_count};

/// Two sizes within this ratio are "about the same".
pub const SAME: f64 = 1.25;

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    /// One line per model of the claim: `100B @ INT8: 100.9 GB of weights`.
    pub sizes: Vec<String>,
    pub verdict: String,
    /// For each pair, the counts that would really have the same bytes.
    pub matches: Vec<String>,
}

/// The format a word names: a format id, or the plain words people use.
fn format_word(w: &str) -> Option<&'static Scheme> {
    let id = match w.to_ascii_lowercase().as_str() {
        "int4" | "4-bit" | "4bit" => "int4_g128",
        "int8" | "8-bit" | "8bit" => "int8",
        "16-bit" | "16bit" | "half" => "f16",
        "32-bit" | "32bit" => "f32",
        other => return parse_scheme(other).ok(),
    };
    scheme::by_id(id)
}

/// A word that is a parameter count with a unit (`2B`, `350M`, `1.5T`, `7e9`), not a bare number.
fn count_word(w: &str) -> Option<u64> {
    let unit = w.ends_with(['k', 'K', 'm', 'M', 'b', 'B', 'g', 'G', 't', 'T']) || w.contains(['e', 'E']);
    let starts = w.starts_with(|c: char| c.is_ascii_digit());
    (unit && starts).then(|| parse_count(w).ok()).flatten()
}

/// The (count, format) pairs of a text, in order: each count with the first format after it.
pub fn pairs(text: &str) -> Vec<(u64, &'static Scheme)> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || "._-+".contains(c)))
        .flat_map(|w| w.split('@'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut pending: Option<u64> = None;
    for w in words {
        if let Some(n) = count_word(w) {
            pending = Some(n);
        } else if let (Some(n), Some(sc)) = (pending, format_word(w)) {
            out.push((n, sc));
            pending = None;
        }
    }
    out
}

/// `None` when the text names fewer than two models with formats.
pub fn check(text: &str, lang: Lang) -> Option<ClaimCheck> {
    let t = lang.strings();
    let found = pairs(text);
    if found.len() < 2 {
        return None;
    }
    let sized: Vec<(u64, &'static Scheme, u64)> =
        found.iter().take(4).map(|&(n, sc)| (n, sc, count_weights(n as f64, sc).round() as u64)).collect();
    let name = |n: u64, sc: &Scheme| format!("{} @ {}", human_count(n), sc.name);
    let sizes = sized.iter().map(|&(n, sc, b)| fill(t.claim_size, &[&name(n, sc), &fmt_bytes(b)])).collect();
    let (big, small) = sized.iter().fold((0u64, u64::MAX), |(hi, lo), x| (hi.max(x.2), lo.min(x.2)));
    let ratio = big as f64 / small.max(1) as f64;
    let verdict = if ratio <= SAME {
        fill(t.claim_same, &[&format!("{ratio:.2}")])
    } else {
        fill(t.claim_differ, &[&format!("{ratio:.1}")])
    };
    let mut matches = Vec::new();
    for (i, &(n, sc, b)) in sized.iter().enumerate() {
        for (j, &(_, other, _)) in sized.iter().enumerate() {
            if i != j && !std::ptr::eq(sc, other) {
                let m = count_for_weights(b, other);
                matches.push(fill(t.claim_match, &[&fmt_bytes(b), &name(n, sc), &name(m, other)]));
            }
        }
    }
    Some(ClaimCheck { sizes, verdict, matches })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_and_formats_from_plain_words() {
        let p = pairs("A 100B BERT at INT8 and a 2B student at FP16 are about the same size");
        assert_eq!(
            p.iter().map(|(n, s)| (*n, s.id)).collect::<Vec<_>>(),
            [(100_000_000_000, "int8"), (2_000_000_000, "f16")]
        );
        let p = pairs("70B@q4_k_m vs 8B@bf16");
        assert_eq!(
            p.iter().map(|(n, s)| (*n, s.id)).collect::<Vec<_>>(),
            [(70_000_000_000, "q4_k_m"), (8_000_000_000, "bf16")]
        );
        // Bare numbers are not counts; a count without a format is dropped.
        assert!(pairs("2 models at 16-bit, 7B").is_empty());
        assert_eq!(pairs("30B 8-bit and 60B 4-bit").len(), 2);
    }

    /// The explainer's claim: 100e9 × 1 byte = 100 GB against 2e9 × 2 bytes = 4 GB; 100 GB
    /// holds 50B parameters at 16 bits. A checkpoint's INT8 keeps its embeddings and output head
    /// in BF16 and adds a scale per row: the 100B takes its template's layout (Llama-3.1-70B,
    /// about 3 % of parameters there), so 103 GB rather than 100.
    #[test]
    fn one_hundred_b_int8_is_not_two_b_fp16() {
        let c = check("100B at INT8 and a 2B student at FP16 are about the same size", Lang::En).unwrap();
        assert_eq!(c.sizes.len(), 2);
        let gb = |line: &str| -> f64 { line.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap() };
        let (big, small) = (gb(&c.sizes[0]), gb(&c.sizes[1]));
        assert!((100.0..104.0).contains(&big), "{}", c.sizes[0]);
        assert!((small - 4.0).abs() < 0.01, "{}", c.sizes[1]);
        assert!(c.verdict.starts_with("Not the same size"), "{}", c.verdict);
        let times: f64 = c.verdict.split("is ").nth(1).unwrap().split('×').next().unwrap().parse().unwrap();
        assert!((times - big / small).abs() < 0.06, "{}", c.verdict);
        // 103 GB at FP16 ≈ 51.5B.
        assert!(c.matches[0].contains("≈ 5") && c.matches[0].ends_with("B @ F16."), "{:?}", c.matches);
        // At INT8 the embeddings stay BF16, and a 2–4B template spends a fifth of its
        // parameters there: fewer than the naive 4B fit.
        let held: f64 = c.matches[1].split("≈ ").nth(1).unwrap().split('B').next().unwrap().parse().unwrap();
        assert!((3.0..4.0).contains(&held) && c.matches[1].contains("@ INT8"), "{:?}", c.matches);
        let same = check("30B at INT8 and 60B at int4", Lang::En).unwrap();
        assert!(same.verdict.starts_with("About the same size"), "{}", same.verdict);
        assert!(check("just one 7B at fp16", Lang::En).is_none());
        assert!(check("7B@q4_0 8B@fp16", Lang::ZhCn).unwrap().verdict.contains("倍"));
        // The page's own examples read in both languages.
        for l in Lang::ALL {
            let c = check(l.strings().claim_example, l).unwrap();
            assert_eq!(c.sizes.len(), 2, "{l:?}");
        }
    }
}
