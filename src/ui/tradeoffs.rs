//! "Best for my budget" and the size-parity family, from `core::tradeoff` via the report.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::claim::ClaimCheck;
use super::field::Field;
use super::lang::use_strings;
use super::parity::ParityView;

use crate::core::compare::parity::Parity;
use crate::core::state::scenario::{parse_min_tps, AccuracySettings, Candidates, Edit, MAX_CONFIGS};
use crate::core::state::target::Target;
use crate::core::text::i18n::fill;
use crate::core::view::report::TradeoffRow;

#[derive(Properties, PartialEq)]
pub struct TradeoffProps {
    pub best: std::rc::Rc<Vec<TradeoffRow>>,
    pub parity: std::rc::Rc<Vec<TradeoffRow>>,
    /// The configuration the parity family is built around (1-based in the text).
    pub anchor: usize,
    pub budget: String,
    pub settings: AccuracySettings,
    pub configs: usize,
    pub on_edit: Callback<Edit>,
    /// The size-parity view per lever, and what it is sized to.
    pub levers: std::rc::Rc<Parity>,
    pub target: Target,
    /// The claim checker's text (`None`: the example).
    pub claim: Option<String>,
    /// The budget is a bare size: no bandwidth, so the speed floor cannot apply.
    pub no_bandwidth: bool,
}

#[derive(Properties, PartialEq)]
struct TableProps {
    rows: std::rc::Rc<Vec<TradeoffRow>>,
    /// Rows get an "Add" button.
    add: Option<Callback<Edit>>,
    caption: &'static str,
    id: &'static str,
}

/// A table of candidates; skipped when its rows are unchanged (the best-for-budget table does
/// not move while a slider drags a configuration's size).
#[function_component]
fn TradeoffTable(p: &TableProps) -> Html {
    let t = use_strings();
    let (rows, add, caption, id) = (&p.rows, p.add.as_ref(), p.caption, p.id);
    html! {
        <div class="table-wrap">
            <table class="tradeoff-table" id={id.to_string()}>
                <caption class="visually-hidden">{ caption.to_string() }</caption>
                <thead><tr>
                    <th scope="col">{ t.col_configuration }</th>
                    <th scope="col">{ t.col_memory }</th>
                    <th scope="col">{ t.col_loss }</th>
                    <th scope="col">{ t.col_delta16 }</th>
                    <th scope="col" title={t.col_n16_title}>{ t.col_n16 }</th>
                    if add.is_some() { <th scope="col"><span class="visually-hidden">{ t.add }</span></th> }
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| {
                        let (model, scheme, sparsity) = (r.model, r.scheme, r.sparsity);
                        html! {
                        <tr class={classes!(if r.fits { "fits" } else { "over" })}>
                            <th scope="row">{ r.title.clone() }</th>
                            <td><span class="num">{ r.total.decimal.clone() }</span>
                                <span class={classes!("sub", if r.fits { "ok-text" } else { "bad-text" })}>{
                                    r.split.clone().unwrap_or_else(|| match (&r.speed, r.fits) {
                                        (Some(tps), true) => fill(t.verdict_speed, &[t.fits_lower, tps]),
                                        _ => (if r.fits { t.fits_lower } else { t.tip_not_fit }).into(),
                                    }) }</span></td>
                            <td><span class="num">{ r.accuracy.loss.clone() }</span></td>
                            <td><span class="num">{ r.accuracy.delta.clone() }</span><span class="sub">{ r.accuracy.ppl.clone() }</span></td>
                            <td><span class="num">{ r.accuracy.n16.clone() }</span></td>
                            if let Some(add) = add {
                                <td><button type="button" class="quiet" aria-label={fill(t.add_to_comparison, &[&r.title])}
                                    onclick={add.reform(move |_: MouseEvent| Edit::Insert(model, scheme, sparsity))}>{ t.add }</button></td>
                            }
                        </tr>
                    }}) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component]
pub fn Tradeoffs(p: &TradeoffProps) -> Html {
    let t = use_strings();
    let settings = p.settings;
    let on_cand = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let candidates = [Candidates::Range, Candidates::Configs]
                .into_iter()
                .find(|c| c.id() == v)
                .unwrap_or(Candidates::Presets);
            on_edit.emit(Edit::Accuracy(AccuracySettings { candidates, ..settings }));
        })
    };
    let on_tps = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |text: String| {
            let min_tps = parse_min_tps(&text)?;
            on_edit.emit(Edit::Accuracy(AccuracySettings { min_tps, ..settings }));
            Ok(())
        })
    };
    let can_add = p.configs < MAX_CONFIGS;
    html! {
        <section class="tradeoffs" aria-labelledby="best-title">
            <h2 id="best-title">{ fill(t.best_for, &[&p.budget]) }</h2>
            <p class="lead">{ t.best_lead }</p>
            <div class="best-controls">
                <div class="field">
                    <label for="best-candidates">{ t.candidates }</label>
                    <select id="best-candidates" onchange={on_cand}>
                        <option value="presets" selected={settings.candidates == Candidates::Presets}>{ t.cand_presets }</option>
                        <option value="range" selected={settings.candidates == Candidates::Range}>{ t.cand_range }</option>
                        <option value="configs" selected={settings.candidates == Candidates::Configs}>{ t.cand_configs }</option>
                    </select>
                </div>
                <Field id="best-tps" label={t.min_tps} value={settings.min_tps.to_string()} inputmode="numeric"
                    hint={if p.no_bandwidth && settings.min_tps > 0 { t.min_tps_no_device } else { t.min_tps_hint }}
                    on_commit={on_tps} />
            </div>
            if p.best.is_empty() {
                <p class="lab-error">{ t.nothing_fits }</p>
            } else {
                <TradeoffTable rows={p.best.clone()} add={can_add.then(|| p.on_edit.clone())} caption={t.best_caption} id="best-table" />
            }
            <h3 class="parity-title">{ fill(t.parity_title, &[&(p.anchor + 1).to_string()]) }</h3>
            <p class="lead">{ t.parity_lead }</p>
            <TradeoffTable rows={p.parity.clone()} add={can_add.then(|| p.on_edit.clone())} caption={t.parity_caption} id="parity-table" />
            <ClaimCheck text={p.claim.clone()} on_edit={p.on_edit.clone()} />
            <ParityView view={p.levers.clone()} target={p.target} configs={p.configs} on_edit={p.on_edit.clone()} />
        </section>
    }
}
