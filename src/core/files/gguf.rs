//! GGUF (versions 2 and 3, little-endian): magic, version, tensor count, key-value count, the
//! key-values, the tensor infos (name, dimensions innermost first, ggml type, offset), then the
//! data, aligned to `general.alignment` (32 by default), offsets relative to its start.

use crate::core::catalog::format::{self, Format};
use crate::core::kernels::quant;
use crate::core::text::i18n::Msg;
use crate::core::text::units::clip;
use crate::msg;

use super::{element_count, Decode, Entry, Error, Kind, Listing, MAX_HEADER_BYTES, MAX_TENSORS};

/// Key-values above this are refused (real files have a few dozen; vocabularies are arrays).
pub const MAX_KVS: u64 = 1 << 16;
/// ggml's `GGML_MAX_DIMS`.
pub const MAX_GGML_DIMS: u32 = 4;

/// A ggml type's block: a catalogue format (its name and block are written once, in
/// `catalog::format`), or one the catalogue does not hold: (name, elements, bytes per block).
enum Block {
    Format(&'static Format),
    Other(&'static str, u64, u64),
}

use Block::{Format as F, Other};

/// (ggml type id, block). A catalogue type is read through the lab's kernel for that format.
static TYPES: &[(u32, Block)] = &[
    (0, F(&format::F32)),
    (1, F(&format::F16)),
    (2, F(&format::Q4_0)),
    (3, F(&format::Q4_1)),
    (6, F(&format::Q5_0)),
    (7, F(&format::Q5_1)),
    (8, F(&format::Q8_0)),
    (9, Other("Q8_1", 32, 36)),
    (10, F(&format::Q2_K)),
    (11, F(&format::Q3_K)),
    (12, F(&format::Q4_K)),
    (13, F(&format::Q5_K)),
    (14, F(&format::Q6_K)),
    (15, Other("Q8_K", 256, 292)),
    (16, F(&format::IQ2_XXS)),
    (17, F(&format::IQ2_XS)),
    (18, F(&format::IQ3_XXS)),
    (19, F(&format::IQ1_S)),
    (20, F(&format::IQ4_NL)),
    (21, F(&format::IQ3_S)),
    (22, F(&format::IQ2_S)),
    (23, F(&format::IQ4_XS)),
    (24, Other("I8", 1, 1)),
    (25, Other("I16", 1, 2)),
    (26, Other("I32", 1, 4)),
    (27, Other("I64", 1, 8)),
    (28, Other("F64", 1, 8)),
    (29, F(&format::IQ1_M)),
    (30, F(&format::BF16)),
    (34, F(&format::TQ1_0)),
    (35, F(&format::TQ2_0)),
    (39, F(&format::MXFP4)),
];

impl Block {
    fn name_and_block(&self) -> (&'static str, u64, u64) {
        match *self {
            Block::Format(f) => (f.name, f.block_elems as u64, f.block_bytes() as u64),
            Block::Other(name, elems, bytes) => (name, elems, bytes),
        }
    }

    /// What reads this format's bytes: the lab kernel that writes them, or the format's
    /// read-only dequantizer (a type the lab reads but does not make).
    fn kernel(&self) -> Option<&'static str> {
        let Block::Format(f) = *self else { return None };
        quant::infos()
            .iter()
            .find(|k| k.format.is_some_and(|g| g.id == f.id))
            .map(|k| k.id)
            .or_else(|| quant::read_only_info(f.id).map(|r| r.format.id))
    }
}

/// The ggml type's name, block and dequantizer.
pub fn ggml_type(id: u32) -> Option<(&'static str, u64, u64, Decode)> {
    let (_, block) = TYPES.iter().find(|t| t.0 == id)?;
    let (name, elems, bytes) = block.name_and_block();
    let decode = match (id, block.kernel()) {
        (0, _) => Decode::F32,
        (1, _) => Decode::F16,
        (30, _) => Decode::Bf16,
        (28, _) => Decode::F64,
        (_, Some(k)) => Decode::Kernel(k.to_string()),
        _ => Decode::No,
    };
    Some((name, elems, bytes, decode))
}

/// Reads little-endian values from the prefix, telling apart "past the prefix" (read more) from
/// "past the end of the file" (broken).
struct Cursor<'a> {
    b: &'a [u8],
    pos: u64,
    file: u64,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: u64, what: &Msg) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(n).ok_or_else(|| msg!(gg_overflow, what, n))?;
        if end > self.file {
            return Err(Error::Invalid(msg!(gg_ends_header, what, n, self.pos, self.file)));
        }
        if end > MAX_HEADER_BYTES {
            return Err(Error::Invalid(msg!(gg_header_long, MAX_HEADER_BYTES, what)));
        }
        if end > self.b.len() as u64 {
            // Ask for at least twice as much, so a long header is read in a few rounds.
            return Err(Error::NeedBytes(end.max(2 * self.b.len() as u64).min(self.file).min(MAX_HEADER_BYTES)));
        }
        let s = &self.b[self.pos as usize..end as usize];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self, what: &Msg) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap_or([0; 4])))
    }
    fn u64(&mut self, what: &Msg) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap_or([0; 8])))
    }
    fn string(&mut self, what: &Msg) -> Result<String, Error> {
        let n = self.u64(what)?;
        if n > self.file {
            return Err(Error::Invalid(msg!(gg_string_long, what, n)));
        }
        Ok(String::from_utf8_lossy(self.take(n, what)?).into_owned())
    }
}

