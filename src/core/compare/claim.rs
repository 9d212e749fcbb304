//! Checks a size claim typed in plain words, in English or Chinese — "100B at INT8 and a 2B
//! student at FP16 are about the same size", or a pasted paragraph ("一个原始有 100B 参数的 BERT
//! 模型……量化(如 INT8)后……只有几十 GB") — for each model it names: the weight bytes, the size the
//! claim says it takes, the family it names (and whether that family has such a model); then
//! whether the models are in fact close, and which counts would match each other's bytes.
//!
//! Reading: the text is cut into words (ASCII runs), Han runs and marks, full-width forms read as
//! ASCII, so CJK and Latin text need no spaces between them. Each count (`2B`, or a range `1-2B`,
//! `1 到 2B`) is paired with the first format after it and before the next count; a family word
//! goes to the count it follows (or, before any, the next one); a stated size to the last count.

use crate::core::catalog::model::{raw_template, ModelRef, Preset, PRESETS};
use crate::core::catalog::scheme::{self, Scheme};
use crate::core::compare::tradeoff::{count_for_weights, count_weights};
use crate::core::memory::footprint::layout_weights;
use crate::core::state::scenario::{default_scheme, parse_scheme};
use crate::core::text::i18n::{fill, Lang, Strings};
use crate::core::text::units::{fmt_bytes, human_count, parse_count, sig3, Unit};

/// Two sizes within this ratio are "about the same"; so is a size within it of `~50 GB`.
pub const SAME: f64 = 1.25;
/// The models of one claim that are read.
pub const MAX_MODELS: usize = 4;
/// A family's model within this ratio of a count is taken to be the model the claim means.
const NAMED: f64 = 1.1;

/// The size a claim says a model's weights take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stated {
    /// Between these byte counts: `几十 GB` and `tens of GB` are 10–100 GB, `a few GB` 1–10 GB,
    /// `~50 GB` within ×[`SAME`] of 50 GB, `40-60 GB` itself. `unit` is the one the claim wrote.
    Bytes { lo: f64, hi: f64, unit: Unit },
    /// Less than half of the same model at 16 bits (BF16): `减少一半以上`, "more than half smaller".
    UnderHalf,
}

/// A stated size and the words that state it, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub stated: Stated,
    pub words: String,
}

/// A family the claim names: as written (or the family's own spelling when the word names one
/// family exactly), and its presets.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    pub name: String,
    pub presets: Vec<&'static Preset>,
}

/// One model of a claim as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// The count, or a range's two ends (low, high; equal for one count).
    pub counts: (u64, u64),
    pub scheme: &'static Scheme,
    pub family: Option<Family>,
    pub said: Option<Said>,
}

/// Whether a stated size holds at both ends of a count, at one, or at neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    Yes,
    Part,
    No,
}

/// One model of a claim, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCheck {
    pub read: Read,
    /// The family's model the count is (its bytes are that model's); `None`: a raw count.
    pub preset: Option<&'static Preset>,
    /// Weight bytes at the low and the high count.
    pub bytes: (u64, u64),
    /// How the stated size compares, when the claim states one.
    pub holds: Option<Holds>,
    /// `100B BERT @ INT8 per-channel`.
    pub name: String,
    /// `100B BERT @ INT8 per-channel: 103.0 GB of weights`.
    pub size: String,
    /// Which of the family's models it is, or that the family has none of this size.
    pub family: Option<String>,
    /// The layout a raw count's bytes are counted on.
    pub layout: Option<String>,
    /// The stated size against the computed one.
    pub stated: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    pub models: Vec<ModelCheck>,
    /// With two models or more: whether they are about the same size, and the larger over the
    /// smaller as it can be closest and widest (equal unless a count is a range).
    pub verdict: Option<String>,
    pub ratio: Option<(f64, f64)>,
    /// For each pair, the counts that would really have the same bytes.
    pub matches: Vec<String>,
}

/// The format a word names: a format id, or the plain words people use.
fn format_word(w: &str) -> Option<&'static Scheme> {
    let id = match w.to_ascii_lowercase().as_str() {
        "int4" | "4-bit" | "4bit" => "int4_g128",
        "int8" | "8-bit" | "8bit" => "int8",
        "16-bit" | "16bit" | "half" => "f16",
        "32-bit" | "32bit" => "f32",
        other => return parse_scheme(other).ok(),
    };
    scheme::by_id(id)
}

/// A word that is a parameter count with a unit (`2B`, `350M`, `1.5T`, `7e9`), not a bare number.
fn count_word(w: &str) -> Option<u64> {
    let unit = w.ends_with(['k', 'K', 'm', 'M', 'b', 'B', 'g', 'G', 't', 'T']) || w.contains(['e', 'E']);
    let starts = w.starts_with(|c: char| c.is_ascii_digit());
    (unit && starts).then(|| parse_count(w).ok()).flatten()
}

/// A plain decimal number (`50`, `1.5`), above zero.
fn number(w: &str) -> Option<f64> {
    let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.') && w.matches('.').count() <= 1;
    plain.then(|| w.parse::<f64>().ok()).flatten().filter(|v| v.is_finite() && *v > 0.0)
}

fn unit_word(w: &str) -> Option<Unit> {
    Unit::ALL.into_iter().find(|u| u.name().eq_ignore_ascii_case(w))
}

/// `50GB` as one word.
fn size_word(w: &str) -> Option<(f64, Unit)> {
    let split = w.find(|c: char| c.is_ascii_alphabetic())?;
    Some((number(&w[..split])?, unit_word(&w[split..])?))
}

/// `1`–`2B`, `1B`–`2B`: a count range (low, high); a bare low end takes the high end's unit.
fn count_range(lo: &str, hi: &str) -> Option<(u64, u64)> {
    let h = count_word(hi)?;
    let l = count_word(lo).or_else(|| {
        let suffix = hi.chars().last().filter(char::is_ascii_alphabetic)?;
        number(lo).and_then(|_| parse_count(&format!("{lo}{suffix}")).ok())
    })?;
    Some((l.min(h), l.max(h)))
}

/// `~50 GB`, `50GB`: about this size.
fn about(v: f64, unit: Unit) -> Stated {
    let b = v * unit.bytes();
    Stated::Bytes { lo: b / SAME, hi: b * SAME, unit }
}

