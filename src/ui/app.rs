//! The page: state from the URL, edits through the reducer, the URL rewritten after each.

use yew::prelude::*;

use super::accuracy_chart::AccuracyChart;
use super::budget::BudgetBar;
use super::catalogue::HowItWorks;
use super::config_card::ConfigCard;
use super::dom;
use super::explainer::Explainer;
use super::files::Files;
use super::lab::Lab;
use super::lang::LangSwitch;
use super::method::MethodPanel;
use super::model_source::ModelSource;
use super::notices::Notices;
use super::results::{Breakdown, ResultsTable};
use super::settle::{use_settled, SETTLE_MS};
use super::state::{Action, State};
use super::summary::Summary;
use super::tradeoffs::Tradeoffs;
use super::training::TrainingPanel;

use crate::core::compare::{parity, tradeoff};
use crate::core::state::scenario::{Budget, Edit, Scenario, MAX_CONFIGS};
use crate::core::text::i18n::{install, Lang};
use crate::core::view::report;
use crate::msg;

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::from_fragment(&dom::fragment(), Lang::detect(&dom::languages())));
    let link = state.scenario.encode();
    use_effect_with(link.clone(), |link| dom::replace_fragment(link));
    // The language the link asks for, and the one shown: English until that language's table,
    // fetched on first use, is there.
    let chosen = state.scenario.lang;
    let lang = if chosen.ready() { chosen } else { Lang::En };
    {
        let dispatcher = state.dispatcher();
        use_effect_with(chosen, move |l| {
            let l = *l;
            if !l.ready() {
                wasm_bindgen_futures::spawn_local(async move {
                    let file = l.table_file();
                    let loaded = match dom::fetch_text(&format!("./{file}")).await {
                        Ok(text) => install(l, text),
                        Err(_) => Err(msg!(err_lang_table, file)),
                    };
                    dispatcher.dispatch(Action::LangLoaded(loaded));
                });
            }
        });
    }
    use_effect_with(lang, |l| dom::set_document_lang(l.id(), l.strings().page_title));
    let t = lang.strings();
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = dom::WindowListener::hash(move |f| dispatcher.dispatch(Action::Load(f)));
            move || drop(listener)
        });
    }
    // What every computation but the claim check reads: typing a claim rebuilds none of them.
    // Contexts set to `max` resolved to the largest that fits.
    let core = Scenario { lang, ..state.scenario.without_claim().resolved() };
    let report = use_memo((core.clone(), state.lab.results.clone()), |(s, lab)| report::build(s, lab));
    let lab_results = use_memo(state.lab.results.clone(), |r| r.clone());
    let anchor = state.selected.unwrap_or(0);
    // The table, the chart and the bars follow every slider step; these follow once it stops.
    let settled = use_settled(core.clone(), SETTLE_MS);
    // A language shown (switched, or its table just loaded) is shown everywhere at once.
    let settled = if settled.lang == core.lang { settled } else { core.clone() };
    let settled_report = use_memo((settled.clone(), state.lab.results.clone()), |(s, lab)| report::build(s, lab));
    let best = use_memo(settled.clone(), |s| report::tradeoff_rows(&tradeoff::best(s, 10), s));
    let parity = use_memo((settled.clone(), anchor), |(s, i)| report::tradeoff_rows(&tradeoff::parity(s, *i), s));
    let levers = use_memo(settled.clone(), parity::build);
    let law = state.scenario.accuracy.law;
    // Made once: a new callback on every render would count as changed props and re-render
    // every card and section on each slider step.
    let d = state.dispatcher();
    let on_select = (*use_memo((), |_| {
        let d = d.clone();
        Callback::from(move |i: usize| d.dispatch(Action::Select(i)))
    }))
    .clone();
    let on_edit = (*use_memo((), |_| {
        let d = d.clone();
        Callback::from(move |e: Edit| d.dispatch(Action::Edit(e)))
    }))
    .clone();
    let on_dismiss = (*use_memo((), |_| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::DismissNotices))
    }))
    .clone();
    let url = dom::page_url(&link);
    let on_copy = {
        let (d, url) = (state.dispatcher(), url.clone());
        Callback::from(move |_: MouseEvent| {
            dom::flush_fragment();
            dom::copy_text(&url);
            d.dispatch(Action::Copied);
        })
    };
    let n = state.scenario.configs.len();
    html! {
        <ContextProvider<Lang> context={lang}>
        <a class="skip" href="#results-title" onclick={Callback::from(|e: MouseEvent| {
            // Focus, not navigation: the fragment is the page's state.
            e.prevent_default();
            dom::focus("results-title");
        })}>{ t.skip_to_results }</a>
        <header class="top">
            <div class="top-row">
                <h1>{ "bitbudget" }</h1>
                <LangSwitch lang={chosen} on_edit={on_edit.clone()} />
            </div>
            <p class="tagline">{ t.tagline }</p>
        </header>
        <main>
            <Notices notices={state.notices.clone()} {on_dismiss} />
            // The inputs, and beside them (above them on a phone) the answer they give.
            <div class="workbench">
                <Summary report={report.clone()} scenario={core.clone()} featured={state.active.unwrap_or(0)} />
                <div class="inputs">
                    <BudgetBar budget={state.scenario.budget} runtime={state.scenario.runtime} cards={state.scenario.cards}
                        pipeline={state.scenario.pipeline} ram={state.scenario.ram} split={state.scenario.split}
                        training={state.scenario.training.is_some()} on_edit={on_edit.clone()} />
                    <TrainingPanel training={state.scenario.training} on_edit={on_edit.clone()} />
                    <section class="configs" aria-label={t.configurations}>
                        { for state.scenario.configs.iter().enumerate().map(|(i, c)| html! {
                            <ConfigCard key={i} index={i} config={c.clone()} count={n} on_edit={on_edit.clone()} />
                        }) }
                        <button type="button" class="add" disabled={n >= MAX_CONFIGS}
                            onclick={on_edit.reform(|_: MouseEvent| Edit::Add)}>{ t.add_configuration }</button>
                    </section>
                    <ModelSource configs={n} on_edit={on_edit.clone()} />
                </div>
            </div>
            <ResultsTable report={report.clone()} selected={state.selected} />
            <AccuracyChart scenario={core.clone()} selected={state.selected}
                on_edit={on_edit.clone()} {on_select} />
            <Tradeoffs best={best} parity={parity} {anchor} budget={settled_report.budget_label.clone()}
                settings={state.scenario.accuracy} configs={n} on_edit={on_edit.clone()}
                {levers} target={state.scenario.parity} claim={state.scenario.claim.clone()}
                no_bandwidth={matches!(state.scenario.budget, Budget::Size(_))} />
            <Breakdown report={report.clone()} />
            <Lab settings={state.scenario.lab.clone()} run={state.lab.clone()} dispatch={state.dispatcher()} />
            <Files formats={state.scenario.lab.kernel_ids()} on_edit={on_edit.clone()} configs={n} />
            <Explainer scenario={settled} report={settled_report} lab={lab_results} />
            <section class="share" aria-label={t.share}>
                <label for="share-url">{ t.link_label }</label>
                <div class="share-row">
                    <input id="share-url" type="text" readonly=true value={url} />
                    <button type="button" class="primary" onclick={on_copy}>
                        { if state.copied { t.copied } else { t.copy_link } }
                    </button>
                </div>
            </section>
            <MethodPanel {law} {lang} />
            <HowItWorks />
        </main>
        <footer>
            <p>{ t.footer }</p>
        </footer>
        </ContextProvider<Lang>>
    }
}
