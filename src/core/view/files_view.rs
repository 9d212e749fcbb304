//! A user's file → what the page shows: a one-line summary and a row per tensor.

use crate::core::catalog::model::Class;
use crate::core::files::model::FileModel;
use crate::core::files::{Entry, Listing};
use crate::core::kernels::runner::MAX_RUN_ELEMENTS;
use crate::core::text::i18n::{fill, Lang, Msg, Strings};
use crate::core::text::units::{clip, fmt_bytes, fmt_thousands, human_count};

#[derive(Debug, Clone, PartialEq)]
pub struct TensorRow {
    pub index: usize,
    pub name: String,
    /// `4096 × 14336`
    pub shape: String,
    pub dtype: String,
    /// `117.4 MB`
    pub bytes: String,
    /// `58.7M`
    pub elements: String,
    /// Why the lab cannot run this tensor, if it cannot.
    pub blocked: Option<String>,
}

/// An error about the open file, naming it (a user may have opened several by now); nothing
/// to name before a file is open.
pub fn file_error(file_name: &str, m: Msg) -> Msg {
    if file_name.is_empty() {
        m
    } else {
        crate::msg!(file_error, file_name, m)
    }
}

pub fn shape_text(shape: &[u64], t: &Strings) -> String {
    if shape.is_empty() {
        t.scalar.into()
    } else {
        shape.iter().map(|d| fmt_thousands(*d)).collect::<Vec<_>>().join(" × ")
    }
}

/// Why the lab cannot run this tensor, if it cannot ([`Entry::runnable`]).
pub fn blocked(e: &Entry, t: &Strings) -> Option<String> {
    if !e.decodable() {
        Some(fill(t.fv_not_numbers, &[&e.dtype]))
    } else if e.elements() > u64::from(MAX_RUN_ELEMENTS) {
        Some(t.fv_over.into())
    } else if e.elements() == 0 {
        Some(t.fv_empty.into())
    } else {
        None
    }
}

/// `GGUF v3 · 291 tensors · 8.03B values · 4.92 GB file (header 7.2 MB)`
pub fn summary(file_name: &str, l: &Listing, t: &Strings) -> String {
    let values: u64 = l.tensors.iter().map(Entry::elements).sum();
    let version = l.version.map(|v| format!(" v{v}")).unwrap_or_default();
    fill(
        if l.tensors.len() == 1 { t.fv_summary_one } else { t.fv_summary },
        &[
            &clip(file_name),
            &format!("{}{version}", l.kind.label()),
            &fmt_thousands(l.tensors.len() as u64),
            &human_count(values),
            &fmt_bytes(l.file_bytes),
            &fmt_bytes(l.header_bytes),
        ],
    )
}

pub fn rows(l: &Listing, t: &Strings) -> Vec<TensorRow> {
    l.tensors
        .iter()
        .enumerate()
        .map(|(index, e)| TensorRow {
            index,
            name: e.name.clone(),
            shape: shape_text(&e.shape, t),
            dtype: e.dtype.clone(),
            bytes: fmt_bytes(e.bytes),
            elements: human_count(e.elements()),
            blocked: blocked(e, t),
        })
        .collect()
}

