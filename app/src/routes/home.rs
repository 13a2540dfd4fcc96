//! "My goal sheets": the sheets on this device, a form for a new one, and opening a shared link.

use crate::i18n::{self, t, tf};
use crate::repo::{self, SheetSummary};
use chrono::NaiveDate;
use domain::cadence::CheckInStatus;
use domain::rules::{check_new_sheet, NewSheetError};
use domain::{Cycle, CycleKind, NewSheet};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use repo_sync::DocumentId;

#[component]
pub fn HomePage() -> impl IntoView {
    let sheets = repo::sheets();
    view! {
        <section class="home">
            <h1>{t("My goal sheets")}</h1>
            <p class="lede">
                {t("Sheets kept on this device. They work offline and sync with everyone who has the link.")}
            </p>
            <SheetList sheets />
            <div class="home-forms">
                <NewSheetForm />
                <OpenLinkForm />
            </div>
            <crate::components::StorageUsage />
            <Backup />
        </section>
    }
}

#[component]
fn SheetList(sheets: ArcRwSignal<Option<Vec<SheetSummary>>>) -> impl IntoView {
    let archived = repo::archived();
    let error = RwSignal::new(None::<String>);
    move || {
        let shelf = archived.get();
        match sheets.get() {
            None => view! { <p class="empty" data-testid="sheet-list-loading">{t("Reading this device's sheets…")}</p> }
                .into_any(),
            Some(list) if list.is_empty() => view! {
                <p class="empty" data-testid="sheet-list-empty">
                    {t("No sheets on this device yet. Create one below, or open a link someone shared with you.")}
                </p>
            }
            .into_any(),
            Some(list) => {
                let (put_away, listed): (Vec<_>, Vec<_>) =
                    list.into_iter().partition(|s| shelf.contains(&s.id));
                let n = put_away.len();
                view! {
                    <Show when=move || error.read().is_some()>
                        <p class="banner error" role="alert">{move || error.get().unwrap_or_default()}</p>
                    </Show>
                    {listed.is_empty().then(|| view! {
                        <p class="empty" data-testid="sheet-list-all-archived">
                            {t("Every sheet on this device is archived: restore one below to list it again.")}
                        </p>
                    })}
                    <ul class="sheet-list" data-testid="sheet-list">
                        {listed.into_iter().map(|s| sheet_card(s, false, error)).collect_view()}
                    </ul>
                    {(n > 0).then(|| view! {
                        <details class="archived" data-testid="archived-sheets">
                            <summary>{tf("Archived sheets ({})", &[&n])}</summary>
                            <p class="hint">{t("Archived sheets stay on this device and keep syncing; they are only left out of the list above.")}</p>
                            <ul class="sheet-list">
                                {put_away.into_iter().map(|s| sheet_card(s, true, error)).collect_view()}
                            </ul>
                        </details>
                    })}
                }
                .into_any()
            }
        }
    }
}

