//! A user's file → what the page shows: a one-line summary and a row per tensor.

use super::file_model::FileModel;
use super::files::{Entry, Listing};
use super::lab::MAX_ELEMENTS;
use super::model::Class;
use super::units::{clip, fmt_bytes, fmt_thousands, human_count};

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

pub fn shape_text(shape: &[u64]) -> String {
    if shape.is_empty() {
        "scalar".into()
    } else {
        shape.iter().map(|d| fmt_thousands(*d)).collect::<Vec<_>>().join(" × ")
    }
}

pub fn blocked(e: &Entry) -> Option<String> {
    if !e.decodable() {
        Some(format!("{} is not read as numbers here", e.dtype))
    } else if e.elements() > u64::from(MAX_ELEMENTS) {
        Some("over 64 Mi elements".into())
    } else if e.elements() == 0 {
        Some("empty".into())
    } else {
        None
    }
}

/// `GGUF v3 · 291 tensors · 8.03B values · 4.92 GB file (header 7.2 MB)`
pub fn summary(file_name: &str, l: &Listing) -> String {
    let values: u64 = l.tensors.iter().map(Entry::elements).sum();
    let version = l.version.map(|v| format!(" v{v}")).unwrap_or_default();
    format!(
        "{} — {}{version} · {} tensor{} · {} values · {} file (header {})",
        clip(file_name),
        l.kind.label(),
        fmt_thousands(l.tensors.len() as u64),
        if l.tensors.len() == 1 { "" } else { "s" },
        human_count(values),
        fmt_bytes(l.file_bytes),
        fmt_bytes(l.header_bytes)
    )
}

pub fn rows(l: &Listing) -> Vec<TensorRow> {
    l.tensors
        .iter()
        .enumerate()
        .map(|(index, e)| TensorRow {
            index,
            name: e.name.clone(),
            shape: shape_text(&e.shape),
            dtype: e.dtype.clone(),
            bytes: fmt_bytes(e.bytes),
            elements: human_count(e.elements()),
            blocked: blocked(e),
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

pub fn model_view(m: &FileModel) -> ModelView {
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
        Some((s, w)) => format!(
            "As stored: {} ({} bytes of tensors); computed for {}: {} ({:+.2} %)",
            fmt_bytes(m.stored_bytes),
            fmt_thousands(m.stored_bytes),
            s.name,
            fmt_bytes(w.bytes()),
            (w.bytes() as f64 / m.stored_bytes.max(1) as f64 - 1.0) * 100.0
        ),
        None => {
            format!("As stored: {} ({} bytes of tensors)", fmt_bytes(m.stored_bytes), fmt_thousands(m.stored_bytes))
        }
    };
    ModelView {
        classes: Class::ALL
            .iter()
            .map(|c| format!("{} {}", c.label(), human_count(m.class_params(*c))))
            .collect::<Vec<_>>()
            .join(" · "),
        summary: format!(
            "{} parameters in {} tensors; {} layer{}{}",
            human_count(m.params),
            fmt_thousands(m.tensors.len() as u64),
            m.arch.layers,
            if m.arch.layers == 1 { "" } else { "s" },
            m.arch.moe.map(|e| format!("; {} experts", e.experts)).unwrap_or_default()
        ),
        stored,
        rows,
        unrecognised: (!m.unrecognised.is_empty()).then(|| {
            format!(
                "{} tensor(s) with names not recognised, counted as FFN linear layers: {}",
                m.unrecognised.len(),
                m.unrecognised.iter().take(5).map(|n| clip(n)).collect::<Vec<_>>().join(", ")
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let r = rows(&l);
        assert_eq!(r[0].shape, "14,336 × 4,096");
        assert_eq!((r[0].bytes.as_str(), r[0].elements.as_str()), ("117.4 MB", "58.7M"));
        assert_eq!(r[0].blocked, None);
        assert!(r[1].blocked.as_deref().unwrap().contains("I32"));
        assert_eq!(r[2].blocked.as_deref(), Some("over 64 Mi elements"));
        assert_eq!(summary("m.gguf", &l), "m.gguf — GGUF v3 · 3 tensors · 193M values · 4.92 GB file (header 7.20 MB)");
        assert_eq!(shape_text(&[]), "scalar");
    }

    /// The safetensors fixture: 4 linear tensors and a norm, mixed float types (so no single
    /// stored scheme); its footprint rows cover every scheme.
    #[test]
    fn the_fixture_model_reads_well() {
        let bytes = include_bytes!("../../tests/fixtures/files/small.safetensors");
        let l = crate::core::files::parse(bytes, bytes.len() as u64).unwrap();
        let m = crate::core::file_model::from_listing(&l).unwrap();
        let v = model_view(&m);
        // embed 16×64, q 64×64, k 32×64, down 64×128, norm 64, lm_head 16×64.
        assert_eq!(m.params, 1024 + 4096 + 2048 + 8192 + 64 + 1024);
        assert_eq!(v.summary, "16.4K parameters in 6 tensors; 1 layer");
        assert_eq!(
            v.classes,
            "Token embedding 1.02K · Attention 6.14K · FFN 8.19K · Output head 1.02K · Norms & biases 64"
        );
        assert_eq!(v.rows.len(), crate::core::scheme::schemes().len());
        assert!(v.rows.iter().all(|r| !r.stored));
        // 4,096 (F32) + 8,192 + 4,096 (F16) + 32,768 + 256 (F32) + 2,048 (BF16).
        assert_eq!(v.stored, "As stored: 51.46 KB (51,456 bytes of tensors)");
        assert_eq!(v.unrecognised, None);
    }
}
