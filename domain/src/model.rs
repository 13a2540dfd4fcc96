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
    #[serde(with = "crate::date::iso")]
    pub start: NaiveDate,
    #[serde(with = "crate::date::iso")]
    pub end: NaiveDate,
}

impl Cycle {
    /// Whether `date` falls inside the cycle, both ends included.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// How many days the cycle covers, both ends included (0 when it ends before it starts).
    pub fn days(&self) -> i64 {
        ((self.end - self.start).num_days() + 1).max(0)
    }

    /// Whether the dates are about as long as the kind says: a month, a quarter or a year,
    /// with room for a cycle that starts or ends off the calendar's (a new hire's first
    /// quarter, say). The cadence of check-ins follows the kind, so a mismatch is worth a look.
    pub fn fits_kind(&self) -> bool {
        let range = match self.kind {
            CycleKind::Monthly => 20..=45,
            CycleKind::Quarterly => 60..=120,
            CycleKind::Annual => 250..=400,
        };
        range.contains(&self.days())
    }

    /// The whole calendar month, quarter or year of this cycle's kind that it is about: the
    /// one around `today` while the cycle includes it (a quarter's default dates switched to
    /// monthly are this month, not the quarter's first), else the one it starts in.
    pub fn whole_period(&self, today: NaiveDate) -> Cycle {
        let around = if self.contains(today) {
            today
        } else {
            self.start
        };
        Cycle::containing(self.kind, around)
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

/// The id of anything listed within a sheet (check-ins, milestones, deductions).
pub type ItemId = RowId;

/// One row of Template 1, the goal-setting sheet, with what follows it through the cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: RowId,
    pub goal_type: GoalType,
    pub name: String,
    /// The measure, or key results.
    pub measure: String,
    /// Weight in whole percent.
    pub weight: u32,
    #[serde(with = "crate::date::iso_opt")]
    pub deadline: Option<NaiveDate>,
    pub owner: String,
    pub support: String,
    /// Template 2's follow-up records, oldest first: by date, then in the order they were
    /// recorded (see [`CheckIn::seq`]).
    pub check_ins: Vec<CheckIn>,
    /// Progress expected by given dates, if the plan is not linear; by date.
    pub milestones: Vec<Milestone>,
    pub assessment: GoalAssessment,
    /// The department goal this goal contributes to (on another sheet).
    pub link: Option<GoalLink>,
    /// For a goal that was missed: why, and the plan to improve.
    pub miss: MissAnalysis,
}

/// One follow-up record of Template 2: a check-in on one goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: ItemId,
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    /// The order it was recorded in among the goal's check-ins: the document sets it when the
    /// check-in is stored, one more than the highest there (the value given is ignored), so
    /// that two check-ins on one date read in the order they were made. 0 for check-ins
    /// stored before this existed.
    pub seq: u64,
    /// Progress in whole percent, 0–100.
    pub progress: u32,
    /// Main progress since the last check-in.
    pub done: String,
    pub problems: String,
    pub solution: String,
    pub next: String,
}

impl CheckIn {
    pub fn text(&self, field: CheckInField) -> &str {
        match field {
            CheckInField::Done => &self.done,
            CheckInField::Problems => &self.problems,
            CheckInField::Solution => &self.solution,
            CheckInField::Next => &self.next,
        }
    }
}

/// The free-text columns of Template 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckInField {
    Done,
    Problems,
    Solution,
    Next,
}

impl CheckInField {
    pub const ALL: [CheckInField; 4] = [
        CheckInField::Done,
        CheckInField::Problems,
        CheckInField::Solution,
        CheckInField::Next,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CheckInField::Done => "done",
            CheckInField::Problems => "problems",
            CheckInField::Solution => "solution",
            CheckInField::Next => "next",
        }
    }
}

/// Progress expected by a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: ItemId,
    #[serde(with = "crate::date::iso")]
    pub date: NaiveDate,
    pub progress: u32,
}

/// Whether more is better (a target to reach) or less is (a ceiling, "complaint rate ≤ 5%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Direction {
    #[default]
    AtLeast,
    AtMost,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::AtLeast => "at_least",
            Direction::AtMost => "at_most",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        [Direction::AtLeast, Direction::AtMost]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// A goal's quantitative result at the end of the cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct GoalAssessment {
    pub target: Option<f64>,
    pub achieved: Option<f64>,
    pub direction: Direction,
}

