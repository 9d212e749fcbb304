//! A value that follows another once it stands still: the views that cost a slider step more
//! than they tell during a drag (best for the budget, same size, every lever, the explainer)
//! follow the scenario this way, so a drag repaints only the table, the chart and the bars.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::dom::Timeout;

/// How long the scenario must stand still before the slower views follow it.
pub const SETTLE_MS: i32 = 160;

/// `value` as it was when it last stood still for `ms`.
#[hook]
pub fn use_settled<T: Clone + PartialEq + 'static>(value: T, ms: i32) -> T {
    let settled = use_state(|| value.clone());
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let settled = settled.clone();
        use_effect_with(value, move |v| {
            // Back where it settled: a pending update would bring an older value.
            *timer.borrow_mut() = (*v != *settled).then(|| {
                let v = v.clone();
                Timeout::new(ms, move || settled.set(v))
            });
        });
    }
    (*settled).clone()
}
