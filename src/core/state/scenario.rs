//! The whole shareable state; its URL-fragment codec walks the key table in `state::link`.

use crate::core::catalog::devices::RamKind;
use crate::core::catalog::devices::{self, Device};
use crate::core::catalog::format::{self, Format};
use crate::core::catalog::model::{preset, ModelRef};
use crate::core::catalog::scheme::{self, Scheme};
use crate::core::catalog::sparsity::Sparsity;
use crate::core::estimate::Law;
use crate::core::kernels::quant::infos;
use crate::core::kernels::tensor::{Distribution, ROW, SIZES};
use crate::core::memory::footprint::{
    bisect_context, evaluate_pruned, largest_context, ContextFit, Footprint, Runtime,
};
use crate::core::memory::offload::{self, Placement, Split};
use crate::core::memory::training::{Training, MAX_DEVICES, MAX_RANK};
use crate::core::text::i18n::{Key, Lang, Msg};
use crate::core::text::units::{clip, fmt_thousands, Size, Unit};
use crate::msg;

pub const VERSION: u32 = 1;
pub const MAX_CONFIGS: usize = 8;
pub const MAX_CTX: u64 = 1 << 27;
pub const MAX_BATCH: u64 = 65536;
/// Links this page writes are a few hundred bytes; longer ones are refused unread.
pub const MAX_FRAGMENT: usize = 8192;
const MIN_BUDGET_BYTES: f64 = 1e6;
/// The claim checker reads this many characters; a longer `claim=` is refused. Even in CJK
/// (nine bytes a character, percent-encoded) a claim this long leaves the link under 8 KB.
pub const MAX_CLAIM: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub model: ModelRef,
    pub scheme: &'static Scheme,
    pub ctx: u64,
    pub batch: u64,
    pub kv: &'static Format,
    /// Training tokens the user gave; `None` takes the preset's or 20 per parameter.
    pub tokens: Option<u64>,
    /// Pruning of the linear layers (`@fp16+2:4`).
    pub sparsity: Sparsity,
    /// `ctx=max`: the context is the largest that fits the budget ([`Scenario::resolved`]);
    /// `ctx` is then the default (what training mode, which has no such search, uses).
    pub fit_ctx: bool,
}

/// A context as typed: a number of tokens, or `max`, the largest that fits the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Tokens(u64),
    Max,
}

impl Ctx {
    pub fn valid(self) -> bool {
        match self {
            Ctx::Tokens(v) => (1..=MAX_CTX).contains(&v),
            Ctx::Max => true,
        }
    }
}

/// A context: `max`, or a whole number of tokens (see [`parse_ctx`]).
pub fn parse_context(text: &str) -> Result<Ctx, Msg> {
    if text.trim().eq_ignore_ascii_case("max") {
        Ok(Ctx::Max)
    } else {
        parse_ctx(text).map(Ctx::Tokens)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    Size(Size),
    Device(&'static Device),
}

impl Budget {
    /// The device named, whose bandwidth gives a decode bound; `None` for a bare size.
    pub fn device(&self) -> Option<&'static Device> {
        match self {
            Budget::Device(d) => Some(d),
            Budget::Size(_) => None,
        }
    }

    pub fn bytes(&self) -> u64 {
        match self {
            Budget::Size(s) => s.bytes(),
            // What the GPU may use (on Apple silicon, part of the unified memory).
            Budget::Device(d) => d.gpu_bytes(),
        }
    }

    pub fn encode(&self) -> String {
        match self {
            Budget::Size(s) => s.encode(),
            Budget::Device(d) => d.id.to_string(),
        }
    }

    /// The budget as a size to edit: itself, or a device's memory in GB to two decimals.
    pub fn size_text(&self) -> String {
        match self {
            Budget::Size(s) => s.encode(),
            Budget::Device(d) => format!("{}GB", (d.gpu_bytes() as f64 / 1e7).round() / 100.0),
        }
    }

    pub fn parse(text: &str) -> Result<Budget, Msg> {
        if let Some(d) = devices::by_id(&text.trim().to_ascii_lowercase()) {
            return Ok(Budget::Device(d));
        }
        let s = Size::parse(text, &[Unit::GB, Unit::GiB, Unit::TB], false).map_err(|e| msg!(err_device_hint, e))?;
        if (s.bytes() as f64) < MIN_BUDGET_BYTES {
            return Err(msg!(err_budget_small, clip(text)));
        }
        Ok(Budget::Size(s))
    }
}

/// System RAM that weights may be offloaded to: its size and kind (`ram=64GB@ddr5-6000-2ch`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ram {
    pub size: Size,
    pub kind: &'static RamKind,
}

/// The RAM a size alone is taken to be: a current desktop's.
pub fn default_ram_kind() -> &'static RamKind {
    devices::ram_by_id("ddr5-6000-2ch").unwrap_or(&devices::RAM_KINDS[0])
}

/// The RAM size a kind picked without one starts at.
pub const DEFAULT_RAM: Size = Size { value: 64.0, unit: Unit::GB };

impl Ram {
    pub fn bytes(&self) -> u64 {
        self.size.bytes()
    }

    pub fn encode(&self) -> String {
        format!("{}@{}", self.size.encode(), self.kind.id)
    }

    /// `64GB`, or `64GB@ddr4-3200-2ch`.
    pub fn parse(text: &str) -> Result<Ram, Msg> {
        let kinds: Vec<&str> = devices::RAM_KINDS.iter().map(|k| k.id).collect();
        let bad = || msg!(err_ram, clip(text), kinds.join(", "));
        let (size, kind) = match text.trim().split_once('@') {
            Some((size, id)) => (size, devices::ram_by_id(&id.trim().to_ascii_lowercase()).ok_or_else(bad)?),
            None => (text, default_ram_kind()),
        };
        let size = Size::parse(size, &[Unit::GB, Unit::GiB, Unit::TB], false).map_err(|_| bad())?;
        if (size.bytes() as f64) < MIN_BUDGET_BYTES {
            return Err(bad());
        }
        Ok(Ram { size, kind })
    }
}

/// At most this many layers on the GPU (`ngl:999` is llama.cpp's usual "all").
pub const MAX_NGL: u32 = 999;

/// `auto`, `ngl:<layers>` (0 to 999), `experts` (the fewest that fit) or `experts:<layers>`.
pub fn parse_split(text: &str) -> Result<Split, Msg> {
    let t = text.trim().to_ascii_lowercase();
    let count = |n: &str| n.trim().parse::<u32>().ok().filter(|n| *n <= MAX_NGL);
    let split = match t.split_once(':') {
        None if t == "auto" => Some(Split::Auto),
        None if t == "experts" => Some(Split::Experts(None)),
        Some(("ngl", n)) => count(n).map(Split::Layers),
        Some(("experts", n)) => count(n).map(|n| Split::Experts(Some(n))),
        _ => None,
    };
    split.ok_or_else(|| msg!(err_split, clip(text)))
}

/// A split as the link writes it.
pub fn split_text(split: Split) -> String {
    match split {
        Split::Auto => "auto".into(),
        Split::Layers(n) => format!("ngl:{n}"),
        Split::Experts(None) => "experts".into(),
        Split::Experts(Some(n)) => format!("experts:{n}"),
    }
}

/// The quantization lab's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LabSettings {
    pub dist: Distribution,
    pub elements: u32,
    pub seed: u32,
    /// Kernel ids in the lab's order; `None` is every kernel.
    pub formats: Option<Vec<&'static str>>,
    /// Also run each format over the values this pattern keeps (`lab.sparse=2:4`).
    pub sparsity: Sparsity,
}

impl Default for LabSettings {
    fn default() -> LabSettings {
        LabSettings {
            dist: Distribution::Gaussian,
            elements: 1 << 20,
            seed: 1,
            formats: None,
            sparsity: Sparsity::Dense,
        }
    }
}

