//! Pieces shared by the pages.

use crate::repo::{self, NetStatus};
use leptos::prelude::*;

/// The relay connection, in the top bar.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let status = repo::net_status();
    let label = {
        let status = status.clone();
        move || match status.get() {
            NetStatus::Connecting => "Connecting…",
            NetStatus::Online => "Online",
            NetStatus::Offline => "Offline",
        }
    };
    let class = move || match status.get() {
        NetStatus::Connecting => "badge connecting",
        NetStatus::Online => "badge online",
        NetStatus::Offline => "badge offline",
    };
    view! {
        <span class=class data-testid="net-status" role="status" aria-live="polite">
            {label}
        </span>
    }
}

/// A link to "Me", showing who this device signs as.
#[component]
pub fn MeLink() -> impl IntoView {
    let identity = repo::identity();
    view! {
        <a class="me-link" href="/me" data-testid="me-link">
            {move || identity.get().map(|i| i.name).unwrap_or_else(|| "Set up your identity".into())}
        </a>
    }
}

/// Shown when a save to this device's storage failed.
#[component]
pub fn StorageWarning() -> impl IntoView {
    let problem = repo::storage_problem();
    view! {
        <Show when={
            let problem = problem.clone();
            move || problem.read().is_some()
        }>
            <div class="banner error" role="alert" data-testid="storage-warning">
                {
                    let problem = problem.clone();
                    move || problem.get().unwrap_or_default()
                }
            </div>
        </Show>
    }
}

/// How a text box decides that what it shows already stands for the model's value.
pub type Equivalent = fn(shown: &str, model: &str) -> bool;

fn same_text(shown: &str, model: &str) -> bool {
    shown == model
}

/// A number box is left alone while it shows the model's number, typed any way ("07", "").
pub fn same_number(shown: &str, model: &str) -> bool {
    shown.trim().parse::<u64>().unwrap_or(0).to_string() == model
}

/// A text box (or `multiline` text area) bound to a value that someone else may change while
/// this one is being typed in: a remote change keeps the caret beside the same characters
/// instead of throwing it to the end. Attributes given to the component (`attr:…`) land on the
/// box itself.
#[component]
pub fn TextField<F>(
    #[prop(into)] value: Signal<String>,
    on_input: F,
    #[prop(optional)] multiline: bool,
    /// When what the box shows already stands for the value, it is not rewritten.
    #[prop(optional)]
    equivalent: Option<Equivalent>,
) -> impl IntoView
where
    F: Fn(String) + Clone + 'static,
{
    let equivalent = equivalent.unwrap_or(same_text);
    let initial = value.get_untracked();
    if multiline {
        let node = NodeRef::<leptos::html::Textarea>::new();
        let el = move || {
            node.get_untracked()
                .map(|e| Box::new(e) as Box<dyn ValueElement>)
        };
        bind_value(el, value, equivalent);
        let on_blur = move |_| resync(el, value, equivalent, true);
        view! {
            <textarea
                node_ref=node
                rows="1"
                prop:value=initial
                on:input=move |ev| on_input(event_target_value(&ev))
                on:blur=on_blur
            ></textarea>
        }
        .into_any()
    } else {
        let node = NodeRef::<leptos::html::Input>::new();
        let el = move || {
            node.get_untracked()
                .map(|e| Box::new(e) as Box<dyn ValueElement>)
        };
        bind_value(el, value, equivalent);
        let on_blur = move |_| resync(el, value, equivalent, true);
        view! {
            <input
                node_ref=node
                prop:value=initial
                on:input=move |ev| on_input(event_target_value(&ev))
                on:blur=on_blur
            />
        }
        .into_any()
    }
}

/// Keep an element's value in step with `value`.
fn bind_value(
    el: impl Fn() -> Option<Box<dyn ValueElement>> + Copy + 'static,
    value: Signal<String>,
    equivalent: Equivalent,
) {
    Effect::new(move |_| {
        value.track();
        resync(el, value, equivalent, false);
    });
}

fn resync(
    el: impl Fn() -> Option<Box<dyn ValueElement>>,
    value: Signal<String>,
    equivalent: Equivalent,
    blurred: bool,
) {
    let Some(el) = el() else { return };
    let model = value.get_untracked();
    let shown = el.current();
    if shown == model || (!blurred && el.focused() && equivalent(&shown, &model)) {
        return;
    }
    el.replace(&shown, &model);
}

/// What [`TextField`] needs of an `<input>` or `<textarea>`.
pub trait ValueElement {
    fn current(&self) -> String;
    fn focused(&self) -> bool;
    /// Show `new` instead of `old`, keeping the caret beside the same characters if focused.
    fn replace(&self, old: &str, new: &str);
}

mod dom {
    use super::ValueElement;
    use domain::text::caret_after_change;

    fn is_active(el: &leptos::web_sys::Element) -> bool {
        leptos::web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .is_some_and(|a| &a == el)
    }

    macro_rules! value_element {
        ($ty:ty) => {
            impl ValueElement for $ty {
                fn current(&self) -> String {
                    self.value()
                }
                fn focused(&self) -> bool {
                    is_active(self)
                }
                fn replace(&self, old: &str, new: &str) {
                    // Number boxes have no selection (the getter throws): just set the value.
                    let selection = if self.focused() {
                        match (self.selection_start(), self.selection_end()) {
                            (Ok(Some(start)), Ok(Some(end))) => Some((start, end)),
                            _ => None,
                        }
                    } else {
                        None
                    };
                    self.set_value(new);
                    if let Some((start, end)) = selection {
                        let start = caret_after_change(old, new, start as usize) as u32;
                        let end = caret_after_change(old, new, end as usize) as u32;
                        let _ = self.set_selection_range(start, end.max(start));
                    }
                }
            }
        };
    }

    value_element!(leptos::web_sys::HtmlInputElement);
    value_element!(leptos::web_sys::HtmlTextAreaElement);
}
