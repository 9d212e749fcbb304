//! The quantization lab: settings (kept in the link), Run / Cancel, progress, the results
//! table, the SQNR-versus-bpw scatter and the selected format's error histogram.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::dom::WidthWatch;
use super::export::ChartExport;
use super::field::Field;
use super::lab_worker::LabWorker;
use super::lang::{use_lang, use_strings};
use super::state::{Action, LabRun, State};
use crate::core::catalog::sparsity::{Sparsity, PATTERNS};
use crate::core::kernels::quant::{info, infos};
use crate::core::kernels::runner::FormatResult;
use crate::core::kernels::tensor::{Distribution, SIZES};
use crate::core::lab::{families, family_id, family_ids, LabPreset, LabRequest};
use crate::core::state::scenario::{format_elements, Edit, LabSettings};
use crate::core::text::i18n::{fill, Strings};
use crate::core::text::units::fmt_bytes;
use crate::core::view::lab_view::{histogram, read_only_lines, rows, scatter, scatter_width, DOT, HEIGHT, WIDTH};
use crate::msg;

#[derive(Properties, PartialEq)]
pub struct LabProps {
    pub settings: LabSettings,
    pub run: LabRun,
    pub dispatch: UseReducerDispatcher<State>,
}

#[function_component]
pub fn Lab(p: &LabProps) -> Html {
    let tx = use_strings();
    let lang = use_lang();
    let worker: Rc<RefCell<Option<LabWorker>>> = use_mut_ref(|| None);
    let hist_ref = use_node_ref();
    let set = {
        let (d, current) = (p.dispatch.clone(), p.settings.clone());
        move |f: Box<dyn Fn(&mut LabSettings)>| {
            let mut next = current.clone();
            f(&mut next);
            d.dispatch(Action::Edit(Edit::Lab(next)));
        }
    };
    let on_dist = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = Distribution::from_id(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                set(Box::new(move |s| s.dist = d));
            }
        })
    };
    let on_sparse = {
        let set = set.clone();
        Callback::from(move |sp: Sparsity| set(Box::new(move |s| s.sparsity = sp)))
    };
    let on_size = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            if let Ok(n) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>() {
                set(Box::new(move |s| s.elements = n));
            }
        })
    };
    let on_seed = {
        let set = set.clone();
        Callback::from(move |t: String| {
            let seed = t.trim().parse::<u32>().map_err(|_| msg!(seed_error))?;
            set(Box::new(move |s| s.seed = seed));
            Ok(())
        })
    };
    let chosen = p.settings.kernel_ids();
    // Ticks or unticks a group of kernels (one, or a family), or picks a preset outright.
    let toggle = |group: Vec<&'static str>| {
        let (d, settings) = (p.dispatch.clone(), p.settings.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            d.dispatch(Action::Edit(Edit::Lab(settings.toggling(&group, on))));
        })
    };
    let pick = |preset: LabPreset| {
        let (d, settings) = (p.dispatch.clone(), p.settings.clone());
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Edit(Edit::Lab(settings.choosing(&preset.ids())))))
    };
    let preset = p.settings.preset();
    let on_run = {
        let (d, worker, settings, job) = (p.dispatch.clone(), worker.clone(), p.settings.clone(), p.run.job + 1);
        Callback::from(move |_: MouseEvent| {
            let formats = settings.run_ids();
            if formats.is_empty() {
                return;
            }
            let mut slot = worker.borrow_mut();
            if slot.as_ref().is_none_or(LabWorker::dead) {
                let (de, dx) = (d.clone(), d.clone());
                match LabWorker::spawn(
                    move |ev| de.dispatch(Action::Lab(ev)),
                    move |m| dx.dispatch(Action::LabStopped(Some(m))),
                ) {
                    Ok(w) => *slot = Some(w),
                    Err(m) => return d.dispatch(Action::LabStopped(Some(m))),
                }
            }
            let req = LabRequest {
                job,
                dist: settings.dist.id().into(),
                elements: settings.elements,
                seed: settings.seed,
                formats,
            };
            d.dispatch(Action::LabStart { job, total: req.formats.len() as u32 });
            if let Some(Err(m)) = slot.as_ref().map(|w| w.send(&req)) {
                d.dispatch(Action::LabStopped(Some(m)));
            }
        })
    };
    let on_cancel = {
        let (d, worker) = (p.dispatch.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            worker.borrow_mut().take();
            d.dispatch(Action::LabStopped(None));
        })
    };
    let run = &p.run;
    let table = rows(&run.results, tx);
    let selected =
        run.selected.as_ref().and_then(|id| run.results.iter().find(|r| &r.id == id)).or(run.results.first());
    let hist = selected.map(|r| histogram(r, tx));
    let done = run.results.len();
    // The entry running now, named as its result will be (`Q8_0 · 2:4 sparse`).
    let current = p.settings.run_name(run.format as usize, tx);
    let overall =
        if run.total == 0 { 0.0 } else { (f64::from(run.format) + run.fraction) / f64::from(run.total) * 100.0 };
    html! {
        <section class="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">{ tx.lab_title }</h2>
            <p class="lead">{ tx.lab_lead }</p>
            <div class="lab-settings">
                <div class="field">
                    <label for="lab-dist">{ tx.distribution }</label>
                    <select id="lab-dist" onchange={on_dist}>
                        { for Distribution::ALL.iter().map(|d| html! {
                            <option value={d.id()} selected={*d == p.settings.dist}>{ dist_label(tx, *d) }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="lab-size">{ tx.elements }</label>
                    <select id="lab-size" onchange={on_size}>
                        { for SIZES.iter().map(|&n| html! {
                            <option value={n.to_string()} selected={n as u32 == p.settings.elements}>{ format_elements(n as u32) }</option>
                        }) }
                    </select>
                </div>
                <PruningSelect id="lab-sparse" value={p.settings.sparsity} on_change={on_sparse} />
                <Field id="lab-seed" label={tx.seed} value={p.settings.seed.to_string()} inputmode="numeric" on_commit={on_seed} />
                <div class="lab-actions">
                    if run.running {
                        <button type="button" class="danger" onclick={on_cancel}>{ tx.cancel }</button>
                    } else {
                        <button type="button" class="primary" id="lab-run" onclick={on_run} disabled={chosen.is_empty()}>{ tx.run_lab }</button>
                    }
                </div>
            </div>
            <details class="lab-formats">
                <summary>{ fill(tx.formats_n, &[&chosen.len().to_string(), &infos().len().to_string()]) }</summary>
                <div class="presets" role="group" aria-labelledby="lab-presets">
                    <span id="lab-presets">{ tx.lab_presets }</span>
                    { for LabPreset::ALL.iter().map(|&pr| html! {
                        <button type="button" class="quiet" data-preset={pr.id()} aria-pressed={(preset == Some(pr)).to_string()}
                            onclick={pick(pr)}>{ pr.label(tx) }</button>
                    }) }
                </div>
                { for families().into_iter().map(|f| {
                    let ids = family_ids(f);
                    let n = p.settings.chosen_of(&ids);
                    html! {
                    <fieldset class="family" data-family={family_id(f)}>
                        <legend>
                            <label class="check">
                                <input type="checkbox" class="family-toggle" checked={n == ids.len()}
                                    ~indeterminate={JsValue::from_bool(n > 0 && n < ids.len())} onchange={toggle(ids.clone())} />
                                { fill(tx.family_n, &[f.label(tx), &n.to_string(), &ids.len().to_string()]) }
                            </label>
                        </legend>
                        <div class="format-grid">
                            { for ids.iter().filter_map(|id| info(id)).map(|k| html! {
                                <label class="check">
                                    <input type="checkbox" checked={chosen.contains(&k.id)} onchange={toggle(vec![k.id])} />
                                    { k.name }
                                </label>
                            }) }
                        </div>
                    </fieldset>
                }}) }
                <div class="hint read-only">
                    <p>{ tx.lab_read_only_lead }</p>
                    <ul>{ for read_only_lines(tx).into_iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                </div>
            </details>
            if run.running {
                <div class="progress" role="progressbar" aria-label={tx.lab_progress} aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow={format!("{overall:.0}")}>
                    <div class="progress-bar" style={format!("width:{overall:.1}%")}></div>
                </div>
                <p class="progress-text" aria-live="polite">{ fill(tx.progress_text, &[current.as_deref().unwrap_or("…"), &lang.percent(&format!("{:.0}", run.fraction * 100.0)), &done.to_string(), &run.total.to_string()]) }</p>
            }
            if let Some(e) = &run.error {
                <p class="lab-error" role="alert">{ e.written(tx) }</p>
            }
            if let Some(ms) = run.total_ms.filter(|_| !run.running) {
                <p class="hint lab-summary" data-ms={format!("{ms:.0}")} data-memory={run.memory.map(|m| m.to_string())}>
                    { fill(tx.lab_summary, &[&done.to_string(), &format_elements(p.settings.elements), dist_label(tx, p.settings.dist), &format!("{:.1}", ms / 1000.0)]) }
                    { run.memory.map(|m| fill(tx.worker_memory, &[&fmt_bytes(m)])).unwrap_or_default() }</p>
            }
            if !table.is_empty() {
                <div class="table-wrap">
                    <table class="lab-table">
                        <thead><tr>
                            <th scope="col">{ tx.format }</th><th scope="col">{ tx.col_bits_weight }</th><th scope="col">{ tx.col_bytes }</th>
                            <th scope="col">{ "RMSE" }</th><th scope="col">{ "SQNR" }</th><th scope="col">{ tx.col_max_err }</th>
                            <th scope="col">{ tx.col_mean_err }</th><th scope="col">{ tx.col_cosine }</th><th scope="col">{ tx.col_quantize }</th>
                            <th scope="col">{ tx.col_melem }</th><th scope="col" title={tx.col_simd_title}>{ tx.col_simd }</th>
                            <th scope="col">{ tx.col_notes }</th>
                        </tr></thead>
                        <tbody>
                            { for table.iter().map(|r| {
                                let pick = { let (d, id) = (p.dispatch.clone(), r.id.clone()); Callback::from(move |_: MouseEvent| d.dispatch(Action::LabSelect(id.clone()))) };
                                let is_sel = selected.is_some_and(|s| s.id == r.id);
                                html! {
                                <tr class={classes!(is_sel.then_some("selected"))} data-format={r.id.clone()}>
                                    <th scope="row"><button type="button" class="link" onclick={pick} aria-pressed={is_sel.to_string()}>{ r.name.clone() }</button></th>
                                    <td>{ r.bpw.clone() }</td><td>{ r.bytes.clone() }</td><td>{ r.rmse.clone() }</td>
                                    <td class="sqnr">{ r.sqnr.clone() }</td><td>{ r.max_err.clone() }</td><td>{ r.mean_err.clone() }</td>
                                    <td>{ r.cosine.clone() }</td><td>{ r.time.clone() }</td><td>{ r.throughput.clone() }</td>
                                    <td>{ r.speedup.clone() }</td><td>{ r.note.clone() }</td>
                                </tr>
                            }}) }
                        </tbody>
                    </table>
                </div>
                <div class="charts">
                    <SqnrScatter results={run.results.clone()} selected={selected.map(|s| s.id.clone())} name="bitbudget-lab-sqnr"
                        on_pick={Callback::from(p.dispatch.clone()).reform(Action::LabSelect)} />
                    if let (Some(h), Some(sel)) = (hist, selected) {
                        <figure class="hist">
                            <figcaption>{ fill(tx.hist_caption, &[&sel.name]) }</figcaption>
                            <svg ref={hist_ref.clone()} viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={fill(tx.hist_alt, &[&sel.name])}>
                                { for h.bars.iter().map(|b| html! {
                                    <rect class="hist-bar" x={format!("{:.2}", b.x)} y={format!("{:.2}", b.y)}
                                        width={format!("{:.2}", b.width)} height={format!("{:.2}", b.height)}><title>{ b.title.clone() }</title></rect>
                                }) }
                                { for h.x_ticks.iter().map(|t| html! {
                                    <text class="tick" x={format!("{:.1}", t.at)} y={(HEIGHT - 22.0).to_string()} text-anchor="middle">{ t.label.clone() }</text>
                                }) }
                                { for h.markers.iter().enumerate().map(|(i, m)| html! {
                                    <g class="marker"><line x1={format!("{:.1}", m.at)} x2={format!("{:.1}", m.at)} y1="14" y2={(HEIGHT - 40.0).to_string()} />
                                    <text x={format!("{:.1}", m.at - 4.0)} y={(26 + 13 * i).to_string()} text-anchor="end">{ m.label.clone() }</text></g>
                                }) }
                                <text class="axis" x={(WIDTH / 2.0).to_string()} y={(HEIGHT - 4.0).to_string()} text-anchor="middle">{ tx.hist_axis }</text>
                            </svg>
                            <p class="hint">{ fill(tx.hist_below, &[&h.below.to_string(), &h.total.to_string()]) }</p>
                            <ChartExport chart={hist_ref} name="bitbudget-lab-histogram" />
                        </figure>
                    }
                </div>
            }
        </section>
    }
}

fn dist_label(t: &Strings, d: Distribution) -> &'static str {
    match d {
        Distribution::Gaussian => t.dist_gaussian,
        Distribution::Laplace => t.dist_laplace,
        Distribution::StudentT3 => t.dist_t3,
        Distribution::Uniform => t.dist_uniform,
        Distribution::LlmLike => t.dist_llm,
    }
}

#[derive(Properties, PartialEq)]
pub struct PruningSelectProps {
    pub id: &'static str,
    pub value: Sparsity,
    pub on_change: Callback<Sparsity>,
}

/// "Pruning: None / Each format also at 2:4 sparse / …" (`PATTERNS`), for the sample lab and a
/// user's file alike.
#[function_component]
pub fn PruningSelect(p: &PruningSelectProps) -> Html {
    let tx = use_strings();
    let on_change = p.on_change.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        if v.is_empty() {
            Sparsity::Dense
        } else {
            Sparsity::parse(&v).unwrap_or_default()
        }
    });
    html! {
        <div class="field">
            <label for={p.id}>{ tx.lab_pruning }</label>
            <select id={p.id} onchange={on_change}>
                { for PATTERNS.iter().map(|sp| html! {
                    <option value={sp.suffix().trim_start_matches('+').to_string()} selected={*sp == p.value}>
                        { if *sp == Sparsity::Dense { tx.lab_no_pruning.to_string() } else { fill(tx.lab_also, &[&sp.label(tx)]) } }
                    </option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SqnrScatterProps {
    pub results: Vec<FormatResult>,
    /// The highlighted point's id: its label is placed first.
    #[prop_or_default]
    pub selected: Option<String>,
    /// Told of a click on a point (the lab selects it); a click also labels the point.
    #[prop_or_default]
    pub on_pick: Option<Callback<String>>,
    /// The exported file's name.
    pub name: &'static str,
}

/// SQNR against bits per weight, one point per result (dense and pruned alike), with its
/// export buttons: the sample lab's chart and each of a user's tensors'. It is drawn at the
/// width it is shown (watched), so its labels read at their own size on a phone too.
#[function_component]
pub fn SqnrScatter(p: &SqnrScatterProps) -> Html {
    let tx = use_strings();
    let lang = use_lang();
    let sqnr_ref = use_node_ref();
    let figure = use_node_ref();
    let width = use_state_eq(|| scatter_width(f64::NAN));
    let picked = use_state_eq(|| None::<String>);
    {
        let (figure, width) = (figure.clone(), width.clone());
        use_effect_with((), move |_| {
            let watch = figure
                .cast::<web_sys::Element>()
                .and_then(|el| WidthWatch::new(&el, move |w| width.set(scatter_width(w))));
            move || drop(watch)
        });
    }
    let first = p.selected.clone().or_else(|| (*picked).clone());
    let chart = use_memo((p.results.clone(), *width, first, lang), |(results, w, first, lang)| {
        scatter(results, lang.strings(), *w, first.as_deref())
    });
    let pick = |id: &str| {
        let (picked, on_pick, id) = (picked.clone(), p.on_pick.clone(), id.to_string());
        Callback::from(move |_: MouseEvent| {
            picked.set(Some(id.clone()));
            if let Some(f) = &on_pick {
                f.emit(id.clone());
            }
        })
    };
    let plot = chart.plot;
    html! {
                    <figure class="scatter" ref={figure}>
                        <figcaption>{ tx.sqnr_caption }</figcaption>
                        <svg ref={sqnr_ref.clone()} viewBox={format!("0 0 {} {}", chart.width, chart.height)} role="img" aria-label={tx.sqnr_alt}>
                            <rect class="plot-area" x={plot.x.to_string()} y={plot.y.to_string()} width={plot.w.to_string()} height={plot.h.to_string()} />
                            { for chart.x_ticks.iter().map(|t| html! {
                                <g class="tick"><line x1={t.at.to_string()} x2={t.at.to_string()} y1={plot.y.to_string()} y2={plot.bottom().to_string()} />
                                <text x={t.at.to_string()} y={chart.x_tick_text.to_string()} text-anchor="middle">{ t.label.clone() }</text></g>
                            }) }
                            { for chart.y_ticks.iter().map(|t| html! {
                                <g class="tick"><line x1={plot.x.to_string()} x2={plot.right().to_string()} y1={t.at.to_string()} y2={t.at.to_string()} />
                                <text x={chart.y_tick_text.to_string()} y={t.at.to_string()} text-anchor="end" dominant-baseline="middle">{ t.label.clone() }</text></g>
                            }) }
                            <text class="axis" x={chart.axis_title.0.to_string()} y={chart.axis_title.1.to_string()} text-anchor="middle">{ tx.bits_axis }</text>
                            { for chart.points.iter().filter_map(|pt| pt.label.as_ref().and_then(|l| l.leader)).map(|(a, b)| html! {
                                <line class="leader" x1={format!("{:.1}", a.0)} y1={format!("{:.1}", a.1)} x2={format!("{:.1}", b.0)} y2={format!("{:.1}", b.1)} />
                            }) }
                            { for chart.points.iter().map(|pt| {
                                let is_sel = p.selected.as_ref() == Some(&pt.id);
                                html! {
                                <g class={classes!("pt", is_sel.then_some("selected"))} data-format={pt.id.clone()} onclick={pick(&pt.id)}>
                                    <circle cx={format!("{:.1}", pt.x)} cy={format!("{:.1}", pt.y)} r={DOT.to_string()}><title>{ pt.title.clone() }</title></circle>
                                </g>
                            }}) }
                            { for chart.points.iter().filter_map(|pt| pt.label.as_ref()).map(|l| html! {
                                <text class="pt-label" x={format!("{:.1}", l.x)} y={format!("{:.1}", l.y)}>{ l.text.clone() }</text>
                            }) }
                        </svg>
                        if chart.left_off > 0 {
                            <p class="hint">{ fill(tx.labels_left_off, &[&chart.left_off.to_string()]) }</p>
                        }
                        if !chart.off_chart.is_empty() {
                            <p class="hint">{ fill(tx.not_plotted, &[&chart.off_chart.join("; ")]) }</p>
                        }
                        <ChartExport chart={sqnr_ref} name={p.name} />
                    </figure>
    }
}
