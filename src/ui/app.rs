//! The page: state from the URL, edits through the reducer, the URL rewritten after each.

use yew::prelude::*;

use super::budget::BudgetBar;
use super::catalogue::HowItWorks;
use super::config_card::ConfigCard;
use super::dom;
use super::lab::Lab;
use super::notices::Notices;
use super::results::{Breakdown, ResultsTable};
use super::state::{Action, State};
use crate::core::report;
use crate::core::scenario::{Edit, MAX_CONFIGS};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::from_fragment(&dom::fragment()));
    let link = state.scenario.encode();
    use_effect_with(link.clone(), |link| dom::replace_fragment(link));
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = dom::HashListener::new(move |f| dispatcher.dispatch(Action::Load(f)));
            move || drop(listener)
        });
    }
    let report = use_memo((state.scenario.clone(), state.lab.results.clone()), |(s, lab)| report::build(s, lab));
    let on_edit = {
        let d = state.dispatcher();
        Callback::from(move |e: Edit| d.dispatch(Action::Edit(e)))
    };
    let on_dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::DismissNotices))
    };
    let url = dom::page_url(&link);
    let on_copy = {
        let (d, url) = (state.dispatcher(), url.clone());
        Callback::from(move |_: MouseEvent| {
            dom::copy_text(&url);
            d.dispatch(Action::Copied);
        })
    };
    let n = state.scenario.configs.len();
    html! {
        <>
        <header class="top">
            <h1>{ "bitbudget" }</h1>
            <p class="tagline">{ "A big model at low precision or a small one at high precision? Exact bytes for each, against your memory." }</p>
        </header>
        <main>
            <Notices notices={state.notices.clone()} {on_dismiss} />
            <BudgetBar budget={state.scenario.budget} runtime={state.scenario.runtime} on_edit={on_edit.clone()} />
            <section class="configs" aria-label="Configurations">
                { for state.scenario.configs.iter().enumerate().map(|(i, c)| html! {
                    <ConfigCard key={i} index={i} config={c.clone()} count={n} on_edit={on_edit.clone()} />
                }) }
                <button type="button" class="add" disabled={n >= MAX_CONFIGS}
                    onclick={on_edit.reform(|_: MouseEvent| Edit::Add)}>{ "+ Add configuration" }</button>
            </section>
            <ResultsTable report={report.clone()} />
            <Breakdown report={report.clone()} />
            <Lab settings={state.scenario.lab.clone()} run={state.lab.clone()} dispatch={state.dispatcher()} />
            <section class="share" aria-label="Share">
                <label for="share-url">{ "Link to this comparison" }</label>
                <div class="share-row">
                    <input id="share-url" type="text" readonly=true value={url} />
                    <button type="button" class="primary" onclick={on_copy}>
                        { if state.copied { "Copied ✓" } else { "Copy link" } }
                    </button>
                </div>
            </section>
            <HowItWorks />
        </main>
        <footer>
            <p>{ "Everything runs in this page; nothing is uploaded. Sources: llama.cpp (ggml-common.h, llama-quant.cpp, quantize README), model configs on the Hugging Face hub, OCP MX v1.0, bitsandbytes, AutoGPTQ." }</p>
        </footer>
        </>
    }
}
