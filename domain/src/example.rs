//! The template's own Template 1, as an example sheet: three goals, 50/30/20, every SMART hint
//! satisfied. Deadlines keep their place in the cycle (the template's Q3 2023 sheet puts two
//! at the cycle's end and one at the end of its second month), so the example fits whatever
//! cycle it is made for.

use crate::model::{Cycle, CycleKind, Direction, Goal, GoalAssessment, GoalType, RowId};
use chrono::{Datelike, NaiveDate};

/// The last day of the month before the cycle's last month, if it falls inside the cycle.
fn second_to_last_month_end(cycle: &Cycle) -> NaiveDate {
    let first_of_last =
        NaiveDate::from_ymd_opt(cycle.end.year(), cycle.end.month(), 1).unwrap_or(cycle.end);
    first_of_last
        .pred_opt()
        .filter(|d| cycle.contains(*d))
        .unwrap_or(cycle.end)
}

/// "Q3" for a calendar quarter, else the cycle's own words.
fn period(cycle: &Cycle) -> String {
    match cycle.kind {
        CycleKind::Quarterly => format!("Q{}", (cycle.start.month() - 1) / 3 + 1),
        CycleKind::Monthly => "this month".into(),
        CycleKind::Annual => "this year".into(),
    }
}

/// The example rows for a sheet over `cycle` owned by `owner`; `ids` supplies fresh row ids.
pub fn template_goals(cycle: &Cycle, owner: &str, mut ids: impl FnMut() -> RowId) -> Vec<Goal> {
    let owner = if owner.trim().is_empty() {
        "employee X"
    } else {
        owner.trim()
    };
    let p = period(cycle);
    vec![
        Goal {
            goal_type: GoalType::Result,
            name: format!("South China: new customers in {p}"),
            measure: "8 new valid customers, signing rate ≥ 70%".into(),
            weight: 50,
            deadline: Some(cycle.end),
            owner: owner.into(),
            support: "Marketing provides a customer list; budget 5,000 for promotion".into(),
            assessment: GoalAssessment {
                direction: Direction::AtLeast,
                ..GoalAssessment::default()
            },
            ..Goal::blank(ids())
        },
        Goal {
            goal_type: GoalType::Process,
            name: "Raise customer satisfaction".into(),
            measure: "complaint rate ≤ 5%, satisfaction survey ≥ 90".into(),
            weight: 30,
            deadline: Some(cycle.end),
            owner: owner.into(),
            support: "Customer Service helps improve the complaint process".into(),
            ..Goal::blank(ids())
        },
        Goal {
            goal_type: GoalType::Development,
            name: "Product knowledge".into(),
            measure: "pass the company product certification (out of 100, ≥ 90)".into(),
            weight: 20,
            deadline: Some(second_to_last_month_end(cycle)),
            owner: owner.into(),
            support: "Training provides 3 product-knowledge sessions".into(),
            ..Goal::blank(ids())
        },
    ]
}
