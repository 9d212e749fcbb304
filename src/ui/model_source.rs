//! "Your model": a config.json pasted, opened, or fetched from the Hugging Face Hub on a click,
//! read by `core::files::config` and added as a configuration (its layout goes into the link).
//! A bad file or a failed fetch is a message here; the configurations stay as they were.

use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::dom;
use super::lang::use_lang;
use crate::core::catalog::model::ModelRef;
use crate::core::catalog::sparsity::Sparsity;
use crate::core::files::config::{check_config_size, read_config};
use crate::core::files::hub::{file_url, index_total, repo_id, CONFIG, HUB, INDEX};
use crate::core::state::scenario::{Edit, MAX_CONFIGS};
use crate::core::text::i18n::{fill, Lang, Msg};
use crate::core::view::files_view::{config_view, hub_total_text, ConfigView};
use crate::msg;

#[derive(Properties, PartialEq)]
pub struct ModelSourceProps {
    pub configs: usize,
    pub on_edit: Callback<Edit>,
}

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Busy(String),
    Failed(Msg),
    /// Added as configuration n; for a model fetched from the Hub, what its index says.
    Added(usize, ConfigView, Option<String>),
}

/// Reads `bytes` as a config.json and adds its model; what happened, for the page to say.
fn add(bytes: &[u8], lang: Lang, configs: usize, on_edit: &Callback<Edit>) -> Outcome {
    if configs >= MAX_CONFIGS {
        return Outcome::Failed(msg!(src_full, MAX_CONFIGS));
    }
    match read_config(bytes) {
        Ok(m) => {
            let view = config_view(&m, lang);
            on_edit.emit(Edit::Insert(ModelRef::Custom(m.arch), view.scheme, Sparsity::Dense));
            Outcome::Added(configs + 1, view, None)
        }
        Err(e) => Outcome::Failed(e),
    }
}

/// A config.json from the Hub, or why not (offline, gated, missing, another status).
async fn fetch_config(id: &str, url: &str) -> Result<String, Msg> {
    dom::fetch_text(url).await.map_err(|status| match status {
        None => msg!(hub_offline, id),
        Some(s @ (401 | 403)) => msg!(hub_gated, id, s),
        Some(404) => msg!(hub_missing, id),
        Some(s) => msg!(hub_status, id, s),
    })
}

/// What the repository's safetensors index says beside the weights counted here.
async fn index_line(id: &str, view: &ConfigView, lang: Lang) -> String {
    let t = lang.strings();
    match dom::fetch_text(&file_url(id, INDEX)).await {
        Ok(text) => match index_total(text.as_bytes()) {
            Ok(total) => hub_total_text(view, total, lang),
            Err(m) => fill(t.src_hub_index_failed, &[INDEX, &m.text(lang)]),
        },
        Err(Some(404)) => fill(t.src_hub_no_index, &[INDEX]),
        Err(None) => fill(t.src_hub_index_failed, &[INDEX, &msg!(hub_offline, id).text(lang)]),
        Err(Some(s)) => fill(t.src_hub_index_failed, &[INDEX, &msg!(hub_status, id, s).text(lang)]),
    }
}

