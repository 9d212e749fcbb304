//! A user's file → what the page shows: a one-line summary and a row per tensor.

use super::files::{Entry, Listing};
use super::lab::MAX_ELEMENTS;
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
}
