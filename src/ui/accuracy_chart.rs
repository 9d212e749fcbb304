//! The size-versus-accuracy chart, drawn as SVG from `core::chart` (which holds every position
//! and label). Hover or focus shows a marker's values; a click selects its row in the table.
//! The hovered marker is view state local to this component; everything else is in the link.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::lang::use_strings;

use super::dom;
use super::export::ChartExport;
use crate::core::estimate::Law;
use crate::core::state::scenario::{AccuracySettings, Edit, Scenario, YAxis};
use crate::core::text::i18n::fill;
use crate::core::view::chart::{build, Curve, COMPACT, WIDE};

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub scenario: Scenario,
    pub selected: Option<usize>,
    pub on_edit: Callback<Edit>,
    pub on_select: Callback<usize>,
}

fn colour(i: usize) -> String {
    format!("c{}", i % 8)
}

#[derive(Properties)]
struct CurveProps {
    curve: Rc<Curve>,
}

/// The core memoizes curves, so an unchanged one arrives as the same `Rc`: no re-render.
impl PartialEq for CurveProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.curve, &other.curve) || self.curve == other.curve
    }
}

#[function_component]
fn CurveView(p: &CurveProps) -> Html {
    let k = &p.curve;
    html! {
        <g class={classes!("curve", colour(k.config))}>
            <path d={k.path.clone()} />
            { for k.dots.iter().map(|(x, y, t)| html! {
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="2.5"><title>{ t.clone() }</title></circle>
            }) }
        </g>
    }
}

