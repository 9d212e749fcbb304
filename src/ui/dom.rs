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

/// Narrow enough for the phone layout (the stylesheet switches at the same width).
pub fn narrow() -> bool {
    window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).is_some_and(|w| w <= 760.0)
}

/// Calls `f` on each `event` at the window; stops when dropped.
pub struct WindowListener {
    event: &'static str,
    closure: Closure<dyn Fn()>,
}

impl WindowListener {
    pub fn new(event: &'static str, f: impl Fn() + 'static) -> WindowListener {
        let closure = Closure::<dyn Fn()>::new(f);
        if let Some(w) = window() {
            let _ = w.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
        }
        WindowListener { event, closure }
    }

    /// Calls `f` with the new fragment whenever the user changes it.
    pub fn hash(f: impl Fn(String) + 'static) -> WindowListener {
        WindowListener::new("hashchange", move || f(fragment()))
    }
}

impl Drop for WindowListener {
    fn drop(&mut self) {
        if let Some(w) = window() {
            let _ = w.remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
        }
    }
}
