//! The memory budget (a device or a size) and the runtime term.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::lang::{use_lang, use_strings};

use super::field::Field;
use crate::core::catalog::devices::{ram_by_id, DEVICES, RAM_KINDS};
use crate::core::memory::footprint::Runtime;
use crate::core::memory::offload::Split;
use crate::core::state::scenario::{parse_cards, parse_split, Budget, Edit, Ram, DEFAULT_RAM};
use crate::core::view::report::{device_note, device_option, ram_note, ram_option};

#[derive(Properties, PartialEq)]
pub struct BudgetProps {
    pub budget: Budget,
    pub runtime: Runtime,
    /// Cards of the budget's size (inference only: training counts its own devices), split by
    /// layers when `pipeline`.
    pub cards: u32,
    pub pipeline: bool,
    /// System RAM and how a model is split with it.
    pub ram: Option<Ram>,
    pub split: Split,
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
    let on_mode = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            on_edit.emit(Edit::Pipeline(e.target_unchecked_into::<HtmlSelectElement>().value() == "pp"))
        })
    };
    let ram = p.ram;
    let on_ram_kind = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let size = ram.map_or(DEFAULT_RAM, |r| r.size);
            on_edit.emit(Edit::Ram(ram_by_id(&v).map(|kind| Ram { size, kind })))
        })
    };
    let on_ram_size = {
        let on_edit = p.on_edit.clone();
        // A size alone keeps the kind picked (or takes the default one).
        Callback::from(move |t: String| {
            let text = match ram {
                Some(r) => format!("{}@{}", t.trim(), r.kind.id),
                None => t,
            };
            Ram::parse(&text).map(|r| on_edit.emit(Edit::Ram(Some(r))))
        })
    };
    let on_split = {
        let on_edit = p.on_edit.clone();
        let layers = match p.split {
            Split::Layers(n) => n,
            _ => 0,
        };
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let v = if v == "ngl" { format!("ngl:{layers}") } else { v };
            if let Ok(sp) = parse_split(&v) {
                on_edit.emit(Edit::Split(sp))
            }
        })
    };
    let on_layers = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |t: String| {
            parse_split(&format!("ngl:{}", t.trim())).map(|sp| on_edit.emit(Edit::Split(sp)))
        })
    };
    let split_id = match p.split {
        Split::Auto => "auto",
        Split::Layers(_) => "ngl",
        Split::Experts(_) => "experts",
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
                if p.cards > 1 {
                    <div class="field">
                        <label for="cards-mode">{ t.cards_mode }</label>
                        <select id="cards-mode" onchange={on_mode}>
                            <option value="tp" selected={!p.pipeline}>{ t.cards_tp }</option>
                            <option value="pp" selected={p.pipeline}>{ t.cards_pp }</option>
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="ram-kind">{ t.ram }</label>
                    <select id="ram-kind" onchange={on_ram_kind}>
                        <option value="none" selected={p.ram.is_none()}>{ t.ram_none }</option>
                        { for RAM_KINDS.iter().map(|k| html! {
                            <option value={k.id} selected={p.ram.is_some_and(|r| std::ptr::eq(r.kind, k))}>{ ram_option(k, lang) }</option>
                        }) }
                    </select>
                    if let Some(r) = p.ram {
                        <p class="sub ram-note">{ ram_note(r.kind, lang) }</p>
                    }
                </div>
                if let Some(r) = p.ram {
                    <Field id="ram-size" label={t.ram_size} value={r.size.encode()} hint={t.ram_hint} on_commit={on_ram_size} />
                    <div class="field">
                        <label for="split">{ t.split }</label>
                        <select id="split" onchange={on_split}>
                            <option value="auto" selected={split_id == "auto"}>{ t.split_auto }</option>
                            <option value="ngl" selected={split_id == "ngl"}>{ t.split_ngl }</option>
                            <option value="experts" selected={split_id == "experts"}>{ t.split_experts }</option>
                        </select>
                    </div>
                    if let Split::Layers(n) = p.split {
                        <Field id="gpu-layers" label={t.gpu_layers} value={n.to_string()} inputmode="numeric"
                            hint={t.gpu_layers_hint} on_commit={on_layers} />
                    }
                }
            }
        </section>
    }
}
