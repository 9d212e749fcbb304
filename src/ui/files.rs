//! "Your own tensors": open a .safetensors, .gguf or .npy file (picker or drag and drop), list
//! its tensors from the header alone, and quantize one with the lab's formats. The file stays
//! in this browser: the worker reads slices of it with `FileReaderSync`; the page never holds
//! its bytes. The section's state lives in its own reducer (a file cannot go into the link).

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use super::lang::{use_lang, use_strings};

use super::lab::{PruningSelect, SqnrScatter};
use super::lab_worker::LabWorker;
use crate::core::catalog::model::ModelRef;
use crate::core::catalog::scheme;
use crate::core::catalog::sparsity::{with_pruned, Sparsity};
use crate::core::files::model::{from_listing, sample_per_class};
use crate::core::files::Listing;
use crate::core::kernels::runner::FormatResult;
use crate::core::lab::{FileRequest, LabEvent};
use crate::core::state::scenario::{Edit, MAX_CONFIGS};
use crate::core::text::i18n::{fill, Key, Msg, Strings};
use crate::core::view::files_view::{file_error, model_view, rows, shape_text, summary};
use crate::core::view::lab_view;
use crate::msg;

#[derive(Debug, Clone, PartialEq)]
struct Running {
    tensor: String,
    /// Which tensor of how many this request runs.
    index: u32,
    tensors: u32,
    reading: f64,
    format: u32,
    fraction: f64,
    total: u32,
}

#[derive(Debug, Clone, PartialEq)]
struct TensorResult {
    tensor: String,
    shape: Vec<u64>,
    results: Vec<FormatResult>,
    skipped: Vec<(String, Msg)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FilesState {
    job: u32,
    name: String,
    listing: Option<Rc<Listing>>,
    error: Option<Msg>,
    running: Option<Running>,
    results: Vec<TensorResult>,
    dragging: bool,
    /// The job of the latest run: the results are scrolled into view when it changes.
    started: u32,
}

pub enum FileAction {
    Opened { job: u32, name: String },
    Start { job: u32, tensors: u32, total: u32 },
    Event(LabEvent),
    Crashed(Msg),
    Cancelled,
    Drag(bool),
}

impl Reducible for FilesState {
    type Action = FileAction;

    fn reduce(self: Rc<Self>, action: FileAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            FileAction::Opened { job, name } => {
                s = FilesState { job, name, ..FilesState::default() };
            }
            FileAction::Start { job, tensors, total } => {
                s.job = job;
                s.started = job;
                s.error = None;
                s.running = Some(Running {
                    tensor: String::new(),
                    index: 0,
                    tensors,
                    reading: 0.0,
                    format: 0,
                    fraction: 0.0,
                    total,
                });
            }
            FileAction::Event(ev) => apply(&mut s, ev),
            FileAction::Crashed(m) => {
                s.running = None;
                s.error = Some(msg!(worker_stopped, file_error(&s.name, m)));
            }
            FileAction::Cancelled => {
                s.running = None;
                s.error = Some(msg!(cancelled));
            }
            FileAction::Drag(on) => s.dragging = on,
        }
        Rc::new(s)
    }
}

fn apply(s: &mut FilesState, ev: LabEvent) {
    let current = |s: &FilesState, job: u32| job == s.job;
    match ev {
        LabEvent::Listing { job, listing } if current(s, job) => s.listing = Some(Rc::new(*listing)),
        LabEvent::TensorStart { job, index, name, shape } if current(s, job) => {
            s.results.retain(|r| r.tensor != name);
            s.results.insert(0, TensorResult { tensor: name.clone(), shape, results: vec![], skipped: vec![] });
            if let Some(r) = s.running.as_mut() {
                (r.tensor, r.index, r.reading, r.format, r.fraction) = (name, index, 0.0, 0, 0.0);
            }
        }
        LabEvent::Reading { job, fraction } if current(s, job) => {
            if let Some(r) = s.running.as_mut() {
                r.reading = fraction;
            }
        }
        LabEvent::Progress { job, format, fraction } if current(s, job) => {
            if let Some(r) = s.running.as_mut() {
                (r.reading, r.format, r.fraction) = (1.0, format, fraction);
            }
        }
        LabEvent::Result { job, result } if current(s, job) => {
            if let Some(t) = s.results.first_mut() {
                t.results.push(*result);
            }
        }
        LabEvent::Skipped { job, id, reason } if current(s, job) => {
            if let Some(t) = s.results.first_mut() {
                t.skipped.push((id, reason));
            }
        }
        LabEvent::Done { job, .. } if current(s, job) => s.running = None,
        LabEvent::Failed { job, message } if current(s, job) || job == 0 => {
            s.running = None;
            s.error = Some(file_error(&s.name, message));
        }
        _ => {}
    }
}