#[function_component]
pub fn ModelSource(p: &ModelSourceProps) -> Html {
    let lang = use_lang();
    let t = lang.strings();
    let pasted = use_state(String::new);
    let hub = use_state(String::new);
    let outcome = use_state(|| Outcome::None);
    let on_paste = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| pasted.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_add = {
        let (pasted, outcome, on_edit, n) = (pasted.clone(), outcome.clone(), p.on_edit.clone(), p.configs);
        Callback::from(move |_: MouseEvent| outcome.set(add(pasted.as_bytes(), lang, n, &on_edit)))
    };
    let on_open = {
        let (outcome, on_edit, n) = (outcome.clone(), p.on_edit.clone(), p.configs);
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            // Refused from its size before a byte is read.
            if let Err(m) = check_config_size(file.size() as u64) {
                outcome.set(Outcome::Failed(m));
                return;
            }
            let (outcome, on_edit) = (outcome.clone(), on_edit.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
                outcome.set(match text {
                    Some(text) => add(text.as_bytes(), lang, n, &on_edit),
                    None => Outcome::Failed(msg!(src_unreadable)),
                });
            });
        })
    };
    let on_hub = {
        let hub = hub.clone();
        Callback::from(move |e: InputEvent| hub.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_fetch = {
        let (hub, outcome, on_edit, n) = (hub.clone(), outcome.clone(), p.on_edit.clone(), p.configs);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let id = match repo_id(&hub) {
                Ok(id) => id,
                Err(m) => return outcome.set(Outcome::Failed(m)),
            };
            let url = file_url(&id, CONFIG);
            outcome.set(Outcome::Busy(url.clone()));
            let (outcome, on_edit) = (outcome.clone(), on_edit.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let added = match fetch_config(&id, &url).await {
                    Ok(text) => add(text.as_bytes(), lang, n, &on_edit),
                    Err(m) => Outcome::Failed(m),
                };
                // Then, on the same click, the repository's safetensors index: its total bytes.
                let Outcome::Added(i, view, _) = added else { return outcome.set(added) };
                let asking = fill(lang.strings().src_hub_index, &[INDEX]);
                outcome.set(Outcome::Added(i, view.clone(), Some(asking)));
                let line = index_line(&id, &view, lang).await;
                outcome.set(Outcome::Added(i, view, Some(line)));
            });
        })
    };
    let notes = |title: &str, items: &[String]| {
        (!items.is_empty()).then(|| {
            html! {
                <div class="src-notes">
                    <p class="sub">{ title.to_string() }</p>
                    <ul>{ for items.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
                </div>
            }
        })
    };
    html! {
        <details class="model-source card">
            <summary><h2 id="src-title">{ t.src_title }</h2></summary>
            <p class="lead">{ t.src_lead }</p>
            <div class="field">
                <label for="src-paste">{ t.src_paste_label }</label>
                <textarea id="src-paste" rows="5" value={(*pasted).clone()} oninput={on_paste} spellcheck="false"
                    autocomplete="off" placeholder={t.src_paste_hint} />
            </div>
            <div class="src-row">
                <button type="button" class="primary" onclick={on_add} disabled={pasted.trim().is_empty()}>
                    { t.src_add }</button>
                <label class="file-button">
                    { t.src_open }
                    <input id="src-file" type="file" accept=".json,application/json" onchange={on_open} />
                </label>
            </div>
            <form class="src-hub" onsubmit={on_fetch}>
                <div class="field">
                    <label for="src-hub">{ t.src_hub_label }</label>
                    <input id="src-hub" type="text" value={(*hub).clone()} oninput={on_hub} placeholder={t.src_hub_hint}
                        autocomplete="off" spellcheck="false" />
                </div>
                <button type="submit" disabled={hub.trim().is_empty()}>{ t.src_fetch }</button>
                <p class="sub">{ fill(t.src_fetch_note, &[HUB]) }</p>
            </form>
            <div class="src-outcome" aria-live="polite">
                { match &*outcome {
                    Outcome::None => html! {},
                    Outcome::Busy(url) => html! { <p>{ fill(t.src_fetching, &[url]) }</p> },
                    Outcome::Failed(m) => html! { <p class="error" role="alert">{ m.text(lang) }</p> },
                    Outcome::Added(i, v, hub) => html! {
                        <>
                            <p class="ok-text src-added">
                                { fill(t.src_added, &[&i.to_string(), v.scheme.name, &v.summary]) }</p>
                            { for hub.iter().map(|line| html! { <p class="src-hub-total">{ line.clone() }</p> }) }
                            { for notes(t.src_assumed, &v.assumed) }
                            { for notes(t.src_unread, &v.unread) }
                        </>
                    },
                } }
            </div>
        </details>
    }
}
