//! The page's state: the scenario, what reading the link reported, and the copy button.

use std::rc::Rc;

use yew::Reducible;

use crate::core::kernels::runner::FormatResult;
use crate::core::lab::LabEvent;
use crate::core::state::scenario::{sets_lang, Edit, Level, Notice, Scenario};
use crate::core::text::i18n::{Lang, Msg};
use crate::msg;

/// The lab's current or last run (not part of the link: results are measured, not chosen).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabRun {
    pub job: u32,
    pub running: bool,
    /// Formats in this run, and which one is being quantized.
    pub total: u32,
    pub format: u32,
    pub fraction: f64,
    pub results: Vec<FormatResult>,
    pub error: Option<Msg>,
    pub total_ms: Option<f64>,
    /// The worker's peak WebAssembly memory in the last run.
    pub memory: Option<u64>,
    /// The format whose error histogram is shown.
    pub selected: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub scenario: Scenario,
    pub notices: Vec<Notice>,
    pub copied: bool,
    pub lab: LabRun,
    /// The configuration picked on the chart (highlighted in the table); not in the link.
    pub selected: Option<usize>,
    /// The configuration last edited or picked, which the phone's one-line summary shows
    /// (`Edit::in_hand`); not in the link.
    pub active: Option<usize>,
}

// `Edit` can carry a custom architecture (`ModelRef::Custom`, about 250 bytes): one action is
// dispatched at a time, so its size costs nothing, and boxing the edit would only add a copy.
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Edit(Edit),
    /// A fragment to read: at start-up and when the user changes the URL by hand.
    Load(String),
    DismissNotices,
    Copied,
    LabStart {
        job: u32,
        total: u32,
    },
    Lab(LabEvent),
    /// The user cancelled, or the worker died (with its message).
    LabStopped(Option<Msg>),
    LabSelect(String),
    /// A configuration clicked on the chart.
    Select(usize),
    /// The language table the page fetched: installed (the next render shows it), or why not.
    LangLoaded(Result<(), Msg>),
}

impl State {
    /// The state a link describes; `lang` when the link does not choose a language.
    pub fn from_fragment(fragment: &str, lang: Lang) -> State {
        let (mut scenario, notices) = Scenario::decode(fragment);
        if !sets_lang(fragment) {
            scenario.lang = lang;
        }
        State { scenario, notices, copied: false, lab: LabRun::default(), selected: None, active: None }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(e) => {
                let hand = e.in_hand(self.active, self.scenario.configs.len());
                next.scenario.apply(e);
                next.copied = false;
                let n = next.scenario.configs.len();
                next.selected = self.selected.filter(|i| *i < n);
                // An edit the scenario refused leaves the hands where they were.
                if next.scenario != self.scenario {
                    next.active = hand.filter(|i| *i < n);
                }
            }
            Action::Load(fragment) => {
                // replaceState of our own link does not fire hashchange; a hand edit does.
                if fragment.trim_start_matches('#') == self.scenario.encode() {
                    return self;
                }
                next = State { lab: self.lab.clone(), ..State::from_fragment(&fragment, self.scenario.lang) };
            }
            Action::DismissNotices => next.notices.clear(),
            Action::LangLoaded(Ok(())) => {}
            Action::LangLoaded(Err(m)) => next.notices.push(Notice { level: Level::Error, text: m }),
            Action::Copied => next.copied = true,
            Action::LabStart { job, total } => {
                next.lab =
                    LabRun { job, running: true, total, selected: self.lab.selected.clone(), ..LabRun::default() };
            }
            Action::Lab(ev) => apply_lab_event(&mut next.lab, ev),
            Action::LabStopped(reason) => {
                next.lab.running = false;
                next.lab.error = Some(match reason {
                    Some(m) => msg!(lab_worker_stopped, m),
                    None => msg!(cancelled),
                });
            }
            Action::LabSelect(id) => next.lab.selected = Some(id),
            Action::Select(i) => {
                next.selected = (i < self.scenario.configs.len()).then_some(i);
                next.active = next.selected.or(self.active);
            }
        }
        Rc::new(next)
    }
}

fn apply_lab_event(lab: &mut LabRun, ev: LabEvent) {
    match ev {
        LabEvent::Progress { job, format, fraction } if job == lab.job => {
            lab.format = format;
            lab.fraction = fraction;
        }
        LabEvent::Result { job, result } if job == lab.job => {
            if lab.selected.is_none() {
                lab.selected = Some(result.id.clone());
            }
            lab.results.push(*result);
        }
        LabEvent::Memory { job, bytes } if job == lab.job => lab.memory = Some(bytes),
        LabEvent::Done { job, total_ms } if job == lab.job => {
            lab.running = false;
            lab.total_ms = Some(total_ms);
        }
        LabEvent::Failed { job, message } if job == lab.job || job == 0 => {
            lab.running = false;
            lab.error = Some(message);
        }
        _ => {}
    }
}