#[function_component]
pub fn AccuracyChart(p: &ChartProps) -> Html {
    let t = use_strings();
    let hover = use_state(|| None::<usize>);
    let narrow = use_state(dom::narrow);
    {
        let narrow = narrow.clone();
        use_effect_with((), move |_| {
            let listener = dom::WindowListener::new("resize", move || narrow.set(dom::narrow()));
            move || drop(listener)
        });
    }
    let c = use_memo((p.scenario.clone(), *narrow), |(s, n)| build(s, if *n { COMPACT } else { WIDE }));
    let (px, py, pw, ph) = c.plot;
    let settings = p.scenario.accuracy;
    let set = |f: fn(AccuracySettings, String) -> AccuracySettings| {
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            on_edit.emit(Edit::Accuracy(f(settings, v)));
        })
    };
    let on_published = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |_: Event| {
            on_edit.emit(Edit::Accuracy(AccuracySettings { published: !settings.published, ..settings }))
        })
    };
    let on_levers = {
        let on_edit = p.on_edit.clone();
        Callback::from(move |_: Event| {
            on_edit.emit(Edit::Accuracy(AccuracySettings { levers: !settings.levers, ..settings }))
        })
    };
    let marker = |m: &crate::core::view::chart::Marker| {
        let i = m.config;
        let show = |v: Option<usize>| {
            let hover = hover.clone();
            Callback::from(move |_: MouseEvent| hover.set(v))
        };
        let show_focus = |v: Option<usize>| {
            let hover = hover.clone();
            Callback::from(move |_: FocusEvent| hover.set(v))
        };
        let click = p.on_select.reform(move |_: MouseEvent| i);
        let key = {
            let sel = p.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    sel.emit(i);
                }
            })
        };
        let selected = p.selected == Some(i);
        html! {
            <g class={classes!("marker-pt", colour(i), (!m.fits).then_some("over"), m.frontier.then_some("on-frontier"), selected.then_some("selected"), (!m.inside).then_some("outside"))}
                data-config={(i + 1).to_string()} tabindex="0" role="button"
                aria-label={fill(t.marker_label, &[&fill(t.configuration_n, &[&(i + 1).to_string()]), &m.lines.join("; ")])}
                onmouseenter={show(Some(i))} onmouseleave={show(None)} onfocus={show_focus(Some(i))} onblur={show_focus(None)}
                onclick={click} onkeydown={key}>
                <circle cx={format!("{:.1}", m.x)} cy={format!("{:.1}", m.y)} r="11" class="hit" />
                <circle cx={format!("{:.1}", m.x)} cy={format!("{:.1}", m.y)} r={if selected { "8" } else { "6.5" }} class="dot" />
                <text x={format!("{:.1}", m.x + 10.0)} y={format!("{:.1}", m.y - 8.0)} class="marker-label">{ i + 1 }</text>
            </g>
        }
    };
    let tip = hover.and_then(|i| c.markers.iter().find(|m| m.config == i)).map(|m| {
        let left = m.x / c.width * 100.0;
        let top = m.y / c.height * 100.0;
        // The tip is up to 340 px wide: past the middle it opens leftwards (phones show it as a bar).
        let side = if left > 50.0 { "left" } else { "right" };
        html! {
            <div class={classes!("chart-tip", side)} role="status" style={format!("left:{left:.2}%;top:{top:.2}%")}>
                <strong>{ m.lines[0].clone() }</strong>
                { for m.lines.iter().skip(1).map(|l| html! { <span>{ l.clone() }</span> }) }
            </div>
        }
    });
    let svg_ref = use_node_ref();
    html! {
        <section class="accuracy" aria-labelledby="accuracy-title">
            <h2 id="accuracy-title">{ t.accuracy_title }</h2>
            <p class="lead">{ t.accuracy_lead }</p>
            <div class="chart-controls">
                <div class="field">
                    <label for="chart-y">{ t.vertical_axis }</label>
                    <select id="chart-y" onchange={set(|s, v| AccuracySettings { y: if v == "dppl" { YAxis::DeltaPpl } else { YAxis::Loss }, ..s })}>
                        <option value="loss" selected={settings.y == YAxis::Loss}>{ t.y_loss }</option>
                        <option value="dppl" selected={settings.y == YAxis::DeltaPpl}>{ t.y_dppl }</option>
                    </select>
                </div>
                <div class="field">
                    <label for="chart-law">{ t.scaling_law }</label>
                    <select id="chart-law" onchange={set(|s, v| AccuracySettings { law: Law::from_id(&v).unwrap_or_default(), ..s })}>
                        { for Law::ALL.iter().map(|l| html! { <option value={l.id()} selected={*l == settings.law}>{ l.label(t) }</option> }) }
                    </select>
                </div>
                <label class="check">
                    <input type="checkbox" id="chart-published" checked={settings.published} onchange={on_published} />
                    { t.show_published }
                </label>
                <label class="check">
                    <input type="checkbox" id="chart-levers" checked={settings.levers} onchange={on_levers} />
                    { t.show_levers }
                </label>
            </div>
            <div class="chart-wrap">
                <svg ref={svg_ref.clone()} viewBox={format!("0 0 {} {}", c.width, c.height)} class="size-chart" role="group"
                    aria-label={fill(t.chart_alt, &[&c.summary])}>
                    <defs>
                        <clipPath id="plot-clip"><rect x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} /></clipPath>
                    </defs>
                    <rect class="plot-bg" x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} />
                    { for c.x_ticks.iter().map(|t| html! {
                        <g class="tick">
                            <line x1={format!("{:.1}", t.at)} x2={format!("{:.1}", t.at)} y1={py.to_string()} y2={(py + ph).to_string()} />
                            <text x={format!("{:.1}", t.at)} y={(py + ph + 16.0).to_string()} text-anchor="middle">{ t.label.clone() }</text>
                        </g>
                    }) }
                    { for c.y_ticks.iter().map(|t| html! {
                        <g class="tick">
                            <line x1={px.to_string()} x2={(px + pw).to_string()} y1={format!("{:.1}", t.at)} y2={format!("{:.1}", t.at)} />
                            <text x={(px - 6.0).to_string()} y={format!("{:.1}", t.at + 4.0)} text-anchor="end">{ t.label.clone() }</text>
                        </g>
                    }) }
                    <text class="axis-title" x={(px + pw / 2.0).to_string()} y={(c.height - 6.0).to_string()} text-anchor="middle">{ c.x_title.clone() }</text>
                    <text class="axis-title" transform={format!("translate(14 {:.1}) rotate(-90)", py + ph / 2.0)} text-anchor="middle">{ c.y_title.clone() }</text>
                    <g clip-path="url(#plot-clip)">
                        { for c.curves.iter().map(|k| html! { <CurveView curve={k.clone()} /> }) }
                        <path class="frontier" d={c.frontier.clone()} />
                        { for c.measured.iter().map(|m| html! {
                            <path class={classes!("measured", m.lever.then_some("lever"), m.config.map(colour))}
                                d={if m.lever { format!("M{:.1} {:.1} h7 v7 h-7 z", m.x - 3.5, m.y - 3.5) } else { format!("M{:.1} {:.1} l4 4 l-4 4 l-4 -4 z", m.x, m.y - 4.0) }}>
                                <title>{ m.text.clone() }</title></path>
                        }) }
                    </g>
                    if let Some(b) = &c.budget {
                        <g class="budget-mark">
                            <line x1={format!("{:.1}", b.x)} x2={format!("{:.1}", b.x)} y1={py.to_string()} y2={(py + ph).to_string()} />
                            <text x={format!("{:.1}", b.label_x)} y={(py + 12.0).to_string()} text-anchor={if b.anchor_end { "end" } else { "start" }}>{ b.label.clone() }</text>
                        </g>
                    }
                    { for c.markers.iter().map(marker) }
                </svg>
                { tip.unwrap_or_default() }
            </div>
            <ChartExport chart={svg_ref} name="bitbudget-size-accuracy" />
            <ul class="legend chart-legend">
                { for c.markers.iter().map(|m| html! {
                    <li><span class={classes!("swatch", "dotswatch", colour(m.config))}></span>{ format!("{} {}", m.config + 1, m.title) }</li>
                }) }
                <li><span class="swatch hollow-swatch"></span>{ t.legend_hollow }</li>
                <li><span class="swatch line-swatch"></span>{ t.legend_line }</li>
                <li><span class="swatch frontier-swatch"></span>{ t.legend_frontier }</li>
                <li><span class="swatch budget-swatch"></span>{ t.col_budget }</li>
                if settings.published {
                    <li><span class="swatch measured-swatch"></span>{ t.legend_measured }</li>
                }
                if settings.levers {
                    <li><span class="swatch lever-swatch"></span>{ t.legend_levers }</li>
                }
            </ul>
        </section>
    }
}
