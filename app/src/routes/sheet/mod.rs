//! One goal sheet: its header, then the template's steps as tabs: preparation (step 1), the
//! goal-setting table with SMART hints (step 2, Template 1), follow-up (step 4, Template 2) and
//! the assessment (step 5).

mod assessment;
mod cascade;
mod confirm;
mod follow_up;
mod goals;
mod prep;
mod results;

use crate::components::{on_demand, NotLoaded, TextField};
use crate::i18n::{self, t, tf};
use crate::repo::{self, DocView, NetStatus, SheetHandle};
use chrono::NaiveDate;
use domain::{Cycle, CycleKind, Edit, Removed, Sheet, SheetField, SheetKind, SheetRef};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use repo_sync::DocumentId;

/// Applies edits to one sheet, keeps the last error to show, and the last removal to undo.
#[derive(Clone, Copy)]
pub(crate) struct Editor {
    id: DocumentId,
    sheet: SheetMemo,
    error: RwSignal<Option<String>>,
    /// The last removal, while it can be undone (see [`UndoBar`]), with its serial number.
    undo: RwSignal<Option<(u64, Removed)>>,
    serial: StoredValue<u64>,
}

/// How long the offer to undo a removal stays (longer while the pointer or focus is on it).
#[cfg(feature = "hydrate")]
const UNDO_FOR: std::time::Duration = std::time::Duration::from_secs(10);

impl Editor {
    pub(crate) fn id(self) -> DocumentId {
        self.id
    }

    /// Apply `edit`; a removal (of a goal, a check-in, a milestone, a deduction or a
    /// development item) can then be undone for a while.
    pub(crate) fn apply(self, edit: Edit) {
        let removed = self
            .sheet
            .with_untracked(|s| s.as_ref().and_then(|s| Removed::by(&edit, s)));
        match repo::edit(self.id, edit) {
            Ok(()) => {
                self.error.set(None);
                if let Some(removed) = removed {
                    self.offer_undo(removed);
                }
            }
            Err(e) => self.error.set(Some(i18n::tr(&e))),
        }
    }

    fn offer_undo(self, removed: Removed) {
        let serial = self.serial.get_value() + 1;
        self.serial.set_value(serial);
        self.undo.set(Some((serial, removed)));
        focus_later("undo-button".into());
        self.expire_undo(serial);
    }

    /// Take the offer away after [`UNDO_FOR`], unless a newer removal replaced it; not while
    /// the pointer is on it or the focus in it.
    fn expire_undo(self, serial: u64) {
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if self.undo.with_untracked(|u| u.as_ref().map(|u| u.0)) != Some(serial) {
                    return;
                }
                let in_use = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("undo-bar"))
                    .is_some_and(|e| e.matches(":hover, :focus-within").unwrap_or(false));
                if in_use {
                    self.expire_undo(serial);
                } else {
                    self.undo.set(None);
                }
            },
            UNDO_FOR,
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = serial;
    }

    /// Put back what the last removal took out.
    fn undo(self) {
        if let Some((_, removed)) = self.undo.get_untracked() {
            self.undo.set(None);
            let focus = match &removed {
                Removed::Goal { goal, .. } => Some(format!("goal-name-{}", goal.id)),
                _ => None,
            };
            self.apply(Edit::Restore(removed));
            if let Some(id) = focus {
                focus_later(id);
            }
        }
    }
}

/// The offer to undo the last removal: says what was removed, with Undo and a button to
/// dismiss it (or Escape). Its region is always there, so that screen readers announce it.
#[component]
fn UndoBar(editor: Editor) -> impl IntoView {
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            editor.undo.set(None);
        }
    };
    view! {
        <div class="undo-region" role="status" aria-live="polite">
            {move || {
                editor.undo.get().map(|(_, removed)| {
                    view! {
                        <div class="undo-bar" id="undo-bar" data-testid="undo-bar" on:keydown=on_key>
                            <span data-testid="undo-what">{i18n::removed(&removed)}</span>
                            <button type="button" id="undo-button" data-testid="undo" on:click=move |_| editor.undo()>
                                {t("Undo")}
                            </button>
                            <button type="button" class="dismiss" aria-label=t("Dismiss") title=t("Dismiss") on:click=move |_| editor.undo.set(None)>
                                "✕"
                            </button>
                        </div>
                    }
                })
            }}
        </div>
    }
}

