//! A goal sheet as one Automerge document.
//!
//! The layout, from the root map:
//!
//! ```text
//! kind: "goal-sheet"   schema: 1
//! title, employee, manager: Text
//! cycle: { kind: "monthly" | "quarterly" | "annual", start: "YYYY-MM-DD", end: "YYYY-MM-DD" }
//! goals: { <row id>: { type, name: Text, measure: Text, weight: uint, deadline: "YYYY-MM-DD" | null,
//!                      owner: Text, support: Text, pos: f64,
//!                      checkins: { <id>: { date, seq: uint, progress: uint,
//!                                          done, problems, solution, next: Text } },
//!                      milestones: { <id>: { date, progress: uint } },
//!                      target: f64 | null, achieved: f64 | null, direction: "at_least" | "at_most" } }
//! prep: { strategy, dept_tasks, duties, last_results, wishes: Text }
//! assessment: { cap: bool, quant_share: uint,
//!               deductions: { <id>: { dimension, reason: Text, points: uint, pos: f64 } } }
//! parties: { employee | manager: { key, name } }
//! signatures: { employee | manager: { key, name, at, sig, heads: "hex,hex" } }
//! objections: { <id>: { row, by, name, reason: Text, at, status,
//!                       replies: { <id>: { by, name, text: Text, at } } } }
//! sheet_kind: "individual" | "department"   department: { sheet, name }
//! members: { <sheet id>: name }   knowledge_base: "<document id>"
//! goals.<row>: { …, link: { sheet, row, name }, miss_cause, miss_plan: Text }
//! results: { pay, promotion, training, interview: Text }   development: { <id>: { text: Text, pos } }
//! previous, next: "<document id>"
//! ```
//!
//! Every key after the goal table's first columns is optional: a sheet written before it
//! existed reads with its default.
//!
//! Goal rows live in a map keyed by row id, ordered by `pos`, rather than in a list: a list
//! reorder is a delete and an insert, which would drop a concurrent edit to the moved row, while a
//! changed `pos` merges with it. Free text is Automerge `Text`, so concurrent typing in one field
//! interleaves instead of one side overwriting the other.

use crate::model::{
    Cause, CheckIn, CheckInField, Cycle, CycleKind, Damage, Deduction, DevItem, Dimension,
    Direction, Goal, GoalAssessment, GoalField, GoalLink, GoalType, ItemId, Milestone,
    MissAnalysis, NewSheet, Objection, ObjectionStatus, Parties, Party, Prep, PrepField, Reply,
    Results, ResultsField, Role, RowId, Sheet, SheetAssessment, SheetField, SheetKind, SheetRef,
    SignatureRecord,
};
use automerge::{
    transaction::Transactable, AutoCommit, AutomergeError, ChangeHash, ObjId, ObjType, ReadDoc,
    ScalarValue, Value, ROOT,
};
use chrono::NaiveDate;
use thiserror::Error;

/// The value of the root `kind` key that marks a goal sheet.
pub const KIND: &str = "goal-sheet";
/// The document layout version this code writes and reads.
pub const SCHEMA: u64 = 1;

/// Why a document cannot be read as, or edited as, a goal sheet.
#[derive(Debug, Error)]
pub enum DocError {
    #[error("the document is empty: it has not arrived yet")]
    Empty,
    #[error("this document is not a goal sheet")]
    NotASheet,
    #[error("this document is not a knowledge base")]
    NotAKnowledgeBase,
    #[error("this sheet was written by a newer version of the app (layout {0}); update the app")]
    NewerSchema(u64),
    #[error("the sheet's {path} is damaged: {problem}")]
    Invalid { path: String, problem: String },
    #[error("no goal row {0} on this sheet")]
    NoSuchRow(RowId),
    #[error("no entry {0} on this sheet (someone may have removed it)")]
    NoSuchItem(ItemId),
    #[error("this is not a valid public key: {0}")]
    BadKey(crate::sign::KeyProblem),
    #[error("the stored document cannot be read: {0}")]
    Load(#[source] AutomergeError),
    #[error(transparent)]
    Automerge(#[from] AutomergeError),
}

fn invalid(path: impl Into<String>, problem: impl Into<String>) -> DocError {
    DocError::Invalid {
        path: path.into(),
        problem: problem.into(),
    }
}

/// The largest weight a goal can have, in percent: weights are shares of 100%.
pub const MAX_WEIGHT: u32 = 100;

/// Marks the author of a change that does not touch what a signature covers.
const OUTSIDE_AGREEMENT: &str = "~ ";

/// One change a person makes to a sheet. Each is applied as one Automerge change.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Header {
        field: SheetField,
        value: String,
    },
    Cycle(Cycle),
    /// Append a row at the end of the table.
    AddGoal(Goal),
    GoalText {
        row: RowId,
        field: GoalField,
        value: String,
    },
    GoalType {
        row: RowId,
        goal_type: GoalType,
    },
    GoalWeight {
        row: RowId,
        weight: u32,
    },
    GoalDeadline {
        row: RowId,
        deadline: Option<NaiveDate>,
    },
    RemoveGoal {
        row: RowId,
    },
    /// Move a row one place up (towards the top) or down.
    MoveGoal {
        row: RowId,
        up: bool,
    },
    Prep {
        field: PrepField,
        value: String,
    },
    AddCheckIn {
        row: RowId,
        check_in: CheckIn,
    },
    CheckInText {
        row: RowId,
        id: ItemId,
        field: CheckInField,
        value: String,
    },
    CheckInDate {
        row: RowId,
        id: ItemId,
        date: NaiveDate,
    },
    CheckInProgress {
        row: RowId,
        id: ItemId,
        progress: u32,
    },
    RemoveCheckIn {
        row: RowId,
        id: ItemId,
    },
    AddMilestone {
        row: RowId,
        milestone: Milestone,
    },
    RemoveMilestone {
        row: RowId,
        id: ItemId,
    },
    GoalTarget {
        row: RowId,
        value: Option<f64>,
    },
    GoalAchieved {
        row: RowId,
        value: Option<f64>,
    },
    GoalDirection {
        row: RowId,
        direction: Direction,
    },
    /// Whether results above target count as 100 at most.
    SetCap(bool),
    /// The quantitative share of the final score, in percent.
    SetQuantitativeShare(u32),
    AddDeduction(Deduction),
    DeductionReason {
        id: ItemId,
        value: String,
    },
    DeductionPoints {
        id: ItemId,
        points: u32,
    },
    DeductionDimension {
        id: ItemId,
        dimension: Dimension,
    },
    RemoveDeduction {
        id: ItemId,
    },
    /// A person joins the sheet as one of its parties.
    ClaimRole {
        role: Role,
        party: Party,
    },
    /// Store a signature (made by `sign::sign`).
    Sign(SignatureRecord),
    RaiseObjection(Objection),
    ReplyToObjection {
        id: ItemId,
        reply: Reply,
    },
    SetObjectionStatus {
        id: ItemId,
        status: ObjectionStatus,
    },
    SetKind(SheetKind),
    /// Attach an employee's sheet to a department sheet (or detach it).
    SetDepartment(Option<SheetRef>),
    /// On a department sheet: record an employee sheet whose goals link here.
    AddMember(SheetRef),
    SetKnowledgeBase(String),
    /// Link a goal to a department goal (or unlink it).
    LinkGoal {
        row: RowId,
        link: Option<GoalLink>,
    },
    MissCause {
        row: RowId,
        cause: Option<Cause>,
    },
    MissPlan {
        row: RowId,
        value: String,
    },
    ResultsText {
        field: ResultsField,
        value: String,
    },
    AddDevItem(DevItem),
    DevItemText {
        id: ItemId,
        value: String,
    },
    RemoveDevItem {
        id: ItemId,
    },
    SetPrevious(String),
    SetNext(String),
    /// Put back what a removal took out (undo), with its id, its place and its order.
    Restore(Removed),
}