/// One scheme's weights for the file's model.
#[derive(Debug, Clone, PartialEq)]
pub struct FootprintRow {
    pub scheme: &'static str,
    pub bytes: String,
    pub bpw: String,
    /// The scheme the file was made with.
    pub stored: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelView {
    /// `Embedding 525M · Attention 1.34B · …`
    pub classes: String,
    /// `8.03B parameters in 291 tensors; 32 layers`
    pub summary: String,
    /// `As stored: 4.92 GB (4,920,… bytes); computed for Q4_K_M: 4.92 GB (+0.00 %)`
    pub stored: String,
    pub rows: Vec<FootprintRow>,
    pub unrecognised: Option<String>,
}

pub fn model_view(m: &FileModel, lang: Lang) -> ModelView {
    let t = lang.strings();
    let params = m.params.max(1) as f64;
    let footprints = m.footprints();
    let rows = footprints
        .iter()
        .map(|(s, w)| FootprintRow {
            scheme: s.name,
            bytes: fmt_bytes(w.bytes()),
            bpw: format!("{:.2}", w.bytes() as f64 * 8.0 / params),
            stored: m.stored_as.is_some_and(|x| std::ptr::eq(x, *s)),
        })
        .collect();
    let stored = match m.stored_as.and_then(|x| footprints.iter().find(|(s, _)| std::ptr::eq(*s, x))) {
        Some((s, w)) => fill(
            t.fv_stored_vs,
            &[
                &fmt_bytes(m.stored_bytes),
                &fmt_thousands(m.stored_bytes),
                s.name,
                &fmt_bytes(w.bytes()),
                &lang.percent(&format!("{:+.2}", (w.bytes() as f64 / m.stored_bytes.max(1) as f64 - 1.0) * 100.0)),
            ],
        ),
        None => fill(t.fv_stored, &[&fmt_bytes(m.stored_bytes), &fmt_thousands(m.stored_bytes)]),
    };
    ModelView {
        classes: Class::ALL
            .iter()
            .map(|c| format!("{} {}", c.label_in(t), human_count(m.class_params(*c))))
            .collect::<Vec<_>>()
            .join(" · "),
        summary: fill(
            if m.arch.layers == 1 { t.fv_model_one } else { t.fv_model },
            &[&human_count(m.params), &fmt_thousands(m.tensors.len() as u64), &m.arch.layers.to_string()],
        ) + &m.arch.moe.map(|e| fill(t.fv_experts, &[&e.experts.to_string()])).unwrap_or_default(),
        stored,
        rows,
        unrecognised: (!m.unrecognised.is_empty()).then(|| {
            let names = m.unrecognised.iter().take(5).map(|n| clip(n)).collect::<Vec<_>>().join(", ");
            fill(t.fv_unrecognised, &[&m.unrecognised.len().to_string(), &names])
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &crate::core::text::i18n::Strings = crate::core::text::i18n::ENGLISH;
    use crate::core::files::{Decode, Kind};

    #[test]
    fn rows_and_summary_read_well() {
        let e = |name: &str, dtype: &str, shape: Vec<u64>, decode: Decode| Entry {
            name: name.into(),
            dtype: dtype.into(),
            bytes: shape.iter().product::<u64>() * 2,
            shape,
            offset: 0,
            decode,
        };
        let l = Listing {
            kind: Kind::Gguf,
            version: Some(3),
            tensors: vec![
                e("blk.0.ffn_up.weight", "F16", vec![14336, 4096], Decode::F16),
                e("ids", "I32", vec![4], Decode::No),
                e("huge", "F16", vec![1 << 14, 1 << 13], Decode::F16),
            ],
            metadata: vec![],
            header_bytes: 7_200_000,
            file_bytes: 4_920_000_000,
        };
        let r = rows(&l, EN);
        assert_eq!(r[0].shape, "14,336 × 4,096");
        assert_eq!((r[0].bytes.as_str(), r[0].elements.as_str()), ("117.4 MB", "58.7M"));
        assert_eq!(r[0].blocked, None);
        assert!(r[1].blocked.as_deref().unwrap().contains("I32"));
        assert_eq!(r[2].blocked.as_deref(), Some("over 64 Mi elements"));
        assert_eq!(
            summary("m.gguf", &l, EN),
            "m.gguf — GGUF v3 · 3 tensors · 193M values · 4.92 GB file (header 7.20 MB)"
        );
        assert_eq!(shape_text(&[], EN), "scalar");
    }

    #[test]
    fn a_file_error_names_the_file() {
        let m = file_error("w.gguf", crate::msg!(f_truncated, 64u64, 10u64));
        assert_eq!(
            m.text(Lang::En),
            "“w.gguf”: the file is truncated: the shape needs 64 bytes of data, the file holds 10"
        );
        assert!(m.text(Lang::ZhCn).starts_with("文件“w.gguf”："));
        assert_eq!(file_error("", crate::msg!(no_file_open)).text(Lang::En), "no file is open");
    }

    /// The safetensors fixture: 4 linear tensors and a norm, mixed float types (so no single
    /// stored scheme); its footprint rows cover every scheme.
    #[test]
    fn the_fixture_model_reads_well() {
        let bytes = include_bytes!("../../../tests/fixtures/files/small.safetensors");
        let l = crate::core::files::parse(bytes, bytes.len() as u64).unwrap();
        let m = crate::core::files::model::from_listing(&l).unwrap();
        let v = model_view(&m, Lang::En);
        // embed 16×64, q 64×64, k 32×64, down 64×128, norm 64, lm_head 16×64.
        assert_eq!(m.params, 1024 + 4096 + 2048 + 8192 + 64 + 1024);
        assert_eq!(v.summary, "16.4K parameters in 6 tensors; 1 layer");
        assert_eq!(
            v.classes,
            "Token embedding 1.02K · Attention 6.14K · FFN 8.19K · Output head 1.02K · Norms & biases 64"
        );
        assert_eq!(v.rows.len(), crate::core::catalog::scheme::schemes().len());
        assert!(v.rows.iter().all(|r| !r.stored));
        // 4,096 (F32) + 8,192 + 4,096 (F16) + 32,768 + 256 (F32) + 2,048 (BF16).
        assert_eq!(v.stored, "As stored: 51.46 KB (51,456 bytes of tensors)");
        assert_eq!(v.unrecognised, None);
    }
}

/// What the page says of a config.json it read: the model in one line, the format it will be
/// added in, and the notes (what was assumed, what was not read).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigView {
    /// `qwen3_next: 79.7B parameters, 3.87B active, 48 layers`
    pub summary: String,
    /// The shipped format, or BF16 when the catalogue has nothing near it.
    pub scheme: &'static crate::core::catalog::scheme::Scheme,
    /// The weights' bytes in that format, as the footprint counts them.
    pub weights: u64,
    pub assumed: Vec<String>,
    pub unread: Vec<String>,
}

pub fn config_view(m: &crate::core::files::config::ConfigModel, lang: Lang) -> ConfigView {
    let t = lang.strings();
    let (total, active) = (m.arch.params(), m.arch.active_params());
    let mut summary = fill(t.cfg_summary, &[&clip(&m.model_type), &human_count(total), &m.arch.layers.to_string()]);
    if active != total {
        summary = fill(t.cfg_summary_moe, &[&summary, &human_count(active)]);
    }
    let bf16 = crate::core::catalog::scheme::by_id("bf16");
    let scheme = m.shipped.or(bf16).expect("BF16 is in the catalogue");
    let texts = |ms: &[Msg]| ms.iter().map(|x| x.text(lang)).collect();
    let weights = crate::core::memory::footprint::weights(&m.arch, scheme).bytes();
    ConfigView { summary, scheme, weights, assumed: texts(&m.assumed), unread: texts(&m.unread) }
}

/// The Hub's total beside the weights counted here: `The Hub's safetensors files hold 16.38 GB
/// (…); the weights counted here in BF16: 16.38 GB (+0.00 %).`
pub fn hub_total_text(v: &ConfigView, total: u64, lang: Lang) -> String {
    use crate::core::text::units::fmt_bytes;
    let t = lang.strings();
    let diff = (v.weights as f64 / total.max(1) as f64 - 1.0) * 100.0;
    let index = crate::core::files::hub::INDEX;
    fill(t.src_hub_total, &[&fmt_bytes(total), index, v.scheme.name, &fmt_bytes(v.weights), &format!("{diff:+.2}")])
}

#[cfg(test)]
mod config_view_tests {
    use super::*;
    use crate::core::files::config::read_config;

    fn fixture(id: &str) -> crate::core::files::config::ConfigModel {
        let path = format!("{}/tests/fixtures/configs/{id}/config.json", env!("CARGO_MANIFEST_DIR"));
        read_config(&std::fs::read(path).unwrap()).unwrap()
    }

    /// Qwen/Qwen3-8B's published index: `"total_size": 16381470720` (index copies found in the
    /// search corpus: a loader's fixture of its index with 5 shards, and an inventory of its 399
    /// tensors reconciled with it) — its 8,190,735,360 parameters at 2 bytes, to the byte.
    #[test]
    fn the_hubs_total_beside_the_weights() {
        let v = config_view(&fixture("qwen3-8b"), Lang::En);
        assert_eq!(v.weights, 2 * 8_190_735_360);
        assert_eq!(
            hub_total_text(&v, 16_381_470_720, Lang::En),
            "The Hub's safetensors files hold 16.38 GB (model.safetensors.index.json, metadata.total_size); the weights counted here in BF16: 16.38 GB (+0.00 %)."
        );
        let z = hub_total_text(&config_view(&fixture("qwen3-8b"), Lang::ZhCn), 16_000_000_000, Lang::ZhCn);
        assert!(z.contains("+2.38%"), "{z}");
    }

    #[test]
    fn a_config_in_one_line_with_its_format() {
        let v = config_view(&fixture("gpt-oss-20b"), Lang::En);
        // 20,914,757,184 parameters (the model card's 20.91B) in 24 layers; active, the card's
        // 3,608,307,264 (which leaves out the input embedding) + 201,088 × 2,880 = 4,187,440,704.
        assert_eq!(v.summary, "gpt_oss: 20.9B parameters, 24 layers; 4.19B active");
        assert_eq!(v.scheme.id, "mxfp4");
        let v = config_view(&fixture("llama-3.1-8b"), Lang::ZhCn);
        assert_eq!(v.scheme.id, "bf16");
        assert_eq!(v.summary, "llama：8.03B 参数，32 层");
    }
}