/// The dimensions of behaviour in the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Dimension {
    Teamwork,
    ProblemSolving,
    #[default]
    Communication,
    Other,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Teamwork,
        Dimension::ProblemSolving,
        Dimension::Communication,
        Dimension::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Teamwork => "teamwork",
            Dimension::ProblemSolving => "problem_solving",
            Dimension::Communication => "communication",
            Dimension::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Teamwork => "Teamwork",
            Dimension::ProblemSolving => "Problem solving",
            Dimension::Communication => "Timely communication",
            Dimension::Other => "Other",
        }
    }
}

/// An itemised deduction from the behaviour score ("repeated late feedback, −10").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub id: ItemId,
    pub dimension: Dimension,
    pub reason: String,
    pub points: u32,
}

/// The sheet's assessment settings and behaviour deductions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetAssessment {
    /// Results above target count as 100 at most.
    pub cap: bool,
    /// The quantitative share of the final score in percent; behaviour gets the rest.
    pub quantitative_share: u32,
    pub deductions: Vec<Deduction>,
}

impl Default for SheetAssessment {
    fn default() -> Self {
        SheetAssessment {
            cap: true,
            quantitative_share: 70,
            deductions: Vec::new(),
        }
    }
}

/// Step 1's preparation: the direction and evidence goals are set from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Prep {
    pub strategy: String,
    pub dept_tasks: String,
    pub duties: String,
    pub last_results: String,
    pub wishes: String,
}

/// The fields of the preparation pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrepField {
    Strategy,
    DeptTasks,
    Duties,
    LastResults,
    Wishes,
}

impl PrepField {
    pub const ALL: [PrepField; 5] = [
        PrepField::Strategy,
        PrepField::DeptTasks,
        PrepField::Duties,
        PrepField::LastResults,
        PrepField::Wishes,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PrepField::Strategy => "strategy",
            PrepField::DeptTasks => "dept_tasks",
            PrepField::Duties => "duties",
            PrepField::LastResults => "last_results",
            PrepField::Wishes => "wishes",
        }
    }
}

impl Prep {
    pub fn text(&self, field: PrepField) -> &str {
        match field {
            PrepField::Strategy => &self.strategy,
            PrepField::DeptTasks => &self.dept_tasks,
            PrepField::Duties => &self.duties,
            PrepField::LastResults => &self.last_results,
            PrepField::Wishes => &self.wishes,
        }
    }
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
            check_ins: Vec::new(),
            milestones: Vec::new(),
            assessment: GoalAssessment::default(),
            link: None,
            miss: MissAnalysis::default(),
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
    pub prep: Prep,
    pub assessment: SheetAssessment,
    /// Who the employee and the manager are, by public key, once they have joined.
    pub parties: Parties,
    /// The signatures as stored: never trusted, always verified (see `sign::report`).
    pub signatures: Vec<SignatureRecord>,
    pub objections: Vec<Objection>,
    /// An employee's sheet, or a department's (whose goals employees' goals link to).
    pub kind: SheetKind,
    /// For an employee's sheet: the department sheet its goals cascade from.
    pub department: Option<SheetRef>,
    /// For a department's sheet: the employee sheets whose goals link to it.
    pub members: Vec<SheetRef>,
    /// For a department's sheet: the id of its knowledge base document.
    pub knowledge_base: Option<String>,
    /// Steps 5 and 6: how the results are applied, and the development plan.
    pub results: Results,
    pub development: Vec<DevItem>,
    /// The sheets of the previous and the next cycle, once linked.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Entries another device wrote in a form this app cannot read, left out (or read as
    /// empty) so that the rest of the sheet still reads; shown so that someone fixes them.
    #[serde(default)]
    pub damaged: Vec<Damage>,
}

/// An entry of a sheet that could not be read. `goal` is the goal's name, `value` what was
/// stored instead of a date (empty when nothing was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Damage {
    /// A check-in whose date is missing or not a date: left out of the timeline.
    CheckInDate { goal: String, value: String },
    /// A milestone whose date is missing or not a date: left out of the plan.
    MilestoneDate { goal: String, value: String },
    /// A deadline that is not a date: read as no deadline.
    Deadline { goal: String, value: String },
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::CheckInDate { goal, value } => write!(
                f,
                "A check-in of “{goal}” is left out: its date “{value}” is not a date."
            ),
            Damage::MilestoneDate { goal, value } => write!(
                f,
                "A milestone of “{goal}” is left out: its date “{value}” is not a date."
            ),
            Damage::Deadline { goal, value } => write!(
                f,
                "The deadline of “{goal}” is not a date (“{value}”): it reads as none."
            ),
        }
    }
}

