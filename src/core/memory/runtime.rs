//! The runtime term as inference engines allocate it: the driver's context, the compute buffer
//! (llama.cpp) or activation peak (vLLM), and the output buffer, from the architecture, the
//! context, the micro-batch and how many layers are on the GPU. `tests/runtime_measured.rs`
//! checks each against published load logs.
//!
//! llama.cpp (src/llama-context.cpp) reserves its compute buffer once, for the worst micro-batch:
//! `graph_reserve` builds the graph for `n_tokens = min(n_ctx, n_ubatch)` tokens with every token
//! an output, against the whole KV cache, and ggml-alloc gives it one buffer the size of the
//! largest set of tensors alive at once. That is the largest of three moments of the graph:
//! - attention: the scores, `heads × n_kv × n_tokens` F32, unless flash attention keeps them in
//!   the kernel; the F32 mask `n_kv × n_tokens` (and its F16 copy with flash attention); four
//!   F32 activations of `n_tokens × hidden` beside them;
//! - the FFN: gate and up, `n_tokens × ffn` F32 each, beside two activations;
//! - the output: the logits, `vocab × n_tokens` F32, beside one activation.
//!
//! The host keeps the graph's inputs (the mask and the input embeddings: "CUDA_Host compute
//! buffer") and, per sequence, one row of logits ("output buffer"). With part of the model in
//! system RAM, ggml still runs a micro-batch of 32 tokens or more on the GPU (its op offload,
//! llama.cpp PR #6083) and copies each RAM-resident weight into the compute buffer as it is
//! used; the largest is the output head, copied beside the logits when the output layer stays in
//! RAM ([`RuntimeParts::head_copy`]). vLLM's profile run measures
//! the activation peak of one forward pass over `max_num_batched_tokens` tokens plus the sampler
//! over `max_num_seqs` sequences; its non-torch memory (cuBLAS workspace, NCCL) is beside it.

use crate::core::catalog::model::Arch;

const MIB: u64 = 1 << 20;

/// What a CUDA process holds before it allocates anything: the context, the loaded kernels,
/// cuBLAS. llama.cpp's memory breakdown reports it as "unaccounted" (the device's total minus
/// free and llama.cpp's own buffers): 451, 456 and 456 MiB on three RTX 4090s
/// (https://github.com/ggml-org/llama.cpp/pull/15860).
pub const CUDA_CONTEXT: u64 = 450 * MIB;

/// vLLM's non-torch memory at one GPU (cuBLAS workspace, NCCL and the CUDA runtime's own
/// allocations after start-up): 0.16 GiB on an H100 (https://github.com/vllm-project/vllm/pull/12126),
/// 0.20 GiB per RTX 3090 (https://github.com/vllm-project/vllm/pull/14447).
pub const VLLM_NON_TORCH: u64 = 200 * MIB;

/// vLLM's defaults for the profile run: `max_num_batched_tokens` (8192: chunked prefill's budget,
/// and `max_model_len` for an 8K model without it) and `max_num_seqs` (256).
pub const VLLM_BATCHED_TOKENS: u64 = 8192;
pub const VLLM_MAX_SEQS: u64 = 256;

/// llama.cpp's default micro-batch (`n_ubatch`, common/common.h).
pub const LLAMA_CPP_UBATCH: u64 = 512;

/// The smallest micro-batch whose ops ggml's CUDA backend runs on the GPU with weights in RAM
/// (`min_batch_size` in ggml-cuda's `offload_op`).
const OP_OFFLOAD_BATCH: u64 = 32;
/// llama.cpp pads the KV cache to 256 cells (`n_ctx` rounded up, src/llama-context.cpp).
const KV_PAD: u64 = 256;

