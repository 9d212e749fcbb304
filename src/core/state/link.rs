//! The link's keys, each written once: its name, how it is read into a scenario, how it is
//! written (or left out at its default) and what it falls back to. `Scenario::encode` and
//! `Scenario::decode` walk this table, the decoder's known keys are its names, the CLI applies
//! its flags through [`apply`], and the link proptest draws its keys from it.
//!
//! Grammar (version 1; a public interface — extend with new keys, never change these):
//!
//! ```text
//! #v=1&m=<model>@<format>[+<sparsity>][,<model>@<format>[+<sparsity>]…]&ctx=<int>&batch=<int>&kv=<format>
//!     (<format> = <scheme>[+emb=<ggml type>][+out=<ggml type>]: llama-quantize's overrides)
//!     &budget=<number>(GB|GiB|TB)|<device-id>&rt=<number><unit>|<percent>%
//!     [&cards=<int>[:tp|:pp]&ram=<number>(GB|GiB|TB)[@<ram-kind>]&split=auto|ngl:<int>|experts|experts:<int>]
//!     [&ctx.<i>=<int>&batch.<i>=<int>&kv.<i>=<format>&tok.<i>=<count>]
//!     [&lab.dist=<distribution>&lab.n=<elements>&lab.seed=<int>&lab.sparse=<N:M>|u<percent>&lab.formats=all|<kernel>[,<kernel>…]]
//!     [&law=epoch|hoffmann&y=loss|dppl&pub=0|1&levers=0|1&cand=presets|range|configs&tps=<int>]
//!     [&lang=en|zh-CN]
//!     [&par=c<i>|<number>(MB|GB|TB|MiB|GiB|TiB)]
//!     [&mode=train&method=full|lora|qlora&opt=adam32|mixed|adam8&rank=<int>&lora=qv|all&ckpt=0|1&zero=0-3&gpus=<int>]
//!     [&claim=<text, percent-encoded as UTF-8>]
//! ```
//! `ctx`, `batch` and `kv` hold the first configuration's values; `ctx.<i>` etc. (1-based)
//! override them for configuration `i` and are written only where it differs. `rt` is the
//! runtime term. The `lab.*` keys hold the quantization lab's settings and are written only
//! where they differ from the defaults. `tok.<i>` sets configuration `i`'s training tokens (otherwise the
//! preset's published count, or 20 per parameter); `law` picks the base scaling law, `y` and
//! `pub` the chart's axis and its published-measurements layer, `cand` the candidates of
//! "best for my budget" and `tps` its speed floor (tokens per second; 0, none, is not written); `par` the size of the size-parity view per lever (the weights of configuration
//! `i`, 1-based, by default the first; or a size); `cards` the cards of the budget's size
//! (tensor-parallel, `:pp` by layers), `ram` the system RAM a model may be split with and `split`
//! how (llama.cpp's `-ngl`, or `--n-cpu-moe`); `claim` the claim checker's text (at most
//! [`MAX_CLAIM`] characters; without it, the example in the page's language); all are written only where they differ from the defaults. Unknown keys are ignored with a notice; a malformed value is reported by name
//! and only that field takes its default.

use crate::core::estimate::Law;
use crate::core::kernels::tensor::Distribution;
use crate::core::memory::training::{Method, Optimizer, Targets, Training, MAX_DEVICES, MAX_RANK};
use crate::core::state::scenario::*;
use crate::core::state::target::Target;
use crate::core::text::i18n::{Key, Lang, Msg};
use crate::core::text::units::{clip, fmt_thousands, format_count};
use crate::msg;

/// A key of the whole scenario.
pub struct LinkKey {
    pub name: &'static str,
    /// Reads a value; an error leaves the field as it was and is reported with the fallback.
    pub read: fn(&mut Scenario, &str, &mut Vec<Notice>) -> Result<(), Msg>,
    /// The value to write, `None` where the link leaves it out (its default).
    pub write: fn(&Scenario) -> Option<String>,
    /// What a bad value is replaced by, as the notice names it.
    pub fallback: fn() -> Msg,
}

