//! "Every lever at one size": the size field (`par=` in the link), a button per configuration,
//! and the rows `core::parity` built, best first.

use std::rc::Rc;

use yew::prelude::*;

use super::dom;
use super::field::Field;
use super::lang::use_strings;
use crate::core::compare::parity::Parity;
use crate::core::state::scenario::Edit;
use crate::core::state::target::Target;
use crate::core::text::i18n::fill;
use crate::core::text::units::fmt_bytes;
use crate::core::view::export;

#[derive(Properties, PartialEq)]
pub struct ParityProps {
    pub view: Rc<Parity>,
    pub target: Target,
    pub configs: usize,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn ParityView(p: &ParityProps) -> Html {
    let t = use_strings();
    let on_commit = {
        let (on_edit, configs) = (p.on_edit.clone(), p.configs);
        Callback::from(move |text: String| {
            let target = Target::parse(&text, configs)?;
            on_edit.emit(Edit::Parity(target));
            Ok(())
        })
    };
    let save = |name: &'static str, mime: &'static str, body: fn(&export::Table) -> String| {
        let view = p.view.clone();
        Callback::from(move |_: MouseEvent| dom::download_text(name, mime, &body(&export::parity(&view))))
    };
    let pick = |i: usize| p.on_edit.reform(move |_: MouseEvent| Edit::Parity(Target::Config(i)));
    html! {
        <div class="parity-levers">
            <h3 id="par-title">{ t.par_title }</h3>
            <p class="lead">{ t.par_lead }</p>
            <Field id="par-target" label={t.par_label} value={p.target.encode()} {on_commit} hint={t.par_hint} />
            <div class="par-configs" role="group" aria-label={t.par_label}>
                { for (0..p.configs).map(|i| html! {
                    <button type="button" class="quiet" aria-pressed={(p.target == Target::Config(i)).to_string()}
                        onclick={pick(i)}>{ fill(t.configuration_n, &[&(i + 1).to_string()]) }</button>
                }) }
            </div>
            <p class="par-size"><strong>{ p.view.label.clone() }</strong></p>
            // Wider than a phone: a focusable region, so the keyboard can scroll it.
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="par-title">
                <table class="tradeoff-table" id="par-table">
                    <caption class="visually-hidden">{ t.par_caption }</caption>
                    <thead><tr>
                        <th scope="col">{ "#" }</th>
                        <th scope="col">{ t.col_lever }</th>
                        <th scope="col">{ t.col_configuration }</th>
                        <th scope="col">{ t.col_parameters }</th>
                        <th scope="col">{ t.col_loss }</th>
                        <th scope="col">{ t.col_accuracy }</th>
                        <th scope="col">{ t.col_source }</th>
                    </tr></thead>
                    <tbody>
                        { for p.view.rows.iter().enumerate().map(|(i, r)| html! {
                            <tr data-lever={r.lever.id()} class={classes!(r.measured.is_some().then_some("published"))}>
                                <td class="num">{ i + 1 }</td>
                                <td>{ r.lever.label(t) }</td>
                                <th scope="row">{ r.title.clone() }</th>
                                <td title={fmt_bytes(r.weights)}><span class="num">{ r.params_text.clone() }</span></td>
                                <td><span class="num">{ format!("{:.4}", r.loss) }</span></td>
                                <td>{ r.accuracy_text.clone() }</td>
                                <td class="sub">{ r.source.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="export" role="group" aria-label={t.par_export}>
                <span class="export-label">{ t.export_label }</span>
                <button type="button" id="par-csv" onclick={save("bitbudget-parity.csv", "text/csv", export::Table::csv)}>{ "CSV" }</button>
                <button type="button" id="par-json" onclick={save("bitbudget-parity.json", "application/json", export::Table::json)}>{ "JSON" }</button>
            </div>
        </div>
    }
}
