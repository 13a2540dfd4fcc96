//! Plan versus actual: how far along a goal should be on a date, and how far it is.
//!
//! Expected progress grows linearly from the cycle's start (0%) to the goal's deadline (100%),
//! unless the goal sets milestones (dates with the progress expected by then), in which case it
//! is linear between consecutive milestones. The plan never goes backwards: a milestone dated
//! after the deadline is not part of it, and one expecting less than an earlier point counts
//! as expecting as much. The result is said the template's way: "60% done, 10% behind plan".

use crate::model::{CheckIn, Cycle, Goal, Milestone};
use chrono::NaiveDate;

/// Expected progress in percent (0–100) on `date`, or `None` when the goal has no deadline and
/// no milestones to plan by.
pub fn expected(goal: &Goal, cycle: &Cycle, date: NaiveDate) -> Option<f64> {
    let mut points: Vec<(NaiveDate, f64)> = vec![(cycle.start, 0.0)];
    let mut milestones: Vec<&Milestone> = goal
        .milestones
        .iter()
        .filter(|m| !after_deadline(goal, m))
        .collect();
    crate::sort::sort_by_key(&mut milestones, |m| m.date);
    for m in milestones {
        points.push((m.date, f64::from(m.progress.min(100))));
    }
    if let Some(deadline) = goal.deadline {
        points.push((deadline, 100.0));
    }
    if points.len() < 2 {
        return None;
    }
    // A milestone or deadline before the cycle's start moves the plan's start back with it.
    crate::sort::sort_by_key(&mut points, |p| p.0);
    // The plan never goes backwards: each point expects at least as much as the ones before.
    let mut most = 0.0_f64;
    for p in &mut points {
        most = most.max(p.1);
        p.1 = most;
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    if date <= first.0 {
        return Some(first.1);
    }
    if date >= last.0 {
        return Some(last.1);
    }
    for w in points.windows(2) {
        let ((d0, p0), (d1, p1)) = (w[0], w[1]);
        if date >= d0 && date <= d1 {
            let span = (d1 - d0).num_days();
            if span == 0 {
                return Some(p1);
            }
            let t = (date - d0).num_days() as f64 / span as f64;
            return Some(p0 + (p1 - p0) * t);
        }
    }
    Some(last.1)
}

/// Whether a milestone falls after the goal's deadline, and so is not part of its plan.
pub fn after_deadline(goal: &Goal, milestone: &Milestone) -> bool {
    goal.deadline.is_some_and(|d| milestone.date > d)
}

/// Actual progress against the plan, in whole percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanGap {
    pub actual: u32,
    /// `None` when there is no plan (no deadline, no milestones).
    pub expected: Option<u32>,
}

impl PlanGap {
    pub fn new(goal: &Goal, cycle: &Cycle, date: NaiveDate, actual: u32) -> PlanGap {
        PlanGap {
            actual: actual.min(100),
            expected: expected(goal, cycle, date).map(|e| e.round() as u32),
        }
    }

    /// Percentage points ahead (positive) or behind (negative) the plan.
    pub fn gap(self) -> Option<i64> {
        self.expected.map(|e| i64::from(self.actual) - i64::from(e))
    }

    /// "60% done, 10% behind plan", "80% done, 5% ahead of plan", "50% done, on plan".
    pub fn describe(self) -> String {
        match self.gap() {
            None => format!("{}% done", self.actual),
            Some(0) => format!("{}% done, on plan", self.actual),
            Some(g) if g < 0 => format!("{}% done, {}% behind plan", self.actual, -g),
            Some(g) => format!("{}% done, {}% ahead of plan", self.actual, g),
        }
    }
}

/// The order of check-ins: by date, then in the order they were recorded, then (two recorded
/// at once on two devices) by id, so that every device agrees.
pub fn check_in_order(a: &CheckIn, b: &CheckIn) -> std::cmp::Ordering {
    a.date
        .cmp(&b.date)
        .then_with(|| a.seq.cmp(&b.seq))
        .then_with(|| a.id.cmp(&b.id))
}

/// A goal's latest recorded progress, and the date it was recorded: the last check-in by
/// date, and of two on that date the one recorded later.
pub fn latest(goal: &Goal) -> Option<(NaiveDate, u32)> {
    goal.check_ins
        .iter()
        .max_by(|a, b| check_in_order(a, b))
        .map(|c| (c.date, c.progress))
}