/// The sheet as a reactive value; `None` only while it is not loaded.
pub(crate) type SheetMemo = Memo<Option<Sheet>>;

/// A derived value of the sheet (its default while not loaded).
pub(crate) fn derive<T: Default + PartialEq + Send + Sync + 'static>(
    sheet: SheetMemo,
    f: impl Fn(&Sheet) -> T + Send + Sync + 'static,
) -> Memo<T> {
    Memo::new(move |_| sheet.with(|s| s.as_ref().map(&f).unwrap_or_default()))
}

pub(crate) fn date_value(d: Option<NaiveDate>) -> String {
    d.map(domain::date::format_iso).unwrap_or_default()
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    domain::date::parse_iso(s)
}

#[component]
pub fn SheetPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<DocumentId>().ok())));
    let raw_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let handle = RwSignal::new(None::<SheetHandle>);
    // Nothing about the link is said until the page runs in the browser: the service worker
    // answers every sheet link with one shell page, which must hydrate whatever the link is.
    let live = RwSignal::new(false);
    // Open in the browser only, after hydration: the server has no copy of the sheet.
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            handle.set(Some(repo::open(id)));
        }
        live.set(true);
    });
    view! {
        <section class="sheet-page">
            {move || match (id.get(), handle.get()) {
                _ if !live.get() => {
                    view! { <p class="empty">{t("Opening the sheet…")}</p> }.into_any()
                }
                (None, _) => view! {
                    <p class="banner error" role="alert" data-testid="bad-link">
                        {tf("“{}” is not a sheet link.", &[&raw_id()])}
                    </p>
                }
                .into_any(),
                (Some(_), None) => view! { <p class="empty">{t("Opening the sheet…")}</p> }.into_any(),
                (Some(_), Some(h)) => view! { <LoadedSheet handle=h /> }.into_any(),
            }}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Fetching,
    Unavailable,
    Ready,
    Broken,
}

#[component]
fn LoadedSheet(handle: SheetHandle) -> impl IntoView {
    let view_sig = handle.view.clone();
    let phase = Memo::new(move |_| match &*view_sig.read() {
        DocView::Loading => Phase::Loading,
        DocView::Fetching => Phase::Fetching,
        DocView::Unavailable => Phase::Unavailable,
        DocView::Ready(_) => Phase::Ready,
        DocView::Broken(_) | DocView::KnowledgeBase => Phase::Broken,
    });
    let view_sig = handle.view.clone();
    let sheet = Memo::new(move |_| match &*view_sig.read() {
        DocView::Ready(s) => Some(s.clone()),
        _ => None,
    });
    let view_sig = handle.view.clone();
    let broken = move || match &*view_sig.read() {
        DocView::Broken(reason) => i18n::tr(reason),
        DocView::KnowledgeBase => t("this link is a knowledge base, not a goal sheet").into(),
        _ => String::new(),
    };
    let id = handle.id;
    let synced = handle.synced.clone();
    let unsaved = handle.unsaved.clone();
    let confirmation = handle.confirmation.clone();
    let damage = handle.damage.clone();
    let damaged = {
        let damage = damage.clone();
        move || damage.read().is_some()
    };
    let content = move || match phase.get() {
        Phase::Loading => view! { <p class="empty">{t("Reading the sheet…")}</p> }.into_any(),
        Phase::Fetching => view! {
            <p class="empty" data-testid="fetching">
                {t("This sheet is not on this device yet: fetching it from the relay…")}
            </p>
        }
        .into_any(),
        Phase::Unavailable => view! {
            <p class="banner error" role="alert" data-testid="unavailable">
                {t("Neither this device nor the relay has this sheet. Ask for the link again, or \
                    ask its owner to open it while online so that it reaches the relay.")}
            </p>
        }
        .into_any(),
        // A damaged copy is explained by the banner above.
        Phase::Broken if damaged() => ().into_any(),
        Phase::Broken => view! {
            <p class="banner error" role="alert" data-testid="broken">
                {tf("This sheet cannot be shown: {}", &[&broken()])}
            </p>
        }
        .into_any(),
        Phase::Ready => view! {
            <SheetView
                id
                sheet
                synced=synced.clone()
                unsaved=unsaved.clone()
                confirmation=confirmation.clone()
            />
        }
        .into_any(),
    };
    view! {
        <DamageBanner damage />
        {content}
    }
}