/// An inference engine whose runtime memory is modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// llama.cpp on a CUDA GPU: the CUDA context, the compute buffer, the output buffer.
    LlamaCpp,
    /// llama.cpp on Apple silicon (Metal): no CUDA context; the host buffers share the memory.
    Metal,
    /// vLLM on a CUDA GPU: the CUDA context and non-torch memory, the activation peak.
    Vllm,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::LlamaCpp, Engine::Metal, Engine::Vllm];

    /// The link's and the CLI's name.
    pub fn id(self) -> &'static str {
        match self {
            Engine::LlamaCpp => "llama.cpp",
            Engine::Metal => "llama.cpp-metal",
            Engine::Vllm => "vllm",
        }
    }

    pub fn by_id(text: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.id().eq_ignore_ascii_case(text.trim()))
    }

    /// The part that does not depend on the model: what each card keeps whatever runs on it.
    pub fn context(self) -> u64 {
        match self {
            Engine::LlamaCpp => CUDA_CONTEXT,
            Engine::Metal => 0,
            Engine::Vllm => CUDA_CONTEXT + VLLM_NON_TORCH,
        }
    }

    /// This engine's runtime for a model at `ctx` tokens per sequence and `seqs` sequences, every
    /// layer on the GPU, at the engine's defaults (llama.cpp: `n_ubatch` 512, flash attention on,
    /// as its `-fa auto` picks on CUDA and Metal; vLLM: [`VLLM_BATCHED_TOKENS`], [`VLLM_MAX_SEQS`]).
    pub fn parts(self, arch: &Arch, ctx: u64, seqs: u64) -> RuntimeParts {
        match self {
            Engine::LlamaCpp | Engine::Metal => {
                let p = llama_cpp(arch, &LlamaCpp { ctx, seqs, ..LlamaCpp::default() });
                if self == Engine::Metal {
                    // Unified memory: the host buffers are the same memory; no CUDA context.
                    RuntimeParts {
                        context: 0,
                        compute: p.compute.saturating_add(p.host),
                        host: 0,
                        output_moment: 0,
                        ..p
                    }
                } else {
                    p
                }
            }
            Engine::Vllm => vllm(arch, VLLM_BATCHED_TOKENS, VLLM_MAX_SEQS),
        }
    }
}

/// The runtime's parts. `total` is what the device holds; `host` is system memory beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RuntimeParts {
    /// The driver's context (and vLLM's non-torch memory).
    pub context: u64,
    /// llama.cpp's compute buffer on the GPU; vLLM's activation peak of the forward pass.
    pub compute: u64,
    /// The logits kept for the outputs: llama.cpp's output buffer (one row per sequence); vLLM's
    /// sampler over its sequences.
    pub output: u64,
    /// Host memory llama.cpp adds (its host compute buffer): not in `total`.
    pub host: u64,
    /// llama.cpp on CUDA: the output moment of the graph (the logits and the activation beside
    /// them), where the output head's copy joins them when the output layer sits in RAM; 0 for
    /// engines that copy nothing (Metal reads the same memory; vLLM does not split).
    pub output_moment: u64,
}

impl RuntimeParts {
    pub fn total(&self) -> u64 {
        self.context.saturating_add(self.compute).saturating_add(self.output)
    }

    /// What the GPU's compute buffer grows by when the output layer, with a head of `head`
    /// bytes, sits in RAM: the head's copy beside the logits, where that moment outgrows the
    /// buffer's largest (a micro-batch under 32 tokens stays on the CPU: nothing).
    pub fn head_copy(&self, head: u64) -> u64 {
        if self.output_moment == 0 {
            return 0;
        }
        self.output_moment.saturating_add(head).saturating_sub(self.compute)
    }
}

/// llama.cpp's settings that size its buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LlamaCpp {
    /// Tokens per sequence (`-c` divided by `-np`).
    pub ctx: u64,
    /// Sequences (`-np`): each keeps a row of logits.
    pub seqs: u64,
    /// Micro-batch (`-ub`, default 512).
    pub ubatch: u64,
    /// Flash attention (`-fa`): the scores stay inside the kernel.
    pub flash_attn: bool,
}

impl Default for LlamaCpp {
    fn default() -> LlamaCpp {
        LlamaCpp { ctx: 4096, seqs: 1, ubatch: LLAMA_CPP_UBATCH, flash_attn: true }
    }
}

