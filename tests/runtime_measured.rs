//! The modelled runtime (`memory::runtime`) against published load logs: each figure with its
//! source beside it and the tolerance the check allows. llama.cpp prints its buffers in MiB with
//! two decimals, so "exact" below means within 0.01 MiB.
#![cfg(not(target_arch = "wasm32"))]

use bitbudget::core::catalog::format::F16;
use bitbudget::core::catalog::model::{preset, Arch, Kind, DECODER};
use bitbudget::core::catalog::scheme;
use bitbudget::core::memory::footprint::{kv_bytes, weights, weights_of};
use bitbudget::core::memory::runtime::{
    llama_cpp, vllm, LlamaCpp, CUDA_CONTEXT, VLLM_BATCHED_TOKENS, VLLM_MAX_SEQS, VLLM_NON_TORCH,
};

const MIB: f64 = 1048576.0;
const GIB: f64 = 1073741824.0;

fn mib(b: u64) -> f64 {
    b as f64 / MIB
}

/// Within 0.01 MiB of a figure llama.cpp printed with two decimals (it adds a few bytes of
/// alignment: 9.01, 12.01).
fn printed(bytes: u64, mib_printed: f64) -> bool {
    (mib(bytes) - mib_printed).abs() <= 0.011
}

/// A Mistral-7B layout (32 layers, hidden 4096, 32 heads, 8 KV heads, FFN 14336, vocab 32000):
/// the model of fedora-copr/logdetective's llama-server (rope base 1e6, a 0.12 MiB output buffer
/// = 32000 × 4 bytes; 128 KiB of F16 KV cache per token).
fn mistral_7b() -> Arch {
    Arch { kv_heads: 8, ffn: 14336, vocab: 32000, max_context: 32768, ..DECODER }
}

/// llama.cpp without flash attention: the scores decide the compute buffer at a long context.
/// https://github.com/fedora-copr/logdetective/pull/106 (llama-server, n_ubatch 512, flash_attn 0):
/// n_ctx 2048 → "CUDA0 compute buffer size = 164.00 MiB", "CUDA_Host compute buffer size = 12.01 MiB";
/// n_ctx 32768 → 2144.00 MiB and 72.01 MiB; "CUDA_Host output buffer size = 0.12 MiB". Tolerance:
/// the printed precision.
#[test]
fn llama_cpp_scores_buffer_logdetective() {
    let a = mistral_7b();
    assert_eq!(kv_bytes(&a, 2048, 1, &F16), 256 << 20, "the log's 256.00 MiB KV buffer");
    for (ctx, compute, host) in [(2048, 164.00, 12.01), (32768, 2144.00, 72.01)] {
        let p = llama_cpp(&a, &LlamaCpp { ctx, seqs: 1, ubatch: 512, flash_attn: false });
        println!(
            "logdetective n_ctx {ctx}: compute {:.2} MiB (log {compute}), host {:.2} MiB (log {host})",
            mib(p.compute),
            mib(p.host)
        );
        assert!(printed(p.compute, compute), "{ctx}: {}", mib(p.compute));
        assert!(printed(p.host, host), "{ctx}: {}", mib(p.host));
        assert!(printed(p.output, 0.12), "{}", mib(p.output));
    }
}

/// llama.cpp: the logits decide the compute buffer for a large vocabulary at a short context.
/// Llama-3-8B architecture (vocab 128256), n_ubatch 512, flash_attn 0; two load logs kept in
/// public repositories (found through the code index, which names neither repository):
/// llama-3-Korean-Bllossom-8B Q4_K_M on an RTX 3070 at n_ctx 512 — "CUDA0 compute buffer size =
/// 258.50 MiB", "CUDA_Host compute buffer size = 9.01 MiB", "CUDA_Host output buffer size = 0.49
/// MiB"; Meta-Llama-3.1-8B-Instruct on an Apple M3 (Metal) at n_ctx 2048 — "Metal compute buffer
/// size = 258.50 MiB", "CPU compute buffer size = 12.01 MiB". Tolerance: the printed precision.
#[test]
fn llama_cpp_logits_buffer_llama_3_8b() {
    let a = preset("llama-3.1-8b").unwrap().arch;
    for (ctx, host) in [(512, 9.01), (2048, 12.01)] {
        let p = llama_cpp(&a, &LlamaCpp { ctx, seqs: 1, ubatch: 512, flash_attn: false });
        println!(
            "Llama-3-8B n_ctx {ctx}: compute {:.2} MiB (log 258.50), host {:.2} MiB (log {host})",
            mib(p.compute),
            mib(p.host)
        );
        assert!(printed(p.compute, 258.50), "{}", mib(p.compute));
        assert!(printed(p.host, host), "{}", mib(p.host));
        assert!(printed(p.output, 0.49), "{}", mib(p.output));
    }
}

