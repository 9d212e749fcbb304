//! Properties of the link codec: every state survives a round trip, and no text breaks it.
#![cfg(not(target_arch = "wasm32"))]

use bitbudget::core::catalog::devices::{DEVICES, RAM_KINDS};
use bitbudget::core::catalog::format::{by_id, FORMATS, KV_FORMATS};
use bitbudget::core::catalog::model::{
    Arch, DeltaNet, Ffn, Local, LocalKind, Mamba, Mixer, Mla, ModelRef, Moe, Pattern, Preset, DECODER, PRESETS,
};
use bitbudget::core::catalog::scheme::{self, schemes, Rule, Scheme};
use bitbudget::core::catalog::sparsity::{Sparsity, PATTERNS};
use bitbudget::core::compare::claim::{check, MAX_MODELS};
use bitbudget::core::estimate::Law;
use bitbudget::core::kernels::quant::infos;
use bitbudget::core::kernels::tensor::{Distribution, SIZES};
use bitbudget::core::lab::{families, family_ids, LabPreset};
use bitbudget::core::memory::footprint::Runtime;
use bitbudget::core::memory::offload::Split;
use bitbudget::core::memory::training::{Method, Optimizer, Targets, Training, MAX_DEVICES, MAX_RANK};
use bitbudget::core::state::link::{CONFIG_KEYS, KEYS};
use bitbudget::core::state::scenario::{
    claim_text, AccuracySettings, Budget, Candidates, Config, LabSettings, Ram, Scenario, YAxis, DEFAULT_CTX,
    MAX_BATCH, MAX_CARDS, MAX_CLAIM, MAX_CONFIGS, MAX_CTX, MAX_MIN_TPS, MAX_NGL, MAX_TOKENS, MIN_TOKENS,
};
use bitbudget::core::state::target::Target;
use bitbudget::core::text::i18n::Lang;
use bitbudget::core::text::units::{Size, Unit, MAX_PARAMS};
use proptest::prelude::*;

fn model() -> impl Strategy<Value = ModelRef> {
    let linkable: Vec<&'static Preset> = PRESETS.iter().filter(|p| p.arch.linkable()).collect();
    prop_oneof![
        (0..PRESETS.len()).prop_map(|i| ModelRef::Preset(&PRESETS[i])),
        // Custom decoders: a linkable preset's architecture with its sizes changed, and any of
        // the link's extensions (local layers of each kind, MLA, the flags, MoE every n layers).
        (
            (0..linkable.len(), 1u32..=200, 1u64..=64, 1u64..=8, 1u64..=1 << 16, 1u64..=1 << 18, any::<bool>()),
            (local(), prop::option::of((0u64..=2048, 1u64..=1024, 0u64..=128, 0u64..=256, 1u64..=256))),
            (prop::array::uniform8(any::<bool>()), 1u32..=4),
        )
            .prop_map(move |((i, layers, kv, groups, ffn, vocab, tied), (local, mla), (flags, every))| {
                let base = linkable[i].arch;
                let [bias, out, qk, gate, sinks, expert, router, shared] = flags;
                ModelRef::Custom(Arch {
                    layers,
                    kv_heads: kv,
                    heads: kv * groups,
                    ffn,
                    vocab,
                    tied_embeddings: tied,
                    qkv_bias: bias,
                    out_bias: out,
                    qk_norm: qk,
                    attn_gate: gate,
                    sinks,
                    expert_bias: expert,
                    router_bias: router,
                    shared_gate: shared,
                    moe: base.moe.map(|m| Moe { dense_layers: m.dense_layers.min(layers), every, ..m }),
                    mla: mla.map(|(q_lora, kv_lora, rope_dim, nope_dim, v_head_dim)| Mla {
                        q_lora,
                        kv_lora,
                        rope_dim,
                        nope_dim,
                        v_head_dim,
                    }),
                    local,
                    // A hybrid preset's layer pattern fits its own layer count only (the
                    // `hybrid` strategy makes patterns).
                    pattern: None,
                    mamba: None,
                    ..base
                })
            }),
        hybrid(),
        (1..=MAX_PARAMS).prop_map(ModelRef::Count),
        // A preset scaled off its count by the slider (its own count is the preset again).
        (0..PRESETS.len(), 1..=MAX_PARAMS).prop_map(|(i, n)| ModelRef::Preset(&PRESETS[i]).with_count(n)),
        (1u64..2000, 0u32..13).prop_map(|(m, e)| ModelRef::Count((m * 10u64.pow(e)).min(MAX_PARAMS))),
    ]
}

