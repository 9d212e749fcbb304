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

/// The fragment waiting to be written, the last write's time (ms), and the pending timer.
struct UrlWrite {
    pending: Option<String>,
    last: f64,
    timer: Option<i32>,
    write: Option<Closure<dyn Fn()>>,
}

thread_local! {
    static URL_WRITE: std::cell::RefCell<UrlWrite> =
        const { std::cell::RefCell::new(UrlWrite { pending: None, last: f64::NEG_INFINITY, timer: None, write: None }) };
}

/// Chromium spends ~4 ms in each replaceState, and a slider drag asks for one per step: while
/// edits keep coming, the write waits until they pause this long (the latest fragment wins).
const URL_QUIET_MS: i32 = 250;

fn now() -> f64 {
    window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Writes the fragment without adding a history entry (and without firing hashchange): at once
/// after a quiet spell, else when the edits pause for `URL_QUIET_MS`.
pub fn replace_fragment(fragment: &str) {
    let Some(w) = window() else { return };
    let quiet = URL_WRITE.with(|u| {
        let mut u = u.borrow_mut();
        u.pending = Some(fragment.to_string());
        let waiting = u.timer.take().inspect(|&t| w.clear_timeout_with_handle(t)).is_some();
        let quiet = !waiting && now() - u.last >= f64::from(URL_QUIET_MS);
        if !quiet {
            let write = u.write.get_or_insert_with(|| Closure::new(write_pending));
            u.timer = w
                .set_timeout_with_callback_and_timeout_and_arguments_0(write.as_ref().unchecked_ref(), URL_QUIET_MS)
                .ok();
        }
        quiet || u.timer.is_none()
    });
    if quiet {
        write_pending();
    }
}

/// Writes a waiting fragment now (before the link is copied, so the address bar agrees).
pub fn flush_fragment() {
    if let Some(t) = URL_WRITE.with(|u| u.borrow_mut().timer.take()) {
        if let Some(w) = window() {
            w.clear_timeout_with_handle(t);
        }
    }
    write_pending();
}

fn write_pending() {
    let Some(fragment) = URL_WRITE.with(|u| {
        let mut u = u.borrow_mut();
        u.last = now();
        u.timer = None;
        u.pending.take()
    }) else {
        return;
    };
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        if self::fragment() != fragment {
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