/// granite-3.3-8b-instruct (config.json: https://huggingface.co/ibm-granite/granite-3.3-8b-instruct/blob/main/config.json
/// — 40 layers, hidden 4096, 32 heads, 8 KV heads, intermediate 12800, vocab 49159, tied
/// embeddings).
fn granite_3_3_8b() -> Arch {
    Arch { layers: 40, kv_heads: 8, ffn: 12800, vocab: 49159, tied_embeddings: true, max_context: 131072, ..DECODER }
}

/// The bytes of the tensors of `kind` under `scheme`.
fn kind_bytes(a: &Arch, scheme: &'static scheme::Scheme, kind: Kind) -> u64 {
    let t: Vec<_> = a.tensors().into_iter().filter(|t| t.kind == kind).collect();
    weights_of(&t, a, scheme).bytes()
}

/// Partial offload on CUDA: the output layer stays in RAM, and ggml runs the micro-batch's output
/// head on the GPU anyway (its op offload, llama.cpp PR #6083: "the weights are now copied to
/// VRAM in the compute buffer"), so the compute buffer holds the head beside the logits.
/// mistral-7b-instruct-v0.1 Q4_K_M on an RTX 4060 Laptop GPU, `-ngl 20` of 33, n_ctx 768,
/// n_ubatch 256, flash attention (the load log in Tel-Zur, "A GPU-Accelerated RAG-Based Telegram
/// Assistant for Supporting Parallel Processing Students", EduHPC 2025, appendix B, found through
/// the code index): "CUDA0 compute buffer size = 137.79 MiB", "CUDA_Host compute buffer size =
/// 4.76 MiB", "CUDA0 KV buffer size = 60.00 MiB", "CUDA0 model buffer size = 2495.31 MiB", and
/// 2904 MiB of GPU memory in use by nvidia-smi. By hand: logits 32000 · 256 · 4 = 31.25 MiB, one
/// activation 256 · 4096 · 4 = 4 MiB, the Q6_K head 32000 · 4096 / 256 · 210 = 107,520,000
/// bytes = 102.54 MiB: 137.79 MiB. Tolerance: the printed precision; the layers' weights 0.5 %.
#[test]
fn llama_cpp_partial_offload_copies_the_head_mistral_7b() {
    let a = mistral_7b();
    let q4km = scheme::by_id("q4_k_m").unwrap();
    let head = kind_bytes(&a, q4km, Kind::Output);
    assert_eq!(head, 107_520_000);
    let p = llama_cpp(&a, &LlamaCpp { ctx: 768, seqs: 1, ubatch: 256, flash_attn: true });
    let gpu_compute = p.compute + p.head_copy(head);
    println!(
        "mistral-7b -ngl 20: compute {:.2} MiB (log 137.79), host {:.2} MiB (log 4.76)",
        mib(gpu_compute),
        mib(p.host)
    );
    assert!(printed(gpu_compute, 137.79), "{}", mib(gpu_compute));
    assert!(printed(p.host, 4.76), "{}", mib(p.host));
    // The last 20 layers (12–31) and their KV cache.
    let on: Vec<_> = a.tensors().into_iter().filter(|t| t.layer.is_some_and(|l| l >= 12)).collect();
    let w = weights_of(&on, &a, q4km).bytes();
    println!("mistral-7b layers 12–31: {:.2} MiB (log 2495.31)", mib(w));
    assert!((mib(w) / 2495.31 - 1.0).abs() < 0.005, "{}", mib(w));
    assert_eq!(kv_bytes(&a, 768, 1, &F16) / 32 * 20, 60 << 20);
    // What the driver holds beyond llama.cpp's buffers: 2904 − 2495.31 − 60 − 137.79 = 210.9
    // MiB on this laptop GPU, against 451–456 MiB on RTX 4090s (CUDA_CONTEXT's source).
    let rest = 2904.0 - 2495.31 - 60.0 - mib(gpu_compute);
    println!("mistral-7b: driver and context {rest:.1} MiB (modelled {:.0})", mib(CUDA_CONTEXT));
    assert!((rest - 210.9).abs() < 0.1);
}