/// A hybrid: a repeating unit of layer kinds (Mamba, attention, FFN alone, with or without
/// experts), Mamba-1 or Mamba-2 sizes, experts where the pattern names them.
fn hybrid() -> impl Strategy<Value = ModelRef> {
    let kinds = [
        (Mixer::Attention, Ffn::Dense),
        (Mixer::Attention, Ffn::Experts),
        (Mixer::Attention, Ffn::None),
        (Mixer::Mamba, Ffn::Dense),
        (Mixer::Mamba, Ffn::Experts),
        (Mixer::Mamba, Ffn::None),
        (Mixer::None, Ffn::Dense),
        (Mixer::None, Ffn::Experts),
    ];
    (
        (prop::collection::vec(0usize..8, 1..=12), 1usize..=8),
        (
            any::<bool>(),
            1u64..=16,
            1u64..=8,
            1u64..=128,
            1u64..=256,
            1u64..=8,
            1u64..=512,
            any::<bool>(),
            any::<bool>(),
        ),
        (1u64..=1 << 14, 2u64..=64, 1u64..=8),
    )
        .prop_map(
            move |((unit, times), (v2, groups, per, head, state, conv, rank, cb, pb), (ffn, experts, active))| {
                let layers: Vec<(Mixer, Ffn)> = unit.iter().map(|i| kinds[*i]).collect::<Vec<_>>().repeat(times);
                let pattern = Pattern::new(&layers).unwrap();
                let heads = groups * per;
                let mamba = Mamba {
                    inner: heads * head,
                    heads: if v2 { heads } else { 0 },
                    groups: if v2 { groups } else { 0 },
                    state,
                    conv,
                    dt_rank: if v2 { 0 } else { rank },
                    conv_bias: cb,
                    proj_bias: pb,
                };
                ModelRef::Custom(Arch {
                    layers: layers.len() as u32,
                    ffn,
                    pattern: Some(pattern),
                    mamba: layers.iter().any(|l| l.0 == Mixer::Mamba).then_some(mamba),
                    moe: layers.iter().any(|l| l.1 == Ffn::Experts).then_some(Moe {
                        experts,
                        active: active.min(experts),
                        shared: 0,
                        expert_ffn: ffn,
                        dense_layers: 0,
                        every: 1,
                    }),
                    plain_ffn: v2,
                    ..DECODER
                })
            },
        )
}

/// Local layers of each kind, every `period` layers one attending to everything (0: none).
fn local() -> impl Strategy<Value = Option<Local>> {
    let period = prop_oneof![Just(0u32), 2u32..=12];
    prop::option::of(prop_oneof![
        (1u64..=1 << 20, period.clone()).prop_map(|(w, period)| Local { kind: LocalKind::Sliding(w), period }),
        (1u64..=1 << 20, period.clone()).prop_map(|(c, period)| Local { kind: LocalKind::Chunked(c), period }),
        (1u64..=64, 1u64..=64, 1u64..=256, 1u64..=256, 1u64..=8, period).prop_map(
            |(key_heads, value_heads, key_dim, value_dim, conv, period)| Local {
                kind: LocalKind::DeltaNet(DeltaNet { key_heads, value_heads, key_dim, value_dim, conv }),
                period,
            }
        ),
    ])
}

/// A pickable scheme, or a llama-quantize preset or pure type with `+emb=` / `+out=` overrides.
fn scheme() -> impl Strategy<Value = &'static Scheme> {
    let ggml: Vec<&'static str> = FORMATS.iter().filter(|f| f.is_ggml_type()).map(|f| f.id).collect();
    let n = ggml.len();
    (0..schemes().len(), prop::option::of(0..n), prop::option::of(0..n)).prop_map(move |(s, emb, out)| {
        let base = &schemes()[s];
        if base.rule == Rule::Checkpoint {
            return base;
        }
        let mut id = base.id.to_string();
        for (key, i) in [("emb", emb), ("out", out)] {
            if let Some(i) = i {
                id.push_str(&format!("+{key}={}", ggml[i]));
            }
        }
        scheme::parse(&id).unwrap()
    })
}

