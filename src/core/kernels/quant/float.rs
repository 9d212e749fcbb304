//! Element-wise float casts: F16 and BF16 (via `half`), FP8 E4M3FN / E5M2 (via `float8`,
//! saturating by default, and ml_dtypes' non-saturating casts), and FP6 / FP4 with one f32
//! scale per tensor.

use half::{bf16, f16};

use super::{Kernel, Layout, TensorScale};
use crate::core::catalog::format;

pub fn quantize_f16(x: &[f32], out: &mut [u8]) {
    for (v, o) in x.iter().zip(out.chunks_exact_mut(2)) {
        o.copy_from_slice(&f16::from_f32(*v).to_bits().to_le_bytes());
    }
}

pub fn dequantize_f16(q: &[u8], out: &mut [f32]) {
    for (c, o) in q.chunks_exact(2).zip(out) {
        *o = f16::from_bits(u16::from_le_bytes([c[0], c[1]])).to_f32();
    }
}

/// Round to nearest even; every NaN becomes ml_dtypes' quiet NaN 0x7fc0 with its sign.
pub fn bf16_bits(v: f32) -> u16 {
    if v.is_nan() {
        ((v.to_bits() >> 16) as u16 & 0x8000) | 0x7fc0
    } else {
        bf16::from_f32(v).to_bits()
    }
}

pub fn quantize_bf16(x: &[f32], out: &mut [u8]) {
    for (v, o) in x.iter().zip(out.chunks_exact_mut(2)) {
        o.copy_from_slice(&bf16_bits(*v).to_le_bytes());
    }
}

pub fn dequantize_bf16(q: &[u8], out: &mut [f32]) {
    for (c, o) in q.chunks_exact(2).zip(out) {
        *o = f32::from_bits(u32::from(u16::from_le_bytes([c[0], c[1]])) << 16);
    }
}

/// E4M3FN, saturating: beyond ±448 (and ±inf) gives ±448; NaN stays NaN.
pub fn e4m3_sat(v: f32) -> u8 {
    float8::F8E4M3::from_f32(v).to_bits()
}

/// E4M3FN as ml_dtypes casts it: what rounds beyond 448 (above 464, and ±inf) becomes NaN.
pub fn e4m3_nosat(v: f32) -> u8 {
    if v.is_infinite() || v.abs() > 464.0 {
        0x7f | ((v.to_bits() >> 24) as u8 & 0x80)
    } else {
        e4m3_sat(v)
    }
}

/// E5M2, saturating at ±57344.
pub fn e5m2_sat(v: f32) -> u8 {
    float8::F8E5M2::from_f32(v).to_bits()
}

/// E5M2 as ml_dtypes casts it: from 61440 (half-way to 65536, rounding to even) it is ±inf.
pub fn e5m2_nosat(v: f32) -> u8 {
    if v.is_infinite() || (!v.is_nan() && v.abs() >= 61440.0) {
        0x7c | ((v.to_bits() >> 24) as u8 & 0x80)
    } else {
        e5m2_sat(v)
    }
}

pub fn e4m3_to_f32(c: u8) -> f32 {
    float8::F8E4M3::from_bits(c).to_f32()
}

pub fn e5m2_to_f32(c: u8) -> f32 {
    float8::F8E5M2::from_bits(c).to_f32()
}

fn map_bytes(x: &[f32], out: &mut [u8], f: fn(f32) -> u8) {
    for (v, o) in x.iter().zip(out) {
        *o = f(*v);
    }
}

fn unmap_bytes(q: &[u8], out: &mut [f32], f: fn(u8) -> f32) {
    for (c, o) in q.iter().zip(out) {
        *o = f(*c);
    }
}

/// A float format with no infinities and no NaN (the OCP MX element types FP6 and FP4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minifloat {
    pub exp_bits: u32,
    pub man_bits: u32,
    pub bias: i32,
}

pub const E2M3: Minifloat = Minifloat { exp_bits: 2, man_bits: 3, bias: 1 };
pub const E3M2: Minifloat = Minifloat { exp_bits: 3, man_bits: 2, bias: 3 };
pub const E2M1: Minifloat = Minifloat { exp_bits: 2, man_bits: 1, bias: 1 };

impl Minifloat {
    pub fn bits(self) -> u32 {
        1 + self.exp_bits + self.man_bits
    }

    fn max_code(self) -> u32 {
        (1 << (self.exp_bits + self.man_bits)) - 1
    }

    pub fn max(self) -> f32 {
        self.decode(self.max_code() as u8)
    }