/// What happened to a copy of the sheet on this device that was found damaged.
#[component]
fn DamageBanner(damage: ArcRwSignal<Option<repo::Damage>>) -> impl IntoView {
    move || {
        damage.get().map(|d| {
            let recovered = d.recovered();
            view! {
                <div
                    class="banner"
                    class:error=!recovered
                    class:warn=recovered
                    role=if recovered { "status" } else { "alert" }
                    data-testid="damaged"
                    data-recovery=format!("{:?}", d.recovery)
                >
                    <p>{i18n::tr(&d.message())}</p>
                    <p data-testid="kept-aside">{i18n::tr(&d.kept_message())}</p>
                </div>
            }
        })
    }
}

/// The template's steps, as tabs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Prepare,
    Goals,
    Cascade,
    Confirm,
    FollowUp,
    Assess,
    Results,
}

impl Tab {
    const ALL: [Tab; 7] = [
        Tab::Prepare,
        Tab::Goals,
        Tab::Cascade,
        Tab::Confirm,
        Tab::FollowUp,
        Tab::Assess,
        Tab::Results,
    ];

    /// The tabs a sheet of this kind has: the cascade only on a department's sheet.
    fn of(kind: SheetKind) -> Vec<Tab> {
        Tab::ALL
            .into_iter()
            .filter(|t| *t != Tab::Cascade || kind == SheetKind::Department)
            .collect()
    }

    fn label(self) -> &'static str {
        t(match self {
            Tab::Prepare => "1 · Prepare",
            Tab::Goals => "2 · Goals",
            Tab::Cascade => "2 · Cascade",
            Tab::Confirm => "3 · Confirm",
            Tab::FollowUp => "4 · Follow-up",
            Tab::Assess => "5 · Assessment",
            Tab::Results => "6 · Results",
        })
    }

    fn key(self) -> &'static str {
        match self {
            Tab::Prepare => "prepare",
            Tab::Goals => "goals",
            Tab::Cascade => "cascade",
            Tab::Confirm => "confirm",
            Tab::FollowUp => "follow-up",
            Tab::Assess => "assessment",
            Tab::Results => "results",
        }
    }
}

