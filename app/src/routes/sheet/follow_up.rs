//! Step 4: follow-up. The cycle's cadence and the next check-in, then per goal its progress
//! against plan and its check-ins as a timeline (Template 2's columns), each editable in place.

use super::{date_value, derive, focus_later, parse_date, Editor, SheetMemo};
use crate::components::{same_number, TextField};
use crate::i18n::{self, t, tf};
use crate::repo;
use domain::cadence::{self, Cadence, CheckInStatus};
use domain::progress::{self, PlanGap};
use domain::{CheckIn, CheckInField, Edit, ItemId, Milestone, RowId};
use leptos::prelude::*;

fn status_text(status: CheckInStatus) -> String {
    let day = i18n::day;
    match status {
        CheckInStatus::Upcoming(d) => tf("Next check-in: {}", &[&day(d)]),
        CheckInStatus::DueToday(_) => t("Check-in due today").into(),
        CheckInStatus::Overdue(d) => tf("Check-in overdue: it was due {}", &[&day(d)]),
        CheckInStatus::CycleEnded => t("The cycle has ended: time for the assessment.").into(),
        CheckInStatus::Complete => {
            t("The cycle's last check-in is done: the assessment comes at its end.").into()
        }
        CheckInStatus::NotStarted(d) => {
            tf("The cycle has not started; first check-in {}", &[&day(d)])
        }
        CheckInStatus::NoGoals => {
            t("No goals yet: check-ins start once the goals are set (step 2).").into()
        }
    }
}

fn status_key(status: CheckInStatus) -> &'static str {
    match status {
        CheckInStatus::Upcoming(_) => "upcoming",
        CheckInStatus::DueToday(_) => "due",
        CheckInStatus::Overdue(_) => "overdue",
        CheckInStatus::CycleEnded => "ended",
        CheckInStatus::Complete => "complete",
        CheckInStatus::NotStarted(_) => "not-started",
        CheckInStatus::NoGoals => "no-goals",
    }
}

#[component]
pub(super) fn FollowUpTab(editor: Editor, sheet: SheetMemo) -> impl IntoView {
    let today: Signal<chrono::NaiveDate> = repo::today().into();
    let status = Memo::new(move |_| {
        let today = today.get();
        sheet.with(|s| s.as_ref().map(|s| cadence::status(s, today)))
    });
    let cadence_text = derive(sheet, |s| {
        tf(
            "{} cycle: check in {}.",
            &[
                &t(s.cycle.kind.label()),
                &t(Cadence::of(s.cycle.kind).label()),
            ],
        )
    });
    let rows = derive(sheet, |s| {
        s.goals.iter().map(|g| g.id.clone()).collect::<Vec<_>>()
    });
    view! {
        <div class="card follow-up-head">
            <p class="cadence" data-testid="cadence">{move || cadence_text.get()}</p>
            <p
                class="next-check-in"
                data-testid="next-check-in"
                data-status=move || status.get().map(status_key).unwrap_or_default()
                class:bad=move || status.get().is_some_and(|s| matches!(s, CheckInStatus::Overdue(_)))
                class:due=move || status.get().is_some_and(CheckInStatus::is_due)
            >
                {move || status.get().map(status_text).unwrap_or_default()}
            </p>
        </div>
        <Show when=move || rows.read().is_empty()>
            <p class="empty">{t("Set goals first (step 2); their check-ins are recorded here.")}</p>
        </Show>
        <For each=move || rows.get() key=|row| row.clone() let:row>
            <GoalFollowUp editor sheet row today />
        </For>
    }
}

