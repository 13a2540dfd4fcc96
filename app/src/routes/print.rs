//! The print view of a sheet: Template 1 with its signatures and Template 2's follow-up records,
//! laid out for A4, in the current language; and CSV downloads of both.

use crate::i18n::{self, Lang};
use crate::repo::{self, DocView, SheetHandle};
use domain::sign::{fingerprint, SignatureState};
use domain::{GoalType, Role, Sheet};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use repo_sync::DocumentId;

/// English or Chinese, by the current language.
fn l(en: &'static str, zh: &'static str) -> &'static str {
    match i18n::current() {
        Lang::En => en,
        Lang::ZhCn => zh,
    }
}

fn goal_type(t: GoalType) -> String {
    match t {
        GoalType::Result => l("Result", "结果型"),
        GoalType::Process => l("Process", "过程型"),
        GoalType::Development => l("Development", "发展型"),
    }
    .to_string()
}

fn goal_headers() -> [&'static str; 7] {
    [
        l("Goal type", "目标类型"),
        l("Goal name", "目标名称"),
        l("Measure (key results)", "衡量标准(关键成果)"),
        l("Weight (%)", "权重(%)"),
        l("Deadline", "完成时限"),
        l("Owner", "责任人"),
        l("Support needed", "所需支持"),
    ]
}

fn check_in_headers() -> [&'static str; 7] {
    [
        l("Goal name", "目标名称"),
        l("Check-in date", "跟进日期"),
        l("Progress (%)", "当前进度(%)"),
        l("Main progress", "主要进展"),
        l("Problems", "存在问题"),
        l("Solution", "解决方案"),
        l("Next step", "下一步计划"),
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
                _ if !live.get() => view! { <p class="empty">{l("Opening the sheet…", "正在打开目标表…")}</p> }.into_any(),
                (None, _) => view! { <p class="banner error" role="alert">{l("This is not a sheet link.", "这不是目标表链接。")}</p> }.into_any(),
                (Some(_), None) => view! { <p class="empty">{l("Opening the sheet…", "正在打开目标表…")}</p> }.into_any(),
                (Some(id), Some(h)) => view! { <PrintSheet id handle=h /> }.into_any(),
            }}
        </section>
    }
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
        None => {
            view! { <p class="empty">{l("Reading the sheet…", "正在读取目标表…")}</p> }.into_any()
        }
        Some(s) => {
            let report = report.get();
            view! { <PrintBody id sheet=s report /> }.into_any()
        }
    }
}

fn signed(report: &Option<domain::sign::Report>, role: Role) -> (String, String) {
    match report.as_ref().map(|r| r.state(role)) {
        Some(SignatureState::Valid { name, key, at }) => {
            let date = at
                .get(..10)
                .and_then(domain::date::parse_iso)
                .map(i18n::date)
                .unwrap_or_default();
            // The name the party joined with under the signing key, and that key's fingerprint.
            (format!("{name} ({})", fingerprint(key)), date)
        }
        _ => (String::new(), String::new()),
    }
}

#[component]
fn PrintBody(id: DocumentId, sheet: Sheet, report: Option<domain::sign::Report>) -> impl IntoView {
    let (employee_sig, employee_date) = signed(&report, Role::Employee);
    let (manager_sig, manager_date) = signed(&report, Role::Manager);
    let sign_date = if manager_date.is_empty() {
        employee_date.clone()
    } else {
        manager_date.clone()
    };
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
    let goals_name = format!("{stem} - {}.csv", l("goals", "目标"));
    let records_name = format!("{stem} - {}.csv", l("check-ins", "跟进记录"));
    view! {
        <div class="print-actions no-print">
            <a href=format!("/sheet/{id}")>{l("← Back to the sheet", "← 返回目标表")}</a>
            <button type="button" class="primary" data-testid="print-button" on:click=move |_| print_page()>{l("Print", "打印")}</button>
            <button type="button" data-testid="csv-goals" on:click=move |_| crate::components::download(&goals_name, "text/csv", &goals_csv)>{l("Goals as CSV", "导出目标 CSV")}</button>
            <button type="button" data-testid="csv-check-ins" on:click=move |_| crate::components::download(&records_name, "text/csv", &check_ins_csv)>{l("Check-ins as CSV", "导出跟进记录 CSV")}</button>
        </div>
        <article class="sheet-print">
            <h1>{l("Template 1 · Goal-setting sheet", "模板1:绩效目标设定表")}</h1>
            <p class="print-meta">
                <strong>{sheet.title.clone()}</strong>
                {format!(" · {} {} · {} {} · {}", l("Employee:", "员工:"), sheet.employee, l("Manager:", "管理者:"), sheet.manager, cycle)}
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
                {l("Signatures: employee ", "确认签字:员工:")}<span class="sig">{employee_sig}</span>
                {l(" manager ", " 管理者:")}<span class="sig">{manager_sig}</span>
                {l(" date ", " 日期:")}<span class="sig">{sign_date}</span>
            </p>
            <h1 class="page-break">{l("Template 2 · Follow-up record", "模板2:目标跟进记录表")}</h1>
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
