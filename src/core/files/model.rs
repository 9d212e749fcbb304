//! A model read from a file's tensor list: each tensor's kind from its name (Hugging Face and
//! GGUF conventions), exact per-class parameter counts, and the model's footprint under every
//! format and llama-quantize preset, beside the bytes the file really holds.

use crate::core::catalog::model::{Arch, Class, Kind, Moe, Tensor, DECODER};
use crate::core::catalog::scheme::{by_id, schemes, Scheme};
use crate::core::files::{Entry, Kind as FileKind, Listing};
use crate::core::memory::footprint::{weights_of, Weights};

/// The tensor kind and layer a name means, in either naming convention.
pub fn classify(name: &str, dims: usize) -> Option<(Kind, Option<u32>)> {
    let layer = name
        .split('.')
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w[0] == "layers" || w[0] == "blk" || w[0] == "h" || w[0] == "layer")
        .and_then(|w| w[1].parse::<u32>().ok());
    if dims < 2 {
        return Some((Kind::Vector, layer));
    }
    let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
    let kind = if has(&["embed_tokens", "token_embd", "wte", "word_embeddings", "tok_embeddings"]) {
        Kind::TokenEmbd
    } else if has(&["lm_head", "output.weight"]) && layer.is_none() {
        Kind::Output
    } else if has(&["ffn_gate_inp", "mlp.gate.weight", "block_sparse_moe.gate.weight", "router"]) {
        Kind::Router
    } else if has(&["q_proj", "attn_q.", "wq"]) {
        Kind::AttnQ
    } else if has(&["k_proj", "attn_k.", "wk"]) {
        Kind::AttnK
    } else if has(&["v_proj", "attn_v.", "wv"]) {
        Kind::AttnV
    } else if has(&["qkv", "c_attn"]) {
        Kind::AttnQkv
    } else if has(&["o_proj", "attn_output", "wo", "c_proj"]) && !has(&["mlp"]) {
        Kind::AttnOut
    } else if has(&["gate_proj", "ffn_gate", "w1"]) {
        Kind::FfnGate
    } else if has(&["down_proj", "ffn_down", "w2", "fc2"]) {
        Kind::FfnDown
    } else if has(&["up_proj", "ffn_up", "w3", "fc1", "c_fc"]) {
        Kind::FfnUp
    } else {
        return None;
    };
    Some((kind, layer))
}

/// What the file's tensor list says about its model.
#[derive(Debug, Clone, PartialEq)]
pub struct FileModel {
    pub tensors: Vec<Tensor>,
    /// What the schemes' rules look at: layers, heads (or their ratio), experts, tied embeddings.
    pub arch: Arch,
    pub params: u64,
    /// Parameters per [`Class`], in [`Class::ALL`] order.
    pub classes: [u64; 5],
    /// 2-D tensors whose names are not recognised: counted as linear layers of the FFN class.
    pub unrecognised: Vec<String>,
    /// Bytes the file's tensors take as stored.
    pub stored_bytes: u64,
    /// The scheme the file says it was made with (GGUF `general.file_type`, or the one float
    /// type of a safetensors file).
    pub stored_as: Option<&'static Scheme>,
    /// A decoder architecture with this tensor list's sizes, for a configuration and a link
    /// (`None` when the list lacks an embedding, attention or FFN to read them from).
    pub link_arch: Option<Arch>,
}

fn meta<'a>(l: &'a Listing, suffix: &str) -> Option<&'a str> {
    l.metadata.iter().find(|(k, _)| k.ends_with(suffix)).map(|(_, v)| v.as_str())
}

/// llama.cpp's `LLAMA_FTYPE_*` numbers for the schemes here.
fn ftype_scheme(n: u32) -> Option<&'static str> {
    Some(match n {
        0 => "f32",
        1 => "f16",
        2 => "q4_0",
        3 => "q4_1",
        7 => "q8_0",
        8 => "q5_0",
        9 => "q5_1",
        10 => "q2_k",
        11 => "q3_k_s",
        12 => "q3_k_m",
        13 => "q3_k_l",
        14 => "q4_k_s",
        15 => "q4_k_m",
        16 => "q5_k_s",
        17 => "q5_k_m",
        18 => "q6_k",
        19 => "iq2_xxs",
        20 => "iq2_xs",
        21 => "q2_k_s",
        22 => "iq3_xs",
        23 => "iq3_xxs",
        24 => "iq1_s",
        25 => "iq4_nl",
        26 => "iq3_s",
        27 => "iq3_m",
        28 => "iq2_s",
        29 => "iq2_m",
        30 => "iq4_xs",
        31 => "iq1_m",
        32 => "bf16",
        36 => "tq1_0",
        37 => "tq2_0",
        38 => "mxfp4_moe",
        _ => return None,
    })
}

