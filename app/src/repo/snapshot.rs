//! A plain copy of a document as last read, kept in local storage beside it
//! (`goals:snapshot:<id>`), so that the sheet list and a sheet's page show at once, before the
//! wasm chunk with Automerge (the repo's engine) has arrived.
//!
//! It is a cache, never the source of truth: it names the exact storage value of the document
//! it was read from (its length and a 64-bit FNV-1a hash), and is used only while the document's
//! value is still that one. One written by another tab before its own document's save, a
//! document written by an older version of the app (which kept no snapshot), a damaged
//! document, or a snapshot that does not parse: all count as no snapshot, and the page waits
//! for the engine to read the document itself. The engine rewrites it on every save.

use domain::kb::KnowledgeBase;
use domain::Sheet;
use serde::{Deserialize, Serialize};

#[cfg(feature = "hydrate")]
pub(crate) const SNAPSHOT_PREFIX: &str = "goals:snapshot:";

/// The format's version: a snapshot of any other is ignored.
const VERSION: u32 = 1;

/// What a document held when it was saved.
// Short-lived, one at a time: boxing the sheet would gain nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Content {
    Sheet(Sheet),
    KnowledgeBase(KnowledgeBase),
}

#[derive(Serialize)]
struct Written<'a> {
    v: u32,
    of: String,
    content: &'a Content,
}

#[derive(Deserialize)]
struct Read {
    v: u32,
    of: String,
    content: Content,
}

/// Which stored value of a document a snapshot was read from: its length in bytes and its
/// FNV-1a hash (not a security measure: only this app writes either value).
pub(crate) fn digest(stored: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in stored.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{}:{h:016x}", stored.len())
}

/// The snapshot's storage value, for a document stored as `stored`.
pub(crate) fn encode(stored: &str, content: &Content) -> String {
    serde_json::to_string(&Written {
        v: VERSION,
        of: digest(stored),
        content,
    })
    // Plain data with string keys: serialising cannot fail.
    .unwrap_or_default()
}

/// What a snapshot holds, if it parses and was read from exactly this stored value of its
/// document.
pub(crate) fn decode(raw: &str, stored: &str) -> Option<Content> {
    let read: Read = serde_json::from_str(raw).ok()?;
    (read.v == VERSION && read.of == digest(stored)).then_some(read.content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{
        CheckIn, Cycle, CycleKind, Edit, Goal, GoalType, Milestone, NewSheet, RowId, SheetDoc,
    };

    fn date(s: &str) -> chrono::NaiveDate {
        domain::date::parse_iso(s).unwrap_or_default()
    }

    /// A sheet with dates, optional dates, numbers and text in Chinese and quotes.
    fn sheet() -> Sheet {
        let mut doc = SheetDoc::create(&NewSheet {
            title: "Q3 “目标” \"quoted\"".into(),
            employee: "李伟".into(),
            manager: "Zhang Min".into(),
            cycle: Cycle::containing(CycleKind::Quarterly, date("2026-07-01")),
        })
        .unwrap_or_else(|e| panic!("create: {e}"));
        let row = RowId::from_random(7);
        let edits = [
            Edit::AddGoal(Goal {
                id: row.clone(),
                goal_type: GoalType::Process,
                name: "New customers".into(),
                measure: "8, ≥ 70%\nsecond line".into(),
                weight: 60,
                deadline: Some(date("2026-09-30")),
                owner: "Li".into(),
                support: String::new(),
                check_ins: Vec::new(),
                milestones: Vec::new(),
                assessment: Default::default(),
                link: None,
                miss: Default::default(),
            }),
            Edit::AddCheckIn {
                row: row.clone(),
                check_in: CheckIn {
                    id: RowId::from_random(8),
                    date: date("2026-07-15"),
                    seq: 0,
                    progress: 30,
                    done: "done".into(),
                    problems: String::new(),
                    solution: String::new(),
                    next: "next".into(),
                },
            },
            Edit::AddMilestone {
                row: row.clone(),
                milestone: Milestone {
                    id: RowId::from_random(9),
                    date: date("2026-08-31"),
                    progress: 50,
                },
            },
            Edit::GoalTarget {
                row,
                value: Some(12.5),
            },
        ];
        for edit in edits {
            doc.apply(edit).unwrap_or_else(|e| panic!("edit: {e}"));
        }
        doc.read().unwrap_or_else(|e| panic!("read: {e}"))
    }

    #[test]
    fn a_snapshot_reads_back_for_its_own_stored_value() {
        let content = Content::Sheet(sheet());
        let raw = encode("\"AAAB\"", &content);
        assert_eq!(decode(&raw, "\"AAAB\""), Some(content));
        let kb = Content::KnowledgeBase(KnowledgeBase {
            name: "Sales".into(),
            practices: Vec::new(),
        });
        assert_eq!(decode(&encode("x", &kb), "x"), Some(kb));
    }

    #[test]
    fn a_snapshot_of_another_stored_value_is_no_snapshot() {
        let raw = encode("\"AAAB\"", &Content::Sheet(sheet()));
        assert_eq!(decode(&raw, "\"AAAC\""), None);
        assert_eq!(decode(&raw, "\"AAAB\" "), None);
        assert_eq!(decode(&raw, ""), None);
    }

    #[test]
    fn a_damaged_snapshot_is_no_snapshot() {
        let raw = encode("v", &Content::Sheet(sheet()));
        for bad in [
            "",
            "not json",
            "{}",
            "null",
            &raw[..raw.len() / 2],
            &raw.replace("\"v\":1", "\"v\":2"),
            &raw.replace("2026-09-30", "2026-09-31"),
        ] {
            assert_eq!(decode(bad, "v"), None, "{bad:?}");
        }
    }

    #[test]
    fn the_digest_tells_values_apart() {
        assert_ne!(digest("ab"), digest("ba"));
        assert_ne!(digest(""), digest("\0"));
        assert_eq!(digest("abc"), digest("abc"));
        assert!(digest("abc").starts_with("3:"));
    }
}
