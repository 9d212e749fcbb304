//! The explainer: why a big low-precision model and a small high-precision one can be the same
//! size, what a format does to a block of numbers, what distillation, pruning and MoE change,
//! and when the bigger, coarser model wins — written around the user's own configurations and
//! lab results, every claim with its source.

use crate::core::catalog::model::{preset, ModelRef};
use crate::core::compare::tradeoff::parity;
use crate::core::estimate::scale::calibrated;
use crate::core::kernels::runner::FormatResult;
use crate::core::state::scenario::Scenario;
use crate::core::text::i18n::{fill, Lang, Strings};
use crate::core::text::units::delta_text;
use crate::core::text::units::{fmt_bytes, human_count};
use crate::core::view::report::{Report, Row};

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub paragraphs: Vec<String>,
}

/// One block before and after a format, as text.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockView {
    pub caption: String,
    /// Original, quantized, error: the first values of the block.
    pub rows: Vec<[String; 3]>,
    pub levels: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Explainer {
    pub sections: Vec<Section>,
    /// Shown in the second section; `None` until the lab has run.
    pub block: Option<BlockView>,
    pub sources: [&'static str; 7],
}

/// The published works the explainer cites, in the order of their first use.
/// Rows of the block table shown (the levels are counted over the whole block).
const SHOWN: usize = 12;

fn num(x: f32) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.is_finite() {
        format!("{x:+.4}")
    } else {
        format!("{x}")
    }
}

/// A model's parameters (a raw count is itself, not its template's).
fn total(m: &ModelRef) -> u64 {
    match m {
        ModelRef::Count(n) | ModelRef::Scaled(_, n) => *n,
        _ => m.layout_counts().0,
    }
}

fn is_moe(m: &ModelRef) -> bool {
    let (all, active) = m.layout_counts();
    active < all
}

/// What a format did to one block: its largest magnitude, the distinct values it came back as
/// (the grid or codebook this block used) and, when they are evenly spaced, the spacing.
pub fn block_view(r: &FormatResult, lang: Lang) -> Option<BlockView> {
    let t = lang.strings();
    if r.block.is_empty() {
        return None;
    }
    let absmax = r.block.iter().map(|[x, _]| x.abs()).filter(|a| a.is_finite()).fold(0f32, f32::max);
    let mut levels: Vec<f32> = r.block.iter().map(|[_, q]| *q).filter(|q| q.is_finite()).collect();
    levels.sort_by(f32::total_cmp);
    levels.dedup();
    let gaps: Vec<f32> = levels.windows(2).map(|w| w[1] - w[0]).collect();
    let even = gaps.first().is_some_and(|g| gaps.iter().all(|x| (x / g - (x / g).round()).abs() < 1e-3));
    let step = gaps.iter().copied().fold(f32::INFINITY, f32::min);
    let rows = r.block.iter().take(SHOWN).map(|[x, q]| [num(*x), num(*q), num(q - x)]).collect();
    let listed: Vec<String> = levels.iter().take(16).map(|v| num(*v)).collect();
    let mut text = fill(t.ex_levels, &[&levels.len().to_string(), &listed.join(" ")]);
    if levels.len() > 16 {
        text.push_str(" …");
    }
    if even && levels.len() > 2 {
        text.push(' ');
        text.push_str(&fill(t.ex_step, &[&num(step)]));
    }
    Some(BlockView {
        caption: fill(
            t.ex_block_caption,
            &[
                &crate::core::view::lab_view::result_name(r, t),
                &r.block.len().to_string(),
                &num(absmax),
                &format!("{:.2}", r.bpw),
            ],
        ),
        rows,
        levels: text,
    })
}

/// Whether two models compare within one family (presets of one lineage whose perplexities are
/// in the fit) or only through the law.
fn grade(a: &ModelRef, b: &ModelRef, t: &Strings) -> String {
    match (a, b) {
        (ModelRef::Preset(p), ModelRef::Preset(q)) if p.family == q.family => {
            let text = if calibrated(p.family) { t.ex_same_family } else { t.ex_uncalibrated_family };
            fill(text, &[p.family])
        }
        (ModelRef::Preset(p), ModelRef::Preset(q)) => fill(t.ex_other_family, &[p.name, q.name]),
        _ => t.ex_raw_grade.into(),
    }
}

/// "When the bigger, coarser model wins", answered by the estimates in the table: the first
/// two configurations, when one has more parameters and fewer bits per parameter.
fn verdict(a: &Row, b: &Row, t: &Strings) -> String {
    let bpw = |r: &Row| r.bpw.parse::<f64>().unwrap_or(f64::NAN);
    let (big, small) = if a.param_count > b.param_count { (a, b) } else { (b, a) };
    let (Some(eb), Some(es)) = (&big.est, &small.est) else { return t.ex_no_tradeoff.into() };
    if big.param_count == small.param_count || bpw(big) >= bpw(small) {
        return t.ex_no_tradeoff.into();
    }
    let gap = delta_text((eb.loss - es.loss).abs()).trim_start_matches('+').to_string();
    let text = if eb.loss < es.loss { t.ex_bigger_wins } else { t.ex_bigger_loses };
    fill(text, &[&big.title, &big.bpw, &small.title, &small.bpw, &gap])
}

