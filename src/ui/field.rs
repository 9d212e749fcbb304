//! A text input that checks what is typed: valid text is committed at once, invalid text stays
//! in the box with its message until it is fixed, and the committed value never breaks.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::lang::use_lang;

use crate::core::i18n::Msg;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The committed value, as canonical text.
    pub value: AttrValue,
    /// Tries to commit the text; returns the message when it cannot.
    pub on_commit: Callback<String, Result<(), Msg>>,
    #[prop_or_default]
    pub hint: AttrValue,
    #[prop_or(AttrValue::Static("text"))]
    pub inputmode: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
}

#[function_component]
pub fn Field(p: &FieldProps) -> Html {
    // What the user is typing, and its message, until the field loses focus.
    let draft = use_state(|| None::<(String, Option<Msg>)>);
    let lang = use_lang();
    let oninput = {
        let (draft, commit) = (draft.clone(), p.on_commit.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            let err = commit.emit(text.clone()).err();
            draft.set(Some((text, err)));
        })
    };
    let onblur = {
        let draft = draft.clone();
        Callback::from(move |_: FocusEvent| {
            if matches!(&*draft, Some((_, None))) {
                draft.set(None);
            }
        })
    };
    let (text, err) = match &*draft {
        Some((t, e)) => (AttrValue::from(t.clone()), e.clone()),
        None => (p.value.clone(), None),
    };
    let err_id = format!("{}-error", p.id);
    let hint_id = format!("{}-hint", p.id);
    let described = match (&err, p.hint.is_empty()) {
        (Some(_), _) => Some(err_id.clone()),
        (None, false) => Some(hint_id.clone()),
        _ => None,
    };
    html! {
        <div class={classes!("field", err.is_some().then_some("invalid"))}>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <input id={p.id.clone()} type="text" inputmode={p.inputmode.clone()} value={text}
                spellcheck="false" autocomplete="off" disabled={p.disabled}
                aria-invalid={err.is_some().to_string()} aria-describedby={described}
                {oninput} {onblur} />
            if let Some(e) = err {
                <p class="error" id={err_id} role="alert">{ e.text(lang) }</p>
            } else if !p.hint.is_empty() {
                <p class="hint" id={hint_id}>{ p.hint.clone() }</p>
            }
        </div>
    }
}