/// A key of one configuration (`ctx.2`): it overrides the shared value for configuration 2.
pub struct ConfigKey {
    pub name: &'static str,
    pub read: fn(&mut Config, &str) -> Result<(), Msg>,
    /// The value to write for configuration `c`, given the first (`None`: left out).
    pub write: fn(&Config, &Config) -> Option<String>,
    pub fallback: fn() -> Msg,
}

fn training(s: &mut Scenario) -> Option<&mut Training> {
    s.training.as_mut()
}

fn shared<T: Copy>(s: &mut Scenario, v: Result<T, Msg>, set: fn(&mut Config, T)) -> Result<(), Msg> {
    let v = v?;
    s.configs.iter_mut().for_each(|c| set(c, v));
    Ok(())
}

fn flag(v: bool) -> String {
    u8::from(v).to_string()
}

/// Written only in training mode, where it always is.
macro_rules! train_key {
    ($name:literal, $fallback:literal, |$t:ident, $v:ident| $read:expr, |$w:ident| $write:expr) => {
        LinkKey {
            name: $name,
            read: |s, $v, _| match training(s) {
                Some($t) => $read,
                None => Ok(()),
            },
            write: |s| s.training.as_ref().map(|$w| $write),
            fallback: || $fallback.into(),
        }
    };
}

