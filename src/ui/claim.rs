//! "Check a size claim": a sentence in, each model's bytes and the verdict out (view state: the
//! text is not part of the link).

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::lang::{use_lang, use_strings};
use crate::core::claim::check;

#[function_component]
pub fn ClaimCheck() -> Html {
    let t = use_strings();
    let lang = use_lang();
    let text = use_state(|| None::<String>);
    let shown = (*text).clone().unwrap_or_else(|| t.claim_example.to_string());
    let result = use_memo((shown.clone(), lang), |(s, l)| check(s, *l));
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(Some(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    html! {
        <div class="claim">
            <h3 id="claim-title">{ t.claim_title }</h3>
            <p class="lead">{ t.claim_lead }</p>
            <div class="field">
                <label for="claim">{ t.claim_label }</label>
                <input id="claim" type="text" value={shown} oninput={on_input} autocomplete="off" spellcheck="false"
                    placeholder={t.claim_hint} />
            </div>
            <div class="claim-result" aria-live="polite">
                if let Some(c) = result.as_ref() {
                    <ul>{ for c.sizes.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                    <p class="claim-verdict"><strong>{ c.verdict.clone() }</strong></p>
                    <ul class="sub">{ for c.matches.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                } else {
                    <p class="hint">{ t.claim_none }</p>
                }
            </div>
        </div>
    }
}
