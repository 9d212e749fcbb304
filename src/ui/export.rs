//! The page's exports: the results table as CSV, JSON or a Markdown table (from
//! `core::export`, as the CLI prints them), and each chart as SVG or PNG.

use std::rc::Rc;

use yew::prelude::*;

use super::lang::use_strings;

use super::dom;
use crate::core::view::export;
use crate::core::view::report::Report;

#[derive(Properties, PartialEq)]
pub struct TableExportProps {
    pub report: Rc<Report>,
}

#[function_component]
pub fn TableExport(p: &TableExportProps) -> Html {
    let t = use_strings();
    let copied = use_state(|| false);
    let save = |name: &'static str, mime: &'static str, body: fn(&export::Table) -> String| {
        let report = p.report.clone();
        Callback::from(move |_: MouseEvent| dom::download_text(name, mime, &body(&export::results(&report))))
    };
    let on_markdown = {
        let (report, copied) = (p.report.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            dom::copy_text(&export::results(&report).markdown());
            copied.set(true);
        })
    };
    html! {
        <div class="export" role="group" aria-label={t.export_table}>
            <span class="export-label">{ t.export_label }</span>
            <button type="button" id="export-csv" onclick={save("bitbudget-results.csv", "text/csv", export::Table::csv)}>{ "CSV" }</button>
            <button type="button" id="export-json" onclick={save("bitbudget-results.json", "application/json", export::Table::json)}>{ "JSON" }</button>
            <button type="button" id="export-markdown" onclick={on_markdown}>
                { if *copied { t.copied } else { t.copy_markdown } }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartExportProps {
    /// The `<svg>` to save.
    pub chart: NodeRef,
    /// The file name without its extension.
    pub name: &'static str,
}

#[function_component]
pub fn ChartExport(p: &ChartExportProps) -> Html {
    let t = use_strings();
    let save = |png: bool| {
        let (chart, name) = (p.chart.clone(), p.name);
        Callback::from(move |_: MouseEvent| {
            let Some(svg) = chart.cast::<web_sys::Element>() else { return };
            if png {
                dom::download_png(&svg, &format!("{name}.png"));
            } else if let Some(text) = dom::chart_svg(&svg) {
                dom::download_text(&format!("{name}.svg"), "image/svg+xml", &text);
            }
        })
    };
    html! {
        <div class="export chart-export" role="group" aria-label={t.save_chart}>
            <span class="export-label">{ t.save_chart_label }</span>
            <button type="button" class="export-svg" onclick={save(false)}>{ "SVG" }</button>
            <button type="button" class="export-png" onclick={save(true)}>{ "PNG" }</button>
        </div>
    }
}
