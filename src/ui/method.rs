//! "How this is estimated": the formulas, their sources and the fit's residuals.

use yew::prelude::*;

use super::lang::use_strings;
use crate::core::i18n::fill;

use crate::core::report::Method;

#[derive(Properties, PartialEq)]
pub struct MethodProps {
    pub method: std::rc::Rc<Method>,
}

#[function_component]
pub fn MethodPanel(p: &MethodProps) -> Html {
    let t = use_strings();
    let m = &p.method;
    html! {
        <section class="how method" aria-labelledby="method-title">
            <details>
                <summary id="method-title">{ t.method_title }</summary>
                <ol class="rules">
                    <li>{ fill(t.method_base, &[&m.law, &m.law_constants]) }</li>
                    <li>{ t.method_penalty }</li>
                    <li>{ fill(t.method_fit, &[&m.penalty, &m.sigma]) }</li>
                    <li>{ t.method_delta }</li>
                    <li>{ t.method_moe }</li>
                    <li>{ t.method_caveats }</li>
                </ol>
                <p>{ fill(t.method_spearman, &[&m.spearman.iter().map(|(n, r)| format!("{n} {r}")).collect::<Vec<_>>().join(", "), &m.median_ratio]) }</p>
                <div class="table-wrap">
                    <table class="catalogue residuals">
                        <caption class="visually-hidden">{ t.residuals_caption }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_model }</th><th scope="col">{ t.col_file }</th><th scope="col">{ t.col_measured_ppl }</th>
                            <th scope="col">{ t.col_measured_delta }</th><th scope="col">{ t.col_predicted_delta }</th><th scope="col">{ t.col_ratio }</th>
                        </tr></thead>
                        <tbody>
                            { for m.residuals.iter().map(|r| html! {
                                <tr><th scope="row">{ r[0].clone() }</th><td>{ r[1].clone() }</td><td>{ r[2].clone() }</td>
                                    <td>{ r[3].clone() }</td><td>{ r[4].clone() }</td><td>{ r[5].clone() }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <h3>{ t.pruning_title }</h3>
                <p>{ t.pruning_lead }</p>
                <div class="table-wrap">
                    <table class="catalogue pruning-rule">
                        <caption class="visually-hidden">{ t.pruning_caption }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_pattern }</th><th scope="col">{ t.col_method }</th><th scope="col">{ t.col_f }</th>
                            <th scope="col">{ "LLaMA-2-7B" }</th><th scope="col">{ "LLaMA-2-13B" }</th><th scope="col">{ "LLaMA-2-70B" }</th>
                            <th scope="col">{ t.col_worst }</th>
                        </tr></thead>
                        <tbody>
                            { for m.pruning.iter().map(|r| html! {
                                <tr><th scope="row">{ r[0].clone() }</th>{ for r[1..].iter().map(|c| html! { <td>{ c.clone() }</td> }) }</tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <p class="sub">{ t.method_sources }</p>
            </details>
        </section>
    }
}
