//! `bitbudget`: the page's core on the command line.
//!
//! ```text
//! bitbudget formats
//! bitbudget quantize   --format q8_0 --in x.npy --out x.q8_0
//! bitbudget dequantize --format q8_0 --in x.q8_0 --out y.npy [--shape 4096,4096]
//! bitbudget quant-stats model.safetensors [--tensor REGEX] [--formats q8_0,q4_k] [--json]
//! bitbudget accuracy-fit
//! bitbudget footprint llama-3.1-70b q4_k_m [--ctx 8192 --batch 1 --kv f16 --budget rtx-4090 --ram 64GB --split auto --mode train] [--json]
//! bitbudget footprint path/to/config.json [bf16]
//! bitbudget compare 70B@q4_k_m 8B@bf16 [--budget 24GB] [--json|--csv|--markdown]
//! bitbudget best --budget 24GB [--candidates presets|range|8B,70B] [--limit 10] [--min-tps 5]
//! bitbudget link llama-3.1-70b@q4_k_m llama-3.1-8b@bf16 [--budget 24GB] [--base URL]
//! ```
//! The footprint commands read each flag with its link key's own parser (`state::link`), so a
//! value the page would refuse is refused here with the page's message, and every number
//! comes from the same `report`, `tradeoff` and `export` code the page prints.
//! Quantized files hold the kernel's own layout (ggml's block structs for ggml types), with
//! the 4-byte f32 scale in front for per-tensor formats.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    match cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bitbudget: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::path::PathBuf;

    use bitbudget::core::compare::tradeoff;
    use bitbudget::core::files::config::{check_config_size, read_config, ConfigModel};
    use bitbudget::core::files::{self, npy};
    use bitbudget::core::kernels::quant::{kernel, kernels, Kernel, Layout};
    use bitbudget::core::memory::footprint::evaluate_pruned;
    use bitbudget::core::state::link;
    use bitbudget::core::state::scenario::{self, Scenario, MAX_CONFIGS};
    use bitbudget::core::text::i18n::{Key, Msg};
    use bitbudget::core::view::{export, report};
    use clap::{Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "bitbudget",
        version,
        about = "Exact footprints and real quantization error, from the command line"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Lists the quantization formats.
        Formats,
        /// Quantizes a float .npy (f32, f16 or bf16) into the format's own byte layout.
        Quantize {
            #[arg(long)]
            format: String,
            #[arg(long = "in")]
            input: PathBuf,
            #[arg(long)]
            out: PathBuf,
        },
        /// Turns quantized bytes back into a float32 .npy.
        Dequantize {
            #[arg(long)]
            format: String,
            #[arg(long = "in")]
            input: PathBuf,
            #[arg(long)]
            out: PathBuf,
            /// The tensor's shape, e.g. 4096,4096 (rows come from its last dimension). Needed
            /// where the bytes do not say it: per-row formats and per-tensor formats.
            #[arg(long, value_delimiter = ',')]
            shape: Option<Vec<u64>>,
        },
        /// Quantizes each tensor of a .safetensors, .gguf or .npy file with each format and
        /// prints RMSE, SQNR and max |error| per tensor, as llama.cpp's quantize-stats does.
        QuantStats {
            file: PathBuf,
            /// Only tensors whose name matches this regular expression.
            #[arg(long)]
            tensor: Option<String>,
            /// Formats (ids as `bitbudget formats` lists, or `all`).
            #[arg(long, value_delimiter = ',', default_value = "q8_0,q6_k,q5_k,q4_k,q4_0,q3_k,q2_k,nf4,fp8_e4m3")]
            formats: Vec<String>,
            /// One JSON object per line instead of a table.
            #[arg(long)]
            json: bool,
        },
        /// Memory of one model in one format: weights (by tensor class), KV cache, runtime,
        /// total, the budget verdict and the predicted loss.
        Footprint {
            /// A preset id (llama-3.1-70b), a count (70B, 7e9), an arch-… model, or a Hugging Face
            /// config.json (its path, or a folder holding one).
            model: String,
            /// A format id (q4_k_m, bf16, nf4, …); for a config.json, by default the one it ships in.
            format: Option<String>,
            #[command(flatten)]
            setup: Setup,
            #[arg(long)]
            json: bool,
        },
        /// Several configurations side by side: bytes, fits, predicted loss, 16-bit equivalent.
        Compare {
            /// MODEL@FORMAT, e.g. 70B@q4_k_m llama-3.1-8b@bf16 path/to/config.json@q4_k_m (1 to 8).
            #[arg(required = true)]
            configs: Vec<String>,
            #[command(flatten)]
            setup: Setup,
            #[command(flatten)]
            output: Output,
        },
        /// For each candidate model, its lowest-loss format that fits the budget; best first.
        Best {
            /// `presets` (every preset), `range` (0.5B to 1T, 1-2-5 a decade), or models (8B,70B).
            #[arg(long, default_value = "presets")]
            candidates: String,
            /// How many rows.
            #[arg(long, default_value_t = 10)]
            limit: usize,
            /// Keep only what decodes at least this many tokens per second (the decode bound at
            /// the device's bandwidth; needs a device budget). 0: no floor.
            #[arg(long, default_value = "0")]
            min_tps: String,
            #[command(flatten)]
            setup: Setup,
            #[command(flatten)]
            output: Output,
        },
        /// The page's link for these configurations.
        Link {
            /// MODEL@FORMAT, as for compare.
            #[arg(required = true)]
            configs: Vec<String>,
            #[command(flatten)]
            setup: Setup,
            /// Where the page is served.
            #[arg(long, default_value = "http://127.0.0.1:8080/")]
            base: String,
        },
        /// Fits the accuracy model to the published perplexities (the size law across sizes and
        /// the quantization penalty) and prints the constants, the residuals, the held-out tables
        /// as Rust source, and each format's SQNR on the reference tensor.
        AccuracyFit,
    }

    /// What every footprint command shares: the page's settings, each one a link key.
    #[derive(clap::Args)]
    struct Setup {
        /// Context (tokens), or `max`: the largest that fits the budget; the sequence length in training.
        #[arg(long)]
        ctx: Option<String>,
        /// Sequences decoded together; the micro-batch in training.
        #[arg(long)]
        batch: Option<String>,
        /// Inference on this many cards of the budget's size (1 to 64): tensor-parallel, or by
        /// layers with `:pp` (2:pp).
        #[arg(long)]
        cards: Option<String>,
        /// System RAM a model may be split with: a size, optionally @ a kind (64GB,
        /// 128GB@ddr5-4800-8ch; kinds: ddr4-3200-2ch, ddr5-5600-2ch, ddr5-6000-2ch (the default),
        /// ddr5-6400-4ch, ddr4-3200-8ch, ddr5-4800-8ch, ddr5-4800-12ch).
        #[arg(long)]
        ram: Option<String>,
        /// How a model is split with RAM: auto (the most layers on the GPU), ngl:N (llama.cpp's
        /// -ngl N), experts (the fewest layers' MoE experts in RAM) or experts:N (--n-cpu-moe N).
        #[arg(long)]
        split: Option<String>,
        /// KV cache format (f16, q8_0, …).
        #[arg(long)]
        kv: Option<String>,
        /// Memory budget: a size (24GB, 48GiB, 1TB) or a device id (rtx-4090, h100-80gb, …).
        #[arg(long)]
        budget: Option<String>,
        /// Runtime overhead: an engine's buffers modelled (llama.cpp, the default; llama.cpp-metal,
        /// vllm), a fixed size (512MiB) or a share of the weights (10%).
        #[arg(long)]
        runtime: Option<String>,
        /// Training tokens of every configuration (15T, 2e12), for the loss estimate.
        #[arg(long)]
        tokens: Option<String>,
        /// Base scaling law: epoch or hoffmann.
        #[arg(long)]
        law: Option<String>,
        /// inference or train.
        #[arg(long, default_value = "inference")]
        mode: String,
        /// Training: full, lora or qlora.
        #[arg(long)]
        method: Option<String>,
        /// Training: adam32, mixed or adam8.
        #[arg(long)]
        optimizer: Option<String>,
        /// Training: LoRA rank.
        #[arg(long)]
        rank: Option<String>,
        /// Training: ZeRO stage 0-3.
        #[arg(long)]
        zero: Option<String>,
        /// Training: devices.
        #[arg(long)]
        gpus: Option<String>,
        /// Training: activation checkpointing (0 or 1).
        #[arg(long)]
        checkpointing: Option<String>,
    }

    #[derive(clap::Args)]
    #[group(multiple = false)]
    struct Output {
        /// An array of objects, exact bytes and full-precision numbers.
        #[arg(long)]
        json: bool,
        /// CSV with the same columns as the page's export.
        #[arg(long)]
        csv: bool,
        /// A Markdown table of the page's text.
        #[arg(long)]
        markdown: bool,
    }

    impl Output {
        fn is_text(&self) -> bool {
            !(self.json || self.csv || self.markdown)
        }

        fn print(&self, t: &export::Table) {
            if self.json {
                println!("{}", t.json());
            } else if self.csv {
                print!("{}", t.csv());
            } else if self.markdown {
                print!("{}", t.markdown());
            } else {
                print!("{}", t.select(TERMINAL).text());
            }
        }
    }

    /// The columns a terminal table shows (the other formats have them all).
    const TERMINAL: &[&str] = &[
        "config",
        "rank",
        "configuration",
        "weights_bytes",
        "kv_cache_bytes",
        "grads_optimizer_bytes",
        "activations_bytes",
        "total_bytes",
        "bits_per_param",
        "fits",
        "decode_tps",
        "predicted_loss",
        "delta_loss",
        "measured_ppl",
        "n16_params",
    ];

    /// The page's notice as a command-line error: the reason, without the page's fallback.
    fn why(n: &scenario::Notice) -> String {
        match &n.text {
            Msg::Text(Key::note_using | Key::note_in_config, parts) => parts[0].to_string(),
            t => t.to_string(),
        }
    }

    impl Setup {
        /// The scenario these settings and configurations describe: each flag is read by its
        /// link key's own parser (`state::link`), so the page and the command accept and refuse
        /// the same values with the same messages; a value the page would replace stops here.
        fn scenario(&self, configs: &[String], extra: &[(&str, &str)]) -> Result<Scenario, String> {
            if configs.is_empty() || configs.len() > MAX_CONFIGS {
                return Err(format!("give 1 to {MAX_CONFIGS} configurations, not {}", configs.len()));
            }
            let mut s = Scenario::default();
            let mut notes = Vec::new();
            let mut read = Vec::new();
            for c in configs {
                let Some((model, format)) = c.rsplit_once('@') else {
                    return Err(format!("configuration “{c}” is not MODEL@FORMAT (e.g. 70B@q4_k_m)"));
                };
                let c = format!("{}@{format}", resolve(model)?.0);
                read.extend(link::read_config(&c, &mut notes));
                if let Some(n) = notes.first() {
                    return Err(why(n));
                }
            }
            s.configs = read;
            let training_flags = [
                ("method", "--method", &self.method),
                ("opt", "--optimizer", &self.optimizer),
                ("rank", "--rank", &self.rank),
                ("zero", "--zero", &self.zero),
                ("gpus", "--gpus", &self.gpus),
                ("ckpt", "--checkpointing", &self.checkpointing),
            ];
            let mut keys = vec![
                ("ctx", &self.ctx),
                ("batch", &self.batch),
                ("kv", &self.kv),
                ("budget", &self.budget),
                ("cards", &self.cards),
                ("ram", &self.ram),
                ("split", &self.split),
                ("rt", &self.runtime),
                ("law", &self.law),
            ];
            match self.mode.as_str() {
                "inference" | "infer" => {
                    if let Some((_, flag, _)) = training_flags.iter().find(|(_, _, v)| v.is_some()) {
                        return Err(format!("{flag} is a training setting: add --mode train"));
                    }
                }
                "train" | "training" => {
                    link::apply(&mut s, "mode", "train").map_err(|e| e.to_string())?;
                    keys.extend(training_flags.map(|(key, _, v)| (key, v)));
                }
                m => return Err(format!("--mode “{m}” is not inference or train")),
            }
            for (key, v) in keys {
                if let Some(v) = v {
                    link::apply(&mut s, key, v).map_err(|e| e.to_string())?;
                }
            }
            if let Some(t) = &self.tokens {
                let tok = link::config_key("tok").expect("a link key");
                for c in &mut s.configs {
                    (tok.read)(c, t).map_err(|e| e.to_string())?;
                }
            }
            for (key, v) in extra {
                link::apply(&mut s, key, v).map_err(|e| e.to_string())?;
            }
            // `--ctx max`: the largest context that fits the budget.
            Ok(s.resolved())
        }
    }

    /// The notes under the page's table (estimates, long contexts, MoE…), one per line.
    fn print_notes(r: &report::Report) {
        for (i, row) in r.rows.iter().enumerate() {
            for n in &row.notes {
                println!("  [{}] {n}", i + 1);
            }
        }
    }

    /// A model argument as the link spells it: a Hugging Face config.json (a path ending in
    /// .json, or a folder holding config.json) is read and its architecture written as `arch-…`;
    /// anything else is the link's own model text.
    fn resolve(model: &str) -> Result<(String, Option<(PathBuf, ConfigModel)>), String> {
        let mut path = PathBuf::from(model);
        if path.is_dir() && path.join("config.json").is_file() {
            path = path.join("config.json");
        } else if !model.ends_with(".json") {
            return Ok((model.to_string(), None));
        }
        let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let size = std::fs::metadata(&path).map_err(|e| err(&e))?.len();
        check_config_size(size).map_err(|e| err(&e))?;
        let bytes = std::fs::read(&path).map_err(|e| err(&e))?;
        let c = read_config(&bytes).map_err(|e| err(&e))?;
        Ok((c.arch.encode(), Some((path, c))))
    }

    fn footprint(model: &str, format: Option<&str>, setup: &Setup, json: bool) -> Result<(), String> {
        let (model, config) = resolve(model)?;
        let format = match (format, &config) {
            (Some(f), _) => f.to_string(),
            (None, Some((path, c))) => c
                .shipped
                .map(|s| s.id.to_string())
                .ok_or_else(|| format!("{}: names no format of the catalogue; give one (e.g. bf16)", path.display()))?,
            (None, None) => return Err(format!("give a format after “{model}” (e.g. q4_k_m, bf16)")),
        };
        let s = setup.scenario(&[format!("{model}@{format}")], &[])?;
        let r = report::build(&s, &[]);
        let t = export::results(&r);
        let row = &r.rows[0];
        let c = &s.configs[0];
        let f = evaluate_pruned(&c.model, c.scheme, c.sparsity, c.ctx, c.batch, c.kv, &s.runtime);
        let placement = s.placement(c, &f);
        if json {
            let mut v = t.json_rows().remove(0);
            let parts: serde_json::Map<String, serde_json::Value> =
                row.segments.iter().map(|g| (g.key.to_string(), g.bytes.bytes.into())).collect();
            v["breakdown_bytes"] = parts.into();
            v["kv_breakdown"] = row
                .kv_rows
                .iter()
                .map(|k| serde_json::json!({"kind": k.label, "layers": k.layers, "bytes": k.bytes.bytes, "unit": k.unit}))
                .collect::<Vec<_>>()
                .into();
            v["context"] = c.ctx.into();
            v["context_is_max"] = c.fit_ctx.into();
            v["largest_context"] = match s.largest_context(c) {
                Some(f) => serde_json::json!({"tokens": f.tokens, "capped_by_training": f.capped}),
                None => serde_json::Value::Null,
            };
            v["runtime_parts"] = match f.runtime_parts {
                Some(p) => serde_json::json!({
                    "engine": s.runtime.encode(),
                    "context_bytes": p.context,
                    "compute_bytes": p.compute,
                    "output_bytes": p.output,
                    "host_bytes": p.host,
                }),
                None => serde_json::Value::Null,
            };
            v["verdict"] = row.verdict.clone().into();
            v["placement"] = match placement {
                Some(p) => serde_json::json!({
                    "layers": p.layers,
                    "gpu_layers": p.gpu_layers(),
                    "output_on_gpu": p.output_on_gpu(),
                    "ngl": p.gpu_units,
                    "ram_layers": p.ram_layers(),
                    "expert_layers_in_ram": p.expert_layers,
                    "card_bytes": p.cards,
                    "ram_bytes": p.ram,
                    "gpu_read_bytes_per_token": p.gpu_read,
                    "ram_read_bytes_per_token": p.ram_read,
                    "ram_budget_bytes": s.ram.map(|r| r.bytes()),
                    "ram_bandwidth_gbs": s.ram.map(|r| r.kind.bandwidth_gbs()),
                    "decode_tokens_per_second_max": s.ram.map(|r| {
                        let gpu = match s.budget { scenario::Budget::Device(d) => Some(d.bandwidth_gbs), _ => None };
                        1.0 / p.seconds_per_token(gpu, r.kind.bandwidth_gbs())
                    }),
                }),
                None => serde_json::Value::Null,
            };
            v["notes"] = row.notes.clone().into();
            if let Some((path, c)) = &config {
                let texts = |m: &[Msg]| m.iter().map(|m| m.to_string()).collect::<Vec<_>>();
                v["config"] = serde_json::json!({
                    "path": path.display().to_string(),
                    "model_type": c.model_type,
                    "shipped": c.shipped.map(|s| s.id),
                    "assumed": texts(&c.assumed),
                    "unread": texts(&c.unread),
                });
            }
            println!("{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?);
            return Ok(());
        }
        if let Some((path, c)) = &config {
            println!("Read from {} (model_type {}):", path.display(), c.model_type);
            for m in &c.assumed {
                println!("  {m}");
            }
            for m in &c.unread {
                println!("  {m}");
            }
            println!();
        }
        print!("{}", t.vertical(0));
        println!(
            "
Where the bytes go:"
        );
        for g in &row.segments {
            println!("  {:<18} {:>12}  {} bytes", g.label, g.bytes.decimal, g.bytes.exact);
        }
        if row.kv_rows.len() > 1 {
            println!("KV cache by layer kind:");
            for k in &row.kv_rows {
                println!(
                    "  {:<26} {:>3} layers {:>12}  {} bytes ({})",
                    k.label, k.layers, k.bytes.decimal, k.bytes.exact, k.unit
                );
            }
        }
        // A split's verdict says where the layers go.
        let verdict = placement.is_some().then_some(&row.verdict);
        for v in verdict.into_iter().chain(&row.speed).chain(&row.devices) {
            println!("{v}");
        }
        print_notes(&r);
        Ok(())
    }

    fn best(candidates: &str, limit: usize, min_tps: &str, setup: &Setup, output: &Output) -> Result<(), String> {
        let (configs, cand) = match candidates {
            "presets" | "range" => (vec![format!("llama-3.1-8b@{}", scenario::default_scheme().id)], candidates),
            list => (list.split(',').map(|m| format!("{}@bf16", m.trim())).collect(), "configs"),
        };
        let s = setup.scenario(&configs, &[("cand", cand), ("tps", min_tps)])?;
        let rows = tradeoff::best(&s, limit);
        if rows.is_empty() && !output.json {
            return Err(format!("nothing fits {} at any format", report::budget_label(&s.budget, s.lang)));
        }
        if output.is_text() {
            println!("Best for {}:", report::scenario_budget_label(&s));
        }
        output.print(&export::candidates(&rows, &s));
        Ok(())
    }

    fn find(id: &str) -> Result<&'static Kernel, String> {
        let lower = id.to_ascii_lowercase();
        if let Some(i) = bitbudget::core::kernels::quant::READ_ONLY_INFOS.iter().position(|r| r.format.id == lower) {
            // A type the lab reads but does not make: say why (`dequantize` reads it).
            let t = bitbudget::core::text::i18n::Lang::En.strings();
            let why = bitbudget::core::view::lab_view::read_only_lines(t).swap_remove(i);
            return Err(format!("{why}; this tool does not make it (`dequantize` reads it)"));
        }
        kernel(&lower).ok_or_else(|| {
            let ids: Vec<&str> = kernels().iter().map(|k| k.id).collect();
            format!("unknown format “{id}”; known: {}", ids.join(" "))
        })
    }

    fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn write(path: &PathBuf, bytes: &[u8]) -> Result<(), String> {
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The shape of a block-format tensor from its byte count: one row of all its elements.
    fn infer_shape(layout: Layout, name: &str, bytes: usize) -> Result<Vec<u64>, String> {
        match layout {
            Layout::Blocks { elems, bytes: b } | Layout::Flat { elems, bytes: b } if bytes.is_multiple_of(b) => {
                Ok(vec![(bytes / b * elems) as u64])
            }
            Layout::Blocks { bytes: b, .. } | Layout::Flat { bytes: b, .. } => {
                Err(format!("{bytes} bytes are not whole {b}-byte blocks"))
            }
            _ => Err(format!("{name} files do not record their shape: give --shape",)),
        }
    }

    pub fn run() -> Result<(), String> {
        match Cli::parse().command {
            Command::Formats => {
                for k in kernels() {
                    println!("{:<16} {}", k.id, k.name);
                }
                let t = bitbudget::core::text::i18n::Lang::En.strings();
                println!("\n{}", t.lab_read_only_lead);
                for line in bitbudget::core::view::lab_view::read_only_lines(t) {
                    println!("  {line}");
                }
            }
            Command::Quantize { format, input, out } => {
                let k = find(&format)?;
                let (h, x) = npy::read(&read(&input)?).map_err(|e| format!("{}: {e}", input.display()))?;
                let row = h.shape.last().copied().unwrap_or(1).max(1) as usize;
                let q = k.quantize_tensor(&x, row).map_err(|e| e.to_string())?;
                write(&out, &q)?;
            }
            Command::Dequantize { format, input, out, shape } => {
                // A kernel's bytes, or a type the lab reads but does not make (IQ1_*, IQ2_*).
                let id = format.to_ascii_lowercase();
                let (id, layout, name) = match bitbudget::core::kernels::quant::read_only(&id) {
                    Some(r) => {
                        let f = r.format;
                        (f.id, Layout::Blocks { elems: f.block_elems(), bytes: f.block_bytes() }, f.name)
                    }
                    None => find(&format).map(|k| (k.id, k.layout, k.name))?,
                };
                let q = read(&input)?;
                let shape = match shape {
                    Some(s) => s,
                    None => infer_shape(layout, name, q.len())?,
                };
                let n = shape.iter().product::<u64>() as usize;
                let row = shape.last().copied().unwrap_or(1).max(1) as usize;
                let x = bitbudget::core::kernels::quant::dequantize_by_id(id, &q, n, row).map_err(|e| e.to_string())?;
                write(&out, &npy::write_f32(&shape, &x))?;
            }
            Command::AccuracyFit => print_fit(),
            Command::Footprint { model, format, setup, json } => footprint(&model, format.as_deref(), &setup, json)?,
            Command::Compare { configs, setup, output } => {
                let r = report::build(&setup.scenario(&configs, &[])?, &[]);
                output.print(&export::results(&r));
                if output.is_text() {
                    print_notes(&r);
                }
            }
            Command::Best { candidates, limit, min_tps, setup, output } => {
                best(&candidates, limit, &min_tps, &setup, &output)?
            }
            Command::Link { configs, setup, base } => {
                println!("{base}#{}", setup.scenario(&configs, &[])?.encode())
            }
            Command::QuantStats { file, tensor, formats, json } => {
                quant_stats(&file, tensor.as_deref(), &formats, json)?
            }
        }
        Ok(())
    }

    /// The header of a tensor file, reading only as much of it as the header needs.
    fn listing(path: &PathBuf) -> Result<(std::fs::File, files::Listing), String> {
        use std::io::{Read, Seek, SeekFrom};
        let err = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut f = std::fs::File::open(path).map_err(err)?;
        let size = f.metadata().map_err(err)?.len();
        let mut read = |offset: u64, len: u64| -> Result<Vec<u8>, Msg> {
            let mut buf = vec![0u8; len as usize];
            f.seek(SeekFrom::Start(offset)).and_then(|_| f.read_exact(&mut buf)).map_err(|e| Msg::from(err(e)))?;
            Ok(buf)
        };
        let l = files::read_listing(size, &mut read).map_err(|m| format!("{}: {m}", path.display()))?;
        Ok((f, l))
    }

    fn quant_stats(path: &PathBuf, tensor: Option<&str>, formats: &[String], json: bool) -> Result<(), String> {
        use std::io::{Read, Seek, SeekFrom};
        let filter = tensor.map(regex::Regex::new).transpose().map_err(|e| format!("--tensor: {e}"))?;
        let kernels: Vec<&Kernel> = if formats.iter().any(|f| f == "all") {
            kernels().iter().collect()
        } else {
            formats.iter().map(|f| find(f)).collect::<Result<_, _>>()?
        };
        let (mut f, l) = listing(path)?;
        let chosen: Vec<&files::Entry> =
            l.tensors.iter().filter(|t| filter.as_ref().is_none_or(|r| r.is_match(&t.name))).collect();
        if chosen.is_empty() {
            return Err(format!("no tensor of the {} in {} matches", l.tensors.len(), path.display()));
        }
        if !json {
            println!(
                "{:<40} {:<16} {:>7} {:>12} {:>9} {:>12}",
                "tensor", "format", "bpw", "rmse", "sqnr_db", "max_err"
            );
        }
        for t in chosen {
            let row = |format: &str, r: Result<bitbudget::core::kernels::runner::FormatResult, String>| match (json, r)
            {
                (true, Ok(r)) => println!(
                    "{}",
                    serde_json::json!({"tensor": t.name, "shape": t.shape, "dtype": t.dtype, "format": format,
                        "bpw": r.bpw, "rmse": r.summary.rmse, "sqnr_db": sqnr_json(r.summary.sqnr_db), "max_abs_err": r.summary.max_abs_err})
                ),
                (true, Err(e)) => println!(
                    "{}",
                    serde_json::json!({"tensor": t.name, "shape": t.shape, "dtype": t.dtype, "format": format, "error": e})
                ),
                (false, Ok(r)) => println!(
                    "{:<40} {:<16} {:>7.3} {:>12.4e} {:>9} {:>12.4e}",
                    t.name,
                    format,
                    r.bpw,
                    r.summary.rmse.unwrap_or(f64::NAN),
                    r.summary.sqnr_db.map_or("—".to_string(), |d| format!("{d:.2}")),
                    r.summary.max_abs_err.unwrap_or(f64::NAN)
                ),
                (false, Err(e)) => println!("{:<40} {:<16} {e}", t.name, format),
            };
            if !t.decodable() {
                row(&t.dtype, Err(format!("{} data is not read as numbers here", t.dtype)));
                continue;
            }
            let mut bytes = vec![0u8; t.bytes as usize];
            f.seek(SeekFrom::Start(t.offset))
                .and_then(|_| f.read_exact(&mut bytes))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let x = match files::decode(t, &bytes) {
                Ok(x) => x,
                Err(e) => {
                    row(&t.dtype, Err(e.to_string()));
                    continue;
                }
            };
            for k in &kernels {
                let r =
                    bitbudget::core::kernels::runner::run_kernel(k, &x, t.row() as usize, false, &|| 0.0, &mut |_| {
                        true
                    })
                    .map_err(|e| match e {
                        bitbudget::core::kernels::runner::Stopped::Failed(m) => m.to_string(),
                        bitbudget::core::kernels::runner::Stopped::Cancelled => "cancelled".into(),
                    });
                row(k.id, r);
            }
        }
        Ok(())
    }

    /// SQNR for JSON: a number, "inf" for an exact result, null when there were no finite values.
    fn sqnr_json(db: Option<f64>) -> serde_json::Value {
        match db {
            Some(d) if d.is_infinite() => serde_json::json!("inf"),
            Some(d) => serde_json::json!(d),
            None => serde_json::Value::Null,
        }
    }

    fn print_fit() {
        use bitbudget::core::estimate::{bits, fit, FITTED, FIT_SIGMA};
        println!(
            "SQNR on the reference tensor ({} elements, {:?}, seed {}):",
            bits::REFERENCE_ELEMENTS,
            bits::REFERENCE_DIST,
            bits::REFERENCE_SEED
        );
        for id in bits::needed_kernels() {
            let db = bits::measure_sqnr_db(id).unwrap_or(f64::NAN);
            println!("    (\"{id}\", {db:.2}),");
        }
        let r = fit::fit();
        let p = r.penalty;
        println!(
            "\nfitted: ln_c {:.6}  gamma_d {:.6}  gamma_n {:.6}  gamma_post {:.6}  (C = {:.4e})",
            p.ln_c,
            p.gamma_d,
            p.gamma_n,
            p.gamma_post,
            p.ln_c.exp()
        );
        println!("sigma (RMS log residual, floor {}): {:.6}", fit::FLOOR, r.sigma);
        println!(
            "in the code:  ln_c {:.4}  gamma_d {:.4}  gamma_n {:.4}  gamma_post {:.4}  sigma {:.4}",
            FITTED.ln_c, FITTED.gamma_d, FITTED.gamma_n, FITTED.gamma_post, FIT_SIGMA
        );
        println!(
            "\n{:<12} {:<8} {:>9} {:>10} {:>10} {:>7}",
            "model", "scheme", "PPL", "measured", "predicted", "ratio"
        );
        for x in &r.residuals {
            println!(
                "{:<12} {:<8} {:>9.4} {:>10.5} {:>10.5} {:>7.2}",
                x.point.model,
                x.point.scheme,
                x.point.ppl,
                x.measured,
                x.predicted,
                x.predicted / x.measured
            );
        }
        println!();
        for (m, rho) in &r.spearman {
            println!("Spearman {m:<12} {rho:.3}");
        }
        println!("median predicted/measured: {:.3}", r.median_ratio);
        use bitbudget::core::estimate::{holdout, scale, Law};
        for law in Law::ALL {
            let f = scale::fit_all(law);
            let s = f.scale();
            println!(
                "\n{law:?}: c {:.6}  E_ref {:.6}  sigma {:.4}  (in the code: c {:.6}, E_ref {:.6})",
                s.c,
                s.e_ref,
                f.sigma(),
                law.scale().c,
                law.scale().e_ref
            );
            for ((proto, fam), e) in &f.offsets {
                println!("  E {:<8} {:<18} {e:.4}", fam, proto.label());
            }
            for (d, r) in &f.residuals {
                println!(
                    "  {:<18} {:<18} PPL {:>7.4}  residual {r:+.4}",
                    d.point.model.name(),
                    d.group.0.label(),
                    d.point.ppl
                );
            }
        }
        println!("\n// src/core/estimate/holdout_tables.rs");
        println!("// Generated by `bitbudget accuracy-fit`; `checks_are_current` checks it.");
        for law in Law::ALL {
            print!("{}", holdout::source(law));
        }
    }
}
