//! Step 2: the goal-setting table of Template 1, with live SMART hints under each goal.

use super::{date_value, focus_later, parse_date, Editor, SheetMemo};
use crate::components::{same_number, TextField};
use crate::repo;
use domain::example::template_goals;
use domain::hints::sheet_goal_hints;
use domain::rules::WeightTotal;
use domain::{Edit, Goal, GoalField, GoalType, RowId};
use leptos::prelude::*;

#[component]
pub(super) fn GoalsTab(editor: Editor, sheet: SheetMemo) -> impl IntoView {
    let apply = move |edit: Edit| editor.apply(edit);
    let rows = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| s.goals.iter().map(|g| g.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let total = Memo::new(move |_| sheet.with(|s| s.as_ref().map(WeightTotal::of)));
    let add_goal = move |_| {
        let row = RowId::from_random(repo::random_u64());
        apply(Edit::AddGoal(Goal::blank(row.clone())));
        focus_later(format!("goal-name-{row}"));
    };
    let fill_example = move |_| {
        let Some((cycle, owner)) =
            sheet.with_untracked(|s| s.as_ref().map(|s| (s.cycle, s.employee.clone())))
        else {
            return;
        };
        for goal in template_goals(&cycle, &owner, || RowId::from_random(repo::random_u64())) {
            apply(Edit::AddGoal(goal));
        }
    };
    view! {
        <table class="goals" data-testid="goals">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">"Goal type"</th>
                    <th scope="col">"Goal"</th>
                    <th scope="col">"Measure (key results)"</th>
                    <th scope="col">"Weight %"</th>
                    <th scope="col">"Deadline"</th>
                    <th scope="col">"Owner"</th>
                    <th scope="col">"Support needed"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <GoalRow
                        index={
                            let row = row.clone();
                            Signal::derive(move || rows.read().iter().position(|r| *r == row).unwrap_or(0))
                        }
                        row
                        sheet
                        editor
                        count=Signal::derive(move || rows.read().len())
                    />
                </For>
            </tbody>
            <tfoot>
                <tr class="total-row">
                    <th scope="row" colspan="4">"Total weight"</th>
                    <td
                        data-testid="weight-total"
                        class:bad=move || total.get().is_some_and(|t| !t.is_complete())
                        class:ok=move || total.get().is_some_and(|t| t.is_complete())
                    >
                        {move || total.get().map(|t| format!("{}%", t.total)).unwrap_or_default()}
                    </td>
                    <td colspan="4" class="hint" data-testid="weight-hint">
                        {move || total.get().and_then(|t| t.hint()).unwrap_or_default()}
                    </td>
                </tr>
            </tfoot>
        </table>
        <Show when=move || rows.read().is_empty()>
            <div class="empty-goals">
                <p class="empty">
                    "No goals yet. Add the first one (the weights of all goals total 100%), or start \
                     from the template's example and adapt it."
                </p>
                <button type="button" data-testid="fill-example" on:click=fill_example>
                    "Fill with the template's example"
                </button>
            </div>
        </Show>
        <button type="button" class="primary add-goal" data-testid="add-goal" on:click=add_goal>
            "+ Add goal"
        </button>
    }
}

#[component]
fn GoalRow(
    index: Signal<usize>,
    row: RowId,
    sheet: SheetMemo,
    editor: Editor,
    count: Signal<usize>,
) -> impl IntoView {
    let apply = move |edit: Edit| editor.apply(edit);
    let goal = {
        let row = row.clone();
        Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.goal(&row).cloned())))
    };
    let text = move |field: GoalField| {
        Signal::derive(move || {
            goal.with(|g| {
                g.as_ref()
                    .map(|g| g.text(field).to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let on_text = {
        let row = row.clone();
        move |field: GoalField| {
            let row = row.clone();
            move |value: String| {
                apply(Edit::GoalText {
                    row: row.clone(),
                    field,
                    value,
                })
            }
        }
    };
    let r = row.clone();
    let on_type = move |ev: leptos::ev::Event| {
        if let Some(t) = GoalType::parse(&event_target_value(&ev)) {
            apply(Edit::GoalType {
                row: r.clone(),
                goal_type: t,
            });
        }
    };
    let r = row.clone();
    let on_weight = move |value: String| {
        // An emptied box counts as 0 (the box itself stays empty while focused); anything else
        // that is not a number is ignored.
        let value = value.trim();
        let weight = if value.is_empty() {
            Some(0)
        } else {
            value.parse::<u32>().ok()
        };
        if let Some(w) = weight {
            apply(Edit::GoalWeight {
                row: r.clone(),
                weight: w.min(100),
            });
        }
    };
    let weight = Signal::derive(move || {
        goal.with(|g| g.as_ref().map(|g| g.weight.to_string()).unwrap_or_default())
    });
    let r = row.clone();
    let on_deadline = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        apply(Edit::GoalDeadline {
            row: r.clone(),
            deadline: parse_date(&v),
        });
    };
    let (r1, r2, r3) = (row.clone(), row.clone(), row.clone());
    let hint_row = row.clone();
    let hints = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| s.goal(&hint_row).map(|g| sheet_goal_hints(s, g)))
                .unwrap_or_default()
        })
    });
    let objection_row = row.clone();
    let objections = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| s.open_objections(&objection_row))
                .unwrap_or(0)
        })
    });
    let link_row = row.clone();
    let hint_row = row.clone();
    let name_id = format!("goal-name-{row}");
    let n = move || index.get() + 1;
    view! {
        <tr class="goal-row" data-testid="goal-row" data-row=row.to_string() class:objected=move || { objections.get() > 0 }>
            <td class="num" data-label="#" data-testid="goal-num">{n}</td>
            <td data-label="Goal type">
                <select
                    aria-label=move || format!("Goal {} type", n())
                    data-field="type"
                    prop:value=move || goal.with(|g| g.as_ref().map(|g| g.goal_type.as_str()).unwrap_or_default())
                    on:change=on_type
                >
                    {GoalType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                </select>
            </td>
            <td data-label="Goal">
                <TextField
                    value=text(GoalField::Name)
                    on_input=on_text(GoalField::Name)
                    multiline=true
                    attr:id=name_id
                    attr:aria-label=move || format!("Goal {} name", n())
                    attr:data-field="name"
                    attr:placeholder="e.g. South China: new customers in Q3"
                />
            </td>
            <td data-label="Measure (key results)">
                <TextField
                    value=text(GoalField::Measure)
                    on_input=on_text(GoalField::Measure)
                    multiline=true
                    attr:aria-label=move || format!("Goal {} measure", n())
                    attr:data-field="measure"
                    attr:placeholder="e.g. 8 new valid customers, signing rate ≥ 70%"
                />
            </td>
            <td data-label="Weight %">
                <TextField
                    value=weight
                    on_input=on_weight
                    equivalent=same_number
                    attr:r#type="number"
                    attr:inputmode="numeric"
                    attr:min="0"
                    attr:max="100"
                    attr:step="1"
                    attr:aria-label=move || format!("Goal {} weight in percent", n())
                    attr:data-field="weight"
                />
            </td>
            <td data-label="Deadline">
                <input
                    type="date"
                    aria-label=move || format!("Goal {} deadline", n())
                    data-field="deadline"
                    prop:value=move || goal.with(|g| date_value(g.as_ref().and_then(|g| g.deadline)))
                    on:change=on_deadline
                />
            </td>
            <td data-label="Owner">
                <TextField
                    value=text(GoalField::Owner)
                    on_input=on_text(GoalField::Owner)
                    attr:aria-label=move || format!("Goal {} owner", n())
                    attr:data-field="owner"
                />
            </td>
            <td data-label="Support needed">
                <TextField
                    value=text(GoalField::Support)
                    on_input=on_text(GoalField::Support)
                    multiline=true
                    attr:aria-label=move || format!("Goal {} support needed", n())
                    attr:data-field="support"
                />
            </td>
            <td class="actions" data-label="">
                <button
                    type="button"
                    aria-label=move || format!("Move goal {} up", n())
                    title="Move up"
                    data-action="up"
                    disabled=move || index.get() == 0
                    on:click=move |_| apply(Edit::MoveGoal { row: r1.clone(), up: true })
                >
                    "↑"
                </button>
                <button
                    type="button"
                    aria-label=move || format!("Move goal {} down", n())
                    title="Move down"
                    data-action="down"
                    disabled={move || index.get() + 1 >= count.get()}
                    on:click=move |_| apply(Edit::MoveGoal { row: r2.clone(), up: false })
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-label=move || format!("Remove goal {}", n())
                    title="Remove"
                    data-action="remove"
                    on:click=move |_| apply(Edit::RemoveGoal { row: r3.clone() })
                >
                    "✕"
                </button>
            </td>
        </tr>
        <tr class="hints-row" data-testid="goal-hints" data-row=hint_row.to_string()>
            <td colspan="9">
                <Show when=move || { objections.get() > 0 }>
                    <p class="objection-mark" data-testid="open-objection">
                        {move || format!("⚑ {} open objection(s): see 3 · Confirm", objections.get())}
                    </p>
                </Show>
                <LinkPicker editor sheet row=link_row.clone() />
                <ul class="hints">
                    {move || {
                        hints
                            .get()
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <li class="hint-item" data-hint=h.code()>
                                        <span class="smart-letter" aria-hidden="true">{h.letter()}</span>
                                        {h.message()}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </td>
        </tr>
    }
}

/// On a sheet attached to a department: which department goal this goal serves.
#[component]
fn LinkPicker(editor: Editor, sheet: SheetMemo, row: RowId) -> impl IntoView {
    let all = repo::all_sheets();
    let dept = Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.department.clone())));
    let dept_goals = Memo::new(move |_| {
        let Some(d) = dept.get() else {
            return Vec::new();
        };
        all.with(|all| {
            all.iter()
                .find(|(id, _)| *id == d.sheet)
                .map(|(_, s)| {
                    s.goals
                        .iter()
                        .map(|g| (g.id.clone(), g.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let r = row.clone();
    let current = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| s.goal(&r))
                .and_then(|g| g.link.as_ref())
                .map(|l| l.row.to_string())
                .unwrap_or_default()
        })
    });
    let r = row.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let Some(d) = dept.get_untracked() else {
            return;
        };
        let chosen = event_target_value(&ev);
        let link = (!chosen.is_empty()).then(|| domain::GoalLink {
            sheet: d.sheet.clone(),
            row: RowId::from_stored(&chosen),
        });
        editor.apply(Edit::LinkGoal {
            row: r.clone(),
            link,
        });
        // The department's sheet lists the employee sheets that link to it, so that a manager's
        // device finds them.
        if let (Ok(dept_id), Some((me, who))) = (
            d.sheet.parse::<repo_sync::DocumentId>(),
            sheet.with_untracked(|s| {
                s.as_ref()
                    .map(|s| (editor.id().to_string(), s.employee.clone()))
            }),
        ) {
            let _ = repo::edit(
                dept_id,
                Edit::AddMember(domain::SheetRef {
                    sheet: me,
                    name: who,
                }),
            );
        }
    };
    view! {
        <Show when=move || dept.get().is_some()>
            <label class="link-picker">
                "Serves department goal"
                <select data-field="link" prop:value=move || current.get() on:change=on_change.clone()>
                    <option value="">"— none —"</option>
                    {move || dept_goals.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
        </Show>
    }
}
