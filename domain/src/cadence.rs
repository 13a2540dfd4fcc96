//! Step 4's rhythm: how often a sheet is followed up, and when the next check-in is due.
//!
//! The template: monthly goals get a check-in every week, quarterly goals every two weeks,
//! annual goals every month. The next check-in is one interval after the last one recorded
//! (or after the cycle's start, before any), and never later than the cycle's end.

use crate::model::{Cycle, CycleKind, Sheet};
use chrono::{Datelike, Duration, NaiveDate};

/// The interval between check-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    Fortnightly,
    Monthly,
}

impl Cadence {
    pub fn of(kind: CycleKind) -> Cadence {
        match kind {
            CycleKind::Monthly => Cadence::Weekly,
            CycleKind::Quarterly => Cadence::Fortnightly,
            CycleKind::Annual => Cadence::Monthly,
        }
    }

    /// The date one interval after `from` (a month later keeps the day, or the month's last).
    pub fn after(self, from: NaiveDate) -> NaiveDate {
        match self {
            Cadence::Weekly => from + Duration::days(7),
            Cadence::Fortnightly => from + Duration::days(14),
            Cadence::Monthly => add_month(from),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Weekly => "every week",
            Cadence::Fortnightly => "every two weeks",
            Cadence::Monthly => "every month",
        }
    }
}

fn add_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    (0..4)
        .find_map(|back| NaiveDate::from_ymd_opt(y, m, d.day() - back))
        .unwrap_or(d)
}

/// Where a sheet stands on its follow-up rhythm on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInStatus {
    /// The next check-in, not yet due.
    Upcoming(NaiveDate),
    /// Due today.
    DueToday(NaiveDate),
    /// Was due on this date and none has been recorded since.
    Overdue(NaiveDate),
    /// The cycle has ended: time for the assessment, not another check-in.
    CycleEnded,
    /// The last check-in of the cycle is done; the assessment comes at the cycle's end.
    Complete,
    /// The cycle has not started yet; the first check-in is due on this date.
    NotStarted(NaiveDate),
    /// The sheet has no goals yet: there is nothing to follow up.
    NoGoals,
}

impl CheckInStatus {
    /// True when a check-in should be held now (due today or overdue).
    pub fn is_due(self) -> bool {
        matches!(self, CheckInStatus::DueToday(_) | CheckInStatus::Overdue(_))
    }

    pub fn date(self) -> Option<NaiveDate> {
        match self {
            CheckInStatus::Upcoming(d)
            | CheckInStatus::DueToday(d)
            | CheckInStatus::Overdue(d)
            | CheckInStatus::NotStarted(d) => Some(d),
            CheckInStatus::CycleEnded | CheckInStatus::Complete | CheckInStatus::NoGoals => None,
        }
    }
}

/// The date of the most recent check-in recorded on any goal of the sheet.
pub fn last_check_in(sheet: &Sheet) -> Option<NaiveDate> {
    sheet
        .goals
        .iter()
        .flat_map(|g| g.check_ins.iter().map(|c| c.date))
        .max()
}

/// When the next check-in is due: one interval after the last one (or the cycle's start),
/// capped at the cycle's end.
pub fn next_check_in(cycle: &Cycle, last: Option<NaiveDate>) -> NaiveDate {
    let base = last.map_or(cycle.start, |l| l.max(cycle.start));
    Cadence::of(cycle.kind).after(base).min(cycle.end)
}

/// The sheet's follow-up status on `today`.
pub fn status(sheet: &Sheet, today: NaiveDate) -> CheckInStatus {
    if sheet.goals.is_empty() {
        return CheckInStatus::NoGoals;
    }
    let cycle = &sheet.cycle;
    let last = last_check_in(sheet);
    if today > cycle.end {
        return CheckInStatus::CycleEnded;
    }
    let next = next_check_in(cycle, last);
    if today < cycle.start {
        return CheckInStatus::NotStarted(next);
    }
    // The next check-in is capped at the cycle's end: once one is recorded on or after that
    // date, there is none left to hold.
    if last.is_some_and(|l| l >= next) {
        return CheckInStatus::Complete;
    }
    match today.cmp(&next) {
        std::cmp::Ordering::Less => CheckInStatus::Upcoming(next),
        std::cmp::Ordering::Equal => CheckInStatus::DueToday(next),
        std::cmp::Ordering::Greater => CheckInStatus::Overdue(next),
    }
}