/// What a removal takes out of a sheet, as the sheet shows it, so that it can be put back: see
/// [`Removed::by`] and [`Edit::Restore`]. An entry another device wrote in a form this app
/// cannot read (see [`Damage`]) is not part of it.
#[derive(Debug, Clone, PartialEq)]
pub enum Removed {
    /// A goal row with everything under it (check-ins, milestones, assessment, link, analysis),
    /// and its place in the table.
    Goal {
        goal: Goal,
        index: usize,
    },
    CheckIn {
        row: RowId,
        check_in: CheckIn,
    },
    Milestone {
        row: RowId,
        milestone: Milestone,
    },
    Deduction {
        deduction: Deduction,
        index: usize,
    },
    DevItem {
        item: DevItem,
        index: usize,
    },
}

impl Removed {
    /// What `edit` takes out of `sheet`; `None` when it is not a removal, or what it removes is
    /// not on the sheet.
    pub fn by(edit: &Edit, sheet: &Sheet) -> Option<Removed> {
        let goal = |row: &RowId| sheet.goals.iter().find(|g| g.id == *row);
        match edit {
            Edit::RemoveGoal { row } => {
                let index = sheet.goals.iter().position(|g| g.id == *row)?;
                Some(Removed::Goal {
                    goal: sheet.goals[index].clone(),
                    index,
                })
            }
            Edit::RemoveCheckIn { row, id } => Some(Removed::CheckIn {
                row: row.clone(),
                check_in: goal(row)?.check_ins.iter().find(|c| c.id == *id)?.clone(),
            }),
            Edit::RemoveMilestone { row, id } => Some(Removed::Milestone {
                row: row.clone(),
                milestone: goal(row)?.milestones.iter().find(|m| m.id == *id)?.clone(),
            }),
            Edit::RemoveDeduction { id } => {
                let list = &sheet.assessment.deductions;
                let index = list.iter().position(|d| d.id == *id)?;
                Some(Removed::Deduction {
                    deduction: list[index].clone(),
                    index,
                })
            }
            Edit::RemoveDevItem { id } => {
                let index = sheet.development.iter().position(|d| d.id == *id)?;
                Some(Removed::DevItem {
                    item: sheet.development[index].clone(),
                    index,
                })
            }
            _ => None,
        }
    }
}

impl Edit {
    /// Whether the edit changes what a signature covers (see `sign::canonical`): the cycle, the
    /// parties and the Template 1 rows. Reordering rows does not (rows are signed by id).
    pub fn changes_agreement(&self) -> bool {
        match self {
            Edit::Header { field, .. } => *field != SheetField::Title,
            Edit::Cycle(_)
            | Edit::AddGoal(_)
            | Edit::GoalText { .. }
            | Edit::GoalType { .. }
            | Edit::GoalWeight { .. }
            | Edit::GoalDeadline { .. }
            | Edit::RemoveGoal { .. }
            | Edit::Restore(Removed::Goal { .. })
            | Edit::ClaimRole { .. } => true,
            _ => false,
        }
    }
}

/// A goal sheet document: reads [`Sheet`]s out and applies [`Edit`]s in.
#[derive(Debug, Clone)]
pub struct SheetDoc {
    doc: AutoCommit,
}

impl Default for SheetDoc {
    fn default() -> Self {
        SheetDoc::empty()
    }
}

impl SheetDoc {
    /// A document with no changes at all: the placeholder for a sheet that is still to arrive
    /// from another peer. It must not be edited before it arrives (see [`SheetDoc::is_empty`]).
    pub fn empty() -> SheetDoc {
        SheetDoc {
            doc: AutoCommit::new(),
        }
    }