/// Bytes of one scalar of a GGUF value type.
fn scalar_size(t: u32) -> Option<u64> {
    Some(match t {
        0 | 1 | 7 => 1,
        2 | 3 => 2,
        4..=6 => 4,
        10..=12 => 8,
        _ => return None,
    })
}

/// Reads one value of type `t`, as display text.
fn value(c: &mut Cursor, t: u32, key: &str, depth: u32) -> Result<String, Error> {
    let what = &Msg::from(key);
    if let Some(n) = scalar_size(t) {
        let b = c.take(n, what)?;
        let mut w = [0u8; 8];
        w[..b.len()].copy_from_slice(b);
        let v = u64::from_le_bytes(w);
        return Ok(match t {
            0 | 2 | 4 | 10 => v.to_string(),
            1 => (v as u8 as i8).to_string(),
            3 => (v as u16 as i16).to_string(),
            5 => (v as u32 as i32).to_string(),
            11 => (v as i64).to_string(),
            6 => f32::from_bits(v as u32).to_string(),
            12 => f64::from_bits(v).to_string(),
            _ => (v != 0).to_string(),
        });
    }
    match t {
        8 => {
            let s = c.string(what)?;
            Ok(if s.chars().count() > 120 { format!("{}…", s.chars().take(120).collect::<String>()) } else { s })
        }
        9 if depth < 3 => {
            let inner = c.u32(what)?;
            let n = c.u64(what)?;
            if n > c.file {
                return Err(Error::Invalid(msg!(gg_array_long, clip(key), n)));
            }
            match scalar_size(inner) {
                // Fixed-size items: skip them in one step.
                Some(size) => {
                    c.take(n.checked_mul(size).ok_or(msg!(gg_array_overflow))?, what)?;
                }
                None => {
                    for _ in 0..n {
                        value(c, inner, key, depth + 1)?;
                    }
                }
            }
            Ok(format!("array[{n}]"))
        }
        9 => Err(Error::Invalid(msg!(gg_nested, clip(key)))),
        _ => Err(Error::Invalid(msg!(gg_value_type, clip(key), t))),
    }
}

