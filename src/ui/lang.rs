//! The page's language: given to every component through a context, switched in the header.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::core::state::scenario::Edit;
use crate::core::text::i18n::{Lang, Strings};

/// This render's language.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// This render's texts.
#[hook]
pub fn use_strings() -> &'static Strings {
    use_lang().strings()
}

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub lang: Lang,
    pub on_edit: Callback<Edit>,
}

#[function_component]
pub fn LangSwitch(p: &LangSwitchProps) -> Html {
    // The language shown (the context), which is English while a chosen one's table loads.
    let t = use_strings();
    let on_change = p.on_edit.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Edit::Lang(Lang::parse(&v).unwrap_or_default())
    });
    html! {
        <div class="lang-switch">
            <label for="lang">{ t.language }</label>
            <select id="lang" onchange={on_change}>
                { for Lang::ALL.iter().map(|l| html! {
                    <option value={l.id()} lang={l.id()} selected={*l == p.lang}>{ l.name() }</option>
                }) }
            </select>
        </div>
    }
}
