//! bitsandbytes' 4-bit NormalFloat: blocks of 64 with an f32 absmax, codes from a 16-value
//! codebook chosen by bitsandbytes' threshold tree (`dQuantizeNF4`, csrc/kernels.cu).

use super::{Kernel, Layout};
use crate::core::catalog::format;

/// The codebook (bitsandbytes functional.py / kernels.cu), written with all the digits bitsandbytes
/// uses, so each rounds to the same f32 as there.
#[allow(clippy::excessive_precision)]
pub const NF4: [f32; 16] = [
    -1.0,
    -0.6961928009986877,
    -0.5250730514526367,
    -0.39491748809814453,
    -0.28444138169288635,
    -0.18477343022823334,
    -0.09105003625154495,
    0.0,
    0.07958029955625534,
    0.16093020141124725,
    0.24611230194568634,
    0.33791524171829224,
    0.44070982933044434,
    0.5626170039176941,
    0.7229568362236023,
    1.0,
];

/// The tree's pivots (`dQuantizeNF4`'s float literals), low to high. The tree compares with a
/// strict `>`, so the code is the number of pivots below the value: a value exactly on a pivot
/// takes the lower code.
#[allow(clippy::excessive_precision)]
pub const PIVOTS: [f32; 15] = [
    -0.8480964004993439,
    -0.6106329262256622,
    -0.4599952697753906,
    -0.33967943489551544,
    -0.23460740596055984,
    -0.13791173323988914,
    -0.045525018125772476,
    0.03979014977812767,
    0.1202552504837513,
    0.2035212516784668,
    0.2920137718319893,
    0.3893125355243683,
    0.5016634166240692,
    0.6427869200706482,
    0.8614784181118011,
];

/// NaN compares false everywhere and gives code 0, as in the tree.
pub fn nf4_code(v: f32) -> u8 {
    PIVOTS.iter().filter(|&&p| v > p).count() as u8
}

const QK: usize = format::NF4.block_elems();
const BLOCK_BYTES: usize = format::NF4.block_bytes();
const _: () = assert!(BLOCK_BYTES == 4 + QK / 2); // f32 absmax, 4-bit codes

/// bitsandbytes' block absmax: fmaxf over |x| from −FLT_MAX, so NaN is skipped (and a block of
/// nothing but NaN keeps −FLT_MAX).
pub fn block_absmax(xb: &[f32]) -> f32 {
    xb.iter().fold(-f32::MAX, |m, v| m.max(v.abs()))
}

/// `v = x · (1/amax)`, codes by the pivots; an all-zero block takes code 7 (0.0).
pub fn quantize_nf4(x: &[f32], out: &mut [u8]) {
    for (xb, yb) in x.chunks_exact(QK).zip(out.chunks_exact_mut(BLOCK_BYTES)) {
        let amax = block_absmax(xb);
        yb[..4].copy_from_slice(&amax.to_le_bytes());
        let r = 1.0 / amax;
        for (o, pair) in yb[4..].iter_mut().zip(xb.chunks_exact(2)) {
            let code = |v: f32| if amax == 0.0 { 7 } else { nf4_code(v * r) };
            *o = (code(pair[0]) << 4) | code(pair[1]);
        }
    }
}

pub fn dequantize_nf4(q: &[u8], out: &mut [f32]) {
    for (yb, xb) in q.chunks_exact(BLOCK_BYTES).zip(out.chunks_exact_mut(QK)) {
        let amax = f32::from_le_bytes([yb[0], yb[1], yb[2], yb[3]]);
        for (pair, &c) in xb.chunks_exact_mut(2).zip(&yb[4..]) {
            pair[0] = NF4[usize::from(c >> 4)] * amax;
            pair[1] = NF4[usize::from(c & 0x0f)] * amax;
        }
    }
}

/// Double quantization (QLoRA §3), this project's rule: per 256 blocks, the block absmaxes are
/// stored as int8 deviations from their mean c, with one f32 scale s2 = max|absmax − c|/127;
/// the elements keep the codes NF4 gives them with the exact absmax, and dequantize with the
/// rebuilt one, code·s2 + c. (bitsandbytes uses an 8-bit dynamic float map instead of int8 and
/// stores c once per tensor; this layout spends 32 bits more per 16384 elements.)
pub const DQ_BLOCKS: usize = 256;
const DQ_ELEMS: usize = QK * DQ_BLOCKS;
const DQ_BYTES: usize = 8 + DQ_BLOCKS + DQ_BLOCKS * QK / 2;

