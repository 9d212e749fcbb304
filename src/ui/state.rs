//! The page's state: the scenario, what reading the link reported, and the copy button.

use std::rc::Rc;

use yew::Reducible;

use crate::core::scenario::{Edit, Notice, Scenario};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub scenario: Scenario,
    pub notices: Vec<Notice>,
    pub copied: bool,
}

pub enum Action {
    Edit(Edit),
    /// A fragment to read: at start-up and when the user changes the URL by hand.
    Load(String),
    DismissNotices,
    Copied,
}

impl State {
    pub fn from_fragment(fragment: &str) -> State {
        let (scenario, notices) = Scenario::decode(fragment);
        State { scenario, notices, copied: false }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(e) => {
                next.scenario.apply(e);
                next.copied = false;
            }
            Action::Load(fragment) => {
                // replaceState of our own link does not fire hashchange; a hand edit does.
                if fragment.trim_start_matches('#') == self.scenario.encode() {
                    return self;
                }
                next = State::from_fragment(&fragment);
            }
            Action::DismissNotices => next.notices.clear(),
            Action::Copied => next.copied = true,
        }
        Rc::new(next)
    }
}