    /// A new sheet with the given header and no goals.
    pub fn create(new: &NewSheet) -> Result<SheetDoc, DocError> {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "kind", KIND)?;
        doc.put(ROOT, "schema", SCHEMA)?;
        for (field, value) in [
            (SheetField::Title, &new.title),
            (SheetField::Employee, &new.employee),
            (SheetField::Manager, &new.manager),
        ] {
            let text = doc.put_object(ROOT, field.key(), ObjType::Text)?;
            doc.splice_text(&text, 0, 0, value.trim())?;
        }
        write_cycle(&mut doc, &new.cycle)?;
        doc.put_object(ROOT, "goals", ObjType::Map)?;
        // Every map that two people may add to is made here, once: maps made concurrently on
        // two devices would conflict, and only one would be seen.
        doc.put_object(ROOT, "prep", ObjType::Map)?;
        let assessment = doc.put_object(ROOT, "assessment", ObjType::Map)?;
        doc.put_object(&assessment, "deductions", ObjType::Map)?;
        doc.put_object(ROOT, "parties", ObjType::Map)?;
        doc.put_object(ROOT, "signatures", ObjType::Map)?;
        doc.put_object(ROOT, "objections", ObjType::Map)?;
        doc.put_object(ROOT, "members", ObjType::Map)?;
        doc.put_object(ROOT, "results", ObjType::Map)?;
        doc.put_object(ROOT, "development", ObjType::Map)?;
        doc.commit_with(
            automerge::transaction::CommitOptions::default().with_message("create sheet"),
        );
        Ok(SheetDoc { doc })
    }

    /// Load a document from its saved bytes (a full save, possibly followed by incremental ones).
    pub fn load(bytes: &[u8]) -> Result<SheetDoc, DocError> {
        AutoCommit::load(bytes)
            .map(|doc| SheetDoc { doc })
            .map_err(DocError::Load)
    }

    pub fn from_automerge(doc: AutoCommit) -> SheetDoc {
        SheetDoc { doc }
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        &mut self.doc
    }

    /// The whole document, compressed.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// True for a document with no changes: nothing has arrived yet.
    pub fn is_empty(&mut self) -> bool {
        self.doc.get_heads().is_empty()
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// An independent copy with its own actor, as another device would have.
    pub fn fork(&mut self) -> SheetDoc {
        SheetDoc {
            doc: self.doc.fork(),
        }
    }

    /// The document as it was at `heads` (hex change hashes), or `None` if this copy does not
    /// have that version.
    pub fn at_version(&mut self, heads: &[String]) -> Option<SheetDoc> {
        let heads: Vec<ChangeHash> = heads
            .iter()
            .map(|h| h.parse().ok())
            .collect::<Option<_>>()?;
        if heads.is_empty()
            || heads
                .iter()
                .any(|h| self.doc.get_change_by_hash(h).is_none())
        {
            return None;
        }
        self.doc.fork_at(&heads).ok().map(|doc| SheetDoc { doc })
    }

    /// The authors recorded on changes to the agreement made since `heads`, each once, in order of first change.
    pub fn authors_since(&mut self, heads: &[String]) -> Vec<String> {
        let heads: Vec<ChangeHash> = heads.iter().filter_map(|h| h.parse().ok()).collect();
        let mut out: Vec<String> = Vec::new();
        for change in self.doc.get_changes(&heads) {
            if let Some(m) = change
                .message()
                .filter(|m| !m.starts_with(OUTSIDE_AGREEMENT))
            {
                if !out.iter().any(|a| a == m) {
                    out.push(m.to_owned());
                }
            }
        }
        out
    }

    /// The current heads as hex strings.
    pub fn heads_hex(&mut self) -> Vec<String> {
        self.doc
            .get_heads()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Merge another copy of this document into this one (another tab's save, say).
    pub fn merge(&mut self, other: &mut SheetDoc) -> Result<(), DocError> {
        self.doc.merge(&mut other.doc)?;
        Ok(())
    }

    /// The sheet as it stands.
    pub fn read(&self) -> Result<Sheet, DocError> {
        read_sheet(&self.doc)
    }

    /// Apply one edit as one change. An edit that changes nothing (the same text typed again)
    /// makes no change.
    pub fn apply(&mut self, edit: Edit) -> Result<(), DocError> {
        self.apply_by(edit, None)
    }

    /// Apply one edit as one change, recording who made it (shown as "changed by" later).
    pub fn apply_by(&mut self, edit: Edit, author: Option<&str>) -> Result<(), DocError> {
        let result = apply_edit(&mut self.doc, &edit);
        match result {
            Ok(()) => {
                let mut options = automerge::transaction::CommitOptions::default();
                if let Some(author) = author {
                    // Changes outside the agreement are marked, so that "changed since signing
                    // by" names only those who changed what was signed.
                    if edit.changes_agreement() {
                        options.set_message(author);
                    } else {
                        options.set_message(format!("{OUTSIDE_AGREEMENT}{author}"));
                    }
                }
                self.doc.commit_with(options);
                Ok(())
            }
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }
}

fn apply_edit(doc: &mut AutoCommit, edit: &Edit) -> Result<(), DocError> {
    match edit {
        Edit::Header { field, value } => set_text(doc, &ROOT, field.key(), value),
        Edit::Cycle(cycle) => write_cycle(doc, cycle),
        Edit::AddGoal(goal) => {
            let goals = goals_obj(doc)?;
            let pos = ordered_rows(doc, &goals)?
                .last()
                .map(|(_, _, pos)| pos + 1.0)
                .unwrap_or(0.0);
            write_goal(doc, &goals, goal, pos, Seq::Next)
        }
        Edit::GoalText { row, field, value } => {
            let obj = row_obj(doc, row)?;
            set_text(doc, &obj, field.key(), value)
        }
        Edit::GoalType { row, goal_type } => {
            let obj = row_obj(doc, row)?;
            doc.put(&obj, "type", goal_type.as_str())?;
            Ok(())
        }
        Edit::GoalWeight { row, weight } => {
            let obj = row_obj(doc, row)?;
            doc.put(&obj, "weight", u64::from((*weight).min(MAX_WEIGHT)))?;
            Ok(())
        }
        Edit::GoalDeadline { row, deadline } => {
            let obj = row_obj(doc, row)?;
            put_date(doc, &obj, "deadline", *deadline)
        }
        Edit::RemoveGoal { row } => {
            let goals = goals_obj(doc)?;
            if doc.get(&goals, row.as_str())?.is_none() {
                return Err(DocError::NoSuchRow(row.clone()));
            }
            doc.delete(&goals, row.as_str())?;
            Ok(())
        }
        Edit::MoveGoal { row, up } => move_goal(doc, row, *up),
        Edit::Prep { field, value } => {
            let prep = child_map(doc, &ROOT, "prep")?;
            set_text(doc, &prep, field.key(), value)
        }
        Edit::AddCheckIn { row, check_in } => {
            let obj = row_obj(doc, row)?;
            write_check_in(doc, &obj, check_in, Seq::Next)
        }
        Edit::CheckInText {
            row,
            id,
            field,
            value,
        } => {
            let obj = item_obj(doc, row, "checkins", id)?;
            set_text(doc, &obj, field.key(), value)
        }
        Edit::CheckInDate { row, id, date } => {
            let obj = item_obj(doc, row, "checkins", id)?;
            put_date(doc, &obj, "date", Some(*date))
        }
        Edit::CheckInProgress { row, id, progress } => {
            let obj = item_obj(doc, row, "checkins", id)?;
            doc.put(&obj, "progress", u64::from((*progress).min(100)))?;
            Ok(())
        }
        Edit::RemoveCheckIn { row, id } => remove_item(doc, row, "checkins", id),
        Edit::AddMilestone { row, milestone } => {
            let obj = row_obj(doc, row)?;
            write_milestone(doc, &obj, milestone)
        }
        Edit::RemoveMilestone { row, id } => remove_item(doc, row, "milestones", id),
        Edit::GoalTarget { row, value } => {
            let obj = row_obj(doc, row)?;
            put_number(doc, &obj, "target", *value)
        }
        Edit::GoalAchieved { row, value } => {
            let obj = row_obj(doc, row)?;
            put_number(doc, &obj, "achieved", *value)
        }
        Edit::GoalDirection { row, direction } => {
            let obj = row_obj(doc, row)?;
            doc.put(&obj, "direction", direction.as_str())?;
            Ok(())
        }
        Edit::SetCap(cap) => {
            let a = child_map(doc, &ROOT, "assessment")?;
            doc.put(&a, "cap", *cap)?;
            Ok(())
        }
        Edit::SetQuantitativeShare(share) => {
            let a = child_map(doc, &ROOT, "assessment")?;
            doc.put(&a, "quant_share", u64::from((*share).min(100)))?;
            Ok(())
        }
        Edit::AddDeduction(d) => {
            let list = deduction_list(doc)?;
            let pos = max_pos(doc, &list)?.map_or(0.0, |p| p + 1.0);
            write_deduction(doc, &list, d, pos)
        }
        Edit::DeductionReason { id, value } => {
            let obj = deduction_obj(doc, id)?;
            set_text(doc, &obj, "reason", value)
        }
        Edit::DeductionPoints { id, points } => {
            let obj = deduction_obj(doc, id)?;
            doc.put(&obj, "points", u64::from((*points).min(100)))?;
            Ok(())
        }
        Edit::DeductionDimension { id, dimension } => {
            let obj = deduction_obj(doc, id)?;
            doc.put(&obj, "dimension", dimension.as_str())?;
            Ok(())
        }
        Edit::RemoveDeduction { id } => {
            let a = child_map(doc, &ROOT, "assessment")?;
            let (list, _) = find_item(doc, &a, "deductions", id)?;
            doc.delete(&list, id.as_str())?;
            Ok(())
        }
        Edit::ClaimRole { role, party } => {
            crate::sign::check_key(&party.key).map_err(DocError::BadKey)?;
            let parties = child_map(doc, &ROOT, "parties")?;
            let obj = doc.put_object(&parties, role.as_str(), ObjType::Map)?;
            doc.put(&obj, "key", party.key.as_str())?;
            doc.put(&obj, "name", party.name.as_str())?;
            Ok(())
        }
        Edit::Sign(sig) => {
            let signatures = child_map(doc, &ROOT, "signatures")?;
            let obj = doc.put_object(&signatures, sig.role.as_str(), ObjType::Map)?;
            doc.put(&obj, "key", sig.key.as_str())?;
            doc.put(&obj, "name", sig.name.as_str())?;
            doc.put(&obj, "at", sig.at.as_str())?;
            doc.put(&obj, "sig", sig.sig.as_str())?;
            doc.put(&obj, "heads", sig.heads.join(","))?;
            Ok(())
        }
        Edit::RaiseObjection(o) => {
            let list = child_map(doc, &ROOT, "objections")?;
            let obj = doc.put_object(&list, o.id.as_str(), ObjType::Map)?;
            doc.put(&obj, "row", o.row.as_str())?;
            doc.put(&obj, "by", o.by.as_str())?;
            doc.put(&obj, "name", o.name.as_str())?;
            let reason = doc.put_object(&obj, "reason", ObjType::Text)?;
            doc.splice_text(&reason, 0, 0, &o.reason)?;
            doc.put(&obj, "at", o.at.as_str())?;
            doc.put(&obj, "status", o.status.as_str())?;
            let replies = doc.put_object(&obj, "replies", ObjType::Map)?;
            for r in &o.replies {
                write_reply(doc, &replies, r)?;
            }
            Ok(())
        }
        Edit::ReplyToObjection { id, reply } => {
            let (_, obj) = find_item(doc, &ROOT, "objections", id)?;
            let replies = child_map(doc, &obj, "replies")?;
            write_reply(doc, &replies, reply)
        }
        Edit::SetObjectionStatus { id, status } => {
            let (_, obj) = find_item(doc, &ROOT, "objections", id)?;
            doc.put(&obj, "status", status.as_str())?;
            Ok(())
        }
        Edit::SetKind(kind) => {
            doc.put(ROOT, "sheet_kind", kind.as_str())?;
            Ok(())
        }
        Edit::SetDepartment(dept) => {
            match dept {
                Some(r) => {
                    let obj = doc.put_object(ROOT, "department", ObjType::Map)?;
                    doc.put(&obj, "sheet", r.sheet.as_str())?;
                    doc.put(&obj, "name", r.name.as_str())?;
                }
                None => doc.delete(ROOT, "department")?,
            }
            Ok(())
        }
        Edit::AddMember(r) => {
            let members = child_map(doc, &ROOT, "members")?;
            doc.put(&members, r.sheet.as_str(), r.name.as_str())?;
            Ok(())
        }
        Edit::SetKnowledgeBase(id) => {
            doc.put(ROOT, "knowledge_base", id.as_str())?;
            Ok(())
        }
        Edit::LinkGoal { row, link } => {
            let obj = row_obj(doc, row)?;
            match link {
                Some(l) => write_link(doc, &obj, l)?,
                None => doc.delete(&obj, "link")?,
            }
            Ok(())
        }
        Edit::MissCause { row, cause } => {
            let obj = row_obj(doc, row)?;
            match cause {
                Some(c) => doc.put(&obj, "miss_cause", c.as_str())?,
                None => doc.put(&obj, "miss_cause", ScalarValue::Null)?,
            }
            Ok(())
        }
        Edit::MissPlan { row, value } => {
            let obj = row_obj(doc, row)?;
            set_text(doc, &obj, "miss_plan", value)
        }
        Edit::ResultsText { field, value } => {
            let obj = child_map(doc, &ROOT, "results")?;
            set_text(doc, &obj, field.key(), value)
        }
        Edit::AddDevItem(item) => {
            let list = child_map(doc, &ROOT, "development")?;
            let pos = max_pos(doc, &list)?.map_or(0.0, |p| p + 1.0);
            write_dev_item(doc, &list, item, pos)
        }
        Edit::DevItemText { id, value } => {
            let (_, obj) = find_item(doc, &ROOT, "development", id)?;
            set_text(doc, &obj, "text", value)
        }
        Edit::RemoveDevItem { id } => {
            let (list, _) = find_item(doc, &ROOT, "development", id)?;
            doc.delete(&list, id.as_str())?;
            Ok(())
        }
        Edit::SetPrevious(id) => {
            doc.put(ROOT, "previous", id.as_str())?;
            Ok(())
        }
        Edit::SetNext(id) => {
            doc.put(ROOT, "next", id.as_str())?;
            Ok(())
        }
        Edit::Restore(removed) => restore(doc, removed),
    }
}

/// The map at `key` under `parent`, made if missing.
fn child_map(doc: &mut AutoCommit, parent: &ObjId, key: &str) -> Result<ObjId, DocError> {
    match doc.get(parent, key)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Ok(doc.put_object(parent, key, ObjType::Map)?),
    }
}

fn existing_map<R: ReadDoc>(doc: &R, parent: &ObjId, key: &str) -> Result<Option<ObjId>, DocError> {
    Ok(match doc.get(parent, key)? {
        Some((Value::Object(ObjType::Map), id)) => Some(id),
        _ => None,
    })
}

/// Every map at `key` under `parent`: one, or several when two devices made it at once (an
/// older sheet, or a row from before these lists existed). Reading their union loses nothing
/// either device added.
fn all_maps<R: ReadDoc>(doc: &R, parent: &ObjId, key: &str) -> Result<Vec<ObjId>, DocError> {
    Ok(doc
        .get_all(parent, key)?
        .into_iter()
        .filter_map(|(v, id)| matches!(v, Value::Object(ObjType::Map)).then_some(id))
        .collect())
}

/// The list map holding item `id` and the item's own map, in any of the conflicting lists.
fn find_item<R: ReadDoc>(
    doc: &R,
    parent: &ObjId,
    list: &str,
    id: &ItemId,
) -> Result<(ObjId, ObjId), DocError> {
    for l in all_maps(doc, parent, list)? {
        if let Some(item) = existing_map(doc, &l, id.as_str())? {
            return Ok((l, item));
        }
    }
    Err(DocError::NoSuchItem(id.clone()))
}

fn item_obj(doc: &AutoCommit, row: &RowId, list: &str, id: &ItemId) -> Result<ObjId, DocError> {
    let row_obj = row_obj(doc, row)?;
    Ok(find_item(doc, &row_obj, list, id)?.1)
}

fn remove_item(doc: &mut AutoCommit, row: &RowId, list: &str, id: &ItemId) -> Result<(), DocError> {
    let row_obj = row_obj(doc, row)?;
    let (list, _) = find_item(doc, &row_obj, list, id)?;
    doc.delete(&list, id.as_str())?;
    Ok(())
}

fn deduction_list(doc: &mut AutoCommit) -> Result<ObjId, DocError> {
    let a = child_map(doc, &ROOT, "assessment")?;
    child_map(doc, &a, "deductions")
}

fn deduction_obj(doc: &mut AutoCommit, id: &ItemId) -> Result<ObjId, DocError> {
    let a = child_map(doc, &ROOT, "assessment")?;
    Ok(find_item(doc, &a, "deductions", id)?.1)
}

fn max_pos(doc: &AutoCommit, list: &ObjId) -> Result<Option<f64>, DocError> {
    let mut max = None::<f64>;
    for key in doc.keys(list) {
        if let Some((Value::Object(ObjType::Map), obj)) = doc.get(list, &key)? {
            if let Some((Value::Scalar(s), _)) = doc.get(&obj, "pos")? {
                if let Some(p) = scalar_f64(&s) {
                    max = Some(max.map_or(p, |m: f64| m.max(p)));
                }
            }
        }
    }
    Ok(max)
}

fn write_check_in(
    doc: &mut AutoCommit,
    row: &ObjId,
    c: &CheckIn,
    seq: Seq,
) -> Result<(), DocError> {
    let seq = match seq {
        Seq::Keep => c.seq,
        // One more than any check-in of this goal this copy has: a check-in made after
        // another on the same date sorts after it. Two made at once on two devices may share
        // a number; their ids then order them the same way everywhere.
        Seq::Next => {
            let mut seq = 0;
            for (_, item) in items(doc, row, "checkins")? {
                seq = seq.max(read_u64(doc, &item, "seq")?.unwrap_or(0));
            }
            seq.saturating_add(1)
        }
    };
    let list = child_map(doc, row, "checkins")?;
    let obj = doc.put_object(&list, c.id.as_str(), ObjType::Map)?;
    put_date(doc, &obj, "date", Some(c.date))?;
    doc.put(&obj, "seq", seq)?;
    doc.put(&obj, "progress", u64::from(c.progress.min(100)))?;
    for field in CheckInField::ALL {
        let text = doc.put_object(&obj, field.key(), ObjType::Text)?;
        doc.splice_text(&text, 0, 0, c.text(field))?;
    }
    Ok(())
}

/// Write a whole goal row at `pos`, with everything under it.
fn write_goal(
    doc: &mut AutoCommit,
    goals: &ObjId,
    goal: &Goal,
    pos: f64,
    seq: Seq,
) -> Result<(), DocError> {
    let row = doc.put_object(goals, goal.id.as_str(), ObjType::Map)?;
    doc.put(&row, "type", goal.goal_type.as_str())?;
    for field in GoalField::ALL {
        let text = doc.put_object(&row, field.key(), ObjType::Text)?;
        doc.splice_text(&text, 0, 0, goal.text(field))?;
    }
    doc.put(&row, "weight", u64::from(goal.weight.min(MAX_WEIGHT)))?;
    put_date(doc, &row, "deadline", goal.deadline)?;
    doc.put(&row, "pos", pos)?;
    doc.put_object(&row, "checkins", ObjType::Map)?;
    doc.put_object(&row, "milestones", ObjType::Map)?;
    put_number(doc, &row, "target", goal.assessment.target)?;
    put_number(doc, &row, "achieved", goal.assessment.achieved)?;
    doc.put(&row, "direction", goal.assessment.direction.as_str())?;
    for c in &goal.check_ins {
        write_check_in(doc, &row, c, seq)?;
    }
    for m in &goal.milestones {
        write_milestone(doc, &row, m)?;
    }
    if let Some(l) = &goal.link {
        write_link(doc, &row, l)?;
    }
    if let Some(c) = goal.miss.cause {
        doc.put(&row, "miss_cause", c.as_str())?;
    }
    if !goal.miss.plan.is_empty() {
        let t = doc.put_object(&row, "miss_plan", ObjType::Text)?;
        doc.splice_text(&t, 0, 0, &goal.miss.plan)?;
    }
    Ok(())
}

/// The place to give an entry put back at `index` of `list` (a map of entries ordered by
/// `pos`): between its neighbours there.
fn pos_at(doc: &AutoCommit, list: &ObjId, index: usize) -> Result<f64, DocError> {
    let rows = ordered_rows(doc, list)?;
    let index = index.min(rows.len());
    let before = index.checked_sub(1).and_then(|i| rows.get(i));
    Ok(match (before, rows.get(index)) {
        (None, None) => 0.0,
        (None, Some(next)) => next.2 - 1.0,
        (Some(prev), None) => prev.2 + 1.0,
        (Some(prev), Some(next)) => prev.2 + (next.2 - prev.2) / 2.0,
    })
}

fn restore(doc: &mut AutoCommit, removed: &Removed) -> Result<(), DocError> {
    // Put back only what is not there: a second undo, or one from another device, is a no-op.
    match removed {
        Removed::Goal { goal, index } => {
            let goals = goals_obj(doc)?;
            if doc.get(&goals, goal.id.as_str())?.is_some() {
                return Ok(());
            }
            let pos = pos_at(doc, &goals, *index)?;
            write_goal(doc, &goals, goal, pos, Seq::Keep)
        }
        Removed::CheckIn { row, check_in } => {
            let obj = row_obj(doc, row)?;
            if find_item(doc, &obj, "checkins", &check_in.id).is_ok() {
                return Ok(());
            }
            write_check_in(doc, &obj, check_in, Seq::Keep)
        }
        Removed::Milestone { row, milestone } => {
            let obj = row_obj(doc, row)?;
            if find_item(doc, &obj, "milestones", &milestone.id).is_ok() {
                return Ok(());
            }
            write_milestone(doc, &obj, milestone)
        }
        Removed::Deduction { deduction, index } => {
            let a = child_map(doc, &ROOT, "assessment")?;
            if find_item(doc, &a, "deductions", &deduction.id).is_ok() {
                return Ok(());
            }
            let list = deduction_list(doc)?;
            let pos = pos_at(doc, &list, *index)?;
            write_deduction(doc, &list, deduction, pos)
        }
        Removed::DevItem { item, index } => {
            if find_item(doc, &ROOT, "development", &item.id).is_ok() {
                return Ok(());
            }
            let list = child_map(doc, &ROOT, "development")?;
            let pos = pos_at(doc, &list, *index)?;
            write_dev_item(doc, &list, item, pos)
        }
    }
}

fn write_deduction(
    doc: &mut AutoCommit,
    list: &ObjId,
    d: &Deduction,
    pos: f64,
) -> Result<(), DocError> {
    let obj = doc.put_object(list, d.id.as_str(), ObjType::Map)?;
    doc.put(&obj, "dimension", d.dimension.as_str())?;
    let reason = doc.put_object(&obj, "reason", ObjType::Text)?;
    doc.splice_text(&reason, 0, 0, &d.reason)?;
    doc.put(&obj, "points", u64::from(d.points))?;
    doc.put(&obj, "pos", pos)?;
    Ok(())
}

fn write_dev_item(
    doc: &mut AutoCommit,
    list: &ObjId,
    item: &DevItem,
    pos: f64,
) -> Result<(), DocError> {
    let obj = doc.put_object(list, item.id.as_str(), ObjType::Map)?;
    let text = doc.put_object(&obj, "text", ObjType::Text)?;
    doc.splice_text(&text, 0, 0, &item.text)?;
    doc.put(&obj, "pos", pos)?;
    Ok(())
}

/// The order number a check-in is stored with (see [`CheckIn::seq`]).
#[derive(Clone, Copy)]
enum Seq {
    /// One more than any check-in of the goal: a new check-in.
    Next,
    /// The one it has: a check-in put back where it was.
    Keep,
}

fn write_link(doc: &mut AutoCommit, row: &ObjId, l: &GoalLink) -> Result<(), DocError> {
    let m = doc.put_object(row, "link", ObjType::Map)?;
    doc.put(&m, "sheet", l.sheet.as_str())?;
    doc.put(&m, "row", l.row.as_str())?;
    doc.put(&m, "name", l.name.as_str())?;
    Ok(())
}

fn write_reply(doc: &mut AutoCommit, replies: &ObjId, r: &Reply) -> Result<(), DocError> {
    let obj = doc.put_object(replies, r.id.as_str(), ObjType::Map)?;
    doc.put(&obj, "by", r.by.as_str())?;
    doc.put(&obj, "name", r.name.as_str())?;
    let text = doc.put_object(&obj, "text", ObjType::Text)?;
    doc.splice_text(&text, 0, 0, &r.text)?;
    doc.put(&obj, "at", r.at.as_str())?;
    Ok(())
}

fn write_milestone(doc: &mut AutoCommit, row: &ObjId, m: &Milestone) -> Result<(), DocError> {
    let list = child_map(doc, row, "milestones")?;
    let obj = doc.put_object(&list, m.id.as_str(), ObjType::Map)?;
    put_date(doc, &obj, "date", Some(m.date))?;
    doc.put(&obj, "progress", u64::from(m.progress.min(100)))?;
    Ok(())
}

fn put_number(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: Option<f64>,
) -> Result<(), DocError> {
    match value {
        Some(v) if v.is_finite() => doc.put(obj, key, v)?,
        _ => doc.put(obj, key, ScalarValue::Null)?,
    }
    Ok(())
}

/// Swap a row's position with its neighbour's. Rows that share a position (two people appended
/// at once) are first renumbered 0, 1, 2… in their display order so that the swap moves them.
fn move_goal(doc: &mut AutoCommit, row: &RowId, up: bool) -> Result<(), DocError> {
    let goals = goals_obj(doc)?;
    let mut rows = ordered_rows(doc, &goals)?;
    let index = rows
        .iter()
        .position(|(id, _, _)| id == row)
        .ok_or_else(|| DocError::NoSuchRow(row.clone()))?;
    let other = if up {
        match index.checked_sub(1) {
            Some(i) => i,
            None => return Ok(()),
        }
    } else if index + 1 < rows.len() {
        index + 1
    } else {
        return Ok(());
    };
    let distinct = rows.windows(2).all(|w| w[0].2 < w[1].2);
    if !distinct {
        for (i, (_, obj, pos)) in rows.iter_mut().enumerate() {
            *pos = i as f64;
            doc.put(&*obj, "pos", *pos)?;
        }
    }
    let (a, b) = (rows[index].clone(), rows[other].clone());
    doc.put(&a.1, "pos", b.2)?;
    doc.put(&b.1, "pos", a.2)?;
    Ok(())
}

fn goals_obj(doc: &mut AutoCommit) -> Result<ObjId, DocError> {
    match doc.get(ROOT, "goals")? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        Some(_) => Err(invalid("goal table", "it is not a map")),
        None => Ok(doc.put_object(ROOT, "goals", ObjType::Map)?),
    }
}

fn row_obj(doc: &AutoCommit, row: &RowId) -> Result<ObjId, DocError> {
    let goals = match doc.get(ROOT, "goals")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => return Err(DocError::NoSuchRow(row.clone())),
    };
    match doc.get(&goals, row.as_str())? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(DocError::NoSuchRow(row.clone())),
    }
}

