//! Steps 5 and 6 applied: how the results are used (pay, promotion, training), why missed goals
//! were missed and the plan to improve, the performance interview, the development plan, good
//! practice captured into the department's knowledge base, and starting the next cycle.

use super::{derive, Editor, SheetMemo};
use crate::components::{LabeledText, TextField};
use crate::i18n::{self, t, tf};
use crate::repo::{self, DocView};
use domain::kb::Practice;
use domain::results::missed;
use domain::{Cause, DevItem, Edit, ResultsField, RowId, SheetKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use repo_sync::DocumentId;

fn results_label(f: ResultsField) -> (&'static str, &'static str) {
    match f {
        ResultsField::Pay => ("Pay adjustment", "e.g. +5% from January"),
        ResultsField::Promotion => ("Promotion", "e.g. ready for team lead next cycle"),
        ResultsField::Training => ("Training", "e.g. priority for leadership training"),
        ResultsField::Interview => (
            "Performance interview notes",
            "results acknowledged, shortfalls named, next goals agreed",
        ),
    }
}

#[component]
pub(super) fn ResultsTab(editor: Editor, sheet: SheetMemo, id: DocumentId) -> impl IntoView {
    // Which goals are missed depends on the day: unassessed goals count only once the cycle
    // has ended.
    let today: Signal<chrono::NaiveDate> = repo::today().into();
    let missed_rows = Memo::new(move |_| {
        let today = today.get();
        sheet.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.goals
                        .iter()
                        .filter(|g| missed(g, s.assessment.cap, &s.cycle, today))
                        .map(|g| g.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let dev_ids = derive(sheet, |s| {
        s.development
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    });
    let add_dev = move |_| {
        editor.apply(Edit::AddDevItem(DevItem {
            id: RowId::from_random(repo::random_u64()),
            text: String::new(),
        }))
    };
    let navigate = use_navigate();
    let next_error = RwSignal::new(None::<String>);
    let start_next = move |_| match repo::start_next_cycle(id, &i18n::carry_over_labels()) {
        Ok(next) => navigate(&format!("/sheet/{next}"), Default::default()),
        Err(e) => next_error.set(Some(i18n::tr(&e))),
    };
    let next_link = derive(sheet, |s| s.next.clone());
    let previous_link = derive(sheet, |s| s.previous.clone());
    view! {
        <div class="results" data-testid="results">
            <Show when=move || previous_link.get().is_some()>
                <p class="hint">
                    <a href=move || format!("/sheet/{}", previous_link.get().unwrap_or_default()) data-testid="previous-cycle">
                        {t("← The previous cycle's sheet")}
                    </a>
                </p>
            </Show>
            <h3>{t("Applying the results")}</h3>
            <div class="card fields">
                {ResultsField::ALL
                    .into_iter()
                    .map(|field| {
                        let (label, placeholder) = results_label(field);
                        let value = derive(sheet, move |s| s.results.text(field).to_owned());
                        view! {
                            <LabeledText
                                label
                                placeholder
                                field=field.key()
                                value
                                on_input=move |value| editor.apply(Edit::ResultsText { field, value })
                            />
                        }
                    })
                    .collect_view()}
            </div>
            <h3>{t("Missed goals")}</h3>
            <Show when=move || missed_rows.read().is_empty()>
                <p class="empty">{t("No goal is missed: every assessed goal scores 100, and an unassessed goal counts as missed only if it is short of 100% when the cycle ends.")}</p>
            </Show>
            <ul class="missed">
                <For each=move || missed_rows.get() key=|row| row.clone() let:row>
                    <MissedGoal editor sheet row />
                </For>
            </ul>
            <h3>{t("Development plan")}</h3>
            <ul class="dev-items">
                <For each=move || dev_ids.get() key=|id| id.clone() let:item>
                    <DevItemRow editor sheet id=item />
                </For>
            </ul>
            <button type="button" data-testid="add-dev-item" on:click=add_dev>{t("+ Add a development item")}</button>
            <h3>{t("Good practice")}</h3>
            <CapturePractice sheet id />
            <h3>{t("Next cycle")}</h3>
            {move || match next_link.get() {
                Some(next) => view! {
                    <p><a href=format!("/sheet/{next}") data-testid="next-cycle">{t("Open the next cycle's sheet →")}</a></p>
                }
                .into_any(),
                None => view! {
                    <div class="card">
                        <p class="hint">
                            {t("Starts a sheet for the next cycle, linked to this one, with the missed goals, \
                                their improvement plans and the development plan carried over for both of \
                                you to edit.")}
                        </p>
                        <button type="button" class="primary" data-testid="start-next-cycle" on:click=start_next.clone()>
                            {t("Start the next cycle")}
                        </button>
                        <Show when=move || next_error.read().is_some()>
                            <p class="errors" role="alert">{move || next_error.get().unwrap_or_default()}</p>
                        </Show>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}

#[component]
fn MissedGoal(editor: Editor, sheet: SheetMemo, row: RowId) -> impl IntoView {
    let r = row.clone();
    let goal = Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.goal(&r).cloned())));
    let plan = Signal::derive(move || {
        goal.with(|g| g.as_ref().map(|g| g.miss.plan.clone()).unwrap_or_default())
    });
    let r = row.clone();
    let on_cause = move |ev: leptos::ev::Event| {
        let cause = Cause::parse(&event_target_value(&ev));
        editor.apply(Edit::MissCause {
            row: r.clone(),
            cause,
        });
    };
    let r = row.clone();
    view! {
        <li class="card missed-goal" data-testid="missed-goal">
            <strong>{move || goal.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default())}</strong>
            <div class="row2">
                <label>
                    {t("Cause")}
                    <select
                        data-field="cause"
                        prop:value=move || goal.with(|g| g.as_ref().and_then(|g| g.miss.cause).map(|c| c.as_str()).unwrap_or(""))
                        on:change=on_cause
                    >
                        <option value="">"—"</option>
                        {Cause::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{t(c.label())}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {t("Improvement plan")}
                    <TextField
                        value=plan
                        on_input=move |value| editor.apply(Edit::MissPlan { row: r.clone(), value })
                        multiline=true
                        attr:data-field="plan"
                        attr:placeholder=t("e.g. ask Marketing for 2 regional ad placements")
                    />
                </label>
            </div>
        </li>
    }
}

#[component]
fn DevItemRow(editor: Editor, sheet: SheetMemo, id: RowId) -> impl IntoView {
    let i = id.clone();
    let text = Signal::derive(move || {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| {
                    s.development
                        .iter()
                        .find(|d| d.id == i)
                        .map(|d| d.text.clone())
                })
                .unwrap_or_default()
        })
    });
    let i = id.clone();
    let j = id.clone();
    view! {
        <li class="dev-item" data-testid="dev-item">
            <TextField
                value=text
                on_input=move |value| editor.apply(Edit::DevItemText { id: i.clone(), value })
                attr:aria-label=t("Development item")
                attr:data-field="dev-text"
                attr:placeholder=t("e.g. 2 data-analysis trainings next quarter")
            />
            <button type="button" class="danger" aria-label=t("Remove") on:click=move |_| editor.apply(Edit::RemoveDevItem { id: j.clone() })>"✕"</button>
        </li>
    }
}

/// Capture a good practice into the department's knowledge base.
#[component]
fn CapturePractice(sheet: SheetMemo, id: DocumentId) -> impl IntoView {
    // The department's sheet, for an employee's sheet attached to one: opened (fetched from
    // the relay if this device lacks it), since its knowledge base is named there.
    let dept_id = derive(sheet, |s| {
        s.department
            .as_ref()
            .and_then(|d| d.sheet.parse::<DocumentId>().ok())
    });
    let dept = RwSignal::new(None::<ArcRwSignal<DocView>>);
    Effect::new(move |_| dept.set(dept_id.get().map(|d| repo::open(d).view)));
    let dept_view = Memo::new(move |_| {
        dept.with(|d| d.as_ref().map(|v| v.get()))
            .unwrap_or(DocView::Loading)
    });
    // The knowledge base: this department sheet's own, or its department's.
    let kb = Memo::new(move |_| {
        sheet.with(|s| {
            let s = s.as_ref()?;
            if s.kind == SheetKind::Department {
                return s.knowledge_base.clone();
            }
            s.department.as_ref()?;
            match dept_view.get() {
                DocView::Ready(d) => d.knowledge_base,
                _ => None,
            }
        })
    });
    // Why there is nothing to capture into yet, for an employee's sheet.
    let waiting = Memo::new(move |_| {
        let attached = sheet.with(|s| s.as_ref().is_some_and(|s| s.department.is_some()));
        if !attached {
            return t(
                "Attach this sheet to its department (in the header) to capture good \
                      practice into the department's knowledge base.",
            );
        }
        match dept_view.get() {
            DocView::Ready(_) => t(
                "The department has no knowledge base yet: it is created on \
                                    the department's sheet.",
            ),
            DocView::Unavailable => t("Neither this device nor the relay has the department's \
                                       sheet, so its knowledge base is not known here."),
            DocView::Broken(_) | DocView::KnowledgeBase => {
                t("The department's sheet cannot be read on this device.")
            }
            DocView::Loading | DocView::Fetching => t("Fetching the department's sheet to find \
                                                       its knowledge base…"),
        }
    });
    let is_department = derive(sheet, |s| s.kind == SheetKind::Department);
    let text = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let capture = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kb_id) = kb
            .get_untracked()
            .and_then(|k| k.parse::<DocumentId>().ok())
        else {
            return;
        };
        if text.get_untracked().trim().is_empty() {
            message.set(Some((false, t("Describe the practice first.").into())));
            return;
        }
        let source =
            sheet.with_untracked(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default());
        let author = repo::identity()
            .get_untracked()
            .map(|i| i.name)
            .unwrap_or_default();
        // On a device that does not have the knowledge base yet, the repo starts its copy
        // here, to merge when it arrives: capturing works offline too.
        let practice = Practice {
            id: RowId::from_random(repo::random_u64()),
            text: text.get_untracked().trim().to_owned(),
            tags: tags.get_untracked().trim().to_owned(),
            source,
            sheet: id.to_string(),
            author,
            at: repo::now_rfc3339(),
        };
        match repo::add_practice(kb_id, practice) {
            Ok(()) => {
                text.set(String::new());
                tags.set(String::new());
                message.set(Some((
                    true,
                    t("Captured in the department's knowledge base.").into(),
                )));
            }
            Err(e) => message.set(Some((false, i18n::tr(&e)))),
        }
    };
    let create_kb = move |_| {
        let name =
            sheet.with_untracked(|s| s.as_ref().map(|s| s.employee.clone()).unwrap_or_default());
        if let Err(e) = repo::create_kb(id, &tf("{} knowledge base", &[&name])) {
            message.set(Some((false, i18n::tr(&e))));
        }
    };
    view! {
        {move || match kb.get() {
            Some(kb_id) => view! {
                <form class="card capture" data-testid="capture-practice" on:submit=capture>
                    <label>
                        {t("Practice worth reusing")}
                        <textarea
                            rows="2"
                            data-field="practice"
                            placeholder=t("e.g. cross-department collaboration delivered the project early")
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <label>
                        {t("Tags")}
                        <input data-field="tags" placeholder=t("e.g. collaboration") prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev)) />
                    </label>
                    <div class="buttons">
                        <button type="submit">{t("Capture")}</button>
                        <a href=format!("/kb/{kb_id}") data-testid="open-kb">{t("Open the knowledge base")}</a>
                    </div>
                </form>
            }
            .into_any(),
            None if is_department.get() => view! {
                <div class="card">
                    <p class="hint">{t("This department has no knowledge base yet.")}</p>
                    <button type="button" data-testid="create-kb" on:click=create_kb>{t("Create the department's knowledge base")}</button>
                </div>
            }
            .into_any(),
            None => view! {
                <p class="hint" data-testid="capture-waiting">{move || waiting.get()}</p>
            }
            .into_any(),
        }}
        <Show when=move || message.read().is_some()>
            <p role="status" class:errors=move || message.get().is_some_and(|(ok, _)| !ok) class:ok=move || message.get().is_some_and(|(ok, _)| ok)>
                {move || message.get().map(|(_, m)| m).unwrap_or_default()}
            </p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_current, t, Lang};

    #[test]
    fn every_label_and_example_has_its_chinese() {
        set_current(Lang::ZhCn);
        for field in ResultsField::ALL {
            let (label, placeholder) = results_label(field);
            assert_ne!(t(label), label);
            assert_ne!(t(placeholder), placeholder);
        }
        set_current(Lang::En);
    }
}
