//! Where the bytes sit when a model is split: layers between the GPU and system RAM (llama.cpp's
//! `-ngl`), the routed experts in RAM (`--n-cpu-moe`, `-ot exps=CPU`), or layers across several
//! cards (llama.cpp's default `--split-mode layer`); and what one generated token reads from each.
//!
//! llama.cpp's placement, restated (`src/llama-model.cpp`, `load_tensors`): a model is `L`
//! repeating layers and the output layer (final norm and output head), `L + 1` units. `-ngl G`
//! puts the last `G` units on the GPUs: the output layer first, then the last `G − 1` layers
//! (`i_gpu_start = L + 1 − G`, as llama.cpp builds of 2026 count, and `--fit`'s log reads
//! "offloading output layer to GPU, offloading 14 repeating layers to GPU, offloaded 15/33";
//! earlier builds used `L − G`, which left the output layer on the CPU below `G = L + 1`, and the
//! measured loads in `tests/runtime_measured.rs` come from such builds); `G = L + 1` puts every unit on the GPUs. The input layer (the token embedding) always stays on the CPU, and
//! each layer's KV cache sits with its layer. Over `n` equal cards, GPU unit `j` of `G` goes to
//! card `⌊j · n / G⌋` (the split points `k / n`, found by `upper_bound`). `--n-cpu-moe N` keeps
//! the routed experts of the first `N` layers on the CPU, the rest of those layers on the GPU.
//! Every card keeps its own runtime ([`Runtime::on_card`]: the footprint's, or a share of the
//! weights on it). While the output layer sits in RAM (nothing on the GPU but the runtime),
//! llama.cpp's first card also copies the output head into its compute buffer for a large
//! micro-batch (ggml's op offload: the head beside the logits, `RuntimeParts::head_copy`).

use std::rc::Rc;

use super::footprint::{layout_key, scale_bytes, tensor_bytes, Footprint, KvKind, Runtime};
use crate::core::catalog::model::{Kind, ModelRef};
use crate::core::catalog::scheme::Scheme;
use crate::core::catalog::sparsity::Sparsity;

/// What one unit (a layer, the output layer, the token embedding) holds and what one token reads
/// of it: every weight once, a routed expert at active / experts, one row of an embedding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Load {
    pub weights: u64,
    /// Of `weights`, the routed experts' (what `--n-cpu-moe` keeps in RAM).
    pub experts: u64,
    /// Weight bytes one token reads: every weight once, a routed expert at active / experts.
    pub read: u64,
    /// Of `read`, the routed experts'.
    pub experts_read: u64,
    /// KV cache bytes (read whole for every token).
    pub kv: u64,
}

impl std::ops::Add for Load {
    type Output = Load;
    fn add(self, o: Load) -> Load {
        self.zip(o, u64::saturating_add)
    }
}

impl std::ops::Sub for Load {
    type Output = Load;
    fn sub(self, o: Load) -> Load {
        self.zip(o, u64::saturating_sub)
    }
}

impl Load {
    /// Field by field.
    fn zip(self, o: Load, f: impl Fn(u64, u64) -> u64) -> Load {
        Load {
            weights: f(self.weights, o.weights),
            experts: f(self.experts, o.experts),
            read: f(self.read, o.read),
            experts_read: f(self.experts_read, o.experts_read),
            kv: f(self.kv, o.kv),
        }
    }
    /// Bytes it occupies.
    pub fn bytes(&self) -> u64 {
        self.weights.saturating_add(self.kv)
    }
    /// Bytes one token reads.
    pub fn reads(&self) -> u64 {
        self.read.saturating_add(self.kv)
    }
    /// Only its routed experts.
    fn experts_only(&self) -> Load {
        Load {
            weights: self.experts,
            experts: self.experts,
            read: self.experts_read,
            experts_read: self.experts_read,
            kv: 0,
        }
    }
}