/// ` (tensor 2 of 5)` when a request runs several.
fn of_n(tx: &Strings, r: &Running) -> String {
    if r.tensors > 1 {
        fill(tx.tensor_of, &[&(r.index + 1).to_string(), &r.tensors.to_string()])
    } else {
        String::new()
    }
}

#[derive(Properties, PartialEq)]
pub struct FilesProps {
    /// The lab's formats, in its order.
    pub formats: Vec<&'static str>,
    /// Adds the file's model to the comparison.
    pub on_edit: Callback<Edit>,
    pub configs: usize,
}

#[function_component]
pub fn Files(p: &FilesProps) -> Html {
    let tx = use_strings();
    let lang = use_lang();
    let state = use_reducer(FilesState::default);
    let slot: Rc<RefCell<(Option<LabWorker>, Option<File>)>> = use_mut_ref(|| (None, None));

    // A worker for this section; spawned again after a cancel or a crash.
    let ensure = {
        let (slot, d) = (slot.clone(), state.dispatcher());
        move || -> Result<(), Msg> {
            let mut s = slot.borrow_mut();
            if s.0.as_ref().is_none_or(LabWorker::dead) {
                let (de, dx) = (d.clone(), d.clone());
                s.0 = Some(LabWorker::spawn(
                    move |ev| de.dispatch(FileAction::Event(ev)),
                    move |m| dx.dispatch(FileAction::Crashed(m)),
                )?);
            }
            Ok(())
        }
    };
    let open = {
        let (slot, d, ensure, job) = (slot.clone(), state.dispatcher(), ensure.clone(), state.job);
        Rc::new(move |file: File| {
            slot.borrow_mut().0.take();
            let job = job + 1;
            d.dispatch(FileAction::Opened { job, name: file.name() });
            let sent = ensure().and_then(|_| {
                let s = slot.borrow();
                s.0.as_ref().map_or(Ok(()), |w| w.send_file(&FileRequest::Open { job }, &file))
            });
            slot.borrow_mut().1 = Some(file);
            if let Err(m) = sent {
                d.dispatch(FileAction::Event(LabEvent::Failed { job, message: m }));
            }
        })
    };
    let on_pick = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                open(f);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let (open, d) = (open.clone(), state.dispatcher());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            d.dispatch(FileAction::Drag(false));
            if let Some(f) = e.data_transfer().and_then(|t| t.files()).and_then(|l| l.get(0)) {
                open(f);
            }
        })
    };
    let on_over = {
        let d = state.dispatcher();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            d.dispatch(FileAction::Drag(true));
        })
    };
    let on_leave = {
        let d = state.dispatcher();
        Callback::from(move |_: DragEvent| d.dispatch(FileAction::Drag(false)))
    };
    // Each format, then each again pruned along the tensor's rows (its last dimension).
    let sparsity = use_state(|| Sparsity::Dense);
    let on_sparse = {
        let sparsity = sparsity.clone();
        Callback::from(move |sp: Sparsity| sparsity.set(sp))
    };
    // Runs the lab over some of the listing's tensors, in one request.
    let run_many = {
        let (slot, d, ensure, job) = (slot.clone(), state.dispatcher(), ensure.clone(), state.job);
        let listing = state.listing.clone();
        let formats = with_pruned(&p.formats, *sparsity);
        Rc::new(move |indices: Vec<usize>| {
            let entries: Vec<_> =
                indices.iter().filter_map(|i| listing.as_ref().and_then(|l| l.tensors.get(*i)).cloned()).collect();
            if entries.is_empty() || formats.is_empty() {
                return;
            }
            let job = job + 1;
            d.dispatch(FileAction::Start { job, tensors: entries.len() as u32, total: formats.len() as u32 });
            let sent = ensure().and_then(|_| {
                let s = slot.borrow();
                match (&s.0, &s.1) {
                    (Some(w), Some(f)) => {
                        w.send_file(&FileRequest::Tensors { job, entries, formats: formats.clone() }, f)
                    }
                    _ => Err(msg!(no_file_open)),
                }
            });
            if let Err(m) = sent {
                d.dispatch(FileAction::Event(LabEvent::Failed { job, message: m }));
            }
        })
    };
    let run = |index: usize| {
        let run_many = run_many.clone();
        Callback::from(move |_: MouseEvent| run_many(vec![index]))
    };
    let per_class = use_state(|| 1usize);
    let on_per_class = {
        let per_class = per_class.clone();
        Callback::from(move |e: Event| {
            per_class.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value().parse().unwrap_or(1))
        })
    };
    let on_sample = {
        let (run_many, listing, k) = (run_many.clone(), state.listing.clone(), *per_class);
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = listing.as_ref() {
                run_many(sample_per_class(l, k));
            }
        })
    };
    let on_cancel = {
        let (slot, d) = (slot.clone(), state.dispatcher());
        Callback::from(move |_: MouseEvent| {
            slot.borrow_mut().0.take();
            d.dispatch(FileAction::Cancelled);
        })
    };
    if matches!(&state.error, Some(Msg::Text(Key::worker_stopped, _))) {
        slot.borrow_mut().0.take();
    }
    let listing_rows = state.listing.as_ref().map(|l| rows(l, tx)).unwrap_or_default();
    let file_model = use_memo(state.listing.clone(), |l| l.as_ref().and_then(|l| from_listing(l)));
    let model = use_memo((file_model.clone(), lang), |(m, lang)| m.as_ref().as_ref().map(|m| model_view(m, *lang)));
    let add = file_model.as_ref().as_ref().and_then(|m| {
        let arch = m.link_arch?;
        let sc = m.stored_as.or_else(|| scheme::by_id("bf16"))?;
        Some(p.on_edit.reform(move |_: MouseEvent| Edit::Insert(ModelRef::Custom(arch), sc, Sparsity::Dense)))
    });
    let busy = state.running.is_some();
    // A run's progress and results show under the tensors; a row's Quantize may be far above
    // the fold from there, so the page goes to them.
    let run_ref = use_node_ref();
    {
        let run_ref = run_ref.clone();
        use_effect_with(state.started, move |started| {
            if *started > 0 {
                if let Some(el) = run_ref.cast::<web_sys::Element>() {
                    el.scroll_into_view_with_bool(true);
                }
            }
        });
    }
    html! {
        <section class="files" aria-labelledby="files-title">
            <h2 id="files-title">{ tx.files_title }</h2>
            <p class="lead">{ tx.files_lead }</p>
            <label class={classes!("dropzone", state.dragging.then_some("over"))}
                ondragover={on_over} ondragleave={on_leave} ondrop={on_drop}>
                // The native input says "No file chosen" once its value is cleared (so the same
                // file can be opened again): it is hidden, and the open file is named here.
                <input type="file" id="file-input" class="file-input" accept=".safetensors,.gguf,.npy" onchange={on_pick} />
                <span class="file-button">{ tx.choose_file }</span>
                <span class="file-name">{ if state.name.is_empty() { tx.file_none.to_string() } else { fill(tx.file_open, &[&state.name]) } }</span>
            </label>
            if let Some(e) = &state.error {
                <p class="lab-error" role="alert">{ e.text(lang) }</p>
            }
            if let Some(l) = &state.listing {
                <p class="file-summary">{ summary(&state.name, l, tx) }</p>
                <div class="sample-row">
                    <label for="per-class">{ tx.sample_up_to }</label>
                    <select id="per-class" onchange={on_per_class}>
                        { for [1usize, 2, 3, 4].iter().map(|k| html! { <option value={k.to_string()} selected={*k == *per_class}>{ k }</option> }) }
                    </select>
                    <span>{ tx.per_class }</span>
                    <button type="button" id="file-sample" disabled={busy} onclick={on_sample}>{ tx.quantize_sample }</button>
                </div>
                <div class="sample-row file-pruning">
                    <PruningSelect id="file-sparse" value={*sparsity} on_change={on_sparse} />
                    <span class="sub">{ tx.file_pruning_rows }</span>
                </div>
                <div class="table-wrap file-tensors">
                    <table id="file-tensors">
                        <caption class="visually-hidden">{ tx.tensors_caption }</caption>
                        <thead><tr>
                            <th scope="col">{ tx.col_tensor }</th><th scope="col">{ tx.col_shape }</th><th scope="col">{ tx.col_type }</th>
                            <th scope="col">{ tx.col_values }</th><th scope="col">{ tx.col_bytes }</th><th scope="col"><span class="visually-hidden">{ tx.quantize }</span></th>
                        </tr></thead>
                        <tbody>
                            { for listing_rows.iter().map(|r| html! {
                                <tr>
                                    <th scope="row" class="tensor-name">{ r.name.clone() }</th>
                                    <td>{ r.shape.clone() }</td><td>{ r.dtype.clone() }</td>
                                    <td>{ r.elements.clone() }</td><td>{ r.bytes.clone() }</td>
                                    <td>
                                        if let Some(why) = &r.blocked {
                                            <span class="sub">{ why.clone() }</span>
                                        } else {
                                            <button type="button" class="quiet" disabled={busy} onclick={run(r.index)}
                                                aria-label={fill(tx.quantize_n, &[&r.name])}>{ tx.quantize }</button>
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            <div class="file-run" ref={run_ref}>
                if let Some(r) = &state.running {
                    <div class="file-progress" role="status">
                        <div class="progress"><div class="progress-bar" style={format!("width:{:.1}%",
                            if r.reading < 1.0 { r.reading * 100.0 } else { (f64::from(r.format) + r.fraction) / f64::from(r.total.max(1)) * 100.0 })}></div></div>
                        <p class="progress-text">{
                            if r.tensor.is_empty() { tx.starting.to_string() }
                            else if r.reading < 1.0 { fill(tx.reading_tensor, &[&r.tensor, &lang.percent(&format!("{:.0}", r.reading * 100.0)), &of_n(tx, r)]) }
                            else { fill(tx.quantizing_tensor, &[&r.tensor, &(r.format + 1).min(r.total).to_string(), &r.total.to_string(), &of_n(tx, r)]) }
                        }</p>
                        <button type="button" class="danger" onclick={on_cancel}>{ tx.cancel }</button>
                    </div>
                }
                { for state.results.iter().enumerate().map(|(i, t)| { let first = i == 0; html! {
                    <div class="tensor-result">
                        <h3>{ format!("{} · {}", t.tensor, shape_text(&t.shape, tx)) }</h3>
                        <div class="table-wrap">
                            <table class="lab-table">
                                <thead><tr><th scope="col">{ tx.format }</th><th scope="col">{ tx.col_bits_weight }</th>
                                    <th scope="col">{ "SQNR" }</th><th scope="col">{ "RMSE" }</th><th scope="col">{ tx.col_max_error }</th></tr></thead>
                                <tbody>
                                    { for lab_view::rows(&t.results, tx).into_iter().map(|r| html! {
                                        <tr data-format={r.id.clone()}><th scope="row">{ r.name }</th><td>{ r.bpw }</td>
                                            <td class="sqnr">{ r.sqnr }</td><td>{ r.rmse }</td><td>{ r.max_err }</td></tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                        <details class="file-scatter" open={first}>
                            <summary>{ tx.sqnr_caption }</summary>
                            <div class="charts">
                                <SqnrScatter results={t.results.clone()} name="bitbudget-file-sqnr" />
                            </div>
                        </details>
                        if !t.skipped.is_empty() {
                            <p class="sub">{ fill(tx.skipped, &[&t.skipped.iter().map(|(id, why)| format!("{id} ({})", why.text(lang))).collect::<Vec<_>>().join("; ")]) }</p>
                        }
                    </div>
                }}) }
            </div>
            if let Some(m) = model.as_ref() {
                <details class="file-model" open=true>
                    <summary>{ fill(tx.file_model, &[&m.summary]) }</summary>
                    <p class="sub">{ m.classes.clone() }</p>
                    <p class="stored">{ m.stored.clone() }</p>
                    if let Some(add) = add.clone() {
                        <button type="button" id="file-add" class="primary" disabled={p.configs >= MAX_CONFIGS} onclick={add}>
                            { tx.add_file_model }</button>
                        <p class="sub">{ tx.add_file_model_hint }</p>
                    }
                    if let Some(u) = &m.unrecognised {
                        <p class="sub">{ u.clone() }</p>
                    }
                    <div class="table-wrap file-footprint">
                        <table id="file-footprint">
                            <caption class="visually-hidden">{ tx.file_formats_caption }</caption>
                            <thead><tr><th scope="col">{ tx.format }</th><th scope="col">{ tx.col_weights }</th><th scope="col">{ tx.col_bpw }</th></tr></thead>
                            <tbody>
                                { for m.rows.iter().map(|r| html! {
                                    <tr class={classes!(r.stored.then_some("selected"))}>
                                        <th scope="row">{ r.scheme }{ if r.stored { tx.this_file } else { "" } }</th>
                                        <td>{ r.bytes.clone() }</td><td>{ r.bpw.clone() }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                </details>
            }
        </section>
    }
}