#[component]
fn GoalFollowUp(
    editor: Editor,
    sheet: SheetMemo,
    row: RowId,
    today: Signal<chrono::NaiveDate>,
) -> impl IntoView {
    let r = row.clone();
    let goal = Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.goal(&r).cloned())));
    let name = move || goal.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    // Progress as of the latest check-in, against the plan on that date.
    let gap = Memo::new(move |_| {
        sheet.with(|s| {
            let s = s.as_ref()?;
            let g = goal.with(|g| g.clone())?;
            let (date, progress) = progress::latest(&g).unwrap_or((today.get(), 0));
            Some(PlanGap::new(&g, &s.cycle, date, progress))
        })
    });
    let has_check_ins = move || goal.with(|g| g.as_ref().is_some_and(|g| !g.check_ins.is_empty()));
    let check_in_ids = Memo::new(move |_| {
        goal.with(|g| {
            g.as_ref()
                .map(|g| g.check_ins.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let r = row.clone();
    let add = move |_| {
        let last = goal.with_untracked(|g| {
            g.as_ref()
                .and_then(progress::latest)
                .map(|(_, p)| p)
                .unwrap_or(0)
        });
        let id = RowId::from_random(repo::random_u64());
        editor.apply(Edit::AddCheckIn {
            row: r.clone(),
            check_in: CheckIn {
                id: id.clone(),
                date: today.get_untracked(),
                seq: 0,
                progress: last,
                done: String::new(),
                problems: String::new(),
                solution: String::new(),
                next: String::new(),
            },
        });
        focus_later(format!("check-in-done-{id}"));
    };
    let bar_actual = move || gap.get().map(|g| g.actual).unwrap_or(0);
    let bar_plan = move || gap.get().and_then(|g| g.expected);
    let statement = move || {
        gap.get()
            .map(|g| {
                if has_check_ins() {
                    i18n::plan_gap(g)
                } else {
                    t("No check-ins yet").to_string()
                }
            })
            .unwrap_or_default()
    };
    let r = row.clone();
    view! {
        <section class="card goal-follow-up" data-testid="goal-follow-up" data-row=row.to_string()>
            <h3>{name}</h3>
            <div class="progress" aria-hidden="true">
                <div class="progress-fill" style=move || format!("width: {}%", bar_actual())></div>
                <Show when=move || bar_plan().is_some()>
                    <div class="progress-plan" style=move || format!("left: {}%", bar_plan().unwrap_or(0)) title=t("plan")></div>
                </Show>
            </div>
            <p class="plan-gap" data-testid="plan-gap" class:bad=move || has_check_ins() && gap.get().and_then(|g| g.gap()).is_some_and(|g| g < 0)>
                {statement}
            </p>
            <table class="timeline" data-testid="timeline" hidden=move || !has_check_ins()>
                <thead>
                    <tr>
                        <th scope="col">{t("Check-in date")}</th>
                        <th scope="col">{t("Progress %")}</th>
                        <th scope="col">{t("Main progress")}</th>
                        <th scope="col">{t("Problems")}</th>
                        <th scope="col">{t("Solution")}</th>
                        <th scope="col">{t("Next step")}</th>
                        <th scope="col"><span class="sr-only">{t("Actions")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || check_in_ids.get() key=|id| id.clone() let:id>
                        <CheckInRow editor goal row=r.clone() id />
                    </For>
                </tbody>
            </table>
            <button type="button" class="primary" data-testid="add-check-in" on:click=add>
                {t("+ Record a check-in")}
            </button>
            <Milestones editor goal row=row.clone() />
        </section>
    }
}

#[component]
fn CheckInRow(
    editor: Editor,
    goal: Memo<Option<domain::Goal>>,
    row: RowId,
    id: ItemId,
) -> impl IntoView {
    let i = id.clone();
    let check_in = Memo::new(move |_| {
        goal.with(|g| {
            g.as_ref()
                .and_then(|g| g.check_ins.iter().find(|c| c.id == i).cloned())
        })
    });
    let text = move |field: CheckInField| {
        Signal::derive(move || {
            check_in.with(|c| {
                c.as_ref()
                    .map(|c| c.text(field).to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let on_text = {
        let (row, id) = (row.clone(), id.clone());
        move |field: CheckInField| {
            let (row, id) = (row.clone(), id.clone());
            move |value: String| {
                editor.apply(Edit::CheckInText {
                    row: row.clone(),
                    id: id.clone(),
                    field,
                    value,
                })
            }
        }
    };
    let progress = Signal::derive(move || {
        check_in.with(|c| {
            c.as_ref()
                .map(|c| c.progress.to_string())
                .unwrap_or_default()
        })
    });
    let (r, i) = (row.clone(), id.clone());
    let on_progress = move |value: String| {
        let value = value.trim();
        let parsed = if value.is_empty() {
            Some(0)
        } else {
            value.parse::<u32>().ok()
        };
        if let Some(p) = parsed {
            editor.apply(Edit::CheckInProgress {
                row: r.clone(),
                id: i.clone(),
                progress: p.min(100),
            });
        }
    };
    let (r, i) = (row.clone(), id.clone());
    let on_date = move |ev: leptos::ev::Event| {
        if let Some(date) = parse_date(&event_target_value(&ev)) {
            editor.apply(Edit::CheckInDate {
                row: r.clone(),
                id: i.clone(),
                date,
            });
        }
    };
    let (r, i) = (row.clone(), id.clone());
    let remove = move |_| {
        editor.apply(Edit::RemoveCheckIn {
            row: r.clone(),
            id: i.clone(),
        })
    };
    let done_id = format!("check-in-done-{id}");
    view! {
        <tr class="check-in" data-testid="check-in">
            <td data-label=t("Check-in date") data-col="date">
                <input
                    type="date"
                    aria-label=t("Check-in date")
                    data-field="date"
                    prop:value=move || date_value(check_in.with(|c| c.as_ref().map(|c| c.date)))
                    on:change=on_date
                />
            </td>
            <td data-label=t("Progress %") data-col="progress">
                <TextField
                    value=progress
                    on_input=on_progress
                    equivalent=same_number
                    attr:r#type="number"
                    attr:inputmode="numeric"
                    attr:min="0"
                    attr:max="100"
                    attr:aria-label=t("Progress in percent")
                    attr:data-field="progress"
                />
            </td>
            <td data-label=t("Main progress") data-col="done">
                <TextField value=text(CheckInField::Done) on_input=on_text(CheckInField::Done) multiline=true attr:id=done_id attr:aria-label=t("Main progress") attr:data-field="done" />
            </td>
            <td data-label=t("Problems") data-col="problems">
                <TextField value=text(CheckInField::Problems) on_input=on_text(CheckInField::Problems) multiline=true attr:aria-label=t("Problems") attr:data-field="problems" />
            </td>
            <td data-label=t("Solution") data-col="solution">
                <TextField value=text(CheckInField::Solution) on_input=on_text(CheckInField::Solution) multiline=true attr:aria-label=t("Solution") attr:data-field="solution" />
            </td>
            <td data-label=t("Next step") data-col="next">
                <TextField value=text(CheckInField::Next) on_input=on_text(CheckInField::Next) multiline=true attr:aria-label=t("Next step") attr:data-field="next" />
            </td>
            <td class="actions" data-label="">
                <button type="button" class="danger" aria-label=t("Remove this check-in") title=t("Remove") data-action="remove-check-in" on:click=remove>
                    "✕"
                </button>
            </td>
        </tr>
    }
}

#[component]
fn Milestones(editor: Editor, goal: Memo<Option<domain::Goal>>, row: RowId) -> impl IntoView {
    let milestones = Memo::new(move |_| {
        goal.with(|g| g.as_ref().map(|g| g.milestones.clone()).unwrap_or_default())
    });
    let new_date = RwSignal::new(String::new());
    let new_progress = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let r = row.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(date), Ok(progress)) = (
            parse_date(&new_date.get_untracked()),
            new_progress.get_untracked().trim().parse::<u32>(),
        ) else {
            problem.set(Some(t(
                "Give a date and the progress (0–100) expected by then.",
            )));
            return;
        };
        problem.set(None);
        editor.apply(Edit::AddMilestone {
            row: r.clone(),
            milestone: Milestone {
                id: RowId::from_random(repo::random_u64()),
                date,
                progress: progress.min(100),
            },
        });
        new_date.set(String::new());
        new_progress.set(String::new());
    };
    view! {
        <details class="milestones">
            <summary>{t("Milestones (optional: the plan is a straight line to the deadline without them)")}</summary>
            <ul>
                {move || {
                    milestones
                        .get()
                        .into_iter()
                        .map(|m| {
                            let (r, id) = (row.clone(), m.id.clone());
                            let ignored = goal.with(|g| {
                                g.as_ref().is_some_and(|g| progress::after_deadline(g, &m))
                            });
                            view! {
                                <li data-testid="milestone" class:ignored=ignored>
                                    {tf("{}% by {}", &[&m.progress, &i18n::date(m.date)])}
                                    <Show when=move || ignored>
                                        <span class="hint" data-testid="milestone-ignored">{t(" (after the deadline: not part of the plan)")}</span>
                                    </Show>
                                    <button type="button" class="danger" aria-label=t("Remove milestone") on:click=move |_| editor.apply(Edit::RemoveMilestone { row: r.clone(), id: id.clone() })>
                                        "✕"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <form class="milestone-form" on:submit=add>
                <label>{t("By")} <input type="date" prop:value=move || new_date.get() on:input=move |ev| new_date.set(event_target_value(&ev)) /></label>
                <label>{t("Progress %")} <input type="number" min="0" max="100" inputmode="numeric" prop:value=move || new_progress.get() on:input=move |ev| new_progress.set(event_target_value(&ev)) /></label>
                <button type="submit">{t("Add milestone")}</button>
            </form>
            <Show when=move || problem.get().is_some()>
                <p class="errors" role="alert">{move || problem.get().unwrap_or_default()}</p>
            </Show>
        </details>
    }
}
