//! NumPy `.npy` files, versions 1 to 3: a header that is a Python dict literal, then the
//! array. Little-endian float32, float16 and (where the descr allows) bfloat16 are read;
//! float32 is written.

use half::{bf16, f16};

use crate::core::text::i18n::Msg;
use crate::msg;

const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// numpy itself refuses headers over 10 KB unless told otherwise; 64 KiB is generous.
pub const MAX_HEADER: usize = 1 << 16;
/// Refuse shapes above 2^40 elements (4 TiB of f32): no real tensor is that large.
pub const MAX_ELEMENTS: u64 = 1 << 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    F16,
    Bf16,
}

impl Dtype {
    pub fn size(self) -> usize {
        match self {
            Dtype::F32 => 4,
            Dtype::F16 | Dtype::Bf16 => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub dtype: Dtype,
    pub shape: Vec<u64>,
    /// Byte offset of the data.
    pub data_offset: usize,
}

impl Header {
    pub fn elements(&self) -> u64 {
        self.shape.iter().product()
    }
}

/// Parses the header from the first bytes of a file (at least the whole header).
pub fn parse_header(b: &[u8]) -> Result<Header, Msg> {
    if b.len() < 10 || &b[..6] != MAGIC {
        return Err(msg!(npy_magic));
    }
    let (major, minor) = (b[6], b[7]);
    let (len, start) = match major {
        1 => (usize::from(u16::from_le_bytes([b[8], b[9]])), 10),
        2 | 3 => {
            if b.len() < 12 {
                return Err(msg!(npy_truncated));
            }
            (u32::from_le_bytes([b[8], b[9], b[10], b[11]]) as usize, 12)
        }
        _ => return Err(msg!(npy_version, format!("{major}.{minor}"))),
    };
    if len > MAX_HEADER {
        return Err(msg!(npy_header_long, len, MAX_HEADER));
    }
    let text = b.get(start..start + len).ok_or(msg!(npy_truncated))?;
    let text = std::str::from_utf8(text).map_err(|_| msg!(npy_not_text))?;
    let descr = dict_value(text, "descr").ok_or_else(|| msg!(npy_no_key, "descr"))?;
    let dtype = match descr.trim_matches(|c| c == '\'' || c == '"') {
        "<f4" | "=f4" => Dtype::F32,
        "<f2" | "=f2" => Dtype::F16,
        // ml_dtypes saves bfloat16 as raw 2-byte void with this name.
        "<V2" | "bfloat16" | "|V2" => Dtype::Bf16,
        d => return Err(msg!(npy_dtype, d)),
    };
    let fortran = dict_value(text, "fortran_order").ok_or_else(|| msg!(npy_no_key, "fortran_order"))?;
    if fortran.trim() != "False" {
        return Err(msg!(npy_fortran));
    }
    let shape_text = dict_value(text, "shape").ok_or_else(|| msg!(npy_no_key, "shape"))?;
    let inner = shape_text.trim().strip_prefix('(').and_then(|s| s.strip_suffix(')')).ok_or_else(|| msg!(npy_shape))?;
    let mut shape = Vec::new();
    for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        shape.push(part.trim_end_matches('L').parse::<u64>().map_err(|_| msg!(npy_shape_entry, part))?);
    }
    if shape.len() > 32 {
        return Err(msg!(npy_dims));
    }
    let mut n: u64 = 1;
    for d in &shape {
        n = n.checked_mul(*d).filter(|n| *n <= MAX_ELEMENTS).ok_or_else(|| msg!(npy_elements))?;
    }
    Ok(Header { dtype, shape, data_offset: start + len })
}

/// The text of `'key': value` in a dict literal, up to the next top-level comma.
fn dict_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let k = text.find(&format!("'{key}'")).or_else(|| text.find(&format!("\"{key}\"")))?;
    let rest = &text[k + key.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?;
    let mut depth = 0i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' | '}' if depth == 0 => return Some(rest[..i].trim()),
            _ => {}
        }
    }
    None
}

