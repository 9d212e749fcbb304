//! The lab's Web Worker: receives a `LabRequest` (a sample tensor) or `[FileRequest, File]` (the
//! user's file, read here with `FileReaderSync` a slice at a time, so the page never holds its
//! bytes), runs it with the SIMD kernels, and posts `LabEvent`s back. Messages are serde types
//! carried by serde-wasm-bindgen. Cancelling is the page terminating this worker.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("bitbudget-worker runs in the page's Web Worker; build the page with `scripts/serve`.");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
fn main() {
    use bitbudget::core::lab::{run_file_request, run_request, FileRequest, LabEvent, LabRequest};
    use bitbudget::core::text::i18n::Msg;
    use bitbudget::msg;
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
        let perf = post_scope.performance();
        let now = move || perf.as_ref().map_or(0.0, |p| p.now());
        // Progress at most every 50 ms: each message re-renders the page, and a 64 Mi run has
        // thousands of chunks. Then the peak wasm memory, after the run.
        let last = std::cell::Cell::new(f64::NEG_INFINITY);
        let job = std::cell::Cell::new(0u32);
        let post = {
            let now = now.clone();
            move |event: LabEvent| {
                if let LabEvent::Progress { job: j, fraction, .. } = &event {
                    job.set(*j);
                    if now() - last.get() < 50.0 && *fraction < 1.0 {
                        return;
                    }
                    last.set(now());
                }
                let done = matches!(event, LabEvent::Done { .. });
                if let LabEvent::Done { job: j, .. } = &event {
                    job.set(*j);
                }
                post(event);
                if done {
                    let bytes = core::arch::wasm32::memory_size(0) as u64 * 65536;
                    post(LabEvent::Memory { job: job.get(), bytes });
                }
            }
        };
        let data = e.data();
        if js_sys::Array::is_array(&data) {
            let parts: js_sys::Array = data.unchecked_into();
            let file: web_sys::Blob = parts.get(1).unchecked_into();
            match (serde_wasm_bindgen::from_value::<FileRequest>(parts.get(0)), web_sys::FileReaderSync::new()) {
                (Ok(req), Ok(reader)) => {
                    let mut read = |offset: u64, len: u64| -> Result<Vec<u8>, Msg> {
                        let end = offset.saturating_add(len);
                        let slice = file
                            .slice_with_f64_and_f64(offset as f64, end as f64)
                            .map_err(|e| msg!(w_slice, format!("{e:?}")))?;
                        let buf = reader.read_as_array_buffer(&slice).map_err(|e| msg!(w_read, format!("{e:?}")))?;
                        Ok(js_sys::Uint8Array::new(&buf).to_vec())
                    };
                    let mut emit = post;
                    run_file_request(&req, file.size() as u64, &mut read, &now, &mut emit);
                }
                (Err(err), _) => post(LabEvent::Failed { job: 0, message: msg!(w_malformed, err.to_string()) }),
                (_, Err(err)) => post(LabEvent::Failed { job: 0, message: msg!(w_no_reader, format!("{err:?}")) }),
            }
            return;
        }
        match serde_wasm_bindgen::from_value::<LabRequest>(data) {
            Ok(req) => {
                let mut emit = post;
                run_request(&req, &now, &mut emit);
            }
            Err(err) => post(LabEvent::Failed { job: 0, message: msg!(w_malformed, err.to_string()) }),
        }
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    if let Ok(v) = serde_wasm_bindgen::to_value(&LabEvent::Ready) {
        let _ = scope.post_message(&v);
    }
}
