//! The lab's Web Worker: receives a `LabRequest`, runs it with the SIMD kernels, and posts
//! `LabEvent`s back. Messages are serde types carried by serde-wasm-bindgen. Cancelling is
//! the page terminating this worker.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bitbudget-worker runs in the page's Web Worker; build the page with `scripts/serve`.");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use bitbudget::core::lab::{run_request, LabEvent, LabRequest};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let scope = post_scope.clone();
        let post = move |event: LabEvent| {
            if let Ok(v) = serde_wasm_bindgen::to_value(&event) {
                let _ = scope.post_message(&v);
            }
        };
        match serde_wasm_bindgen::from_value::<LabRequest>(e.data()) {
            Ok(req) => {
                let perf = post_scope.performance();
                let now = move || perf.as_ref().map_or(0.0, |p| p.now());
                let mut emit = post;
                run_request(&req, &now, &mut emit);
            }
            Err(err) => post(LabEvent::Failed { job: 0, message: format!("malformed request: {err}") }),
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    if let Ok(v) = serde_wasm_bindgen::to_value(&LabEvent::Ready) {
        let _ = scope.post_message(&v);
    }
}