/// A sheet's card: a link to it, and a button that archives it (or restores it to the list).
fn sheet_card(s: SheetSummary, archived: bool, error: RwSignal<Option<String>>) -> impl IntoView {
    let href = format!("/sheet/{}", s.id);
    let cycle = s
        .cycle
        .map(|c| {
            format!(
                "{} · {} – {}",
                t(c.kind.label()),
                i18n::date(c.start),
                i18n::date(c.end)
            )
        })
        .unwrap_or_default();
    // A sheet that cannot be read has no cycle, and a title made here.
    let title = if s.cycle.is_none() {
        i18n::tr(&s.title)
    } else {
        s.title
    };
    let people = if s.employee.is_empty() && s.manager.is_empty() {
        String::new()
    } else {
        tf("{} with {}", &[&s.employee, &s.manager])
    };
    let weights_ok = s.weight_total == 100;
    let due = s.check_in.filter(|c| c.is_due()).map(|c| match c {
        CheckInStatus::Overdue(d) => tf("Check-in overdue since {}", &[&i18n::day(d)]),
        _ => t("Check-in due today").to_string(),
    });
    let (label, action) = if archived {
        (tf("Restore {} to the list", &[&title]), t("Restore"))
    } else {
        (tf("Archive {}", &[&title]), t("Archive"))
    };
    let id = s.id.clone();
    let toggle = move |_| {
        error.set(
            repo::set_archived(&id, !archived)
                .err()
                .map(|e| i18n::tr(&e)),
        )
    };
    view! {
        <li class="sheet-item">
            <a href=href class="sheet-card">
                <span class="sheet-title">{title}</span>
                <span class="sheet-people">{people}</span>
                <span class="sheet-cycle">{cycle}</span>
                <span class="sheet-goals" class:warn=!weights_ok>
                    {tf("{} goals · weights {}%", &[&s.goals, &s.weight_total])}
                </span>
                {due.map(|text| view! { <span class="sheet-due" data-testid="check-in-due">{text}</span> })}
            </a>
            <button type="button" class="sheet-archive" data-testid="archive-toggle" aria-label=label.clone() title=label on:click=toggle>
                {action}
            </button>
        </li>
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    domain::date::parse_iso(s)
}

#[component]
fn NewSheetForm() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let employee = RwSignal::new(String::new());
    let manager = RwSignal::new(String::new());
    let kind = RwSignal::new(CycleKind::Quarterly);
    let department = RwSignal::new(false);
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    let navigate = use_navigate();
    let ready = repo::ready();

    let set_period = move |c: Cycle| {
        start.set(c.start.to_string());
        end.set(c.end.to_string());
    };
    // Default dates: the current period, filled in the browser (the server's clock and time zone
    // are not the user's).
    Effect::new(move |_| {
        if start.get_untracked().is_empty() {
            set_period(Cycle::containing(
                kind.get_untracked(),
                chrono::Local::now().date_naive(),
            ));
        }
    });

    let on_kind = move |ev| {
        let k = CycleKind::parse(&event_target_value(&ev)).unwrap_or_default();
        kind.set(k);
        let today = chrono::Local::now().date_naive();
        set_period(match parse_date(&start.get_untracked()) {
            Some(s) => Cycle {
                kind: k,
                start: s,
                end: parse_date(&end.get_untracked()).unwrap_or(s),
            }
            .whole_period(today),
            None => Cycle::containing(k, today),
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let (s, e) = (
            parse_date(&start.get_untracked()),
            parse_date(&end.get_untracked()),
        );
        if s.is_none() {
            problems.push(t("give the cycle a start date").to_string());
        }
        if e.is_none() {
            problems.push(t("give the cycle an end date").to_string());
        }
        if let (Some(s), Some(e)) = (s, e) {
            let new = NewSheet {
                title: title.get_untracked(),
                employee: employee.get_untracked(),
                manager: manager.get_untracked(),
                cycle: Cycle {
                    kind: kind.get_untracked(),
                    start: s,
                    end: e,
                },
            };
            problems.extend(check_new_sheet(&new).iter().map(|e| match e {
                // A department's sheet names the department, not an employee.
                NewSheetError::MissingEmployee if department.get_untracked() => {
                    t("name the department").to_string()
                }
                e => i18n::new_sheet_error(e),
            }));
            if problems.is_empty() {
                match repo::create(&new) {
                    Ok(id) => {
                        if department.get_untracked() {
                            let _ = repo::edit(
                                id,
                                domain::Edit::SetKind(domain::SheetKind::Department),
                            );
                        }
                        navigate(&format!("/sheet/{id}"), Default::default());
                        return;
                    }
                    Err(e) => problems.push(i18n::tr(&e)),
                }
            }
        }
        errors.set(problems);
    };

    view! {
        <form class="card new-sheet" on:submit=on_submit data-testid="new-sheet-form">
            <h2>{t("New sheet")}</h2>
            <label>
                {t("Title")}
                <input
                    name="title"
                    required
                    placeholder=t("e.g. Q3 2026 goals")
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
            </label>
            <div class="row2">
                <label>
                    {move || if department.get() { t("Department name") } else { t("Employee") }}
                    <input
                        name="employee"
                        required
                        prop:value=move || employee.get()
                        on:input=move |ev| employee.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {t("Manager")}
                    <input
                        name="manager"
                        required
                        prop:value=move || manager.get()
                        on:input=move |ev| manager.set(event_target_value(&ev))
                    />
                </label>
            </div>
            <div class="row3">
                <label>
                    {t("Cycle")}
                    <select name="cycle" on:change=on_kind prop:value=move || kind.get().as_str()>
                        {CycleKind::ALL
                            .into_iter()
                            .map(|k| view! { <option value=k.as_str()>{t(k.label())}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {t("Starts")}
                    <input
                        type="date"
                        name="start"
                        required
                        prop:value=move || start.get()
                        on:input=move |ev| start.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {t("Ends")}
                    <input
                        type="date"
                        name="end"
                        required
                        prop:value=move || end.get()
                        on:input=move |ev| end.set(event_target_value(&ev))
                    />
                </label>
            </div>
            {move || {
                let cycle = Cycle {
                    kind: kind.get(),
                    start: parse_date(&start.get())?,
                    end: parse_date(&end.get())?,
                };
                (cycle.end >= cycle.start && !cycle.fits_kind()).then(|| view! {
                    <p class="hint bad" data-testid="new-cycle-mismatch">{i18n::cycle_mismatch(&cycle)}</p>
                })
            }}
            <label class="inline">
                <input
                    type="checkbox"
                    name="department"
                    prop:checked=move || department.get()
                    on:change=move |ev| department.set(event_target_checked(&ev))
                />
                {t("A department's sheet (employees' goals cascade from its goals)")}
            </label>
            <Show when=move || !errors.read().is_empty()>
                <ul class="errors" role="alert">
                    {move || {
                        errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()
                    }}
                </ul>
            </Show>
            // A new sheet is an Automerge document: made once the engine is there.
            <button type="submit" class="primary" disabled=move || !ready.get()>{t("Create sheet")}</button>
        </form>
    }
}

#[component]
fn OpenLinkForm() -> impl IntoView {
    let link = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = link.get_untracked();
        // Accept a whole link, an automerge: URL or a bare id.
        let candidate = text
            .trim()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        match candidate.parse::<DocumentId>() {
            Ok(id) => navigate(&format!("/sheet/{id}"), Default::default()),
            Err(e) => error.set(Some(tf("That is not a sheet link ({}).", &[&e]))),
        }
    };
    view! {
        <form class="card open-link" on:submit=on_submit>
            <h2>{t("Open a shared sheet")}</h2>
            <label>
                {t("Link")}
                <input
                    name="link"
                    placeholder="https://…/sheet/…"
                    prop:value=move || link.get()
                    on:input=move |ev| {
                        link.set(event_target_value(&ev));
                        error.set(None);
                    }
                />
            </label>
            <Show when=move || error.read().is_some()>
                <p class="errors" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit">{t("Open")}</button>
        </form>
    }
}

/// Download a backup of this device's sheets, or merge one back in.
#[component]
fn Backup() -> impl IntoView {
    let ready = repo::ready();
    // The last outcome: (ok, message).
    let outcome = RwSignal::new(None::<(bool, String)>);
    let save = move |_| match repo::backup_text() {
        Ok(text) => {
            let day = chrono::Local::now().date_naive();
            crate::components::download(
                &format!("goal-sheets-backup-{day}.json"),
                "application/json",
                &text,
            );
            outcome.set(None);
        }
        Err(e) => outcome.set(Some((false, i18n::tr(&e)))),
    };
    let on_file = move |ev: leptos::ev::Event| {
        crate::components::read_file(ev, move |text| {
            outcome.set(Some(match repo::restore_backup(&text) {
                Ok(r) => (
                    r.unreadable == 0,
                    tf(
                        "Backup restored: {} new, {} merged, {} already here, {} unreadable.",
                        &[&r.added, &r.merged, &r.unchanged, &r.unreadable],
                    ),
                ),
                Err(e) => (false, tf("Not restored: {}.", &[&i18n::tr(&e)])),
            }));
        })
    };
    view! {
        <section class="card backup" data-testid="backup">
            <h2>{t("Backup")}</h2>
            <p class="hint">
                {t("Sheets live in this browser (and with the relay, once synced). Keep a copy elsewhere: restoring one merges it with what is here and overwrites nothing.")}
            </p>
            <div class="backup-actions">
                <button type="button" data-testid="backup-download" on:click=save>{t("Download a backup")}</button>
                <label class="button-like">
                    {t("Restore from a backup…")}
                    <input
                        type="file"
                        accept=".json,application/json"
                        data-testid="backup-file"
                        disabled=move || !ready.get()
                        on:change=on_file
                    />
                </label>
            </div>
            {move || outcome.get().map(|(ok, message)| view! {
                <p class="backup-outcome" class:bad=!ok role="status" data-testid="backup-outcome">{message}</p>
            })}
        </section>
    }
}