/// granite-3.3-8B IQ3_M (file 3565.5 MB), 512 context, F16 cache: 888 / 2634 / 4394 MiB of GPU
/// memory with 0 / 20 / 40 of 40 layers on the GPU (totals as the driver reports them, CUDA
/// context included). The figures are the project's reference notes (the issue thread they came
/// from was not found). At all three counts the output layer is in RAM (a build that counted
/// `-ngl` as repeating layers, `i_gpu_start = L − G`; `-ngl 40` is 40 of 41 units), so the GPU's
/// compute buffer holds the tied head (Q6_K, 157.5 MiB) beside the logits. Checked:
/// - the IQ3_M mix's bytes against the file: within 0.5 %;
/// - the growth from 0 to 20 and from 20 to 40 layers (weights and KV cache of those layers, the
///   same compute buffer at every count): within 3 %;
/// - the part the model does not explain (measured − modelled) is the same at the three counts
///   within 40 MiB, and under 200 MiB: about 178 MiB more than the 450 MiB CUDA context of
///   llama.cpp's own breakdown on RTX 4090s (the driver's share varies by card and driver: 211
///   MiB on the laptop GPU above; whatever else that card held is not in the report).
#[test]
fn granite_3_3_8b_iq3_m_partial_offload() {
    let a = granite_3_3_8b();
    let iq3m = scheme::by_id("iq3_m").unwrap();
    let tensors = a.tensors();
    let all = weights(&a, iq3m).bytes();
    assert!((mib(all) / 3565.5 - 1.0).abs() < 0.005, "{} MiB", mib(all));
    // Tied: the head is the token embedding, at the output's type (Q6_K): 49159 · 4096 / 256 · 210.
    let head = kind_bytes(&a, iq3m, Kind::TokenEmbd);
    assert_eq!(head, 49_159 * 4096 / 256 * 210);
    let s = LlamaCpp { ctx: 512, seqs: 1, ubatch: 512, flash_attn: true };
    let modelled = |ngl: u32| {
        let on: Vec<_> = tensors.iter().filter(|t| t.layer.is_some_and(|l| l < ngl)).copied().collect();
        let w = weights_of(&on, &a, iq3m).bytes();
        let kv = kv_bytes(&a, 512, 1, &F16) / u64::from(a.layers) * u64::from(ngl);
        let p = llama_cpp(&a, &s);
        mib(w + kv + p.total() + p.head_copy(head))
    };
    let measured = [(0, 888.0), (20, 2634.0), (40, 4394.0)];
    let m: Vec<f64> = measured.iter().map(|&(ngl, _)| modelled(ngl)).collect();
    for (i, &(ngl, got)) in measured.iter().enumerate() {
        println!("granite IQ3_M ngl {ngl}: modelled {:.0} MiB, measured {got} MiB, gap {:.0}", m[i], got - m[i]);
    }
    for i in 1..3 {
        let (dm, dg) = (m[i] - m[i - 1], measured[i].1 - measured[i - 1].1);
        assert!((dm / dg - 1.0).abs() < 0.03, "step {i}: modelled {dm:.0} MiB, measured {dg:.0} MiB");
    }
    let gaps: Vec<f64> = measured.iter().zip(&m).map(|(&(_, got), m)| got - m).collect();
    let (lo, hi) = gaps.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &g| (lo.min(g), hi.max(g)));
    assert!(hi - lo < 40.0 && lo > 0.0 && hi < 200.0, "{gaps:?}");
    assert_eq!(CUDA_CONTEXT, 450 << 20);
}