    /// Round to nearest even; saturate at the largest magnitude. These formats have no NaN:
    /// ml_dtypes turns +NaN into −0 (the sign bit alone) and −NaN into +0, and so does this.
    pub fn encode(self, v: f32) -> u8 {
        let sign_bit = 1u32 << (self.exp_bits + self.man_bits);
        if v.is_nan() {
            return if v.is_sign_negative() { 0 } else { sign_bit as u8 };
        }
        let sign = if v.is_sign_negative() { sign_bit } else { 0 };
        let a = f64::from(v.abs());
        if a >= f64::from(self.max()) {
            return (sign | self.max_code()) as u8;
        }
        let emin = 1 - self.bias;
        let m = self.man_bits as i32;
        let code = if a < 2f64.powi(emin) {
            // Subnormal: multiples of 2^(emin − m); reaching 2^m is the smallest normal.
            (a / 2f64.powi(emin - m)).round_ties_even() as u32
        } else {
            let e = a.log2().floor() as i32;
            let e = if 2f64.powi(e) > a {
                e - 1
            } else if 2f64.powi(e + 1) <= a {
                e + 1
            } else {
                e
            };
            let q = ((a / 2f64.powi(e) - 1.0) * 2f64.powi(m)).round_ties_even() as u32;
            let (e, q) = if q == 1 << m { (e + 1, 0) } else { (e, q) };
            let biased = e + self.bias;
            if biased >= 1 << self.exp_bits {
                self.max_code()
            } else {
                ((biased as u32) << m) | q
            }
        };
        (sign | code.min(self.max_code())) as u8
    }

    pub fn decode(self, c: u8) -> f32 {
        let c = u32::from(c);
        let m = self.man_bits;
        let mag = c & self.max_code();
        let e = (mag >> m) as i32;
        let q = f64::from(mag & ((1 << m) - 1));
        let v = if e == 0 {
            q * 2f64.powi(1 - self.bias - m as i32)
        } else {
            (1.0 + q / f64::from(1u32 << m)) * 2f64.powi(e - self.bias)
        };
        let v = v as f32;
        if c >> (self.exp_bits + m) & 1 == 1 {
            -v
        } else {
            v
        }
    }
}

/// Codes packed least-significant bit first into a little-endian bit stream.
pub fn pack_bits(codes: impl Iterator<Item = u8>, bits: u32, out: &mut [u8]) {
    out.fill(0);
    for (i, c) in codes.enumerate() {
        let at = i * bits as usize;
        let word = u16::from(c) << (at % 8);
        out[at / 8] |= word as u8;
        if at % 8 + bits as usize > 8 {
            out[at / 8 + 1] |= (word >> 8) as u8;
        }
    }
}

pub fn unpack_bits(q: &[u8], bits: u32, i: usize) -> u8 {
    let at = i * bits as usize;
    let lo = u16::from(q[at / 8]);
    let hi = if at % 8 + bits as usize > 8 { u16::from(q[at / 8 + 1]) } else { 0 };
    (((lo | (hi << 8)) >> (at % 8)) & ((1 << bits) - 1)) as u8
}

fn quantize_scaled(fmt: Minifloat, x: &[f32], scale: f32, out: &mut [u8]) {
    // NaN is encoded from the input itself: the sign of a NaN after arithmetic is not portable.
    pack_bits(x.iter().map(|&v| fmt.encode(if v.is_nan() { v } else { v / scale })), fmt.bits(), out);
}

fn dequantize_scaled(fmt: Minifloat, q: &[u8], scale: f32, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = fmt.decode(unpack_bits(q, fmt.bits(), i)) * scale;
    }
}

/// A cast of a catalogue format: id, name and its one-element block are the descriptor's.
macro_rules! cast_kernel {
    ($name:ident, $format:expr, $q:expr, $d:expr) => {
        pub const $name: Kernel =
            Kernel::of_blocks(&$format, |x, _row, _scale, out| $q(x, out), |q, _row, _scale, out| $d(q, out));
    };
}

/// A non-saturating variant of a catalogue cast: the same byte, its own id (not a catalogue
/// format, so `format` is none).
macro_rules! variant_kernel {
    ($name:ident, $id:literal, $display:literal, $of:expr, $q:expr, $d:expr) => {
        pub const $name: Kernel = Kernel {
            id: $id,
            name: $display,
            format: None,
            ..Kernel::of_blocks(&$of, |x, _row, _scale, out| $q(x, out), |q, _row, _scale, out| $d(q, out))
        };
    };
}