/// Every key, in the order the link writes them (per-configuration keys come after `rt`).
pub static KEYS: &[LinkKey] = &[
    LinkKey {
        name: "v",
        read: |_, v, notes| {
            if v.trim() != "1" {
                notes.push(info(msg!(note_version, clip(v))));
            }
            Ok(())
        },
        write: |_| Some(VERSION.to_string()),
        fallback: || "1".into(),
    },
    LinkKey { name: "m", read: read_models, write: |s| Some(write_models(s)), fallback: || "".into() },
    LinkKey {
        name: "ctx",
        read: |s, v, _| shared(s, parse_context(v), Config::set_ctx),
        write: |s| Some(s.configs[0].ctx_text()),
        fallback: || DEFAULT_CTX.into(),
    },
    LinkKey {
        name: "batch",
        read: |s, v, _| shared(s, parse_batch(v), |c, x| c.batch = x),
        write: |s| Some(s.configs[0].batch.to_string()),
        fallback: || DEFAULT_BATCH.into(),
    },
    LinkKey {
        name: "kv",
        read: |s, v, _| shared(s, parse_kv(v), |c, x| c.kv = x),
        write: |s| Some(s.configs[0].kv.id.to_string()),
        fallback: || default_kv().id.into(),
    },
    LinkKey {
        name: "budget",
        read: |s, v, _| Budget::parse(v).map(|b| s.budget = b),
        write: |s| Some(s.budget.encode()),
        fallback: || default_budget().encode().into(),
    },
    LinkKey {
        name: "cards",
        read: |s, v, _| parse_cards_mode(v).map(|(n, p)| (s.cards, s.pipeline) = (n, p)),
        write: |s| (s.cards > 1).then(|| format!("{}{}", s.cards, if s.pipeline { ":pp" } else { "" })),
        fallback: || "1".into(),
    },
    LinkKey {
        name: "ram",
        read: |s, v, _| Ram::parse(v).map(|r| s.ram = Some(r)),
        write: |s| s.ram.map(|r| r.encode()),
        fallback: || msg!(ram_none),
    },
    LinkKey {
        name: "split",
        read: |s, v, _| parse_split(v).map(|x| s.split = x),
        write: |s| (s.split != Default::default()).then(|| split_text(s.split)),
        fallback: || "auto".into(),
    },
    LinkKey {
        name: "rt",
        read: |s, v, _| crate::core::memory::footprint::Runtime::parse(v).map(|r| s.runtime = r),
        write: |s| Some(s.runtime.encode()),
        fallback: || default_runtime().encode().into(),
    },
    LinkKey {
        name: "lab.dist",
        read: |s, v, _| Distribution::from_id(v.trim()).map(|d| s.lab.dist = d).ok_or_else(|| msg!(err_dist, clip(v))),
        write: |s| (s.lab.dist != LabSettings::default().dist).then(|| s.lab.dist.id().to_string()),
        fallback: || LabSettings::default().dist.id().into(),
    },
    LinkKey {
        name: "lab.n",
        read: |s, v, _| parse_elements(v).map(|n| s.lab.elements = n),
        write: |s| (s.lab.elements != LabSettings::default().elements).then(|| format_elements(s.lab.elements)),
        fallback: || "1Mi".into(),
    },
    LinkKey {
        name: "lab.seed",
        read: |s, v, _| v.trim().parse::<u32>().map(|x| s.lab.seed = x).map_err(|_| msg!(err_seed, clip(v))),
        write: |s| (s.lab.seed != LabSettings::default().seed).then(|| s.lab.seed.to_string()),
        fallback: || "1".into(),
    },
    LinkKey {
        name: "lab.sparse",
        read: |s, v, _| crate::core::catalog::sparsity::Sparsity::parse(v).map(|x| s.lab.sparsity = x),
        write: |s| {
            let suffix = s.lab.sparsity.suffix();
            (!suffix.is_empty()).then(|| suffix.trim_start_matches('+').to_string())
        },
        fallback: || msg!(word_dense),
    },
    LinkKey {
        name: "lab.formats",
        read: |s, v, _| parse_lab_formats(v).map(|f| s.lab.formats = f),
        write: |s| s.lab.formats.as_ref().map(|f| f.join(",")),
        fallback: || "all".into(),
    },
    LinkKey {
        name: "law",
        read: |s, v, _| Law::from_id(v).map(|l| s.accuracy.law = l).ok_or_else(|| msg!(err_law, clip(v))),
        write: |s| (s.accuracy.law != Law::default()).then(|| s.accuracy.law.id().to_string()),
        fallback: || Law::default().id().into(),
    },
    LinkKey {
        name: "y",
        read: |s, v, _| {
            pick(v, &[("loss", YAxis::Loss), ("dppl", YAxis::DeltaPpl)], Key::what_axis).map(|y| s.accuracy.y = y)
        },
        write: |s| (s.accuracy.y == YAxis::DeltaPpl).then(|| "dppl".to_string()),
        fallback: || "loss".into(),
    },
    LinkKey {
        name: "pub",
        read: |s, v, _| pick(v, &[("0", false), ("1", true)], Key::what_published).map(|p| s.accuracy.published = p),
        write: |s| s.accuracy.published.then(|| flag(true)),
        fallback: || "0".into(),
    },
    LinkKey {
        name: "levers",
        read: |s, v, _| pick(v, &[("0", false), ("1", true)], Key::what_levers).map(|p| s.accuracy.levers = p),
        write: |s| s.accuracy.levers.then(|| flag(true)),
        fallback: || "0".into(),
    },
    LinkKey {
        name: "cand",
        read: |s, v, _| {
            let options = [Candidates::Presets, Candidates::Range, Candidates::Configs].map(|c| (c.id(), c));
            pick(v, &options, Key::candidates).map(|c| s.accuracy.candidates = c)
        },
        write: |s| (s.accuracy.candidates != Candidates::Presets).then(|| s.accuracy.candidates.id().to_string()),
        fallback: || "presets".into(),
    },
    LinkKey {
        name: "tps",
        read: |s, v, _| parse_min_tps(v).map(|t| s.accuracy.min_tps = t),
        write: |s| (s.accuracy.min_tps != 0).then(|| s.accuracy.min_tps.to_string()),
        fallback: || "0".into(),
    },
    LinkKey {
        name: "lang",
        read: |s, v, _| Lang::parse(v).map(|l| s.lang = l).ok_or_else(|| msg!(err_lang, clip(v))),
        write: |s| (s.lang != Lang::default()).then(|| s.lang.id().to_string()),
        fallback: || "en".into(),
    },
    LinkKey {
        name: "par",
        read: |s, v, _| Target::parse(v, s.configs.len()).map(|p| s.parity = p),
        write: |s| (s.parity != Target::default()).then(|| s.parity.encode()),
        fallback: || "c1".into(),
    },
    LinkKey {
        name: "mode",
        read: |s, v, _| {
            let options = [("infer", None), ("train", Some(Training::default()))];
            pick(v, &options, Key::what_mode).map(|t| s.training = t)
        },
        write: |s| s.training.is_some().then(|| "train".to_string()),
        fallback: || "infer".into(),
    },
    train_key!(
        "method",
        "full",
        |t, v| Method::from_id(v.trim()).map(|m| t.method = m).ok_or_else(|| msg!(err_method, clip(v))),
        |t| t.method.id().to_string()
    ),
    train_key!(
        "opt",
        "mixed",
        |t, v| Optimizer::from_id(v.trim()).map(|o| t.optimizer = o).ok_or_else(|| msg!(err_opt, clip(v))),
        |t| t.optimizer.id().to_string()
    ),
    train_key!(
        "rank",
        "16",
        |t, v| parse_int(Key::lora_rank, v, u64::from(MAX_RANK)).map(|r| t.rank = r as u32),
        |t| t.rank.to_string()
    ),
    train_key!(
        "lora",
        "qv",
        |t, v| pick(v, &[("qv", Targets::QueryValue), ("all", Targets::AllLinear)], Key::what_lora)
            .map(|x| t.targets = x),
        |t| t.targets.id().to_string()
    ),
    train_key!(
        "ckpt",
        "0",
        |t, v| pick(v, &[("0", false), ("1", true)], Key::checkpointing).map(|c| t.checkpointing = c),
        |t| flag(t.checkpointing)
    ),
    train_key!(
        "zero",
        "0",
        |t, v| pick(v, &[("0", 0u8), ("1", 1), ("2", 2), ("3", 3)], Key::zero_stage).map(|z| t.zero = z),
        |t| t.zero.to_string()
    ),
    train_key!(
        "gpus",
        "1",
        |t, v| parse_int(Key::devices, v, u64::from(MAX_DEVICES)).map(|g| t.devices = g as u32),
        |t| t.devices.to_string()
    ),
    LinkKey {
        name: "claim",
        read: |s, v, _| {
            let n = v.chars().count();
            if n > MAX_CLAIM {
                return Err(msg!(err_claim_long, fmt_thousands(n as u64), MAX_CLAIM));
            }
            s.claim = claim_text(v);
            Ok(())
        },
        write: |s| s.claim.as_deref().map(percent_encode),
        // The example in the page's language.
        fallback: || msg!(word_example),
    },
];