/// `40-60 GB`.
fn between(a: f64, b: f64, unit: Unit) -> Stated {
    Stated::Bytes { lo: a.min(b) * unit.bytes(), hi: a.max(b) * unit.bytes(), unit }
}

/// Magnitude words before a unit, as the span of the unit they mean.
const EN_SPANS: &[(&[&str], f64, f64)] = &[
    (&["tens", "of"], 10.0, 100.0),
    (&["dozens", "of"], 10.0, 100.0),
    (&["hundreds", "of"], 100.0, 1000.0),
    (&["a", "few"], 1.0, 10.0),
    (&["several"], 1.0, 10.0),
];
/// The same at the end of a Han run (`只有几十` GB); `十几` before `几`, which it ends with.
const ZH_SPANS: &[(&str, f64, f64)] = &[
    ("十几", 10.0, 20.0),
    ("几十", 10.0, 100.0),
    ("数十", 10.0, 100.0),
    ("几百", 100.0, 1000.0),
    ("数百", 100.0, 1000.0),
    ("几个", 1.0, 10.0),
    ("几", 1.0, 10.0),
];
const EN_HALF: &[&[&str]] = &[
    &["more", "than", "half", "smaller"],
    &["smaller", "by", "more", "than", "half"],
    &["less", "than", "half", "the", "size"],
    &["under", "half", "the", "size"],
];
const ZH_HALF: &[&str] =
    &["减少一半以上", "减少了一半以上", "缩小一半以上", "缩小了一半以上", "小了一半以上", "不到一半"];
/// Chinese names of the plain floats.
const ZH_FORMATS: &[(&str, &str)] = &[("半精度", "f16"), ("单精度", "f32")];

/// The families a word names (`BERT`, `Llama`, `Llama-3`, `GPT-2`, `Qwen`, `BERT-large`): those
/// whose name begins with it (`Llama` → Llama 3, Llama 2 and LLaMA), else the longest one it
/// begins with (`Llama-3.1-70B` → Llama 3). A word shorter than a family's letters (`GP`) is not
/// one.
fn family_word(w: &str) -> Option<Family> {
    let squash =
        |s: &str| -> String { s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect() };
    let word = squash(w);
    let mut families: Vec<&'static str> = Vec::new();
    for p in PRESETS {
        if !families.contains(&p.family) {
            families.push(p.family);
        }
    }
    let letters = |f: &str| f.chars().take_while(char::is_ascii_alphabetic).count();
    let begun: Vec<&str> =
        families.iter().copied().filter(|f| squash(f).starts_with(&word) && word.len() >= letters(f)).collect();
    let longer = begun.is_empty();
    let picked = if longer {
        let longest =
            families.iter().map(|f| squash(f)).filter(|f| word.starts_with(f.as_str())).map(|f| f.len()).max()?;
        families.into_iter().filter(|f| squash(f).len() == longest && word.starts_with(&squash(f))).collect()
    } else {
        begun
    };
    // One family, named in full or with more after it (`BERT-large`): its own spelling.
    let whole = picked.len() == 1 && (longer || squash(picked[0]) == word);
    let name = if whole { picked[0].to_string() } else { w.to_string() };
    Some(Family { name, presets: PRESETS.iter().filter(|p| picked.contains(&p.family)).collect() })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A run of ASCII letters, digits and `._+-`.
    Word,
    /// A run of Han characters.
    Han,
    /// Any other character but a space.
    Mark,
}

#[derive(Debug)]
struct Tok {
    kind: Kind,
    text: String,
    /// Its characters, `a..b`, in the text.
    a: usize,
    b: usize,
}

/// Full-width forms (`１００Ｂ`, `（`, `～`) as their ASCII ones; the ideographic space as a space.
fn narrow(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._+-".contains(c)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn tokens(chars: &[char]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let kind = if is_word(c) {
            Kind::Word
        } else if is_han(c) {
            Kind::Han
        } else {
            Kind::Mark
        };
        let same = |d: char| if kind == Kind::Word { is_word(d) } else { is_han(d) };
        let mut j = i + 1;
        while kind != Kind::Mark && j < chars.len() && same(chars[j]) {
            j += 1;
        }
        let tok = |a: usize, b: usize, kind| Tok { kind, text: chars[a..b].iter().collect(), a, b };
        if kind == Kind::Word {
            // A word's edge punctuation is not part of it (`FP16.`); an edge dash is a range's.
            let edge = |c: char| "._+-".contains(c);
            let (mut a, mut b) = (i, j);
            while a < b && edge(chars[a]) {
                a += 1;
            }
            while b > a && edge(chars[b - 1]) {
                b -= 1;
            }
            out.extend((i..a).filter(|&k| chars[k] == '-').map(|k| tok(k, k + 1, Kind::Mark)));
            if a < b {
                out.push(tok(a, b, Kind::Word));
            }
            out.extend((b.max(a)..j).filter(|&k| chars[k] == '-').map(|k| tok(k, k + 1, Kind::Mark)));
        } else if !c.is_whitespace() {
            out.push(tok(i, j, kind));
        }
        i = j;
    }
    out
}

/// What a claim's text says, in order.
#[derive(Debug)]
enum Event {
    Count(u64, u64),
    Format(&'static Scheme),
    Family(Family),
    Said(Said),
}

/// `-`, `–`, `~`, `to`, `到`, `至` between a range's ends.
fn connector(t: &Tok) -> bool {
    match t.kind {
        Kind::Mark => matches!(t.text.as_str(), "-" | "–" | "—" | "~" | "〜"),
        Kind::Word => t.text.eq_ignore_ascii_case("to"),
        Kind::Han => matches!(t.text.as_str(), "到" | "至"),
    }
}

struct Reader<'a> {
    toks: Vec<Tok>,
    /// The characters as typed: a stated size is quoted in them.
    orig: &'a [char],
    out: Vec<Event>,
}

