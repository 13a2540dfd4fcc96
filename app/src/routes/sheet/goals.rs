//! Step 2: the goal-setting table of Template 1, with live SMART hints under each goal.

use super::{date_value, focus_later, parse_date, Editor, SheetMemo};
use crate::components::{same_number, TextField};
use crate::i18n::{self, t, tf};
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
        let mut goals = template_goals(&cycle, &owner, || RowId::from_random(repo::random_u64()));
        localise_example(&mut goals);
        for goal in goals {
            apply(Edit::AddGoal(goal));
        }
    };
    view! {
        <table class="goals" data-testid="goals">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t("Goal type")}</th>
                    <th scope="col">{t("Goal")}</th>
                    <th scope="col">{t("Measure (key results)")}</th>
                    <th scope="col">{t("Weight %")}</th>
                    <th scope="col">{t("Deadline")}</th>
                    <th scope="col">{t("Owner")}</th>
                    <th scope="col">{t("Support needed")}</th>
                    <th scope="col"><span class="sr-only">{t("Actions")}</span></th>
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
                    <th scope="row" colspan="4">{t("Total weight")}</th>
                    <td
                        data-testid="weight-total"
                        class:bad=move || total.get().is_some_and(|t| !t.is_complete())
                        class:ok=move || total.get().is_some_and(|t| t.is_complete())
                    >
                        {move || total.get().map(|t| format!("{}%", t.total)).unwrap_or_default()}
                    </td>
                    <td colspan="4" class="hint" data-testid="weight-hint">
                        {move || total.get().and_then(i18n::weight_hint).unwrap_or_default()}
                    </td>
                </tr>
            </tfoot>
        </table>
        <Show when=move || rows.read().is_empty()>
            <div class="empty-goals">
                <p class="empty">
                    {t("No goals yet. Add the first one (the weights of all goals total 100%), or start \
                        from the template's example and adapt it.")}
                </p>
                <button type="button" data-testid="fill-example" on:click=fill_example>
                    {t("Fill with the template's example")}
                </button>
            </div>
        </Show>
        <button type="button" class="primary add-goal" data-testid="add-goal" on:click=add_goal>
            {t("+ Add goal")}
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
            <td class="num" data-label="#" data-num-label=i18n::pick("Goal", "目标") data-testid="goal-num">{n}</td>
            <td data-label=t("Goal type") data-col="type">
                <select
                    aria-label=move || tf("Goal {} type", &[&n()])
                    data-field="type"
                    prop:value=move || goal.with(|g| g.as_ref().map(|g| g.goal_type.as_str()).unwrap_or_default())
                    on:change=on_type
                >
                    {GoalType::ALL.into_iter().map(|gt| view! { <option value=gt.as_str()>{t(gt.label())}</option> }).collect_view()}
                </select>
            </td>
            <td data-label=t("Goal") data-col="name">
                <TextField
                    value=text(GoalField::Name)
                    on_input=on_text(GoalField::Name)
                    multiline=true
                    attr:id=name_id
                    attr:aria-label=move || tf("Goal {} name", &[&n()])
                    attr:data-field="name"
                    attr:placeholder=t("e.g. South China: new customers in Q3")
                />
            </td>
            <td data-label=t("Measure (key results)") data-col="measure">
                <TextField
                    value=text(GoalField::Measure)
                    on_input=on_text(GoalField::Measure)
                    multiline=true
                    attr:aria-label=move || tf("Goal {} measure", &[&n()])
                    attr:data-field="measure"
                    attr:placeholder=t("e.g. 8 new valid customers, signing rate ≥ 70%")
                />
            </td>
            <td data-label=t("Weight %") data-col="weight">
                <TextField
                    value=weight
                    on_input=on_weight
                    equivalent=same_number
                    attr:r#type="number"
                    attr:inputmode="numeric"
                    attr:min="0"
                    attr:max="100"
                    attr:step="1"
                    attr:aria-label=move || tf("Goal {} weight in percent", &[&n()])
                    attr:data-field="weight"
                />
            </td>
            <td data-label=t("Deadline") data-col="deadline">
                <input
                    type="date"
                    aria-label=move || tf("Goal {} deadline", &[&n()])
                    data-field="deadline"
                    prop:value=move || goal.with(|g| date_value(g.as_ref().and_then(|g| g.deadline)))
                    on:change=on_deadline
                />
            </td>
            <td data-label=t("Owner") data-col="owner">
                <TextField
                    value=text(GoalField::Owner)
                    on_input=on_text(GoalField::Owner)
                    attr:aria-label=move || tf("Goal {} owner", &[&n()])
                    attr:data-field="owner"
                />
            </td>
            <td data-label=t("Support needed") data-col="support">
                <TextField
                    value=text(GoalField::Support)
                    on_input=on_text(GoalField::Support)
                    multiline=true
                    attr:aria-label=move || tf("Goal {} support needed", &[&n()])
                    attr:data-field="support"
                />
            </td>
            <td class="actions" data-label="">
                <button
                    type="button"
                    aria-label=move || tf("Move goal {} up", &[&n()])
                    title=t("Move up")
                    data-action="up"
                    disabled=move || index.get() == 0
                    on:click=move |_| apply(Edit::MoveGoal { row: r1.clone(), up: true })
                >
                    "↑"
                </button>
                <button
                    type="button"
                    aria-label=move || tf("Move goal {} down", &[&n()])
                    title=t("Move down")
                    data-action="down"
                    disabled={move || index.get() + 1 >= count.get()}
                    on:click=move |_| apply(Edit::MoveGoal { row: r2.clone(), up: false })
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-label=move || tf("Remove goal {}", &[&n()])
                    title=t("Remove")
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
                        {move || tf("⚑ {} open objection(s): see 3 · Confirm", &[&objections.get()])}
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
                                        {i18n::hint(&h)}
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

