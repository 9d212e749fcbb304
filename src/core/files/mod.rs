//! Tensor files read locally: headers first, data only when asked.
//!
//! [`parse`] takes the first bytes of a file and its full size. It never needs the data: when
//! the header reaches past the bytes it was given it answers [`Error::NeedBytes`] with how many
//! to read, so a multi-GB file is listed after reading only its header (`Blob.slice` in the
//! page, a short read on the command line). Every count, length and offset is checked against
//! limits and against the file's size before it is used.

pub mod config;
pub mod gguf;
pub mod hub;
pub mod model;
pub mod npy;
pub mod safetensors;

use crate::core::kernels::runner::MAX_RUN_ELEMENTS;
use serde::{Deserialize, Serialize};

use crate::core::text::i18n::Msg;
use crate::core::text::units::clip;
use crate::msg;

/// Headers above this are refused (the safetensors format caps its header at 100 MB too).
pub const MAX_HEADER_BYTES: u64 = 100_000_000;
pub const MAX_TENSORS: u64 = 1 << 20;
/// No real tensor has 2^40 elements (4 TiB of f32).
pub const MAX_ELEMENTS: u64 = 1 << 40;
pub const MAX_DIMS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Safetensors,
    Gguf,
    Npy,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Safetensors => "safetensors",
            Kind::Gguf => "GGUF",
            Kind::Npy => ".npy",
        }
    }
}

/// How a tensor's bytes turn into f32.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decode {
    F32,
    F16,
    Bf16,
    F64,
    F8E4M3,
    F8E5M2,
    /// A ggml block type, through the lab's dequantizer of this id (a kernel's, or a read-only
    /// format's: `quant::dequantize_by_id`).
    Kernel(String),
    /// Integers, booleans and types the lab has no dequantizer for.
    No,
}

/// One tensor of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    /// The type as the file names it (`BF16`, `Q4_K`, `<f4`).
    pub dtype: String,
    /// Outer dimension first (numpy order); the last is the row, contiguous in memory. GGUF
    /// stores its dimensions the other way round and is reversed here.
    pub shape: Vec<u64>,
    /// Absolute byte offset of the data in the file, and its length.
    pub offset: u64,
    pub bytes: u64,
    pub decode: Decode,
}

impl Entry {
    pub fn elements(&self) -> u64 {
        self.shape.iter().product()
    }

    /// Row length: the last dimension (1 for a scalar).
    pub fn row(&self) -> u64 {
        self.shape.last().copied().unwrap_or(1).max(1)
    }

    pub fn decodable(&self) -> bool {
        self.decode != Decode::No
    }

    /// Whether the lab can run this tensor: numbers it can read, not empty, not over one run.
    pub fn runnable(&self) -> bool {
        self.decodable() && (1..=u64::from(MAX_RUN_ELEMENTS)).contains(&self.elements())
    }
}

/// What a file's header says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub kind: Kind,
    /// GGUF and .npy versions.
    pub version: Option<u32>,
    pub tensors: Vec<Entry>,
    /// Header key-values as text (long strings and arrays summarised).
    pub metadata: Vec<(String, String)>,
    /// Bytes of header (everything before the first tensor's data).
    pub header_bytes: u64,
    pub file_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Read at least this many bytes from the start of the file and call again.
    NeedBytes(u64),
    /// What is wrong with the file, in words.
    Invalid(Msg),
}

impl From<Msg> for Error {
    fn from(m: Msg) -> Error {
        Error::Invalid(m)
    }
}

/// Reads a header: GGUF and .npy by their magic, safetensors otherwise.
pub fn parse(prefix: &[u8], file_bytes: u64) -> Result<Listing, Error> {
    if prefix.starts_with(b"GGUF") {
        gguf::parse(prefix, file_bytes)
    } else if prefix.starts_with(b"\x93NUMPY") {
        npy_listing(prefix, file_bytes)
    } else if file_bytes < 4 && (prefix.len() as u64) < file_bytes.max(1) {
        Err(Error::NeedBytes(file_bytes))
    } else {
        safetensors::parse(prefix, file_bytes)
    }
}

