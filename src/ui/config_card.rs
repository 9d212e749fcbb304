//! One configuration: model (preset or count), format, context, batch and KV format.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::lang::use_strings;

use super::field::Field;
use crate::core::catalog::format::{by_id, KV_FORMATS};
use crate::core::catalog::model::{ModelRef, PRESETS};
use crate::core::catalog::scheme::Group;
use crate::core::catalog::sparsity::{Sparsity, PATTERNS};
use crate::core::state::scenario::{
    parse_batch, parse_context, parse_kv, parse_scheme, parse_tokens, Config, Edit, MAX_CONFIGS,
};
use crate::core::text::i18n::{fill, Msg, Strings};
use crate::core::text::units::{count_to_slider, format_count, human_count, slider_to_count, SLIDER_STEPS};
use crate::core::view::report::{scheme_options, SchemeOption};

#[derive(Properties, PartialEq)]
pub struct CardProps {
    pub index: usize,
    pub config: Config,
    pub count: usize,
    pub on_edit: Callback<Edit>,
}

fn select_value(e: Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

#[function_component]
pub fn ConfigCard(p: &CardProps) -> Html {
    let t = use_strings();
    let i = p.index;
    let c = &p.config;
    let id = |name: &str| format!("{name}-{}", i + 1);
    let edit = |f: fn(usize, String) -> Option<Edit>| {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(edit) = f(i, select_value(e)) {
                on_edit.emit(edit);
            }
        })
    };
    let options = use_memo((c.model, c.scheme), |(m, s)| scheme_options(m, s));
    // A preset shows its count rounded; a raw count shows exactly what the link holds.
    let (params, count_text) = match c.model {
        ModelRef::Preset(p) => (p.arch.params(), human_count(p.arch.params())),
        ModelRef::Count(n) | ModelRef::Scaled(_, n) => (n, format_count(n)),
        ModelRef::Custom(a) => (a.params(), human_count(a.params())),
    };
    let commit = |f: fn(usize, &str) -> Result<Edit, Msg>| {
        let on_edit = p.on_edit.clone();
        Callback::from(move |text: String| f(i, &text).map(|e| on_edit.emit(e)))
    };
    // Off a preset, the slider keeps its layout and tokens; the preset's own position brings it
    // back exactly (a position's count is rounded to three figures, the preset's is not).
    let on_slide = {
        let (on_edit, model) = (p.on_edit.clone(), c.model);
        Callback::from(move |e: InputEvent| {
            let pos = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0);
            let home = model.preset().filter(|p| count_to_slider(p.arch.params()) == pos);
            let n = home.map_or_else(|| slider_to_count(pos), |p| p.arch.params());
            on_edit.emit(Edit::Model(i, model.with_count(n)));
        })
    };
    let on_count = {
        let (on_edit, model) = (p.on_edit.clone(), c.model);
        Callback::from(move |text: String| {
            let m = ModelRef::parse(&text)?;
            on_edit.emit(Edit::Model(i, if let ModelRef::Count(n) = m { model.with_count(n) } else { m }));
            Ok(())
        })
    };
    let preset_id = match c.model {
        ModelRef::Preset(p) => p.id,
        ModelRef::Count(_) => "custom",
        ModelRef::Custom(_) => "arch",
        ModelRef::Scaled(..) => "scaled",
    };
    let action = |e: Edit| p.on_edit.reform(move |_: MouseEvent| e.clone());
    html! {
        <section class="card" aria-labelledby={id("title")}>
            <header class="card-head">
                <h3 id={id("title")}>{ fill(t.configuration_n, &[&(i + 1).to_string()]) }</h3>
                <div class="card-actions">
                    <button type="button" class="quiet" disabled={p.count >= MAX_CONFIGS}
                        onclick={action(Edit::Duplicate(i))} aria-label={fill(t.duplicate_n, &[&(i + 1).to_string()])}>{ t.duplicate }</button>
                    <button type="button" class="quiet" disabled={p.count <= 1}
                        onclick={action(Edit::Remove(i))} aria-label={fill(t.remove_n, &[&(i + 1).to_string()])}>{ t.remove }</button>
                </div>
            </header>
            <div class="field">
                <label for={id("model")}>{ t.model }</label>
                <select id={id("model")} onchange={{
                    let on_edit = p.on_edit.clone();
                    Callback::from(move |e: Event| {
                        let v = select_value(e);
                        // "Custom count" keeps the count and lets the size pick the layout.
                        let m = if v == "custom" { Some(ModelRef::Count(params)) } else { PRESETS.iter().find(|p| p.id == v).map(ModelRef::Preset) };
                        if let Some(m) = m {
                            on_edit.emit(Edit::Model(i, m));
                        }
                    })
                }}>
                    <option value="custom" selected={preset_id == "custom"}>{ t.custom_count }</option>
                    if let ModelRef::Custom(a) = c.model {
                        <option value="arch" selected=true>{ fill(t.from_file, &[&a.layers.to_string(), &human_count(a.params())]) }</option>
                    }
                    if let ModelRef::Scaled(s, _) = c.model {
                        <option value="scaled" selected=true>{ fill(t.scaled_option, &[s.name]) }</option>
                    }
                    <PresetOptions selected={preset_id} />
                </select>
            </div>
            <div class="count-row">
                <Field id={id("count")} label={t.parameters} value={count_text} inputmode="decimal"
                    hint={t.count_hint}
                    on_commit={on_count} />
                <input type="range" class="slider" min="0" max={SLIDER_STEPS.to_string()} step="1"
                    id={id("slider")} aria-label={fill(t.slider_label, &[&(i + 1).to_string()])}
                    aria-valuetext={human_count(params)}
                    value={count_to_slider(params).to_string()} oninput={on_slide} />
            </div>
            <div class="field">
                <label for={id("format")}>{ t.format }</label>
                <select id={id("format")} onchange={edit(|i, v| parse_scheme(&v).ok().map(|s| Edit::Scheme(i, s)))}>
                    <SchemeOptions options={options} selected={c.scheme.id} />
                </select>
            </div>
            <div class="field">
                <label for={id("sparsity")}>{ t.sparsity }</label>
                <select id={id("sparsity")} onchange={edit(|i, v| {
                    Some(Edit::Sparsity(i, if v.is_empty() { Sparsity::Dense } else { Sparsity::parse(&v).ok()? }))
                })}>
                    { for PATTERNS.iter().copied().chain((!PATTERNS.contains(&c.sparsity)).then_some(c.sparsity)).map(|sp| {
                        let label = if sp == Sparsity::Dense { t.dense.to_string() } else { sp.label(t) };
                        html! { <option value={sp.suffix().trim_start_matches('+').to_string()} selected={sp == c.sparsity}>{ label }</option> }
                    }) }
                </select>
            </div>
            <div class="grid3">
                <Field id={id("ctx")} label={t.context} value={c.ctx_text()}
                    on_commit={commit(|i, t| parse_context(t).map(|v| Edit::Ctx(i, v)))} />
                <Field id={id("batch")} label={t.batch} value={c.batch.to_string()} inputmode="numeric"
                    on_commit={commit(|i, t| parse_batch(t).map(|v| Edit::Batch(i, v)))} />
                <div class="field">
                    <label for={id("kv")}>{ t.kv_cache }</label>
                    <select id={id("kv")} onchange={edit(|i, v| parse_kv(&v).ok().map(|f| Edit::Kv(i, f)))}>
                        { for KV_FORMATS.iter().filter_map(|k| by_id(k)).map(|f| html! {
                            <option value={f.id} selected={f.id == c.kv.id}>{ f.name }</option>
                        }) }
                    </select>
                </div>
            </div>
            <Field id={id("tokens")} label={t.training_tokens} value={c.tokens.map(format_count).unwrap_or_default()}
                inputmode="decimal" hint={tokens_hint(t, &c.model)}
                on_commit={commit(|i, t| if t.trim().is_empty() { Ok(Edit::Tokens(i, None)) } else { parse_tokens(t).map(|v| Edit::Tokens(i, Some(v))) })} />
        </section>
    }
}

