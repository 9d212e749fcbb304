//! Block-scaled FP4 and FP8: MXFP4 and NVFP4 as ggml quantizes them (byte-exact with
//! `quantize_row_mxfp4_ref` / `quantize_row_nvfp4_ref`), and MXFP8 (E4M3 elements) per OCP MX v1.0.

use super::float::{e4m3_sat, e4m3_to_f32};
use super::ggml_common::{best_index_mxfp4, c_to_u8, e8m0_to_f32_half, floor_log2f, KVALUES_MXFP4};
use super::{Kernel, Layout};
use crate::core::catalog::format;

const MXFP4_BYTES: usize = format::MXFP4.block_bytes();
const MXFP8_BYTES: usize = format::MXFP8.block_bytes();
/// NVFP4's catalogue block (16 elements, one UE4M3 scale); the kernel takes four at a time.
const NVFP4_SUB: usize = format::NVFP4.block_elems();
const NVFP4_ELEMS: usize = 4 * NVFP4_SUB;
const NVFP4_BYTES: usize = 4 * format::NVFP4.block_bytes();

// The catalogue's blocks are the fields this code reads and writes.
const _: () = {
    assert!(format::MXFP4.block_elems() == 32 && MXFP4_BYTES == 1 + 32 / 2); // E8M0, 32 × FP4
    assert!(format::MXFP8.block_elems() == 32 && MXFP8_BYTES == 1 + 32); // E8M0, 32 × FP8
    assert!(NVFP4_SUB == 16 && NVFP4_BYTES == 4 * (1 + 16 / 2)); // 4 × (UE4M3, 16 × FP4)
};

/// MXFP4: per 32, the E8M0 exponent floor(log2(amax)) − 2, then the nearest E2M1 value for
/// each element, ties toward the smaller magnitude (ggml's rule, not round-to-nearest-even).
pub fn quantize_mxfp4(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(32).zip(out.chunks_exact_mut(MXFP4_BYTES)) {
        let mut amax = 0.0f32;
        for &v in xb {
            if amax < v.abs() {
                amax = v.abs();
            }
        }
        let e = if amax > 0.0 { c_to_u8(floor_log2f(amax) - 2.0 + 127.0) } else { 0 };
        let d = e8m0_to_f32_half(e);
        yb[0] = e;
        for j in 0..16 {
            yb[1 + j] = best_index_mxfp4(xb[j], d) | (best_index_mxfp4(xb[j + 16], d) << 4);
        }
    }
}

pub fn dequantize_mxfp4(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(MXFP4_BYTES).zip(out.chunks_exact_mut(32)) {
        let d = e8m0_to_f32_half(yb[0]);
        for j in 0..16 {
            xb[j] = f32::from(KVALUES_MXFP4[usize::from(yb[1 + j] & 0x0f)]) * d;
            xb[j + 16] = f32::from(KVALUES_MXFP4[usize::from(yb[1 + j] >> 4)]) * d;
        }
    }
}

/// ggml's `ggml_fp32_to_ue4m3`: unsigned E4M3, its mantissa rounded half up, 448 at most.
pub fn fp32_to_ue4m3(x: f32) -> u8 {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    let x = if x > 448.0 { 448.0 } else { x };
    let bits = x.to_bits();
    let exp = ((bits >> 23) & 0xff) as i32 - 127 + 7;
    if exp <= 0 {
        let man = super::ggml_common::cvtt_i32(x * 512.0 + 0.5).min(7);
        return if man < 1 { 0 } else { man as u8 };
    }
    if exp >= 15 {
        return 0x7e;
    }
    let mut man = ((bits >> 20) & 7) as i32 + ((bits >> 19) & 1) as i32;
    let mut exp = exp;
    if man > 7 {
        man = 0;
        exp += 1;
        if exp >= 15 {
            return 0x7e;
        }
    }
    ((exp << 3) | man) as u8
}

/// `ggml_ue4m3_to_fp32`, halved to match the doubled E2M1 values.
pub fn ue4m3_to_f32_half(x: u8) -> f32 {
    if x == 0 || x == 0x7f {
        return 0.0;
    }
    let exp = i32::from((x >> 3) & 0x0f);
    let man = f32::from(x & 7);
    let raw = if exp == 0 { man * 2f32.powi(-9) } else { (1.0 + man / 8.0) * 2f32.powi(exp - 7) };
    raw * 0.5
}

/// NVFP4 (ggml layout): 64 elements as four 16-element sub-blocks, each with a UE4M3 scale
/// amax/6; no per-tensor scale.
pub fn quantize_nvfp4(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(NVFP4_ELEMS).zip(out.chunks_exact_mut(NVFP4_BYTES)) {
        for (s, xs) in xb.chunks_exact(NVFP4_SUB).enumerate() {
            let mut amax = 0.0f32;
            for &v in xs {
                if amax < v.abs() {
                    amax = v.abs();
                }
            }
            let ue = fp32_to_ue4m3(amax / 6.0);
            yb[s] = ue;
            let d = ue4m3_to_f32_half(ue);
            for j in 0..8 {
                yb[4 + s * 8 + j] = best_index_mxfp4(xs[j], d) | (best_index_mxfp4(xs[j + 8], d) << 4);
            }
        }
    }
}

