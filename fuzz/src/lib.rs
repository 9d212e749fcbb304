//! What each fuzz target checks, on any bytes. A panic (a failed assertion included) is a crash.

#[path = "../../tests/support/roundtrip.rs"]
mod roundtrip;

use bitbudget::core::catalog::format::F16;
use bitbudget::core::catalog::model::Arch;
use bitbudget::core::files::config::read_config;
use bitbudget::core::files::{decode, read_listing};
use bitbudget::core::kernels::quant::kernels;
use bitbudget::core::memory::footprint::kv_bytes;
use bitbudget::core::state::scenario::Scenario;
use bitbudget::core::view::report;

/// A link: whatever it holds decodes to a state whose own link decodes to the same state without
/// notices, and the page's report can be computed from it. (Not the chart: it sweeps every
/// scheme over every layer, and for a custom architecture of ~700 layers that takes ~110 ms
/// natively, over the 100 ms an input may take here; see the README's fuzzing section.)
pub fn fragment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (s, _) = Scenario::decode(&text);
    let link = s.encode();
    let (again, notices) = Scenario::decode(&link);
    assert!(notices.is_empty(), "{link}: {notices:?}");
    assert_eq!(again, s, "{link}");
    let _ = report::build(&s, &[]);
}

/// A tensor file (safetensors, GGUF or npy by its magic): listed as the page lists it, a little
/// at a time; every tensor that lies inside the file and is at most 1 MiB is decoded.
pub fn file(data: &[u8]) {
    let len = data.len() as u64;
    let mut read = |at: u64, n: u64| -> Result<Vec<u8>, bitbudget::core::text::i18n::Msg> {
        let end = at.saturating_add(n).min(len);
        Ok(data.get(at as usize..end as usize).unwrap_or_default().to_vec())
    };
    let Ok(listing) = read_listing(len, &mut read) else { return };
    for e in &listing.tensors {
        assert!(e.offset.checked_add(e.bytes).is_some_and(|end| end <= len), "{} lies outside the file", e.name);
        if e.bytes <= 1 << 20 && e.decodable() {
            let bytes = &data[e.offset as usize..(e.offset + e.bytes) as usize];
            if let Ok(v) = decode(e, bytes) {
                assert_eq!(v.len() as u64, e.elements(), "{}", e.name);
            }
        }
    }
}

/// Arbitrary bytes as f32 through the kernel the first byte picks (in rows when its top bit is
/// set), checked as `tests/quant_props.rs` checks every kernel.
/// Once, before any input: every kernel quantizes one unit, so tables built on first use (the
/// IQ3 grids' neighbour lists, about 170 ms) are not charged to the first input that picks it.
pub fn quant_init() {
    for k in kernels() {
        let x: Vec<f32> = (0..k.unit()).map(|i| (i as f32 * 0.37).sin()).collect();
        let _ = k.quantize_tensor(&x, x.len());
    }
}

pub fn quant(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let ks = kernels();
    let k = &ks[usize::from(pick & 0x7f) % ks.len()];
    let x: Vec<f32> = rest.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    if let Some((x, row)) = roundtrip::fit(k, x, pick & 0x80 != 0) {
        if let Err(e) = roundtrip::check(k, &x, row) {
            panic!("{e}");
        }
    }
}

/// A Hugging Face config.json: whatever it holds is read or refused with a message, never a
/// panic; what is read goes into a link and comes back the same, and its parameters and KV cache
/// can be counted.
pub fn config(data: &[u8]) {
    let Ok(c) = read_config(data) else { return };
    let text = c.arch.encode();
    assert_eq!(Arch::decode(&text), Ok(c.arch), "{text}");
    assert!(c.arch.active_params() <= c.arch.params(), "{text}");
    let _ = kv_bytes(&c.arch, 1 << 20, 64, &F16);
}