/// What an empty training-tokens field means for this model.
fn tokens_hint(t: &Strings, m: &ModelRef) -> String {
    match m.preset() {
        Some(p) if p.trained_tokens.is_some() => {
            fill(t.tokens_hint_published, &[&human_count(p.trained_tokens.unwrap_or(0.0) as u64)])
        }
        _ => t.tokens_hint_rule.to_string(),
    }
}

#[derive(Properties, PartialEq)]
struct PresetProps {
    selected: &'static str,
}

/// The preset list: re-rendered only when the selection changes, not on every slider step.
#[function_component]
fn PresetOptions(p: &PresetProps) -> Html {
    html! {
        { for PRESETS.iter().map(|o| html! {
            <option value={o.id} selected={o.id == p.selected}>{ format!("{} · {}", o.name, human_count(o.arch.params())) }</option>
        }) }
    }
}

#[derive(Properties, PartialEq)]
struct SchemeProps {
    options: Rc<Vec<(Group, Vec<SchemeOption>)>>,
    selected: &'static str,
}

/// The formats, grouped, with this model's bits per weight: re-rendered when those change.
#[function_component]
fn SchemeOptions(p: &SchemeProps) -> Html {
    let t = use_strings();
    html! {
        { for p.options.iter().map(|(group, opts)| html! {
            <optgroup label={group.label(t)}>
                { for opts.iter().map(|o| html! {
                    <option value={o.id} selected={o.id == p.selected}>{ o.label.clone() }</option>
                }) }
            </optgroup>
        }) }
    }
}
