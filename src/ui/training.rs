//! Inference or training, and the training settings (all in the link).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::field::Field;
use crate::core::scenario::Edit;
use crate::core::training::{Method, Optimizer, Targets, Training, MAX_DEVICES, MAX_RANK};

#[derive(Properties, PartialEq)]
pub struct TrainingProps {
    pub training: Option<Training>,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn TrainingPanel(p: &TrainingProps) -> Html {
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
    let number = |f: fn(Training, u32) -> Training, max: u32, what: &'static str| {
        let on_edit = p.on_edit.clone();
        Callback::from(move |text: String| match text.trim().parse::<u32>() {
            Ok(v) if (1..=max).contains(&v) => {
                on_edit.emit(Edit::Training(Some(f(t, v))));
                Ok(())
            }
            _ => Err(format!("{what}: a whole number from 1 to {max}")),
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
        <section class="training" aria-label="Inference or training">
            <div class="field">
                <label for="mode">{ "Memory for" }</label>
                <select id="mode" onchange={on_mode}>
                    <option value="infer" selected={p.training.is_none()}>{ "Inference (weights + KV cache)" }</option>
                    <option value="train" selected={p.training.is_some()}>{ "Training (weights, gradients, optimizer, activations)" }</option>
                </select>
            </div>
            if p.training.is_some() {
                <div class="field">
                    <label for="train-method">{ "Method" }</label>
                    <select id="train-method" onchange={set(|t, v| Training { method: Method::from_id(&v).unwrap_or_default(), ..t })}>
                        { for Method::ALL.iter().map(|m| html! { <option value={m.id()} selected={*m == t.method}>{ m.label() }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="train-opt">{ "Optimizer" }</label>
                    <select id="train-opt" onchange={set(|t, v| Training { optimizer: Optimizer::from_id(&v).unwrap_or_default(), ..t })}>
                        { for Optimizer::ALL.iter().map(|o| html! { <option value={o.id()} selected={*o == t.optimizer}>{ o.label() }</option> }) }
                    </select>
                </div>
                if lora {
                    <Field id="train-rank" label="LoRA rank" value={t.rank.to_string()} inputmode="numeric"
                        on_commit={number(|t, v| Training { rank: v, ..t }, MAX_RANK, "LoRA rank")} />
                    <div class="field">
                        <label for="train-targets">{ "LoRA on" }</label>
                        <select id="train-targets" onchange={set(|t, v| Training { targets: if v == "all" { Targets::AllLinear } else { Targets::QueryValue }, ..t })}>
                            <option value="qv" selected={t.targets == Targets::QueryValue}>{ "q and v projections" }</option>
                            <option value="all" selected={t.targets == Targets::AllLinear}>{ "every linear layer" }</option>
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="train-zero">{ "ZeRO stage" }</label>
                    <select id="train-zero" onchange={set(|t, v| Training { zero: v.parse().unwrap_or(0), ..t })}>
                        { for [(0u8, "0 — nothing partitioned"), (1, "1 — optimizer state"), (2, "2 — + gradients"), (3, "3 — + weights")].iter().map(|(z, l)| html! {
                            <option value={z.to_string()} selected={*z == t.zero}>{ *l }</option>
                        }) }
                    </select>
                </div>
                <Field id="train-gpus" label="Devices" value={t.devices.to_string()} inputmode="numeric"
                    hint="the budget is per device" on_commit={number(|t, v| Training { devices: v, ..t }, MAX_DEVICES, "Devices")} />
                <label class="check">
                    <input type="checkbox" id="train-ckpt" checked={t.checkpointing} onchange={on_ckpt} />
                    { "Activation checkpointing" }
                </label>
                <p class="hint span">{ "Per device. Context is the sequence length and batch the micro-batch per device. Bytes per parameter: ZeRO paper accounting; activations: Korthikanti et al. 2022." }</p>
            }
        </section>
    }
}