/// FFN width the graph computes per token: the dense FFN, or the routed and shared experts a
/// token uses, whichever is wider.
fn ffn_width(arch: &Arch) -> u64 {
    let experts = arch.moe.map_or(0, |m| (m.active + m.shared).saturating_mul(m.expert_ffn));
    arch.ffn.max(experts)
}

/// llama.cpp's buffers. The compute buffer on the GPU does not depend on how many layers are
/// there: with none, ggml still runs a large micro-batch on the GPU (its op offload), and with
/// some, each layer reuses the same buffer; the layers left in RAM add only the weights copied
/// for them ([`RuntimeParts::head_copy`] for the output head, the largest). The host keeps the
/// graph's inputs either way.
pub fn llama_cpp(arch: &Arch, s: &LlamaCpp) -> RuntimeParts {
    let tokens = s.ctx.min(s.ubatch).max(1);
    let n_kv = s.ctx.max(1).div_ceil(KV_PAD).saturating_mul(KV_PAD);
    let f32s = |elems: u64| elems.saturating_mul(4);
    let act = f32s(tokens.saturating_mul(arch.hidden));
    let mask = f32s(n_kv.saturating_mul(tokens));
    let attention = if s.flash_attn {
        // The F32 mask and its F16 copy.
        mask.saturating_add(mask / 2)
    } else {
        f32s(arch.heads.saturating_mul(n_kv).saturating_mul(tokens)).saturating_add(mask)
    }
    .saturating_add(act.saturating_mul(4));
    let ffn = f32s(tokens.saturating_mul(ffn_width(arch))).saturating_mul(2).saturating_add(act.saturating_mul(2));
    let logits = f32s(arch.vocab.saturating_mul(tokens)).saturating_add(act);
    let compute = attention.max(ffn).max(logits);
    RuntimeParts {
        context: CUDA_CONTEXT,
        compute,
        output: f32s(arch.vocab.saturating_mul(s.seqs.max(1))),
        host: mask.saturating_add(act),
        // ggml offloads an op of 32 tokens or more (ggml-cuda's offload_op).
        output_moment: if tokens >= OP_OFFLOAD_BATCH { logits } else { 0 },
    }
}

