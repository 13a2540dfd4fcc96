//! The print view of a sheet: Template 1 with its signatures and Template 2's follow-up records,
//! laid out for A4, in the current language; and CSV downloads of both.

use crate::components::{on_demand, NotLoaded};
use crate::i18n::{self, t, tf};
use crate::repo::{self, DocView, SheetHandle};
use domain::sign::{fingerprint, Report, SignatureState};
use domain::{GoalType, Role, Sheet, SheetKind};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use repo_sync::DocumentId;

fn goal_type(g: GoalType) -> String {
    t(g.label()).to_owned()
}

fn goal_headers() -> [&'static str; 7] {
    [
        t("Goal type"),
        t("Goal name"),
        t("Measure (key results)"),
        t("Weight (%)"),
        t("Deadline"),
        t("Owner"),
        t("Support needed"),
    ]
}

fn check_in_headers() -> [&'static str; 7] {
    [
        t("Goal name"),
        t("Check-in date"),
        t("Progress (%)"),
        t("Main progress"),
        t("Problems"),
        t("Solution"),
        t("Next step"),
    ]
}

#[component]
pub fn PrintPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<DocumentId>().ok())));
    let handle = RwSignal::new(None::<SheetHandle>);
    // As on the sheet page: the service worker's shell must hydrate whatever the link is, so
    // the link is judged only once the page runs.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        if let Some(id) = id.get() {
            handle.set(Some(repo::open(id)));
        }
    });
    view! {
        <section class="print-page" data-testid="print">
            {move || match (id.get(), handle.get()) {
                _ if !live.get() => view! { <p class="empty">{t("Opening the sheet…")}</p> }.into_any(),
                (None, _) => view! { <p class="banner error" role="alert">{t("This is not a sheet link.")}</p> }.into_any(),
                (Some(_), None) => view! { <p class="empty">{t("Opening the sheet…")}</p> }.into_any(),
                (Some(id), Some(h)) => on_demand(print_sheet(id, h)).into_any(),
            }}
        </section>
    }
}

// The print view is in the wasm chunk of the views loaded on demand
// (see `components::on_demand`).
#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn print_sheet(id: DocumentId, handle: SheetHandle) -> Result<AnyView, NotLoaded> {
    Ok(view! { <PrintSheet id handle /> }.into_any())
}

#[component]
fn PrintSheet(id: DocumentId, handle: SheetHandle) -> impl IntoView {
    let view_sig = handle.view.clone();
    let sheet = Memo::new(move |_| match &*view_sig.read() {
        DocView::Ready(s) => Some(s.clone()),
        _ => None,
    });
    let report = handle.confirmation.clone();
    move || match sheet.get() {
        None => view! { <p class="empty">{t("Reading the sheet…")}</p> }.into_any(),
        Some(s) => {
            let report = report.get();
            view! { <PrintBody id sheet=s report /> }.into_any()
        }
    }
}

/// A signature's moment as a date in the current language.
fn sign_date(at: &str) -> String {
    at.get(..10)
        .and_then(domain::date::parse_iso)
        .map(i18n::date)
        .unwrap_or_default()
}

/// One party's signature as printed: who signed (the name the party joined with and the key's
/// fingerprint) and when, or that a stored signature is void or does not verify. Blank when
/// there is none, to sign by hand; "verifying signatures…" until the repo's engine (a chunk of its own)
/// has run.
#[component]
fn PrintedSignature(report: Option<Report>, role: Role) -> impl IntoView {
    let state = report.as_ref().map(|r| r.state(role).clone());
    let testid = format!("print-signature-{}", role.as_str());
    match state {
        None => view! {
            <span class="sig" data-testid=testid data-state="verifying">{t("verifying signatures…")}</span>
        }
        .into_any(),
        Some(SignatureState::Missing) => {
            view! { <span class="sig" data-testid=testid data-state="missing"></span> }.into_any()
        }
        Some(SignatureState::Valid { name, key, at }) => view! {
            <span class="sig" data-testid=testid data-state="valid">
                {tf("{} ({}), {}", &[&name, &fingerprint(&key), &sign_date(&at)])}
            </span>
        }
        .into_any(),
        Some(SignatureState::Void { name, key, at, .. }) => view! {
            <span class="sig void" data-testid=testid data-state="void">
                {tf(
                    "void: {} ({}) signed on {}, and the agreement has changed since",
                    &[&name, &fingerprint(&key), &sign_date(&at)],
                )}
            </span>
        }
        .into_any(),
        Some(SignatureState::Invalid(reason)) => view! {
            <span class="sig void" data-testid=testid data-state="invalid">
                {tf("not verified: {}", &[&i18n::invalid(&reason)])}
            </span>
        }
        .into_any(),
    }
}