impl LabSettings {
    /// The kernels to run, in the lab's order.
    pub fn kernel_ids(&self) -> Vec<&'static str> {
        match &self.formats {
            None => infos().iter().map(|k| k.id).collect(),
            Some(f) => infos().iter().map(|k| k.id).filter(|id| f.contains(id)).collect(),
        }
    }

    /// The same settings with these kernels chosen: kept in the lab's order, and all of them
    /// written as `None` (the link's default).
    pub fn choosing(&self, ids: &[&str]) -> LabSettings {
        let chosen: Vec<&'static str> = infos().iter().map(|k| k.id).filter(|id| ids.contains(id)).collect();
        LabSettings { formats: (chosen.len() != infos().len()).then_some(chosen), ..self.clone() }
    }

    /// `group` (a kernel, or a family's kernels) ticked or unticked, the rest as they are.
    pub fn toggling(&self, group: &[&str], on: bool) -> LabSettings {
        let mut ids: Vec<&str> = self.kernel_ids().into_iter().filter(|id| !group.contains(id)).collect();
        if on {
            ids.extend_from_slice(group);
        }
        self.choosing(&ids)
    }

    /// How many of `group`'s kernels are chosen.
    pub fn chosen_of(&self, group: &[&str]) -> usize {
        let chosen = self.kernel_ids();
        group.iter().filter(|id| chosen.contains(id)).count()
    }

    /// The preset this choice is, if it is one.
    pub fn preset(&self) -> Option<crate::core::lab::LabPreset> {
        let chosen = self.kernel_ids();
        crate::core::lab::LabPreset::ALL.into_iter().find(|p| p.ids() == chosen)
    }

    /// What the worker runs: each kernel, then each again pruned (`f16+2:4`) when a pattern is set.
    pub fn run_ids(&self) -> Vec<String> {
        crate::core::catalog::sparsity::with_pruned(&self.kernel_ids(), self.sparsity)
    }

    /// The name of the `index`th entry of `run_ids` (the lab's progress line): `Q8_0`, or
    /// `Q8_0 · 2:4 sparse` for the pruned entries after the dense ones.
    pub fn run_name(&self, index: usize, t: &crate::core::text::i18n::Strings) -> Option<String> {
        self.run_ids().get(index).and_then(|id| crate::core::lab::format_name(id, t))
    }
}

/// `1Mi`, `64Ki`: the lab's sizes are powers of two.
pub fn format_elements(n: u32) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{}Mi", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{}Ki", n >> 10)
    } else {
        n.to_string()
    }
}

pub fn parse_elements(text: &str) -> Result<u32, Msg> {
    let t = text.trim();
    let (num, mult) = if let Some(v) = t.strip_suffix("Mi") {
        (v, 1u64 << 20)
    } else if let Some(v) = t.strip_suffix("Ki") {
        (v, 1 << 10)
    } else {
        (t, 1)
    };
    let bad = || msg!(err_lab_size, clip(text));
    let n = num.parse::<u64>().map_err(|_| bad())?.checked_mul(mult).ok_or_else(bad)?;
    if SIZES.iter().any(|&s| s as u64 == n) {
        Ok(n as u32)
    } else {
        Err(bad())
    }
}

pub(crate) fn parse_lab_formats(text: &str) -> Result<Option<Vec<&'static str>>, Msg> {
    if text.trim() == "all" {
        return Ok(None);
    }
    let mut out = Vec::new();
    for id in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let k = infos().iter().find(|k| k.id == id).ok_or_else(|| msg!(err_lab_format, clip(id)))?;
        if !out.contains(&k.id) {
            out.push(k.id);
        }
    }
    Ok(Some(infos().iter().map(|k| k.id).filter(|id| out.contains(id)).collect()))
}

/// The chart's y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YAxis {
    /// Predicted loss, nats per token.
    #[default]
    Loss,
    /// Perplexity increase over the same model at 16 bits, percent.
    DeltaPpl,
}

/// Which models "best for my budget" considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Candidates {
    /// Every preset, plus the models of the configurations.
    #[default]
    Presets,
    /// Raw counts from 0.5B to 1T, three per decade, plus the models of the configurations.
    Range,
    /// Only the models of the configurations.
    Configs,
}

impl Candidates {
    pub fn id(self) -> &'static str {
        match self {
            Candidates::Presets => "presets",
            Candidates::Range => "range",
            Candidates::Configs => "configs",
        }
    }
}

/// How the accuracy estimate and its chart are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccuracySettings {
    pub law: Law,
    pub y: YAxis,
    /// Show the published llama.cpp measurements on the chart.
    pub published: bool,
    /// Show the published pruning and distillation measurements on the chart.
    pub levers: bool,
    pub candidates: Candidates,
    /// "Best for my budget" keeps only what decodes at least this many tokens per second
    /// (`tps=`; 0: no floor).
    pub min_tps: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub configs: Vec<Config>,
    pub budget: Budget,
    pub runtime: Runtime,
    pub lab: LabSettings,
    pub accuracy: AccuracySettings,
    /// The page's language (`lang=`; without it, the browser's).
    pub lang: Lang,
    /// Training instead of inference: configuration `ctx` is the sequence length and `batch`
    /// the micro-batch per device.
    pub training: Option<Training>,
    /// What the size-parity view per lever is sized to (`par=`).
    pub parity: crate::core::state::target::Target,
    /// The claim checker's text (`claim=`); `None` shows the example in the page's language.
    pub claim: Option<String>,
    /// Inference on this many cards of the budget's size (`cards=`): tensor-parallel, or by
    /// layers when `pipeline` (`cards=2:pp`).
    pub cards: u32,
    pub pipeline: bool,
    /// System RAM that what does not fit the GPU may go to (`ram=`); `None`: the GPU alone.
    pub ram: Option<Ram>,
    /// How a model is split with RAM (`split=`).
    pub split: Split,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Something in the link was ignored.
    Info,
    /// Something in the link was wrong and replaced by a default.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: Msg,
}

pub(crate) fn info(text: Msg) -> Notice {
    Notice { level: Level::Info, text }
}
pub(crate) fn error(text: Msg) -> Notice {
    Notice { level: Level::Error, text }
}

pub const DEFAULT_CTX: u64 = 8192;
pub const DEFAULT_BATCH: u64 = 1;

pub fn default_kv() -> &'static Format {
    format::by_id("f16").unwrap_or(&format::F16)
}

pub fn default_scheme() -> &'static Scheme {
    scheme::by_id("bf16").unwrap_or(&scheme::schemes()[0])
}

/// The runtime as llama.cpp allocates it on a CUDA card (`rt=llama.cpp`): the CUDA context, the
/// compute buffer for the model, context and micro-batch, and the output buffer.
pub fn default_runtime() -> Runtime {
    Runtime::Modelled(crate::core::memory::runtime::Engine::LlamaCpp)
}

pub fn default_budget() -> Budget {
    devices::by_id("rtx-4090").map_or(Budget::Size(Size { value: 24.0, unit: Unit::GB }), Budget::Device)
}

impl Config {
    pub fn new(model: ModelRef, scheme: &'static Scheme) -> Config {
        Config {
            model,
            scheme,
            ctx: DEFAULT_CTX,
            batch: DEFAULT_BATCH,
            kv: default_kv(),
            tokens: None,
            sparsity: Sparsity::Dense,
            fit_ctx: false,
        }
    }

    pub fn set_ctx(&mut self, c: Ctx) {
        match c {
            Ctx::Tokens(v) => (self.ctx, self.fit_ctx) = (v, false),
            // One state per link: the number is not kept beside `max`.
            Ctx::Max => (self.ctx, self.fit_ctx) = (DEFAULT_CTX, true),
        }
    }

    /// The context as the link and the field write it: `max` or the number.
    pub fn ctx_text(&self) -> String {
        if self.fit_ctx {
            "max".into()
        } else {
            self.ctx.to_string()
        }
    }