impl Sheet {
    pub fn party(&self, role: Role) -> Option<&Party> {
        match role {
            Role::Employee => self.parties.employee.as_ref(),
            Role::Manager => self.parties.manager.as_ref(),
        }
    }

    pub fn signature(&self, role: Role) -> Option<&SignatureRecord> {
        self.signatures.iter().find(|s| s.role == role)
    }

    /// Objections still open on a goal row.
    pub fn open_objections(&self, row: &RowId) -> usize {
        self.objections
            .iter()
            .filter(|o| &o.row == row && o.status == ObjectionStatus::Open)
            .count()
    }

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

/// The two parties of a goal sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Employee,
    Manager,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Employee, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Manager => "manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Employee => "Employee",
            Role::Manager => "Manager",
        }
    }

    pub fn other(self) -> Role {
        match self {
            Role::Employee => Role::Manager,
            Role::Manager => Role::Employee,
        }
    }
}

/// A party, by the public key of their identity (base58) and the name it goes by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Parties {
    pub employee: Option<Party>,
    pub manager: Option<Party>,
}

/// A signature as stored on the sheet. Nothing here is trusted: it is verified on every read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    pub role: Role,
    /// The signer's public key, base58.
    pub key: String,
    pub name: String,
    /// When it was signed (RFC 3339), itself covered by the signature.
    pub at: String,
    /// The Ed25519 signature, base58.
    pub sig: String,
    /// The document's heads when it was signed (hex), to show what changed since.
    pub heads: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ObjectionStatus {
    #[default]
    Open,
    Resolved,
    Withdrawn,
}

impl ObjectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectionStatus::Open => "open",
            ObjectionStatus::Resolved => "resolved",
            ObjectionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<ObjectionStatus> {
        [
            ObjectionStatus::Open,
            ObjectionStatus::Resolved,
            ObjectionStatus::Withdrawn,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// An answer in an objection's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: ItemId,
    pub by: Role,
    pub name: String,
    pub text: String,
    pub at: String,
}

/// An objection to a goal row, and the negotiation that follows (step 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub id: ItemId,
    pub row: RowId,
    pub by: Role,
    pub name: String,
    pub reason: String,
    pub at: String,
    pub status: ObjectionStatus,
    /// The thread, oldest first.
    pub replies: Vec<Reply>,
}

/// Whose goals a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum SheetKind {
    #[default]
    Individual,
    Department,
}

impl SheetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SheetKind::Individual => "individual",
            SheetKind::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<SheetKind> {
        [SheetKind::Individual, SheetKind::Department]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Another sheet, by id, with the name it is shown by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRef {
    pub sheet: String,
    pub name: String,
}

/// A link from an employee's goal to a department goal on another sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalLink {
    pub sheet: String,
    pub row: RowId,
    /// The department goal's name when the link was made, to show it on a device that does not
    /// have the department's sheet (empty for links made before this existed).
    #[serde(default)]
    pub name: String,
}

/// Why a goal was missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cause {
    Resources,
    SkillGap,
    Other,
}

impl Cause {
    pub const ALL: [Cause; 3] = [Cause::Resources, Cause::SkillGap, Cause::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Resources => "resources",
            Cause::SkillGap => "skill_gap",
            Cause::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Cause::Resources => "Resources",
            Cause::SkillGap => "Skill gap",
            Cause::Other => "Other",
        }
    }
}

/// The analysis of a missed goal (step 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MissAnalysis {
    pub cause: Option<Cause>,
    pub plan: String,
}

/// How the assessment is applied (step 5) and the performance interview (step 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Results {
    pub pay: String,
    pub promotion: String,
    pub training: String,
    pub interview: String,
}

/// The free-text fields of [`Results`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultsField {
    Pay,
    Promotion,
    Training,
    Interview,
}

impl ResultsField {
    pub const ALL: [ResultsField; 4] = [
        ResultsField::Pay,
        ResultsField::Promotion,
        ResultsField::Training,
        ResultsField::Interview,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ResultsField::Pay => "pay",
            ResultsField::Promotion => "promotion",
            ResultsField::Training => "training",
            ResultsField::Interview => "interview",
        }
    }
}

impl Results {
    pub fn text(&self, field: ResultsField) -> &str {
        match field {
            ResultsField::Pay => &self.pay,
            ResultsField::Promotion => &self.promotion,
            ResultsField::Training => &self.training,
            ResultsField::Interview => &self.interview,
        }
    }
}

/// An item of the personal development plan ("2 data-analysis trainings next quarter").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevItem {
    pub id: ItemId,
    pub text: String,
}
