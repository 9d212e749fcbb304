//! Inference or training, and the training settings (all in the link).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::lang::use_strings;

use super::field::Field;
use crate::core::memory::training::{Method, Optimizer, Targets, Training, MAX_DEVICES, MAX_RANK};
use crate::core::state::scenario::Edit;
use crate::core::text::i18n::{Key, Msg};
use crate::msg;

#[derive(Properties, PartialEq)]
pub struct TrainingProps {
    pub training: Option<Training>,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn TrainingPanel(p: &TrainingProps) -> Html {
    let tr = use_strings();
    let set = |f: fn(Training, String) -> Training| {
        let (on_edit, t) = (p.on_edit.clone(), p.training.unwrap_or_default());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            on_edit.emit(Edit::Training(Some(f(t, v))));
        })
    };
    let on_mode = {
        let (on_edit, t) = (p.on_edit.clone(), p.training);
        Callback::from(move |e: Event| {
            let train = e.target_unchecked_into::<HtmlSelectElement>().value() == "train";
            on_edit.emit(Edit::Training(if train { Some(t.unwrap_or_default()) } else { None }));
        })
    };
    let t = p.training.unwrap_or_default();
    let number = |f: fn(Training, u32) -> Training, max: u32, what: Key| {
        let on_edit = p.on_edit.clone();
        Callback::from(move |text: String| match text.trim().parse::<u32>() {
            Ok(v) if (1..=max).contains(&v) => {
                on_edit.emit(Edit::Training(Some(f(t, v))));
                Ok(())
            }
            _ => Err(msg!(whole_number, Msg::new(what, vec![]), max)),
        })
    };
    let on_ckpt = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            on_edit.emit(Edit::Training(Some(Training { checkpointing: on, ..t })));
        })
    };
    let lora = t.method != Method::Full;
    html! {
        <section class="training" aria-label={tr.mode_section}>
            <div class="field">
                <label for="mode">{ tr.memory_for }</label>
                <select id="mode" onchange={on_mode}>
                    <option value="infer" selected={p.training.is_none()}>{ tr.inference_mode }</option>
                    <option value="train" selected={p.training.is_some()}>{ tr.training_mode }</option>
                </select>
            </div>
            if p.training.is_some() {
                <div class="field">
                    <label for="train-method">{ tr.method }</label>
                    <select id="train-method" onchange={set(|t, v| Training { method: Method::from_id(&v).unwrap_or_default(), ..t })}>
                        { for Method::ALL.iter().map(|m| html! { <option value={m.id()} selected={*m == t.method}>{ match m { Method::Full => tr.method_full, Method::Lora => tr.method_lora, Method::Qlora => tr.method_qlora } }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="train-opt">{ tr.optimizer }</label>
                    <select id="train-opt" onchange={set(|t, v| Training { optimizer: Optimizer::from_id(&v).unwrap_or_default(), ..t })}>
                        { for Optimizer::ALL.iter().map(|o| html! { <option value={o.id()} selected={*o == t.optimizer}>{ match o { Optimizer::AdamFp32 => tr.opt_adam32, Optimizer::MixedAdam => tr.opt_mixed, Optimizer::Adam8bit => tr.opt_adam8 } }</option> }) }
                    </select>
                </div>
                if lora {
                    <Field id="train-rank" label={tr.lora_rank} value={t.rank.to_string()} inputmode="numeric"
                        on_commit={number(|t, v| Training { rank: v, ..t }, MAX_RANK, Key::lora_rank)} />
                    <div class="field">
                        <label for="train-targets">{ tr.lora_on }</label>
                        <select id="train-targets" onchange={set(|t, v| Training { targets: if v == "all" { Targets::AllLinear } else { Targets::QueryValue }, ..t })}>
                            <option value="qv" selected={t.targets == Targets::QueryValue}>{ tr.targets_qv }</option>
                            <option value="all" selected={t.targets == Targets::AllLinear}>{ tr.targets_all }</option>
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="train-zero">{ tr.zero_stage }</label>
                    <select id="train-zero" onchange={set(|t, v| Training { zero: v.parse().unwrap_or(0), ..t })}>
                        { for [(0u8, tr.zero_0), (1, tr.zero_1), (2, tr.zero_2), (3, tr.zero_3)].iter().map(|(z, l)| html! {
                            <option value={z.to_string()} selected={*z == t.zero}>{ *l }</option>
                        }) }
                    </select>
                </div>
                <Field id="train-gpus" label={tr.devices} value={t.devices.to_string()} inputmode="numeric"
                    hint={tr.devices_hint} on_commit={number(|t, v| Training { devices: v, ..t }, MAX_DEVICES, Key::devices)} />
                <label class="check">
                    <input type="checkbox" id="train-ckpt" checked={t.checkpointing} onchange={on_ckpt} />
                    { tr.checkpointing }
                </label>
                <p class="hint span">{ tr.training_hint }</p>
            }
        </section>
    }
}
