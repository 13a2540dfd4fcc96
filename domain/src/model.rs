//! Plain data: what a goal sheet says, independent of how it is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a goal cycle runs; it sets the follow-up cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CycleKind {
    Monthly,
    #[default]
    Quarterly,
    Annual,
}

impl CycleKind {
    pub const ALL: [CycleKind; 3] = [CycleKind::Monthly, CycleKind::Quarterly, CycleKind::Annual];

    /// The stable name used in the document and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            CycleKind::Monthly => "monthly",
            CycleKind::Quarterly => "quarterly",
            CycleKind::Annual => "annual",
        }
    }

    pub fn parse(s: &str) -> Option<CycleKind> {
        CycleKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A display label.
    pub fn label(self) -> &'static str {
        match self {
            CycleKind::Monthly => "Monthly",
            CycleKind::Quarterly => "Quarterly",
            CycleKind::Annual => "Annual",
        }
    }
}

/// The period a sheet's goals cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub kind: CycleKind,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Cycle {
    /// Whether `date` falls inside the cycle, both ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// The cycle of `kind` that contains `today`: the calendar month, quarter or year.
    pub fn containing(kind: CycleKind, today: NaiveDate) -> Cycle {
        use chrono::Datelike;
        let (y, m) = (today.year(), today.month());
        let (start, end_exclusive) = match kind {
            CycleKind::Monthly => (ymd(y, m), next_month(y, m)),
            CycleKind::Quarterly => {
                let q0 = (m - 1) / 3 * 3 + 1;
                let start = ymd(y, q0);
                let end = (0..3).fold(start, |d, _| next_month(d.year(), d.month()));
                (start, end)
            }
            CycleKind::Annual => (ymd(y, 1), ymd(y + 1, 1)),
        };
        Cycle {
            kind,
            start,
            end: end_exclusive.pred_opt().unwrap_or(end_exclusive),
        }
    }
}

fn ymd(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

fn next_month(y: i32, m: u32) -> NaiveDate {
    if m == 12 {
        ymd(y + 1, 1)
    } else {
        ymd(y, m + 1)
    }
}

/// The template's three kinds of goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GoalType {
    #[default]
    Result,
    Process,
    Development,
}

impl GoalType {
    pub const ALL: [GoalType; 3] = [GoalType::Result, GoalType::Process, GoalType::Development];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalType::Result => "result",
            GoalType::Process => "process",
            GoalType::Development => "development",
        }
    }

    pub fn parse(s: &str) -> Option<GoalType> {
        GoalType::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            GoalType::Result => "Result",
            GoalType::Process => "Process",
            GoalType::Development => "Development",
        }
    }
}

/// A goal row's identity: stable across edits, reorders and syncs, unique within a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowId(String);

impl RowId {
    /// A row id from 64 random bits supplied by the caller.
    pub fn from_random(bits: u64) -> RowId {
        RowId(format!("g{bits:016x}"))
    }

    /// An id read back from a document.
    pub fn from_stored(s: &str) -> RowId {
        RowId(s.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One row of Template 1, the goal-setting sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: RowId,
    pub goal_type: GoalType,
    pub name: String,
    /// The measure, or key results.
    pub measure: String,
    /// Weight in whole percent.
    pub weight: u32,
    pub deadline: Option<NaiveDate>,
    pub owner: String,
    pub support: String,
}

impl Goal {
    /// An empty row of `goal_type` with a fresh id.
    pub fn blank(id: RowId) -> Goal {
        Goal {
            id,
            goal_type: GoalType::default(),
            name: String::new(),
            measure: String::new(),
            weight: 0,
            deadline: None,
            owner: String::new(),
            support: String::new(),
        }
    }

    pub fn text(&self, field: GoalField) -> &str {
        match field {
            GoalField::Name => &self.name,
            GoalField::Measure => &self.measure,
            GoalField::Owner => &self.owner,
            GoalField::Support => &self.support,
        }
    }
}

/// The free-text fields of a goal row; each is an Automerge text, merged character by character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GoalField {
    Name,
    Measure,
    Owner,
    Support,
}

impl GoalField {
    pub const ALL: [GoalField; 4] = [
        GoalField::Name,
        GoalField::Measure,
        GoalField::Owner,
        GoalField::Support,
    ];

    pub fn key(self) -> &'static str {
        match self {
            GoalField::Name => "name",
            GoalField::Measure => "measure",
            GoalField::Owner => "owner",
            GoalField::Support => "support",
        }
    }
}

/// The free-text fields of the sheet's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetField {
    Title,
    Employee,
    Manager,
}

impl SheetField {
    pub fn key(self) -> &'static str {
        match self {
            SheetField::Title => "title",
            SheetField::Employee => "employee",
            SheetField::Manager => "manager",
        }
    }
}

/// A goal sheet as read from its document: the header and the goal rows in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub title: String,
    /// The employee whose goals these are.
    pub employee: String,
    pub manager: String,
    pub cycle: Cycle,
    pub goals: Vec<Goal>,
}

impl Sheet {
    pub fn goal(&self, id: &RowId) -> Option<&Goal> {
        self.goals.iter().find(|g| &g.id == id)
    }

    pub fn header(&self, field: SheetField) -> &str {
        match field {
            SheetField::Title => &self.title,
            SheetField::Employee => &self.employee,
            SheetField::Manager => &self.manager,
        }
    }
}

/// What the "new sheet" form collects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSheet {
    pub title: String,
    pub employee: String,
    pub manager: String,
    pub cycle: Cycle,
}