pub fn from_listing(l: &Listing) -> Option<FileModel> {
    if l.kind == FileKind::Npy || l.tensors.is_empty() {
        return None;
    }
    let mut tensors = Vec::new();
    let mut unrecognised = Vec::new();
    let mut experts = 0u64;
    for e in &l.tensors {
        let (kind, layer) = classify(&e.name, e.shape.len()).unwrap_or_else(|| {
            unrecognised.push(e.name.clone());
            (Kind::FfnUp, None)
        });
        let (count, rows, cols) = match e.shape.as_slice() {
            [] => (1, 1, 1),
            [n] => (1, 1, *n),
            [r, c] => (1, *r, *c),
            [lead @ .., r, c] => (lead.iter().product(), *r, *c),
        };
        let routed = count > 1 && matches!(kind, Kind::FfnGate | Kind::FfnUp | Kind::FfnDown);
        if routed {
            experts = experts.max(count);
        }
        tensors.push(Tensor { kind, layer, rows, cols, count, routed });
    }
    let layers = tensors.iter().filter_map(|t| t.layer).max().map_or(1, |m| m + 1);
    let rows_of = |k: Kind| tensors.iter().find(|t| t.kind == k).map(|t| t.rows);
    let count = |key: &str| meta(l, key).and_then(|v| v.parse::<u64>().ok());
    let (heads, kv_heads) = match (count(".attention.head_count"), count(".attention.head_count_kv")) {
        (Some(h), kv) => (h, kv.unwrap_or(h)),
        // Only the ratio matters to the rules: q rows over k rows.
        _ => match (rows_of(Kind::AttnQ), rows_of(Kind::AttnK)) {
            (Some(q), Some(k)) if k > 0 && q % k == 0 => (q / k, 1),
            _ => (1, 1),
        },
    };
    let experts = count(".expert_count").unwrap_or(experts);
    let arch = Arch {
        layers,
        heads,
        kv_heads: kv_heads.max(1),
        tied_embeddings: !tensors.iter().any(|t| t.kind == Kind::Output),
        moe: (experts > 1).then_some(Moe {
            experts,
            active: count(".expert_used_count").unwrap_or(2),
            shared: 0,
            expert_ffn: 0,
            dense_layers: 0,
            every: 1,
        }),
        ..DECODER
    };
    let mut classes = [0u64; 5];
    for t in &tensors {
        classes[t.kind.class().index()] += t.params();
    }
    let stored_as = match l.kind {
        FileKind::Gguf => meta(l, "general.file_type").and_then(|v| v.parse().ok()).and_then(ftype_scheme),
        _ => {
            let floats: Vec<&str> = l.tensors.iter().map(|t: &Entry| t.dtype.as_str()).collect();
            ["F32", "F16", "BF16"].into_iter().find(|d| floats.iter().all(|f| f == d)).map(|d| match d {
                "F32" => "f32",
                "F16" => "f16",
                _ => "bf16",
            })
        }
    }
    .and_then(by_id);
    let link_arch = derive_arch(l, &tensors, &arch);
    Some(FileModel {
        link_arch,
        params: classes.iter().sum(),
        tensors,
        arch,
        classes,
        unrecognised,
        stored_bytes: l.tensors.iter().map(|t| t.bytes).sum(),
        stored_as,
    })
}

