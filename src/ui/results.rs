//! The results table and the stacked bars, straight from `core::report`.

use yew::prelude::*;

use super::lang::use_strings;

use super::export::TableExport;
use crate::core::text::i18n::{fill, Strings};
use crate::core::view::report::{Bytes, Report};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub report: std::rc::Rc<Report>,
    #[prop_or_default]
    pub selected: Option<usize>,
}

fn bytes_cell(label: &'static str, b: &Bytes, estimated: bool, t: &Strings) -> Html {
    html! {
        <td data-label={label} title={fill(t.n_bytes, &[&b.exact])}>
            <span class="num">{ if estimated { "≈ " } else { "" } }{ b.decimal.clone() }</span>
            <span class="sub">{ b.binary.clone() }</span>
        </td>
    }
}

/// The runtime: its bytes, and for a modelled engine its parts in the tooltip below the exact
/// bytes (the same text is a note under the table).
fn runtime_cell(r: &crate::core::view::report::Row, t: &Strings) -> Html {
    match &r.runtime_parts {
        None => bytes_cell(t.col_runtime, &r.runtime, false, t),
        Some(parts) => html! {
            <td data-label={t.col_runtime} title={format!("{}\n{parts}", fill(t.n_bytes, &[&r.runtime.exact]))}>
                <span class="num">{ r.runtime.decimal.clone() }</span>
                <span class="sub">{ r.runtime.binary.clone() }</span>
            </td>
        },
    }
}

/// One row of the report; skipped when its row is unchanged (a slider step changes one).
#[derive(Properties)]
struct RowProps {
    report: std::rc::Rc<Report>,
    index: usize,
    selected: bool,
}

impl PartialEq for RowProps {
    fn eq(&self, o: &Self) -> bool {
        self.index == o.index
            && self.selected == o.selected
            && self.report.rows.get(self.index) == o.report.rows.get(o.index)
    }
}

#[function_component]
fn ResultRow(p: &RowProps) -> Html {
    let t = use_strings();
    let Some(r) = p.report.rows.get(p.index) else { return Html::default() };
    let (i, selected, a) = (p.index, p.selected, &r.accuracy);
    html! {
        <tr class={classes!(if r.fits { "fits" } else { "over" }, selected.then_some("selected"), r.split.then_some("split"))} data-row={(i + 1).to_string()}
            aria-current={selected.then_some("true")}>
            <th scope="row" data-label={t.col_configuration}>
                <span class="row-index">{ i + 1 }</span>{ r.title.clone() }
                <span class="sub mix">{ r.mix.clone() }</span>
            </th>
            <td data-label={t.col_parameters}><span class="num">{ if r.estimated { "≈ " } else { "" } }{ r.params.clone() }</span></td>
            { bytes_cell(t.col_weights, &r.weights, false, t) }
            if let Some(tc) = &r.training {
                { bytes_cell(t.col_grads, &tc.states, r.estimated, t) }
                { bytes_cell(t.col_activations, &tc.activations, r.estimated, t) }
            } else {
                { bytes_cell(t.kv_cache, &r.kv, r.estimated, t) }
            }
            { runtime_cell(r, t) }
            { bytes_cell(t.col_total, &r.total, r.estimated, t) }
            <td data-label={t.col_bpw}><span class="num">{ r.bpw.clone() }</span></td>
            if r.training.is_none() && r.est.is_none() {
                <td data-label={t.col_loss} class="loss" title={r.no_estimate_why}>
                    <span class="num">{ a.loss.clone() }</span></td>
            } else if r.training.is_none() {
                <td data-label={t.col_loss} class="loss"
                    title={fill(t.loss_tip, &[&a.band, &a.n16_band, &a.bits, &a.tokens])}>
                    <span class="num">{ a.loss.clone() }</span>
                    <span class="sub">{ fill(t.delta_line, &[&a.delta, &a.ppl]) }</span>
                    <span class="sub n16">{ fill(t.n16_line, &[&a.n16]) }</span></td>
            }
            if r.training.is_none() {
                <td data-label={t.col_sqnr} class="sqnr" title={if r.sqnr == "—" { t.sqnr_tip_run } else { t.sqnr_tip_measured }}>
                    <span class="num">{ r.sqnr.clone() }</span></td>
            }
            <td data-label={t.col_budget} class="budget-cell">
                <span class={classes!("verdict", if r.fits { "yes" } else { "no" })}>
                    { r.verdict.clone() }
                </span>
                <span class="sub">{ r.share.clone() }</span>
                if let Some(tc) = &r.training {
                    <span class="sub model-states">{ fill(t.model_states, &[&tc.model_states.decimal]) }</span>
                    <span class="sub">{ tc.detail.clone() }</span>
                }
                if let Some(v) = &r.speed {
                    <span class="sub speed" title={t.speed_tip}>{ v.clone() }</span>
                }
                if let Some(v) = &r.devices { <span class="sub devices">{ v.clone() }</span> }
            </td>
        </tr>
    }
}