/// Converts little-endian elements of `dtype` to f32.
pub fn to_f32(dtype: Dtype, bytes: &[u8], out: &mut Vec<f32>) {
    match dtype {
        Dtype::F32 => out.extend(bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
        Dtype::F16 => {
            out.extend(bytes.chunks_exact(2).map(|c| f16::from_bits(u16::from_le_bytes([c[0], c[1]])).to_f32()))
        }
        Dtype::Bf16 => {
            out.extend(bytes.chunks_exact(2).map(|c| bf16::from_bits(u16::from_le_bytes([c[0], c[1]])).to_f32()))
        }
    }
}

/// A whole file in memory: its header and its values as f32.
pub fn read(bytes: &[u8]) -> Result<(Header, Vec<f32>), Msg> {
    let h = parse_header(bytes)?;
    let need = h.elements() as usize * h.dtype.size();
    let data = bytes
        .get(h.data_offset..h.data_offset + need)
        .ok_or_else(|| msg!(npy_ends, bytes.len() - h.data_offset.min(bytes.len()), h.elements()))?;
    let mut out = Vec::with_capacity(h.elements() as usize);
    to_f32(h.dtype, data, &mut out);
    Ok((h, out))
}

/// A version 1 float32 file, its header padded to 64 bytes as numpy does.
pub fn write_f32(shape: &[u64], values: &[f32]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
    let shape = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let mut header = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
    let total = 10 + header.len() + 1;
    header.push_str(&" ".repeat(total.next_multiple_of(64) - total));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + values.len() * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let v = [1.0f32, -2.5, f32::NAN, 3.0e-40];
        let bytes = write_f32(&[2, 2], &v);
        assert_eq!((10 + u16::from_le_bytes([bytes[8], bytes[9]]) as usize) % 64, 0);
        let (h, back) = read(&bytes).unwrap();
        assert_eq!(h.shape, vec![2, 2]);
        assert_eq!(h.dtype, Dtype::F32);
        assert!(back.iter().zip(&v).all(|(a, b)| a.to_bits() == b.to_bits()));
        let (h, _) = read(&write_f32(&[4], &v)).unwrap();
        assert_eq!(h.shape, vec![4]);
    }

    /// A header as numpy 2.x writes it for `np.zeros((3,), np.float16)`.
    #[test]
    fn reads_numpy_headers() {
        let text = "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }";
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        let padded = format!("{text:<117}\n");
        b.extend_from_slice(&(padded.len() as u16).to_le_bytes());
        b.extend_from_slice(padded.as_bytes());
        b.extend_from_slice(&[0, 0x3c, 0, 0xc0, 0, 0]);
        let (h, v) = read(&b).unwrap();
        assert_eq!((h.dtype, h.shape.clone()), (Dtype::F16, vec![3]));
        assert_eq!(v, vec![1.0, -2.0, 0.0]);
    }

    fn with_header(text: &str, data: &[u8]) -> Vec<u8> {
        let mut b = b"\x93NUMPY\x01\x00".to_vec();
        b.extend_from_slice(&(text.len() as u16).to_le_bytes());
        b.extend_from_slice(text.as_bytes());
        b.extend_from_slice(data);
        b
    }

    #[test]
    fn hostile_headers_get_clear_errors() {
        let ok = write_f32(&[4], &[0.0; 4]);
        assert!(read(&ok[..5]).unwrap_err().to_string().contains("magic"));
        assert!(read(&ok[..40]).unwrap_err().to_string().contains("truncated"));
        assert!(read(&ok[..ok.len() - 1]).unwrap_err().to_string().contains("ends early"));
        let err = |text: &str| read(&with_header(text, &[0; 16])).unwrap_err();
        assert!(err("{'descr': '>f4', 'fortran_order': False, 'shape': (4,), }").contains("not supported"));
        assert!(err("{'descr': '<f4', 'fortran_order': True, 'shape': (4,), }").contains("Fortran"));
        assert!(err("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }").contains("not a count"));
        assert!(
            err("{'descr': '<f4', 'fortran_order': False, 'shape': (9999999999999, 9999999), }").contains("too many")
        );
        assert!(err("{'descr': '<f4', 'fortran_order': False}").contains("shape"));
        assert!(err("{'fortran_order': False, 'shape': (4,), }").contains("descr"));
        assert!(err("{'descr': '<f4', 'fortran_order': False, 'shape': [4], }").contains("malformed"));
        let mut v9 = ok.clone();
        v9[6] = 9;
        assert!(read(&v9).unwrap_err().to_string().contains("version 9"));
        let mut big = ok.clone();
        big[6] = 2;
        big[8..12].copy_from_slice(&(1u32 << 20).to_le_bytes());
        assert!(read(&big).unwrap_err().to_string().contains("limit"));
    }
}