impl Reader<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.toks.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.text.as_str())
    }

    fn said(&mut self, stated: Stated, a: usize, b: usize) {
        self.out.push(Event::Said(Said { stated, words: self.orig[a..b].iter().collect() }));
    }

    /// Reads what starts at token `i`; returns how many tokens it took (0: nothing read).
    fn at(&mut self, i: usize) -> usize {
        match self.toks[i].kind {
            Kind::Word => self.word_at(i),
            Kind::Han => self.han_at(i),
            Kind::Mark => 0,
        }
    }

    fn word_at(&mut self, i: usize) -> usize {
        let w = self.toks[i].text.clone();
        let a = self.toks[i].a;
        let end = |r: &Self, k: usize| r.toks[i + k - 1].b;
        // A range over three or four tokens: `1 to 2B`, `1 到 2B`, `40 - 60 GB`.
        if self.toks.get(i + 1).is_some_and(connector) {
            if let Some(hi) = self.word(i + 2).map(str::to_string) {
                if let Some((l, h)) = count_range(&w, &hi) {
                    self.out.push(Event::Count(l, h));
                    return 3;
                }
                if let (Some(x), Some((y, u))) = (number(&w), size_word(&hi)) {
                    self.said(between(x, y, u), a, end(self, 3));
                    return 3;
                }
                if let (Some(x), Some(y), Some(u)) = (number(&w), number(&hi), self.word(i + 3).and_then(unit_word)) {
                    self.said(between(x, y, u), a, end(self, 4));
                    return 4;
                }
            }
        }
        if let Some(sc) = format_word(&w) {
            self.out.push(Event::Format(sc));
            return 1;
        }
        // A range in one word: `1-2B`, `1.5-3B`, `40-60GB`.
        if let Some((l, r)) = w.split_once('-') {
            if let Some((lo, hi)) = count_range(l, r) {
                self.out.push(Event::Count(lo, hi));
                return 1;
            }
            if let (Some(x), Some((y, u))) = (number(l), size_word(r)) {
                self.said(between(x, y, u), a, end(self, 1));
                return 1;
            }
            if let (Some(x), Some(y), Some(u)) = (number(l), number(r), self.word(i + 1).and_then(unit_word)) {
                self.said(between(x, y, u), a, end(self, 2));
                return 2;
            }
        }
        if let Some((v, u)) = size_word(&w) {
            self.said(about(v, u), a, end(self, 1));
            return 1;
        }
        if let Some(v) = number(&w) {
            if let Some(u) = self.word(i + 1).and_then(unit_word) {
                self.said(about(v, u), a, end(self, 2));
                return 2;
            }
            // `8 bits`, `8 位`, `4比特`.
            let bits = self.toks.get(i + 1).is_some_and(|t| match t.kind {
                Kind::Word => t.text.eq_ignore_ascii_case("bit") || t.text.eq_ignore_ascii_case("bits"),
                Kind::Han => t.text.starts_with('位') || t.text.starts_with("比特"),
                Kind::Mark => false,
            });
            if let Some(sc) = bits.then(|| format_word(&format!("{w}-bit"))).flatten() {
                self.out.push(Event::Format(sc));
                return 2;
            }
        }
        if let Some(n) = count_word(&w) {
            self.out.push(Event::Count(n, n));
            return 1;
        }
        if let Some(f) = family_word(&w) {
            self.out.push(Event::Family(f));
            return 1;
        }
        if let Some(used) = self.english_phrase(i) {
            return used;
        }
        // `100B-parameter`, `2B-param`: the counts and formats of a hyphenated word (not its
        // families: `GPT-4` is no GPT-2).
        if w.contains('-') {
            for part in w.split('-') {
                if let Some(sc) = format_word(part) {
                    self.out.push(Event::Format(sc));
                } else if let Some(n) = count_word(part) {
                    self.out.push(Event::Count(n, n));
                }
            }
            return 1;
        }
        0
    }

    /// `tens of GB`, `a few GB`, "more than half smaller".
    fn english_phrase(&mut self, i: usize) -> Option<usize> {
        let is = |r: &Self, k: usize, w: &str| r.word(i + k).is_some_and(|x| x.eq_ignore_ascii_case(w));
        let a = self.toks[i].a;
        for (words, lo, hi) in EN_SPANS {
            let n = words.len();
            if words.iter().enumerate().all(|(k, w)| is(self, k, w)) {
                if let Some(u) = self.word(i + n).and_then(unit_word) {
                    let b = self.toks[i + n].b;
                    self.said(between(*lo, *hi, u), a, b);
                    return Some(n + 1);
                }
            }
        }
        for words in EN_HALF {
            if words.iter().enumerate().all(|(k, w)| is(self, k, w)) {
                let b = self.toks[i + words.len() - 1].b;
                self.said(Stated::UnderHalf, a, b);
                return Some(words.len());
            }
        }
        None
    }

    /// A Han run may hold a format (`半精度`), a halving (`减少一半以上`) and, at its end, the
    /// magnitude of the unit after it (`只有几十` GB).
    fn han_at(&mut self, i: usize) -> usize {
        let (text, a, b) = (self.toks[i].text.clone(), self.toks[i].a, self.toks[i].b);
        let at = |byte: usize| a + text[..byte].chars().count();
        let mut found: Vec<(usize, Event)> = Vec::new();
        for (word, id) in ZH_FORMATS {
            if let (Some(k), Some(sc)) = (text.find(word), scheme::by_id(id)) {
                found.push((at(k), Event::Format(sc)));
            }
        }
        if let Some((k, w)) = ZH_HALF.iter().find_map(|w| text.find(w).map(|k| (k, w))) {
            let words = self.orig[at(k)..at(k + w.len())].iter().collect();
            found.push((at(k), Event::Said(Said { stated: Stated::UnderHalf, words })));
        }
        found.sort_by_key(|f| f.0);
        self.out.extend(found.into_iter().map(|f| f.1));
        let unit = self.word(i + 1).and_then(unit_word);
        if let (Some(u), Some((w, lo, hi))) = (unit, ZH_SPANS.iter().find(|(w, _, _)| text.ends_with(w))) {
            let end = self.toks[i + 1].b;
            self.said(between(*lo, *hi, u), b - w.chars().count(), end);
            return 2;
        }
        1
    }
}

fn events(text: &str) -> Vec<Event> {
    let orig: Vec<char> = text.chars().collect();
    let chars: Vec<char> = orig.iter().map(|&c| narrow(c)).collect();
    let mut r = Reader { toks: tokens(&chars), orig: &orig, out: Vec::new() };
    let mut i = 0;
    while i < r.toks.len() {
        i += r.at(i).max(1);
    }
    r.out
}

