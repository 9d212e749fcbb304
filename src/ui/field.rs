//! A text input that checks what is typed. Text is committed on Enter, when the field loses
//! focus, or when typing pauses — never keystroke by keystroke, so a number typed digit by digit
//! is not applied at each prefix. Invalid text stays in the box with its message, and the
//! message says which value the results still use.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dom::Timeout;
use super::lang::{use_lang, use_strings};

use crate::core::text::i18n::{fill, Msg};

/// How long typing must pause before the text is committed.
pub const PAUSE_MS: i32 = 800;

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

/// What the user is typing: the text, and its message once a commit was tried and refused.
type Draft = Option<(String, Option<Msg>)>;

#[function_component]
pub fn Field(p: &FieldProps) -> Html {
    let draft = use_state(|| None::<(String, Option<Msg>)>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let lang = use_lang();
    let t = use_strings();
    // Tries the text: a valid one is applied (and the draft ends once the field is left).
    let attempt = {
        let (draft, commit) = (draft.clone(), p.on_commit.clone());
        Rc::new(move |text: String, leaving: bool| {
            let err = commit.emit(text.clone()).err();
            draft.set(if err.is_none() && leaving { None } else { Some((text, err)) });
        })
    };
    let oninput = {
        let (draft, timer, attempt) = (draft.clone(), timer.clone(), attempt.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            // Keep a shown message until the next try; the text follows the keys.
            let err = (*draft).as_ref().and_then(|(_, e)| e.clone());
            draft.set(Some((text.clone(), err)));
            let attempt = attempt.clone();
            *timer.borrow_mut() = Some(Timeout::new(PAUSE_MS, move || attempt(text, false)));
        })
    };
    let now = {
        let attempt = attempt.clone();
        Rc::new(move |timer: &Rc<RefCell<Option<Timeout>>>, draft: &UseStateHandle<Draft>, leaving: bool| {
            timer.borrow_mut().take();
            if let Some((text, _)) = (**draft).clone() {
                attempt(text, leaving);
            }
        })
    };
    let onkeydown = {
        let (timer, draft, now) = (timer.clone(), draft.clone(), now.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                now(&timer, &draft, false);
            }
        })
    };
    let onblur = {
        let (timer, draft) = (timer.clone(), draft.clone());
        Callback::from(move |_: FocusEvent| now(&timer, &draft, true))
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
                {oninput} {onkeydown} {onblur} />
            if let Some(e) = err {
                <p class="error" id={err_id} role="alert">
                    { e.text(lang) }
                    <span class="still">{ fill(t.field_still, &[&p.value]) }</span>
                </p>
            } else if !p.hint.is_empty() {
                <p class="hint" id={hint_id}>{ p.hint.clone() }</p>
            }
        </div>
    }
}