/// vLLM's memory profile of Meta-Llama-3-8B on an H100 (`vllm serve meta-llama/Meta-Llama-3-8B`:
/// max_model_len 8192, so 8192 batched tokens, 256 sequences), in
/// https://github.com/vllm-project/vllm/pull/10511: "model weights take 14.96GiB", "PyTorch
/// activation peak memory 1.26GiB"; with -tp 2 the activation peak per card is the same 1.26GiB.
/// Its "non_torch_memory 1.79GiB" there predates PR #12126, whose H100 log reads "non_torch_memory
/// takes 0.16GiB" (https://github.com/vllm-project/vllm/pull/12126); four RTX 3090s read 0.20GiB
/// each (https://github.com/vllm-project/vllm/pull/14447). The figures in the brief (Llama-3.1-8B:
/// activations 1.89 GiB, non-torch 0.25 GiB) were not found in a public log, so these stand in.
/// Tolerances: weights 0.01 GiB (the printed precision), activation peak 5 %, non-torch 0.1 GiB.
#[test]
fn vllm_profile_llama_3_8b_h100() {
    let a = preset("llama-3.1-8b").unwrap().arch;
    let w = weights(&a, scheme::by_id("bf16").unwrap()).bytes() as f64 / GIB;
    assert!((w - 14.96).abs() <= 0.005, "{w}");
    assert_eq!((VLLM_BATCHED_TOKENS, VLLM_MAX_SEQS), (8192, 256));
    let p = vllm(&a, VLLM_BATCHED_TOKENS, VLLM_MAX_SEQS);
    let act = (p.compute + p.output) as f64 / GIB;
    println!("vLLM Llama-3-8B H100: activation peak {act:.3} GiB (log 1.26)");
    assert!((act / 1.26 - 1.0).abs() < 0.05, "{act}");
    let non_torch = VLLM_NON_TORCH as f64 / GIB;
    for measured in [0.16, 0.20] {
        assert!((non_torch - measured).abs() <= 0.1, "{non_torch} vs {measured}");
    }
}

/// llama.cpp's `--fit` on an RTX 2060 (5,738 MiB; 5,141 MiB free at start) with
/// Hermes-3-Llama-3.1-8B Q4_0 (a Llama-3.1-8B; Q4_0 with a Q6_K output head), n_ctx 32768, F16
/// cache: "CUDA0 (NVIDIA GeForce RTX 2060): 15 layers, 4089 MiB used, 1052 MiB free",
/// "offloading output layer to GPU", "offloading 14 repeating layers to GPU", "CUDA0 model
/// buffer size = 2049.43 MiB", "CUDA0 KV buffer size = 1792.00 MiB" (a llama-server log of
/// 2026-06-28 kept in a public repository, found through the code index). Checked: the output
/// layer and 14 layers' weights to the printed precision, their KV cache exactly, and the page's
/// automatic split, given the card's 5,738 MiB, choosing the same 15 units.
#[test]
fn llama_cpp_fit_hermes_3_8b_q4_0_rtx_2060() {
    use bitbudget::core::catalog::model::ModelRef;
    use bitbudget::core::memory::footprint::evaluate_pruned;
    use bitbudget::core::state::scenario::Scenario;
    let a = preset("llama-3.1-8b").unwrap().arch;
    let q4_0 = scheme::by_id("q4_0").unwrap();
    let on: Vec<_> = a
        .tensors()
        .into_iter()
        .filter(|t| t.layer.map_or(t.kind == Kind::Output || t.kind == Kind::Vector, |l| l >= 18))
        .collect();
    let w = weights_of(&on, &a, q4_0).bytes();
    println!("Hermes-3 8B Q4_0, output layer and layers 18–31: {:.2} MiB (log 2049.43)", mib(w));
    assert!(printed(w, 2049.43), "{}", mib(w));
    assert_eq!(kv_bytes(&a, 32768, 1, &F16) / 32 * 14, 1792 << 20);
    let (s, notes) = Scenario::decode("m=llama-3.1-8b@q4_0&ctx=32768&budget=5.603515625GiB&ram=32GB");
    assert!(notes.is_empty(), "{notes:?}");
    let c = &s.configs[0];
    assert!(matches!(c.model, ModelRef::Preset(_)));
    let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
    let p = s.placement(c, &f).unwrap();
    println!("the page's automatic split: -ngl {} ({} layers and the output layer)", p.gpu_units, p.gpu_layers());
    assert_eq!((p.gpu_units, p.gpu_layers(), p.output_on_gpu()), (15, 14, true));
}
