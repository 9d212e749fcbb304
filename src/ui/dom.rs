//! The few browser calls the page makes: the URL fragment, the clipboard, and hashchange.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// The current fragment, without `#`.
pub fn fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_string()).unwrap_or_default()
}

/// Writes the fragment without adding a history entry (and without firing hashchange).
pub fn replace_fragment(fragment: &str) {
    if let Some(w) = window() {
        if self::fragment() == fragment {
            return;
        }
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
        }
    }
}

/// This page's address with the given fragment.
pub fn page_url(fragment: &str) -> String {
    let base = window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?))
        })
        .unwrap_or_default();
    format!("{base}#{fragment}")
}

pub fn copy_text(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Calls `f` with the new fragment whenever the user changes it; stops when dropped.
pub struct HashListener {
    closure: Closure<dyn Fn()>,
}

impl HashListener {
    pub fn new(f: impl Fn(String) + 'static) -> HashListener {
        let closure = Closure::<dyn Fn()>::new(move || f(fragment()));
        if let Some(w) = window() {
            let _ = w.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
        }
        HashListener { closure }
    }
}

impl Drop for HashListener {
    fn drop(&mut self) {
        if let Some(w) = window() {
            let _ = w.remove_event_listener_with_callback("hashchange", self.closure.as_ref().unchecked_ref());
        }
    }
}
