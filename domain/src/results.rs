//! Steps 5 and 6 applied: which goals were missed, and the next cycle's sheet, which carries
//! over the missed goals with their improvement plans and the development plan, for both sides
//! to edit.

use crate::model::{Cause, Cycle, Goal, GoalType, NewSheet, Prep, RowId, Sheet};
use crate::score::goal_score;
use crate::{date, progress};
use chrono::NaiveDate;

/// Whether a goal of a sheet over `cycle` counts as missed on `today`:
/// - someone recorded why it was missed (a cause or an improvement plan); or
/// - it was assessed below its target (a score under 100); or
/// - not assessed, the cycle has ended (today is its last day or later) and the latest
///   check-in shows it short of 100%.
///
/// A goal with no score mid-cycle is not missed, nor is one with no score and no check-in at
/// all: nothing says it was missed (recording a cause says so).
pub fn missed(goal: &Goal, cap: bool, cycle: &Cycle, today: NaiveDate) -> bool {
    if goal.miss.cause.is_some() || !goal.miss.plan.trim().is_empty() {
        return true;
    }
    if let Ok(s) = goal_score(goal, cap) {
        return s.points < 100;
    }
    today >= cycle.end && progress::latest(goal).is_some_and(|(_, p)| p < 100)
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
    PERIOD_EN.label(cycle)
}

/// How a cycle is named in a sheet's title, per language: a template for each kind of cycle,
/// whose `{y}`, `{m}` (two digits) or `{M}`, and `{q}` are the year, month and quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodNames<'a> {
    pub monthly: &'a str,
    pub quarterly: &'a str,
    pub annual: &'a str,
}

const PERIOD_EN: PeriodNames<'static> = PeriodNames {
    monthly: "{y}-{m}",
    quarterly: "{y} Q{q}",
    annual: "{y}",
};

impl PeriodNames<'_> {
    pub fn label(&self, cycle: &Cycle) -> String {
        use chrono::Datelike;
        let s = cycle.start;
        let template = match cycle.kind {
            crate::CycleKind::Monthly => self.monthly,
            crate::CycleKind::Quarterly => self.quarterly,
            crate::CycleKind::Annual => self.annual,
        };
        template
            .replace("{y}", &s.year().to_string())
            .replace("{m}", &format!("{:02}", s.month()))
            .replace("{M}", &s.month().to_string())
            .replace("{q}", &((s.month() - 1) / 3 + 1).to_string())
    }
}

/// The words the next cycle's sheet is written with, in the user's language (the app passes
/// its own, as it does the CSV headers). Each template's `{}` take the values in order.
#[derive(Debug, Clone, Copy)]
pub struct CarryOverLabels<'a> {
    /// "Carried over from {} ({} – {})." : the old sheet's title, its cycle's start and end.
    pub carried_from: &'a str,
    /// "Missed goals:", heading the list of missed goals.
    pub missed_goals: &'a str,
    /// "• {} (missed)": a missed goal with no cause recorded.
    pub missed: &'a str,
    /// "• {} (missed: {})": a missed goal and its cause.
    pub missed_because: &'a str,
    /// "; plan: {}", after a missed goal that has an improvement plan.
    pub plan: &'a str,
    /// "Improvement plan: {}", added to the carried goal's support.
    pub improvement_plan: &'a str,
    /// A cause, in a sentence ("resources").
    pub cause: fn(Cause) -> String,
    /// A date ("2023-09-30").
    pub date: fn(NaiveDate) -> String,
    /// The cycle in the new sheet's title ("2023 Q4").
    pub period: PeriodNames<'a>,
}

impl CarryOverLabels<'static> {
    /// The English words.
    pub fn english() -> Self {
        CarryOverLabels {
            carried_from: "Carried over from {} ({} – {}).",
            missed_goals: "Missed goals:",
            missed: "• {} (missed)",
            missed_because: "• {} (missed: {})",
            plan: "; plan: {}",
            improvement_plan: "Improvement plan: {}",
            cause: |c| c.label().to_lowercase(),
            date: date::format_iso,
            period: PERIOD_EN,
        }
    }
}

/// `template` with each `{}` replaced by the next value.
fn fill(template: &str, values: &[&str]) -> String {
    let mut out = String::new();
    let mut values = values.iter();
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(values.next().copied().unwrap_or_default());
        out.push_str(part);
    }
    out
}

/// What the next cycle's sheet starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct NextCycle {
    pub new: NewSheet,
    pub goals: Vec<Goal>,
    pub prep: Prep,
}

/// Plan the next cycle's sheet from an assessed one on `today` (which goals are missed
/// depends on it: see [`missed`]), worded with `labels`. `ids` supplies fresh row ids.
pub fn plan_next(
    sheet: &Sheet,
    labels: &CarryOverLabels<'_>,
    today: NaiveDate,
    mut ids: impl FnMut() -> RowId,
) -> NextCycle {
    let cycle = next_cycle(&sheet.cycle);
    let cap = sheet.assessment.cap;
    let mut goals = Vec::new();
    let mut carried = Vec::new();
    for g in sheet
        .goals
        .iter()
        .filter(|g| missed(g, cap, &sheet.cycle, today))
    {
        let mut support = g.support.clone();
        if !g.miss.plan.trim().is_empty() {
            if !support.is_empty() {
                support.push('\n');
            }
            support.push_str(&fill(labels.improvement_plan, &[g.miss.plan.trim()]));
        }
        let mut line = match g.miss.cause {
            Some(c) => fill(labels.missed_because, &[&g.name, &(labels.cause)(c)]),
            None => fill(labels.missed, &[&g.name]),
        };
        if !g.miss.plan.trim().is_empty() {
            line.push_str(&fill(labels.plan, &[g.miss.plan.trim()]));
        }
        carried.push(line);
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
    let mut last = fill(
        labels.carried_from,
        &[
            &sheet.title,
            &(labels.date)(sheet.cycle.start),
            &(labels.date)(sheet.cycle.end),
        ],
    );
    if !carried.is_empty() {
        last.push('\n');
        last.push_str(labels.missed_goals);
        last.push('\n');
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
            title: format!("{} · {}", sheet.employee, labels.period.label(&cycle)),
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
