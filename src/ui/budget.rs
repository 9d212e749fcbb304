//! The memory budget (a device or a size) and the runtime term.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::lang::{use_lang, use_strings};

use super::field::Field;
use crate::core::catalog::devices::DEVICES;
use crate::core::memory::footprint::Runtime;
use crate::core::state::scenario::{parse_cards, Budget, Edit};
use crate::core::view::report::{device_note, device_option};

#[derive(Properties, PartialEq)]
pub struct BudgetProps {
    pub budget: Budget,
    pub runtime: Runtime,
    /// Tensor-parallel cards (inference only: training counts its own devices).
    pub cards: u32,
    pub training: bool,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn BudgetBar(p: &BudgetProps) -> Html {
    let t = use_strings();
    let lang = use_lang();
    let device = match p.budget {
        Budget::Device(d) => d.id,
        Budget::Size(_) => "custom",
    };
    let custom_text = p.budget.size_text();
    let on_device = {
        let (on_edit, custom_text) = (p.on_edit.clone(), custom_text.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(b) = Budget::parse(if v == "custom" { &custom_text } else { &v }) {
                on_edit.emit(Edit::Budget(b));
            }
        })
    };
    let on_size = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |t: String| Budget::parse(&t).map(|b| on_edit.emit(Edit::Budget(b))))
    };
    let on_runtime = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |t: String| Runtime::parse(&t).map(|r| on_edit.emit(Edit::Runtime(r))))
    };
    let on_cards = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |t: String| parse_cards(&t).map(|n| on_edit.emit(Edit::Cards(n))))
    };
    let group = |title: &'static str, prefix: &'static [&'static str]| {
        html! {
            <optgroup label={title}>
                { for DEVICES.iter().filter(|d| prefix.iter().any(|p| d.id.starts_with(p))).map(|d| html! {
                    <option value={d.id} selected={d.id == device}>{ device_option(d, lang) }</option>
                }) }
            </optgroup>
        }
    };
    html! {
        <section class="budget" aria-label={t.budget_section}>
            <div class="field">
                <label for="budget-device">{ t.memory_budget }</label>
                <select id="budget-device" onchange={on_device}>
                    <option value="custom" selected={device == "custom"}>{ t.custom_size }</option>
                    { group(t.nvidia_gpus, &["rtx", "a100", "h100", "h200", "b200"]) }
                    { group(t.apple_silicon, &["mac"]) }
                    { group(t.phones, &["phone"]) }
                </select>
                if let Some(note) = device_note(&p.budget, lang) {
                    <p class={classes!("sub", "device-note", matches!(p.budget, Budget::Device(d) if d.is_unified()).then_some("unified-note"))}>{ note }</p>
                }
            </div>
            // Typing a size while a device is selected switches the budget to that size.
            <Field id="budget-size" label={t.budget_size} value={custom_text} hint={t.budget_hint} on_commit={on_size} />
            <Field id="runtime" label={t.runtime_overhead} value={p.runtime.encode()}
                hint={t.runtime_hint} on_commit={on_runtime} />
            if !p.training {
                <Field id="cards" label={t.cards} value={p.cards.to_string()} inputmode="numeric"
                    hint={t.cards_hint} on_commit={on_cards} />
            }
        </section>
    }
}