/// The keys one configuration can override, in the order they are written.
pub static CONFIG_KEYS: &[ConfigKey] = &[
    ConfigKey {
        name: "ctx",
        read: |c, v| parse_context(v).map(|x| c.set_ctx(x)),
        write: |c, first| (c.ctx_text() != first.ctx_text()).then(|| c.ctx_text()),
        fallback: || msg!(word_shared),
    },
    ConfigKey {
        name: "batch",
        read: |c, v| parse_batch(v).map(|x| c.batch = x),
        write: |c, first| (c.batch != first.batch).then(|| c.batch.to_string()),
        fallback: || msg!(word_shared),
    },
    ConfigKey {
        name: "kv",
        read: |c, v| parse_kv(v).map(|x| c.kv = x),
        write: |c, first| (!std::ptr::eq(c.kv, first.kv)).then(|| c.kv.id.to_string()),
        fallback: || msg!(word_shared),
    },
    ConfigKey {
        name: "tok",
        read: |c, v| parse_tokens(v).map(|x| c.tokens = Some(x)),
        // Always written when set, for the first configuration too.
        write: |c, _| c.tokens.map(format_count),
        fallback: || msg!(word_default),
    },
];

pub fn key(name: &str) -> Option<&'static LinkKey> {
    KEYS.iter().find(|k| k.name == name)
}

