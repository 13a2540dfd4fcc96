//! Step 5: the assessment. Per goal, target and result give the completion; behaviour starts at
//! 100 less itemised deductions; the final score weighs them 70/30 (the sheet's setting). Every
//! figure is shown with its working.

use super::{derive, Editor, SheetMemo};
use crate::components::TextField;
use crate::i18n::{self, t, tf};
use crate::repo;
use domain::score::{assess, goal_score};
use domain::{Deduction, Dimension, Direction, Edit, RowId};
use leptos::prelude::*;

/// A number as typed: "12", "12.5", "12%", "12,5"; empty is `None`.
fn parse_amount(s: &str) -> Result<Option<f64>, ()> {
    let t = s.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().map(Some).map_err(|_| ())
}

fn same_amount(shown: &str, model: &str) -> bool {
    parse_amount(shown).ok().flatten() == parse_amount(model).ok().flatten()
}

fn amount_text(v: Option<f64>) -> String {
    v.map(|x| {
        let s = format!("{x}");
        s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
    })
    .unwrap_or_default()
}

#[component]
pub(super) fn AssessmentTab(editor: Editor, sheet: SheetMemo) -> impl IntoView {
    let result = Memo::new(move |_| sheet.with(|s| s.as_ref().map(assess)));
    let cap = derive(sheet, |s| s.assessment.cap);
    let share = derive(sheet, |s| s.assessment.quantitative_share.to_string());
    let rows = derive(sheet, |s| {
        s.goals.iter().map(|g| g.id.clone()).collect::<Vec<_>>()
    });
    let deductions = derive(sheet, |s| {
        s.assessment
            .deductions
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    });
    let on_share = move |value: String| {
        if let Ok(v) = value.trim().parse::<u32>() {
            editor.apply(Edit::SetQuantitativeShare(v.min(100)));
        }
    };
    let add_deduction = move |_| {
        editor.apply(Edit::AddDeduction(Deduction {
            id: RowId::from_random(repo::random_u64()),
            dimension: Dimension::Communication,
            reason: String::new(),
            points: 10,
        }))
    };
    let working = move |f: fn(&domain::score::Assessment) -> String| {
        move || result.with(|r| r.as_ref().map(|r| i18n::working(&f(r))).unwrap_or_default())
    };
    view! {
        <div class="card assessment-settings">
            <label class="inline">
                <input
                    type="checkbox"
                    data-testid="cap"
                    prop:checked=move || cap.get()
                    on:change=move |ev| editor.apply(Edit::SetCap(event_target_checked(&ev)))
                />
                {t("Results above target count as 100 at most")}
            </label>
            <label class="inline">
                {t("Quantitative share %")}
                <TextField
                    value=share
                    on_input=on_share
                    equivalent=crate::components::same_number
                    attr:r#type="number"
                    attr:min="0"
                    attr:max="100"
                    attr:data-testid="quantitative-share"
                />
                <span class="hint">{move || tf("behaviour {}%", &[&(100 - share.get().parse::<u32>().unwrap_or(70).min(100))])}</span>
            </label>
        </div>
        <h3>{t("Quantitative completion")}</h3>
        <table class="assess" data-testid="assess-goals">
            <thead>
                <tr>
                    <th scope="col">{t("Goal")}</th>
                    <th scope="col">{t("Weight %")}</th>
                    <th scope="col">{t("Kind of target")}</th>
                    <th scope="col">{t("Target")}</th>
                    <th scope="col">{t("Achieved")}</th>
                    <th scope="col">{t("Score")}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <AssessRow editor sheet row />
                </For>
            </tbody>
        </table>
        <p class="working" data-testid="quantitative">
            {t("Quantitative score: ")} <span>{working(|r| r.quantitative_working.clone())}</span>
        </p>
        <h3>{t("Behaviour in the process")}</h3>
        <p class="lede">{t("Teamwork, problem solving, timely communication: 100 points, less itemised deductions.")}</p>
        <ul class="deductions">
            <For each=move || deductions.get() key=|id| id.clone() let:id>
                <DeductionRow editor sheet id />
            </For>
        </ul>
        <button type="button" data-testid="add-deduction" on:click=add_deduction>{t("+ Add a deduction")}</button>
        <p class="working" data-testid="behaviour">
            {t("Behaviour score: ")} <span>{working(|r| r.behaviour_working.clone())}</span>
        </p>
        <div class="card final">
            <p class="working">{t("Final score: ")} <span data-testid="final-working">{working(|r| r.final_working.clone())}</span></p>
            <p class="final-score" data-testid="final-score">
                {move || result.with(|r| r.as_ref().and_then(|r| r.final_score).map(|f| format!("{f:.1}")).unwrap_or_else(|| "—".into()))}
            </p>
        </div>
    }
}

