//! Pieces shared by the pages.

use crate::i18n::{self, t, Lang};
use crate::repo::{self, NetStatus};
use leptos::prelude::*;

/// The relay connection, in the top bar.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let status = repo::net_status();
    let label = {
        let status = status.clone();
        move || match status.get() {
            NetStatus::Connecting => t("Connecting…"),
            NetStatus::Online => t("Online"),
            NetStatus::Offline => t("Offline"),
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

/// The language switch in the top bar.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_context::<RwSignal<Lang>>();
    let on_change = move |ev: leptos::ev::Event| {
        if let (Some(l), Some(sig)) = (Lang::parse(&event_target_value(&ev)), lang) {
            i18n::choose(l);
            sig.set(l);
        }
    };
    view! {
        <select class="lang" aria-label=t("Language") data-testid="lang" prop:value=i18n::current().code() on:change=on_change>
            {[Lang::En, Lang::ZhCn].into_iter().map(|l| view! { <option value=l.code()>{l.native_name()}</option> }).collect_view()}
        </select>
    }
}

/// A link to "Me", showing who this device signs as.
#[component]
pub fn MeLink() -> impl IntoView {
    let identity = repo::identity();
    view! {
        <a class="me-link" href="/me" data-testid="me-link">
            {move || identity.get().map(|i| i.name).unwrap_or_else(|| t("Set up your identity").into())}
        </a>
    }
}

/// "A new version is ready": shown when a new service worker is waiting; reloads on request.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::prelude::*;
            let Some(window) = web_sys::window() else {
                return;
            };
            // The worker may have been found waiting before the app started.
            if js_sys::Reflect::get(&window, &JsValue::from_str("__goalsWaiting"))
                .is_ok_and(|w| !w.is_undefined() && !w.is_null())
            {
                ready.set(true);
            }
            let on_ready = Closure::<dyn FnMut()>::new(move || ready.set(true));
            let _ = window.add_event_listener_with_callback(
                "goals:update-ready",
                on_ready.as_ref().unchecked_ref(),
            );
            on_ready.forget();
        }
    });
    let apply = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::prelude::*;
            if let Some(f) = web_sys::window()
                .and_then(|w| {
                    js_sys::Reflect::get(&w, &JsValue::from_str("__goalsApplyUpdate")).ok()
                })
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            {
                let _ = f.call0(&JsValue::NULL);
            }
        }
    };
    view! {
        <Show when=move || ready.get()>
            <div class="banner update" role="status" data-testid="update-ready">
                {t("A new version of the app is ready. Your sheets are saved on this device.")}
                <button type="button" class="primary" data-testid="apply-update" on:click=apply>
                    {t("Reload now")}
                </button>
            </div>
        </Show>
    }
}

/// How much of this device's storage the sheets use, with a warning when it runs short.
#[component]
pub fn StorageUsage() -> impl IntoView {
    let usage = repo::storage_usage();
    view! {
        {move || {
            usage.get().map(|u| {
                let pct = (u.used as f64 / u.quota as f64 * 100.0).round() as u32;
                view! {
                    <p class="storage-usage" class:bad=u.near_full() data-testid="storage-usage" data-used=u.used data-quota=u.quota>
                        {i18n::tf(
                            "Sheets on this device use {} of about {} of browser storage ({}%).",
                            &[&human_bytes(u.used), &human_bytes(u.quota), &pct],
                        )}
                        {u.near_full().then(|| t(" Storage is nearly full: download a backup (below) so that no sheet depends on this browser alone."))}
                        {(!u.persistent).then(|| t(" The browser may clear it under pressure; installing the app helps keep it."))}
                    </p>
                }
            })
        }}
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", n.div_ceil(1024))
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
                    move || problem.get().map(|p| i18n::tr(&p)).unwrap_or_default()
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
            node.try_get_untracked()
                .flatten()
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
            node.try_get_untracked()
                .flatten()
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
    // A focused box loses its focus (and fires `blur`) when its view is taken down, such as
    // on a change of language; by then its value may be disposed, and there is nothing to do.
    let Some(el) = el() else { return };
    let Some(model) = value.try_get_untracked() else {
        return;
    };
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

/// Save text as a file in the browser's downloads (UTF-8, of the given MIME type).
pub fn download(name: &str, mime: &str, text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        // A blob, not a data: URL, which Chromium refuses past 2 MB.
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&format!("{mime};charset=utf-8"));
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(a) = document.create_element("a") {
            let _ = a.set_attribute("href", &url);
            let _ = a.set_attribute("download", name);
            if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
                a.click();
            }
        }
        // The download has its own reference to the blob by the time this runs.
        set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            },
            std::time::Duration::from_secs(60),
        );
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, mime, text);
}

/// Read the file chosen in a file input (the event's target) as text, then call `f` with it.
pub fn read_file(ev: leptos::ev::Event, f: impl FnOnce(String) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                if let Some(s) = text.as_string() {
                    f(s);
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, f);
}

/// A labelled, growing text area bound to one text field of a sheet.
#[component]
pub fn LabeledText<F>(
    label: &'static str,
    placeholder: &'static str,
    /// The `data-field` name (tests and styles).
    field: &'static str,
    #[prop(into)] value: Signal<String>,
    on_input: F,
) -> impl IntoView
where
    F: Fn(String) + Clone + 'static,
{
    view! {
        <label>
            {t(label)}
            <TextField value on_input multiline=true attr:data-field=field attr:placeholder=t(placeholder) />
        </label>
    }
}

/// A view whose code is not in the app's wasm but in a chunk fetched the first time such a view
/// is shown: "Opening…" until it is there. `view` is a call of a function marked
/// `#[wasm_split(on_demand, …, fallible)]`; `scripts/build` moves every such function (and the
/// code only they use) into one chunk, `split_on_demand.<hash>.wasm`, which the service worker
/// keeps for offline use. This keeps the steps other than the goals, the print view, the
/// knowledge base and the identity forms of "Me" out of the first download. Only for views the
/// server never renders (they appear after hydration), so hydration never waits for the chunk.
pub fn on_demand(
    view: impl std::future::Future<Output = Result<AnyView, NotLoaded>> + Send + 'static,
) -> impl IntoView {
    let view = async move {
        view.await.unwrap_or_else(|NotLoaded| {
            view! {
                <p class="banner error" role="alert" data-testid="not-loaded">
                    {t("This part of the app could not be loaded. Check the connection, then open it again.")}
                </p>
            }
            .into_any()
        })
    };
    view! {
        <Suspense fallback=|| view! { <p class="empty">{t("Opening…")}</p> }>
            {Suspend::new(view)}
        </Suspense>
    }
}

/// The chunk of the views loaded on demand could not be fetched (offline before the service
/// worker had kept it): said in place of the view, and tried again the next time it is opened.
pub struct NotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}