#[component]
fn PrintBody(id: DocumentId, sheet: Sheet, report: Option<Report>) -> impl IntoView {
    let confirmed = report.as_ref().is_some_and(Report::confirmed);
    let cycle = format!(
        "{} – {}",
        i18n::date(sheet.cycle.start),
        i18n::date(sheet.cycle.end)
    );
    let goals_csv = domain::export::goals_csv(&sheet, goal_headers(), goal_type);
    let check_ins_csv = domain::export::check_ins_csv(&sheet, check_in_headers());
    let stem = sheet.title.replace(['/', '\\', ':'], "-");
    let rows = sheet.goals.clone();
    let records: Vec<(String, domain::CheckIn)> = sheet
        .goals
        .iter()
        .flat_map(|g| g.check_ins.iter().map(move |c| (g.name.clone(), c.clone())))
        .collect();
    let goals_name = format!("{stem} - {}.csv", t("goals"));
    let records_name = format!("{stem} - {}.csv", t("check-ins"));
    view! {
        <div class="print-actions no-print">
            <a href=format!("/sheet/{id}") data-testid="back-to-sheet">{t("← Back to the sheet")}</a>
            <button type="button" class="primary" data-testid="print-button" on:click=move |_| print_page()>{t("Print")}</button>
            <button type="button" data-testid="csv-goals" on:click=move |_| crate::components::download(&goals_name, "text/csv", &goals_csv)>{t("Goals as CSV")}</button>
            <button type="button" data-testid="csv-check-ins" on:click=move |_| crate::components::download(&records_name, "text/csv", &check_ins_csv)>{t("Check-ins as CSV")}</button>
        </div>
        <article class="sheet-print">
            <h1>{t("Template 1 · Goal-setting sheet")}</h1>
            <p class="print-meta">
                <strong>{sheet.title.clone()}</strong>
                {if sheet.kind == SheetKind::Department {
                    tf(" · Department: {} · Manager: {} · {}", &[&sheet.employee, &sheet.manager, &cycle])
                } else {
                    tf(" · Employee: {} · Manager: {} · {}", &[&sheet.employee, &sheet.manager, &cycle])
                }}
            </p>
            <table class="print-table" data-testid="print-goals">
                <thead><tr>{goal_headers().into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|g| view! {
                        <tr>
                            <td>{goal_type(g.goal_type)}</td>
                            <td>{g.name}</td>
                            <td>{g.measure}</td>
                            <td class="num">{g.weight}</td>
                            <td>{g.deadline.map(i18n::date).unwrap_or_default()}</td>
                            <td>{g.owner}</td>
                            <td class="pre">{g.support}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="signatures-line" data-testid="print-signatures">
                {t("Signatures: employee ")}<PrintedSignature report=report.clone() role=Role::Employee />
                {t(" manager ")}<PrintedSignature report=report.clone() role=Role::Manager />
                // A blank for the date while a signature is still to be made by hand.
                <Show when=move || !confirmed>
                    {t(" date ")}<span class="sig"></span>
                </Show>
            </p>
            <h1 class="page-break">{t("Template 2 · Follow-up record")}</h1>
            <table class="print-table" data-testid="print-check-ins">
                <thead><tr>{check_in_headers().into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {records.into_iter().map(|(name, c)| view! {
                        <tr>
                            <td>{name}</td>
                            <td>{i18n::date(c.date)}</td>
                            <td class="num">{c.progress}</td>
                            <td class="pre">{c.done}</td>
                            <td class="pre">{c.problems}</td>
                            <td class="pre">{c.solution}</td>
                            <td class="pre">{c.next}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </article>
    }
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
