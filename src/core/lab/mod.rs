//! The quantization lab: which formats to run (presets, families), the worker protocol (samples
//! or a user's file), and the jobs that feed tensors to `kernels::runner`. The clock is
//! passed in, so the same code runs natively, in a Web Worker and in tests.

use serde::{Deserialize, Serialize};

use crate::msg;

use crate::core::catalog::format::Family;
use crate::core::catalog::sparsity::Sparsity;
use crate::core::files::{decode, read_listing, Entry, Listing};
use crate::core::kernels::quant::{infos, kernel, KernelInfo};
use crate::core::kernels::runner::{run_kernel, run_pruned, time_quantize, FormatResult, Stopped, MAX_RUN_ELEMENTS};
use crate::core::kernels::tensor::{Distribution, SampleStream, ROW};
use crate::core::text::i18n::{Msg, Strings};

/// The name of a run id as its result is named: `Q8_0`, `Q8_0 · 2:4 sparse`; None for an
/// unknown format or pattern.
pub fn format_name(id: &str, t: &Strings) -> Option<String> {
    let (base, sparsity) = Sparsity::split(id).ok()?;
    let k = kernel(base)?;
    Some(sparsity.titled(k.name.to_string(), t))
}

/// The lab's bulk picks: every format, none, one of the catalogue's families, or every format
/// whose codes are 4 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabPreset {
    All,
    None,
    KQuants,
    LegacyGguf,
    Floats,
    FourBit,
}

impl LabPreset {
    pub const ALL: [LabPreset; 6] = [
        LabPreset::All,
        LabPreset::None,
        LabPreset::KQuants,
        LabPreset::LegacyGguf,
        LabPreset::Floats,
        LabPreset::FourBit,
    ];

    /// A name for tests and styles (`data-preset`).
    pub fn id(self) -> &'static str {
        match self {
            LabPreset::All => "all",
            LabPreset::None => "none",
            LabPreset::KQuants => "k-quants",
            LabPreset::LegacyGguf => "legacy-gguf",
            LabPreset::Floats => "floats",
            LabPreset::FourBit => "4-bit",
        }
    }

    /// Its kernels, in the lab's order.
    pub fn ids(self) -> Vec<&'static str> {
        infos().iter().filter(|k| self.takes(k)).map(|k| k.id).collect()
    }

    fn takes(self, k: &KernelInfo) -> bool {
        match self {
            LabPreset::All => true,
            LabPreset::None => false,
            LabPreset::KQuants => k.family == Family::GgmlK,
            LabPreset::LegacyGguf => k.family == Family::GgmlLegacy,
            LabPreset::Floats => k.family == Family::Float,
            // 4-bit codes with their block scales: 4.0 (FP4 E2M1) to 5.0 (Q4_1) bits a weight.
            LabPreset::FourBit => (4.0..=5.0).contains(&k.layout.nominal_bits()),
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            LabPreset::All => t.preset_all,
            LabPreset::None => t.preset_none,
            LabPreset::KQuants => t.preset_kquants,
            LabPreset::LegacyGguf => t.preset_legacy,
            LabPreset::Floats => t.preset_floats,
            LabPreset::FourBit => t.preset_4bit,
        }
    }
}

/// The catalogue's families that have lab kernels, in the catalogue's order.
pub fn families() -> Vec<Family> {
    Family::ALL.into_iter().filter(|f| infos().iter().any(|k| k.family == *f)).collect()
}

/// A family's kernels, in the lab's order.
pub fn family_ids(f: Family) -> Vec<&'static str> {
    infos().iter().filter(|k| k.family == f).map(|k| k.id).collect()
}

/// A family's name for tests and styles (`data-family`).
pub fn family_id(f: Family) -> &'static str {
    match f {
        Family::Float => "float",
        Family::Integer => "integer",
        Family::Bitsandbytes => "bitsandbytes",
        Family::Microscaling => "microscaling",
        Family::GgmlLegacy => "ggml-legacy",
        Family::GgmlK => "ggml-k",
        Family::GgmlI => "ggml-i",
        Family::GgmlTernary => "ternary",
    }
}

/// What the page asks the lab worker to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabRequest {
    pub job: u32,
    pub dist: String,
    pub elements: u32,
    pub seed: u32,
    pub formats: Vec<String>,
}