/// Rows in display order: by position, ties broken by id so every peer agrees.
fn ordered_rows<R: ReadDoc>(doc: &R, goals: &ObjId) -> Result<Vec<(RowId, ObjId, f64)>, DocError> {
    let mut rows = Vec::new();
    for key in doc.keys(goals) {
        if let Some((Value::Object(ObjType::Map), obj)) = doc.get(goals, &key)? {
            let pos = match doc.get(&obj, "pos")? {
                Some((Value::Scalar(s), _)) => scalar_f64(&s).unwrap_or(0.0),
                _ => 0.0,
            };
            rows.push((RowId::from_stored(&key), obj, pos));
        }
    }
    crate::sort::sort_by(&mut rows, |a, b| {
        a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0))
    });
    Ok(rows)
}

/// Replace a text field's content with `value`, as the smallest splice that gets there, so that a
/// concurrent edit elsewhere in the same field survives.
fn set_text(doc: &mut AutoCommit, obj: &ObjId, key: &str, value: &str) -> Result<(), DocError> {
    match doc.get(obj, key)? {
        Some((Value::Object(ObjType::Text), text)) => {
            if doc.text(&text)? != value {
                doc.update_text(&text, value)?;
            }
        }
        _ => {
            let text = doc.put_object(obj, key, ObjType::Text)?;
            doc.splice_text(&text, 0, 0, value)?;
        }
    }
    Ok(())
}

