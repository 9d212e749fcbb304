//! The answer beside the inputs: each configuration's total, whether it fits its budget and its
//! predicted loss, read from the same `Report` as the results table, and on a wide screen a
//! small copy of the size-versus-accuracy chart (`core::chart` at its `MINI` size). A wide
//! screen shows it as a sticky column right of the inputs; a phone as one sticky line, the
//! configuration in hand (`State::active`). Screen readers are told only when a verdict changes
//! (a polite live region holding the verdicts), not on every slider step.

use std::rc::Rc;

use yew::prelude::*;

use super::dom;
use super::lang::use_strings;
use crate::core::state::scenario::Scenario;
use crate::core::text::i18n::fill;
use crate::core::view::chart::{build, Chart, MINI};
use crate::core::view::report::Report;

/// Past this many configurations the summary leaves its chart and the budget shares out (the
/// table has them): the rows need the height.
const CHART_ROWS: usize = 4;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub report: Rc<Report>,
    /// What the small chart is drawn from (the page's scenario without the claim).
    pub scenario: Scenario,
    /// The configuration the phone's line shows.
    pub featured: usize,
}

fn colour(i: usize) -> String {
    format!("c{}", i % 8)
}

#[function_component]
pub fn Summary(p: &SummaryProps) -> Html {
    let t = use_strings();
    let wide = use_state(dom::wide);
    {
        let wide = wide.clone();
        use_effect_with((), move |_| {
            let listener = dom::WindowListener::new("resize", move || wide.set(dom::wide()));
            move || drop(listener)
        });
    }
    let r = &p.report;
    let many = r.rows.len() > CHART_ROWS;
    let show_chart = *wide && !many;
    let chart = use_memo((p.scenario.clone(), show_chart), |(s, show)| show.then(|| build(s, MINI)));
    let featured = if p.featured < r.rows.len() { p.featured } else { 0 };
    html! {
        <section class={classes!("summary", many.then_some("many"))} aria-labelledby="summary-title">
            <div class="summary-head">
                <h2 id="summary-title">{ t.glance_title }</h2>
                <p class="sub summary-budget">{ fill(t.glance_budget, &[&r.budget_label]) }</p>
            </div>
            <ol class="summary-rows">
                { for r.rows.iter().enumerate().map(|(i, row)| html! {
                    <li class={classes!("summary-row", (i == featured).then_some("featured"), row.split.then_some("split"))} data-row={(i + 1).to_string()}>
                        <span class="row-index">{ i + 1 }</span>
                        <span class="summary-name" title={row.title.clone()}>{ row.title.clone() }</span>
                        <span class="summary-total">{ if row.estimated { "≈ " } else { "" } }{ row.total.decimal.clone() }</span>
                        <span class={classes!("verdict", if row.fits { "yes" } else { "no" })}>{ row.verdict.clone() }</span>
                        <span class="sub summary-share">{ row.share.clone() }</span>
                        if row.training.is_none() {
                            <span class="sub summary-loss">{
                                if row.est.is_some() { fill(t.glance_loss, &[&row.accuracy.loss, &row.accuracy.delta]) }
                                else { t.glance_no_loss.to_string() }
                            }</span>
                        }
                    </li>
                }) }
            </ol>
            if let Some(c) = chart.as_ref() {
                { mini_chart(c) }
            }
            <button type="button" class="link summary-full" onclick={Callback::from(|_: MouseEvent| dom::focus("results-title"))}>
                { t.glance_full }</button>
            // Announced when a verdict (or the language) changes; a total, or a split's speed, that
            // moves is not.
            <p class="visually-hidden" aria-live="polite">
                { for r.rows.iter().enumerate().map(|(i, row)| html! {
                    <span>{ fill(t.glance_live, &[&fill(t.configuration_n, &[&(i + 1).to_string()]), if row.fits { t.fits } else { t.does_not_fit }]) }{ " " }</span>
                }) }
            </p>
        </section>
    }
}

/// The chart without its controls, tooltips or published points: the configurations' markers,
/// their curves, the frontier and the budget line. Hidden from screen readers, which read the
/// same results in the rows above it.
fn mini_chart(c: &Chart) -> Html {
    let (px, py, pw, ph) = c.plot;
    html! {
        <svg class="mini-chart" viewBox={format!("0 0 {} {}", c.width, c.height)} aria-hidden="true" focusable="false">
            <defs>
                <clipPath id="mini-clip"><rect x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} /></clipPath>
            </defs>
            <rect class="plot-bg" x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} />
            { for c.x_ticks.iter().map(|t| html! {
                <g class="tick">
                    <line x1={format!("{:.1}", t.at)} x2={format!("{:.1}", t.at)} y1={py.to_string()} y2={(py + ph).to_string()} />
                    <text x={format!("{:.1}", t.at)} y={(py + ph + 14.0).to_string()} text-anchor="middle">{ t.label.clone() }</text>
                </g>
            }) }
            { for c.y_ticks.iter().map(|t| html! {
                <g class="tick">
                    <line x1={px.to_string()} x2={(px + pw).to_string()} y1={format!("{:.1}", t.at)} y2={format!("{:.1}", t.at)} />
                    <text x={(px - 5.0).to_string()} y={format!("{:.1}", t.at + 4.0)} text-anchor="end">{ t.label.clone() }</text>
                </g>
            }) }
            <text class="axis-title" x={(px + pw / 2.0).to_string()} y={(c.height - 4.0).to_string()} text-anchor="middle">{ c.x_title.clone() }</text>
            <text class="axis-title" transform={format!("translate(12 {:.1}) rotate(-90)", py + ph / 2.0)} text-anchor="middle">{ c.y_title.clone() }</text>
            <g clip-path="url(#mini-clip)">
                { for c.curves.iter().map(|k| html! {
                    <path class={classes!("curve", colour(k.config))} d={k.path.clone()} />
                }) }
                <path class="frontier" d={c.frontier.clone()} />
                if let Some(b) = &c.budget {
                    <line class="budget-mark" x1={format!("{:.1}", b.x)} x2={format!("{:.1}", b.x)} y1={py.to_string()} y2={(py + ph).to_string()} />
                }
            </g>
            { for c.markers.iter().map(|m| html! {
                <g class={classes!("mini-pt", colour(m.config), (!m.fits).then_some("over"))}>
                    <circle cx={format!("{:.1}", m.x)} cy={format!("{:.1}", m.y)} r="5" />
                    <text x={format!("{:.1}", m.x + 7.0)} y={format!("{:.1}", m.y - 6.0)}>{ m.config + 1 }</text>
                </g>
            }) }
        </svg>
    }
}