/// What the worker tells the page, in order: one `Progress` per chunk, one `Result` per format,
/// then `Done` (or `Failed`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabEvent {
    /// The worker has started and listens (messages sent before this would be lost).
    Ready,
    Progress {
        job: u32,
        format: u32,
        fraction: f64,
    },
    Result {
        job: u32,
        result: Box<FormatResult>,
    },
    Done {
        job: u32,
        total_ms: f64,
    },
    Failed {
        job: u32,
        message: Msg,
    },
    /// A user's file: its header, read.
    Listing {
        job: u32,
        listing: Box<Listing>,
    },
    /// A user's tensor is being read from the file.
    Reading {
        job: u32,
        fraction: f64,
    },
    /// The next tensor of a file request starts (its results follow).
    TensorStart {
        job: u32,
        index: u32,
        name: String,
        shape: Vec<u64>,
    },
    /// The worker's WebAssembly memory after a run: its peak, since wasm memory never shrinks.
    Memory {
        job: u32,
        bytes: u64,
    },
    /// A format that cannot take this tensor's rows (a 256-element block on rows of 64).
    Skipped {
        job: u32,
        id: String,
        reason: Msg,
    },
}

/// What the page asks of the worker for a user's file (the file itself travels beside it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FileRequest {
    /// Read the header and list the tensors.
    Open { job: u32 },
    /// Read each tensor in turn and run the formats over it. A pruned id (`q8_0+2:4`) prunes
    /// along rows as the sample lab does: a row is the tensor's last dimension (`Entry::row`,
    /// contiguous in every format read here), whose values the pattern groups and ranks.
    Tensors { job: u32, entries: Vec<Entry>, formats: Vec<String> },
}

/// Bytes read from a file at a time while loading a tensor (progress is shown between reads).
pub const READ_CHUNK: u64 = 16 << 20;

/// The scalar reference is timed on at most this many elements (the speed-up is a ratio).
pub const SCALAR_TIMING_ELEMENTS: usize = 1 << 20;

/// Runs a whole request: generates the tensor once, then every format over it.
pub fn run_request(req: &LabRequest, now: &dyn Fn() -> f64, emit: &mut dyn FnMut(LabEvent)) {
    let job = req.job;
    let fail = |message: Msg| LabEvent::Failed { job, message };
    let Some(dist) = Distribution::from_id(&req.dist) else {
        return emit(fail(msg!(lab_bad_dist, &req.dist)));
    };
    if req.elements == 0 || req.elements > MAX_RUN_ELEMENTS || !(req.elements as usize).is_multiple_of(ROW) {
        return emit(fail(msg!(lab_bad_elements, req.elements, ROW)));
    }
    let t0 = now();
    let mut x = vec![0f32; req.elements as usize];
    SampleStream::new(dist, u64::from(req.seed)).fill(&mut x);
    if run_formats(job, &x, ROW, &req.formats, now, emit) {
        emit(LabEvent::Done { job, total_ms: now() - t0 });
    }
}

/// Every format over `x` in rows of `row`, in order; a format the rows do not suit is skipped
/// with its reason. False when the run stopped (a failure was emitted).
fn run_formats(
    job: u32,
    x: &[f32],
    row: usize,
    formats: &[String],
    now: &dyn Fn() -> f64,
    emit: &mut dyn FnMut(LabEvent),
) -> bool {
    for (i, id) in formats.iter().enumerate() {
        // `q8_0+2:4`: the format over the values a pruning pattern keeps.
        let (base, sparsity) = Sparsity::split(id).unwrap_or((id, Sparsity::Dense));
        let Some(k) = kernel(base) else {
            emit(LabEvent::Failed { job, message: msg!(lab_bad_format, id) });
            return false;
        };
        let kept = sparsity.kept(row as u64) as usize;
        if let Err(reason) = k.check_shape(x.len() / row.max(1) * kept, kept) {
            emit(LabEvent::Skipped { job, id: id.to_string(), reason });
            continue;
        }
        let mut progress = |fraction: f64| {
            emit(LabEvent::Progress { job, format: i as u32, fraction });
            true
        };
        let run = if sparsity == Sparsity::Dense {
            run_kernel(k, x, row, true, now, &mut progress)
        } else {
            run_pruned(k, sparsity, x, row, now, &mut progress)
        };
        match run {
            Ok(mut r) => {
                if r.simd && sparsity == Sparsity::Dense {
                    let rows = (SCALAR_TIMING_ELEMENTS / row).max(1);
                    let sample = &x[..x.len().min(rows * row)];
                    let ms = time_quantize(k, sample, row, false, now).ok();
                    r.scalar_quantize_ms = ms.map(|ms| ms * x.len() as f64 / sample.len() as f64);
                }
                emit(LabEvent::Result { job, result: Box::new(r) });
            }
            Err(Stopped::Failed(m)) => {
                emit(LabEvent::Failed { job, message: m });
                return false;
            }
            Err(Stopped::Cancelled) => return false,
        }
    }
    true
}

