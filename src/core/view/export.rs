//! The results as one table for every export: CSV and JSON carry the raw numbers (exact bytes,
//! full-precision estimates), Markdown and the CLI's text table the page's own display text.
//! The page's download buttons and the `bitbudget` CLI both print from here, so a number in a
//! report is the number on the page.

use serde_json::{Map, Value};

use crate::core::compare::tradeoff::Candidate;
use crate::core::text::units::human_count;
use crate::core::view::report::{Bytes, Report, Row};

/// One cell: what the page shows, and the value behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub value: Value,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        let text = s.into();
        Cell { value: Value::String(text.clone()), text }
    }

    fn bytes(b: &Bytes) -> Cell {
        Cell { text: b.decimal.clone(), value: b.bytes.into() }
    }

    fn count(n: u64, text: String) -> Cell {
        Cell { text, value: n.into() }
    }

    /// A float shown with `text`; a non-finite one is exported as its name (JSON has no inf).
    fn num(x: f64, text: String) -> Cell {
        let value = serde_json::Number::from_f64(x).map_or_else(|| Value::String(format!("{x}")), Value::Number);
        Cell { text, value }
    }

    fn flag(b: bool, text: &str) -> Cell {
        Cell { text: text.into(), value: b.into() }
    }

    /// No value: `—` in text, null in JSON.
    fn missing() -> Cell {
        Cell { text: "—".into(), value: Value::Null }
    }
}

/// A column's key (CSV header, JSON field) and its heading (Markdown, text).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub key: &'static str,
    pub heading: &'static str,
}

const fn col(key: &'static str, heading: &'static str) -> Column {
    Column { key, heading }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

const INFERENCE: [Column; 18] = [
    col("config", "#"),
    col("configuration", "Configuration"),
    col("params", "Parameters"),
    col("weights_bytes", "Weights"),
    col("kv_cache_bytes", "KV cache"),
    col("runtime_bytes", "Runtime"),
    col("total_bytes", "Total"),
    col("bits_per_param", "Bits / param"),
    col("budget_bytes", "Budget"),
    col("fits", "Fits"),
    col("predicted_loss", "Predicted loss"),
    col("delta_loss", "Δ loss"),
    col("ppl_increase_percent", "PPL increase"),
    col("measured_ppl", "Measured PPL"),
    col("n16_params", "16-bit equivalent"),
    col("effective_bits", "Effective bits"),
    col("training_tokens", "Training tokens"),
    col("sqnr_lab", "SQNR (lab)"),
];

const TRAINING: [Column; 12] = [
    col("config", "#"),
    col("configuration", "Configuration"),
    col("params", "Parameters"),
    col("weights_bytes", "Weights"),
    col("grads_optimizer_bytes", "Gradients + optimizer"),
    col("activations_bytes", "Activations"),
    col("runtime_bytes", "Runtime"),
    col("total_bytes", "Total"),
    col("model_states_bytes", "Model states"),
    col("bits_per_param", "Bits / param"),
    col("budget_bytes", "Budget"),
    col("fits", "Fits"),
];

fn fits(fits: bool) -> Cell {
    Cell::flag(fits, if fits { "Fits" } else { "Does not fit" })
}

/// A row's fits cell: split with RAM, where its layers go and its decode bound, as the table
/// shows it (JSON keeps the boolean).
fn row_fits(row: &Row) -> Cell {
    if row.split {
        Cell::flag(row.fits, &row.verdict)
    } else {
        fits(row.fits)
    }
}

fn accuracy(r: &Row) -> [Cell; 7] {
    let a = &r.accuracy;
    let measured = r.measured.as_ref().map_or_else(Cell::missing, |(ppl, text)| Cell::num(*ppl, text.clone()));
    let Some(e) = &r.est else {
        // A pruned model: no estimate, so no numbers (null in JSON, empty in CSV).
        let none = |text: &String| Cell { text: text.clone(), value: Value::Null };
        let [l, d, p, n, b, t] = [&a.loss, &a.delta, &a.ppl, &a.n16, &a.bits, &a.tokens].map(none);
        return [l, d, p, measured, n, b, t];
    };
    [
        Cell::num(e.loss, a.loss.clone()),
        Cell::num(e.delta, a.delta.clone()),
        Cell::num(e.ppl_increase_percent(), a.ppl.clone()),
        measured,
        Cell::count(e.n16.round().max(1.0) as u64, a.n16.clone()),
        Cell::num(e.bits, a.bits.clone()),
        Cell::count(e.tokens.round() as u64, a.tokens.clone()),
    ]
}

/// The results table, as the page shows it (inference or training columns).
pub fn results(r: &Report) -> Table {
    let training = r.rows.first().is_some_and(|row| row.training.is_some());
    let rows = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let bpw = Cell::num(row.bpw.parse().unwrap_or(f64::NAN), row.bpw.clone());
            let mut cells = vec![
                Cell::count(i as u64 + 1, (i + 1).to_string()),
                Cell::text(row.title.clone()),
                Cell::count(row.param_count, row.params.clone()),
                Cell::bytes(&row.weights),
            ];
            match &row.training {
                Some(t) => cells.extend([
                    Cell::bytes(&t.states),
                    Cell::bytes(&t.activations),
                    Cell::bytes(&row.runtime),
                    Cell::bytes(&row.total),
                    Cell::bytes(&t.model_states),
                    bpw,
                    Cell::bytes(&r.budget),
                    row_fits(row),
                ]),
                None => {
                    cells.extend([
                        Cell::bytes(&row.kv),
                        Cell::bytes(&row.runtime),
                        Cell::bytes(&row.total),
                        bpw,
                        Cell::bytes(&r.budget),
                        row_fits(row),
                    ]);
                    cells.extend(accuracy(row));
                    cells.push(Cell::text(row.sqnr.clone()));
                }
            }
            cells
        })
        .collect();
    Table { columns: if training { TRAINING.to_vec() } else { INFERENCE.to_vec() }, rows }
}

