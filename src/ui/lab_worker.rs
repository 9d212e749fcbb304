//! The lab's Web Worker, seen from the page: spawn it, send it a request, hear its events.
//! Dropping the handle terminates the worker (that is how Cancel works). A worker that throws
//! reports through `on_error`; one that dies without a word (closed, killed by the browser) is
//! noticed by a watchdog: a job that hears nothing for `SILENCE_MS` is reported the same way.
//! Either way the worker is terminated and `dead()` says so: its owner spawns a fresh one.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::core::lab::{FileRequest, LabEvent, LabRequest};
use crate::core::text::i18n::Msg;
use crate::msg;

/// The module loader Trunk writes next to the page for the `bitbudget-worker` binary.
const WORKER_URL: &str = "bitbudget-worker_loader.js";

/// Requests wait here until the worker says it is ready.
type Outbox = Rc<RefCell<(bool, Vec<JsValue>)>>;

/// A working worker speaks at least between chunks (progress is throttled to 50 ms; the slowest
/// chunk takes about a second); this much silence during a job means it is gone.
const SILENCE_MS: f64 = 10_000.0;

/// The jobs sent and not yet answered (`Done`, `Failed` or `Listing`), and when the worker was
/// last heard from (or last sent something).
#[derive(Default)]
struct Watch {
    jobs: RefCell<Vec<u32>>,
    heard: Cell<f64>,
    dead: Cell<bool>,
}

pub struct LabWorker {
    worker: Worker,
    outbox: Outbox,
    watch: Rc<Watch>,
    interval: Option<i32>,
    _onmessage: Closure<dyn Fn(MessageEvent)>,
    _onerror: Closure<dyn Fn(ErrorEvent)>,
    _watchdog: Closure<dyn Fn()>,
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

impl LabWorker {
    pub fn spawn(on_event: impl Fn(LabEvent) + 'static, on_error: impl Fn(Msg) + 'static) -> Result<LabWorker, Msg> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &opts).map_err(|e| msg!(w_start, format!("{e:?}")))?;
        let outbox: Outbox = Rc::new(RefCell::new((false, Vec::new())));
        let watch = Rc::new(Watch::default());
        let (w, ob, wa) = (worker.clone(), outbox.clone(), watch.clone());
        let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
            wa.heard.set(now());
            let ev = serde_wasm_bindgen::from_value::<LabEvent>(e.data());
            if let Ok(LabEvent::Done { job, .. } | LabEvent::Failed { job, .. } | LabEvent::Listing { job, .. }) = &ev {
                wa.jobs.borrow_mut().retain(|j| j != job);
            }
            match ev {
                Ok(LabEvent::Ready) => {
                    let mut ob = ob.borrow_mut();
                    ob.0 = true;
                    for m in ob.1.drain(..) {
                        let _ = w.post_message(&m);
                    }
                }
                Ok(ev) => on_event(ev),
                Err(err) => on_event(LabEvent::Failed { job: 0, message: msg!(w_unreadable, err.to_string()) }),
            }
        });
        // Thrown or silent: terminated, no job waits any longer, and the owner hears why.
        let (w, wa) = (worker.clone(), watch.clone());
        let die = Rc::new(move |why: Msg| {
            w.terminate();
            wa.jobs.borrow_mut().clear();
            wa.dead.set(true);
            on_error(why);
        });
        let d = die.clone();
        let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            d(Msg::from(e.message()));
        });
        let wa = watch.clone();
        let watchdog = Closure::<dyn Fn()>::new(move || {
            let waiting = !wa.jobs.borrow().is_empty();
            if waiting && now() - wa.heard.get() > SILENCE_MS {
                die(msg!(w_silent, (SILENCE_MS / 1000.0).to_string()));
            }
        });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let interval = web_sys::window().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(watchdog.as_ref().unchecked_ref(), 1000).ok()
        });
        Ok(LabWorker { worker, outbox, watch, interval, _onmessage: onmessage, _onerror: onerror, _watchdog: watchdog })
    }

    /// It threw or went silent and was terminated: spawn another.
    pub fn dead(&self) -> bool {
        self.watch.dead.get()
    }

    pub fn send(&self, req: &LabRequest) -> Result<(), Msg> {
        let v = serde_wasm_bindgen::to_value(req).map_err(|e| e.to_string())?;
        self.post(req.job, v)
    }

    /// A request about the user's file, with the file (a `File` is passed by reference, not copied).
    pub fn send_file(&self, req: &FileRequest, file: &web_sys::File) -> Result<(), Msg> {
        let v = serde_wasm_bindgen::to_value(req).map_err(|e| e.to_string())?;
        let (FileRequest::Open { job } | FileRequest::Tensors { job, .. }) = req;
        self.post(*job, js_sys::Array::of2(&v, file).into())
    }

    fn post(&self, job: u32, v: JsValue) -> Result<(), Msg> {
        self.watch.jobs.borrow_mut().push(job);
        self.watch.heard.set(now());
        let mut ob = self.outbox.borrow_mut();
        if ob.0 {
            self.worker.post_message(&v).map_err(|e| Msg::from(format!("{e:?}")))
        } else {
            ob.1.push(v);
            Ok(())
        }
    }
}

impl Drop for LabWorker {
    fn drop(&mut self) {
        if let (Some(w), Some(id)) = (web_sys::window(), self.interval) {
            w.clear_interval_with_handle(id);
        }
        self.worker.terminate();
    }
}