/// The models of a text, in order (at most [`MAX_MODELS`]): each count with the first format
/// after it and before the next count (a count without one is dropped), the family named after
/// it (or before it, after the previous model), and the first size stated after it.
pub fn read(text: &str) -> Vec<Read> {
    struct Draft {
        counts: (u64, u64),
        scheme: Option<&'static Scheme>,
        family: Option<Family>,
        said: Option<Said>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let (mut family, mut said) = (None, None);
    for ev in events(text) {
        let open = drafts.last().is_some_and(|d| d.scheme.is_none());
        match ev {
            Event::Count(lo, hi) => {
                if open {
                    drafts.pop();
                }
                drafts.push(Draft { counts: (lo, hi), scheme: None, family: family.take(), said: said.take() });
            }
            Event::Format(sc) => {
                if let (true, Some(d)) = (open, drafts.last_mut()) {
                    d.scheme = Some(sc);
                }
            }
            // A family named twice for one model ("a 100B BERT, a big BERT, at INT8") is one.
            Event::Family(f) => match drafts.last_mut() {
                Some(d) if open => {
                    d.family.get_or_insert(f);
                }
                _ => family = Some(f),
            },
            Event::Said(s) => match drafts.last_mut() {
                Some(d) => {
                    d.said.get_or_insert(s);
                }
                None => said = Some(s),
            },
        }
    }
    drafts
        .into_iter()
        .filter_map(|d| Some(Read { counts: d.counts, scheme: d.scheme?, family: d.family, said: d.said }))
        .take(MAX_MODELS)
        .collect()
}

/// `lo–hi` with a shared unit written once (`2.00–4.00 GB`, `1–2B`); one value when both read
/// the same.
fn span(lo: String, hi: String) -> String {
    if lo == hi {
        return lo;
    }
    let unit = |s: &str| s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').len();
    let (ul, uh) = (unit(&lo), unit(&hi));
    if ul > 0 && lo[lo.len() - ul..] == hi[hi.len() - uh..] {
        format!("{}–{hi}", &lo[..lo.len() - ul])
    } else {
        format!("{lo}–{hi}")
    }
}

/// Low, high: a range's two ends need not keep their order in bytes (`2B` borrows a layout with
/// fewer embeddings than `1.9B` does).
fn sorted((a, b): (u64, u64)) -> (u64, u64) {
    (a.min(b), a.max(b))
}

fn bytes_text(bytes: (u64, u64)) -> String {
    let (lo, hi) = sorted(bytes);
    span(fmt_bytes(lo), fmt_bytes(hi))
}

fn counts_text(counts: (u64, u64)) -> String {
    let (lo, hi) = sorted(counts);
    span(human_count(lo), human_count(hi))
}

/// Weight bytes of a count: the family's model it is, or a raw count on its template's layout.
fn weight_bytes(n: u64, preset: Option<&'static Preset>, sc: &'static Scheme) -> u64 {
    match preset {
        Some(p) => layout_weights(&ModelRef::Preset(p), sc).bytes(),
        None => count_weights(n as f64, sc).round() as u64,
    }
}

fn distance(n: f64, p: &Preset) -> f64 {
    libm::log(n / p.published_params).abs()
}

/// `Qwen2-1.5B (1.54B)`.
fn preset_text(p: &Preset) -> String {
    format!("{} ({})", p.name, human_count(p.published_params as u64))
}

/// Which of the family's models a count is, or why it is none: the preset it is (a single count
/// within ×[`NAMED`] of one), and the note.
fn family_note(f: &Family, counts: (u64, u64), t: &Strings) -> (Option<&'static Preset>, String) {
    let (lo, hi) = (counts.0 as f64, counts.1 as f64);
    let name = counts_text(counts);
    let within = |p: &Preset| (lo / NAMED..=hi * NAMED).contains(&p.published_params);
    let mid = (lo * hi).sqrt();
    let nearest = f.presets.iter().copied().min_by(|a, b| distance(mid, a).total_cmp(&distance(mid, b)));
    let Some(near) = nearest else {
        return (None, String::new());
    };
    if counts.0 == counts.1 && within(near) {
        return (
            Some(near),
            fill(t.claim_family_is, &[&name, &f.name, near.name, &human_count(near.published_params as u64)]),
        );
    }
    let inside: Vec<String> = f.presets.iter().filter(|p| within(p)).map(|p| preset_text(p)).collect();
    if !inside.is_empty() {
        return (None, fill(t.claim_family_range, &[&f.name, &name, &inside.join(t.ex_list_sep)]));
    }
    let published = || f.presets.iter().map(|p| p.published_params);
    let template = if lo > published().fold(0.0, f64::max) {
        t.claim_family_above
    } else if hi < published().fold(f64::INFINITY, f64::min) {
        t.claim_family_below
    } else {
        t.claim_family_between
    };
    (None, fill(template, &[&f.name, &name, near.name, &human_count(near.published_params as u64)]))
}

/// Whether a stated size holds at the low end and the high end.
fn holds(lo: bool, hi: bool) -> Holds {
    match (lo, hi) {
        (true, true) => Holds::Yes,
        (false, false) => Holds::No,
        _ => Holds::Part,
    }
}

fn check_model(read: Read, lang: Lang) -> ModelCheck {
    let t = lang.strings();
    let (counts, sc) = (read.counts, read.scheme);
    let (preset, family) = match &read.family {
        Some(f) => {
            let (p, note) = family_note(f, counts, t);
            (p, (!note.is_empty()).then_some(note))
        }
        None => (None, None),
    };
    let at = |sc: &'static Scheme| (weight_bytes(counts.0, preset, sc), weight_bytes(counts.1, preset, sc));
    let bytes = at(sc);
    let family_name = read.family.as_ref().map(|f| format!(" {}", f.name)).unwrap_or_default();
    let name = format!("{}{family_name} @ {}", counts_text(counts), sc.name);
    let size = fill(t.claim_size, &[&name, &bytes_text(bytes)]);
    let layout = preset.is_none().then(|| {
        let (low, high) = (raw_template(counts.0).0.name, raw_template(counts.1).0.name);
        if low == high {
            fill(t.claim_layout, &[low, &counts_text(counts)])
        } else {
            fill(t.claim_layout_ends, &[low, high])
        }
    });
    let (holds, stated) = match &read.said {
        Some(said) => {
            let (h, text) = stated_note(said, &name, bytes, at(default_scheme()), counts, lang);
            (Some(h), Some(text))
        }
        None => (None, None),
    };
    ModelCheck { read, preset, bytes, holds, name, size, family, layout, stated }
}

/// The stated size against the computed bytes (and, for a halving, the bytes at 16 bits).
fn stated_note(
    said: &Said,
    name: &str,
    bytes: (u64, u64),
    at16: (u64, u64),
    counts: (u64, u64),
    lang: Lang,
) -> (Holds, String) {
    let t = lang.strings();
    let shown = bytes_text(bytes);
    match said.stated {
        Stated::Bytes { lo, hi, unit } => {
            let inside = |b: u64| (lo..=hi).contains(&(b as f64));
            let h = holds(inside(bytes.0), inside(bytes.1));
            let range = format!("{} {}", span(sig3(lo / unit.bytes()), sig3(hi / unit.bytes())), unit.name());
            let args: [&str; 4] = [name, &shown, &said.words, &range];
            let text = match h {
                Holds::Yes => fill(t.claim_stated_yes, &args),
                Holds::No => fill(t.claim_stated_no, &args),
                Holds::Part => {
                    let end = if inside(bytes.0) { counts.0 } else { counts.1 };
                    fill(t.claim_stated_part, &[name, &shown, &said.words, &range, &human_count(end)])
                }
            };
            (h, text)
        }
        Stated::UnderHalf => {
            let cut = |b: u64, b16: u64| 1.0 - b as f64 / b16.max(1) as f64;
            let (a, b) = (cut(bytes.0, at16.0), cut(bytes.1, at16.1));
            let h = holds(a > 0.5, b > 0.5);
            let pct = |v: f64| format!("{:.1}", 100.0 * v);
            let smaller = lang.percent(&span(pct(a.min(b)), pct(a.max(b))));
            let args: [&str; 5] = [name, &shown, &smaller, &bytes_text(at16), &said.words];
            let template = if h == Holds::Yes { t.claim_half_yes } else { t.claim_half_no };
            (h, fill(template, &args))
        }
    }
}

/// `None` when the text names no model with a format, or one and no size for it.
pub fn check(text: &str, lang: Lang) -> Option<ClaimCheck> {
    let t = lang.strings();
    let found = read(text);
    if found.is_empty() || found.len() == 1 && found[0].said.is_none() {
        return None;
    }
    let models: Vec<ModelCheck> = found.into_iter().map(|r| check_model(r, lang)).collect();
    let mut verdict = None;
    let mut ratio = None;
    if models.len() >= 2 {
        let los = || models.iter().map(|m| sorted(m.bytes).0.max(1) as f64);
        let his = || models.iter().map(|m| sorted(m.bytes).1.max(1) as f64);
        // The spread at its widest (largest high end over smallest low end) and closest.
        let widest = his().fold(0.0, f64::max) / los().fold(f64::INFINITY, f64::min);
        let closest = (los().fold(0.0, f64::max) / his().fold(f64::INFINITY, f64::min)).max(1.0);
        let text = |digits: usize| span(format!("{closest:.digits$}"), format!("{widest:.digits$}"));
        verdict = Some(if widest <= SAME {
            fill(t.claim_same, &[&text(2)])
        } else if closest > SAME {
            fill(t.claim_differ, &[&text(1)])
        } else {
            fill(t.claim_depends, &[&text(2)])
        });
        ratio = Some((closest, widest));
    }
    let mut matches = Vec::new();
    for (i, m) in models.iter().enumerate() {
        for (j, other) in models.iter().enumerate() {
            let other = other.read.scheme;
            if i != j && !std::ptr::eq(m.read.scheme, other) {
                let held = (count_for_weights(m.bytes.0, other), count_for_weights(m.bytes.1, other));
                let theirs = format!("{} @ {}", counts_text(held), other.name);
                matches.push(fill(t.claim_match, &[&bytes_text(m.bytes), &m.name, &theirs]));
            }
        }
    }
    Some(ClaimCheck { models, verdict, ratio, matches })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::model::preset;

    const PARAGRAPH_ZH: &str = "一个原始有 100B 参数的 BERT 模型 (大参数),经过低比特量化(如 INT8)后,其模型文件大小可能只有几十 GB。而另一个原本就很小、只有 1-2B 参数但精度很高的\"学生\"BERT 模型,在进行知识蒸馏训练并在部署时使用 FP16 推理的情况下,其模型文件大小也可能在几十 GB 左右。";
    const PARAGRAPH_EN: &str =
        "A 100B-parameter BERT quantized to INT8 is tens of GB; a 1-2B student at FP16 is also tens of GB.";

    const B: u64 = 1_000_000_000;

    /// Llama-3.1-70B, the layout a raw 100B borrows: 80 layers of q and o (8192²), k and v
    /// (8192 · 1024) and the gated FFN (3 · 8192 · 28672), each layer with two norms of 8192;
    /// a final norm; embeddings and an untied head of 128256 · 8192.
    const L70_LINEAR: f64 = 80.0 * (2.0 * 8192.0 * 8192.0 + 2.0 * 8192.0 * 1024.0 + 3.0 * 8192.0 * 28672.0);
    /// Output channels of the linear layers: q, k, v, o, gate, up, down.
    const L70_ROWS: f64 = 80.0 * (8192.0 + 1024.0 + 1024.0 + 8192.0 + 28672.0 + 28672.0 + 8192.0);
    const L70_REST: f64 = 80.0 * 2.0 * 8192.0 + 8192.0 + 2.0 * 128256.0 * 8192.0;

    /// 100B at INT8 per-channel by hand: a byte a linear weight plus an fp32 scale per output
    /// row, everything else (embeddings, head, norms) in BF16, scaled from 70.55B to 100B.
    fn int8_100b() -> f64 {
        (L70_LINEAR + 4.0 * L70_ROWS + 2.0 * L70_REST) * 100e9 / (L70_LINEAR + L70_REST)
    }

    fn ids(text: &str) -> Vec<((u64, u64), &'static str)> {
        read(text).iter().map(|r| (r.counts, r.scheme.id)).collect()
    }

    #[test]
    fn the_hand_layout_is_the_template() {
        let l70 = preset("llama-3.1-70b").unwrap();
        assert_eq!(l70.counts().0 as f64, L70_LINEAR + L70_REST);
        assert_eq!(raw_template(100 * B).0.id, "llama-3.1-70b");
    }

    #[test]
    fn reads_counts_and_formats_from_plain_words() {
        let one = |n: u64| (n, n);
        assert_eq!(
            ids("A 100B BERT at INT8 and a 2B student at FP16 are about the same size"),
            [(one(100 * B), "int8"), (one(2 * B), "f16")]
        );
        assert_eq!(ids("70B@q4_k_m vs 8B@bf16"), [(one(70 * B), "q4_k_m"), (one(8 * B), "bf16")]);
        // Bare numbers are not counts; a count without a format is dropped.
        assert!(read("2 models at 16-bit, 7B").is_empty());
        assert_eq!(read("30B 8-bit and 60B 4-bit").len(), 2);
        // No spaces between CJK and Latin text; full-width letters, digits and punctuation.
        let zh = [(one(100 * B), "int8"), (one(2 * B), "f16")];
        assert_eq!(ids("100B 参数 INT8 和 2B 参数 FP16 尺寸接近"), zh);
        assert_eq!(ids("100B参数INT8和2B参数FP16尺寸接近"), zh);
        assert_eq!(ids("１００Ｂ参数（ＩＮＴ８），２Ｂ参数（ＦＰ１６）"), zh);
        // The format may come a clause after its count, but not after the next count.
        assert_eq!(ids("100B 参数的 BERT 模型,经过低比特量化(如 INT8)后"), [(one(100 * B), "int8")]);
        assert_eq!(ids("100B and 2B, both at FP16"), [(one(2 * B), "f16")]);
        assert_eq!(ids("7B in 8 bits, 13B 用 4 位"), [(one(7 * B), "int8"), (one(13 * B), "int4_g128")]);
        assert_eq!(ids("7B 半精度"), [(one(7 * B), "f16")]);
        assert_eq!(read("100B-parameter model at INT8")[0].counts, one(100 * B));
    }

    #[test]
    fn reads_ranges_and_answers_for_both_ends() {
        for text in [
            "1-2B at FP16",
            "1–2B at FP16",
            "1~2B at FP16",
            "1 到 2B 的 FP16",
            "1到2B FP16",
            "1 至 2B FP16",
            "1 to 2B at FP16",
            "1 - 2B at FP16",
            "1B-2B at fp16",
            "2B to 1B at FP16",
            "１～２Ｂ ＦＰ１６",
        ] {
            assert_eq!(ids(text), [((B, 2 * B), "f16")], "{text}");
        }
        assert_eq!(read("1.5-3B at INT8")[0].counts, (1_500_000_000, 3 * B));
        // "to" between a count and a format is no range.
        assert_eq!(ids("100B quantized to INT8"), [((100 * B, 100 * B), "int8")]);
        let c = check("100B at INT8 and 1-2B at FP16", Lang::En).unwrap();
        let range = &c.models[1];
        // Every tensor 2 bytes at F16: 2e9 and 4e9 bytes exactly.
        assert_eq!(range.bytes, (2 * B, 4 * B));
        assert_eq!(range.size, "1–2B @ F16: 2.00–4.00 GB of weights");
        let int8 = scheme::by_id("int8").unwrap();
        let (lo, hi) = (count_for_weights(2 * B, int8), count_for_weights(4 * B, int8));
        let want = format!(
            "The 2.00–4.00 GB of 1–2B @ F16 would hold ≈ {} @ INT8 per-channel.",
            span(human_count(lo), human_count(hi))
        );
        assert_eq!(c.matches[1], want);
        assert!(lo < hi && hi < 4 * B, "{want}");
        let (closest, widest) = c.ratio.unwrap();
        assert!((closest - int8_100b() / 4e9).abs() < 1e-6 && (widest - int8_100b() / 2e9).abs() < 1e-6);
        assert_eq!(c.verdict.as_deref(), Some("Not the same size: the larger is 25.8–51.5× the smaller."));
        // A range that reaches the other model's size only at one end.
        let c = check("8B at BF16 and 14-20B at INT4", Lang::En).unwrap();
        assert!(c.verdict.unwrap().starts_with("About the same size only at some ends"));
    }

    fn said(text: &str) -> Said {
        read(text).remove(0).said.unwrap()
    }

    #[test]
    fn reads_stated_sizes_in_both_languages() {
        let gb = |lo: f64, hi: f64| Stated::Bytes { lo: lo * 1e9, hi: hi * 1e9, unit: Unit::GB };
        for (text, stated, words) in [
            ("100B at INT8 is tens of GB", gb(10.0, 100.0), "tens of GB"),
            ("100B at INT8 takes hundreds of GB", gb(100.0, 1000.0), "hundreds of GB"),
            ("2B at FP16 is a few GB", gb(1.0, 10.0), "a few GB"),
            ("2B at FP16 is ~50 GB", gb(40.0, 62.5), "50 GB"),
            ("2B at FP16 is about 50GB", gb(40.0, 62.5), "50GB"),
            ("2B at FP16 is 40-60 GB", gb(40.0, 60.0), "40-60 GB"),
            ("2B at FP16 is 40 to 60 GB", gb(40.0, 60.0), "40 to 60 GB"),
            ("100B 的 INT8 模型只有几十 GB", gb(10.0, 100.0), "几十 GB"),
            ("100B 的 INT8 模型只有几十GB", gb(10.0, 100.0), "几十GB"),
            ("2B 的 FP16 模型只有几个 GB", gb(1.0, 10.0), "几个 GB"),
            ("2B 的 FP16 模型有十几 GB", gb(10.0, 20.0), "十几 GB"),
            ("2B 的 FP16 模型约 50 GB", gb(40.0, 62.5), "50 GB"),
            ("２Ｂ，ＦＰ１６，只有几十ＧＢ", gb(10.0, 100.0), "几十ＧＢ"),
        ] {
            assert_eq!(said(text), Said { stated, words: words.to_string() }, "{text}");
        }
        assert_eq!(said("100B at INT8 is more than half smaller").stated, Stated::UnderHalf);
        assert_eq!(said("100B at INT8 is more than half smaller").words, "more than half smaller");
        assert_eq!(said("100B 量化到 INT8 后大小减少一半以上").words, "减少一半以上");
        // A size stated before any count goes to the first model.
        assert_eq!(said("Tens of GB: 100B at INT8").words, "Tens of GB");
    }

    fn stated(text: &str, lang: Lang) -> (Holds, String) {
        let c = check(text, lang).unwrap();
        let m = &c.models[0];
        (m.holds.unwrap(), m.stated.clone().unwrap())
    }

    /// Each stated size against hand figures: 2B at FP16 is 4.00 GB; 100B at INT8 is
    /// [`int8_100b`] (103.02 GB) against 200 GB at BF16 (2 bytes a parameter), 48.5 % less.
    #[test]
    fn checks_stated_sizes_against_the_computed_ones() {
        assert_eq!(
            stated("2B at FP16 is a few GB", Lang::En),
            (Holds::Yes, "2B @ F16: 4.00 GB, which is “a few GB” (1–10 GB).".into())
        );
        assert_eq!(stated("2B at FP16 is ~4 GB", Lang::En).0, Holds::Yes);
        assert_eq!(
            stated("2B at FP16 is ~50 GB", Lang::En),
            (Holds::No, "2B @ F16: 4.00 GB, not “50 GB” (40–62.5 GB).".into())
        );
        assert_eq!(
            stated("1-2B at FP16 is 3-5 GB", Lang::En),
            (Holds::Part, "1–2B @ F16: 2.00–4.00 GB; “3-5 GB” (3–5 GB) holds only at 2B.".into())
        );
        let cut = 100.0 * (1.0 - int8_100b() / 200e9);
        assert!((cut - 48.5).abs() < 0.05, "{cut}");
        assert_eq!(
            stated("100B at INT8 is more than half smaller", Lang::En),
            (
                Holds::No,
                "100B @ INT8 per-channel: 103.0 GB, only 48.5 % smaller than at BF16 (200.0 GB), not “more than half smaller”."
                    .into()
            )
        );
        assert_eq!(
            stated("100B 量化到 INT8 后大小减少一半以上", Lang::ZhCn),
            (
                Holds::No,
                "100B @ INT8 per-channel：103.0 GB，只比 BF16（200.0 GB）小 48.5%，并非“减少一半以上”。".into()
            )
        );
        // INT4 g128: 4.15625 bits a linear weight, the rest BF16: 56.4 GB, 71.8 % less.
        let int4 = (L70_LINEAR * 4.15625 / 8.0 + 2.0 * L70_REST) * 100e9 / (L70_LINEAR + L70_REST);
        let c = check("100B 的 INT4 模型减少一半以上", Lang::ZhCn).unwrap();
        assert!((c.models[0].bytes.0 as f64 - int4).abs() < 2.0, "{} against {int4}", c.models[0].bytes.0);
        assert_eq!(c.models[0].holds, Some(Holds::Yes));
        assert!(
            c.models[0].stated.as_ref().unwrap().ends_with("小 71.8%，“减少一半以上”成立。"),
            "{:?}",
            c.models[0].stated
        );
        assert_eq!(
            stated("2B 的 FP16 模型只有几十 GB", Lang::ZhCn),
            (Holds::No, "2B @ F16：4.00 GB，不是“几十 GB”（10–100 GB）。".into())
        );
    }

    #[test]
    fn names_families_and_says_when_a_size_does_not_exist() {
        let family = |w: &str| family_word(w).map(|f| (f.name, f.presets.len()));
        assert_eq!(family("BERT"), Some(("BERT".into(), 3)));
        assert_eq!(family("bert-large"), Some(("BERT".into(), 3)));
        assert_eq!(family("Llama").map(|f| f.0), Some("Llama".into()));
        assert!(family("Llama").unwrap().1 > family("Llama-3").unwrap().1);
        assert_eq!(family("Llama-3.1-70B").map(|f| f.0), Some("Llama 3".into()));
        assert_eq!(family("GPT-2"), Some(("GPT-2".into(), 2)));
        assert_eq!(family("Qwen").map(|f| f.0), Some("Qwen".into()));
        assert_eq!(family("Qwen2.5").map(|f| f.0), Some("Qwen2.5".into()));
        assert_eq!(family("GP"), None);
        assert_eq!(family("GPT-4"), None);
        assert_eq!(family("student"), None);

        // A count the family has: that model, and its own bytes (2 a parameter at F16).
        let c = check("340M BERT at FP16 and a 110M BERT at INT8", Lang::En).unwrap();
        let large = preset("bert-large").unwrap();
        assert_eq!(c.models[0].preset, Some(large));
        assert_eq!(c.models[0].bytes.0, 2 * large.counts().0);
        assert_eq!(
            c.models[0].family.as_deref(),
            Some("340M BERT is BERT-large (uncased), published at 336M parameters; its bytes are that model's.")
        );
        assert_eq!(c.models[0].layout, None);
        assert_eq!(c.models[1].preset, preset("bert-base"));
        // One it does not: said, and the layout the bytes use.
        let c = check("A 100B BERT at INT8 is tens of GB", Lang::En).unwrap();
        let m = &c.models[0];
        assert_eq!(m.preset, None);
        assert_eq!(
            m.family.as_deref(),
            Some("No BERT model has 100B parameters: the largest, BERT-large (uncased), has 336M, so 100B is a hypothetical count.")
        );
        assert_eq!(
            m.layout.as_deref(),
            Some("Its bytes are counted on the layout of Llama-3.1-70B, scaled to 100B parameters.")
        );
        assert!((m.bytes.0 as f64 - int8_100b()).abs() < 2.0);
        let note = |text: &str| check(text, Lang::En).unwrap().models[0].family.clone().unwrap();
        assert!(note("a 20M GPT-2 at BF16 is a few MB")
            .starts_with("No GPT-2 model has 20M parameters: the smallest, DistilGPT2, has 82M"));
        assert!(note("200M BERT at F16 is a few GB").contains("the nearest, BERT-large (uncased), has 336M"));
        assert_eq!(
            note("1-2B Qwen at BF16 is a few GB"),
            "Qwen models with 1–2B parameters: Qwen2-1.5B (1.54B), Qwen3-1.7B (1.72B)."
        );
        assert!(note("1.5B Qwen at BF16 is a few GB").starts_with("1.5B Qwen is Qwen2-1.5B"));
        // A family word before the count, after the previous model.
        let r = read("a BERT of 100B at INT8 and a Llama with 8B at BF16");
        assert_eq!(r.iter().map(|r| r.family.as_ref().unwrap().name.as_str()).collect::<Vec<_>>(), ["BERT", "Llama"]);
        let c = check("a BERT of 100B at INT8 and a Llama with 8B at BF16", Lang::En).unwrap();
        assert_eq!(c.models[1].preset, preset("llama-3.1-8b"));
        assert_eq!(read("a 100B BERT, a big BERT, at INT8 and a 2B at FP16")[1].family, None);
    }

    /// The paragraph that sends people to the page, in Chinese: 100B at INT8 is 103.0 GB, not
    /// tens of GB; 1–2B at FP16 is 2.00–4.00 GB, not tens of GB either; the first is 25.8 to 51.5
    /// times the second.
    #[test]
    fn the_whole_paragraph_gets_its_verdicts() {
        let c = check(PARAGRAPH_ZH, Lang::ZhCn).unwrap();
        assert_eq!(c.models.len(), 2);
        let (big, small) = (&c.models[0], &c.models[1]);
        assert_eq!((big.read.counts, big.read.scheme.id), ((100 * B, 100 * B), "int8"));
        assert_eq!((small.read.counts, small.read.scheme.id), ((B, 2 * B), "f16"));
        assert!((big.bytes.0 as f64 - int8_100b()).abs() < 2.0, "{} against {}", big.bytes.0, int8_100b());
        assert_eq!(small.bytes, (2 * B, 4 * B));
        assert_eq!((big.holds, small.holds), (Some(Holds::No), Some(Holds::No)));
        assert_eq!(big.stated.as_deref(), Some("100B BERT @ INT8 per-channel：103.0 GB，不是“几十 GB”（10–100 GB）。"));
        assert_eq!(small.stated.as_deref(), Some("1–2B BERT @ F16：2.00–4.00 GB，不是“几十 GB”（10–100 GB）。"));
        assert_eq!(
            big.family.as_deref(),
            Some("没有 100B 参数的 BERT 模型：最大的 BERT-large (uncased) 只有 336M 参数，100B 是假设的参数量。")
        );
        assert!(small.family.as_ref().unwrap().starts_with("没有 1–2B 参数的 BERT 模型：最大的 BERT-large (uncased)"));
        assert_eq!(big.layout.as_deref(), Some("字节数按 Llama-3.1-70B 的结构等比缩放到 100B 参数计算。"));
        assert_eq!(
            small.layout.as_deref(),
            Some("低端的字节数按 Llama-3.2-1B 的结构、高端的按 Llama-3.2-3B 的结构，各自等比缩放到其参数量计算。")
        );
        assert_eq!(c.verdict.as_deref(), Some("不一样大：大的是小的 25.8–51.5 倍。"));
        assert_eq!(c.matches.len(), 2);
        assert!(c.matches[0].starts_with("100B BERT @ INT8 per-channel 的 103.0 GB 可以装下 ≈ 5"), "{:?}", c.matches);

        // The same claim in English reads the same models and gives the same numbers.
        let en = check(PARAGRAPH_EN, Lang::En).unwrap();
        assert_eq!(en.models.iter().map(|m| m.bytes).collect::<Vec<_>>(), [big.bytes, small.bytes]);
        assert_eq!(
            en.models[0].stated.as_deref(),
            Some("100B BERT @ INT8 per-channel: 103.0 GB, not “tens of GB” (10–100 GB).")
        );
        assert_eq!(en.models[1].stated.as_deref(), Some("1–2B @ F16: 2.00–4.00 GB, not “tens of GB” (10–100 GB)."));
        assert_eq!(en.verdict.as_deref(), Some("Not the same size: the larger is 25.8–51.5× the smaller."));
    }

    /// The explainer's claim: 100e9 × 1 byte = 100 GB against 2e9 × 2 bytes = 4 GB; 100 GB
    /// holds 50B parameters at 16 bits. A checkpoint's INT8 keeps its embeddings and output head
    /// in BF16 and adds a scale per row, so 103 GB rather than 100.
    #[test]
    fn one_hundred_b_int8_is_not_two_b_fp16() {
        let c = check("100B at INT8 and a 2B student at FP16 are about the same size", Lang::En).unwrap();
        assert_eq!(c.models.len(), 2);
        assert!((c.models[0].bytes.0 as f64 - int8_100b()).abs() < 2.0);
        assert_eq!(c.models[0].size, "100B @ INT8 per-channel: 103.0 GB of weights");
        assert_eq!(c.models[1].size, "2B @ F16: 4.00 GB of weights");
        assert_eq!(c.verdict.as_deref(), Some("Not the same size: the larger is 25.8× the smaller."));
        // 103 GB at FP16 ≈ 51.5B.
        assert!(c.matches[0].ends_with("≈ 51.5B @ F16."), "{:?}", c.matches);
        // At INT8 the embeddings stay BF16, and a 2–4B template spends a fifth of its
        // parameters there: fewer than the naive 4B fit.
        let held: f64 = c.matches[1].split("≈ ").nth(1).unwrap().split('B').next().unwrap().parse().unwrap();
        assert!((3.0..4.0).contains(&held) && c.matches[1].contains("@ INT8"), "{:?}", c.matches);
        let same = check("30B at INT8 and 60B at int4", Lang::En).unwrap();
        assert!(same.verdict.unwrap().starts_with("About the same size"));
        assert!(check("just one 7B at fp16", Lang::En).is_none());
        assert!(check("7B@q4_0 8B@fp16", Lang::ZhCn).unwrap().verdict.unwrap().contains("倍"));
        // One model is enough when the claim says its size.
        assert_eq!(check("just one 7B at fp16, about 14 GB", Lang::En).unwrap().models[0].holds, Some(Holds::Yes));
        // The page's own examples read in both languages.
        for l in Lang::ALL {
            let c = check(l.strings().claim_example, l).unwrap();
            assert_eq!(c.models.len(), 2, "{l:?}");
        }
    }

    #[test]
    fn hostile_text_reads_without_panicking() {
        let long = "1-2B 几十 GB ".repeat(2000);
        let odd = "|-|1-|-1B|~~|到|1 到|1 到 GB|GB|几十|几十 GB|１|1e400B at f16|99999999999999999999999999999999T at f16\
            |0B at f16|1-0B at f16|0.0-0.0 GB|.5B at f16|1..2B at f16|1.2.3B at f16|--2B--|𝟏𝟎𝟎B at INT8\
            |\u{202e}100B at INT8|NaN GB|inf GB|100B at INT8 is 1e400 GB|100T at f32 and 1K at q2_k|more than|tens of|a few";
        for text in odd.split('|').chain([long.as_str()]) {
            let _ = check(text, Lang::En);
            let _ = check(text, Lang::ZhCn);
        }
        assert!(read(&long).len() <= MAX_MODELS);
    }
}
