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

fn inner_width() -> Option<f64> {
    window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64())
}

/// Narrow enough for the phone layout (the stylesheet switches at the same width).
pub fn narrow() -> bool {
    inner_width().is_some_and(|w| w <= 760.0)
}

/// Wide enough for the summary's small chart beside the inputs (the stylesheet shows it from
/// the same width).
pub fn wide() -> bool {
    inner_width().is_some_and(|w| w >= 1200.0)
}

/// Runs `f` once after `ms`, unless dropped first.
pub struct Timeout {
    id: Option<i32>,
    _closure: Closure<dyn FnMut()>,
}

impl Timeout {
    pub fn new(ms: i32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let closure = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(closure.as_ref().unchecked_ref(), ms).ok()
        });
        Timeout { id, _closure: closure }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(w)) = (self.id, window()) {
            w.clear_timeout_with_handle(id);
        }
    }
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

/// Calls `f` with an element's width (CSS px) when it is first laid out and whenever it
/// changes — a resize, a `<details>` opening; stops when dropped.
pub struct WidthWatch {
    observer: web_sys::ResizeObserver,
    _closure: Closure<dyn Fn(js_sys::Array)>,
}

impl WidthWatch {
    pub fn new(el: &web_sys::Element, f: impl Fn(f64) + 'static) -> Option<WidthWatch> {
        let closure = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(e) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                f(e.content_rect().width());
            }
        });
        let observer = web_sys::ResizeObserver::new(closure.as_ref().unchecked_ref()).ok()?;
        observer.observe(el);
        Some(WidthWatch { observer, _closure: closure })
    }
}

impl Drop for WidthWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// Saves a blob as a file named `name` (a click on a `download` link; nothing leaves the page).
pub fn download_blob(name: &str, blob: &web_sys::Blob) {
    let (Some(doc), Ok(url)) = (document(), web_sys::Url::create_object_url_with_blob(blob)) else { return };
    if let Some(a) = doc.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked once the download has started, not at once (some browsers read it later).
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}

fn blob(text: &str, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

pub fn download_text(name: &str, mime: &str, text: &str) {
    if let Some(b) = blob(text, mime) {
        download_blob(name, &b);
    }
}

/// What the page's stylesheet gives a chart; a saved SVG has no stylesheet, so these are
/// written onto each element.
const CHART_STYLE: [&str; 14] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "visibility",
    "display",
];

/// A chart as a standalone SVG file: the drawn element with its computed styles inlined and
/// its section's background behind it.
pub fn chart_svg(svg: &web_sys::Element) -> Option<String> {
    let w = window()?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let (from, to) = (svg.query_selector_all("*").ok()?, copy.query_selector_all("*").ok()?);
    let inline = |src: &web_sys::Element, dst: &web_sys::Element| {
        let Ok(Some(cs)) = w.get_computed_style(src) else { return };
        let style: String = CHART_STYLE
            .iter()
            .filter_map(|p| cs.get_property_value(p).ok().filter(|v| !v.is_empty()).map(|v| format!("{p}:{v};")))
            .collect();
        let _ = dst.set_attribute("style", &style);
    };
    inline(svg, &copy);
    for i in 0..from.length() {
        if let (Some(a), Some(b)) = (from.item(i), to.item(i)) {
            if let (Ok(a), Ok(b)) = (a.dyn_into::<web_sys::Element>(), b.dyn_into::<web_sys::Element>()) {
                inline(&a, &b);
            }
        }
    }
    let rect = svg.get_bounding_client_rect();
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("width", &format!("{:.0}", rect.width()));
    let _ = copy.set_attribute("height", &format!("{:.0}", rect.height()));
    let background = svg
        .closest("section")
        .ok()
        .flatten()
        .and_then(|s| w.get_computed_style(&s).ok().flatten())
        .and_then(|cs| cs.get_property_value("background-color").ok())
        .unwrap_or_default();
    let _ = copy.set_attribute("style", &format!("background:{background}"));
    if let Some(doc) = document() {
        if let Ok(bg) = doc.create_element_ns(Some("http://www.w3.org/2000/svg"), "rect") {
            for (k, v) in [("width", "100%"), ("height", "100%"), ("fill", background.as_str())] {
                let _ = bg.set_attribute(k, v);
            }
            let _ = copy.prepend_with_node_1(&bg);
        }
    }
    web_sys::XmlSerializer::new().ok()?.serialize_to_string(&copy).ok()
}

/// A chart as a PNG at twice its drawn size: the standalone SVG drawn on a canvas.
pub fn download_png(svg: &web_sys::Element, name: &str) {
    let (Some(markup), Some(doc)) = (chart_svg(svg), document()) else { return };
    let (Some(b), Ok(img)) = (blob(&markup, "image/svg+xml"), web_sys::HtmlImageElement::new()) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&b) else { return };
    let rect = svg.get_bounding_client_rect();
    let (w, h) = (rect.width().round() * 2.0, rect.height().round() * 2.0);
    let (name, src) = (name.to_string(), url.clone());
    let loaded = img.clone();
    let onload = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
        let Some(canvas) =
            doc.create_element("canvas").ok().and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(&loaded, 0.0, 0.0, w, h);
        let saved = Closure::once_into_js(move |png: Option<web_sys::Blob>| {
            if let Some(png) = png {
                download_blob(&name, &png);
            }
        });
        let _ = canvas.to_blob(saved.unchecked_ref());
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&src);
}

/// The browser's preferred languages, most preferred first.
pub fn languages() -> Vec<String> {
    window().map(|w| w.navigator().languages().iter().filter_map(|v| v.as_string()).collect()).unwrap_or_default()
}

/// The document's `lang`, for screen readers, fonts and hyphenation.
/// The page's `lang` attribute and its title, in the language shown.
pub fn set_document_lang(tag: &str, title: &str) {
    if let Some(d) = document() {
        if let Some(root) = d.document_element() {
            let _ = root.set_attribute("lang", tag);
        }
        d.set_title(title);
    }
}

/// Moves the keyboard focus to the element with this id.
pub fn focus(id: &str) {
    if let Some(e) =
        document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// A file's text by URL (this page's own, or the Hub's), or its HTTP status (`None`: no answer
/// at all). No cookies, no referrer beyond the origin: the Hub learns only which file was asked
/// for.
pub async fn fetch_text(url: &str) -> Result<String, Option<u16>> {
    use web_sys::{RequestCredentials, RequestInit, RequestMode, Response};
    let window = web_sys::window().ok_or(None)?;
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    init.set_mode(RequestMode::Cors);
    let response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| None)?;
    let response: Response = response.dyn_into().map_err(|_| None)?;
    if response.status() != 200 {
        return Err(Some(response.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| None)?).await.map_err(|_| None)?;
    text.as_string().ok_or(None)
}
