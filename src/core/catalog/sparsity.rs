//! Pruning as storage: the sparsity suffix of a format (`fp16+2:4`, `q8_0+4:8`, `fp16+u50`) and
//! the bytes a pruned linear layer takes. Only linear layers are pruned; embeddings, the output
//! head, routers and norms stay dense.
//!
//! - N:M (structured, along a row): N of every M consecutive values are kept, each with a
//!   ⌈log2 M⌉-bit position inside its group — the layout NVIDIA's sparse tensor cores read
//!   (2:4: 2 bits a kept value, so FP16 2:4 is (2·16 + 2·2)/4 = 9 bits a weight).
//! - Unstructured at a ratio p (per row): the kept values plus either a 1-bit-per-element mask
//!   or CSR (a 16-bit column index per kept value and a 32-bit offset per row), whichever is
//!   smaller; [`Sparsity::index_kind`] says which.
//!
//! The kept values of a block format are packed and quantized as their own tensor: a row keeps
//! `cols · N / M` values (or `cols − round(cols · p)`), and the format's blocks and scales are
//! counted over those.

use crate::core::catalog::format::Format;
use crate::core::text::i18n::{fill, Strings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Sparsity {
    #[default]
    Dense,
    /// Keep `n` of every `m` consecutive values of a row.
    NM { n: u8, m: u8 },
    /// Prune this percentage of each row's values.
    Unstructured { percent: u8 },
}

/// How an unstructured layer records where its kept values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// 2-bit positions for 2:4: ⌈log2 M⌉ bits per kept value.
    Positions,
    Bitmask,
    Csr,
}

/// The N:M patterns the page offers (any `n < m ≤ 32` reads from a link).
pub const PATTERNS: [Sparsity; 5] = [
    Sparsity::Dense,
    Sparsity::NM { n: 2, m: 4 },
    Sparsity::NM { n: 4, m: 8 },
    Sparsity::Unstructured { percent: 50 },
    Sparsity::Unstructured { percent: 70 },
];

/// What a lab run does: each id, then (unless `sparsity` is dense) each again pruned
/// (`q8_0+2:4`). The sample lab and a user's file send these to the worker alike.
pub fn with_pruned(ids: &[&str], sparsity: Sparsity) -> Vec<String> {
    let mut out: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
    if sparsity != Sparsity::Dense {
        out.extend(ids.iter().map(|id| format!("{id}{}", sparsity.suffix())));
    }
    out
}

impl Sparsity {
    /// The suffix after the format: `+2:4`, `+u50`; empty when dense.
    pub fn suffix(self) -> String {
        match self {
            Sparsity::Dense => String::new(),
            Sparsity::NM { n, m } => format!("+{n}:{m}"),
            Sparsity::Unstructured { percent } => format!("+u{percent}"),
        }
    }

    /// `2:4 sparse`, `50 % pruned`; empty when dense.
    pub fn label(self, t: &Strings) -> String {
        match self {
            Sparsity::Dense => String::new(),
            Sparsity::NM { n, m } => fill(t.sparse_nm, &[&n.to_string(), &m.to_string()]),
            Sparsity::Unstructured { percent } => fill(t.sparse_u, &[&percent.to_string()]),
        }
    }

    /// `base · 2:4 sparse`, or `base` when dense: how a title names its pruning.
    pub fn titled(self, base: String, t: &Strings) -> String {
        match self {
            Sparsity::Dense => base,
            sp => format!("{base} · {}", sp.label(t)),
        }
    }

    /// Share of a linear layer's values kept.
    pub fn density(self) -> f64 {
        match self {
            Sparsity::Dense => 1.0,
            Sparsity::NM { n, m } => f64::from(n) / f64::from(m),
            Sparsity::Unstructured { percent } => 1.0 - f64::from(percent) / 100.0,
        }
    }