#[component]
fn AssessRow(editor: Editor, sheet: SheetMemo, row: RowId) -> impl IntoView {
    let r = row.clone();
    let goal = Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.goal(&r).cloned())));
    let cap = derive(sheet, |s| s.assessment.cap);
    let score = Memo::new(move |_| goal.with(|g| g.as_ref().map(|g| goal_score(g, cap.get()))));
    let target = Signal::derive(move || {
        goal.with(|g| amount_text(g.as_ref().and_then(|g| g.assessment.target)))
    });
    let achieved = Signal::derive(move || {
        goal.with(|g| amount_text(g.as_ref().and_then(|g| g.assessment.achieved)))
    });
    let r = row.clone();
    let on_target = move |v: String| {
        if let Ok(value) = parse_amount(&v) {
            editor.apply(Edit::GoalTarget {
                row: r.clone(),
                value,
            });
        }
    };
    let r = row.clone();
    let on_achieved = move |v: String| {
        if let Ok(value) = parse_amount(&v) {
            editor.apply(Edit::GoalAchieved {
                row: r.clone(),
                value,
            });
        }
    };
    let r = row.clone();
    let on_direction = move |ev: leptos::ev::Event| {
        if let Some(direction) = Direction::parse(&event_target_value(&ev)) {
            editor.apply(Edit::GoalDirection {
                row: r.clone(),
                direction,
            });
        }
    };
    view! {
        <tr data-testid="assess-row" data-row=row.to_string()>
            <td data-label=t("Goal") data-col="goal">{move || goal.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default())}</td>
            <td data-label=t("Weight %")>{move || goal.with(|g| g.as_ref().map(|g| g.weight).unwrap_or(0))}</td>
            <td data-label=t("Kind of target")>
                <select
                    data-field="direction"
                    aria-label=t("Kind of target")
                    prop:value=move || goal.with(|g| g.as_ref().map(|g| g.assessment.direction.as_str()).unwrap_or_default())
                    on:change=on_direction
                >
                    <option value="at_least">{t("At least (a target)")}</option>
                    <option value="at_most">{t("At most (a ceiling)")}</option>
                </select>
            </td>
            <td data-label=t("Target")>
                <TextField value=target on_input=on_target equivalent=same_amount attr:inputmode="decimal" attr:aria-label=t("Target") attr:data-field="target" attr:placeholder=t("e.g. 12") />
            </td>
            <td data-label=t("Achieved")>
                <TextField value=achieved on_input=on_achieved equivalent=same_amount attr:inputmode="decimal" attr:aria-label=t("Achieved") attr:data-field="achieved" attr:placeholder=t("e.g. 10") />
            </td>
            <td data-label=t("Score") data-col="score" data-testid="goal-score">
                {move || match score.get() {
                    Some(Ok(s)) => view! { <strong>{s.points}</strong> <span class="hint">{format!(" = {}", i18n::working(&s.working))}</span> }.into_any(),
                    Some(Err(e)) => view! { <span class="hint">{i18n::score_error(&e)}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn DeductionRow(editor: Editor, sheet: SheetMemo, id: RowId) -> impl IntoView {
    let i = id.clone();
    let d = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .and_then(|s| s.assessment.deductions.iter().find(|d| d.id == i).cloned())
        })
    });
    let reason = Signal::derive(move || {
        d.with(|d| d.as_ref().map(|d| d.reason.clone()).unwrap_or_default())
    });
    let points = Signal::derive(move || {
        d.with(|d| d.as_ref().map(|d| d.points.to_string()).unwrap_or_default())
    });
    let i = id.clone();
    let on_reason = move |value: String| {
        editor.apply(Edit::DeductionReason {
            id: i.clone(),
            value,
        })
    };
    let i = id.clone();
    let on_points = move |value: String| {
        if let Ok(p) = value.trim().parse::<u32>() {
            editor.apply(Edit::DeductionPoints {
                id: i.clone(),
                points: p.min(100),
            });
        }
    };
    let i = id.clone();
    let on_dimension = move |ev: leptos::ev::Event| {
        if let Some(dimension) = Dimension::parse(&event_target_value(&ev)) {
            editor.apply(Edit::DeductionDimension {
                id: i.clone(),
                dimension,
            });
        }
    };
    let i = id.clone();
    view! {
        <li class="deduction" data-testid="deduction">
            <select
                aria-label=t("Dimension")
                data-field="dimension"
                prop:value=move || d.with(|d| d.as_ref().map(|d| d.dimension.as_str()).unwrap_or_default())
                on:change=on_dimension
            >
                {Dimension::ALL.into_iter().map(|x| view! { <option value=x.as_str()>{t(x.label())}</option> }).collect_view()}
            </select>
            <TextField value=reason on_input=on_reason attr:aria-label=t("Reason") attr:data-field="reason" attr:placeholder=t("e.g. repeated late feedback") />
            <label class="inline">
                "−"
                <TextField value=points on_input=on_points equivalent=crate::components::same_number attr:r#type="number" attr:min="0" attr:max="100" attr:aria-label=t("Points deducted") attr:data-field="points" />
            </label>
            <button type="button" class="danger" aria-label=t("Remove deduction") on:click=move |_| editor.apply(Edit::RemoveDeduction { id: i.clone() })>"✕"</button>
        </li>
    }
}