fn config() -> impl Strategy<Value = Config> {
    let tokens = prop::option::of(MIN_TOKENS..=MAX_TOKENS);
    let sparsity = prop_oneof![
        Just(Sparsity::Dense),
        (1u8..32, 2u8..=32).prop_filter_map("n < m", |(n, m)| (n < m).then_some(Sparsity::NM { n, m })),
        (1u8..=99).prop_map(|percent| Sparsity::Unstructured { percent }),
    ];
    // A quarter of them at `ctx=max` (whose number is the default).
    let ctx = prop_oneof![3 => (1..=MAX_CTX).prop_map(|c| (c, false)), 1 => Just((DEFAULT_CTX, true))];
    (model(), scheme(), ctx, 1..=MAX_BATCH, 0..KV_FORMATS.len(), tokens, sparsity).prop_map(
        |(m, scheme, (ctx, fit_ctx), batch, kv, tokens, sparsity)| Config {
            model: m,
            scheme,
            ctx,
            batch,
            kv: by_id(KV_FORMATS[kv]).unwrap(),
            tokens,
            sparsity,
            fit_ctx,
        },
    )
}

fn unit() -> impl Strategy<Value = Unit> {
    (0..Unit::ALL.len()).prop_map(|i| Unit::ALL[i])
}

fn budget() -> impl Strategy<Value = Budget> {
    let units = [Unit::GB, Unit::GiB, Unit::TB];
    prop_oneof![
        (0..DEVICES.len()).prop_map(|i| Budget::Device(&DEVICES[i])),
        (0.001f64..1e5, 0..3usize).prop_map(move |(v, u)| Budget::Size(Size { value: v, unit: units[u] })),
    ]
}

fn runtime() -> impl Strategy<Value = Runtime> {
    prop_oneof![
        (0.0f64..1e4, unit()).prop_map(|(value, unit)| Runtime::Fixed(Size { value, unit })),
        (0.0f64..=1000.0).prop_map(Runtime::PercentOfWeights),
        proptest::sample::select(bitbudget::core::memory::runtime::Engine::ALL.to_vec()).prop_map(Runtime::Modelled),
    ]
}

/// The lab's formats: all, a few picked one by one, or what the presets and the families'
/// toggles leave (the empty list among them).
fn lab_formats() -> impl Strategy<Value = Option<Vec<&'static str>>> {
    let n = infos().len();
    let fams = families();
    let flips = prop::collection::vec((0..fams.len(), any::<bool>()), 0..4);
    prop_oneof![
        Just(None),
        prop::collection::vec(0..n, 1..6)
            .prop_map(|p| Some(infos().iter().enumerate().filter(|(i, _)| p.contains(i)).map(|(_, k)| k.id).collect())),
        (0..LabPreset::ALL.len(), flips).prop_map(move |(p, flips)| {
            let start = LabSettings::default().choosing(&LabPreset::ALL[p].ids());
            flips.iter().fold(start, |s, &(f, on)| s.toggling(&family_ids(fams[f]), on)).formats
        }),
    ]
}

fn lab() -> impl Strategy<Value = LabSettings> {
    (0..Distribution::ALL.len(), 0..SIZES.len(), any::<u32>(), lab_formats()).prop_map(|(d, size, seed, formats)| {
        LabSettings {
            dist: Distribution::ALL[d],
            elements: SIZES[size] as u32,
            seed,
            formats,
            sparsity: PATTERNS[seed as usize % PATTERNS.len()],
        }
    })
}

fn accuracy() -> impl Strategy<Value = AccuracySettings> {
    (0..2usize, any::<bool>(), any::<bool>(), 0..3usize, any::<bool>(), 0..=MAX_MIN_TPS as u32).prop_map(
        |(l, dppl, published, c, levers, min_tps)| AccuracySettings {
            law: Law::ALL[l],
            y: if dppl { YAxis::DeltaPpl } else { YAxis::Loss },
            published,
            levers,
            candidates: [Candidates::Presets, Candidates::Range, Candidates::Configs][c],
            min_tps,
        },
    )
}

fn training() -> impl Strategy<Value = Option<Training>> {
    prop::option::of(
        (0..3usize, 0..3usize, 1..=MAX_RANK, any::<bool>(), any::<bool>(), 0u8..=3, 1..=MAX_DEVICES).prop_map(
            |(m, o, rank, all, checkpointing, zero, devices)| Training {
                method: Method::ALL[m],
                optimizer: Optimizer::ALL[o],
                rank,
                targets: if all { Targets::AllLinear } else { Targets::QueryValue },
                checkpointing,
                zero,
                devices,
            },
        ),
    )
}

/// `par=`: a configuration (an index taken modulo the count) or a size of at least 1 MB.
fn parity() -> impl Strategy<Value = (Option<usize>, Size)> {
    (prop::option::of(0..MAX_CONFIGS), 1.0f64..1e5, 0..Unit::ALL.len())
        .prop_map(|(i, value, u)| (i, Size { value, unit: Unit::ALL[u] }))
}