    /// Reads a suffix without its `+`: `2:4`, `4:8`, `u50`.
    pub fn parse(text: &str) -> Result<Sparsity, crate::core::text::i18n::Msg> {
        let t = text.trim().to_ascii_lowercase();
        let bad = || crate::msg!(err_sparsity, crate::core::text::units::clip(text));
        if let Some(p) = t.strip_prefix('u') {
            return match p.parse::<u8>() {
                Ok(percent @ 1..=99) => Ok(Sparsity::Unstructured { percent }),
                _ => Err(bad()),
            };
        }
        let (n, m) = t.split_once(':').ok_or_else(bad)?;
        match (n.parse::<u8>(), m.parse::<u8>()) {
            (Ok(n), Ok(m)) if n >= 1 && n < m && m <= 32 => Ok(Sparsity::NM { n, m }),
            _ => Err(bad()),
        }
    }

    /// Splits `fp16+2:4` into the format and its sparsity: the last `+` part, unless it is a
    /// scheme's override (`q4_k_m+emb=q8_0+2:4` → `q4_k_m+emb=q8_0`, 2:4).
    pub fn split(format: &str) -> Result<(&str, Sparsity), crate::core::text::i18n::Msg> {
        match format.rsplit_once('+') {
            Some((f, s)) if !s.contains('=') => Ok((f, Sparsity::parse(s)?)),
            _ => Ok((format, Sparsity::Dense)),
        }
    }

    /// Values a row of `cols` keeps.
    pub fn kept(self, cols: u64) -> u64 {
        match self {
            Sparsity::Dense => cols,
            Sparsity::NM { n, m } => cols / u64::from(m) * u64::from(n) + (cols % u64::from(m)).min(n.into()),
            Sparsity::Unstructured { percent } => cols - (cols * u64::from(percent) + 50) / 100,
        }
    }

    /// How the positions are stored for a `rows` × `cols` matrix.
    pub fn index_kind(self, rows: u64, cols: u64) -> Option<Index> {
        match self {
            Sparsity::Dense => None,
            Sparsity::NM { .. } => Some(Index::Positions),
            Sparsity::Unstructured { .. } => {
                let (mask, csr) = self.index_bits(rows, cols);
                Some(if csr < mask { Index::Csr } else { Index::Bitmask })
            }
        }
    }

    /// ⌈log2 M⌉: the bits of position an N:M kept value carries (0 when not N:M).
    pub fn position_bits(self) -> u32 {
        match self {
            Sparsity::NM { m, .. } => u8::BITS - (m - 1).leading_zeros(),
            _ => 0,
        }
    }

    /// (bitmask or N:M position bits, CSR bits) for one matrix.
    fn index_bits(self, rows: u64, cols: u64) -> (u128, u128) {
        let kept = u128::from(rows) * u128::from(self.kept(cols));
        match self {
            Sparsity::Dense => (0, 0),
            Sparsity::NM { .. } => {
                let bits = u128::from(self.position_bits());
                (kept * bits, kept * bits)
            }
            Sparsity::Unstructured { .. } => {
                (u128::from(rows) * u128::from(cols), kept * 16 + (u128::from(rows) + 1) * 32)
            }
        }
    }

    /// Bytes of the positions of one pruned `rows` × `cols` matrix (N:M bits, or the smaller of
    /// bitmask and CSR), rounded up to whole bytes.
    pub fn index_bytes(self, rows: u64, cols: u64) -> u64 {
        let (a, b) = self.index_bits(rows, cols);
        u64::try_from(a.min(b).div_ceil(8)).unwrap_or(u64::MAX)
    }

