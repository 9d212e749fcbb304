//! "How the trade-off works": the core's explainer, laid out; the block table follows the
//! format picked here (view state, like a chart's hover).

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::lang::use_strings;
use crate::core::kernels::runner::FormatResult;
use crate::core::state::scenario::Scenario;
use crate::core::view::explain::explain;
use crate::core::view::lab_view::result_name;
use crate::core::view::report::Report;

#[derive(Properties, PartialEq)]
pub struct ExplainerProps {
    pub scenario: Scenario,
    pub report: Rc<Report>,
    pub lab: Rc<Vec<FormatResult>>,
}

#[function_component]
pub fn Explainer(p: &ExplainerProps) -> Html {
    let t = use_strings();
    let picked = use_state(|| None::<String>);
    let e = use_memo((p.scenario.clone(), p.report.clone(), p.lab.clone(), (*picked).clone()), |(s, r, lab, f)| {
        explain(s, r, lab, f.as_deref())
    });
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |ev: Event| picked.set(Some(ev.target_unchecked_into::<HtmlSelectElement>().value())))
    };
    let chosen = (*picked).clone().or_else(|| p.lab.first().map(|r| r.id.clone()));
    let block = e.block.as_ref().map(|b| {
        html! {
            <>
            <div class="field narrow">
                <label for="explain-format">{ t.ex_format }</label>
                <select id="explain-format" onchange={on_pick}>
                    { for p.lab.iter().map(|r| html! {
                        <option value={r.id.clone()} selected={chosen.as_deref() == Some(r.id.as_str())}>{ result_name(r, t) }</option>
                    }) }
                </select>
            </div>
            <div class="table-wrap">
                <table class="block-table">
                    <caption>{ b.caption.clone() }</caption>
                    <thead><tr><th scope="col">{ t.ex_col_x }</th><th scope="col">{ t.ex_col_q }</th><th scope="col">{ t.ex_col_err }</th></tr></thead>
                    <tbody>
                        { for b.rows.iter().map(|[x, q, err]| html! {
                            <tr><td class="num">{ x.clone() }</td><td class="num">{ q.clone() }</td><td class="num">{ err.clone() }</td></tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="levels">{ b.levels.clone() }</p>
            </>
        }
    });
    html! {
        <section class="explainer" aria-labelledby="explainer-title">
            <h2 id="explainer-title">{ t.ex_title }</h2>
            <p class="lead">{ t.ex_lead }</p>
            { for e.sections.iter().map(|s| html! {
                <div class="explain-part" id={format!("explain-{}", s.id)}>
                    <h3>{ s.title }</h3>
                    { for s.paragraphs.iter().map(|x| html! { <p>{ x.clone() }</p> }) }
                    if s.id == "block" { { block.clone().unwrap_or_default() } }
                </div>
            }) }
            <h3>{ t.ex_sources }</h3>
            <ul class="sources">
                { for e.sources.iter().map(|s| html! { <li>{ *s }</li> }) }
            </ul>
        </section>
    }
}