    /// The largest context at which this configuration fits `card` bytes on each of `cards`
    /// tensor-parallel cards (weights and KV cache split, each card keeping its runtime; at most
    /// the model's trained context); `None` when not even one token does. An engine's runtime is
    /// evaluated at each context tried, since its compute buffer grows with it.
    pub fn largest_context(&self, card: u64, cards: u64, runtime: &Runtime) -> Option<ContextFit> {
        let n = cards.max(1);
        let w =
            evaluate_pruned(&self.model, self.scheme, self.sparsity, 1, self.batch, self.kv, runtime).weight_bytes();
        let (arch, _, _) = self.model.layout();
        let runtime_at = |ctx: u64| {
            let total = runtime.parts(w, &arch, ctx, self.batch).0;
            // n cards keep n per-card runtimes; the budget is n cards.
            n.saturating_mul(runtime.per_card(total, n))
        };
        largest_context(&self.model, w, &runtime_at, self.batch, self.kv, n.saturating_mul(card))
    }
}

impl Default for Scenario {
    /// The question the page exists for: 70B at 4 bits or 8B at 16 bits, on a 24 GB card.
    fn default() -> Scenario {
        let pick = |m: &str, s: &str| {
            Config::new(
                preset(m).map_or(ModelRef::Count(8_000_000_000), ModelRef::Preset),
                scheme::by_id(s).unwrap_or_else(default_scheme),
            )
        };
        Scenario {
            configs: vec![pick("llama-3.1-70b", "q4_k_m"), pick("llama-3.1-8b", "bf16")],
            budget: default_budget(),
            runtime: default_runtime(),
            lab: LabSettings::default(),
            accuracy: AccuracySettings::default(),
            lang: Lang::default(),
            training: None,
            parity: Default::default(),
            claim: None,
            cards: 1,
            pipeline: false,
            ram: None,
            split: Split::Auto,
        }
    }
}

/// At most this many cards share a model.
pub const MAX_CARDS: u32 = 64;

/// A number of cards, 1 to [`MAX_CARDS`].
pub fn parse_cards(text: &str) -> Result<u32, Msg> {
    parse_int(Key::cards, text, u64::from(MAX_CARDS)).map(|n| n as u32)
}

/// Cards as the link writes them: `2` (tensor-parallel), `2:tp`, or `2:pp` (by layers).
pub fn parse_cards_mode(text: &str) -> Result<(u32, bool), Msg> {
    let (n, mode) = text.trim().split_once(':').unwrap_or((text, "tp"));
    let pipeline = match mode.trim().to_ascii_lowercase().as_str() {
        "tp" => false,
        "pp" => true,
        _ => return Err(msg!(err_cards, clip(text), MAX_CARDS)),
    };
    parse_cards(n).map(|n| (n, pipeline)).map_err(|_| msg!(err_cards, clip(text), MAX_CARDS))
}

pub(crate) fn parse_int(name: Key, text: &str, max: u64) -> Result<u64, Msg> {
    match text.trim().parse::<u64>() {
        Ok(v) if (1..=max).contains(&v) => Ok(v),
        _ => Err(msg!(err_whole, Msg::new(name, vec![]), clip(text), fmt_thousands(max))),
    }
}

/// The highest speed floor "best for my budget" takes, tokens per second.
pub const MAX_MIN_TPS: u64 = 10_000;

/// A speed floor in whole tokens per second, 0 (none) to [`MAX_MIN_TPS`].
pub fn parse_min_tps(text: &str) -> Result<u32, Msg> {
    match text.trim() {
        "" | "0" => Ok(0),
        t => parse_int(Key::min_tps, t, MAX_MIN_TPS).map(|n| n as u32),
    }
}

pub fn parse_ctx(text: &str) -> Result<u64, Msg> {
    parse_int(Key::context, text, MAX_CTX)
}

pub fn parse_batch(text: &str) -> Result<u64, Msg> {
    parse_int(Key::batch, text, MAX_BATCH)
}

pub const MIN_TOKENS: u64 = 1_000_000;
pub const MAX_TOKENS: u64 = 100_000_000_000_000;

/// Training tokens: a count from 1M to 100T (`15T`, `1.4e12`).
pub fn parse_tokens(text: &str) -> Result<u64, Msg> {
    let bad = || msg!(err_tokens, clip(text));
    match crate::core::text::units::parse_count(text) {
        Ok(t) if (MIN_TOKENS..=MAX_TOKENS).contains(&t) => Ok(t),
        _ => Err(bad()),
    }
}

pub fn parse_kv(text: &str) -> Result<&'static Format, Msg> {
    let t = text.trim().to_ascii_lowercase();
    format::KV_FORMATS
        .iter()
        .find(|id| **id == t)
        .and_then(|id| format::by_id(id))
        .ok_or_else(|| msg!(err_kv, clip(text), format::KV_FORMATS.join(", ")))
}

pub fn parse_scheme(text: &str) -> Result<&'static Scheme, Msg> {
    let id = text.trim().to_ascii_lowercase();
    // The names people write for the plain floats.
    let id = match id.as_str() {
        "fp16" => "f16",
        "fp32" => "f32",
        other => other,
    };
    scheme::parse(id)
}

/// One of a few keywords.
pub(crate) fn pick<T: Copy>(text: &str, options: &[(&str, T)], what: Key) -> Result<T, Msg> {
    let t = text.trim().to_ascii_lowercase();
    options.iter().find(|(k, _)| *k == t).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        msg!(err_pick, Msg::new(what, vec![]), clip(text), names.join(", "))
    })
}

/// The claim text a scenario keeps: `None` for either language's example (so it is not written
/// into the link and follows a language switch), else the text cut to [`MAX_CLAIM`] characters.
pub fn claim_text(text: &str) -> Option<String> {
    let example = Lang::ALL.iter().any(|l| l.strings().claim_example == text);
    (!example).then(|| text.chars().take(MAX_CLAIM).collect())
}

/// Every byte of UTF-8 but the unreserved ASCII (`A-Z a-z 0-9 - . _ ~`) as `%XX`: free text
/// in the link can hold no `&`, `=`, `#` or space, and browsers leave `%XX` as it is.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` escapes, as chat apps and mail clients sometimes add them to links.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a fragment chooses the language (else the page takes the browser's).
pub fn sets_lang(fragment: &str) -> bool {
    fragment.trim_start_matches('#').split('&').any(|p| p.split('=').next().is_some_and(|k| k.trim() == "lang"))
}