pub fn explain(s: &Scenario, report: &Report, lab: &[FormatResult], format: Option<&str>) -> Explainer {
    let t = s.lang.strings();
    let rows = &report.rows;
    let mut sections = Vec::new();

    // 1. Same size.
    let mut p = vec![t.ex_bytes_rule.to_string()];
    for r in rows.iter().take(2) {
        p.push(fill(t.ex_bytes_row, &[&r.title, &r.params, &r.bpw, &r.weights.decimal]));
    }
    let family = parity(s, 0);
    if family.len() > 1 {
        let same: Vec<String> =
            family.iter().skip(1).map(|c| format!("{} @ {}", human_count(total(&c.model)), c.scheme.name)).collect();
        p.push(fill(t.ex_parity, &[&fmt_bytes(family[0].weights), &same.join(t.ex_list_sep)]));
    }
    sections.push(Section { id: "same-size", title: t.ex_same_size, paragraphs: p });

    // 2. A block of the sample.
    let picked = format.and_then(|id| lab.iter().find(|r| r.id == id)).or(lab.first());
    let block = picked.and_then(|r| block_view(r, s.lang));
    let p = vec![if block.is_some() { t.ex_block_intro } else { t.ex_block_none }.to_string()];
    sections.push(Section { id: "block", title: t.ex_block, paragraphs: p });

    // 3. Other levers.
    let moe = s.configs.iter().map(|c| c.model).find(|m| !matches!(m, ModelRef::Count(_)) && is_moe(m));
    let moe = moe.or_else(|| preset("mixtral-8x7b").map(ModelRef::Preset));
    let mut p = vec![t.ex_distill.to_string(), t.ex_prune.to_string()];
    if let Some(m) = moe {
        let (all, active) = m.layout_counts();
        p.push(fill(t.ex_moe, &[&m.label_in(t), &human_count(all), &human_count(active)]));
    }
    sections.push(Section { id: "levers", title: t.ex_levers, paragraphs: p });

    // 4. Accuracy, speed, resources.
    let mut p = Vec::new();
    if let [a, b, ..] = rows.as_slice() {
        if let (Some(ea), Some(eb)) = (&a.est, &b.est) {
            let (better, gap) = if ea.loss <= eb.loss { (a, eb.loss - ea.loss) } else { (b, ea.loss - eb.loss) };
            let gap = delta_text(gap).trim_start_matches('+').to_string();
            let values = [&a.title, &a.accuracy.loss, &b.title, &b.accuracy.loss, &better.title, &gap];
            p.push(fill(t.ex_accuracy, &values.map(String::as_str)));
            p.push(grade(&s.configs[0].model, &s.configs[1].model, t));
        }
        let flops = |r: &crate::core::view::report::Row| human_count(2 * r.active_count);
        p.push(fill(t.ex_speed, &[&a.weights.decimal, &b.weights.decimal, &flops(a), &flops(b)]));
        p.push(fill(t.ex_resources, &[&a.kv.decimal, &b.kv.decimal, &s.configs[0].ctx.to_string()]));
    } else {
        p.push(t.ex_need_two.to_string());
    }
    sections.push(Section { id: "differences", title: t.ex_differences, paragraphs: p });

    // 5. When the bigger, coarser model wins.
    let mut p = vec![t.ex_dettmers.to_string(), t.ex_kumar.to_string()];
    if let [a, b, ..] = rows.as_slice() {
        p.push(verdict(a, b, t));
    }
    sections.push(Section { id: "when", title: t.ex_when, paragraphs: p });

    Explainer { sections, block, sources: [t.src_1, t.src_2, t.src_3, t.src_4, t.src_5, t.src_6, t.src_7] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::kernels::quant::kernel;
    use crate::core::kernels::runner::run_kernel;
    use crate::core::kernels::tensor::{sample, Distribution, ROW};
    use crate::core::view::report::build;

    fn lab(ids: &[&str]) -> Vec<FormatResult> {
        let x = sample(Distribution::Gaussian, 1 << 14, 1);
        ids.iter().map(|id| run_kernel(kernel(id).unwrap(), &x, ROW, false, &|| 0.0, &mut |_| true).unwrap()).collect()
    }

    #[test]
    fn q4_0_block_shows_its_sixteen_levels_and_scale() {
        let r = &lab(&["q4_0"])[0];
        assert_eq!(r.block.len(), 32, "one Q4_0 block");
        let v = block_view(r, Lang::En).unwrap();
        // Q4_0: d = max/−8 (the value of largest magnitude, signed), q = round(x/d) + 8 in 0..15,
        // so a block comes back on at most 16 evenly spaced levels d·(q − 8).
        let n: usize = v.levels.split(' ').next().unwrap().parse().unwrap();
        assert!((2..=16).contains(&n), "{}", v.levels);
        assert!(v.levels.contains("apart"), "{}", v.levels);
        assert_eq!(v.rows.len(), SHOWN);
        // Each error is the quantized value minus the original.
        let [x, q, e] = &v.rows[0];
        let (x, q, e): (f32, f32, f32) = (x.parse().unwrap(), q.parse().unwrap(), e.parse().unwrap());
        assert!((q - x - e).abs() < 2e-4, "{x} {q} {e}");
        assert!(v.caption.starts_with("Q4_0: the first 32 values"), "{}", v.caption);
    }

    #[test]
    fn nf4_levels_are_a_codebook_not_a_grid() {
        let r = &lab(&["nf4"])[0];
        let v = block_view(r, Lang::En).unwrap();
        assert!(!v.levels.contains("apart"), "NF4's levels are not evenly spaced: {}", v.levels);
    }

    #[test]
    fn explains_with_the_users_numbers_in_both_languages() {
        let s = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16").0;
        let results = lab(&["q8_0", "q4_k"]);
        let e = explain(&s, &build(&s, &[]), &results, Some("q4_k"));
        assert_eq!(e.sections.len(), 5);
        let all: String = e.sections.iter().flat_map(|x| x.paragraphs.clone()).collect::<Vec<_>>().join("\n");
        for needle in ["42.51 GB", "16.06 GB", "70.6B", "4.82", "Q8_0", "2.68 GB", "Mixtral-8x7B", "[1]", "[3]", "[5]"]
        {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }
        assert!(e.block.as_ref().unwrap().caption.starts_with("Q4_K: the first 256 values"));
        let zh = explain(&Scenario { lang: Lang::ZhCn, ..s.clone() }, &build(&s, &[]), &results, None);
        let all_zh: String = zh.sections.iter().flat_map(|x| x.paragraphs.clone()).collect::<Vec<_>>().join("\n");
        assert!(all_zh.contains("42.51 GB") && all_zh.contains("参数"), "{all_zh}");
        assert!(zh.block.unwrap().caption.starts_with("Q8_0"), "the first lab result without a choice");
        assert!(explain(&s, &build(&s, &[]), &[], None).block.is_none());
    }

    /// The verdict reads the table: it names the winner the estimates above it name, and says
    /// whether the comparison stays within one family.
    #[test]
    fn the_verdict_agrees_with_the_table() {
        for (link, word, grade) in [
            (
                "m=llama-2-70b@q2_k,llama-2-13b@f16",
                "the bigger, coarser model wins: Llama-2-70B @ Q2_K",
                "Both are Llama 2",
            ),
            ("m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16", "wins: Llama-3.1-70B @ Q4_K_M", "Both are Llama 3"),
            // A 2:4-pruned 13B is bigger than a dense 7B and coarser: it loses, as Wanda measured.
            (
                "m=llama-2-13b@f16+2:4,llama-2-7b@f16",
                "the bigger, coarser model loses: Llama-2-13B @ F16 · 2:4 sparse",
                "Both are Llama 2",
            ),
            ("m=120B@q2_k,54B@q5_k_m&tok.1=15T&tok.2=15T", "the bigger, coarser model loses", "law-grade"),
            ("m=llama-2-7b@q4_k_m,llama-2-7b@q8_0", "Neither of the first two", "Both are Llama 2"),
            ("m=llama-2-70b@q4_k_m,qwen2.5-7b@bf16", "wins: Llama-2-70B", "belong to different families"),
            // One family, but none of its perplexities in the fit: law-grade, not measured-grade.
            ("m=gemma-3-27b@q2_k,gemma-3-12b@bf16", "", "the fit has no Gemma 3 perplexities"),
        ] {
            let s = Scenario::decode(link).0;
            let r = build(&s, &[]);
            let e = explain(&s, &r, &[], None);
            let last = e.sections[4].paragraphs.last().unwrap();
            assert!(last.contains(word), "{link}: {last}");
            let (a, b) = (r.rows[0].est.unwrap(), r.rows[1].est.unwrap());
            if last.contains("wins") {
                let big = if r.rows[0].param_count > r.rows[1].param_count { a } else { b };
                assert!(big.loss == a.loss.min(b.loss), "{link}: the verdict and the table disagree");
            }
            assert!(e.sections[3].paragraphs.iter().any(|p| p.contains(grade)), "{link}: {:?}", e.sections[3]);
        }
    }
}
