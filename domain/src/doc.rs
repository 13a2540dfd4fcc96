//! A goal sheet as one Automerge document.
//!
//! The layout, from the root map:
//!
//! ```text
//! kind: "goal-sheet"   schema: 1
//! title, employee, manager: Text
//! cycle: { kind: "monthly" | "quarterly" | "annual", start: "YYYY-MM-DD", end: "YYYY-MM-DD" }
//! goals: { <row id>: { type, name: Text, measure: Text, weight: uint, deadline: "YYYY-MM-DD" | null,
//!                      owner: Text, support: Text, pos: f64 } }
//! ```
//!
//! Goal rows live in a map keyed by row id, ordered by `pos`, rather than in a list: a list
//! reorder is a delete and an insert, which would drop a concurrent edit to the moved row, while a
//! changed `pos` merges with it. Free text is Automerge `Text`, so concurrent typing in one field
//! interleaves instead of one side overwriting the other.

use crate::model::{
    Cycle, CycleKind, Goal, GoalField, GoalType, NewSheet, RowId, Sheet, SheetField,
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
    #[error("this sheet was written by a newer version of the app (layout {0}); update the app")]
    NewerSchema(u64),
    #[error("the sheet's {path} is damaged: {problem}")]
    Invalid { path: String, problem: String },
    #[error("no goal row {0} on this sheet")]
    NoSuchRow(RowId),
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
        let result = apply_edit(&mut self.doc, &edit);
        match result {
            Ok(()) => {
                self.doc.commit();
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
            let row = doc.put_object(&goals, goal.id.as_str(), ObjType::Map)?;
            doc.put(&row, "type", goal.goal_type.as_str())?;
            for field in GoalField::ALL {
                let text = doc.put_object(&row, field.key(), ObjType::Text)?;
                doc.splice_text(&text, 0, 0, goal.text(field))?;
            }
            doc.put(&row, "weight", u64::from(goal.weight))?;
            put_date(doc, &row, "deadline", goal.deadline)?;
            doc.put(&row, "pos", pos)?;
            Ok(())
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
            doc.put(&obj, "weight", u64::from(*weight))?;
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
    }
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
    rows.sort_by(|a, b| a.2.total_cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
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
    if let Some((Value::Object(ObjType::Map), goals_id)) = doc.get(ROOT, "goals")? {
        for (id, obj, _) in ordered_rows(doc, &goals_id)? {
            goals.push(read_goal(doc, id, &obj)?);
        }
    }
    Ok(Sheet {
        title: read_text(doc, &ROOT, "title")?,
        employee: read_text(doc, &ROOT, "employee")?,
        manager: read_text(doc, &ROOT, "manager")?,
        cycle,
        goals,
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

fn read_goal<R: ReadDoc>(doc: &R, id: RowId, obj: &ObjId) -> Result<Goal, DocError> {
    let goal_type = read_str(doc, obj, "type")?
        .and_then(|s| GoalType::parse(&s))
        .unwrap_or_default();
    let weight = match doc.get(obj, "weight")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(u) => u32::try_from(*u).unwrap_or(u32::MAX),
            ScalarValue::Int(i) => u32::try_from(*i).unwrap_or(0),
            ScalarValue::F64(f) if f.is_finite() && *f >= 0.0 => f.round() as u32,
            _ => 0,
        },
        _ => 0,
    };
    let deadline = read_date(doc, obj, "deadline", "goal deadline")?;
    Ok(Goal {
        goal_type,
        name: read_text(doc, obj, "name")?,
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
