//! BitNet b1.58's absmean ternary quantization: one f32 scale mean|x| for the tensor, codes
//! −1, 0, +1 stored as 2 bits each.

use super::float::{pack_bits, unpack_bits};
use super::{Kernel, Layout, TensorScale};

pub fn quantize_ternary(x: &[f32], scale: f32, out: &mut [u8]) {
    let code = |v: f32| {
        if scale == 0.0 || v.is_nan() {
            1
        } else {
            ((v / scale).round_ties_even().clamp(-1.0, 1.0) as i32 + 1) as u8
        }
    };
    pack_bits(x.iter().map(|&v| code(v)), 2, out);
}

pub fn dequantize_ternary(q: &[u8], scale: f32, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = (i32::from(unpack_bits(q, 2, i)) - 1) as f32 * scale;
    }
}

pub const TERNARY: Kernel = Kernel {
    id: "ternary",
    name: "Ternary absmean (BitNet b1.58)",
    layout: Layout::PerTensor { bits: 2 },
    tensor_scale: Some(TensorScale::AbsMean),
    quantize: |x, _row, s, out| quantize_ternary(x, s, out),
    dequantize: |q, _row, s, out| dequantize_ternary(q, s, out),
    format: None,
};
