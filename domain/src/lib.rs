//! The goal sheet of the enterprise template (Template 1), as plain data and rules, and its
//! mapping onto one Automerge document.
//!
//! Layout:
//! - [`model`]: the plain, read-only view of a sheet ([`Sheet`], [`Goal`], [`Cycle`]) that the
//!   UI renders and the rules read.
//! - [`date`]: the `YYYY-MM-DD` dates of documents and forms.
//! - [`rules`]: checks over that view (weight total, new-sheet validation).
//! - [`hints`]: step 2's SMART hints on each goal; [`example`]: the template's own sheet.
//! - [`cadence`]: step 4's follow-up rhythm and the next check-in;
//!   [`progress`]: plan versus actual ("60% done, 10% behind plan").
//! - [`sign`]: step 3, identities and signatures over exactly what was agreed.
//! - [`cascade`]: department goals, linked employee goals, roll-up; [`results`]: missed goals
//!   and the next cycle; [`kb`]: the department's knowledge base document.
//! - [`export`]: CSV of Template 1 and Template 2.
//! - [`score`]: step 5's assessment: 70% quantitative + 30% behaviour, with its working.
//! - [`sort`]: a small stable sort for the short lists of a sheet (less WebAssembly).
//! - [`text`]: keeping a caret in place while someone else edits the same field.
//! - [`doc`]: the Automerge document layout. [`doc::SheetDoc`] reads a [`Sheet`] out of a
//!   document and applies [`Edit`]s to it; every edit is one Automerge change, so two people
//!   editing the same sheet merge field by field (and character by character in text).
//!
//! Nothing here touches a clock, a random source, a browser or a socket: row ids and dates come
//! in as arguments, so every rule runs natively in tests.

pub mod cadence;
pub mod cascade;
pub mod date;
pub mod doc;
pub mod example;
pub mod export;
pub mod hints;
pub mod kb;
pub mod model;
pub mod progress;
pub mod results;
pub mod rules;
pub mod score;
pub mod sign;
pub mod sort;
pub mod text;

pub use doc::{DocError, Edit, Removed, SheetDoc};
pub use model::{
    Cause, CheckIn, CheckInField, Cycle, CycleKind, Damage, Deduction, DevItem, Dimension,
    Direction, Goal, GoalAssessment, GoalField, GoalLink, GoalType, ItemId, Milestone,
    MissAnalysis, NewSheet, Objection, ObjectionStatus, Parties, Party, Prep, PrepField, Reply,
    Results, ResultsField, Role, RowId, Sheet, SheetAssessment, SheetField, SheetKind, SheetRef,
    SignatureRecord,
};
