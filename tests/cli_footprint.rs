//! `bitbudget footprint | compare | best | link`: the page's core on the command line. The CLI's
//! output is compared with the core's own report of the same link, and the bytes with hand
//! calculations.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use bitbudget::core::state::scenario::Scenario;
use bitbudget::core::view::export;
use bitbudget::core::view::report;
use serde_json::Value;

fn run(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_bitbudget")).args(args).output().unwrap();
    (o.status.success(), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

fn ok(args: &[&str]) -> String {
    let (success, out, err) = run(args);
    assert!(success, "{args:?} failed: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// Worked with a fixed 512 MiB runtime (`--runtime 512MiB`, not the modelled default).
#[test]
fn footprint_gives_the_exact_bytes() {
    let v = json(&["footprint", "llama-3.1-8b", "bf16", "--budget", "24GB", "--runtime", "512MiB", "--json"]);
    // Llama-3.1-8B has 8,030,261,248 parameters (its model card); BF16 is 2 bytes each.
    assert_eq!(v["params"], 8_030_261_248u64);
    assert_eq!(v["weights_bytes"], 8_030_261_248u64 * 2);
    // KV cache at the default 8192 tokens in F16: K and V × 32 layers × 8 KV heads × 128 × 2 bytes.
    assert_eq!(v["kv_cache_bytes"], 2 * 32 * 8 * 128 * 8192 * 2u64);
    assert_eq!(v["runtime_bytes"], 512u64 << 20);
    assert_eq!(v["total_bytes"], 16_060_522_496u64 + 1_073_741_824 + 536_870_912);
    assert_eq!(v["fits"], true);
    let parts: u64 = v["breakdown_bytes"].as_object().unwrap().values().map(|b| b.as_u64().unwrap()).sum();
    assert_eq!(parts, v["total_bytes"].as_u64().unwrap());
    assert_eq!(v["bits_per_param"], 16.0);

    let text = ok(&["footprint", "llama-3.1-70b", "q4_k_m", "--budget", "rtx-4090"]);
    for line in ["Weights            42.51 GB", "Fits               Does not fit", "16-bit equivalent  ≈ 60.4B"] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
    assert!(text.contains("needs 2 × RTX 4090"), "{text}");
    assert!(text.contains("  FFN "), "{text}");
}

#[test]
fn footprint_in_training_mode() {
    let v =
        json(&["footprint", "7B", "bf16", "--mode", "train", "--optimizer", "adam32", "--method", "full", "--json"]);
    // Full fine-tuning, FP32 Adam: FP32 weights, FP32 gradients, two FP32 moments.
    assert_eq!(v["weights_bytes"], 7_000_000_000u64 * 4);
    assert_eq!(v["grads_optimizer_bytes"], 7_000_000_000u64 * 12);
    assert!(v.get("predicted_loss").is_none());
}

/// The CLI and the page's core on the same scenarios: `link` gives the page's link, the core
/// reads it as the page does, and `compare` must print what the core's export of it holds.
#[test]
fn compare_prints_what_the_page_core_computes_for_the_same_link() {
    let scenarios: [&[&str]; 6] = [
        &["llama-3.1-70b@q4_k_m", "llama-3.1-8b@bf16"],
        &["70B@q4_k_m", "8B@bf16", "--budget", "24GB", "--ctx", "32768", "--kv", "q8_0"],
        &["qwen3-30b-a3b@q5_k_m", "deepseek-v3@q2_k", "--budget", "h200", "--batch", "4", "--law", "hoffmann"],
        &["llama-7b@f16", "llama-13b@q4_k_m", "--tokens", "1T", "--runtime", "10%"],
        &["bert-large@int8", "mistral-7b@nf4", "--budget", "mac-16gb"],
        &["llama-3.1-8b@bf16", "--mode", "train", "--method", "qlora", "--zero", "2", "--gpus", "4"],
    ];
    for args in scenarios {
        let link = ok(&[&["link"], args].concat());
        let fragment = link.trim().split_once('#').unwrap().1.to_string();
        let (s, notices) = Scenario::decode(&fragment);
        assert!(notices.is_empty(), "{link}: {notices:?}");
        assert_eq!(s.encode(), fragment, "the link is the page's own encoding");
        let table = export::results(&report::build(&s, &[]));
        let expected: Value = serde_json::from_str(&table.json()).unwrap();
        assert_eq!(json(&[&["compare"], args, &["--json"]].concat()), expected, "{args:?}");
        assert_eq!(ok(&[&["compare"], args, &["--csv"]].concat()), table.csv(), "{args:?}");
        let md = ok(&[&["compare"], args, &["--markdown"]].concat());
        assert_eq!(md, table.markdown(), "{args:?}");
    }
}

#[test]
fn compare_shows_bytes_fits_loss_and_the_16_bit_equivalent() {
    let out = ok(&["compare", "70B@q4_k_m", "8B@bf16", "--budget", "24GB"]);
    let lines: Vec<&str> = out.lines().collect();
    for h in ["Total", "Fits", "Predicted loss", "16-bit equivalent"] {
        assert!(lines[0].contains(h), "{h}: {}", lines[0]);
    }
    assert!(lines[1].contains("70B parameters @ Q4_K_M") && lines[1].contains("Does not fit"), "{out}");
    assert!(lines[2].contains("8B parameters @ BF16") && lines[2].contains("16.00 GB"), "{out}");
    assert!(out.contains("[1] Estimate: a raw count takes"), "{out}");
}

#[test]
fn best_picks_each_models_lowest_loss_format_that_fits() {
    let v = json(&["best", "--budget", "24GB", "--candidates", "8B,13B,70B", "--json"]);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let loss: Vec<f64> = rows.iter().map(|r| r["predicted_loss"].as_f64().unwrap()).collect();
    assert!(loss.windows(2).all(|w| w[0] <= w[1]), "best first: {loss:?}");
    assert!(rows.iter().all(|r| r["fits"] == true && r["total_bytes"].as_u64().unwrap() <= 24_000_000_000));
    // Each row beats every other format of its model that fits: checked against compare.
    for r in rows {
        let title = r["configuration"].as_str().unwrap();
        let (count, _) = title.split_once(" parameters").unwrap();
        for f in ["q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k", "bf16", "iq4_xs"] {
            let c = json(&["compare", &format!("{count}@{f}"), "--budget", "24GB", "--json"]);
            if c[0]["fits"] == true {
                assert!(
                    c[0]["predicted_loss"].as_f64().unwrap() >= r["predicted_loss"].as_f64().unwrap(),
                    "{title} vs {f}"
                );
            }
        }
    }
    let presets = ok(&["best", "--budget", "rtx-4090", "--limit", "3"]);
    assert_eq!(presets.lines().count(), 5, "title, header, 3 rows:\n{presets}");
    assert!(presets.starts_with("Best for RTX 4090 24 GB"), "{presets}");
    let (success, _, err) = run(&["best", "--budget", "1GB", "--candidates", "70B"]);
    assert!(!success);
    assert!(err.contains("nothing fits 1 GB"), "{err}");
}

/// The link writes the runtime: the modelled llama.cpp default, or a size given.
#[test]
fn link_is_the_pages_link() {
    let out = ok(&["link", "llama-3.1-70b@q4_k_m", "llama-3.1-8b@bf16", "--budget", "rtx-4090"]);
    assert_eq!(
        out.trim(),
        "http://127.0.0.1:8080/#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&ctx=8192&batch=1&kv=f16&budget=rtx-4090&rt=llama.cpp"
    );
    let out = ok(&["link", "llama-3.1-70b@q4_k_m", "llama-3.1-8b@bf16", "--budget", "rtx-4090", "--runtime", "512MiB"]);
    assert_eq!(
        out.trim(),
        "http://127.0.0.1:8080/#v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&ctx=8192&batch=1&kv=f16&budget=rtx-4090&rt=512MiB"
    );
    let out = ok(&["link", "7B@nf4", "--base", "https://example.org/bb/", "--mode", "train", "--method", "lora"]);
    assert!(out.starts_with("https://example.org/bb/#v=1&m=7B@nf4&"), "{out}");
    assert!(out.contains("&mode=train&method=lora&"), "{out}");
}

#[test]
fn bad_input_gets_the_pages_message_and_a_failing_exit() {
    let cases: [(&[&str], &str); 9] = [
        (&["compare", "7B"], "is not MODEL@FORMAT"),
        (&["compare", "7B@q9"], "“q9” is not a known format"),
        (&["compare", "7B@q4_0&budget=1TB"], "“q4_0&budget=1TB” is not a known format"),
        (&["compare", "7B@q4_0", "--ctx", "0"], "Context “0” is not a whole number"),
        (&["footprint", "NaN", "q4_0"], "“NaN” is neither a model preset nor a parameter count"),
        (&["footprint", "1e30", "q4_0"], "more than 100T parameters"),
        (&["footprint", "7B", "q4_0", "--budget=-5GB"], "budget"),
        (&["link", "7B@q4_0", "--zero", "2"], "add --mode train"),
        (
            &["compare", "1B@f16", "2B@f16", "3B@f16", "4B@f16", "5B@f16", "6B@f16", "7B@f16", "8B@f16", "9B@f16"],
            "1 to 8",
        ),
    ];
    for (args, message) in cases {
        let (success, out, err) = run(args);
        assert!(!success, "{args:?} succeeded: {out}");
        assert!(err.to_lowercase().contains(&message.to_lowercase()), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("using BF16"), "{args:?}: {err}");
    }
}

fn fixture(id: &str) -> String {
    format!("{}/tests/fixtures/configs/{id}/config.json", env!("CARGO_MANIFEST_DIR"))
}

/// `bitbudget footprint <path>/config.json bf16`: the model its config.json describes, with
/// what was read, assumed and left out.
#[test]
fn footprint_of_a_config_json() {
    let v = json(&["footprint", &fixture("llama-3.1-8b"), "bf16", "--json"]);
    // Llama-3.1-8B's 8,030,261,248 parameters, 2 bytes each; the KV cache at 8,192 tokens.
    assert_eq!(v["params"], 8_030_261_248u64);
    assert_eq!(v["weights_bytes"], 8_030_261_248u64 * 2);
    assert_eq!(v["kv_cache_bytes"], 2 * 32 * 8 * 128 * 8192 * 2u64);
    assert_eq!(v["config"]["model_type"], "llama");
    assert_eq!(v["config"]["shipped"], "bf16");
    assert_eq!(v["kv_breakdown"].as_array().unwrap().len(), 1);
    // gpt-oss-20b without a format: the MXFP4 it ships in; 12 full and 12 sliding (128) layers.
    let v = json(&["footprint", &fixture("gpt-oss-20b"), "--json"]);
    assert_eq!(v["config"]["shipped"], "mxfp4");
    assert_eq!(v["params"], 20_914_757_184u64);
    let kv = v["kv_breakdown"].as_array().unwrap();
    assert_eq!((kv[0]["layers"].as_u64(), kv[0]["bytes"].as_u64()), (Some(12), Some(12 * 2048 * 8192)));
    assert_eq!((kv[1]["layers"].as_u64(), kv[1]["bytes"].as_u64()), (Some(12), Some(12 * 2048 * 128)));
    assert_eq!(kv[1]["kind"], "sliding window of 128");
    // The text: where the values came from, and the KV cache per kind of layer.
    let text = ok(&["footprint", &fixture("gemma-3-27b-it"), "bf16"]);
    for line in [
        "(model_type gemma3_text):",
        "text_config.vocab_size not given: 262,208, the default of transformers' Gemma3TextConfig.",
        "Not counted: vision_config",
        "KV cache by layer kind:",
        "sliding window of 1,024     52 layers",
    ] {
        assert!(text.contains(line), "{line} not in\n{text}");
    }
    // The folder holding config.json reads the same.
    let folder = fixture("qwen3-next-80b-a3b").replace("/config.json", "");
    let v = json(&["footprint", &folder, "bf16", "--batch", "2", "--json"]);
    assert_eq!(v["params"], 79_674_391_296u64);
    assert_eq!(v["kv_breakdown"][1]["bytes"], 2 * 36 * 2_195_456u64);
}

/// A config.json in a link: the architecture goes in as `arch-…`, so the page shows the same
/// model without the file.
#[test]
fn a_config_json_goes_into_the_link() {
    let out = ok(&["link", &format!("{}@q4_k_m", fixture("gpt-oss-20b"))]);
    let fragment = out.trim().split_once('#').unwrap().1;
    let (s, notices) = Scenario::decode(fragment);
    assert!(notices.is_empty(), "{notices:?}");
    let bitbudget::core::catalog::model::ModelRef::Custom(a) = s.configs[0].model else { panic!("{fragment}") };
    let read = bitbudget::core::files::config::read_config(&std::fs::read(fixture("gpt-oss-20b")).unwrap()).unwrap();
    assert_eq!(a, read.arch);
    assert!(fragment.contains("-W128x2-O1-X1-P1-R1@q4_k_m"), "{fragment}");
}

/// Bad config files: the message names the field, and the command fails.
#[test]
fn a_bad_config_json_is_refused_by_name() {
    let dir = std::env::temp_dir().join(format!("bitbudget-cli-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read_to_string(fixture("llama-3.1-8b")).unwrap();
    let cases = [
        (
            "wrong-type.json",
            good.replace("\"hidden_size\": 4096", "\"hidden_size\": \"4096\""),
            "hidden_size must be a whole number, not \"4096\".",
        ),
        (
            "negative.json",
            good.replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": -32"),
            "num_hidden_layers = -32 is out of range (1 to 1,000).",
        ),
        ("unknown.json", good.replace("\"llama\"", "\"rwkv7\""), "Unknown architecture “rwkv7” (model_type)"),
        (
            "twice.json",
            good.replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"vocab_size\": 32000"),
            "“vocab_size” is given twice",
        ),
        ("missing.json", good.replace("\"intermediate_size\": 14336,", ""), "intermediate_size is missing."),
        ("huge.json", format!("{{\"pad\": \"{}\"}}", "x".repeat(10 << 20)), "a config.json is a few kilobytes"),
    ];
    for (name, text, message) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (success, out, err) = run(&["footprint", path.to_str().unwrap(), "bf16"]);
        assert!(!success, "{name} succeeded: {out}");
        assert!(err.contains(message) && err.contains(name), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // A config.json whose format the catalogue lacks needs one named.
    let path = dir.join("no-dtype.json");
    std::fs::write(&path, good.replace("\"torch_dtype\": \"bfloat16\",", "")).unwrap();
    let (success, _, err) = run(&["footprint", path.to_str().unwrap()]);
    assert!(!success && err.contains("give one (e.g. bf16)"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--ctx max`: the largest context that fits. Llama-3.1-8B in BF16 with a fixed 512 MiB of
/// runtime (`--runtime 512MiB`) needs 16,597,393,408 bytes before any context and 131,072 a token, so 24 GB holds
/// (24e9 − 16,597,393,408) / 131,072 = 56,477 tokens; 80 GB holds all 131,072 it was trained for.
#[test]
fn footprint_at_the_largest_context() {
    let v = json(&[
        "footprint",
        "llama-3.1-8b",
        "bf16",
        "--ctx",
        "max",
        "--budget",
        "24GB",
        "--runtime",
        "512MiB",
        "--json",
    ]);
    assert_eq!(v["context"], 56_477);
    assert_eq!(v["context_is_max"], true);
    assert_eq!(v["largest_context"]["tokens"], 56_477);
    assert_eq!(v["largest_context"]["capped_by_training"], false);
    assert_eq!(v["kv_cache_bytes"], 56_477u64 * 131_072);
    let v = json(&[
        "footprint",
        "llama-3.1-8b",
        "bf16",
        "--ctx",
        "max",
        "--budget",
        "80GB",
        "--runtime",
        "512MiB",
        "--json",
    ]);
    assert_eq!(
        (v["context"].as_u64(), v["largest_context"]["capped_by_training"].as_bool()),
        (Some(131_072), Some(true))
    );
    // A fixed context still reports the largest that would fit.
    let v = json(&[
        "footprint",
        "llama-3.1-8b",
        "bf16",
        "--ctx",
        "4096",
        "--budget",
        "24GB",
        "--runtime",
        "512MiB",
        "--json",
    ]);
    assert_eq!((v["context"].as_u64(), v["largest_context"]["tokens"].as_u64()), (Some(4096), Some(56_477)));
    let (good, _, err) = run(&["footprint", "llama-3.1-8b", "bf16", "--ctx", "most"]);
    assert!(!good && err.contains("most"), "{err}");
}

/// `--cards 2`: Llama-3.1-70B at Q4_K_M does not fit one RTX 4090 and fits two, tensor-parallel.
#[test]
fn two_cards_tensor_parallel() {
    let one = json(&["compare", "llama-3.1-70b@q4_k_m", "--budget", "rtx-4090", "--json"]);
    let two = json(&["compare", "llama-3.1-70b@q4_k_m", "--budget", "rtx-4090", "--cards", "2", "--json"]);
    assert_eq!((one[0]["fits"].as_bool(), two[0]["fits"].as_bool()), (Some(false), Some(true)), "{two}");
    let (good, _, err) = run(&["compare", "8B@bf16", "--cards", "0"]);
    assert!(!good && err.contains("Cards"), "{err}");
}

/// `--runtime llama.cpp` / `vllm`: the modelled runtime and its parts in the JSON, by hand for
/// Llama-3.1-8B at 8192 tokens; a runtime it cannot read is refused with the link's message.
#[test]
fn footprint_runtime_engines() {
    let mib = 1u64 << 20;
    let v = json(&["footprint", "llama-3.1-8b", "bf16", "--runtime", "llama.cpp", "--json"]);
    let p = &v["runtime_parts"];
    assert_eq!(p["engine"], "llama.cpp");
    // CUDA context 450 MiB; flash attention on, so the logits decide: 128256 · 512 · 4 + 512 · 4096 · 4.
    assert_eq!(p["context_bytes"], 450 * mib);
    assert_eq!(p["compute_bytes"], 128_256 * 512 * 4 + 8 * mib);
    assert_eq!(p["output_bytes"], 128_256 * 4u64);
    // Host inputs: mask 8192 · 512 · 4 = 16 MiB and 8 MiB of input embeddings.
    assert_eq!(p["host_bytes"], 24 * mib);
    assert_eq!(v["runtime_bytes"], 450 * mib + 128_256 * 512 * 4 + 8 * mib + 128_256 * 4);
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("Runtime, llama.cpp (modelled)")));
    let v = json(&["footprint", "llama-3.1-8b", "bf16", "--runtime", "vllm", "--json"]);
    assert_eq!(v["runtime_parts"]["compute_bytes"], 905_969_664u64);
    assert_eq!(v["runtime_parts"]["output_bytes"], 459_669_504u64);
    // The default runtime is llama.cpp's: the same parts without `--runtime`; a fixed size has none.
    let default = json(&["footprint", "llama-3.1-8b", "bf16", "--json"]);
    assert_eq!(
        default["runtime_parts"],
        json(&["footprint", "llama-3.1-8b", "bf16", "--runtime", "llama.cpp", "--json"])["runtime_parts"]
    );
    assert_eq!(default["runtime_bytes"], 450 * mib + 128_256 * 512 * 4 + 8 * mib + 128_256 * 4);
    assert_eq!(
        json(&["footprint", "llama-3.1-8b", "bf16", "--runtime", "512MiB", "--json"])["runtime_parts"],
        Value::Null
    );
    let (success, _, err) = run(&["footprint", "llama-3.1-8b", "bf16", "--runtime", "tgi"]);
    assert!(!success && err.contains("tgi"), "{err}");
}

/// `--ram` and `--split`: Llama-3.1-70B at Q4_K_M on one RTX 4090 with 64 GB of RAM, the split
/// llama.cpp's `--fit` makes (-ngl 43: the output layer and 42 of 80 layers on the GPU, 1 GiB
/// left free), its decode bound and where the bytes
/// sit, in the JSON; `-ngl 40` as given; `--cards 2:pp` by layers; bad values refused. Worked
/// with a fixed 512 MiB runtime (`--runtime 512MiB`).
#[test]
fn ram_and_split() {
    let v = json(&[
        "footprint",
        "llama-3.1-70b",
        "q4_k_m",
        "--budget",
        "rtx-4090",
        "--ram",
        "64GB",
        "--runtime",
        "512MiB",
        "--json",
    ]);
    assert_eq!(v["fits"], true, "{v}");
    assert_eq!(v["verdict"], "Fits with 38 of 80 layers in RAM, ≤ 4.2 tok/s");
    let p = &v["placement"];
    assert_eq!((p["ngl"].as_u64(), p["ram_layers"].as_u64(), p["layers"].as_u64()), (Some(43), Some(38), Some(80)));
    assert_eq!((p["gpu_layers"].as_u64(), p["output_on_gpu"].as_bool()), (Some(42), Some(true)));
    let (card, ram) = (p["card_bytes"][0].as_u64().unwrap(), p["ram_bytes"].as_u64().unwrap());
    assert!(card + (1 << 30) <= 25_757_220_864 && ram <= 64_000_000_000);
    assert_eq!(card + ram, v["total_bytes"].as_u64().unwrap(), "every byte is somewhere");
    let (g, r) = (p["gpu_read_bytes_per_token"].as_f64().unwrap(), p["ram_read_bytes_per_token"].as_f64().unwrap());
    let tps = p["decode_tokens_per_second_max"].as_f64().unwrap();
    assert!((tps - 1.0 / (g / 1008e9 + r / 96e9)).abs() < 1e-9 && (tps - 4.2).abs() < 0.05, "{tps}");
    let text = ok(&[
        "footprint",
        "llama-3.1-70b",
        "q4_k_m",
        "--budget",
        "rtx-4090",
        "--ram",
        "64GB@ddr5-4800-12ch",
        "--split",
        "ngl:40",
        "--runtime",
        "512MiB",
    ]);
    assert!(text.contains("Fits with 41 of 80 layers in RAM, ≤ ") && text.contains("from RAM at 460.8 GB/s"), "{text}");
    assert!(text.contains("(llama.cpp -ngl 40)"), "{text}");
    let pp = json(&[
        "footprint",
        "llama-3.1-70b",
        "q4_k_m",
        "--budget",
        "rtx-4090",
        "--cards",
        "2:pp",
        "--runtime",
        "512MiB",
        "--json",
    ]);
    assert_eq!(pp["fits"], true);
    assert_eq!(pp["placement"]["card_bytes"].as_array().unwrap().len(), 2);
    let none = json(&["footprint", "llama-3.1-8b", "q4_k_m", "--budget", "rtx-4090", "--json"]);
    assert!(none["placement"].is_null());
    for (flag, value, word) in [("--ram", "64", "RAM"), ("--split", "ngl:x", "Split"), ("--cards", "2:xp", "Cards")] {
        let (good, _, err) = run(&["footprint", "llama-3.1-70b", "q4_k_m", flag, value]);
        assert!(!good && err.contains(word), "{flag} {value}: {err}");
    }
}

/// `best` with RAM: a candidate that needs it says where its layers go and its decode bound in
/// the fits column, one that fits the GPU says only that, and the heading names the RAM.
#[test]
fn best_with_ram_says_where_the_layers_go() {
    let text = ok(&["best", "--budget", "rtx-4090", "--ram", "64GB", "--limit", "8", "--runtime", "512MiB"]);
    assert!(text.starts_with("Best for RTX 4090 24 GB (25.76 GB) + 64.00 GB of RAM:"), "{text}");
    let split = text.lines().filter(|l| l.contains(" layers in RAM, ≤ ") && l.contains(" tok/s")).count();
    let gpu = text.lines().filter(|l| l.contains("  Fits  ")).count();
    assert!(split >= 1 && gpu >= 1, "{text}");
    let without = ok(&["best", "--budget", "rtx-4090", "--limit", "8", "--runtime", "512MiB"]);
    assert!(!without.contains("layers in RAM"), "{without}");
}

/// `best --min-tps`: every row decodes at least that fast (the decode column, JSON's
/// `decode_tps`), the slow split models drop out, and a malformed floor is refused by name.
#[test]
fn best_with_a_speed_floor() {
    let args = ["best", "--budget", "rtx-4090", "--ram", "64GB", "--limit", "8", "--json"];
    let open = json(&args);
    let speeds = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|r| r["decode_tps"].as_f64().unwrap()).collect()
    };
    assert!(speeds(&open).iter().any(|&t| t < 10.0), "{open}");
    let fast = json(&[&args[..], &["--min-tps", "10"]].concat());
    assert!(!speeds(&fast).is_empty() && speeds(&fast).iter().all(|&t| t >= 10.0), "{fast}");
    let (good, _, err) = run(&["best", "--budget", "rtx-4090", "--min-tps", "fast"]);
    assert!(!good && err.contains("At least (tok/s)") && err.contains("fast"), "{err}");
}