pub fn config_key(name: &str) -> Option<&'static ConfigKey> {
    CONFIG_KEYS.iter().find(|k| k.name == name)
}

/// Reads `value` into `s` as the link's `name` would, as the CLI's flags do: the error is the
/// key's own message, with nothing replaced.
pub fn apply(s: &mut Scenario, name: &str, value: &str) -> Result<(), Msg> {
    let k = key(name).ok_or_else(|| msg!(note_unknown_key, clip(name)))?;
    let mut notes = Vec::new();
    (k.read)(s, value, &mut notes)?;
    match notes.into_iter().next() {
        Some(n) => Err(n.text),
        None => Ok(()),
    }
}

/// `m=`: the configurations. Each bad entry is a notice; none left keeps the default.
fn read_models(s: &mut Scenario, m: &str, notes: &mut Vec<Notice>) -> Result<(), Msg> {
    let mut configs = Vec::new();
    let entries: Vec<&str> = m.split(',').filter(|e| !e.trim().is_empty()).collect();
    for entry in entries.iter().take(MAX_CONFIGS) {
        match read_config(entry, notes) {
            Some(c) => configs.push(c),
            None => continue,
        }
    }
    if entries.len() > MAX_CONFIGS {
        notes.push(info(msg!(note_first_n, MAX_CONFIGS, entries.len())));
    }
    if configs.is_empty() {
        notes.push(error(msg!(note_no_model)));
    } else {
        s.configs = configs;
    }
    Ok(())
}

/// One `model@format[+sparsity]`; a bad format or pattern is a notice and a default, a bad
/// model drops the entry.
pub fn read_config(entry: &str, notes: &mut Vec<Notice>) -> Option<Config> {
    use crate::core::catalog::model::ModelRef;
    use crate::core::catalog::sparsity::Sparsity;
    let (model, fmt) = entry.rsplit_once('@').unwrap_or((entry, ""));
    let (fmt, sparsity) = match Sparsity::split(fmt) {
        Ok(x) => x,
        Err(e) => {
            notes.push(error(msg!(note_using, e, msg!(word_dense))));
            (fmt.rsplit_once('+').map_or(fmt, |(f, _)| f), Sparsity::Dense)
        }
    };
    let model = match ModelRef::parse(model) {
        Ok(m) => m,
        Err(e) => {
            notes.push(error(msg!(note_model_out, clip(entry), e)));
            return None;
        }
    };
    let scheme = match parse_scheme(fmt) {
        Ok(f) => f,
        Err(e) => {
            let e = if fmt.is_empty() { msg!(err_no_format, clip(entry)) } else { e };
            notes.push(error(msg!(note_using, e, default_scheme().name)));
            default_scheme()
        }
    };
    Some(Config { sparsity, ..Config::new(model, scheme) })
}

fn write_models(s: &Scenario) -> String {
    let models: Vec<String> =
        s.configs.iter().map(|c| format!("{}@{}{}", c.model.encode(), c.scheme.id, c.sparsity.suffix())).collect();
    models.join(",")
}

impl Scenario {
    /// The fragment, without the leading `#`.
    pub fn encode(&self) -> String {
        let mut out = Vec::new();
        for k in KEYS {
            if let Some(v) = (k.write)(self) {
                out.push(format!("{}={v}", k.name));
            }
            if k.name == "rt" {
                let first = &self.configs[0];
                for (i, c) in self.configs.iter().enumerate() {
                    for ck in CONFIG_KEYS {
                        let v = if i == 0 && ck.name != "tok" { None } else { (ck.write)(c, first) };
                        if let Some(v) = v {
                            out.push(format!("{}.{}={v}", ck.name, i + 1));
                        }
                    }
                }
            }
        }
        out.join("&")
    }