const CANDIDATES: [Column; 11] = [
    col("rank", "#"),
    col("configuration", "Configuration"),
    col("weights_bytes", "Weights"),
    col("total_bytes", "Total"),
    col("fits", "Fits"),
    col("decode_tps", "Decode ≤ tok/s"),
    col("predicted_loss", "Predicted loss"),
    col("delta_loss", "Δ loss"),
    col("ppl_increase_percent", "PPL increase"),
    col("n16_params", "16-bit equivalent"),
    col("training_tokens", "Training tokens"),
];

/// "Best for my budget" or a size-parity family; a candidate that fits only with RAM says where
/// its layers go and its decode bound in the fits column (as the page's table does).
pub fn candidates(list: &[Candidate], s: &crate::core::state::scenario::Scenario) -> Table {
    let splits = crate::core::view::report::tradeoff_rows(list, s);
    let rows = list
        .iter()
        .zip(&splits)
        .enumerate()
        .map(|(i, (c, row))| {
            let a = crate::core::view::report::accuracy_cells(&c.est, crate::core::text::i18n::Lang::En);
            let e = &c.est;
            vec![
                Cell::count(i as u64 + 1, (i + 1).to_string()),
                Cell::text(c.title()),
                Cell::bytes(&Bytes::new(c.weights)),
                Cell::bytes(&Bytes::new(c.total)),
                row.split.as_ref().map_or_else(|| fits(c.fits), |v| Cell::flag(c.fits, v)),
                c.tps.zip(row.speed.as_ref()).map_or_else(Cell::missing, |(v, t)| Cell::num(v, t.clone())),
                Cell::num(e.loss, a.loss),
                Cell::num(e.delta, a.delta),
                Cell::num(e.ppl_increase_percent(), a.ppl),
                Cell::count(e.n16.round().max(1.0) as u64, a.n16),
                Cell::count(e.tokens.round() as u64, human_count(e.tokens.round() as u64)),
            ]
        })
        .collect();
    Table { columns: CANDIDATES.to_vec(), rows }
}

const PARITY: [Column; 10] = [
    col("rank", "#"),
    col("lever", "Lever"),
    col("configuration", "Configuration"),
    col("parameters", "Parameters"),
    col("active_parameters", "Active"),
    col("weights_bytes", "Weights"),
    col("predicted_loss", "Loss"),
    col("delta_loss", "Δ loss"),
    col("measured_ppl", "Measured PPL"),
    col("source", "Source"),
];

/// The size-parity view per lever, best first. A published row's loss is where the chart places
/// it (its dense model's predicted 16-bit loss plus the measured ln(PPL ratio)); it has no Δ.
pub fn parity(p: &crate::core::compare::parity::Parity) -> Table {
    let rows = p
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let none = || Cell { text: "—".into(), value: Value::Null };
            vec![
                Cell::count(i as u64 + 1, (i + 1).to_string()),
                Cell { text: r.lever.id().into(), value: r.lever.id().into() },
                Cell::text(r.title.clone()),
                Cell::count(r.params, human_count(r.params)),
                Cell::count(r.active, human_count(r.active)),
                Cell::bytes(&Bytes::new(r.weights)),
                Cell::num(r.loss, format!("{:.4}", r.loss)),
                r.est.map_or_else(none, |e| Cell::num(e.delta, crate::core::text::units::delta_text(e.delta))),
                r.measured.map_or_else(none, |(m, _)| Cell::num(m, m.to_string())),
                Cell::text(r.source.clone()),
            ]
        })
        .collect();
    Table { columns: PARITY.to_vec(), rows }
}

/// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn raw(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Table {
    /// Keys as the header, raw values (exact bytes, full precision), CRLF line ends.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, fields: Vec<String>| {
            out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        };
        line(&mut out, self.columns.iter().map(|c| c.key.to_string()).collect());
        for row in &self.rows {
            line(&mut out, row.iter().map(|c| raw(&c.value)).collect());
        }
        out
    }

    /// One object per row, keyed by column.
    pub fn json_rows(&self) -> Vec<Value> {
        self.rows
            .iter()
            .map(|row| {
                let m: Map<String, Value> =
                    self.columns.iter().zip(row).map(|(c, cell)| (c.key.to_string(), cell.value.clone())).collect();
                Value::Object(m)
            })
            .collect()
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(&Value::Array(self.json_rows())).unwrap_or_default()
    }

    /// The display text as a GitHub-flavoured Markdown table.
    pub fn markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = format!("| {} |\n", self.columns.iter().map(|c| cell(c.heading)).collect::<Vec<_>>().join(" | "));
        out.push_str(&format!("|{}\n", self.columns.iter().map(|_| "---|").collect::<String>()));
        for row in &self.rows {
            out.push_str(&format!("| {} |\n", row.iter().map(|c| cell(&c.text)).collect::<Vec<_>>().join(" | ")));
        }
        out
    }

    /// The display text in aligned columns, for a terminal.
    pub fn text(&self) -> String {
        let width = |s: &str| s.chars().count();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                self.rows.iter().map(|r| width(&r[i].text)).chain([width(self.columns[i].heading)]).max().unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> =
                cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c)))).collect();
            padded.join("  ").trim_end().to_string() + "\n"
        };
        let mut out = line(self.columns.iter().map(|c| c.heading).collect());
        for row in &self.rows {
            out.push_str(&line(row.iter().map(|c| c.text.as_str()).collect()));
        }
        out
    }

    /// Only the columns with these keys, in this order (a terminal is narrower than a page).
    pub fn select(&self, keys: &[&str]) -> Table {
        let pick: Vec<usize> = keys.iter().filter_map(|k| self.columns.iter().position(|c| c.key == *k)).collect();
        Table {
            columns: pick.iter().map(|&i| self.columns[i]).collect(),
            rows: self.rows.iter().map(|r| pick.iter().map(|&i| r[i].clone()).collect()).collect(),
        }
    }

    /// One row as `heading  text` lines (the CLI's `footprint`).
    pub fn vertical(&self, row: usize) -> String {
        let Some(cells) = self.rows.get(row) else { return String::new() };
        let w = self.columns.iter().map(|c| c.heading.chars().count()).max().unwrap_or(0);
        self.columns
            .iter()
            .zip(cells)
            .map(|(c, cell)| format!("{}{}  {}\n", c.heading, " ".repeat(w - c.heading.chars().count()), cell.text))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::state::scenario::Scenario;
    use crate::core::view::report::build;

    fn table(fragment: &str) -> Table {
        results(&build(&Scenario::decode(fragment).0, &[]))
    }

    #[test]
    fn csv_holds_exact_bytes_and_quotes_what_needs_it() {
        let t = table("v=1&m=llama-3.1-8b@bf16,7B@q4_k_m&budget=24GB");
        let csv = t.csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(lines[0].starts_with("config,configuration,params,weights_bytes,kv_cache_bytes,"));
        // Llama-3.1-8B: 8,030,261,248 parameters at 2 bytes (README, published count).
        assert!(lines[1].starts_with("1,Llama-3.1-8B @ BF16,8030261248,16060522496,"), "{}", lines[1]);
        assert!(lines[1].contains(",24000000000,true,"), "{}", lines[1]);
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    /// The parity list's rows in the page's order, with raw numbers in JSON.
    #[test]
    fn parity_exports_its_rows_best_first() {
        let p = crate::core::compare::parity::build(&Scenario::decode("v=1&m=llama-2-13b@f16+2:4&par=24GB").0);
        let t = parity(&p);
        let v: Value = serde_json::from_str(&t.json()).unwrap();
        let rows = v.as_array().unwrap();
        assert_eq!(rows.len(), p.rows.len());
        assert!(rows.windows(2).all(|w| w[0]["predicted_loss"].as_f64() <= w[1]["predicted_loss"].as_f64()));
        assert!(rows.iter().all(|r| r["weights_bytes"].as_u64().unwrap() == 24_000_000_000));
        let student = rows.iter().find(|r| r["lever"] == "distillation").unwrap();
        assert_eq!(student["parameters"], 12_000_000_000u64);
        assert!(t.csv().lines().next().unwrap().starts_with("rank,lever,configuration,parameters"));
    }

    /// Split with RAM, the fits cell says where the layers go, as the page's table does; CSV and
    /// JSON keep the boolean.
    #[test]
    fn a_split_row_exports_its_verdict() {
        let s = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m&budget=rtx-4090&ram=64GB@ddr5-6000-2ch&rt=512MiB").0;
        let r = build(&s, &[]);
        assert!(r.rows[0].split && r.rows[0].fits);
        let t = results(&r);
        assert!(r.rows[0].verdict.contains("layers in RAM"), "{}", r.rows[0].verdict);
        assert!(t.markdown().contains(&format!("| {} |", r.rows[0].verdict)), "{}", t.markdown());
        assert!(t.text().contains(&r.rows[0].verdict));
        assert!(t.csv().lines().nth(1).unwrap().contains(",25757220864,true,"), "{}", t.csv());
        let v: Value = serde_json::from_str(&t.json()).unwrap();
        assert_eq!(v[0]["fits"], true);
    }

    #[test]
    fn json_markdown_and_text_agree_with_the_report() {
        let s = Scenario::decode("v=1&m=llama-3.1-70b@q4_k_m,llama-3.1-8b@bf16&budget=rtx-4090").0;
        let r = build(&s, &[]);
        let t = results(&r);
        let v: Value = serde_json::from_str(&t.json()).unwrap();
        assert_eq!(v[1]["weights_bytes"], 16_060_522_496u64);
        assert_eq!(v[0]["fits"], false);
        assert_eq!(format!("{:.4}", v[0]["predicted_loss"].as_f64().unwrap()), r.rows[0].accuracy.loss);
        // 2:4 is estimated through Wanda's fitted f; 1:4 has no rule and no numbers.
        let fitted = results(&build(&Scenario::decode("v=1&m=llama-2-13b@f16+2:4").0, &[]));
        let v: Value = serde_json::from_str(&fitted.json()).unwrap();
        assert!((v[0]["predicted_loss"].as_f64().unwrap() - 2.2356).abs() < 1e-3, "{}", v[0]);
        let pruned = results(&build(&Scenario::decode("v=1&m=llama-2-13b@f16+1:4").0, &[]));
        let v: Value = serde_json::from_str(&pruned.json()).unwrap();
        assert_eq!(v[0]["predicted_loss"], Value::Null);
        assert!(pruned.csv().contains(",true,,,,,,,") || pruned.csv().contains(",false,,,,,,,"), "{}", pruned.csv());
        let md = t.markdown();
        assert!(md.starts_with("| # | Configuration | Parameters | Weights |"), "{md}");
        assert_eq!(md.lines().nth(1).unwrap().matches("---|").count(), INFERENCE.len());
        assert!(md.contains("| 2 | Llama-3.1-8B @ BF16 | 8.03B | 16.06 GB |"), "{md}");
        let text = t.text();
        assert_eq!(text.lines().count(), 3);
        assert!(text.lines().nth(2).unwrap().contains("Fits"));
        assert!(t.vertical(1).lines().any(|l| l.starts_with("Weights") && l.ends_with("16.06 GB")));
        let narrow = t.select(&["configuration", "total_bytes", "nonexistent", "fits"]);
        assert_eq!(narrow.columns.iter().map(|c| c.heading).collect::<Vec<_>>(), ["Configuration", "Total", "Fits"]);
        assert_eq!(narrow.rows[1][2].text, "Fits");
        assert_eq!(narrow.rows[0][1].value, r.rows[0].total.bytes);
    }

    #[test]
    fn training_has_its_own_columns() {
        let t = table("v=1&m=llama-3.1-8b@bf16&mode=train&method=full&opt=adam32&rank=16&lora=qv&ckpt=0&zero=0&gpus=1");
        assert_eq!(t.columns, TRAINING.to_vec());
        assert!(t.rows.iter().all(|r| r.len() == TRAINING.len()));
        // The byte counts themselves are pinned in training.rs; here, that each lands in its column.
        let r = build(&Scenario::decode("v=1&m=llama-3.1-8b@bf16&mode=train").0, &[]);
        let (row, t) = (&results(&r).rows[0], r.rows[0].training.as_ref().unwrap());
        assert_eq!(row[4].value, t.states.bytes);
        assert_eq!(row[5].value, t.activations.bytes);
        assert_eq!(row[8].value, t.model_states.bytes);
    }

    #[test]
    fn markdown_escapes_pipes_and_non_finite_numbers_stay_readable() {
        let t = Table {
            columns: vec![col("a", "A|B"), col("x", "X")],
            rows: vec![vec![Cell::text("x|y"), Cell::num(f64::INFINITY, "∞".into())]],
        };
        assert!(t.markdown().starts_with("| A\\|B | X |\n|---|---|\n| x\\|y | ∞ |"));
        assert_eq!(t.csv(), "a,x\r\nx|y,inf\r\n");
    }
}