/// A configuration's units in llama.cpp's order, with running sums.
#[derive(Debug, Clone, PartialEq)]
pub struct Layers {
    /// The token embedding (and any other input tensor).
    pub input: Load,
    /// The `L` repeating layers, then the output layer.
    pub units: Vec<Load>,
    /// `sums[i]`: the first `i` units together; `expert_sums[i]`: their routed experts.
    sums: Vec<Load>,
    expert_sums: Vec<Load>,
    /// The footprint's runtime, which each card keeps ([`Runtime::on_card`]).
    runtime: u64,
    /// What the first card's compute buffer grows by while the output layer sits in RAM: the
    /// output head copied beside the logits for a large micro-batch
    /// ([`crate::core::memory::runtime::RuntimeParts::head_copy`]).
    head_copy: u64,
}

impl Layers {
    /// Bytes one token reads of the whole model (every unit and one row of the embedding), the
    /// same count a split's two reads add up to.
    pub fn token_reads(&self) -> u64 {
        self.units.iter().fold(self.input.reads(), |a, u| a.saturating_add(u.reads()))
    }

    /// Whether any layer has routed experts (what `--n-cpu-moe` can move).
    pub fn has_experts(&self) -> bool {
        self.expert_sums.last().is_some_and(|s| s.weights > 0)
    }

    /// The repeating layers, `L`.
    pub fn layers(&self) -> u32 {
        (self.units.len() - 1) as u32
    }
    fn range(&self, a: usize, b: usize) -> Load {
        self.sums[b] - self.sums[a]
    }
    /// The routed experts of units `a..b` that `--n-cpu-moe n` keeps in RAM (those of layers below `n`).
    fn moved(&self, a: usize, b: usize, n: usize) -> Load {
        self.expert_sums[b.min(n)] - self.expert_sums[a.min(n)]
    }
}

/// A layout's input, its units, and its output head's bytes (the token embedding's when tied).
type Units = (Load, Vec<Load>, u64);
type LayerMemo = std::collections::HashMap<(String, &'static str, Sparsity), Rc<Units>>;

thread_local! {
    /// Each layout's weights per unit, as `footprint::layout_weights` memoizes its classes.
    static UNITS: std::cell::RefCell<LayerMemo> = Default::default();
}

/// The weights of a layout's units under a scheme (unscaled), memoized.
fn layout_units(model: &ModelRef, scheme: &'static Scheme, sparsity: Sparsity) -> Rc<Units> {
    let (arch, _, _) = model.layout();
    UNITS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 8192 {
            c.clear();
        }
        c.entry((layout_key(model), scheme.id, sparsity))
            .or_insert_with(|| {
                let mut input = Load::default();
                let mut units = vec![Load::default(); arch.layers as usize + 1];
                let moe = arch.moe;
                let mut in_layers = false;
                let (mut head, mut embd) = (None, 0);
                for t in arch.tensors() {
                    let (_, bytes) = tensor_bytes(&t, &arch, scheme, sparsity);
                    match t.kind {
                        Kind::Output => head = Some(bytes),
                        Kind::TokenEmbd => embd = bytes,
                        _ => {}
                    }
                    let routed = match moe {
                        Some(m) if t.routed => Some(bytes / m.experts.max(1) * m.active),
                        _ => None,
                    };
                    // An embedding gives one row a token (llama.cpp's get_rows), not its whole table.
                    let embedding = matches!(t.kind, Kind::TokenEmbd | Kind::PosEmbd | Kind::TypeEmbd);
                    let read = if embedding { bytes / t.rows.max(1) } else { routed.unwrap_or(bytes) };
                    let (experts, experts_read) = if routed.is_some() { (bytes, read) } else { (0, 0) };
                    let load = Load { weights: bytes, experts, read, experts_read, kv: 0 };
                    // Tensors outside a layer: before the first one the input, after the last the output.
                    in_layers |= t.layer.is_some();
                    let slot = match t.layer {
                        Some(l) => &mut units[l as usize],
                        None if !in_layers => &mut input,
                        None => &mut units[arch.layers as usize],
                    };
                    *slot = *slot + load;
                }
                Rc::new((input, units, head.unwrap_or(embd)))
            })
            .clone()
    })
}