/// A .npy file as a one-tensor listing.
fn npy_listing(prefix: &[u8], file_bytes: u64) -> Result<Listing, Error> {
    let h = match npy::parse_header(prefix) {
        Ok(h) => h,
        // A header cut short by the prefix may just need more bytes (it is at most 64 KiB).
        Err(_) if (prefix.len() as u64) < file_bytes && prefix.len() < npy::MAX_HEADER + 12 => {
            return Err(Error::NeedBytes(file_bytes.min(npy::MAX_HEADER as u64 + 12)));
        }
        Err(e) => return Err(Error::Invalid(e)),
    };
    let bytes = h.elements().checked_mul(h.dtype.size() as u64).ok_or(msg!(f_shape_overflow))?;
    let end = (h.data_offset as u64).saturating_add(bytes);
    if end > file_bytes {
        return Err(Error::Invalid(msg!(f_truncated, bytes, file_bytes.saturating_sub(h.data_offset as u64))));
    }
    let (dtype, decode) = match h.dtype {
        npy::Dtype::F32 => ("<f4", Decode::F32),
        npy::Dtype::F16 => ("<f2", Decode::F16),
        npy::Dtype::Bf16 => ("bfloat16", Decode::Bf16),
    };
    Ok(Listing {
        kind: Kind::Npy,
        version: Some(u32::from(prefix[6])),
        tensors: vec![Entry {
            name: "array".into(),
            dtype: dtype.into(),
            shape: h.shape,
            offset: h.data_offset as u64,
            bytes,
            decode,
        }],
        metadata: Vec::new(),
        header_bytes: h.data_offset as u64,
        file_bytes,
    })
}

/// The product of `shape`, refused when it overflows or passes [`MAX_ELEMENTS`].
pub fn element_count(name: &str, shape: &[u64]) -> Result<u64, Msg> {
    if shape.len() > MAX_DIMS {
        return Err(msg!(f_dims, clip(name), shape.len(), MAX_DIMS));
    }
    let mut n: u64 = 1;
    for d in shape {
        n = n
            .checked_mul(*d)
            .filter(|n| *n <= MAX_ELEMENTS)
            .ok_or_else(|| msg!(f_elements, clip(name), format!("{shape:?}")))?;
    }
    Ok(n)
}

/// Little-endian elements to f32.
pub fn decode(e: &Entry, bytes: &[u8]) -> Result<Vec<f32>, Msg> {
    let n = e.elements() as usize;
    let mut out = Vec::with_capacity(n);
    let width = |w: usize| {
        if bytes.len() == n * w {
            Ok(())
        } else {
            Err(msg!(f_width, bytes.len(), n, &e.dtype))
        }
    };
    match &e.decode {
        Decode::F32 => {
            width(4)?;
            npy::to_f32(npy::Dtype::F32, bytes, &mut out)
        }
        Decode::F16 => {
            width(2)?;
            npy::to_f32(npy::Dtype::F16, bytes, &mut out)
        }
        Decode::Bf16 => {
            width(2)?;
            npy::to_f32(npy::Dtype::Bf16, bytes, &mut out)
        }
        Decode::F64 => {
            width(8)?;
            out.extend(bytes.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])) as f32))
        }
        Decode::F8E4M3 => {
            width(1)?;
            out.extend(bytes.iter().map(|b| float8::F8E4M3::from_bits(*b).to_f32()))
        }
        Decode::F8E5M2 => {
            width(1)?;
            out.extend(bytes.iter().map(|b| float8::F8E5M2::from_bits(*b).to_f32()))
        }
        Decode::Kernel(id) => return crate::core::kernels::quant::dequantize_by_id(id, bytes, n, e.row() as usize),
        Decode::No => return Err(msg!(f_not_numbers, &e.dtype)),
    }
    Ok(out)
}

/// Reads a file's header through `read(offset, len)`, a little at a time: 64 KiB first, then
/// as much as the parser asks for. A multi-GB file is listed after reading only its header.
pub fn read_listing(file_bytes: u64, read: &mut dyn FnMut(u64, u64) -> Result<Vec<u8>, Msg>) -> Result<Listing, Msg> {
    let mut prefix: Vec<u8> = Vec::new();
    let mut want = file_bytes.min(1 << 16);
    loop {
        if (prefix.len() as u64) < want {
            let more = read(prefix.len() as u64, want - prefix.len() as u64)?;
            if more.is_empty() {
                return Err(msg!(f_ended_header));
            }
            prefix.extend(more);
        }
        match parse(&prefix, file_bytes) {
            Ok(l) => return Ok(l),
            Err(Error::NeedBytes(n)) if n > prefix.len() as u64 && n <= file_bytes => want = n,
            Err(Error::NeedBytes(n)) => return Err(msg!(f_header_needs, n, file_bytes)),
            Err(Error::Invalid(m)) => return Err(m),
        }
    }
}
