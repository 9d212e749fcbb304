//! safetensors: an 8-byte little-endian header length N, N bytes of JSON
//! (`{"name": {"dtype", "shape", "data_offsets": [start, end]}, …, "__metadata__": {…}}`), then
//! the data, offsets relative to its start.
//!
//! The JSON is read with serde_json through a map visitor that keeps duplicate names (the
//! `safetensors` crate deserialises into a map and would keep only the last), and checked here
//! against the file's size from the header alone, without the data (the crate's reader wants
//! the whole file in memory).

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::core::text::units::clip;
use crate::msg;

use super::{element_count, Decode, Entry, Error, Kind, Listing, MAX_HEADER_BYTES, MAX_TENSORS};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Info {
    dtype: String,
    shape: Vec<u64>,
    data_offsets: [u64; 2],
}

enum Item {
    Tensor(String, Info),
    Metadata(Vec<(String, String)>),
}

struct Items(Vec<Item>);

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Items, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Items;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object of tensors")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Items, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = m.next_key::<String>()? {
                    if out.len() as u64 >= MAX_TENSORS {
                        // Inside serde_json's own (English) message, as the line below.
                        return Err(de::Error::custom(format!("more than {MAX_TENSORS} tensors")));
                    }
                    if key == "__metadata__" {
                        let meta: std::collections::BTreeMap<String, String> = m.next_value()?;
                        out.push(Item::Metadata(meta.into_iter().collect()));
                    } else {
                        let info: Info =
                            m.next_value().map_err(|e| de::Error::custom(format!("tensor “{}”: {e}", clip(&key))))?;
                        out.push(Item::Tensor(key, info));
                    }
                }
                Ok(Items(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Bytes per element of each safetensors dtype, and how it decodes.
fn dtype(name: &str) -> Option<(u64, Decode)> {
    Some(match name {
        "F32" => (4, Decode::F32),
        "F16" => (2, Decode::F16),
        "BF16" => (2, Decode::Bf16),
        "F64" => (8, Decode::F64),
        "F8_E4M3" => (1, Decode::F8E4M3),
        "F8_E5M2" => (1, Decode::F8E5M2),
        "BOOL" | "U8" | "I8" | "F8_E8M0" => (1, Decode::No),
        "I16" | "U16" => (2, Decode::No),
        "I32" | "U32" => (4, Decode::No),
        "I64" | "U64" => (8, Decode::No),
        _ => return None,
    })
}

pub fn parse(prefix: &[u8], file_bytes: u64) -> Result<Listing, Error> {
    if file_bytes < 8 {
        return Err(Error::Invalid(msg!(st_short, file_bytes)));
    }
    let Some(len) = prefix.get(..9) else { return Err(Error::NeedBytes(9.min(file_bytes))) };
    if len[8] != b'{' {
        return Err(Error::Invalid(msg!(st_unknown)));
    }
    let n = u64::from_le_bytes(len[..8].try_into().unwrap_or([0; 8]));
    if n > MAX_HEADER_BYTES {
        return Err(Error::Invalid(msg!(st_header_limit, n, MAX_HEADER_BYTES)));
    }
    if 8 + n > file_bytes {
        return Err(Error::Invalid(msg!(st_header_len, n, file_bytes - 8)));
    }
    let Some(header) = prefix.get(8..(8 + n) as usize) else { return Err(Error::NeedBytes(8 + n)) };
    let text = std::str::from_utf8(header).map_err(|e| msg!(st_utf8, 8 + e.valid_up_to()))?;
    let items: Items = serde_json::from_str(text).map_err(|e| msg!(st_json, e.to_string()))?;
    let data_start = 8 + n;
    let data_len = file_bytes - data_start;
    let mut metadata = Vec::new();
    let mut tensors: Vec<Entry> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in items.0 {
        let (name, info) = match item {
            Item::Metadata(m) => {
                metadata = m;
                continue;
            }
            Item::Tensor(name, info) => (name, info),
        };
        if !seen.insert(name.clone()) {
            return Err(Error::Invalid(msg!(tensor_twice, clip(&name))));
        }
        let (size, decode) = dtype(&info.dtype).ok_or_else(|| msg!(st_dtype, clip(&name), clip(&info.dtype)))?;
        let count = element_count(&name, &info.shape)?;
        let [start, end] = info.data_offsets;
        if start > end {
            return Err(Error::Invalid(msg!(st_offsets, clip(&name), start, end)));
        }
        if end - start != count * size {
            let shape = format!("{:?}", info.shape);
            return Err(Error::Invalid(msg!(st_span, clip(&name), end - start, shape, &info.dtype, count * size)));
        }
        if end > data_len {
            return Err(Error::Invalid(msg!(st_past_end, clip(&name), end, data_len)));
        }
        tensors.push(Entry {
            name,
            dtype: info.dtype,
            shape: info.shape,
            offset: data_start + start,
            bytes: end - start,
            decode,
        });
    }
    tensors.sort_by_key(|t| (t.offset, t.bytes));
    for w in tensors.windows(2) {
        if w[0].offset + w[0].bytes > w[1].offset {
            return Err(Error::Invalid(msg!(st_overlap, clip(&w[0].name), clip(&w[1].name))));
        }
    }
    Ok(Listing { kind: Kind::Safetensors, version: None, tensors, metadata, header_bytes: data_start, file_bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(header: &str, data: usize) -> Vec<u8> {
        let mut out = (header.len() as u64).to_le_bytes().to_vec();
        out.extend_from_slice(header.as_bytes());
        out.resize(out.len() + data, 0);
        out
    }

    #[test]
    fn reads_a_header_and_asks_for_more_when_short() {
        let f = file(
            r#"{"b":{"dtype":"F16","shape":[2,3],"data_offsets":[16,28]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"__metadata__":{"format":"pt"}}"#,
            28,
        );
        let l = parse(&f, f.len() as u64).unwrap();
        assert_eq!(l.tensors.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let hl = f.len() as u64 - 28;
        assert_eq!((l.tensors[1].offset, l.tensors[1].bytes, l.tensors[1].row()), (hl + 16, 12, 3));
        assert_eq!(l.metadata, vec![("format".to_string(), "pt".to_string())]);
        assert_eq!(parse(&f[..20], f.len() as u64), Err(Error::NeedBytes(hl)));
        assert_eq!(parse(&f[..4], f.len() as u64), Err(Error::NeedBytes(9)));
    }

    #[test]
    fn names_what_is_wrong() {
        let msg = |h: &str, data: usize| match parse(&file(h, data), file(h, data).len() as u64) {
            Err(Error::Invalid(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8).contains("appears twice"));
        assert!(msg(r#"{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#, 16).contains("unknown"));
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}}"#, 16)
            .contains("overflows"));
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12).contains("overlap"));
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 8).contains("past the end"));
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, 16).contains("needs 12"));
        assert!(msg(r#"{"a": [1, 2"#, 0).contains("not valid JSON"));
        assert!(msg(r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}"#, 4).contains("unknown field"));
        let mut bad = file(r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 4);
        bad[12] = 0xFF;
        assert!(matches!(parse(&bad, bad.len() as u64), Err(Error::Invalid(m)) if m.contains("UTF-8")));
        let mut lying = file("{}", 0);
        lying[..8].copy_from_slice(&1000u64.to_le_bytes());
        assert!(matches!(parse(b"hello world", 11), Err(Error::Invalid(m)) if m.contains("not a safetensors")));
        assert!(matches!(parse(&lying, lying.len() as u64), Err(Error::Invalid(m)) if m.contains("only")));
        lying[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(parse(&lying, lying.len() as u64), Err(Error::Invalid(m)) if m.contains("limit")));
    }
}
