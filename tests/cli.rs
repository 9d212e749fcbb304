//! The `bitbudget` command line: quantize / dequantize reproduce every fixture through files,
//! and bad input gets a clear message and a failing exit code.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/fixtures.rs"]
mod fixtures;

use std::path::{Path, PathBuf};
use std::process::Command;

use bitbudget::core::files::npy;
use bitbudget::core::kernels::quant::kernels;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bitbudget"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bitbudget-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_cli_reproduces_every_fixture() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for k in kernels() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{}.fix", k.id));
        let Ok(bytes) = std::fs::read(&path) else {
            failures.push(format!("{}: no fixture", k.id));
            continue;
        };
        for case in fixtures::parse(&bytes) {
            let shape = [(case.input.len() / case.row) as u64, case.row as u64];
            let (x, q, y) = (tmp(&format!("{}-{}.npy", k.id, case.name)), tmp("q.bin"), tmp("y.npy"));
            std::fs::write(&x, npy::write_f32(&shape, &case.input)).unwrap();
            let run = |args: &[&str]| bin().args(args).output().unwrap();
            let o = run(&["quantize", "--format", k.id, "--in", x.to_str().unwrap(), "--out", q.to_str().unwrap()]);
            if !o.status.success() {
                failures.push(format!(
                    "{} / {}: quantize failed: {}",
                    k.id,
                    case.name,
                    String::from_utf8_lossy(&o.stderr)
                ));
                continue;
            }
            if std::fs::read(&q).unwrap() != case.quant {
                failures.push(format!("{} / {}: quantized file differs from the fixture", k.id, case.name));
            }
            let shape_arg = format!("{},{}", shape[0], shape[1]);
            let o = run(&[
                "dequantize",
                "--format",
                k.id,
                "--in",
                q.to_str().unwrap(),
                "--out",
                y.to_str().unwrap(),
                "--shape",
                &shape_arg,
            ]);
            if !o.status.success() {
                failures.push(format!(
                    "{} / {}: dequantize failed: {}",
                    k.id,
                    case.name,
                    String::from_utf8_lossy(&o.stderr)
                ));
                continue;
            }
            let (h, back) = npy::read(&std::fs::read(&y).unwrap()).unwrap();
            assert_eq!(h.shape, shape.to_vec());
            if back.iter().zip(&case.dequant).any(|(a, b)| !fixtures::same_f32(*a, *b)) {
                failures.push(format!("{} / {}: dequantized file differs from the fixture", k.id, case.name));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= kernels().len());
}

#[test]
fn bad_input_is_refused_clearly() {
    let x = tmp("bad.npy");
    std::fs::write(&x, b"not numpy at all").unwrap();
    let out = tmp("out.bin");
    let o = bin()
        .args(["quantize", "--format", "q8_0", "--in", x.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a .npy file"));
    let o = bin().args(["quantize", "--format", "q9_9", "--in", "x", "--out", "y"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format “q9_9”"));
    std::fs::write(&x, npy::write_f32(&[3, 10], &[0.5; 30])).unwrap();
    let o = bin()
        .args(["quantize", "--format", "q8_0", "--in", x.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("multiple of 32"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(&out, [0u8; 35]).unwrap();
    let o = bin()
        .args(["dequantize", "--format", "q8_0", "--in", out.to_str().unwrap(), "--out", x.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("not whole 34-byte blocks"));
    let o = bin()
        .args(["dequantize", "--format", "int8", "--in", out.to_str().unwrap(), "--out", x.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("--shape"));
}

fn files_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/files")
}

/// quant-stats over a GGUF fixture: one JSON line per tensor and format; Q8_0 data quantized
/// again as Q8_0 comes back exact; rows of 64 cannot take 256-element K-quant blocks.
#[test]
fn quant_stats_reads_a_gguf_file() {
    let out = bin()
        .args(["quant-stats", "--json", "--formats", "q8_0,q4_k", "--tensor", "ffn_down|attn_q"])
        .arg(files_dir().join("small_v3.gguf"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    let find = |t: &str, f: &str| lines.iter().find(|l| l["tensor"] == t && l["format"] == f).unwrap().clone();
    assert_eq!(find("blk.0.ffn_down.weight", "q8_0")["sqnr_db"], "inf");
    let q = find("blk.0.attn_q.weight", "q8_0");
    assert!(q["sqnr_db"].as_f64().unwrap() > 35.0 && q["bpw"] == 8.5, "{q}");
    assert!(find("blk.0.attn_q.weight", "q4_k")["error"].as_str().unwrap().contains("multiple of 256"));
    let table = bin().args(["quant-stats"]).arg(files_dir().join("small.safetensors")).output().unwrap();
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout)
        .lines()
        .any(|l| l.starts_with("lm_head.weight") && l.contains("q8_0")));
}

#[test]
fn quant_stats_names_what_is_wrong_with_a_file() {
    for (file, want) in [
        ("bad_safetensors_duplicate_name.safetensors", "appears twice"),
        ("bad_gguf_tensor_count.gguf", "tensors (at most"),
        ("bad_npy_truncated.npy", "truncated"),
    ] {
        let out = bin().args(["quant-stats"]).arg(files_dir().join(file)).output().unwrap();
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(want),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = bin().args(["quant-stats", "--tensor", "("]).arg(files_dir().join("small.safetensors")).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--tensor"));
}