/// The sizes a link needs, read off the tensors: hidden and vocabulary from the embedding, the
/// head size from GGUF's `key_length` or `head_count` (else 128, or 64 when 128 does not
/// divide), heads from
/// the q and k rows, the FFN width from the up projection (or one expert's).
fn derive_arch(l: &Listing, tensors: &[Tensor], base: &Arch) -> Option<Arch> {
    let find = |k: Kind| tensors.iter().find(|t| t.kind == k);
    let embd = find(Kind::TokenEmbd)?;
    let (q, k) = (find(Kind::AttnQ)?, find(Kind::AttnK)?);
    let up = find(Kind::FfnUp).or_else(|| find(Kind::FfnGate))?;
    let count = |key: &str| meta(l, key).and_then(|v| v.parse::<u64>().ok());
    let guess = if q.rows % 128 == 0 && k.rows % 128 == 0 { 128 } else { 64 };
    let head_dim = count(".attention.key_length")
        .or_else(|| count(".attention.head_count").filter(|h| *h > 0 && q.rows % h == 0).map(|h| q.rows / h))
        .unwrap_or(guess);
    if head_dim == 0 || q.rows % head_dim != 0 || k.rows % head_dim != 0 {
        return None;
    }
    let layers = base.layers;
    let norms = tensors.iter().filter(|t| t.kind == Kind::Vector && t.layer == Some(0)).count() as u64;
    let qkv_bias =
        tensors.iter().any(|t| t.kind == Kind::Vector && t.layer == Some(0) && t.cols == q.rows) && norms > 2;
    let moe = base.moe.map(|m| Moe { expert_ffn: up.rows, ..m });
    let arch = Arch {
        layers,
        hidden: embd.cols,
        heads: q.rows / head_dim,
        kv_heads: k.rows / head_dim,
        head_dim,
        ffn: if moe.is_some() { base.ffn } else { up.rows },
        vocab: embd.rows,
        tied_embeddings: base.tied_embeddings,
        max_context: count(".context_length").unwrap_or(4096).clamp(1, 1 << 27),
        moe,
        qkv_bias,
        norms_per_layer: if qkv_bias { norms - 3 } else { norms }.clamp(1, 8),
        ..DECODER
    };
    // Only what a link can carry, within its limits.
    Arch::decode(&arch.encode()).ok()
}

impl FileModel {
    /// The model's weights under every scheme, in picker order.
    pub fn footprints(&self) -> Vec<(&'static Scheme, Weights)> {
        schemes().iter().map(|s| (s, weights_of(&self.tensors, &self.arch, s))).collect()
    }

    pub fn class_params(&self, c: Class) -> u64 {
        self.classes[c.index()]
    }
}