    /// Bytes of `count` pruned `rows` × `cols` matrices in `f`: the kept values as their own
    /// tensor, plus the positions, each matrix rounded up to whole bytes.
    pub fn tensor_bytes(self, f: &Format, rows: u64, cols: u64, count: u64) -> u64 {
        if self == Sparsity::Dense {
            return f.tensor_bytes(rows, cols, count);
        }
        let values = f.tensor_bytes(rows, self.kept(cols), count);
        values.saturating_add(self.index_bytes(rows, cols).saturating_mul(count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::format::by_id;

    #[test]
    fn suffixes_read_and_write() {
        assert_eq!(Sparsity::split("fp16+2:4"), Ok(("fp16", Sparsity::NM { n: 2, m: 4 })));
        assert_eq!(Sparsity::split("q8_0+U50"), Ok(("q8_0", Sparsity::Unstructured { percent: 50 })));
        assert_eq!(Sparsity::split("bf16"), Ok(("bf16", Sparsity::Dense)));
        assert_eq!(Sparsity::split("q4_k_m+emb=q8_0+2:4"), Ok(("q4_k_m+emb=q8_0", Sparsity::NM { n: 2, m: 4 })));
        assert_eq!(Sparsity::split("q4_k_m+emb=q8_0+out=q8_0"), Ok(("q4_k_m+emb=q8_0+out=q8_0", Sparsity::Dense)));
        for bad in ["4:2", "0:4", "2:64", "u0", "u100", "x", "2:", ":4", "u-5"] {
            assert!(Sparsity::parse(bad).is_err(), "{bad}");
        }
        for s in PATTERNS {
            let suffix = s.suffix();
            let back = if suffix.is_empty() { Sparsity::Dense } else { Sparsity::parse(&suffix[1..]).unwrap() };
            assert_eq!(back, s);
        }
    }

    #[test]
    fn a_run_is_the_dense_ids_then_the_pruned_ones() {
        assert_eq!(with_pruned(&["f16", "q8_0"], Sparsity::Dense), ["f16", "q8_0"]);
        assert_eq!(with_pruned(&["f16", "q8_0"], Sparsity::NM { n: 2, m: 4 }), ["f16", "q8_0", "f16+2:4", "q8_0+2:4"]);
        assert_eq!(with_pruned(&["nf4"], Sparsity::Unstructured { percent: 50 }), ["nf4", "nf4+u50"]);
    }

    #[test]
    fn two_four_fp16_is_nine_bits_a_weight() {
        let f16 = by_id("f16").unwrap();
        let s = Sparsity::NM { n: 2, m: 4 };
        // 4096 × 4096: 2048 kept a row × 2 bytes + 2 bits each.
        let bytes = s.tensor_bytes(f16, 4096, 4096, 1);
        assert_eq!(bytes, 4096 * 2048 * 2 + 4096 * 2048 * 2 / 8);
        assert_eq!(bytes as f64 * 8.0 / (4096.0 * 4096.0), 9.0);
        // 4:8: 3 bits of position a kept value.
        assert_eq!(Sparsity::NM { n: 4, m: 8 }.tensor_bytes(f16, 8, 64, 1), 8 * 32 * 2 + 8 * 32 * 3 / 8);
    }

    #[test]
    fn kept_values_of_a_block_format_are_blocked_on_their_own() {
        // Q8_0 2:4 on a 4096-wide row: 2048 kept = 64 blocks of 34 bytes, + 2 bits a kept value.
        let q8 = by_id("q8_0").unwrap();
        let s = Sparsity::NM { n: 2, m: 4 };
        assert_eq!(s.tensor_bytes(q8, 1, 4096, 1), 64 * 34 + 2048 * 2 / 8);
    }

    #[test]
    fn unstructured_takes_the_smaller_index() {
        let f16 = by_id("f16").unwrap();
        // 50 %: a bitmask (1 bit an element) is smaller than CSR (16 bits a kept value).
        let s = Sparsity::Unstructured { percent: 50 };
        assert_eq!(s.index_kind(4096, 4096), Some(Index::Bitmask));
        assert_eq!(s.tensor_bytes(f16, 4096, 4096, 1), 4096 * 2048 * 2 + 4096 * 4096 / 8);
        // 99 %: 41 kept of 4096 a row; CSR = 41 · 16 bits a row + 32 bits a row offset (+1).
        let s = Sparsity::Unstructured { percent: 99 };
        assert_eq!(s.kept(4096), 41);
        assert_eq!(s.index_kind(4096, 4096), Some(Index::Csr));
        assert_eq!(s.tensor_bytes(f16, 4096, 4096, 1), 4096 * 41 * 2 + (4096 * 41 * 16 + 4097 * 32) / 8);
    }
}