#[component]
fn SheetView(
    id: DocumentId,
    sheet: SheetMemo,
    synced: ArcRwSignal<bool>,
    unsaved: ArcRwSignal<bool>,
    confirmation: ArcRwSignal<Option<domain::sign::Report>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let editor = Editor {
        id,
        sheet,
        error,
        undo: RwSignal::new(None),
        serial: StoredValue::new(0),
    };
    let tab = RwSignal::new(Tab::Goals);
    let kind = derive(sheet, |s| s.kind);
    let tabs = Memo::new(move |_| Tab::of(kind.get()));
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern), Home and End to the ends.
    let on_tab_key = move |ev: leptos::ev::KeyboardEvent| {
        let tabs = tabs.get_untracked();
        let i = tabs
            .iter()
            .position(|t| *t == tab.get_untracked())
            .unwrap_or(0);
        let n = tabs.len();
        let next = match ev.key().as_str() {
            "ArrowRight" => (i + 1) % n,
            "ArrowLeft" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        tab.set(tabs[next]);
        focus_later(format!("tab-{}", tabs[next].key()));
    };
    let damaged = derive(sheet, |s| s.damaged.clone());
    // Until the engine is there the sheet is shown from its snapshot, read-only: every field
    // and button of the header and the steps is disabled (by their fieldsets).
    let ready = repo::ready();
    let locked = {
        let ready = ready.clone();
        move || !ready.get()
    };
    let locked_panel = move || !ready.get();
    view! {
        <fieldset class="bare" disabled=locked data-testid="sheet-fields">
            <SheetHeader editor sheet synced unsaved />
        </fieldset>
        <Show when=move || error.read().is_some()>
            <p class="banner error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        <Show when=move || !damaged.read().is_empty()>
            <div class="banner warn" role="status" data-testid="damaged">
                <p>{t("Some entries of this sheet were written in a form this app cannot read (by another device or app). They are left out; the rest of the sheet is as usual:")}</p>
                <ul>{move || damaged.get().iter().map(|d| view! { <li>{i18n::damage(d)}</li> }).collect_view()}</ul>
            </div>
        </Show>
        <nav class="tabs" role="tablist" aria-label=t("Steps") on:keydown=on_tab_key>
            {move || tabs
                .get()
                .into_iter()
                .map(|t| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", t.key())
                            data-testid=format!("tab-{}", t.key())
                            aria-controls="tab-panel"
                            aria-selected=move || (tab.get() == t).to_string()
                            tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            class:active=move || tab.get() == t
                            on:click=move |_| tab.set(t)
                        >
                            {t.label()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
        <div
            class="tab-panel"
            role="tabpanel"
            id="tab-panel"
            aria-labelledby=move || format!("tab-{}", tab.get().key())
        >
            <fieldset class="bare" disabled=locked_panel>
            {move || match tab.get() {
                Tab::Goals => view! { <goals::GoalsTab editor sheet /> }.into_any(),
                Tab::Prepare => on_demand(prep_tab(editor, sheet)).into_any(),
                Tab::Confirm => on_demand(confirm_tab(editor, sheet, id, confirmation.clone())).into_any(),
                Tab::FollowUp => on_demand(follow_up_tab(editor, sheet)).into_any(),
                Tab::Assess => on_demand(assessment_tab(editor, sheet)).into_any(),
                Tab::Cascade => on_demand(cascade_tab(sheet, id)).into_any(),
                Tab::Results => on_demand(results_tab(editor, sheet, id)).into_any(),
            }}
            </fieldset>
        </div>
        <UndoBar editor />
    }
}

// The steps other than the goals (the tab a sheet opens on) are in the wasm chunk of the views
// loaded on demand (see `components::on_demand`), fetched when one is first opened.

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn prep_tab(editor: Editor, sheet: SheetMemo) -> Result<AnyView, NotLoaded> {
    Ok(view! { <prep::PrepTab editor sheet /> }.into_any())
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn confirm_tab(
    editor: Editor,
    sheet: SheetMemo,
    id: DocumentId,
    confirmation: ArcRwSignal<Option<domain::sign::Report>>,
) -> Result<AnyView, NotLoaded> {
    Ok(view! { <confirm::ConfirmTab editor sheet id confirmation /> }.into_any())
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn follow_up_tab(editor: Editor, sheet: SheetMemo) -> Result<AnyView, NotLoaded> {
    Ok(view! { <follow_up::FollowUpTab editor sheet /> }.into_any())
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn assessment_tab(editor: Editor, sheet: SheetMemo) -> Result<AnyView, NotLoaded> {
    Ok(view! { <assessment::AssessmentTab editor sheet /> }.into_any())
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cascade_tab(sheet: SheetMemo, id: DocumentId) -> Result<AnyView, NotLoaded> {
    Ok(view! { <cascade::CascadeTab sheet id /> }.into_any())
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn results_tab(editor: Editor, sheet: SheetMemo, id: DocumentId) -> Result<AnyView, NotLoaded> {
    Ok(view! { <results::ResultsTab editor sheet id /> }.into_any())
}

#[component]
fn SheetHeader(
    editor: Editor,
    sheet: SheetMemo,
    synced: ArcRwSignal<bool>,
    unsaved: ArcRwSignal<bool>,
) -> impl IntoView {
    let header = move |field: SheetField| derive(sheet, move |s| s.header(field).to_owned());
    let title = header(SheetField::Title);
    let employee = header(SheetField::Employee);
    let manager = header(SheetField::Manager);
    let kind = derive(sheet, |s| s.kind);
    let cycle = Memo::new(move |_| sheet.with(|s| s.as_ref().map(|s| s.cycle)));
    let set_cycle = move |f: &dyn Fn(&mut Cycle)| {
        if let Some(mut c) = cycle.get_untracked() {
            f(&mut c);
            editor.apply(Edit::Cycle(c));
        }
    };
    let today: Signal<NaiveDate> = repo::today().into();
    let fit_dates = move |_| {
        let today = today.get_untracked();
        set_cycle(&|c| *c = c.whole_period(today));
    };
    let status = repo::net_status();
    let ready = repo::ready();
    // A failed save keeps the edit in memory and retries: never "saved" until it is.
    let pending = unsaved.clone();
    let sync_label = move || match (pending.get(), status.get(), synced.get()) {
        // Shown from its snapshot, which is saved on this device too.
        _ if !ready.get() => t("Saved on this device · starting…"),
        (false, NetStatus::Online, true) => t("Saved on this device · synced"),
        (false, NetStatus::Online, false) => t("Saved on this device · syncing…"),
        (false, _, _) => t("Saved on this device · offline"),
        (true, NetStatus::Online, true) => {
            t("Not saved on this device yet: kept in this tab, retrying · synced")
        }
        (true, NetStatus::Online, false) => {
            t("Not saved on this device yet: kept in this tab, retrying · syncing…")
        }
        (true, _, _) => t("Not saved on this device yet: kept in this tab, retrying · offline"),
    };
    let link = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(href) = web_href() {
            link.set(href);
        }
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        copy_to_clipboard(&link.get_untracked());
        copied.set(true);
    };
    view! {
        <div class="sheet-head">
            <TextField
                value=title
                on_input=move |value| editor.apply(Edit::Header { field: SheetField::Title, value })
                attr:class="sheet-title-input"
                attr:aria-label=t("Sheet title")
                attr:data-testid="sheet-title"
            />
            <span
                class="doc-status"
                class:bad=move || unsaved.get()
                data-testid="doc-status"
            >
                {sync_label}
            </span>
        </div>
        <div class="card sheet-meta">
            <label>
                // A department's sheet names the department where an employee's names the employee.
                {move || if kind.get() == SheetKind::Department { t("Department name") } else { t("Employee") }}
                <TextField
                    value=employee
                    on_input=move |value| editor.apply(Edit::Header { field: SheetField::Employee, value })
                    attr:data-testid="sheet-employee"
                />
            </label>
            <label>
                {t("Manager")}
                <TextField
                    value=manager
                    on_input=move |value| editor.apply(Edit::Header { field: SheetField::Manager, value })
                    attr:data-testid="sheet-manager"
                />
            </label>
            <label>
                {t("Cycle")}
                <select
                    data-testid="cycle-kind"
                    prop:value=move || cycle.get().map(|c| c.kind.as_str()).unwrap_or_default()
                    on:change=move |ev| {
                        let k = CycleKind::parse(&event_target_value(&ev)).unwrap_or_default();
                        set_cycle(&|c| c.kind = k);
                    }
                >
                    {CycleKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{t(k.label())}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t("Starts")}
                <input
                    type="date"
                    data-testid="cycle-start"
                    prop:value=move || date_value(cycle.get().map(|c| c.start))
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            set_cycle(&|c| c.start = d);
                        }
                    }
                />
            </label>
            <label>
                {t("Ends")}
                <input
                    type="date"
                    data-testid="cycle-end"
                    prop:value=move || date_value(cycle.get().map(|c| c.end))
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            set_cycle(&|c| c.end = d);
                        }
                    }
                />
            </label>
            <Show when={move || cycle.get().is_some_and(|c| c.end < c.start)}>
                <p class="hint bad">{t("The cycle ends before it starts.")}</p>
            </Show>
            <Show when={move || cycle.get().is_some_and(|c| c.end >= c.start && !c.fits_kind())}>
                <p class="hint bad" data-testid="cycle-mismatch">
                    <span>{move || cycle.get().map(|c| i18n::cycle_mismatch(&c)).unwrap_or_default()}</span>
                    " "
                    <button type="button" class="inline-action" data-testid="fit-cycle-dates" on:click=fit_dates>
                        {move || cycle.get().map(|c| i18n::fit_cycle(c.kind)).unwrap_or_default()}
                    </button>
                </p>
            </Show>
            <DepartmentField editor sheet />
            <div class="share">
                <label>
                    {t("Link to share")}
                    <input readonly data-testid="share-link" prop:value=move || link.get() />
                </label>
                <button type="button" on:click=copy>
                    {move || if copied.get() { t("Copied") } else { t("Copy link") }}
                </button>
                <a class="button" href=format!("/sheet/{}/print", editor.id()) data-testid="print-link">
                    {t("Print / CSV")}
                </a>
            </div>
        </div>
    }
}

fn web_href() -> Option<String> {
    #[cfg(feature = "hydrate")]
    return web_sys::window().and_then(|w| w.location().href().ok());
    #[cfg(not(feature = "hydrate"))]
    None
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Focus an element once the next render has put it in the page.
pub(crate) fn focus_later(element_id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&element_id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = element_id;
}

/// An employee's sheet names the department it cascades from (any department sheet on this
/// device); a department's sheet says so.
#[component]
fn DepartmentField(editor: Editor, sheet: SheetMemo) -> impl IntoView {
    let all = repo::all_sheets();
    let kind = derive(sheet, |s| s.kind);
    let current = derive(sheet, |s| {
        s.department
            .as_ref()
            .map(|d| d.sheet.clone())
            .unwrap_or_default()
    });
    let departments = Memo::new(move |_| {
        all.with(|all| {
            all.iter()
                .filter(|(_, s)| s.kind == SheetKind::Department)
                .map(|(id, s)| {
                    (
                        id.clone(),
                        if s.employee.is_empty() {
                            s.title.clone()
                        } else {
                            s.employee.clone()
                        },
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let current_name = derive(sheet, |s| {
        s.department
            .as_ref()
            .map(|d| d.name.clone())
            .unwrap_or_default()
    });
    // Fetch the department's sheet, so that its goals (to link to) and its knowledge base are
    // known on a device that has never opened it.
    Effect::new(move |_| {
        if let Ok(dept) = current.get().parse::<DocumentId>() {
            let _ = repo::open(dept);
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let dept = departments
            .get_untracked()
            .into_iter()
            .find(|(id, _)| *id == chosen)
            .map(|(sheet, name)| SheetRef { sheet, name });
        editor.apply(Edit::SetDepartment(dept));
    };
    view! {
        {move || match kind.get() {
            SheetKind::Department => view! {
                <p class="dept-badge" data-testid="department-sheet">{t("Department sheet: employees' goals cascade from its goals.")}</p>
            }
            .into_any(),
            SheetKind::Individual => view! {
                <label class="department">
                    {t("Department")}
                    <select data-testid="department" prop:value=move || current.get() on:change=on_change>
                        <option value="">{t("— none —")}</option>
                        {move || {
                            let mut options = departments.get();
                            let cur = current.get();
                            if !cur.is_empty() && !options.iter().any(|(id, _)| *id == cur) {
                                options.push((cur, current_name.get()));
                            }
                            options.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()
                        }}
                    </select>
                </label>
            }
            .into_any(),
        }}
    }
}