/// Up to `k` tensors of each class that the lab can run, spread evenly over the layers: the
/// indices into the listing, in file order.
pub fn sample_per_class(l: &Listing, k: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for class in Class::ALL {
        let of: Vec<usize> = l
            .tensors
            .iter()
            .enumerate()
            .filter(|(_, e)| e.runnable())
            .filter(|(_, e)| classify(&e.name, e.shape.len()).map_or(Kind::FfnUp, |c| c.0).class() == class)
            .map(|(i, _)| i)
            .collect();
        let n = of.len();
        let picks = k.min(n);
        for j in 0..picks {
            let at = if picks == 1 { 0 } else { j * (n - 1) / (picks - 1) };
            out.push(of[at]);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    /// Every `LLAMA_FTYPE_*` the map names is a scheme (a ggml type or a preset) the page has.
    #[test]
    fn ftypes_name_schemes() {
        for n in 0..64 {
            if let Some(id) = ftype_scheme(n) {
                assert!(crate::core::catalog::scheme::by_id(id).is_some(), "ftype {n}: no scheme {id}");
            }
        }
    }
    use crate::core::memory::footprint::weights;

    #[test]
    fn samples_spread_over_each_class() {
        let e = |name: String, shape: Vec<u64>| Entry {
            name,
            dtype: "F16".into(),
            bytes: shape.iter().product::<u64>() * 2,
            shape,
            offset: 0,
            decode: crate::core::files::Decode::F16,
        };
        let mut tensors = vec![e("token_embd.weight".into(), vec![100, 64])];
        for i in 0..10 {
            tensors.push(e(format!("blk.{i}.attn_q.weight"), vec![64, 64]));
            tensors.push(e(format!("blk.{i}.ffn_up.weight"), vec![128, 64]));
            tensors.push(e(format!("blk.{i}.attn_norm.weight"), vec![64]));
        }
        let l = Listing {
            kind: FileKind::Gguf,
            version: Some(3),
            tensors,
            metadata: vec![],
            header_bytes: 0,
            file_bytes: 0,
        };
        let picked: Vec<&str> = sample_per_class(&l, 2).into_iter().map(|i| l.tensors[i].name.as_str()).collect();
        assert_eq!(
            picked,
            [
                "token_embd.weight",
                "blk.0.attn_q.weight",
                "blk.0.ffn_up.weight",
                "blk.0.attn_norm.weight",
                "blk.9.attn_q.weight",
                "blk.9.ffn_up.weight",
                "blk.9.attn_norm.weight"
            ]
        );
        assert_eq!(sample_per_class(&l, 1).len(), 4);
    }

    #[test]
    fn names_in_both_conventions() {
        assert_eq!(classify("model.layers.3.self_attn.k_proj.weight", 2), Some((Kind::AttnK, Some(3))));
        assert_eq!(classify("blk.31.ffn_down.weight", 2), Some((Kind::FfnDown, Some(31))));
        assert_eq!(classify("blk.0.attn_output.weight", 2), Some((Kind::AttnOut, Some(0))));
        assert_eq!(classify("output.weight", 2), Some((Kind::Output, None)));
        assert_eq!(classify("lm_head.weight", 2), Some((Kind::Output, None)));
        assert_eq!(classify("token_embd.weight", 2), Some((Kind::TokenEmbd, None)));
        assert_eq!(classify("blk.2.ffn_gate_exps.weight", 3), Some((Kind::FfnGate, Some(2))));
        assert_eq!(classify("blk.2.ffn_gate_inp.weight", 2), Some((Kind::Router, Some(2))));
        assert_eq!(classify("model.norm.weight", 1), Some((Kind::Vector, None)));
        assert_eq!(classify("vision.patch.weight", 2), None);
    }

    /// A Llama-3.1-8B tensor list written as a GGUF header gives the preset's exact bytes for
    /// every llama-quantize preset (the same per-tensor rules on the same tensors).
    #[test]
    fn a_listed_llama_matches_the_preset() {
        let arch = preset("llama-3.1-8b").unwrap().arch;
        let mut l = Listing {
            kind: FileKind::Gguf,
            version: Some(3),
            tensors: vec![],
            metadata: vec![
                ("llama.attention.head_count".into(), "32".into()),
                ("llama.attention.head_count_kv".into(), "8".into()),
                ("general.file_type".into(), "15".into()),
            ],
            header_bytes: 0,
            file_bytes: 0,
        };
        let names = |k: Kind| match k {
            Kind::TokenEmbd => "token_embd",
            Kind::Output => "output",
            Kind::AttnQ => "attn_q",
            Kind::AttnK => "attn_k",
            Kind::AttnV => "attn_v",
            Kind::AttnOut => "attn_output",
            Kind::FfnGate => "ffn_gate",
            Kind::FfnUp => "ffn_up",
            Kind::FfnDown => "ffn_down",
            _ => "attn_norm",
        };
        for t in arch.tensors() {
            let name = match t.layer {
                Some(i) => format!("blk.{i}.{}.weight", names(t.kind)),
                None if t.kind == Kind::Vector => "output_norm.weight".into(),
                None => format!("{}.weight", names(t.kind)),
            };
            let shape = if t.kind == Kind::Vector { vec![t.cols] } else { vec![t.rows, t.cols] };
            l.tensors.push(Entry {
                name,
                dtype: "F32".into(),
                shape,
                offset: 0,
                bytes: t.params() * 4,
                decode: crate::core::files::Decode::F32,
            });
        }
        let m = from_listing(&l).unwrap();
        assert_eq!(m.params, arch.params());
        // Its link architecture is the preset's, but for the context GGUF did not state.
        assert_eq!(m.link_arch, Some(Arch { max_context: 4096, ..arch }));
        assert_eq!(m.stored_as.map(|s| s.id), Some("q4_k_m"));
        assert!(m.unrecognised.is_empty());
        for (s, w) in m.footprints() {
            assert_eq!(w.bytes(), weights(&arch, s).bytes(), "{}", s.id);
        }
    }
}
