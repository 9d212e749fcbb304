//! The lab's Web Worker, seen from the page: spawn it, send it a request, hear its events.
//! Dropping the handle terminates the worker (that is how Cancel works).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::core::lab::{FileRequest, LabEvent, LabRequest};

/// The module loader Trunk writes next to the page for the `bitbudget-worker` binary.
const WORKER_URL: &str = "bitbudget-worker_loader.js";

/// Requests wait here until the worker says it is ready.
type Outbox = Rc<RefCell<(bool, Vec<JsValue>)>>;

pub struct LabWorker {
    worker: Worker,
    outbox: Outbox,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(ErrorEvent)>,
}

impl LabWorker {
    pub fn spawn(
        on_event: impl Fn(LabEvent) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<LabWorker, String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &opts)
            .map_err(|e| format!("could not start the lab's worker: {e:?}"))?;
        let outbox: Outbox = Rc::new(RefCell::new((false, Vec::new())));
        let (w, ob) = (worker.clone(), outbox.clone());
        let onmessage =
            Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
                match serde_wasm_bindgen::from_value::<LabEvent>(e.data()) {
                    Ok(LabEvent::Ready) => {
                        let mut ob = ob.borrow_mut();
                        ob.0 = true;
                        for m in ob.1.drain(..) {
                            let _ = w.post_message(&m);
                        }
                    }
                    Ok(ev) => on_event(ev),
                    Err(err) => on_event(LabEvent::Failed {
                        job: 0,
                        message: format!("unreadable message from the worker: {err}"),
                    }),
                }
            });
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            on_error(e.message());
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        Ok(LabWorker { worker, outbox, _onmessage: onmessage, _onerror: onerror })
    }

    pub fn send(&self, req: &LabRequest) -> Result<(), String> {
        let v = serde_wasm_bindgen::to_value(req).map_err(|e| e.to_string())?;
        self.post(v)
    }

    /// A request about the user's file, with the file (a `File` is passed by reference, not copied).
    pub fn send_file(&self, req: &FileRequest, file: &web_sys::File) -> Result<(), String> {
        let v = serde_wasm_bindgen::to_value(req).map_err(|e| e.to_string())?;
        self.post(js_sys::Array::of2(&v, file).into())
    }

    fn post(&self, v: JsValue) -> Result<(), String> {
        let mut ob = self.outbox.borrow_mut();
        if ob.0 {
            self.worker.post_message(&v).map_err(|e| format!("{e:?}"))
        } else {
            ob.1.push(v);
            Ok(())
        }
    }
}

impl Drop for LabWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