fn write_cycle(doc: &mut AutoCommit, cycle: &Cycle) -> Result<(), DocError> {
    let obj = match doc.get(ROOT, "cycle")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "cycle", ObjType::Map)?,
    };
    doc.put(&obj, "kind", cycle.kind.as_str())?;
    put_date(doc, &obj, "start", Some(cycle.start))?;
    put_date(doc, &obj, "end", Some(cycle.end))?;
    Ok(())
}

fn put_date(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    date: Option<NaiveDate>,
) -> Result<(), DocError> {
    match date {
        Some(d) => doc.put(obj, key, crate::date::format_iso(d))?,
        None => doc.put(obj, key, ScalarValue::Null)?,
    }
    Ok(())
}

fn scalar_f64(s: &ScalarValue) -> Option<f64> {
    match s {
        ScalarValue::F64(f) => Some(*f),
        ScalarValue::Int(i) => Some(*i as f64),
        ScalarValue::Uint(u) => Some(*u as f64),
        _ => None,
    }
}

fn read_sheet<R: ReadDoc>(doc: &R) -> Result<Sheet, DocError> {
    if doc.keys(ROOT).next().is_none() {
        return Err(DocError::Empty);
    }
    match doc.get(ROOT, "kind")? {
        Some((Value::Scalar(s), _)) if s.as_str() == Some(KIND) => {}
        _ => return Err(DocError::NotASheet),
    }
    match doc.get(ROOT, "schema")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(v) if *v > SCHEMA => return Err(DocError::NewerSchema(*v)),
            ScalarValue::Int(v) if *v > SCHEMA as i64 => {
                return Err(DocError::NewerSchema(*v as u64))
            }
            _ => {}
        },
        _ => return Err(invalid("layout version", "it is missing")),
    }
    let cycle = read_cycle(doc)?;
    let mut goals = Vec::new();
    let mut damaged = Vec::new();
    if let Some((Value::Object(ObjType::Map), goals_id)) = doc.get(ROOT, "goals")? {
        for (id, obj, _) in ordered_rows(doc, &goals_id)? {
            goals.push(read_goal(doc, id, &obj, &mut damaged)?);
        }
    }
    Ok(Sheet {
        title: read_text(doc, &ROOT, "title")?,
        employee: read_text(doc, &ROOT, "employee")?,
        manager: read_text(doc, &ROOT, "manager")?,
        cycle,
        goals,
        prep: read_prep(doc)?,
        assessment: read_assessment(doc)?,
        parties: read_parties(doc)?,
        signatures: read_signatures(doc)?,
        objections: read_objections(doc)?,
        kind: read_str(doc, &ROOT, "sheet_kind")?
            .and_then(|s| SheetKind::parse(&s))
            .unwrap_or_default(),
        department: match existing_map(doc, &ROOT, "department")? {
            Some(obj) => read_str(doc, &obj, "sheet")?.map(|sheet| SheetRef {
                sheet,
                name: read_str(doc, &obj, "name")
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            }),
            None => None,
        },
        members: read_members(doc)?,
        knowledge_base: read_str(doc, &ROOT, "knowledge_base")?.filter(|s| !s.is_empty()),
        results: read_results(doc)?,
        development: read_development(doc)?,
        previous: read_str(doc, &ROOT, "previous")?.filter(|s| !s.is_empty()),
        next: read_str(doc, &ROOT, "next")?.filter(|s| !s.is_empty()),
        damaged,
    })
}

