//! What reading the link reported: unknown keys, malformed values and their fallbacks.

use yew::prelude::*;

use super::lang::use_strings;

use crate::core::state::scenario::{Level, Notice};

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<()>,
}

#[function_component]
pub fn Notices(p: &NoticesProps) -> Html {
    let t = use_strings();
    if p.notices.is_empty() {
        return html! {};
    }
    let serious = p.notices.iter().any(|n| n.level == Level::Error);
    let dismiss = p.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <section class={classes!("notices", serious.then_some("serious"))} role="alert" aria-label={t.notices_label}>
            <div class="notices-head">
                <strong>{ if serious { t.notices_serious } else { t.notices_ignored } }</strong>
                <button type="button" class="quiet" onclick={dismiss}>{ t.dismiss }</button>
            </div>
            <ul>
                { for p.notices.iter().map(|n| html! { <li>{ n.text.written(t) }</li> }) }
            </ul>
        </section>
    }
}