/// vLLM's activation peak as its profile run measures it, in the model's 16-bit dtype: one
/// forward pass over `tokens` tokens holds the residual stream, the normed input and the
/// layer's output (three `hidden`-wide rows per token) with the FFN's gate and up (`2 × ffn`) and
/// their product (`ffn`); the sampler holds every sequence's logits in 16 bits and, in F32, the
/// logits, probabilities and log-probabilities (14 bytes per vocabulary entry).
pub fn vllm(arch: &Arch, tokens: u64, seqs: u64) -> RuntimeParts {
    let per_token = 3u64.saturating_mul(arch.hidden).saturating_add(3u64.saturating_mul(ffn_width(arch)));
    RuntimeParts {
        context: CUDA_CONTEXT + VLLM_NON_TORCH,
        compute: tokens.saturating_mul(per_token).saturating_mul(2),
        output: seqs.min(tokens).saturating_mul(arch.vocab).saturating_mul(14),
        host: 0,
        output_moment: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    fn arch(id: &str) -> Arch {
        preset(id).unwrap().arch
    }

    /// Llama-3.1-8B (hidden 4096, 32 heads, FFN 14336, vocab 128256) at 8192 tokens, by hand.
    #[test]
    fn llama_cpp_terms_by_hand() {
        let a = arch("llama-3.1-8b");
        let no_fa = LlamaCpp { ctx: 8192, flash_attn: false, ..LlamaCpp::default() };
        let p = llama_cpp(&a, &no_fa);
        // Scores 32 · 8192 · 512 · 4 = 512 MiB, mask 8192 · 512 · 4 = 16 MiB, four activations of
        // 512 · 4096 · 4 = 8 MiB: 560 MiB, more than the logits' 128256 · 512 · 4 + 8 MiB = 258.5 MiB.
        assert_eq!(p.compute, 560 * MIB);
        assert_eq!(p.output, 128_256 * 4);
        assert_eq!(p.host, 16 * MIB + 8 * MIB);
        assert_eq!(p.context, CUDA_CONTEXT);
        assert_eq!(p.total(), 450 * MIB + 560 * MIB + 513_024);
        // Flash attention: mask 16 MiB + its F16 copy 8 MiB + 32 MiB < the logits.
        let fa = llama_cpp(&a, &LlamaCpp { flash_attn: true, ..no_fa });
        assert_eq!(fa.compute, 128_256 * 512 * 4 + 8 * MIB);
        // FFN: 2 · 512 · 14336 · 4 = 56 MiB + 16 MiB, below both.
        // The output head in RAM (Q6_K, 128256 · 4096 · 210 / 256 = 430,932,480 bytes) is copied
        // beside the logits: 258.5 MiB + 411 MiB = 669.5 MiB, 109.5 MiB over the scores' 560.
        let head = 128_256 * 4096 / 256 * 210;
        assert_eq!(fa.output_moment, 128_256 * 512 * 4 + 8 * MIB);
        assert_eq!(p.head_copy(head), 128_256 * 512 * 4 + 8 * MIB + head - 560 * MIB);
        assert_eq!(fa.head_copy(head), head);
        // A micro-batch under 32 tokens stays on the CPU: no copy.
        let tiny = llama_cpp(&a, &LlamaCpp { ubatch: 31, ..no_fa });
        assert_eq!((tiny.output_moment, tiny.head_copy(head)), (0, 0));
        // A context shorter than the micro-batch reserves for the context: 100 tokens, 256 cells.
        let short = llama_cpp(&a, &LlamaCpp { ctx: 100, flash_attn: false, ..no_fa });
        assert_eq!(short.compute, 128_256 * 100 * 4 + 100 * 4096 * 4);
        // Four sequences keep four rows of logits.
        assert_eq!(llama_cpp(&a, &LlamaCpp { seqs: 4, ..no_fa }).output, 4 * 128_256 * 4);
        // Metal reads the RAM it shares: nothing is copied.
        assert_eq!(Engine::Metal.parts(&a, 8192, 1).head_copy(head), 0);
    }

    /// vLLM, Llama-3.1-8B: 8192 · (3 · 4096 + 3 · 14336) · 2 = 905,969,664 bytes of forward pass;
    /// 256 · 128256 · 14 = 459,669,504 bytes of sampler.
    #[test]
    fn vllm_terms_by_hand() {
        let p = vllm(&arch("llama-3.1-8b"), 8192, 256);
        assert_eq!((p.compute, p.output), (905_969_664, 459_669_504));
        assert_eq!(p.context, 650 * MIB);
        // Fewer tokens than sequences: one sequence per token.
        assert_eq!(vllm(&arch("llama-3.1-8b"), 16, 256).output, 16 * 128_256 * 14);
    }

    /// MoE: the experts a token uses set the FFN width (Mixtral: 2 of 8 at 14336 = 28672).
    #[test]
    fn moe_width_is_the_active_experts() {
        let mut a = arch("llama-3.1-8b");
        assert_eq!(ffn_width(&a), 14_336);
        a.moe = Some(crate::core::catalog::model::Moe {
            experts: 8,
            active: 2,
            shared: 0,
            expert_ffn: 14_336,
            dense_layers: 0,
            every: 1,
        });
        assert_eq!(ffn_width(&a), 28_672);
    }

    #[test]
    fn engines_by_name() {
        for e in Engine::ALL {
            assert_eq!(Engine::by_id(e.id()), Some(e));
        }
        assert_eq!(Engine::by_id(" VLLM "), Some(Engine::Vllm));
        assert_eq!(Engine::by_id("tgi"), None);
        // Metal: no CUDA context, the host inputs counted in the unified memory.
        let a = arch("llama-3.1-8b");
        let m = Engine::Metal.parts(&a, 2048, 1);
        let c = Engine::LlamaCpp.parts(&a, 2048, 1);
        assert_eq!((m.context, m.compute, m.host), (0, c.compute + c.host, 0));
    }
}