/// Configuration `f`'s units: its layout's weights (scaled like the footprint's for a raw count
/// or a scaled preset) and each layer's KV cache; the parts add up to `f`'s weights and KV cache.
pub fn layers(model: &ModelRef, scheme: &'static Scheme, sparsity: Sparsity, f: &Footprint) -> Layers {
    let (arch, ratio, _) = model.layout();
    let base = layout_units(model, scheme, sparsity);
    let scaled = matches!(model, ModelRef::Count(_) | ModelRef::Scaled(..));
    // The layout's KV cache is not in these (it is 0 here), so scaling every field is the weights'.
    let scale = |l: &Load| if scaled { l.zip(Load::default(), |v, _| scale_bytes(v, ratio)) } else { *l };
    let mut units: Vec<Load> = base.1.iter().map(scale).collect();
    let mut input = scale(&base.0);
    // A scaled model's classes were rounded one by one: the input takes the difference.
    let rest: u64 = units.iter().map(|u| u.weights).sum();
    input.weights = f.weight_bytes().saturating_sub(rest);
    // Each layer's KV cache: its kind's share (a local layer's or a full one's).
    let full = f.kv_parts.iter().find(|p| matches!(p.kind, KvKind::Full | KvKind::Latent));
    let local = f.kv_parts.iter().find(|p| !matches!(p.kind, KvKind::Full | KvKind::Latent));
    for (i, u) in units.iter_mut().take(arch.layers as usize).enumerate() {
        let part = if arch.local.is_some_and(|l| l.is_local(i as u32)) { local } else { full };
        u.kv = part.map_or(0, |p| p.bytes / u64::from(p.layers.max(1)));
    }
    let kv: u64 = units.iter().map(|u| u.kv).sum();
    units[0].kv += f.kv.saturating_sub(kv);
    let running = |pick: fn(&Load) -> Load| {
        let mut sums = vec![Load::default()];
        for u in &units {
            sums.push(sums[sums.len() - 1] + pick(u));
        }
        sums
    };
    let (sums, expert_sums) = (running(|u| *u), running(Load::experts_only));
    let head_copy =
        f.runtime_parts.map_or(0, |p| p.head_copy(if scaled { scale_bytes(base.2, ratio) } else { base.2 }));
    Layers { input, units, sums, expert_sums, runtime: f.runtime, head_copy }
}

/// How a model is split between the GPU and RAM (`split=` in the link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    /// The most layers that fit the GPU, the first ones in RAM (llama.cpp's `--fit`).
    #[default]
    Auto,
    /// `-ngl N`: the last `N` layers on the GPU (`L + 1` and above: all, the output layer too).
    Layers(u32),
    /// Every layer on the GPU but the routed experts of the first `N` layers (`--n-cpu-moe N`);
    /// `None`: the fewest that fit.
    Experts(Option<u32>),
}

/// Where one configuration's bytes sit.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The repeating layers, `L`.
    pub layers: u32,
    /// Units on the GPUs (`-ngl`): the output layer, then the last layers; `L + 1` is all of them.
    pub gpu_units: u32,
    /// Layers whose routed experts are in RAM (`--n-cpu-moe`): the first ones.
    pub expert_layers: u32,
    /// Each card's weights, KV cache and runtime.
    pub cards: Vec<u64>,
    /// Of the first card's bytes, the output head's copy in its compute buffer (the output layer
    /// in RAM on CUDA; 0 otherwise).
    pub head_copy: u64,
    /// System RAM: the token embedding (unless it is on the first card), the units not on the
    /// GPUs, the experts kept there.
    pub ram: u64,
    /// What one generated token reads from the GPUs and from RAM.
    pub gpu_read: u64,
    pub ram_read: u64,
}

impl Placement {
    /// Repeating layers wholly in RAM.
    pub fn ram_layers(&self) -> u32 {
        self.layers.saturating_sub(self.gpu_layers())
    }

    /// Repeating layers on the GPUs: the units there but the output layer, which goes first.
    pub fn gpu_layers(&self) -> u32 {
        self.gpu_units.saturating_sub(1).min(self.layers)
    }

    /// Whether the output layer is on the GPUs (any unit is).
    pub fn output_on_gpu(&self) -> bool {
        self.gpu_units > 0
    }

    /// The largest card's share.
    pub fn largest_card(&self) -> u64 {
        self.cards.iter().copied().max().unwrap_or(0)
    }

    /// Every card within `card` bytes and RAM within `ram`.
    pub fn fits(&self, card: u64, ram: u64) -> bool {
        self.largest_card() <= card && self.ram <= ram
    }