/// Runs a request about a user's file through `read(offset, len)`: lists its tensors, or
/// reads one tensor (in [`READ_CHUNK`] pieces, with progress) and runs the formats over it.
pub fn run_file_request(
    req: &FileRequest,
    file_bytes: u64,
    read: &mut dyn FnMut(u64, u64) -> Result<Vec<u8>, Msg>,
    now: &dyn Fn() -> f64,
    emit: &mut dyn FnMut(LabEvent),
) {
    match req {
        FileRequest::Open { job } => match read_listing(file_bytes, read) {
            Ok(listing) => emit(LabEvent::Listing { job: *job, listing: Box::new(listing) }),
            Err(message) => emit(LabEvent::Failed { job: *job, message }),
        },
        FileRequest::Tensors { job, entries, formats } => {
            let (job, t0) = (*job, now());
            for (i, entry) in entries.iter().enumerate() {
                emit(LabEvent::TensorStart {
                    job,
                    index: i as u32,
                    name: entry.name.clone(),
                    shape: entry.shape.clone(),
                });
                match run_file_tensor(job, entry, formats, file_bytes, read, now, emit) {
                    Ok(()) => {}
                    Err(Stopped::Cancelled) => return,
                    Err(Stopped::Failed(message)) => return emit(LabEvent::Failed { job, message }),
                }
            }
            emit(LabEvent::Done { job, total_ms: now() - t0 });
        }
    }
}

