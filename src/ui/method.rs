//! "How this is estimated": the formulas, their sources, the fits' residuals and the checks on
//! measurements left out of the fit.

use yew::prelude::*;

use super::lang::use_strings;
use crate::core::text::i18n::fill;

use crate::core::estimate::{fit, Law, FITTED};
use crate::core::text::i18n::Lang;
use crate::core::view::report::method;

#[derive(Properties, PartialEq)]
pub struct MethodProps {
    pub law: Law,
    pub lang: Lang,
}

/// A table of text rows: the first cell is the row's header.
#[derive(Properties, PartialEq)]
struct TableProps {
    class: &'static str,
    caption: &'static str,
    heads: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

#[function_component]
fn TextTable(p: &TableProps) -> Html {
    html! {
        <div class="table-wrap" tabindex="0" role="region" aria-label={p.caption}>
            <table class={classes!("catalogue", p.class)}>
                <caption class="visually-hidden">{ p.caption }</caption>
                <thead><tr>{ for p.heads.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
                <tbody>
                    { for p.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ r.first().cloned().unwrap_or_default() }</th>
                            { for r.iter().skip(1).map(|c| html! { <td>{ c.clone() }</td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// The panel's summary; its body (the fits' residuals over every published file) is built the
/// first time it is opened, not while the page loads.
#[function_component]
pub fn MethodPanel(p: &MethodProps) -> Html {
    let t = use_strings();
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| open.set(e.target_unchecked_into::<web_sys::Element>().has_attribute("open")))
    };
    html! {
        <section class="how method" aria-labelledby="method-title">
            <details {ontoggle}>
                <summary id="method-title">{ t.method_title }</summary>
                if *open {
                    <MethodBody law={p.law} lang={p.lang} />
                }
            </details>
        </section>
    }
}

#[function_component]
fn MethodBody(p: &MethodProps) -> Html {
    let t = use_strings();
    let m = use_memo((p.law, p.lang), |(law, lang)| method(*law, &fit::report(FITTED), lang.strings()));
    let rows = |v: &[[String; 4]]| v.iter().map(|r| r.to_vec()).collect::<Vec<_>>();
    html! {
            <>
                <ol class="rules">
                    <li>{ fill(t.method_base, &[&m.law, &m.law_constants]) }</li>
                    <li>{ m.scale.clone() }</li>
                    <li>{ t.method_penalty }</li>
                    <li>{ fill(t.method_fit, &[&m.penalty, &m.sigma]) }</li>
                    <li>{ t.method_delta }</li>
                    <li>{ t.method_moe }</li>
                    <li>{ t.method_caveats }</li>
                </ol>
                <TextTable class="scale-fit" caption={t.scale_caption}
                    heads={vec![t.col_model, t.col_protocol, t.col_measured_ppl, t.col_predicted_ppl, t.col_residual]}
                    rows={m.scale_rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} />
                <p>{ fill(t.method_spearman, &[&m.spearman.iter().map(|(n, r)| format!("{n} {r}")).collect::<Vec<_>>().join(", "), &m.median_ratio]) }</p>
                <TextTable class="residuals" caption={t.residuals_caption}
                    heads={vec![t.col_model, t.col_file, t.col_measured_ppl, t.col_measured_delta, t.col_predicted_delta, t.col_ratio]}
                    rows={m.residuals.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} />
                <h3 id="holdout-title">{ t.holdout_title }</h3>
                <p>{ t.holdout_lead }</p>
                <TextTable class="holdout" caption={t.holdout_caption}
                    heads={vec![t.col_kind, t.col_check, t.col_measured_delta, t.col_predicted, t.col_ratio, t.col_direction]}
                    rows={m.checks.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} />
                <p>{ t.penalty_holdout_lead }</p>
                <TextTable class="holdout-penalty" caption={t.summaries_caption}
                    heads={vec![t.col_family, t.col_how, t.col_files, t.col_median, t.col_worst, t.col_rms]}
                    rows={m.summaries.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} />
                <h3>{ t.bits_title }</h3>
                <p>{ t.bits_lead }</p>
                <TextTable class="bit-check" caption={t.bits_caption}
                    heads={vec![t.col_size, t.col_tokens, t.col_best, t.col_verdict]}
                    rows={rows(&m.bits)} />
                <h3>{ t.pruning_title }</h3>
                <p>{ t.pruning_lead }</p>
                <TextTable class="pruning-rule" caption={t.pruning_caption}
                    heads={vec![t.col_pattern, t.col_method, t.col_f, "Llama-2-7B", "Llama-2-13B", "Llama-2-70B", t.col_worst]}
                    rows={m.pruning.iter().map(|r| r.to_vec()).collect::<Vec<_>>()} />
                <p class="sub">{ t.method_sources }</p>
            </>
    }
}