/// `claim=`: any text the field can hold, with the characters the link itself uses (`&`, `=`,
/// `#`, `%`, `+`) and CJK; none the example (which is not written).
fn claim() -> impl Strategy<Value = Option<String>> {
    let text = prop_oneof![
        "[a-zA-Z0-9 &=#%+~@,.:;()\\-一二三参数模型几十大小减少一半以上，。（）“”]{0,80}",
        ".{0,40}",
        "\\PC{0,20}",
        Just("1-2B ".repeat(MAX_CLAIM / 5)),
    ];
    prop::option::of(text.prop_filter("not the example", |t| claim_text(t).is_some()))
}

/// Cards (by layers only when there are several: one card writes no mode), RAM and the split.
fn cards_and_ram() -> impl Strategy<Value = (u32, bool, Option<Ram>, Split)> {
    let units = [Unit::GB, Unit::GiB, Unit::TB];
    let ram = prop::option::of(
        (0.001f64..1e4, 0..3usize, 0..RAM_KINDS.len())
            .prop_map(move |(v, u, k)| Ram { size: Size { value: v, unit: units[u] }, kind: &RAM_KINDS[k] }),
    );
    let split = prop_oneof![
        Just(Split::Auto),
        (0..=MAX_NGL).prop_map(Split::Layers),
        prop::option::of(0..=MAX_NGL).prop_map(Split::Experts),
    ];
    (1..=MAX_CARDS, any::<bool>(), ram, split).prop_map(|(n, pp, ram, split)| (n, pp && n > 1, ram, split))
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let configs = prop::collection::vec(config(), 1..=MAX_CONFIGS);
    (configs, budget(), runtime(), lab(), accuracy(), training(), 0..2usize, parity(), claim(), cards_and_ram())
        .prop_map(
            |(
                configs,
                budget,
                runtime,
                lab,
                accuracy,
                training,
                l,
                (i, size),
                claim,
                (cards, pipeline, ram, split),
            )| Scenario {
                parity: i.map_or(Target::Size(size), |i| Target::Config(i % configs.len())),
                configs,
                budget,
                runtime,
                lab,
                accuracy,
                lang: Lang::ALL[l],
                training,
                claim,
                cards,
                pipeline,
                ram,
                split,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decode_encode_is_identity(s in scenario()) {
        let link = s.encode();
        let (back, notes) = Scenario::decode(&link);
        prop_assert!(notes.is_empty(), "{link}: {notes:?}");
        prop_assert_eq!(back, s);
    }

    #[test]
    fn any_text_decodes_to_a_usable_state(text in ".{0,300}") {
        let (s, _) = Scenario::decode(&text);
        prop_assert!((1..=MAX_CONFIGS).contains(&s.configs.len()));
        let (again, notes) = Scenario::decode(&s.encode());
        prop_assert!(notes.is_empty());
        prop_assert_eq!(again, s);
    }

    /// The claim checker reads any text, link or field, without a panic.
    #[test]
    fn any_claim_reads(text in "([0-9.]{1,4}[BMGT]?|[-~到至 ]|to|INT8|fp16|q4_k_m|BERT|Llama|GB|几十|十几|几个|tens of|a few|减少一半以上|more than half smaller|.){0,24}") {
        for lang in Lang::ALL {
            if let Some(c) = check(&text, lang) {
                prop_assert!(!c.models.is_empty() && c.models.len() <= MAX_MODELS);
                prop_assert_eq!(c.verdict.is_some(), c.models.len() >= 2);
                prop_assert!(c.models.iter().all(|m| m.read.counts.0 <= m.read.counts.1));
            }
        }
    }

    /// Link-like text over every key of the table (and each per-configuration key with an
    /// index): decoding never fails, and what it reads encodes to a link that reads the same.
    #[test]
    fn link_like_text_decodes(text in link_like()) {
        let (s, _) = Scenario::decode(&text);
        prop_assert!(!s.configs.is_empty());
        prop_assert_eq!(Scenario::decode(&s.encode()).0, s);
    }
}

fn link_like() -> impl Strategy<Value = String> {
    let escaped = |name: &str| name.replace('.', "\\.");
    let names: Vec<String> = KEYS
        .iter()
        .map(|k| escaped(k.name))
        .chain(CONFIG_KEYS.iter().map(|k| format!("{}\\.[0-9]", escaped(k.name))))
        .collect();
    let pattern = format!("(v=1&)?m=[a-z0-9.@,_%-]{{0,40}}(&({})=[a-zA-Z0-9.%:,_-]{{0,12}}){{0,8}}", names.join("|"));
    proptest::string::string_regex(&pattern).unwrap()
}