pub fn dequantize_nvfp4(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(NVFP4_BYTES).zip(out.chunks_exact_mut(NVFP4_ELEMS)) {
        for (s, xs) in xb.chunks_exact_mut(16).enumerate() {
            let d = ue4m3_to_f32_half(yb[s]);
            for j in 0..8 {
                let c = yb[4 + s * 8 + j];
                xs[j] = f32::from(KVALUES_MXFP4[usize::from(c & 0x0f)]) * d;
                xs[j + 8] = f32::from(KVALUES_MXFP4[usize::from(c >> 4)]) * d;
            }
        }
    }
}

/// MXFP8: per 32, e = floor(log2(amax)) − 8 over finite values (clamped to ±127; −127 for a
/// zero block), stored as e + 127; elements are saturating E4M3 of x · 2^−e (NaN stays NaN).
pub fn quantize_mxfp8(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(32).zip(out.chunks_exact_mut(MXFP8_BYTES)) {
        let amax = xb.iter().filter(|v| v.is_finite()).fold(0.0f32, |m, v| m.max(v.abs()));
        let e = if amax == 0.0 { -127 } else { (exact_floor_log2(amax) - 8).clamp(-127, 127) };
        yb[0] = (e + 127) as u8;
        let inv = 2f32.powi(-e);
        for (o, &v) in yb[1..].iter_mut().zip(xb) {
            *o = e4m3_sat(v * inv);
        }
    }
}

pub fn dequantize_mxfp8(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(MXFP8_BYTES).zip(out.chunks_exact_mut(32)) {
        let scale = 2f32.powi(i32::from(yb[0]) - 127);
        for (o, &c) in xb.iter_mut().zip(&yb[1..]) {
            *o = e4m3_to_f32(c) * scale;
        }
    }
}

/// The exponent of a positive finite f32 (subnormals included), from its bits.
pub fn exact_floor_log2(v: f32) -> i32 {
    let bits = v.to_bits();
    let e = ((bits >> 23) & 0xff) as i32;
    if e == 0 {
        -127 - ((bits & 0x7f_ffff).leading_zeros() as i32 - 9)
    } else {
        e - 127
    }
}

pub const MXFP4: Kernel = Kernel::of_blocks(
    &format::MXFP4,
    |x, _row, _s, out| quantize_mxfp4(x, out),
    |q, _row, _s, out| dequantize_mxfp4(q, out),
);

/// ggml's NVFP4: four catalogue blocks at a time, and no per-tensor scale (the catalogue
/// counts NVIDIA's; its 4 bytes per tensor are outside the block layout).
pub const NVFP4: Kernel = Kernel {
    layout: Layout::Blocks { elems: NVFP4_ELEMS, bytes: NVFP4_BYTES },
    ..Kernel::of_blocks(
        &format::NVFP4,
        |x, _row, _s, out| quantize_nvfp4(x, out),
        |q, _row, _s, out| dequantize_nvfp4(q, out),
    )
};

pub const MXFP8: Kernel = Kernel::of_blocks(
    &format::MXFP8,
    |x, _row, _s, out| quantize_mxfp8(x, out),
    |q, _row, _s, out| dequantize_mxfp8(q, out),
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mxfp4_ties_go_to_the_smaller_magnitude() {
        // amax 4 → e = 2 − 2 + 127, d = 2^(e−128) = 0.5: doubled values ×0.5 are the E2M1 grid.
        let mut x = [0.0f32; 32];
        x[0] = 4.0;
        x[1] = 0.75;
        x[2] = 1.75;
        x[3] = 3.5;
        let mut q = [0u8; 17];
        quantize_mxfp4(&x, &mut q);
        let mut back = [0f32; 32];
        dequantize_mxfp4(&q, &mut back);
        assert_eq!(&back[..4], &[4.0, 0.5, 1.5, 3.0]);
    }

    #[test]
    fn floor_log2_is_exact_and_matches_log2f() {
        for v in [1.0f32, 1.5, 0.999_999_94, 3.0e-39, f32::MIN_POSITIVE, 1e-45, f32::MAX, 6.0] {
            assert_eq!(exact_floor_log2(v), f64::from(v).log2().floor() as i32, "{v}");
        }
        // Just below a power of two, a correctly rounded log2f reaches the integer.
        let below = f32::from_bits((100f32.exp2()).to_bits() - 1);
        assert_eq!(exact_floor_log2(below), 99);
        assert_eq!(floor_log2f(below), 100.0);
        assert_eq!(floor_log2f(below), below.log2().floor());
    }

    #[test]
    fn ue4m3_round_trips_its_grid() {
        // ggml treats exponent 15 as overflow: everything from 256 up encodes as 0x7e (448).
        for c in 1u8..0x7f {
            let v = ue4m3_to_f32_half(c) * 2.0;
            assert_eq!(fp32_to_ue4m3(v), if c >= 0x78 { 0x7e } else { c }, "{c:#x}");
        }
    }
}