pub fn quantize_nf4_dq(x: &[f32], out: &mut [u8]) {
    let mut block = [0u8; BLOCK_BYTES];
    for (xs, ys) in x.chunks_exact(DQ_ELEMS).zip(out.chunks_exact_mut(DQ_BYTES)) {
        let mut amax = [0f32; DQ_BLOCKS];
        for (a, xb) in amax.iter_mut().zip(xs.chunks_exact(QK)) {
            *a = block_absmax(xb);
        }
        let c = (amax.iter().map(|&a| f64::from(a)).sum::<f64>() / DQ_BLOCKS as f64) as f32;
        let s2 = amax.iter().fold(0.0f32, |m, &a| m.max((a - c).abs())) / 127.0;
        ys[..4].copy_from_slice(&c.to_le_bytes());
        ys[4..8].copy_from_slice(&s2.to_le_bytes());
        for (i, (&a, xb)) in amax.iter().zip(xs.chunks_exact(QK)).enumerate() {
            let code = if s2 == 0.0 || !s2.is_finite() {
                0
            } else {
                ((a - c) / s2).round_ties_even().clamp(-127.0, 127.0) as i8
            };
            ys[8 + i] = code as u8;
            quantize_nf4(xb, &mut block);
            let at = 8 + DQ_BLOCKS + i * QK / 2;
            ys[at..at + QK / 2].copy_from_slice(&block[4..]);
        }
    }
}

pub fn dequantize_nf4_dq(q: &[u8], out: &mut [f32]) {
    for (ys, xs) in q.chunks_exact(DQ_BYTES).zip(out.chunks_exact_mut(DQ_ELEMS)) {
        let c = f32::from_le_bytes([ys[0], ys[1], ys[2], ys[3]]);
        let s2 = f32::from_le_bytes([ys[4], ys[5], ys[6], ys[7]]);
        for (i, xb) in xs.chunks_exact_mut(QK).enumerate() {
            let amax = f32::from(ys[8 + i] as i8) * s2 + c;
            let at = 8 + DQ_BLOCKS + i * QK / 2;
            for (pair, &b) in xb.chunks_exact_mut(2).zip(&ys[at..at + QK / 2]) {
                pair[0] = NF4[usize::from(b >> 4)] * amax;
                pair[1] = NF4[usize::from(b & 0x0f)] * amax;
            }
        }
    }
}

/// Not `format::NF4_DQ`'s exact bytes (see `DQ_BYTES`): it stands in for it (`STAND_INS`).
pub const NF4_DQ: Kernel = Kernel {
    id: format::NF4_DQ.id,
    name: format::NF4_DQ.name,
    layout: Layout::Flat { elems: DQ_ELEMS, bytes: DQ_BYTES },
    tensor_scale: None,
    quantize: |x, _row, _s, out| quantize_nf4_dq(x, out),
    dequantize: |q, _row, _s, out| dequantize_nf4_dq(q, out),
    format: None,
};

/// bitsandbytes blocks the flattened tensor; the kernel blocks within rows, which is the same
/// bytes for the rows it takes (multiples of 64).
pub const NF4_KERNEL: Kernel =
    Kernel::of_blocks(&format::NF4, |x, _row, _s, out| quantize_nf4(x, out), |q, _row, _s, out| dequantize_nf4(q, out));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pivots_sit_between_codebook_values() {
        for (i, p) in PIVOTS.iter().enumerate() {
            assert!(NF4[i] < *p && *p < NF4[i + 1]);
            assert_eq!(nf4_code(*p), i as u8, "on a pivot: the lower code");
            assert_eq!(nf4_code(p.next_up()), i as u8 + 1);
        }
        assert_eq!(nf4_code(f32::NAN), 0);
        for (c, v) in NF4.iter().enumerate() {
            assert_eq!(nf4_code(*v), c as u8);
        }
    }

    #[test]
    fn double_quantization_costs_little() {
        let x =
            crate::core::kernels::tensor::sample(crate::core::kernels::tensor::Distribution::Gaussian, DQ_ELEMS * 2, 3);
        let (mut a, mut b) = (vec![0u8; x.len() / QK * BLOCK_BYTES], vec![0u8; x.len() / DQ_ELEMS * DQ_BYTES]);
        quantize_nf4(&x, &mut a);
        quantize_nf4_dq(&x, &mut b);
        let (mut ya, mut yb) = (vec![0f32; x.len()], vec![0f32; x.len()]);
        dequantize_nf4(&a, &mut ya);
        dequantize_nf4_dq(&b, &mut yb);
        let err = |y: &[f32]| y.iter().zip(&x).map(|(p, q)| f64::from(p - q).powi(2)).sum::<f64>();
        let (ea, eb) = (err(&ya), err(&yb));
        // The rebuilt absmax moves each block's scale by under 1 %: the total error barely changes.
        assert!((eb - ea).abs() < ea * 0.02, "{ea} {eb}");
        assert_eq!(b.len() as f64 * 8.0 / x.len() as f64, 4.12890625);
    }

    #[test]
    fn zero_blocks_decode_to_zero() {
        let x = [0.0f32; 64];
        let mut q = [0u8; 36];
        quantize_nf4(&x, &mut q);
        assert!(q[4..].iter().all(|&b| b == 0x77));
        let mut back = [1f32; 64];
        dequantize_nf4(&q, &mut back);
        assert!(back.iter().all(|&v| v == 0.0));
    }
}