fn read_members<R: ReadDoc>(doc: &R) -> Result<Vec<SheetRef>, DocError> {
    let mut out: Vec<SheetRef> = Vec::new();
    for list in all_maps(doc, &ROOT, "members")? {
        for key in doc.keys(&list) {
            if out.iter().any(|m| m.sheet == key) {
                continue;
            }
            let name = read_str(doc, &list, &key)?.unwrap_or_default();
            out.push(SheetRef { sheet: key, name });
        }
    }
    crate::sort::sort_by(&mut out, |a, b| {
        a.name.cmp(&b.name).then_with(|| a.sheet.cmp(&b.sheet))
    });
    Ok(out)
}

fn read_results<R: ReadDoc>(doc: &R) -> Result<Results, DocError> {
    let Some(obj) = existing_map(doc, &ROOT, "results")? else {
        return Ok(Results::default());
    };
    let t = |f: ResultsField| read_text(doc, &obj, f.key());
    Ok(Results {
        pay: t(ResultsField::Pay)?,
        promotion: t(ResultsField::Promotion)?,
        training: t(ResultsField::Training)?,
        interview: t(ResultsField::Interview)?,
    })
}

fn read_development<R: ReadDoc>(doc: &R) -> Result<Vec<DevItem>, DocError> {
    let mut out = Vec::new();
    for (id, obj) in items(doc, &ROOT, "development")? {
        let pos = match doc.get(&obj, "pos")? {
            Some((Value::Scalar(s), _)) => scalar_f64(&s).unwrap_or(0.0),
            _ => 0.0,
        };
        out.push((
            pos,
            DevItem {
                text: read_text(doc, &obj, "text")?,
                id,
            },
        ));
    }
    crate::sort::sort_by(&mut out, |a, b| {
        a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
    });
    Ok(out.into_iter().map(|(_, d)| d).collect())
}

