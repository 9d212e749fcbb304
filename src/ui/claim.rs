//! "Check a size claim": a sentence or a paragraph in, each model's bytes, its family, the size
//! the claim states against the computed one, and the verdict out. The text is the scenario's
//! (`claim=` in the link), edited through the reducer.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::lang::{use_lang, use_strings};
use crate::core::compare::claim::{check, Holds};
use crate::core::state::scenario::{Edit, MAX_CLAIM};

#[derive(Properties, PartialEq)]
pub struct ClaimProps {
    /// `None`: the example in the page's language.
    pub text: Option<String>,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn ClaimCheck(p: &ClaimProps) -> Html {
    let t = use_strings();
    let lang = use_lang();
    let shown = p.text.clone().unwrap_or_else(|| t.claim_example.to_string());
    let result = use_memo((shown.clone(), lang), |(s, l)| check(s, *l));
    let on_input =
        p.on_edit.reform(|e: InputEvent| Edit::Claim(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let note = |class: &'static str, text: &Option<String>| {
        text.as_ref().map(|s| html! { <li class={class}>{ s.clone() }</li> })
    };
    html! {
        <div class="claim">
            <h3 id="claim-title">{ t.claim_title }</h3>
            <p class="lead">{ t.claim_lead }</p>
            <div class="field">
                <label for="claim">{ t.claim_label }</label>
                // A paragraph is pasted as often as a sentence is typed.
                <textarea id="claim" rows="3" value={shown} oninput={on_input} autocomplete="off" spellcheck="false"
                    maxlength={MAX_CLAIM.to_string()} placeholder={t.claim_hint} />
            </div>
            <div class="claim-result" aria-live="polite">
                if let Some(c) = result.as_ref() {
                    <ul class="claim-models">{ for c.models.iter().map(|m| {
                        let holds = match m.holds {
                            Some(Holds::Yes) => "ok-text",
                            Some(Holds::No) => "bad-text",
                            _ => "",
                        };
                        html! {
                            <li>
                                <span class="claim-size">{ m.size.clone() }</span>
                                <ul class="sub">
                                    { for note("claim-family", &m.family) }
                                    { for note("claim-layout", &m.layout) }
                                    if let Some(s) = &m.stated {
                                        <li class={classes!("claim-stated", holds)}>{ s.clone() }</li>
                                    }
                                </ul>
                            </li>
                        }
                    }) }</ul>
                    if let Some(v) = &c.verdict {
                        <p class="claim-verdict"><strong>{ v.clone() }</strong></p>
                    }
                    <ul class="sub claim-matches">{ for c.matches.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                } else {
                    <p class="hint">{ t.claim_none }</p>
                }
            </div>
        </div>
    }
}