cast_kernel!(F16, format::F16, quantize_f16, dequantize_f16);
cast_kernel!(BF16, format::BF16, quantize_bf16, dequantize_bf16);
cast_kernel!(FP8_E4M3, format::FP8_E4M3, |x, o| map_bytes(x, o, e4m3_sat), |q, o| unmap_bytes(q, o, e4m3_to_f32));
variant_kernel!(
    FP8_E4M3_NOSAT,
    "fp8_e4m3_nosat",
    "FP8 E4M3 (non-saturating)",
    format::FP8_E4M3,
    |x, o| map_bytes(x, o, e4m3_nosat),
    |q, o| unmap_bytes(q, o, e4m3_to_f32)
);
cast_kernel!(FP8_E5M2, format::FP8_E5M2, |x, o| map_bytes(x, o, e5m2_sat), |q, o| unmap_bytes(q, o, e5m2_to_f32));
variant_kernel!(
    FP8_E5M2_NOSAT,
    "fp8_e5m2_nosat",
    "FP8 E5M2 (non-saturating)",
    format::FP8_E5M2,
    |x, o| map_bytes(x, o, e5m2_nosat),
    |q, o| unmap_bytes(q, o, e5m2_to_f32)
);

macro_rules! scaled_kernel {
    ($name:ident, $id:literal, $display:literal, $fmt:expr, $max:expr) => {
        pub const $name: Kernel = Kernel {
            id: $id,
            name: $display,
            layout: Layout::PerTensor { bits: $fmt.exp_bits as usize + $fmt.man_bits as usize + 1 },
            tensor_scale: Some(TensorScale::Absmax { format_max: $max }),
            quantize: |x, _row, scale, out| quantize_scaled($fmt, x, scale, out),
            dequantize: |q, _row, scale, out| dequantize_scaled($fmt, q, scale, out),
            format: None,
        };
    };
}

scaled_kernel!(FP6_E2M3, "fp6_e2m3", "FP6 E2M3 (tensor scale)", E2M3, 7.5);
scaled_kernel!(FP6_E3M2, "fp6_e3m2", "FP6 E3M2 (tensor scale)", E3M2, 28.0);
scaled_kernel!(FP4_E2M1, "fp4_e2m1", "FP4 E2M1 (tensor scale)", E2M1, 6.0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifloat_grids_match_the_ocp_tables() {
        let e2m1: Vec<f32> = (0..8).map(|c| E2M1.decode(c)).collect();
        assert_eq!(e2m1, [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0]);
        assert_eq!(E2M3.max(), 7.5);
        assert_eq!(E3M2.max(), 28.0);
        assert_eq!(E2M3.decode(1), 0.125);
        assert_eq!(E3M2.decode(1), 0.0625);
        for f in [E2M1, E2M3, E3M2] {
            for c in 0..(1u8 << f.bits()) {
                assert_eq!(f.encode(f.decode(c)), c, "{f:?} {c}");
            }
        }
    }

    #[test]
    fn e2m1_rounds_to_even_and_saturates() {
        // ml_dtypes (reference A4): 0.25 → 0, 0.75 → 1, 5 → 4, inf → 6.
        assert_eq!(E2M1.decode(E2M1.encode(0.25)), 0.0);
        assert_eq!(E2M1.decode(E2M1.encode(0.75)), 1.0);
        assert_eq!(E2M1.decode(E2M1.encode(5.0)), 4.0);
        assert_eq!(E2M1.decode(E2M1.encode(f32::INFINITY)), 6.0);
        assert_eq!(E2M1.decode(E2M1.encode(-1e30)), -6.0);
    }

    #[test]
    fn fp8_modes_differ_only_beyond_the_range() {
        assert_eq!(e4m3_to_f32(e4m3_sat(464.0)), 448.0);
        assert_eq!(e4m3_to_f32(e4m3_nosat(464.0)), 448.0);
        assert!(e4m3_to_f32(e4m3_nosat(480.0)).is_nan());
        assert_eq!(e4m3_to_f32(e4m3_sat(f32::INFINITY)), 448.0);
        assert_eq!(e5m2_to_f32(e5m2_nosat(61440.0)), f32::INFINITY);
        assert_eq!(e5m2_to_f32(e5m2_sat(61440.0)), 57344.0);
        assert_eq!(e5m2_to_f32(e5m2_nosat(61439.0)), 57344.0);
        assert_eq!(e4m3_sat(0.001953125), 1); // 2^-9, the smallest subnormal
    }

    #[test]
    fn bit_packing_round_trips() {
        let codes: Vec<u8> = (0..37).map(|i| (i * 11 % 64) as u8).collect();
        let mut out = vec![0u8; (37 * 6usize).div_ceil(8)];
        pack_bits(codes.iter().copied(), 6, &mut out);
        let back: Vec<u8> = (0..37).map(|i| unpack_bits(&out, 6, i)).collect();
        assert_eq!(back, codes);
    }

    #[test]
    fn bf16_nan_is_canonical() {
        assert_eq!(bf16_bits(f32::from_bits(0x7fd0_0000)), 0x7fc0);
        assert_eq!(bf16_bits(f32::from_bits(0xffc0_1234)), 0xffc0);
        assert_eq!(bf16_bits(1.0), 0x3f80);
    }
}
