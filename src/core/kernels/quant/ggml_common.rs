//! Conversions ggml's C reference quantizers rely on, reproduced exactly.

use half::f16;

/// A C float-to-int conversion as x86-64 performs it (`cvttss2si`): truncation toward zero,
/// and INT_MIN for NaN, ±inf and values out of range (undefined in C; this is the project's rule).
pub fn cvtt_i32(v: f32) -> i32 {
    if v.is_nan() || !(-2147483648.0..2147483648.0).contains(&v) {
        i32::MIN
    } else {
        v as i32
    }
}

/// `(int8_t)v` and `(uint8_t)v` in C on x86-64: the 32-bit conversion, then its low byte.
pub fn c_to_i8(v: f32) -> i8 {
    cvtt_i32(v) as i8
}

pub fn c_to_u8(v: f32) -> u8 {
    cvtt_i32(v) as u8
}

/// C's `MAX(a, b)` macro, `a > b ? a : b`: a NaN in `b` wins, a NaN in `a` loses.
pub fn c_max(a: f32, b: f32) -> f32 {
    if a > b {
        a
    } else {
        b
    }
}

/// ggml's `GGML_FP32_TO_FP16`: round to nearest even; every NaN becomes 0x7e00 with its sign.
pub fn fp16_bits(v: f32) -> u16 {
    if v.is_nan() {
        ((v.to_bits() >> 16) as u16 & 0x8000) | 0x7e00
    } else {
        f16::from_f32(v).to_bits()
    }
}

pub fn fp16_to_f32(lo: u8, hi: u8) -> f32 {
    f16::from_bits(u16::from_le_bytes([lo, hi])).to_f32()
}

/// E2M1 values doubled, as ggml stores them (`kvalues_mxfp4`).
pub const KVALUES_MXFP4: [i8; 16] = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];

/// ggml's `best_index_mxfp4`: the code whose value is nearest; ties keep the lower index
/// (so they go toward the smaller magnitude), NaN gives 0.
pub fn best_index_mxfp4(x: f32, e: f32) -> u8 {
    let mut best = 0u8;
    let mut best_err = (f32::from(KVALUES_MXFP4[0]) * e - x).abs();
    for (i, &k) in KVALUES_MXFP4.iter().enumerate().skip(1) {
        let err = (f32::from(k) * e - x).abs();
        if err < best_err {
            best = i as u8;
            best_err = err;
        }
    }
    best
}

/// `ggml_e8m0_to_fp32_half`: 2^(x − 128), with the two smallest as f32 subnormals.
pub fn e8m0_to_f32_half(x: u8) -> f32 {
    let bits = if x < 2 { 0x0020_0000u32 << x } else { u32::from(x - 1) << 23 };
    f32::from_bits(bits)
}

/// `floorf(log2f(x))` for positive finite x, as a correctly rounded log2f gives it: the f32
/// rounding of log2 can reach the next integer just below a power of two.
pub fn floor_log2f(x: f32) -> f32 {
    ((f64::from(x)).log2() as f32).floor()
}
