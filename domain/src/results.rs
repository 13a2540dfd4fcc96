//! Steps 5 and 6 applied: which goals were missed, and the next cycle's sheet, which carries
//! over the missed goals with their improvement plans and the development plan, for both sides
//! to edit.

use crate::model::{Cycle, Goal, GoalType, NewSheet, Prep, RowId, Sheet};
use crate::score::goal_score;
use crate::{date, progress};

/// Whether a goal was missed: scored below 100, or (not scored) its latest progress is below
/// 100%, or someone recorded why it was missed.
pub fn missed(goal: &Goal, cap: bool) -> bool {
    if goal.miss.cause.is_some() || !goal.miss.plan.trim().is_empty() {
        return true;
    }
    match goal_score(goal, cap) {
        Ok(s) => s.points < 100,
        Err(_) => progress::latest(goal).is_none_or(|(_, p)| p < 100),
    }
}

/// The cycle after `cycle`: the same kind of period, starting the day after it ends.
pub fn next_cycle(cycle: &Cycle) -> Cycle {
    let start = cycle.end.succ_opt().unwrap_or(cycle.end);
    let mut next = Cycle::containing(cycle.kind, start);
    // A cycle that did not follow the calendar moves on by its own length.
    if next.start != start {
        let len = cycle.end - cycle.start;
        next = Cycle {
            kind: cycle.kind,
            start,
            end: start + len,
        };
    }
    next
}

/// A label for a cycle: "2023 Q4", "2023-08", "2024".
pub fn period_label(cycle: &Cycle) -> String {
    use chrono::Datelike;
    let s = cycle.start;
    match cycle.kind {
        crate::CycleKind::Monthly => format!("{}-{:02}", s.year(), s.month()),
        crate::CycleKind::Quarterly => format!("{} Q{}", s.year(), (s.month() - 1) / 3 + 1),
        crate::CycleKind::Annual => format!("{}", s.year()),
    }
}

/// What the next cycle's sheet starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct NextCycle {
    pub new: NewSheet,
    pub goals: Vec<Goal>,
    pub prep: Prep,
}

/// Plan the next cycle's sheet from an assessed one. `ids` supplies fresh row ids.
pub fn plan_next(sheet: &Sheet, mut ids: impl FnMut() -> RowId) -> NextCycle {
    let cycle = next_cycle(&sheet.cycle);
    let cap = sheet.assessment.cap;
    let mut goals = Vec::new();
    let mut carried = Vec::new();
    for g in sheet.goals.iter().filter(|g| missed(g, cap)) {
        let mut support = g.support.clone();
        if !g.miss.plan.trim().is_empty() {
            if !support.is_empty() {
                support.push('\n');
            }
            support.push_str(&format!("Improvement plan: {}", g.miss.plan.trim()));
        }
        let cause = g.miss.cause.map(|c| c.label().to_lowercase());
        carried.push(match (&cause, g.miss.plan.trim()) {
            (Some(c), "") => format!("• {} (missed: {c})", g.name),
            (Some(c), plan) => format!("• {} (missed: {c}); plan: {plan}", g.name),
            (None, "") => format!("• {} (missed)", g.name),
            (None, plan) => format!("• {} (missed); plan: {plan}", g.name),
        });
        goals.push(Goal {
            goal_type: g.goal_type,
            name: g.name.clone(),
            measure: g.measure.clone(),
            weight: g.weight,
            deadline: Some(cycle.end),
            owner: g.owner.clone(),
            support,
            link: None,
            ..Goal::blank(ids())
        });
    }
    for item in sheet
        .development
        .iter()
        .filter(|d| !d.text.trim().is_empty())
    {
        goals.push(Goal {
            goal_type: GoalType::Development,
            name: item.text.trim().to_owned(),
            measure: String::new(),
            weight: 0,
            deadline: Some(cycle.end),
            owner: sheet.employee.clone(),
            ..Goal::blank(ids())
        });
    }
    let mut last = format!(
        "Carried over from {} ({} – {}).",
        sheet.title,
        date::format_iso(sheet.cycle.start),
        date::format_iso(sheet.cycle.end)
    );
    if !carried.is_empty() {
        last.push_str("\nMissed goals:\n");
        last.push_str(&carried.join("\n"));
    }
    let mut wishes = String::new();
    if !sheet.development.is_empty() {
        wishes = sheet
            .development
            .iter()
            .map(|d| format!("• {}", d.text.trim()))
            .collect::<Vec<_>>()
            .join("\n");
    }
    NextCycle {
        new: NewSheet {
            title: format!("{} · {}", sheet.employee, period_label(&cycle)),
            employee: sheet.employee.clone(),
            manager: sheet.manager.clone(),
            cycle,
        },
        goals,
        prep: Prep {
            strategy: sheet.prep.strategy.clone(),
            dept_tasks: sheet.prep.dept_tasks.clone(),
            duties: sheet.prep.duties.clone(),
            last_results: last,
            wishes,
        },
    }
}