fn read_parties<R: ReadDoc>(doc: &R) -> Result<Parties, DocError> {
    let Some(obj) = existing_map(doc, &ROOT, "parties")? else {
        return Ok(Parties::default());
    };
    let party = |role: Role| -> Result<Option<Party>, DocError> {
        let Some(p) = existing_map(doc, &obj, role.as_str())? else {
            return Ok(None);
        };
        Ok(read_str(doc, &p, "key")?.map(|key| Party {
            key,
            name: read_str(doc, &p, "name").ok().flatten().unwrap_or_default(),
        }))
    };
    Ok(Parties {
        employee: party(Role::Employee)?,
        manager: party(Role::Manager)?,
    })
}

fn read_signatures<R: ReadDoc>(doc: &R) -> Result<Vec<SignatureRecord>, DocError> {
    let Some(obj) = existing_map(doc, &ROOT, "signatures")? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for role in Role::ALL {
        let Some(s) = existing_map(doc, &obj, role.as_str())? else {
            continue;
        };
        let field = |k: &str| read_str(doc, &s, k).map(Option::unwrap_or_default);
        out.push(SignatureRecord {
            role,
            key: field("key")?,
            name: field("name")?,
            at: field("at")?,
            sig: field("sig")?,
            heads: field("heads")?
                .split(',')
                .filter(|h| !h.is_empty())
                .map(str::to_owned)
                .collect(),
        });
    }
    Ok(out)
}

fn read_objections<R: ReadDoc>(doc: &R) -> Result<Vec<Objection>, DocError> {
    let mut out = Vec::new();
    for (id, obj) in items(doc, &ROOT, "objections")? {
        let str_of = |k: &str| read_str(doc, &obj, k).map(Option::unwrap_or_default);
        let mut replies = Vec::new();
        for (rid, r) in items(doc, &obj, "replies")? {
            replies.push(Reply {
                id: rid,
                by: read_str(doc, &r, "by")?
                    .and_then(|s| Role::parse(&s))
                    .unwrap_or(Role::Employee),
                name: read_str(doc, &r, "name")?.unwrap_or_default(),
                text: read_text(doc, &r, "text")?,
                at: read_str(doc, &r, "at")?.unwrap_or_default(),
            });
        }
        crate::sort::sort_by(&mut replies, |a, b| {
            a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
        });
        out.push(Objection {
            row: RowId::from_stored(&str_of("row")?),
            by: Role::parse(&str_of("by")?).unwrap_or(Role::Employee),
            name: str_of("name")?,
            reason: read_text(doc, &obj, "reason")?,
            at: str_of("at")?,
            status: ObjectionStatus::parse(&str_of("status")?).unwrap_or_default(),
            replies,
            id,
        });
    }
    crate::sort::sort_by(&mut out, |a, b| {
        a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}

fn read_prep<R: ReadDoc>(doc: &R) -> Result<Prep, DocError> {
    let Some(obj) = existing_map(doc, &ROOT, "prep")? else {
        return Ok(Prep::default());
    };
    let t = |f: PrepField| read_text(doc, &obj, f.key());
    Ok(Prep {
        strategy: t(PrepField::Strategy)?,
        dept_tasks: t(PrepField::DeptTasks)?,
        duties: t(PrepField::Duties)?,
        last_results: t(PrepField::LastResults)?,
        wishes: t(PrepField::Wishes)?,
    })
}

fn read_uint<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<Option<u32>, DocError> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            // Out of range saturates: a negative number reads as 0, a huge one as u32::MAX
            // (then each caller clamps to its own range).
            ScalarValue::Uint(u) => Some(u32::try_from(*u).unwrap_or(u32::MAX)),
            ScalarValue::Int(i) if *i < 0 => Some(0),
            ScalarValue::Int(i) => Some(u32::try_from(*i).unwrap_or(u32::MAX)),
            ScalarValue::F64(f) if f.is_finite() && *f >= 0.0 => Some(f.round() as u32),
            _ => None,
        },
        _ => None,
    })
}

fn read_u64<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<Option<u64>, DocError> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(u) => Some(*u),
            ScalarValue::Int(i) => Some(u64::try_from(*i).unwrap_or(0)),
            _ => None,
        },
        _ => None,
    })
}

fn read_number<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<Option<f64>, DocError> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => scalar_f64(&s).filter(|f| f.is_finite()),
        _ => None,
    })
}

/// The item maps under `key` (in every conflicting copy of the list), as (id, object) pairs.
fn items<R: ReadDoc>(doc: &R, parent: &ObjId, key: &str) -> Result<Vec<(ItemId, ObjId)>, DocError> {
    let mut out: Vec<(ItemId, ObjId)> = Vec::new();
    for list in all_maps(doc, parent, key)? {
        for k in doc.keys(&list) {
            if out.iter().any(|(id, _)| id.as_str() == k) {
                continue;
            }
            if let Some((Value::Object(ObjType::Map), obj)) = doc.get(&list, &k)? {
                out.push((RowId::from_stored(&k), obj));
            }
        }
    }
    Ok(out)
}

/// A goal's check-ins. One whose date is missing or not a date (written so by another
/// device) is left out and listed in `damaged`, so that the rest of the sheet still reads.
fn read_check_ins<R: ReadDoc>(
    doc: &R,
    row: &ObjId,
    goal: &str,
    damaged: &mut Vec<Damage>,
) -> Result<Vec<CheckIn>, DocError> {
    let mut out = Vec::new();
    for (id, obj) in items(doc, row, "checkins")? {
        let date = match stored_date(doc, &obj, "date")? {
            StoredDate::Date(d) => d,
            StoredDate::Missing => {
                damaged.push(Damage::CheckInDate {
                    goal: goal.to_owned(),
                    value: String::new(),
                });
                continue;
            }
            StoredDate::Bad(value) => {
                damaged.push(Damage::CheckInDate {
                    goal: goal.to_owned(),
                    value,
                });
                continue;
            }
        };
        out.push(CheckIn {
            date,
            seq: read_u64(doc, &obj, "seq")?.unwrap_or(0),
            progress: read_uint(doc, &obj, "progress")?.unwrap_or(0).min(100),
            done: read_text(doc, &obj, CheckInField::Done.key())?,
            problems: read_text(doc, &obj, CheckInField::Problems.key())?,
            solution: read_text(doc, &obj, CheckInField::Solution.key())?,
            next: read_text(doc, &obj, CheckInField::Next.key())?,
            id,
        });
    }
    crate::sort::sort_by(&mut out, crate::progress::check_in_order);
    Ok(out)
}