    /// Reads a fragment (with or without `#`). Never fails: what cannot be read is reported
    /// in the notices and replaced by its default.
    pub fn decode(fragment: &str) -> (Scenario, Vec<Notice>) {
        let mut s = Scenario::default();
        let mut notes = Vec::new();
        let frag = fragment.strip_prefix('#').unwrap_or(fragment);
        if frag.trim().is_empty() {
            return (s, notes);
        }
        if frag.len() > MAX_FRAGMENT {
            notes.push(error(msg!(
                note_too_long,
                fmt_thousands(frag.len() as u64),
                fmt_thousands(MAX_FRAGMENT as u64)
            )));
            return (s, notes);
        }
        let pairs: Vec<(String, String)> = frag
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let p = percent_decode(p);
                match p.split_once('=') {
                    Some((k, v)) => (k.trim().to_ascii_lowercase(), v.to_string()),
                    None => (p.trim().to_ascii_lowercase(), String::new()),
                }
            })
            .collect();
        // The last of a repeated key wins.
        let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        for k in KEYS {
            if let Some(v) = get(k.name) {
                if let Err(e) = (k.read)(&mut s, v, &mut notes) {
                    notes.push(error(msg!(note_using, e, (k.fallback)())));
                }
            }
        }
        let n = s.configs.len();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in &pairs {
            if seen.contains(&k.as_str()) {
                continue;
            }
            seen.push(k);
            if key(k).is_some() {
                continue;
            }
            let indexed = k.split_once('.').and_then(|(name, i)| Some((config_key(name)?, i.parse::<usize>().ok()?)));
            match indexed {
                Some((ck, i)) if (1..=n).contains(&i) => {
                    if let Err(e) = (ck.read)(&mut s.configs[i - 1], v) {
                        notes.push(error(msg!(note_in_config, e, i, (ck.fallback)())));
                    }
                }
                Some((ck, i)) => notes.push(info(msg!(note_no_config, format!("{}.{i}", ck.name), i, n))),
                None => notes.push(info(msg!(note_unknown_key, clip(k)))),
            }
        }
        (s, notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each key is in the table once, and what a bad value falls back to is a value the key
    /// reads (or a word in the page's language: "dense", "the example").
    #[test]
    fn every_key_once_and_its_fallback_reads() {
        let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} twice");
        }
        let mut s = Scenario::decode("m=8B@bf16,70B@q4_k_m&mode=train").0;
        for k in KEYS.iter().filter(|k| !matches!(k.name, "m" | "claim")) {
            let fallback = (k.fallback)();
            if matches!(fallback, Msg::Text(..)) {
                continue;
            }
            let fallback = fallback.text(Lang::En);
            assert!((k.read)(&mut s, &fallback, &mut Vec::new()).is_ok(), "{}: {fallback}", k.name);
        }
        for k in CONFIG_KEYS {
            assert!(key(k.name).is_some() || k.name == "tok", "{}.<i> overrides a shared key", k.name);
        }
    }

    /// The CLI's way in: a key's own parser, its own message, nothing replaced.
    #[test]
    fn apply_reads_one_key() {
        let mut s = Scenario::default();
        apply(&mut s, "ctx", "32768").unwrap();
        assert!(s.configs.iter().all(|c| c.ctx == 32768));
        let e = apply(&mut s, "ctx", "0").unwrap_err();
        assert!(e.contains("Context “0”"), "{e}");
        assert_eq!(s.configs[0].ctx, 32768, "unchanged");
        assert!(apply(&mut s, "nope", "1").is_err());
        // Training keys apply in training mode only.
        apply(&mut s, "rank", "64").unwrap();
        assert!(s.training.is_none());
        apply(&mut s, "mode", "train").unwrap();
        apply(&mut s, "rank", "64").unwrap();
        assert_eq!(s.training.unwrap().rank, 64);
    }
}