#[function_component]
pub fn ResultsTable(p: &ResultsProps) -> Html {
    let t = use_strings();
    let r = &p.report;
    let training = r.rows.first().is_some_and(|row| row.training.is_some());
    // A row whose layers do not all keep the whole context lists its KV cache by kind of layer.
    let kv_lines: Vec<Option<String>> = r
        .rows
        .iter()
        .map(|row| {
            let mixed = row.kv_rows.len() > 1 || row.kv_rows.first().is_some_and(|k| k.label != t.kv_full);
            mixed.then(|| {
                let parts: Vec<String> = row
                    .kv_rows
                    .iter()
                    .map(|k| fill(t.kv_part, &[&k.label, &k.layers.to_string(), &k.unit, &k.bytes.decimal]))
                    .collect();
                fill(t.kv_by_kind, &[&parts.join(t.kv_sep)])
            })
        })
        .collect();
    let notes: Vec<(usize, &String)> = r
        .rows
        .iter()
        .enumerate()
        .flat_map(|(i, row)| kv_lines[i].iter().chain(row.notes.iter()).map(move |n| (i, n)))
        .collect();
    html! {
        <section class="results" aria-labelledby="results-title">
            <h2 id="results-title" tabindex="-1">{ t.memory_needed }</h2>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{ t.col_configuration }</th>
                            <th scope="col">{ t.col_parameters }</th>
                            <th scope="col">{ t.col_weights }</th>
                            if training {
                                <th scope="col" title={t.col_grads_title}>{ t.col_grads }</th>
                                <th scope="col" title={t.col_activations_title}>{ t.col_activations }</th>
                            } else {
                                <th scope="col">{ t.kv_cache }</th>
                            }
                            <th scope="col">{ t.col_runtime }</th>
                            <th scope="col">{ t.col_total }</th>
                            <th scope="col" title={t.col_bpw_title}>{ t.col_bpw }</th>
                            if !training {
                                <th scope="col" title={t.col_loss_title}>{ t.col_loss }</th>
                                <th scope="col" title={t.col_sqnr_title}>{ t.col_sqnr }</th>
                            }
                            <th scope="col" title={fill(t.col_budget_title, &[&r.budget_label])}>{ t.col_budget }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for (0..r.rows.len()).map(|i| html! { <ResultRow report={r.clone()} index={i} selected={p.selected == Some(i)} /> }) }
                    </tbody>
                </table>
            </div>
            <TableExport report={r.clone()} />
            if !notes.is_empty() {
                <ul class="row-notes">
                    { for notes.iter().map(|(i, n)| html! { <li><span class="row-index">{ i + 1 }</span>{ (*n).clone() }</li> }) }
                </ul>
            }
        </section>
    }
}

#[function_component]
pub fn Breakdown(p: &ResultsProps) -> Html {
    let t = use_strings();
    let r = &p.report;
    let legend =
        r.rows.first().map(|row| row.segments.iter().map(|s| (s.key, s.label)).collect::<Vec<_>>()).unwrap_or_default();
    html! {
        <section class="breakdown" aria-labelledby="breakdown-title">
            <h2 id="breakdown-title">{ t.where_bytes_go }</h2>
            <ul class="legend" aria-hidden="true">
                { for legend.iter().map(|(k, l)| html! { <li><span class={classes!("swatch", *k)}></span>{ *l }</li> }) }
                <li><span class="swatch budget-swatch"></span>{ t.col_budget }</li>
            </ul>
            <div class="bars">
                { for (0..r.rows.len()).map(|i| html! { <BarRow report={r.clone()} index={i} /> }) }
            </div>
        </section>
    }
}

#[derive(Properties)]
struct BarProps {
    report: std::rc::Rc<Report>,
    index: usize,
}

/// One bar; skipped when its row, the budget and the scale are unchanged.
impl PartialEq for BarProps {
    fn eq(&self, o: &Self) -> bool {
        let (a, b) = (&self.report, &o.report);
        self.index == o.index
            && a.rows.get(self.index) == b.rows.get(o.index)
            && a.budget_position == b.budget_position
            && a.budget == b.budget
    }
}

#[function_component]
fn BarRow(p: &BarProps) -> Html {
    let t = use_strings();
    let (r, i) = (&p.report, p.index);
    let Some(row) = r.rows.get(i) else { return Html::default() };
    html! {
        <div class="bar-row">
            <div class="bar-label"><span class="row-index">{ i + 1 }</span>{ row.title.clone() }
                <span class="sub">{ row.total.decimal.clone() }</span></div>
            <div class="bar" role="img" aria-label={fill(t.bar_label, &[&row.title, &row.total.decimal,
                &row.segments.iter().filter(|s| s.bytes.bytes > 0).map(|s| format!("{} {}", s.label, s.bytes.decimal)).collect::<Vec<_>>().join(", ")])}>
                { for row.segments.iter().filter(|s| s.bytes.bytes > 0).map(|s| html! {
                    <span class={classes!("seg", s.key)} style={format!("width:{:.3}%", s.width)}
                        title={format!("{}: {} ({})", s.label, s.bytes.decimal, fill(t.n_bytes, &[&s.bytes.exact]))}></span>
                }) }
                <span class="budget-line" style={format!("left:{:.3}%", r.budget_position)}
                    title={fill(t.budget_line, &[&r.budget.decimal])}></span>
            </div>
        </div>
    }
}