    /// Seconds per generated token at peak bandwidth (GB/s): the GPUs' reads at the GPU's
    /// bandwidth (the cards of a pipeline take their turns), then RAM's at RAM's. Without the
    /// GPU's bandwidth only RAM's part counts, still a bound.
    pub fn seconds_per_token(&self, gpu_gbs: Option<f64>, ram_gbs: f64) -> f64 {
        let gpu = gpu_gbs.map_or(0.0, |bw| self.gpu_read as f64 / (bw * 1e9));
        gpu + self.ram_read as f64 / (ram_gbs * 1e9)
    }
}

/// Decode tokens per second a memory's bandwidth allows at most when a token reads `reads` bytes:
/// every weight once (a routed expert at active / experts), one row of the token embedding
/// (llama.cpp's get_rows), the whole KV cache ([`Layers::token_reads`], the count a split's
/// bound, [`Placement::seconds_per_token`], divides between its memories).
pub fn decode_bound(reads: u64, bandwidth_gbs: f64) -> f64 {
    bandwidth_gbs * 1e9 / (reads as f64).max(1.0)
}

/// The placement of `-ngl gpu_units` on `cards` equal cards (the routed experts of the
/// first `expert_layers` layers in RAM) and the token embedding on the first card or in RAM.
pub fn place(
    l: &Layers,
    gpu_units: u32,
    expert_layers: u32,
    cards: u32,
    input_on_gpu: bool,
    runtime: &Runtime,
) -> Placement {
    let total = l.units.len();
    let layers = total - 1;
    let g = (gpu_units as usize).min(total);
    let n = cards.max(1) as usize;
    let experts = (expert_layers as usize).min(layers);
    // -ngl g: the last g units, the output layer first (i_gpu_start = L + 1 − g).
    let (start, end) = (total - g, total);
    let card_loads: Vec<Load> = (0..n)
        .map(|c| {
            // GPU unit j goes to card ⌊j · n / g⌋: card c holds j in [⌈c · g / n⌉, ⌈(c + 1) · g / n⌉).
            let (a, b) = (start + (c * g).div_ceil(n), start + ((c + 1) * g).div_ceil(n));
            let on_card = l.range(a, b) - l.moved(a, b, experts);
            if c == 0 && input_on_gpu {
                on_card + l.input
            } else {
                on_card
            }
        })
        .collect();
    // The output layer in RAM: the first card copies its head for a large micro-batch.
    let head_copy = if g == 0 { l.head_copy } else { 0 };
    let copy = |c: usize| if c == 0 { head_copy } else { 0 };
    let ram = l.range(0, start)
        + l.range(end, total)
        + l.moved(start, end, experts)
        + if input_on_gpu { Load::default() } else { l.input };
    Placement {
        layers: l.layers(),
        gpu_units: g as u32,
        expert_layers: experts as u32,
        cards: card_loads
            .iter()
            .enumerate()
            .map(|(i, c)| c.bytes().saturating_add(runtime.on_card(l.runtime, c.weights)).saturating_add(copy(i)))
            .collect(),
        head_copy,
        ram: ram.bytes(),
        gpu_read: card_loads.iter().map(Load::reads).sum(),
        ram_read: ram.reads(),
    }
}

/// What llama.cpp's `--fit` (on by default) leaves free on each GPU: its `--fit-target`, 1024 MiB
/// (`fit_params_target` in common/common.h; its log: "cannot meet free memory target of 1024
/// MiB"). The automatic splits keep it free too.
pub const FIT_TARGET: u64 = 1024 << 20;