/// One user action on the scenario. The page's reducer applies these and nothing else.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Model(usize, ModelRef),
    Scheme(usize, &'static Scheme),
    Ctx(usize, Ctx),
    Batch(usize, u64),
    Kv(usize, &'static Format),
    Sparsity(usize, Sparsity),
    /// Appends a copy of the last configuration.
    Add,
    Duplicate(usize),
    Remove(usize),
    Budget(Budget),
    Runtime(Runtime),
    /// Cards of the budget's size.
    Cards(u32),
    /// Several cards split by layers (`true`) or tensor-parallel.
    Pipeline(bool),
    /// System RAM, or none.
    Ram(Option<Ram>),
    Split(Split),
    Lab(LabSettings),
    /// Appends a configuration with this model and scheme (the first one's context, batch, KV).
    Insert(ModelRef, &'static Scheme, Sparsity),
    /// Training tokens of one configuration (`None`: the default).
    Tokens(usize, Option<u64>),
    Accuracy(AccuracySettings),
    /// Inference (`None`) or training with these settings.
    Training(Option<Training>),
    Lang(Lang),
    /// The size of the size-parity view per lever.
    Parity(crate::core::state::target::Target),
    /// The claim checker's text, as typed.
    Claim(String),
}

impl Edit {
    /// The configuration in the user's hands once this edit is applied (the phone's one-line
    /// summary shows it), numbered as after the edit: the one it changes or makes; `before`
    /// when it touches none, renumbered past a removal, and none when that one is removed. `n`
    /// is the number of configurations before the edit.
    pub fn in_hand(&self, before: Option<usize>, n: usize) -> Option<usize> {
        match *self {
            Edit::Model(i, _)
            | Edit::Scheme(i, _)
            | Edit::Ctx(i, _)
            | Edit::Batch(i, _)
            | Edit::Kv(i, _)
            | Edit::Sparsity(i, _)
            | Edit::Tokens(i, _) => Some(i),
            Edit::Duplicate(i) => Some(i + 1),
            Edit::Add | Edit::Insert(..) => Some(n),
            Edit::Remove(r) => before.filter(|&b| b != r).map(|b| if b > r { b - 1 } else { b }),
            _ => before,
        }
    }
}

impl Scenario {
    /// This scenario without the claim checker's text, which nothing else reads: the page keys
    /// its other computations on it, so typing a claim rebuilds only the claim's check.
    pub fn without_claim(&self) -> Scenario {
        Scenario { claim: None, ..self.clone() }
    }

    /// The cards the weights and KV cache are split over: `cards`, or one in training mode (which
    /// counts its own devices, `gpus`).
    pub fn tp_cards(&self) -> u64 {
        if self.training.is_some() {
            1
        } else {
            u64::from(self.cards.max(1))
        }
    }

    /// The bytes a configuration's total (weights, KV cache and one runtime of `runtime` bytes)
    /// must stay within. One card: the budget. n cards, tensor-parallel: the weights and KV cache
    /// split evenly and each card keeps its own runtime, so a card needs (weights + KV) / n + its
    /// runtime, which fits exactly when the total is within n · budget − (n · per-card runtime −
    /// runtime): n · budget − (n − 1) · runtime for a size or an engine's buffers (on every
    /// card), n · budget for a share of the weights (which splits with them).
    pub fn budget_for(&self, runtime: u64) -> u64 {
        let (n, one) = (self.tp_cards(), self.budget.bytes());
        let kept = n.saturating_mul(self.runtime.per_card(runtime, n)).saturating_sub(runtime);
        n.saturating_mul(one).saturating_sub(kept)
    }

    /// The budget the page draws and names, for every configuration at once: [`Self::budget_for`]
    /// with the runtime's part that does not depend on the configuration (a size, an engine's
    /// context, nothing for a share of the weights). A configuration's own verdict uses its own
    /// runtime (`budget_for(f.runtime)`): on several cards an engine's compute buffers, which
    /// each card keeps, make it slightly smaller than this line.
    pub fn budget_bytes(&self) -> u64 {
        let (n, one) = (self.tp_cards(), self.budget.bytes());
        n.saturating_mul(one).saturating_sub((n - 1).saturating_mul(self.runtime.fixed_part()))
    }

    /// The largest context at which configuration `c` fits: [`Config::largest_context`] on this
    /// scenario's cards, budget and runtime; with system RAM or cards by layers, the largest at
    /// which llama.cpp's placement of it fits (every card and the RAM within theirs).
    pub fn largest_context(&self, c: &Config) -> Option<ContextFit> {
        if self.training.is_none() && (self.ram.is_some() || self.pipelined()) {
            let cap = c.model.layout().0.max_context.max(1);
            return bisect_context(cap, &|ctx| {
                let at = Config { ctx, ..c.clone() };
                let f = evaluate_pruned(&at.model, at.scheme, at.sparsity, ctx, at.batch, at.kv, &self.runtime);
                self.fits(f.total(), f.runtime, self.placement(&at, &f).as_ref())
            });
        }
        c.largest_context(self.budget.bytes(), self.tp_cards(), &self.runtime)
    }

    /// Several cards split by layers (inference only).
    pub fn pipelined(&self) -> bool {
        self.pipeline && self.cards > 1 && self.training.is_none()
    }

    /// What one card of a split may hold: a card of the budget when the cards split by layers,
    /// else [`Scenario::budget_bytes`] (one card, or tensor-parallel cards as one).
    pub fn card_bytes(&self) -> u64 {
        if self.pipelined() {
            self.budget.bytes()
        } else {
            self.budget_bytes()
        }
    }

    /// Where configuration `c` (of footprint `f`) sits when it is split: by layers over the
    /// cards, or with system RAM — llama.cpp's placement (`memory::offload`). `None` when nothing
    /// is split: training, one card (or tensor-parallel cards) without RAM, and, with RAM and the
    /// automatic split, a configuration that fits the GPU as it is.
    pub fn placement(&self, c: &Config, f: &Footprint) -> Option<Placement> {
        let pipelined = self.pipelined();
        if self.training.is_some() || (self.ram.is_none() && !pipelined) {
            return None;
        }
        // `--fit` splits only what would leave less than its target free.
        if !pipelined
            && self.split == Split::Auto
            && f.total().saturating_add(offload::FIT_TARGET) <= self.budget_for(f.runtime)
        {
            return None;
        }
        let l = offload::layers(&c.model, c.scheme, c.sparsity, f);
        let cards = if pipelined { self.cards } else { 1 };
        Some(match self.ram {
            None => offload::place(&l, l.layers() + 1, 0, cards, true, &self.runtime),
            Some(_) => offload::choose(&l, self.split, cards, false, &self.runtime, self.card_bytes()),
        })
    }

    /// Decode tokens per second at most, the one bound every view shows and "best for my budget"
    /// filters by: a split with RAM, its memories' reads at their bandwidths
    /// ([`Placement::seconds_per_token`]); otherwise every byte a token reads at the device's
    /// bandwidth. `None` without a device (a bare size has no bandwidth) or for an encoder.
    pub fn decode_tps(&self, c: &Config, f: &Footprint, placement: Option<&Placement>) -> Option<f64> {
        let device = self.budget.device();
        match (placement, self.ram) {
            (Some(p), Some(ram)) => {
                Some(1.0 / p.seconds_per_token(device.map(|d| d.bandwidth_gbs), ram.kind.bandwidth_gbs()).max(1e-12))
            }
            _ => device.filter(|_| c.model.layout().0.has_kv_cache()).map(|d| {
                offload::decode_bound(offload::layers(&c.model, c.scheme, c.sparsity, f).token_reads(), d.bandwidth_gbs)
            }),
        }
    }

    /// Whether a configuration of `total` bytes with a runtime of `runtime` bytes, placed as
    /// `placement` says, fits: every card and the RAM within theirs, or the total within its
    /// own budget ([`Scenario::budget_for`]).
    pub fn fits(&self, total: u64, runtime: u64, placement: Option<&Placement>) -> bool {
        match placement {
            Some(p) => p.fits(self.card_bytes(), self.ram.map_or(0, |r| r.bytes())),
            None => total <= self.budget_for(runtime),
        }
    }

    /// The scenario every view computes on: a configuration whose context is `max` takes the
    /// largest that fits the budget (one token when none does; in training mode the context
    /// stays the default, since the search counts an inference footprint).
    pub fn resolved(&self) -> Scenario {
        let mut s = self.clone();
        if s.training.is_none() {
            for c in s.configs.iter_mut().filter(|c| c.fit_ctx) {
                c.ctx = self.largest_context(c).map_or(1, |f| f.tokens);
            }
        }
        s
    }

    /// Applies an edit; edits that would break an invariant (an index out of range, more than
    /// eight configurations, none at all) leave the scenario as it was.
    pub fn apply(&mut self, edit: Edit) {
        let n = self.configs.len();
        match edit {
            Edit::Model(i, m) if i < n => self.configs[i].model = m,
            Edit::Scheme(i, s) if i < n => self.configs[i].scheme = s,
            Edit::Ctx(i, c) if i < n && c.valid() => self.configs[i].set_ctx(c),
            Edit::Batch(i, v) if i < n && (1..=MAX_BATCH).contains(&v) => self.configs[i].batch = v,
            Edit::Kv(i, f) if i < n => self.configs[i].kv = f,
            Edit::Sparsity(i, sp) if i < n => self.configs[i].sparsity = sp,
            Edit::Add if n < MAX_CONFIGS => self.configs.push(self.configs[n - 1].clone()),
            Edit::Insert(model, scheme, sparsity) if n < MAX_CONFIGS => {
                // The first configuration's context, batch and KV format; its own pruning.
                let c = Config { model, scheme, sparsity, tokens: None, ..self.configs[0].clone() };
                self.configs.push(c)
            }
            Edit::Duplicate(i) if i < n && n < MAX_CONFIGS => self.configs.insert(i + 1, self.configs[i].clone()),
            Edit::Remove(i) if i < n && n > 1 => {
                self.configs.remove(i);
                // A view sized to a configuration that is gone goes back to the first.
                if matches!(self.parity, crate::core::state::target::Target::Config(j) if j >= n - 1) {
                    self.parity = Default::default();
                }
            }
            Edit::Tokens(i, t) if i < n && t.is_none_or(|t| (MIN_TOKENS..=MAX_TOKENS).contains(&t)) => {
                self.configs[i].tokens = t
            }
            Edit::Accuracy(a) => self.accuracy = a,
            Edit::Lang(l) => self.lang = l,
            Edit::Parity(p) if !matches!(p, crate::core::state::target::Target::Config(j) if j >= n) => self.parity = p,
            Edit::Training(t)
                if t.is_none_or(|t| {
                    (1..=MAX_RANK).contains(&t.rank) && (1..=MAX_DEVICES).contains(&t.devices) && t.zero <= 3
                }) =>
            {
                self.training = t
            }
            Edit::Claim(text) => self.claim = claim_text(&text),
            Edit::Budget(b) => self.budget = b,
            Edit::Runtime(r) => self.runtime = r,
            Edit::Cards(n) if (1..=MAX_CARDS).contains(&n) => self.cards = n,
            Edit::Pipeline(p) => self.pipeline = p,
            Edit::Ram(r) => self.ram = r,
            Edit::Split(sp) if !matches!(sp, Split::Layers(n) | Split::Experts(Some(n)) if n > MAX_NGL) => {
                self.split = sp
            }
            Edit::Lab(l) if SIZES.contains(&(l.elements as usize)) && (l.elements as usize).is_multiple_of(ROW) => {
                self.lab = l
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two RTX 4090s, tensor-parallel, with a fixed 512 MiB runtime (`rt=512MiB`, not the modelled
    /// default): each card holds half the weights and KV cache plus its own 512 MiB runtime, so
    /// the total may reach 2 · 24,564 MiB − 512 MiB; with the runtime a share of the weights,
    /// 2 · 24,564 MiB. Training ignores it; one card is not written.
    #[test]
    fn cards_split_the_budget() {
        let (s, notes) = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&cards=2&rt=512MiB");
        assert!(notes.is_empty(), "{notes:?}");
        let mib = 1u64 << 20;
        assert_eq!(s.budget_bytes(), 2 * 24_564 * mib - 512 * mib);
        assert!(s.encode().contains("cards=2"));
        let c = &s.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
        let per_card = (f.weight_bytes() + f.kv).div_ceil(2) + 512 * mib;
        assert!(per_card <= 24_564 * mib && f.total() <= s.budget_bytes(), "{per_card}");
        assert!(f.total() > s.budget.bytes(), "one card is not enough");
        let (pct, _) = Scenario::decode("v=1&m=8B@bf16&budget=rtx-4090&cards=4&rt=10%");
        assert_eq!(pct.budget_bytes(), 4 * 24_564 * mib);
        let (train, _) = Scenario::decode("v=1&m=8B@bf16&budget=rtx-4090&cards=4&mode=train");
        assert_eq!(train.budget_bytes(), 24_564 * mib);
        assert!(!Scenario::default().encode().contains("cards"));
        assert!(parse_cards("0").is_err() && parse_cards("65").is_err() && parse_cards("64") == Ok(64));
    }

    /// A modelled runtime: each card keeps the engine's buffers, so a configuration's own budget
    /// is 2 · card − its runtime, and the line every configuration is drawn against subtracts only
    /// the engine's context; `ctx=max` finds the context at which weights, KV cache and the
    /// compute buffer (which grows with it) just fit.
    #[test]
    fn modelled_runtime_budgets_and_context() {
        use crate::core::memory::runtime::Engine;
        let (s, notes) = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&cards=2&rt=vllm");
        assert!(notes.is_empty(), "{notes:?}");
        assert!(s.encode().contains("rt=vllm"));
        let mib = 1u64 << 20;
        assert_eq!(s.budget_bytes(), 2 * 24_564 * mib - Engine::Vllm.context());
        let c = &s.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
        assert!(f.runtime > Engine::Vllm.context() && f.runtime_parts.is_some());
        assert_eq!(s.budget_for(f.runtime), 2 * 24_564 * mib - f.runtime);
        // ctx=max on one card: the found context fits, one more token does not.
        let (s, _) = Scenario::decode("v=1&m=llama-3.1-8b@bf16&ctx=max&budget=24GB&rt=llama.cpp");
        let r = s.resolved();
        let c = &r.configs[0];
        let at = |ctx| evaluate_pruned(&c.model, c.scheme, c.sparsity, ctx, c.batch, c.kv, &s.runtime).total();
        assert!(at(c.ctx) <= 24_000_000_000 && at(c.ctx + 1) > 24_000_000_000, "{}", c.ctx);
        // Below a fixed 512 MiB runtime's 56,477: the CUDA context and a compute buffer of at least
        // the logits' 258.5 MiB take more.
        assert!(c.ctx < 56_477, "{}", c.ctx);
    }

    /// `ctx=max` with system RAM or cards by layers: the largest context at which llama.cpp's
    /// placement still fits (here neither capped by the trained context), one more token does not.
    #[test]
    fn largest_context_with_ram_and_by_layers() {
        for link in [
            "m=llama-3.1-70b@q4_k_m&ctx=max&budget=rtx-4090&ram=48GB&rt=512MiB",
            "m=llama-3.1-70b@q4_k_m&ctx=max&budget=rtx-4090&cards=2:pp&rt=512MiB",
        ] {
            let (s, notes) = Scenario::decode(link);
            assert!(notes.is_empty(), "{notes:?}");
            let c = &s.configs[0];
            let fits = |ctx: u64| {
                let at = Config { ctx, ..c.clone() };
                let f = evaluate_pruned(&at.model, at.scheme, at.sparsity, ctx, at.batch, at.kv, &s.runtime);
                s.fits(f.total(), f.runtime, s.placement(&at, &f).as_ref())
            };
            let fit = s.largest_context(c).unwrap();
            assert!(!fit.capped && fits(fit.tokens) && !fits(fit.tokens + 1), "{link}: {fit:?}");
            assert_eq!(s.resolved().configs[0].ctx, fit.tokens);
            // More than one card's or the GPU's own share: the split's room, not the card's.
            let alone = c.largest_context(s.budget.bytes(), 1, &s.runtime);
            assert!(alone.is_none_or(|a| a.tokens < fit.tokens), "{link}");
        }
    }

    /// RAM, the split and cards by layers in the link: written as read, left out at their
    /// defaults, refused with a message.
    #[test]
    fn ram_split_and_pipeline_keys() {
        let (s, notes) = Scenario::decode(
            "v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&cards=2:pp&ram=128GB@ddr5-4800-8ch&split=ngl:40",
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((s.cards, s.pipeline, s.split), (2, true, Split::Layers(40)));
        let ram = s.ram.unwrap();
        assert_eq!((ram.bytes(), ram.kind.id), (128_000_000_000, "ddr5-4800-8ch"));
        assert!(s.encode().contains("&cards=2:pp&ram=128GB@ddr5-4800-8ch&split=ngl:40&"), "{}", s.encode());
        let (d, _) = Scenario::decode("v=1&ram=64GB&cards=3");
        assert_eq!((d.ram.unwrap().kind.id, d.pipeline, d.split), ("ddr5-6000-2ch", false, Split::Auto));
        assert!(d.encode().contains("cards=3&ram=64GB@ddr5-6000-2ch&rt="), "{}", d.encode());
        assert!(!Scenario::default().encode().contains("ram") && !Scenario::default().encode().contains("split"));
        for (text, split) in [
            ("auto", Split::Auto),
            ("experts", Split::Experts(None)),
            ("experts:12", Split::Experts(Some(12))),
            ("NGL:0", Split::Layers(0)),
        ] {
            assert_eq!(parse_split(text), Ok(split));
            assert_eq!(parse_split(&split_text(split)), Ok(split));
        }
        for bad in ["ngl", "ngl:1000", "ngl:-1", "layers:4", "experts:x", ""] {
            assert!(parse_split(bad).is_err(), "{bad}");
        }
        assert!(Ram::parse("64GB@ddr6").is_err() && Ram::parse("0GB").is_err() && Ram::parse("64").is_err());
        assert_eq!(parse_cards_mode("4:PP"), Ok((4, true)));
        assert!(parse_cards_mode("2:xp").is_err() && parse_cards_mode("0:pp").is_err());
        let (bad, notes) = Scenario::decode("v=1&ram=lots&split=half");
        assert_eq!((bad.ram, bad.split, notes.len()), (None, Split::Auto, 2));
    }

    /// The verdict follows the placement: Llama-3.1-70B Q4_K_M (45.73 GB) does not fit one RTX
    /// 4090 alone, fits it with 64 GB of RAM (`--fit`'s most units that leave 1 GiB free: the
    /// output layer and 42 of 80 layers on the GPU, -ngl 43) and
    /// not with 16 GB; Llama-3.1-8B Q4_K_M fits the GPU and is not split. Two cards by layers:
    /// each card's share against one card. The runtime is a fixed 512 MiB (`rt=512MiB`), as the
    /// figures were worked.
    #[test]
    fn placement_decides_the_fit() {
        let check = |link: &str| {
            let (s, _) = Scenario::decode(&format!("{link}&rt=512MiB"));
            let c = &s.configs[0];
            let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
            let p = s.placement(c, &f);
            (s.fits(f.total(), f.runtime, p.as_ref()), p, f)
        };
        let (fits, p, _) = check("m=llama-3.1-70b@q4_k_m&budget=rtx-4090");
        assert!(!fits && p.is_none());
        let (fits, p, f) = check("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&ram=64GB");
        let p = p.unwrap();
        assert!(fits && p.gpu_units == 43 && p.gpu_layers() == 42 && p.ram_layers() == 38, "{p:?}");
        assert!(p.cards[0] + offload::FIT_TARGET <= 24_564 << 20 && p.cards[0] + p.ram == f.total(), "{p:?}");
        assert!(!check("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&ram=16GB").0);
        let (fits, p, _) = check("m=llama-3.1-8b@q4_k_m&budget=rtx-4090&ram=64GB");
        assert!(fits && p.is_none());
        let (fits, p, _) = check("m=llama-3.1-8b@q4_k_m&budget=rtx-4090&ram=64GB&split=ngl:16");
        assert!(fits && p.unwrap().ram_layers() == 17, "the output layer and 15 layers on the GPU");
        let (fits, p, f) = check("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&cards=2:pp");
        let p = p.unwrap();
        assert!(fits && p.cards.len() == 2 && p.ram == 0);
        assert_eq!(p.cards.iter().sum::<u64>(), f.total() + (512 << 20), "two runtimes");
        assert!(!check("m=llama-3.1-70b@q6_k&budget=rtx-4090&cards=2:pp").0);
        // Training ignores all of it.
        assert!(check("m=llama-3.1-70b@q4_k_m&budget=rtx-4090&ram=64GB&mode=train").1.is_none());
    }

    /// `ctx=max` in a link: kept as `max`, resolved to the largest context that fits (56,477
    /// tokens for Llama-3.1-8B in BF16 in 24 GB beside a fixed 512 MiB runtime, `rt=512MiB`: see
    /// memory::footprint's hand calculation), per
    /// configuration too; typing a number leaves it.
    #[test]
    fn ctx_max_is_kept_and_resolved() {
        let (s, notes) =
            Scenario::decode("v=1&m=llama-3.1-8b@bf16,llama-3.1-8b@q8_0&ctx=4096&ctx.2=max&budget=24GB&rt=512MiB");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((s.configs[0].fit_ctx, s.configs[1].fit_ctx), (false, true));
        assert!(s.encode().contains("ctx=4096&") && s.encode().contains("ctx.2=max"), "{}", s.encode());
        let r = s.resolved();
        assert_eq!(r.configs[0].ctx, 4096);
        let fit = s.largest_context(&s.configs[1]).unwrap();
        assert_eq!(r.configs[1].ctx, fit.tokens);
        assert!(fit.tokens > 56_477, "Q8_0 leaves more room than BF16: {}", fit.tokens);
        assert_eq!(r.encode(), s.encode(), "resolving does not change the link");
        let (s, _) = Scenario::decode("v=1&m=llama-3.1-8b@bf16&ctx=max&budget=24GB&rt=512MiB");
        assert_eq!(s.resolved().configs[0].ctx, 56_477);
        let mut t = s.clone();
        t.apply(Edit::Ctx(0, Ctx::Tokens(2048)));
        assert_eq!((t.configs[0].ctx, t.configs[0].fit_ctx), (2048, false));
        assert_eq!(parse_context(" MAX "), Ok(Ctx::Max));
        assert!(parse_context("most").is_err());
    }
    use crate::core::memory::training::{Method, Optimizer, Targets};

    /// The configuration in hand follows the edits: the one changed or made, kept across
    /// edits of no configuration, renumbered past a removal and dropped with its own.
    #[test]
    fn the_configuration_in_hand_follows_the_edits() {
        let (s, _) = Scenario::decode("v=1&m=7B@q4_0,8B@bf16,13B@q8_0");
        let n = s.configs.len();
        assert_eq!(Edit::Ctx(1, Ctx::Tokens(4096)).in_hand(None, n), Some(1));
        assert_eq!(Edit::Model(2, ModelRef::Count(9_000_000_000)).in_hand(Some(0), n), Some(2));
        assert_eq!(Edit::Tokens(0, None).in_hand(Some(2), n), Some(0));
        assert_eq!(Edit::Duplicate(0).in_hand(None, n), Some(1));
        assert_eq!(Edit::Add.in_hand(Some(0), n), Some(3));
        assert_eq!(Edit::Budget(Budget::parse("24GB").unwrap()).in_hand(Some(2), n), Some(2));
        assert_eq!(Edit::Lang(Lang::ZhCn).in_hand(None, n), None);
        assert_eq!(Edit::Remove(0).in_hand(Some(2), n), Some(1));
        assert_eq!(Edit::Remove(2).in_hand(Some(1), n), Some(1));
        assert_eq!(Edit::Remove(1).in_hand(Some(1), n), None);
        // Applied, the index names the configuration the edit made.
        let mut t = s.clone();
        let e = Edit::Duplicate(1);
        let hand = e.in_hand(None, n);
        t.apply(e);
        assert_eq!(t.configs[hand.unwrap()], s.configs[1]);
        let mut t = s.clone();
        t.apply(Edit::Add);
        assert_eq!(Edit::Add.in_hand(None, n), Some(t.configs.len() - 1));
    }

    #[test]
    fn the_language_is_in_the_link() {
        let (s, notes) = Scenario::decode("v=1&m=7B@q4_0&lang=zh-CN");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.lang, Lang::ZhCn);
        assert!(s.encode().ends_with("&lang=zh-CN"), "{}", s.encode());
        assert!(!Scenario::decode("v=1&m=7B@q4_0&lang=en").0.encode().contains("lang="));
        let (s, notes) = Scenario::decode("v=1&m=7B@q4_0&lang=fr");
        assert_eq!(s.lang, Lang::En);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].text.to_string().contains("“fr” is not en or zh-CN"), "{notes:?}");
        assert!(sets_lang("#v=1&lang=en") && sets_lang("lang=zh") && !sets_lang("v=1&m=7B@q4_0&language=x"));
    }

    /// The claim checker's text rides in the link, percent-encoded; the example does not.
    #[test]
    fn the_claim_is_in_the_link() {
        let mut s = Scenario::default();
        s.apply(Edit::Claim(Lang::ZhCn.strings().claim_example.into()));
        assert_eq!(s.claim, None);
        assert!(!s.encode().contains("claim"));
        let text = "100B 参数 INT8 & 2B=FP16 #1 50% ~ +x";
        s.apply(Edit::Claim(text.into()));
        let link = s.encode();
        let value = link.split("&claim=").nth(1).unwrap();
        assert!(value.bytes().all(|b| b.is_ascii_alphanumeric() || b"%-._~".contains(&b)), "{value}");
        assert!(value.starts_with("100B%20%E5%8F%82%E6%95%B0%20INT8%20%26%202B%3DFP16%20%231%2050%25%20~%20%2Bx"));
        let (back, notes) = Scenario::decode(&link);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(back.claim.as_deref(), Some(text));
        // As a browser or a chat app may hand it back: raw UTF-8, or escapes in lower case.
        assert_eq!(Scenario::decode("claim=100B 参数").0.claim.as_deref(), Some("100B 参数"));
        assert_eq!(Scenario::decode("claim=%e4%b8%80").0.claim.as_deref(), Some("一"));
        // An empty claim is kept (the user cleared the field); a typed one is cut to the limit.
        s.apply(Edit::Claim(String::new()));
        assert_eq!(Scenario::decode(&s.encode()).0.claim.as_deref(), Some(""));
        s.apply(Edit::Claim("中".repeat(MAX_CLAIM + 9)));
        assert_eq!(s.claim.as_ref().map(|c| c.chars().count()), Some(MAX_CLAIM));
        assert!(s.encode().len() < MAX_FRAGMENT);
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        // Nothing else reads it.
        assert_eq!(s.without_claim(), Scenario { claim: None, ..s.clone() });
    }

    #[test]
    fn a_hostile_or_long_claim_is_a_notice() {
        let (s, notes) = Scenario::decode(&format!("m=7B@q4_0&claim={}", "x".repeat(MAX_CLAIM + 1)));
        assert_eq!((s.claim, s.configs[0].scheme.id), (None, "q4_0"));
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].level, Level::Error);
        assert_eq!(
            notes[0].text.to_string(),
            "The claim in the link is 501 characters long, over the 500 the page reads; using the example"
        );
        assert_eq!(notes[0].text.text(Lang::ZhCn), "链接里的说法长 501 个字符，超过页面读取的上限 500 个；改用 示例");
        for (frag, want) in [
            ("claim=%FF%FE", "\u{fffd}\u{fffd}"),
            ("claim=%", "%"),
            ("claim=%E4%B8", "\u{fffd}"),
            ("claim=<script>alert(1)</script>", "<script>alert(1)</script>"),
            ("claim=a=b", "a=b"),
            ("claim=%00%0A", "\0\n"),
        ] {
            let (s, notes) = Scenario::decode(frag);
            assert!(notes.is_empty(), "{frag}: {notes:?}");
            assert_eq!(s.claim.as_deref(), Some(want), "{frag}");
            assert_eq!(Scenario::decode(&s.encode()).0, s, "{frag}");
        }
    }

    #[test]
    fn edits_keep_the_invariants() {
        let mut s = Scenario::default();
        s.apply(Edit::Remove(0));
        s.apply(Edit::Remove(0));
        assert_eq!(s.configs.len(), 1);
        for _ in 0..20 {
            s.apply(Edit::Add);
        }
        assert_eq!(s.configs.len(), MAX_CONFIGS);
        s.apply(Edit::Duplicate(0));
        assert_eq!(s.configs.len(), MAX_CONFIGS);
        s.apply(Edit::Remove(3));
        s.apply(Edit::Ctx(0, Ctx::Tokens(0)));
        s.apply(Edit::Ctx(99, Ctx::Tokens(5)));
        assert_eq!(s.configs[0].ctx, DEFAULT_CTX);
        s.apply(Edit::Ctx(1, Ctx::Tokens(5)));
        s.apply(Edit::Duplicate(1));
        assert_eq!((s.configs[1].ctx, s.configs[2].ctx, s.configs[3].ctx), (5, 5, DEFAULT_CTX));
        s.apply(Edit::Model(0, ModelRef::Count(42)));
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        s.apply(Edit::Remove(0));
        // An inserted candidate keeps its own pruning, not the first configuration's.
        s.apply(Edit::Sparsity(0, Sparsity::NM { n: 2, m: 4 }));
        s.apply(Edit::Insert(ModelRef::Count(7), default_scheme(), Sparsity::Dense));
        let last = s.configs.last().map(|c| (c.model, c.ctx, c.sparsity));
        assert_eq!(last, Some((ModelRef::Count(7), s.configs[0].ctx, Sparsity::Dense)));
        s.apply(Edit::Insert(ModelRef::Count(8), default_scheme(), Sparsity::Dense));
        assert_eq!(s.configs.len(), MAX_CONFIGS);
        s.apply(Edit::Tokens(0, Some(5)));
        assert_eq!(s.configs[0].tokens, None, "below 1M tokens is refused");
        s.apply(Edit::Tokens(0, Some(2_000_000_000_000)));
        assert_eq!(s.configs[0].tokens, Some(2_000_000_000_000));
    }

    #[test]
    fn accuracy_settings_and_tokens_round_trip() {
        let (s, notes) =
            Scenario::decode("m=llama-7b@f16,llama-13b@q4_k_m&tok.2=1.4T&law=hoffmann&y=dppl&pub=1&cand=range");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((s.configs[0].tokens, s.configs[1].tokens), (None, Some(1_400_000_000_000)));
        assert_eq!(
            s.accuracy,
            AccuracySettings {
                law: Law::Hoffmann,
                y: YAxis::DeltaPpl,
                published: true,
                levers: false,
                candidates: Candidates::Range,
                min_tps: 0,
            }
        );
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        assert!(s.encode().ends_with("&tok.2=1.4T&law=hoffmann&y=dppl&pub=1&cand=range"), "{}", s.encode());
        let (bad, notes) = Scenario::decode("m=7B@q4_0&tok.1=5&law=kaplan&y=x&pub=2&cand=all&tok.3=1T");
        assert_eq!(bad.configs[0].tokens, None);
        assert_eq!(bad.accuracy, AccuracySettings::default());
        assert_eq!(notes.len(), 6, "{notes:?}");
        assert!(notes[0].text.to_string().contains("Law “kaplan”"), "{notes:?}");
        assert!(notes
            .iter()
            .any(|n| n.text.to_string().contains("Training tokens “5”")
                && n.text.to_string().contains("configuration 1")));
    }

    #[test]
    fn training_settings_round_trip_and_report_bad_values() {
        let link = "m=llama-3.1-8b@bf16&mode=train&method=qlora&opt=adam8&rank=64&lora=all&ckpt=1&zero=2&gpus=8";
        let (s, notes) = Scenario::decode(link);
        assert!(notes.is_empty(), "{notes:?}");
        let t = s.training.unwrap();
        assert_eq!(
            (t.method, t.optimizer, t.rank, t.targets, t.checkpointing, t.zero, t.devices),
            (Method::Qlora, Optimizer::Adam8bit, 64, Targets::AllLinear, true, 2, 8)
        );
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        let (bad, notes) = Scenario::decode("m=7B@bf16&mode=train&zero=7&gpus=0&rank=x&opt=sgd");
        assert_eq!(bad.training, Some(Training::default()));
        assert_eq!(notes.len(), 4, "{notes:?}");
        let (inf, notes) = Scenario::decode("m=7B@bf16&mode=fly&zero=1");
        assert_eq!(inf.training, None);
        assert!(notes[0].text.to_string().contains("Mode “fly”"), "{notes:?}");
    }

    /// The default link, its runtime the modelled llama.cpp one (`rt=llama.cpp`).
    #[test]
    fn defaults_round_trip() {
        let s = Scenario::default();
        let (back, notes) = Scenario::decode(&s.encode());
        assert_eq!(back, s);
        assert!(notes.is_empty());
        assert_eq!(
            s.encode(),
            "v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&ctx=8192&batch=1&kv=f16&budget=rtx-4090&rt=llama.cpp"
        );
    }

    #[test]
    fn the_issue_example_reads() {
        let (s, notes) =
            Scenario::decode("#v=1&m=llama-3.1-70b@q4_k_m,8e9@bf16,350M@q8_0&ctx=4096&batch=2&kv=q8_0&budget=48GiB");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.configs.len(), 3);
        assert_eq!(s.configs[1].model, ModelRef::Count(8_000_000_000));
        assert_eq!(s.configs[2].scheme.id, "q8_0");
        assert!(s.configs.iter().all(|c| c.ctx == 4096 && c.batch == 2 && c.kv.id == "q8_0"));
        assert_eq!(s.budget.bytes(), 48 << 30);
        assert_eq!(s.budget.size_text(), "48GiB");
        assert_eq!(default_budget().size_text(), "25.76GB");
    }

    #[test]
    fn overrides_apply_per_configuration() {
        let (s, notes) = Scenario::decode("v=1&m=7B@q4_0,7B@q8_0&ctx=1024&ctx.2=32768&kv.2=q4_0");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!((s.configs[0].ctx, s.configs[1].ctx), (1024, 32768));
        assert_eq!(s.configs[1].kv.id, "q4_0");
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        assert!(s.encode().contains("&ctx.2=32768&kv.2=q4_0"));
    }

    #[test]
    fn a_bad_field_falls_back_alone() {
        let (s, notes) = Scenario::decode("v=1&m=llama-3.1-8b@bf16&ctx=abc&batch=4&budget=12GB");
        assert_eq!(s.configs[0].ctx, DEFAULT_CTX);
        assert_eq!(s.configs[0].batch, 4);
        assert_eq!(s.budget.bytes(), 12_000_000_000);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].level, Level::Error);
        assert!(notes[0].text.to_string().contains("“abc”"), "{}", notes[0].text);
    }

    #[test]
    fn bad_models_and_formats_name_the_token() {
        let (s, notes) = Scenario::decode("m=gpt-9@bf16,llama-3.1-8b@q9_9,7B");
        assert_eq!(s.configs.len(), 2);
        assert_eq!(s.configs[0].scheme.id, "bf16");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].text.to_string().contains("gpt-9"));
        assert!(notes[1].text.to_string().contains("q9_9"));
        assert!(notes[2].text.to_string().contains("no @format"));
        let (s, notes) = Scenario::decode("m=,,nothing@here");
        assert_eq!(s.configs, Scenario::default().configs);
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn unknown_keys_are_noticed_not_fatal() {
        let (s, notes) = Scenario::decode("v=1&m=llama-3.1-8b@bf16&theme=dark&ctx.5=9&x");
        assert_eq!(s.configs.len(), 1);
        assert_eq!(notes.len(), 3);
        assert!(notes.iter().all(|n| n.level == Level::Info));
        assert!(notes[0].text.to_string().contains("theme"));
    }

    #[test]
    fn hostile_and_absurd_input() {
        let long = format!("m={}", "a".repeat(1 << 20));
        let (s, notes) = Scenario::decode(&long);
        assert_eq!(s, Scenario::default());
        assert!(notes[0].text.to_string().contains("1,048,578 characters"));
        for (frag, needle) in [
            ("m=0@bf16", "zero"),
            ("m=-1@bf16", "-1"),
            ("m=1e30@bf16", "100T"),
            ("m=NaN@bf16", "NaN"),
            ("ctx=1099511627776", "1099511627776"),
            ("ctx=0", "“0”"),
            ("budget=-5GB", "-5GB"),
            ("budget=NaNGB", "NaNGB"),
            ("budget=0.0001GB", "1 MB"),
            ("budget=<script>", "<script>"),
            ("rt=1e400GB", "1e400GB"),
        ] {
            let (s, notes) = Scenario::decode(frag);
            // A model that cannot be read also reports the fallback to the default models.
            let expect = if frag.starts_with("m=") { 2 } else { 1 };
            assert_eq!(notes.len(), expect, "{frag}: {notes:?}");
            assert!(s.configs.len() == 2 && s.budget.bytes() > 0);
            assert!(notes[0].text.to_string().contains(needle), "{frag}: {}", notes[0].text);
        }
        let many = format!("m={}", vec!["7B@bf16"; 100].join(","));
        let (s, notes) = Scenario::decode(&many);
        assert_eq!(s.configs.len(), MAX_CONFIGS);
        assert!(notes[0].text.to_string().contains("first 8 of 100"));
    }

    #[test]
    fn percent_escapes_and_case_are_tolerated() {
        let (s, notes) = Scenario::decode("v=1&m=Llama-3.1-8B%40BF16&budget=24gib&bad%zz=1");
        assert_eq!(s.configs[0].scheme.id, "bf16");
        assert_eq!(s.budget.encode(), "24GiB");
        assert_eq!(notes.len(), 1);
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("a%4"), "a%4");
        assert_eq!(percent_decode("%e2%80%9c"), "“");
    }

    #[test]
    fn lab_settings_ride_along_only_when_set() {
        let (s, notes) = Scenario::decode("v=1&m=7B@q4_0&lab.dist=t3&lab.n=16Mi&lab.seed=9&lab.formats=nf4,q8_0,nf4");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.lab.dist, Distribution::StudentT3);
        assert_eq!((s.lab.elements, s.lab.seed), (16 << 20, 9));
        // Kept in the lab's order, without repeats.
        assert_eq!(s.lab.formats, Some(vec!["nf4", "q8_0"]));
        assert_eq!(Scenario::decode(&s.encode()).0, s);
        assert!(!Scenario::default().encode().contains("lab."));
        let (s, notes) = Scenario::decode("lab.n=3Mi&lab.dist=cauchy&lab.formats=q9&lab.seed=-1");
        assert_eq!(s.lab, LabSettings::default());
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert_eq!(s.lab.kernel_ids().len(), infos().len());
    }

    /// A preset or a family's toggle writes the formats it picks into `lab.formats` (the key's
    /// meaning unchanged), so a link keeps the pick and shows which preset it is.
    #[test]
    fn lab_presets_and_families_ride_in_the_formats_key() {
        use crate::core::catalog::format::Family;
        use crate::core::lab::{family_ids, LabPreset};
        let k = LabSettings::default().choosing(&LabPreset::KQuants.ids());
        assert_eq!(k.preset(), Some(LabPreset::KQuants));
        let link = Scenario { lab: k.clone(), ..Scenario::default() }.encode();
        assert!(link.ends_with("&lab.formats=q6_k,q5_k,q4_k,q3_k,q2_k"), "{link}");
        assert_eq!(Scenario::decode(&link), (Scenario { lab: k.clone(), ..Scenario::default() }, vec![]));
        // A family ticked joins, unticked leaves; the preset no longer matches in between.
        let i = family_ids(Family::GgmlI);
        let ki = k.toggling(&i, true);
        assert_eq!((ki.chosen_of(&i), ki.kernel_ids().len(), ki.preset()), (4, 9, None));
        assert_eq!(ki.toggling(&i, false), k);
        assert_eq!(k.toggling(&["q4_k"], false).kernel_ids(), ["q6_k", "q5_k", "q3_k", "q2_k"]);
        // Every family ticked is every format: the default, not written.
        let all = crate::core::lab::families().into_iter().fold(k.clone(), |s, f| s.toggling(&family_ids(f), true));
        assert_eq!((all.formats.clone(), all.preset()), (None, Some(LabPreset::All)));
        // None is an empty list, which the link keeps too.
        let none = all.choosing(&LabPreset::None.ids());
        let link = Scenario { lab: none.clone(), ..Scenario::default() }.encode();
        assert!(link.ends_with("&lab.formats="), "{link}");
        assert_eq!(Scenario::decode(&link).0.lab.preset(), Some(LabPreset::None));
    }

    /// The progress line names the entry the worker runs: the pruned ones come after the dense.
    #[test]
    fn lab_runs_are_named_in_run_order() {
        let en = crate::core::text::i18n::Lang::En.strings();
        let (s, _) = Scenario::decode("v=1&m=7B@q4_0&lab.formats=q8_0,f16&lab.sparse=2:4");
        assert_eq!(s.lab.run_ids(), ["f16", "q8_0", "f16+2:4", "q8_0+2:4"]);
        let names: Vec<Option<String>> = (0..5).map(|i| s.lab.run_name(i, en)).collect();
        let want = [Some("F16"), Some("Q8_0"), Some("F16 · 2:4 sparse"), Some("Q8_0 · 2:4 sparse"), None];
        assert_eq!(names, want.map(|n| n.map(String::from)));
    }

    #[test]
    fn newer_versions_are_read_with_a_notice() {
        let (s, notes) = Scenario::decode("v=2&m=llama-3.1-8b@bf16");
        assert_eq!(s.configs.len(), 1);
        assert!(notes[0].text.to_string().contains("version “2”"));
    }
}
