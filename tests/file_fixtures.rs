//! The tensor-file parsers against the fixtures made by PyPI safetensors, gguf and numpy
//! (`scripts/fixtures/files_gen.sh`): every valid file lists the same tensors at the same
//! offsets and decodes to the same values; every broken file gives a message naming the fault;
//! and the header is read lazily.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bitbudget::core::files::{decode, parse, read_listing, Error};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/files")
}

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join("manifest.json")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

/// What each broken fixture's message must say.
fn expected(kind: &str, error_kind: &str) -> &'static str {
    match (kind, error_kind) {
        (_, "bad_magic") => "not a safetensors, GGUF or .npy file",
        ("safetensors", "truncated" | "past_end") | ("gguf", "past_end") => "past the end of the file",
        ("gguf", "truncated") => "ends inside its header",
        ("npy", "truncated") => "truncated",
        (_, "header_length") => "the file has only",
        (_, "dims_overflow") => "overflows",
        ("npy", "unknown_dtype") => "not supported",
        (_, "unknown_dtype" | "unknown_type") => "unknown here",
        (_, "not_utf8") => "not UTF-8",
        (_, "duplicate_name") => "appears twice",
        (_, "overlap") => "overlap",
        (_, "not_json") => "not valid JSON",
        (_, "size_mismatch") => "needs",
        (_, "tensor_count") => "tensors (at most",
        (_, "kv_count") => "key-values (at most",
        (_, "string_length") => "longer than the file",
        (_, "bad_version") => "version",
        other => panic!("no expectation for {other:?}"),
    }
}

#[test]
fn every_fixture_parses_as_the_reference_libraries_say() {
    let m = manifest();
    assert!(m.len() >= 29);
    for f in &m {
        let name = f["file"].as_str().unwrap();
        let bytes = std::fs::read(dir().join(name)).unwrap();
        let got = parse(&bytes, bytes.len() as u64);
        if !f["ok"].as_bool().unwrap() {
            let want = expected(f["kind"].as_str().unwrap(), f["error_kind"].as_str().unwrap());
            match got {
                Err(Error::Invalid(msg)) => assert!(msg.contains(want), "{name}: “{msg}” lacks “{want}”"),
                other => panic!("{name}: expected an error, got {other:?}"),
            }
            continue;
        }
        let l = got.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let tensors = f["tensors"].as_array().unwrap();
        assert_eq!(l.tensors.len(), tensors.len(), "{name}");
        for (t, want) in l.tensors.iter().zip(tensors) {
            let shape: Vec<u64> = want["shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            if f["kind"] != "npy" {
                assert_eq!(t.name, want["name"].as_str().unwrap(), "{name}");
            }
            assert_eq!(
                t.dtype.to_ascii_uppercase().replace("<F4", "F32").replace("<F2", "F16"),
                want["dtype"]
                    .as_str()
                    .unwrap()
                    .to_ascii_uppercase()
                    .replace("FLOAT32", "F32")
                    .replace("FLOAT16", "F16"),
                "{name} {}",
                t.name
            );
            assert_eq!(t.shape, shape, "{name} {}", t.name);
            assert_eq!(t.offset, want["offset"].as_u64().unwrap(), "{name} {}", t.name);
            assert_eq!(t.bytes, want["bytes"].as_u64().unwrap(), "{name} {}", t.name);
            let x = decode(t, &bytes[t.offset as usize..(t.offset + t.bytes) as usize]).unwrap();
            assert_eq!(x.len() as u64, want["count"].as_u64().unwrap());
            let sum: f64 = x.iter().map(|v| f64::from(*v)).sum();
            let want_sum = want["sum"].as_f64().unwrap();
            let scale = want["sum_abs"].as_f64().unwrap().max(1e-30);
            assert!((sum - want_sum).abs() / scale < 1e-6, "{name} {}: sum {sum} vs {want_sum}", t.name);
            for (a, b) in x.iter().zip(want["first"].as_array().unwrap()) {
                // As f32: serde_json parses decimals to the nearest f64 only within an ulp.
                assert_eq!(*a, b.as_f64().unwrap() as f32, "{name} {}", t.name);
            }
        }
        if let Some(meta) = f["metadata"].as_object() {
            for (k, v) in meta {
                let got = l.metadata.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
                assert_eq!(got, v.as_str(), "{name}: metadata {k}");
            }
        }
    }
}

/// Only the header is read: a safetensors header of a few KB over a 1 GiB file that does not
/// exist beyond it.
#[test]
fn headers_are_read_lazily() {
    let bytes = std::fs::read(dir().join("small_v3.gguf")).unwrap();
    let mut asked = 0u64;
    let l = read_listing(bytes.len() as u64, &mut |o, n| {
        asked += n;
        Ok(bytes[o as usize..(o + n) as usize].to_vec())
    })
    .unwrap();
    assert!(asked <= bytes.len() as u64 && l.tensors.len() == 6);
    let header = r#"{"w":{"dtype":"BF16","shape":[16384,32768],"data_offsets":[0,1073741824]}}"#;
    let mut head = (header.len() as u64).to_le_bytes().to_vec();
    head.extend(header.as_bytes());
    let size = head.len() as u64 + (1 << 30);
    let mut asked = 0u64;
    let l = read_listing(size, &mut |o, n| {
        asked += n;
        let mut out = vec![0u8; n as usize];
        for (i, b) in out.iter_mut().enumerate() {
            *b = head.get(o as usize + i).copied().unwrap_or(0);
        }
        Ok(out)
    })
    .unwrap();
    assert_eq!(l.tensors[0].elements(), 1 << 29);
    assert!(asked <= 1 << 16, "read {asked} bytes to list a 1 GiB file");
}