/// Reads one tensor (in [`READ_CHUNK`] pieces, with progress) and runs the formats over it.
fn run_file_tensor(
    job: u32,
    entry: &Entry,
    formats: &[String],
    file_bytes: u64,
    read: &mut dyn FnMut(u64, u64) -> Result<Vec<u8>, Msg>,
    now: &dyn Fn() -> f64,
    emit: &mut dyn FnMut(LabEvent),
) -> Result<(), Stopped> {
    if !entry.decodable() {
        return Err(Stopped::Failed(msg!(lab_not_numbers, &entry.name, &entry.dtype)));
    }
    if entry.elements() > u64::from(MAX_RUN_ELEMENTS) {
        return Err(Stopped::Failed(msg!(lab_too_big, &entry.name, entry.elements())));
    }
    if entry.offset.checked_add(entry.bytes).is_none_or(|end| end > file_bytes) {
        return Err(Stopped::Failed(msg!(lab_past_end, &entry.name)));
    }
    let mut bytes = Vec::with_capacity(entry.bytes as usize);
    while (bytes.len() as u64) < entry.bytes {
        let len = READ_CHUNK.min(entry.bytes - bytes.len() as u64);
        match read(entry.offset + bytes.len() as u64, len).map_err(Stopped::Failed)? {
            b if b.len() as u64 == len => bytes.extend(b),
            _ => return Err(Stopped::Failed(msg!(lab_ended))),
        }
        emit(LabEvent::Reading { job, fraction: bytes.len() as f64 / entry.bytes.max(1) as f64 });
    }
    let x = decode(entry, &bytes).map_err(Stopped::Failed)?;
    drop(bytes);
    if run_formats(job, &x, entry.row() as usize, formats, now, emit) {
        Ok(())
    } else {
        // Cancelled, or a failure run_formats has emitted itself: either way nothing more to say.
        Err(Stopped::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The presets, written out: each family's are the catalogue's rows; 4-bit is every
    /// kernel of 4.0 to 5.0 nominal bits a weight.
    #[test]
    fn presets_pick_what_they_say() {
        assert_eq!(LabPreset::KQuants.ids(), ["q6_k", "q5_k", "q4_k", "q3_k", "q2_k"]);
        assert_eq!(LabPreset::LegacyGguf.ids(), ["q8_0", "q5_1", "q5_0", "q4_1", "q4_0"]);
        let floats = "f16 bf16 fp8_e4m3 fp8_e4m3_nosat fp8_e5m2 fp8_e5m2_nosat fp6_e2m3 fp6_e3m2 fp4_e2m1";
        assert_eq!(LabPreset::Floats.ids().join(" "), floats);
        let four = "fp4_e2m1 int4_g32_sym int4_g64_sym int4_g128_sym int4_g32_asym int4_g64_asym int4_g128_asym \
                    mxfp4 nvfp4 nf4 nf4_dq q4_1 q4_0 q4_k iq4_xs iq4_nl";
        assert_eq!(LabPreset::FourBit.ids().join(" "), four);
        assert!(LabPreset::None.ids().is_empty());
        assert_eq!(LabPreset::All.ids().len(), infos().len());
        // Each kernel is in one family, and the families cover the lab.
        let fams = families();
        assert_eq!(fams.len(), 8);
        assert_eq!(fams.iter().map(|f| family_ids(*f).len()).sum::<usize>(), infos().len());
        let t = crate::core::text::i18n::Lang::ZhCn.strings();
        for f in &fams {
            assert!(!f.label(t).is_empty() && !family_id(*f).is_empty());
        }
    }

    /// Prune-then-quantize: FP16 at 2:4 is 9 bits a weight; its error is what pruning and the
    /// FP16 cast do, computed here directly; Q8_0 at 2:4 packs 2048 kept values a row in blocks.
    #[test]
    fn pruned_formats_run_over_the_kept_values() {
        let x = crate::core::kernels::tensor::sample(Distribution::Gaussian, 1 << 14, 7);
        let run = |id: &str| {
            let (base, sp) = Sparsity::split(id).unwrap();
            run_pruned(kernel(base).unwrap(), sp, &x, ROW, &|| 0.0, &mut |_| true).unwrap()
        };
        let f = run("f16+2:4");
        assert_eq!(f.id, "f16+2:4");
        assert_eq!(
            (f.name.as_str(), format_name(&f.id, crate::core::text::i18n::Lang::En.strings()).unwrap().as_str()),
            ("F16 +2:4", "F16 · 2:4 sparse")
        );
        assert_eq!(f.bpw, 9.0);
        let mut y = vec![0f32; x.len()];
        crate::core::kernels::prune::prune(Sparsity::NM { n: 2, m: 4 }, &x, ROW, &mut y);
        let (sig, err) = x.iter().zip(&y).fold((0f64, 0f64), |(s, e), (a, b)| {
            let q = half::f16::from_f32(*b).to_f32();
            (s + f64::from(*a) * f64::from(*a), e + f64::from(a - q) * f64::from(a - q))
        });
        let sqnr = 10.0 * (sig / err).log10();
        assert!((f.summary.sqnr_db.unwrap() - sqnr).abs() < 1e-6, "{:?} vs {sqnr}", f.summary.sqnr_db);
        // Q8_0 at 2:4: 64 blocks of 34 bytes and 2048 two-bit positions a row of 4096.
        let q = run("q8_0+2:4");
        assert_eq!(q.bpw, (64.0 * 34.0 * 8.0 + 2048.0 * 2.0) / 4096.0);
        assert!(
            q.summary.sqnr_db
                < run_kernel(kernel("q8_0").unwrap(), &x, ROW, false, &|| 0.0, &mut |_| true).unwrap().summary.sqnr_db
        );
        // Unstructured 50 %: a 1-bit mask an element.
        assert_eq!(run("nf4+u50").bytes, (x.len() / 2) as u64 / 64 * (32 + 4) + x.len() as u64 / 8);
        // Through a request, beside the dense formats.
        let mut events = Vec::new();
        let req = LabRequest {
            job: 1,
            dist: "gaussian".into(),
            elements: 1 << 14,
            seed: 7,
            formats: vec!["f16".into(), "f16+2:4".into(), "q4_k+4:8".into()],
        };
        run_request(&req, &|| 0.0, &mut |e| events.push(e));
        let ids: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                LabEvent::Result { result, .. } => Some(result.id.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["f16", "f16+2:4", "q4_k+4:8"]);
    }
    use crate::core::kernels::metrics::ErrorStats;
    use crate::core::kernels::tensor::{Distribution, ROW};

    #[test]
    fn a_request_reports_every_format_in_order() {
        let req = LabRequest {
            job: 7,
            dist: "gaussian".into(),
            elements: 1 << 16,
            seed: 1,
            formats: vec!["q8_0".into(), "nf4".into()],
        };
        let mut events = Vec::new();
        run_request(&req, &|| 0.0, &mut |e| events.push(e));
        let results: Vec<&FormatResult> = events
            .iter()
            .filter_map(|e| if let LabEvent::Result { result, .. } = e { Some(&**result) } else { None })
            .collect();
        assert_eq!(results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["q8_0", "nf4"]);
        assert!(matches!(events.last(), Some(LabEvent::Done { job: 7, .. })));
        assert!(events.iter().all(|e| !matches!(e, LabEvent::Failed { .. })));
        for bad in [
            LabRequest { dist: "cauchy".into(), ..req.clone() },
            LabRequest { elements: 100, ..req.clone() },
            LabRequest { formats: vec!["q9_9".into()], ..req.clone() },
        ] {
            let mut ev = Vec::new();
            run_request(&bad, &|| 0.0, &mut |e| ev.push(e));
            assert!(matches!(ev.last(), Some(LabEvent::Failed { .. })), "{bad:?}");
        }
    }

    /// A safetensors file in memory: one F16 tensor of 4 rows × 64 and one I32 tensor.
    fn st_file() -> Vec<u8> {
        let header = r#"{"w":{"dtype":"F16","shape":[4,64],"data_offsets":[0,512]},"ids":{"dtype":"I32","shape":[2],"data_offsets":[512,520]}}"#;
        let mut f = (header.len() as u64).to_le_bytes().to_vec();
        f.extend(header.as_bytes());
        for i in 0..256u32 {
            f.extend(half::f16::from_f32((i as f32 * 0.37).sin()).to_bits().to_le_bytes());
        }
        f.extend([0u8; 8]);
        f
    }

    #[test]
    fn a_file_is_listed_then_a_tensor_is_run_with_skips_for_unsuited_formats() {
        let f = st_file();
        let mut reads = Vec::new();
        let mut read = |o: u64, n: u64| {
            reads.push((o, n));
            Ok(f[o as usize..(o + n) as usize].to_vec())
        };
        let mut ev = Vec::new();
        run_file_request(&FileRequest::Open { job: 3 }, f.len() as u64, &mut read, &|| 0.0, &mut |e| ev.push(e));
        let Some(LabEvent::Listing { job: 3, listing }) = ev.pop() else { panic!("{ev:?}") };
        assert_eq!(listing.tensors.len(), 2);
        let w = listing.tensors[0].clone();
        assert_eq!((w.name.as_str(), w.row()), ("w", 64));
        let req = FileRequest::Tensors {
            job: 4,
            entries: vec![w],
            formats: vec!["q8_0".into(), "q4_k".into(), "bf16".into()],
        };
        let mut ev = Vec::new();
        run_file_request(&req, f.len() as u64, &mut read, &|| 0.0, &mut |e| ev.push(e));
        assert!(matches!(&ev[0], LabEvent::TensorStart { job: 4, index: 0, name, .. } if name == "w"));
        assert!(matches!(ev[1], LabEvent::Reading { job: 4, fraction } if fraction == 1.0));
        let ids: Vec<String> = ev
            .iter()
            .filter_map(|e| match e {
                LabEvent::Result { result, .. } => Some(result.id.clone()),
                LabEvent::Skipped { id, reason, .. } => {
                    Some(format!("skip {id}: {}", reason.contains("multiple of 256")))
                }
                _ => None,
            })
            .collect();
        assert_eq!(ids, ["q8_0", "skip q4_k: true", "bf16"]);
        assert!(matches!(ev.last(), Some(LabEvent::Done { job: 4, .. })));
        let ints =
            FileRequest::Tensors { job: 5, entries: vec![listing.tensors[1].clone()], formats: vec!["q8_0".into()] };
        let mut ev = Vec::new();
        run_file_request(&ints, f.len() as u64, &mut read, &|| 0.0, &mut |e| ev.push(e));
        assert!(
            matches!(&ev[..], [LabEvent::TensorStart { .. }, LabEvent::Failed { job: 5, message }] if message.contains("I32"))
        );
        let mut broken = |_: u64, _: u64| Err::<Vec<u8>, Msg>("disk on fire".into());
        let mut ev = Vec::new();
        run_file_request(&FileRequest::Open { job: 6 }, f.len() as u64, &mut broken, &|| 0.0, &mut |e| ev.push(e));
        assert!(matches!(&ev[..], [LabEvent::Failed { job: 6, message }] if *message == Msg::from("disk on fire")));
    }

    /// A user's file pruned: a 2 × 4 × 64 .npy (rows of the last dimension, each row at its own
    /// scale, so pruning per row and per tensor differ) through `run_file_request` gives what
    /// the reference pruning (`prune::mask`) and the reference quantizer over each row's packed
    /// kept values give, computed here step by step.
    #[test]
    fn a_file_tensor_is_pruned_along_its_last_dimension_then_quantized() {
        let x: Vec<f32> = (0..512).map(|i| (i as f32 * 0.37).sin() * (1 + i / 64) as f32).collect();
        let f = crate::core::files::npy::write_f32(&[2, 4, 64], &x);
        let mut read = |o: u64, n: u64| Ok(f[o as usize..(o + n) as usize].to_vec());
        let mut ev = Vec::new();
        run_file_request(&FileRequest::Open { job: 1 }, f.len() as u64, &mut read, &|| 0.0, &mut |e| ev.push(e));
        let Some(LabEvent::Listing { listing, .. }) = ev.pop() else { panic!("{ev:?}") };
        let entry = listing.tensors[0].clone();
        assert_eq!(entry.row(), 64);
        let ids = ["q8_0+2:4", "f16+u50", "int8+4:8", "q4_k+2:4"];
        let req = FileRequest::Tensors { job: 2, entries: vec![entry], formats: ids.map(String::from).to_vec() };
        let mut ev = Vec::new();
        run_file_request(&req, f.len() as u64, &mut read, &|| 0.0, &mut |e| ev.push(e));
        assert!(matches!(ev.last(), Some(LabEvent::Done { job: 2, .. })), "{ev:?}");
        let results: Vec<&FormatResult> = ev
            .iter()
            .filter_map(|e| if let LabEvent::Result { result, .. } = e { Some(&**result) } else { None })
            .collect();
        assert_eq!(results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), &ids[..3]);
        // Rows of 64 keep 32 values at 2:4: Q4_K's 256-value blocks do not tile them.
        assert!(ev.iter().any(|e| matches!(e, LabEvent::Skipped { id, .. } if id == "q4_k+2:4")));
        for r in results {
            let (base, sp) = Sparsity::split(&r.id).unwrap();
            let k = kernel(base).unwrap();
            let keep = crate::core::kernels::prune::mask(sp, &x, 64);
            let packed: Vec<f32> = x.iter().zip(&keep).filter(|(_, k)| **k).map(|(v, _)| *v).collect();
            assert_eq!(packed.len(), 8 * 32);
            let q = k.quantize_tensor(&packed, 32).unwrap();
            let back = k.dequantize_tensor(&q, packed.len(), 32).unwrap();
            let mut back = back.into_iter();
            let y: Vec<f32> = keep.iter().map(|k| if *k { back.next().unwrap() } else { 0.0 }).collect();
            let mut stats = ErrorStats::default();
            stats.add_fast(&x, &y);
            assert_eq!(r.summary, stats.summary(), "{}", r.id);
            assert_eq!(r.hist, stats.hist, "{}", r.id);
            assert_eq!(r.bytes, q.len() as u64 + sp.index_bytes(8, 64), "{}", r.id);
            let first: Vec<[f32; 2]> = x.iter().zip(&y).take(r.block.len()).map(|(a, b)| [*a, *b]).collect();
            assert_eq!(r.block, first, "{}", r.id);
            if let Sparsity::Unstructured { .. } = sp {
                // Pruning the whole tensor as one row would keep other values.
                assert_ne!(keep, crate::core::kernels::prune::mask(sp, &x, x.len()));
            }
        }
    }

    #[test]
    fn run_ids_are_named_as_their_results() {
        use crate::core::text::i18n::Lang;
        let en = Lang::En.strings();
        assert_eq!(format_name("q8_0", en).as_deref(), Some("Q8_0"));
        assert_eq!(format_name("q8_0+2:4", en).as_deref(), Some("Q8_0 · 2:4 sparse"));
        assert_eq!(format_name("f16+u50", en).as_deref(), Some("F16 · 50 % pruned"));
        let zh = format_name("q8_0+4:8", Lang::ZhCn.strings()).unwrap();
        assert!(zh.starts_with("Q8_0 · ") && zh.contains("4") && zh != "Q8_0 · 4:8 sparse", "{zh}");
        assert_eq!(format_name("q9_9", en), None);
        assert_eq!(format_name("q8_0+3:2", en), None);
    }
}