pub fn parse(prefix: &[u8], file_bytes: u64) -> Result<Listing, Error> {
    let mut c = Cursor { b: prefix, pos: 0, file: file_bytes };
    c.take(4, &msg!(w_magic))?;
    let version = c.u32(&msg!(w_version))?;
    if !(2..=3).contains(&version) {
        return Err(Error::Invalid(msg!(gg_version, version)));
    }
    let n_tensors = c.u64(&msg!(w_tensor_count))?;
    if n_tensors > MAX_TENSORS {
        return Err(Error::Invalid(msg!(gg_tensor_count, n_tensors, MAX_TENSORS)));
    }
    let n_kv = c.u64(&msg!(w_kv_count))?;
    if n_kv > MAX_KVS {
        return Err(Error::Invalid(msg!(gg_kv_count, n_kv, MAX_KVS)));
    }
    let mut metadata = Vec::new();
    let mut alignment = 32u64;
    for _ in 0..n_kv {
        let key = c.string(&msg!(w_key))?;
        let t = c.u32(&Msg::from(&key))?;
        let v = value(&mut c, t, &key, 0)?;
        if key == "general.alignment" {
            alignment =
                v.parse().ok().filter(|a: &u64| a.is_power_of_two()).ok_or_else(|| msg!(gg_alignment, v.clone()))?;
        }
        metadata.push((key, v));
    }
    let mut infos = Vec::new();
    for _ in 0..n_tensors {
        let name = c.string(&msg!(w_tensor_name))?;
        let what = &Msg::from(&name);
        let n_dims = c.u32(what)?;
        if n_dims > MAX_GGML_DIMS {
            return Err(Error::Invalid(msg!(gg_dims, clip(&name), n_dims)));
        }
        let mut dims = Vec::new();
        for _ in 0..n_dims {
            dims.push(c.u64(what)?);
        }
        let t = c.u32(what)?;
        let offset = c.u64(what)?;
        infos.push((name, dims, t, offset));
    }
    let data_start = c.pos.div_ceil(alignment) * alignment;
    let mut tensors = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (name, dims, t, offset) in infos {
        if !names.insert(name.clone()) {
            return Err(Error::Invalid(msg!(tensor_twice, clip(&name))));
        }
        let (tname, elems, block, decode) = ggml_type(t).ok_or_else(|| msg!(gg_type, clip(&name), t))?;
        let shape: Vec<u64> = dims.iter().rev().copied().collect();
        let count = element_count(&name, &shape)?;
        let row = dims.first().copied().unwrap_or(1);
        if row % elems != 0 {
            return Err(Error::Invalid(msg!(gg_blocks, clip(&name), row, tname, elems)));
        }
        let bytes = count / elems * block;
        let start = data_start.checked_add(offset).ok_or(msg!(gg_offset_overflow))?;
        if start.checked_add(bytes).is_none_or(|end| end > file_bytes) {
            return Err(Error::Invalid(msg!(gg_past_end, clip(&name), bytes, start, file_bytes)));
        }
        tensors.push(Entry { name, dtype: tname.to_string(), shape, offset: start, bytes, decode });
    }
    Ok(Listing { kind: Kind::Gguf, version: Some(version), tensors, metadata, header_bytes: data_start, file_bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u64).to_le_bytes());
        out.extend(s.as_bytes());
    }

    /// A v3 file by hand: two key-values, one Q8_0 tensor of 2 rows × 32 (dims stored 32, 2).
    fn tiny() -> Vec<u8> {
        let mut f = b"GGUF".to_vec();
        f.extend(3u32.to_le_bytes());
        f.extend(1u64.to_le_bytes());
        f.extend(2u64.to_le_bytes());
        string(&mut f, "general.name");
        f.extend(8u32.to_le_bytes());
        string(&mut f, "tiny");
        string(&mut f, "tokenizer.ggml.scores");
        f.extend(9u32.to_le_bytes());
        f.extend(6u32.to_le_bytes());
        f.extend(3u64.to_le_bytes());
        f.extend([0u8; 12]);
        string(&mut f, "blk.0.attn_q.weight");
        f.extend(2u32.to_le_bytes());
        f.extend(32u64.to_le_bytes());
        f.extend(2u64.to_le_bytes());
        f.extend(8u32.to_le_bytes());
        f.extend(0u64.to_le_bytes());
        f.resize(f.len().div_ceil(32) * 32 + 68, 0);
        f
    }

    #[test]
    fn reads_a_tiny_file_and_asks_for_more_when_short() {
        let f = tiny();
        let l = parse(&f, f.len() as u64).unwrap();
        assert_eq!(l.version, Some(3));
        assert_eq!(l.metadata[0], ("general.name".to_string(), "tiny".to_string()));
        assert_eq!(l.metadata[1].1, "array[3]");
        let t = &l.tensors[0];
        assert_eq!((t.dtype.as_str(), t.shape.clone(), t.bytes, t.row()), ("Q8_0", vec![2, 32], 68, 32));
        assert_eq!(t.offset, f.len() as u64 - 68);
        assert_eq!(t.offset % 32, 0);
        assert!(matches!(parse(&f[..30], f.len() as u64), Err(Error::NeedBytes(n)) if n > 30));
        // Cut inside the key-values: broken, not "read more".
        assert!(matches!(parse(&f[..40], 40), Err(Error::Invalid(m)) if m.contains("ends inside its header")));
        let mut v1 = f.clone();
        v1[4] = 1;
        assert!(matches!(parse(&v1, f.len() as u64), Err(Error::Invalid(m)) if m.contains("version 1")));
        let mut bad_type = f.clone();
        let at = f.len() - 68 - 32 - 12;
        let pos = (0..f.len()).rev().find(|&i| i <= at + 12 && f[i..].starts_with(&8u32.to_le_bytes())).unwrap();
        bad_type[pos..pos + 4].copy_from_slice(&999u32.to_le_bytes());
        assert!(matches!(parse(&bad_type, f.len() as u64), Err(Error::Invalid(m)) if m.contains("type 999")));
        assert!(matches!(parse(&f, f.len() as u64 - 1), Err(Error::Invalid(m)) if m.contains("past the end")));
    }

    /// Every ggml type the catalogue holds is decoded by a kernel with the block layout the
    /// reader assumes, and every ggml format of the catalogue is a GGUF type.
    #[test]
    fn every_catalogue_ggml_type_has_a_dequantizer() {
        for (id, block) in TYPES {
            let (name, elems, bytes, decode) = ggml_type(*id).unwrap();
            match (block, decode) {
                (_, Decode::Kernel(k)) => {
                    let got = quant::dequantizer_layout(&k).unwrap_or_else(|| panic!("{name} ({id}): no kernel {k}"));
                    let layout = quant::Layout::Blocks { elems: elems as usize, bytes: bytes as usize };
                    assert_eq!(got, layout, "{name} ({id}): the kernel's layout is not the type's");
                }
                (Block::Format(f), Decode::No) => panic!("{name} ({id}): catalogue format {} has no dequantizer", f.id),
                _ => {}
            }
        }
        use crate::core::catalog::format::Family;
        let ggml = [Family::GgmlLegacy, Family::GgmlK, Family::GgmlI, Family::GgmlTernary];
        for f in format::FORMATS.iter().filter(|f| ggml.contains(&f.family)) {
            let listed = TYPES.iter().any(|(_, b)| matches!(b, Block::Format(g) if g.id == f.id));
            assert!(listed, "{}: a ggml format with no GGUF type", f.id);
        }
    }
}