/// A goal's milestones; one with no readable date is left out and listed in `damaged`.
fn read_milestones<R: ReadDoc>(
    doc: &R,
    row: &ObjId,
    goal: &str,
    damaged: &mut Vec<Damage>,
) -> Result<Vec<Milestone>, DocError> {
    let mut out = Vec::new();
    for (id, obj) in items(doc, row, "milestones")? {
        let date = match stored_date(doc, &obj, "date")? {
            StoredDate::Date(d) => d,
            StoredDate::Missing => {
                damaged.push(Damage::MilestoneDate {
                    goal: goal.to_owned(),
                    value: String::new(),
                });
                continue;
            }
            StoredDate::Bad(value) => {
                damaged.push(Damage::MilestoneDate {
                    goal: goal.to_owned(),
                    value,
                });
                continue;
            }
        };
        out.push(Milestone {
            date,
            progress: read_uint(doc, &obj, "progress")?.unwrap_or(0).min(100),
            id,
        });
    }
    crate::sort::sort_by(&mut out, |a, b| {
        a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}

fn read_assessment<R: ReadDoc>(doc: &R) -> Result<SheetAssessment, DocError> {
    let defaults = SheetAssessment::default();
    let Some(obj) = existing_map(doc, &ROOT, "assessment")? else {
        return Ok(defaults);
    };
    let cap = match doc.get(&obj, "cap")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Boolean(b) => *b,
            _ => defaults.cap,
        },
        _ => defaults.cap,
    };
    let mut deductions = Vec::new();
    for (id, d) in items(doc, &obj, "deductions")? {
        let pos = match doc.get(&d, "pos")? {
            Some((Value::Scalar(s), _)) => scalar_f64(&s).unwrap_or(0.0),
            _ => 0.0,
        };
        deductions.push((
            pos,
            Deduction {
                dimension: read_str(doc, &d, "dimension")?
                    .and_then(|s| Dimension::parse(&s))
                    .unwrap_or_default(),
                reason: read_text(doc, &d, "reason")?,
                points: read_uint(doc, &d, "points")?.unwrap_or(0).min(100),
                id,
            },
        ));
    }
    crate::sort::sort_by(&mut deductions, |a, b| {
        a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
    });
    Ok(SheetAssessment {
        cap,
        quantitative_share: read_uint(doc, &obj, "quant_share")?
            .unwrap_or(defaults.quantitative_share)
            .min(100),
        deductions: deductions.into_iter().map(|(_, d)| d).collect(),
    })
}

fn read_cycle<R: ReadDoc>(doc: &R) -> Result<Cycle, DocError> {
    let obj = match doc.get(ROOT, "cycle")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => return Err(invalid("cycle", "it is missing")),
    };
    let kind = read_str(doc, &obj, "kind")?
        .and_then(|s| CycleKind::parse(&s))
        .ok_or_else(|| invalid("cycle type", "it is not monthly, quarterly or annual"))?;
    let start = read_date(doc, &obj, "start", "cycle start")?
        .ok_or_else(|| invalid("cycle start", "it is missing"))?;
    let end = read_date(doc, &obj, "end", "cycle end")?
        .ok_or_else(|| invalid("cycle end", "it is missing"))?;
    Ok(Cycle { kind, start, end })
}

fn read_goal<R: ReadDoc>(
    doc: &R,
    id: RowId,
    obj: &ObjId,
    damaged: &mut Vec<Damage>,
) -> Result<Goal, DocError> {
    let name = read_text(doc, obj, "name")?;
    let goal_type = read_str(doc, obj, "type")?
        .and_then(|s| GoalType::parse(&s))
        .unwrap_or_default();
    // A weight is a share of 100%: whatever another device stored, it reads as 0–100.
    let weight = read_uint(doc, obj, "weight")?.unwrap_or(0).min(MAX_WEIGHT);
    let deadline = match stored_date(doc, obj, "deadline")? {
        StoredDate::Date(d) => Some(d),
        StoredDate::Missing => None,
        StoredDate::Bad(value) => {
            damaged.push(Damage::Deadline {
                goal: name.clone(),
                value,
            });
            None
        }
    };
    let assessment = GoalAssessment {
        target: read_number(doc, obj, "target")?,
        achieved: read_number(doc, obj, "achieved")?,
        direction: read_str(doc, obj, "direction")?
            .and_then(|s| Direction::parse(&s))
            .unwrap_or_default(),
    };
    let link = match existing_map(doc, obj, "link")? {
        Some(l) => match (read_str(doc, &l, "sheet")?, read_str(doc, &l, "row")?) {
            (Some(sheet), Some(row)) => Some(GoalLink {
                sheet,
                row: RowId::from_stored(&row),
                name: read_str(doc, &l, "name")?.unwrap_or_default(),
            }),
            _ => None,
        },
        None => None,
    };
    let miss = MissAnalysis {
        cause: read_str(doc, obj, "miss_cause")?.and_then(|s| Cause::parse(&s)),
        plan: read_text(doc, obj, "miss_plan")?,
    };
    Ok(Goal {
        check_ins: read_check_ins(doc, obj, &name, damaged)?,
        milestones: read_milestones(doc, obj, &name, damaged)?,
        assessment,
        link,
        miss,
        goal_type,
        name,
        measure: read_text(doc, obj, "measure")?,
        weight,
        deadline,
        owner: read_text(doc, obj, "owner")?,
        support: read_text(doc, obj, "support")?,
        id,
    })
}

/// A text field: Automerge Text, or a plain string written by another client; missing is empty.
fn read_text<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<String, DocError> {
    match doc.get(obj, key)? {
        Some((Value::Object(ObjType::Text), text)) => Ok(doc.text(&text)?),
        Some((Value::Scalar(s), _)) => Ok(s.as_str().unwrap_or_default().to_owned()),
        _ => Ok(String::new()),
    }
}

fn read_str<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<Option<String>, DocError> {
    match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => Ok(s.as_str().map(str::to_owned)),
        Some((Value::Object(ObjType::Text), text)) => Ok(Some(doc.text(&text)?)),
        _ => Ok(None),
    }
}

/// A date field as another device may have left it.
enum StoredDate {
    /// Absent, null or empty.
    Missing,
    Date(NaiveDate),
    /// Anything else, as text.
    Bad(String),
}

fn stored_date<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> Result<StoredDate, DocError> {
    let text = match doc.get(obj, key)? {
        None => return Ok(StoredDate::Missing),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Null => return Ok(StoredDate::Missing),
            ScalarValue::Str(t) => t.to_string(),
            other => return Ok(StoredDate::Bad(other.to_string())),
        },
        Some((Value::Object(ObjType::Text), t)) => doc.text(&t)?,
        Some((Value::Object(_), _)) => return Ok(StoredDate::Bad(String::new())),
    };
    Ok(match text.trim() {
        "" => StoredDate::Missing,
        t => crate::date::parse_iso(t).map_or(StoredDate::Bad(text.clone()), StoredDate::Date),
    })
}

fn read_date<R: ReadDoc>(
    doc: &R,
    obj: &ObjId,
    key: &str,
    what: &str,
) -> Result<Option<NaiveDate>, DocError> {
    match read_str(doc, obj, key)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => crate::date::parse_iso(&s)
            .map(Some)
            .ok_or_else(|| invalid(what, format!("{s:?} is not a date"))),
    }
}