/// The template's example in the current language: in Chinese, the template's own words.
fn localise_example(goals: &mut [Goal]) {
    if i18n::current() != i18n::Lang::ZhCn {
        return;
    }
    const ZH: [(&str, &str, &str); 3] = [
        (
            "华南区域{}新增客户",
            "新增有效客户8家,客户签约率≥70%",
            "市场部提供客户名单,预算5000元用于推广活动",
        ),
        (
            "客户满意度提升",
            "客户投诉率≤5%,满意度调研得分≥90分",
            "客服部协助优化投诉处理流程",
        ),
        (
            "产品知识掌握",
            "通过公司产品认证考试(满分100分,≥90分)",
            "培训部提供3次产品知识培训",
        ),
    ];
    for (goal, (name, measure, support)) in goals.iter_mut().zip(ZH) {
        let period = match goal.name.strip_prefix("South China: new customers in ") {
            Some("this month") => "本月",
            Some("this year") => "本年度",
            Some(p) => p,
            None => "",
        };
        goal.name = name.replace("{}", period);
        goal.measure = measure.into();
        goal.support = support.into();
        if goal.owner == "employee X" {
            goal.owner = "员工*".into();
        }
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
    let link = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| s.goal(&r))
                .and_then(|g| g.link.clone())
        })
    });
    let current = Memo::new(move |_| {
        link.with(|l| l.as_ref().map(|l| l.row.to_string()).unwrap_or_default())
    });
    // The choices: the department's goals when its sheet is on this device; and the linked
    // goal by the name the link keeps, when it is not (yet), so the choice never shows blank.
    let options = Memo::new(move |_| {
        let mut options = dept_goals.get();
        if let Some(l) = link.get() {
            if !options.iter().any(|(id, _)| *id == l.row) {
                let name = if l.name.is_empty() {
                    t("a department goal not on this device yet").to_owned()
                } else {
                    l.name
                };
                options.push((l.row, name));
            }
        }
        options
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
            name: options
                .get_untracked()
                .into_iter()
                .find(|(id, _)| id.as_str() == chosen)
                .map(|(_, name)| name)
                .unwrap_or_default(),
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
                {t("Serves department goal")}
                <select data-field="link" prop:value=move || current.get() on:change=on_change.clone()>
                    <option value="">{t("— none —")}</option>
                    {move || options.get().into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_current, Lang};
    use domain::hints::goal_hints;
    use domain::{Cycle, CycleKind};

    #[test]
    fn the_example_in_chinese_is_the_templates_own_and_as_smart() {
        let cycle = Cycle {
            kind: CycleKind::Quarterly,
            start: chrono::NaiveDate::from_ymd_opt(2023, 7, 1).expect("date"),
            end: chrono::NaiveDate::from_ymd_opt(2023, 9, 30).expect("date"),
        };
        let mut n = 0;
        let mut goals = template_goals(&cycle, "", || {
            n += 1;
            RowId::from_random(n)
        });
        set_current(Lang::ZhCn);
        localise_example(&mut goals);
        set_current(Lang::En);
        let names: Vec<&str> = goals.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            ["华南区域Q3新增客户", "客户满意度提升", "产品知识掌握"]
        );
        assert_eq!(goals[0].owner, "员工*");
        for g in &goals {
            assert_eq!(goal_hints(g, &cycle), Vec::new(), "{}", g.name);
        }
    }
}