/// The placement `split` asks for. A given split is placed as it is. The automatic ones, as
/// `--fit` chooses, leave [`FIT_TARGET`] free on every card: `Experts(None)` keeps every layer on
/// the GPU with the fewest layers' routed experts in RAM (none fitting: every layer's); `Auto`
/// does the same for a model with routed experts (`--fit` moves experts before layers: its log
/// reads "41 layers (14 overflowing)"), and otherwise, or when even that does not fit, puts the
/// most units on the GPU that fit (none: all in RAM). RAM is checked by the caller
/// ([`Placement::fits`]).
pub fn choose(l: &Layers, split: Split, cards: u32, input_on_gpu: bool, runtime: &Runtime, card: u64) -> Placement {
    let all = l.layers() + 1;
    let at = |g: u32, e: u32| place(l, g, e, cards, input_on_gpu, runtime);
    let fitting = |p: &Placement| p.largest_card().saturating_add(FIT_TARGET) <= card;
    let experts_first = || (0..all).map(|e| at(all, e)).find(fitting);
    let layers_first = || (0..=all).rev().map(|g| at(g, 0)).find(fitting);
    match split {
        Split::Layers(g) => at(g, 0),
        Split::Experts(Some(e)) => at(all, e),
        Split::Auto if l.has_experts() => experts_first().or_else(layers_first).unwrap_or_else(|| at(0, 0)),
        Split::Auto => layers_first().unwrap_or_else(|| at(0, 0)),
        Split::Experts(None) => experts_first().unwrap_or_else(|| at(all, all - 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::format::F16;
    use crate::core::catalog::model::preset;
    use crate::core::catalog::scheme;
    use crate::core::memory::footprint::evaluate_pruned;
    use crate::core::text::units::{Size, Unit};

    const MIB: u64 = 1 << 20;
    const RTX_4090: u64 = 24_564 * MIB;

    fn runtime() -> Runtime {
        Runtime::Fixed(Size { value: 512.0, unit: Unit::MiB })
    }

    /// Llama-3.1-70B in pure Q4_K (4.5 bits: 144 bytes per 256 weights; norms F32) at 8,192 tokens
    /// of F16 KV cache, by hand. A layer: q, o 8192 × 8192, k, v 8192 × 1024, gate, up, down
    /// 8192 × 28672 = 855,638,016 weights → 481,296,384 bytes, and two norms of 8,192 F32 = 65,536:
    /// 481,361,920; its KV cache 2 · 8 heads · 128 · 8,192 tokens · 2 bytes = 33,554,432; together
    /// 514,916,352. The embedding and the output head, 128,256 × 8,192 each: 591,003,648, the
    /// output layer with its norm 591,036,416.
    fn llama_70b_q4_k() -> (Layers, Footprint) {
        let m = ModelRef::Preset(preset("llama-3.1-70b").unwrap());
        let q4_k = scheme::by_id("q4_k").unwrap();
        let f = evaluate_pruned(&m, q4_k, Sparsity::Dense, 8192, 1, &F16, &runtime());
        (layers(&m, q4_k, Sparsity::Dense, &f), f)
    }

    const LAYER: u64 = 514_916_352;
    const EMBD: u64 = 591_003_648;
    const OUTPUT: u64 = 591_036_416;

    #[test]
    fn llama_70b_units_by_hand() {
        let (l, f) = llama_70b_q4_k();
        assert_eq!(l.layers(), 80);
        assert!(l.units[..80].iter().all(|u| u.weights == 481_361_920 && u.kv == 33_554_432 && u.bytes() == LAYER));
        assert_eq!((l.input.weights, l.units[80].weights), (EMBD, OUTPUT));
        assert_eq!(80 * 481_361_920 + EMBD + OUTPUT, f.weight_bytes());
        assert_eq!(80 * 33_554_432, f.kv);
    }

    /// One RTX 4090 (24,564 MiB) and RAM, llama.cpp's `--fit`, which leaves 1,073,741,824 bytes
    /// free and puts the output layer on the GPU first: the output layer and k layers need
    /// 591,036,416 + k · 514,916,352 + 536,870,912 bytes of GPU; (25,757,220,864 − 1,073,741,824 −
    /// 536,870,912 − 591,036,416) / 514,916,352 = 45.75, so 45 layers (-ngl 46): 24,299,143,168
    /// bytes. RAM: 35 layers and the embedding, 35 · 514,916,352 + 591,003,648 = 18,613,075,968.
    /// A token reads all of both but the embedding, of which it reads one row (8,192 weights at
    /// 4.5 bits: 4,608 bytes): 45 · 514,916,352 + 591,036,416 = 23,762,272,256 bytes at 1,008
    /// GB/s (23.57 ms) and 35 · 514,916,352 + 4,608 = 18,022,076,928 at dual-channel DDR5-6000's
    /// 96 GB/s (187.73 ms): 211.30 ms, 4.733 tok/s.
    #[test]
    fn an_offload_split_by_hand() {
        let (l, _) = llama_70b_q4_k();
        let p = choose(&l, Split::Auto, 1, false, &runtime(), RTX_4090);
        assert_eq!((p.gpu_units, p.gpu_layers(), p.ram_layers(), p.expert_layers), (46, 45, 35, 0));
        assert!(p.output_on_gpu());
        assert_eq!(p.cards, vec![45 * LAYER + OUTPUT + 512 * MIB]);
        assert_eq!(p.cards[0], 24_299_143_168);
        assert!(p.cards[0] + LAYER + FIT_TARGET > RTX_4090, "a 46th layer leaves less than 1 GiB");
        assert_eq!(p.ram, 35 * LAYER + EMBD);
        assert_eq!(p.ram, 18_613_075_968);
        assert!(p.fits(RTX_4090, 64_000_000_000) && !p.fits(RTX_4090, 16_000_000_000));
        assert_eq!(l.input.read, 4_608);
        assert_eq!((p.gpu_read, p.ram_read), (23_762_272_256, 35 * LAYER + 4_608));
        assert_eq!(p.ram_read, 18_022_076_928);
        let s = p.seconds_per_token(Some(1008.0), 96.0);
        assert!((s - (23_762_272_256.0 / 1008e9 + 18_022_076_928.0 / 96e9)).abs() < 1e-12);
        assert!((1.0 / s - 4.733).abs() < 0.001, "{}", 1.0 / s);
        // -ngl 40 as given: the output layer and 39 layers.
        let ngl40 = choose(&l, Split::Layers(40), 1, false, &runtime(), RTX_4090);
        assert_eq!((ngl40.ram_layers(), ngl40.cards[0]), (41, 39 * LAYER + OUTPUT + 512 * MIB));
        // -ngl 81 (L + 1) is every unit, and only the embedding stays in RAM.
        let all = choose(&l, Split::Layers(99), 1, false, &runtime(), RTX_4090);
        assert_eq!((all.gpu_units, all.ram_layers(), all.ram), (81, 0, EMBD));
        // Not even the runtime fits: everything in RAM.
        assert_eq!(choose(&l, Split::Auto, 1, false, &runtime(), 100 * MIB).gpu_units, 0);
    }

    /// llama.cpp on CUDA with the output layer in RAM (`-ngl 0`: nothing on the GPU but the
    /// runtime): the card also holds the output head's copy beside the logits. Llama-3.1-70B in
    /// pure Q4_K at 8,192 tokens: the compute buffer is the logits' moment, 128,256 · 512 · 4 +
    /// one activation 512 · 8,192 · 4 = 279,445,504 bytes (over the FFN's 150,994,944), so the
    /// head adds all of its 591,003,648.
    #[test]
    fn the_head_is_copied_while_the_output_layer_is_in_ram() {
        let m = ModelRef::Preset(preset("llama-3.1-70b").unwrap());
        let q4_k = scheme::by_id("q4_k").unwrap();
        let rt = Runtime::Modelled(crate::core::memory::runtime::Engine::LlamaCpp);
        let f = evaluate_pruned(&m, q4_k, Sparsity::Dense, 8192, 1, &F16, &rt);
        let l = layers(&m, q4_k, Sparsity::Dense, &f);
        assert_eq!(f.runtime_parts.unwrap().compute, 279_445_504);
        let none = place(&l, 0, 0, 1, false, &rt);
        assert_eq!((none.cards[0], none.head_copy), (f.runtime + 591_003_648, 591_003_648));
        assert!(!none.output_on_gpu() && none.ram_layers() == 80);
        // Any unit on the GPU is the output layer first: no copy.
        let p48 = place(&l, 48, 0, 1, false, &rt);
        assert_eq!((p48.cards[0], p48.head_copy), (47 * LAYER + OUTPUT + f.runtime, 0));
        // A fixed runtime has no parts, so nothing is added.
        let (fixed, _) = llama_70b_q4_k();
        assert_eq!(place(&fixed, 0, 0, 1, false, &runtime()).cards[0], 512 * MIB);
        // On Metal the GPU reads the RAM it shares: no copy either.
        let metal = Runtime::Modelled(crate::core::memory::runtime::Engine::Metal);
        let fm = evaluate_pruned(&m, q4_k, Sparsity::Dense, 8192, 1, &F16, &metal);
        let lm = layers(&m, q4_k, Sparsity::Dense, &fm);
        assert_eq!(place(&lm, 0, 0, 1, false, &metal).cards[0], fm.runtime);
    }

    /// Two RTX 4090s, llama.cpp's `--split-mode layer`: all 81 units split at ⌊j · 2 / 81⌋, so
    /// the first card takes units 0–40 (41 layers) and the embedding, the second layers 41–79
    /// (39) and the output layer; each keeps its 512 MiB. Card 1: 591,003,648 +
    /// 41 · 514,916,352 + 536,870,912 = 22,239,444,992; card 2: 39 · 514,916,352 + 591,036,416 +
    /// 536,870,912 = 21,209,645,056. Tensor-parallel, each would hold (weights + KV) / 2 + runtime =
    /// 21,724,545,024.
    #[test]
    fn a_pipeline_split_by_hand() {
        let (l, f) = llama_70b_q4_k();
        let p = place(&l, 81, 0, 2, true, &runtime());
        assert_eq!(p.cards, vec![22_239_444_992, 21_209_645_056]);
        assert_eq!(p.cards[0], EMBD + 41 * LAYER + 512 * MIB);
        assert_eq!(p.cards[1], 39 * LAYER + OUTPUT + 512 * MIB);
        assert_eq!(p.ram, 0);
        assert!(p.fits(RTX_4090, 0));
        assert_eq!((f.weight_bytes() + f.kv) / 2 + 512 * MIB, 21_724_545_024);
        // Three cards: 27, 27 and 27 units.
        let three = place(&l, 81, 0, 3, true, &runtime());
        assert_eq!(three.cards, [EMBD + 27 * LAYER, 27 * LAYER, 26 * LAYER + OUTPUT].map(|b| b + 512 * MIB).to_vec());
    }

    /// `--n-cpu-moe N`: the routed experts of the first N layers move to RAM whole, and a token
    /// reads active / experts of them; the rest stays. Mixtral-8x7B (2 of 8 experts).
    #[test]
    fn experts_in_ram() {
        let m = ModelRef::Preset(preset("mixtral-8x7b").unwrap());
        let q4_k = scheme::by_id("q4_k").unwrap();
        let f = evaluate_pruned(&m, q4_k, Sparsity::Dense, 4096, 1, &F16, &runtime());
        let l = layers(&m, q4_k, Sparsity::Dense, &f);
        // A layer's experts: 8 × 3 × 4096 × 14336 weights at 4.5 bits = 792,723,456 bytes; a
        // token reads 2 of 8: 198,180,864.
        assert!(l.units[..32].iter().all(|u| u.experts == 792_723_456 && u.experts_read == 198_180_864));
        let all = place(&l, 33, 32, 1, false, &runtime());
        assert_eq!(all.ram, l.input.weights + 32 * 792_723_456);
        assert_eq!(all.ram_read, l.input.read + 32 * 198_180_864);
        let total: u64 = l.units.iter().map(Load::bytes).sum();
        assert_eq!(all.cards[0], total - 32 * 792_723_456 + 512 * MIB);
        assert_eq!(all.ram_layers(), 0);
        // The fewest layers' experts that leave 1 GiB of a 12 GB GPU free (`--fit`'s target).
        let p = choose(&l, Split::Experts(None), 1, false, &runtime(), 12_000_000_000);
        let n = u64::from(p.expert_layers);
        assert_eq!(p.cards[0], total - n * 792_723_456 + 512 * MIB);
        let room = 12_000_000_000 - FIT_TARGET;
        assert!(p.cards[0] <= room && p.cards[0] + 792_723_456 > room);
        assert_eq!(p.gpu_units, 33);
        // Automatic on a MoE model moves experts before layers, as `--fit` does.
        assert_eq!(choose(&l, Split::Auto, 1, false, &runtime(), 12_000_000_000), p);
        // A byte short of room for every layer with all experts in RAM: whole layers go instead.
        let short = all.cards[0] + FIT_TARGET - 1;
        let small = choose(&l, Split::Auto, 1, false, &runtime(), short);
        assert_eq!(small.expert_layers, 0);
        assert!(small.gpu_units < 33 && small.cards[0] + FIT_TARGET <= short, "{small:?}");
    }
}
