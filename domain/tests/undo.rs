//! Undoing a removal: what a removal takes out is put back as it was, with its id, its place and
//! its order, and a second undo (or one from another device) changes nothing.

mod common;
use common::*;

use domain::{
    Cause, CheckIn, Deduction, DevItem, Dimension, Direction, Edit, Goal, GoalAssessment, GoalLink,
    Milestone, MissAnalysis, NewSheet, Removed, RowId, Sheet, SheetDoc,
};

fn id(n: u64) -> RowId {
    RowId::from_random(n)
}

fn check_in(n: u64, day: u32, progress: u32, done: &str) -> CheckIn {
    CheckIn {
        id: id(100 + n),
        date: date(2023, 8, day),
        seq: 0,
        progress,
        done: done.into(),
        problems: "budget late".into(),
        solution: "ask finance".into(),
        next: "visit 3 clients".into(),
    }
}

/// A sheet with three goals; the second has two check-ins on one day (so their order rests on
/// the order they were recorded in), a milestone, an assessment, a link and a miss analysis;
/// three deductions and three development items.
fn sheet() -> SheetDoc {
    let mut doc = SheetDoc::create(&NewSheet {
        title: "Q3 goals".into(),
        employee: "Li Wei".into(),
        manager: "Zhang Min".into(),
        cycle: q3(),
    })
    .expect("create");
    for (n, name, weight) in [(1, "First", 30), (2, "Second", 50), (3, "Third", 20)] {
        let goal = Goal {
            name: name.into(),
            measure: format!("{name} measure"),
            weight,
            deadline: Some(date(2023, 9, 30)),
            ..Goal::blank(id(n))
        };
        doc.apply(Edit::AddGoal(goal)).expect("add goal");
    }
    for c in [
        check_in(1, 10, 40, "recorded first"),
        check_in(2, 10, 55, "recorded second, same day"),
    ] {
        doc.apply(Edit::AddCheckIn {
            row: id(2),
            check_in: c,
        })
        .expect("check in");
    }
    let edits = [
        Edit::AddMilestone {
            row: id(2),
            milestone: Milestone {
                id: id(200),
                date: date(2023, 8, 31),
                progress: 60,
            },
        },
        Edit::GoalTarget {
            row: id(2),
            value: Some(12.0),
        },
        Edit::GoalAchieved {
            row: id(2),
            value: Some(10.0),
        },
        Edit::GoalDirection {
            row: id(2),
            direction: Direction::AtLeast,
        },
        Edit::LinkGoal {
            row: id(2),
            link: Some(GoalLink {
                sheet: "dept-sheet".into(),
                row: id(900),
                name: "Q3 sales +15%".into(),
            }),
        },
        Edit::MissCause {
            row: id(2),
            cause: Some(Cause::Resources),
        },
        Edit::MissPlan {
            row: id(2),
            value: "more budget next quarter".into(),
        },
    ];
    for e in edits {
        doc.apply(e).expect("edit");
    }
    for (n, reason) in [
        (301, "late report"),
        (302, "missed a meeting"),
        (303, "other"),
    ] {
        doc.apply(Edit::AddDeduction(Deduction {
            id: id(n),
            dimension: Dimension::Communication,
            reason: reason.into(),
            points: 5,
        }))
        .expect("deduction");
    }
    for (n, text) in [
        (401, "data training"),
        (402, "mentoring"),
        (403, "conference"),
    ] {
        doc.apply(Edit::AddDevItem(DevItem {
            id: id(n),
            text: text.into(),
        }))
        .expect("dev item");
    }
    doc
}

/// Remove with `edit`, check it is gone, undo, and return the sheets before and after.
fn remove_and_undo(edit: Edit) -> (Sheet, Sheet, SheetDoc) {
    let mut doc = sheet();
    let before = doc.read().expect("read");
    let removed = Removed::by(&edit, &before).expect("the edit removes something");
    doc.apply(edit).expect("remove");
    assert_ne!(
        doc.read().expect("read"),
        before,
        "the removal changed the sheet"
    );
    doc.apply(Edit::Restore(removed)).expect("undo");
    (before, doc.read().expect("read"), doc)
}

#[test]
fn a_removed_goal_comes_back_whole_and_in_its_place() {
    let (before, after, _) = remove_and_undo(Edit::RemoveGoal { row: id(2) });
    assert_eq!(after, before);
    let goal = &after.goals[1];
    assert_eq!(goal.name, "Second");
    assert_eq!(
        goal.check_ins
            .iter()
            .map(|c| c.done.as_str())
            .collect::<Vec<_>>(),
        ["recorded first", "recorded second, same day"],
        "check-ins of one day keep the order they were recorded in"
    );
    assert_eq!(goal.milestones.len(), 1);
    assert_eq!(
        goal.assessment,
        GoalAssessment {
            target: Some(12.0),
            achieved: Some(10.0),
            direction: Direction::AtLeast
        }
    );
    assert_eq!(
        goal.link.as_ref().map(|l| l.name.as_str()),
        Some("Q3 sales +15%")
    );
    assert_eq!(
        goal.miss,
        MissAnalysis {
            cause: Some(Cause::Resources),
            plan: "more budget next quarter".into()
        }
    );
}

#[test]
fn the_first_and_the_last_goal_come_back_at_the_ends() {
    for row in [1, 3] {
        let (before, after, _) = remove_and_undo(Edit::RemoveGoal { row: id(row) });
        assert_eq!(after, before, "goal {row}");
    }
}

#[test]
fn a_removed_goal_comes_back_where_it_was_among_rows_moved_since() {
    let mut doc = sheet();
    let before = doc.read().expect("read");
    let removed = Removed::by(&Edit::RemoveGoal { row: id(2) }, &before).expect("removal");
    doc.apply(Edit::RemoveGoal { row: id(2) }).expect("remove");
    // The third row moves to the top meanwhile: the goal comes back second, as it was.
    doc.apply(Edit::MoveGoal {
        row: id(3),
        up: true,
    })
    .expect("move");
    doc.apply(Edit::Restore(removed)).expect("undo");
    let names: Vec<_> = doc
        .read()
        .expect("read")
        .goals
        .iter()
        .map(|g| g.name.clone())
        .collect();
    assert_eq!(names, ["Third", "Second", "First"]);
}

#[test]
fn check_ins_milestones_deductions_and_development_items_come_back_as_they_were() {
    let removals = [
        Edit::RemoveCheckIn {
            row: id(2),
            id: id(101),
        },
        Edit::RemoveCheckIn {
            row: id(2),
            id: id(102),
        },
        Edit::RemoveMilestone {
            row: id(2),
            id: id(200),
        },
        Edit::RemoveDeduction { id: id(302) },
        Edit::RemoveDeduction { id: id(301) },
        Edit::RemoveDevItem { id: id(402) },
        Edit::RemoveDevItem { id: id(403) },
    ];
    for edit in removals {
        let what = format!("{edit:?}");
        let (before, after, _) = remove_and_undo(edit);
        assert_eq!(after, before, "{what}");
    }
}

#[test]
fn an_undo_done_twice_or_on_two_devices_changes_nothing_more() {
    let (before, _, mut doc) = remove_and_undo(Edit::RemoveGoal { row: id(2) });
    let removed = Removed::by(&Edit::RemoveGoal { row: id(2) }, &before).expect("removal");
    // Edited after the undo: a second undo must not overwrite the edit.
    doc.apply(Edit::GoalWeight {
        row: id(2),
        weight: 45,
    })
    .expect("edit");
    let edited = doc.read().expect("read");
    let heads = doc.heads();
    doc.apply(Edit::Restore(removed.clone()))
        .expect("second undo");
    assert_eq!(doc.read().expect("read"), edited);
    assert_eq!(doc.heads(), heads, "no change was recorded");

    // Two devices undo the same removal concurrently: they merge to one goal, not two.
    let mut a = sheet();
    a.apply(Edit::RemoveGoal { row: id(2) }).expect("remove");
    let mut b = a.fork();
    a.apply(Edit::Restore(removed.clone())).expect("undo on a");
    b.apply(Edit::Restore(removed)).expect("undo on b");
    a.merge(&mut b).expect("merge");
    let merged = a.read().expect("read");
    assert_eq!(merged.goals.iter().filter(|g| g.id == id(2)).count(), 1);
    assert_eq!(merged.goals, before.goals);
}

#[test]
fn undoing_a_check_in_of_a_goal_removed_since_says_the_goal_is_gone() {
    let mut doc = sheet();
    let before = doc.read().expect("read");
    let edit = Edit::RemoveCheckIn {
        row: id(2),
        id: id(101),
    };
    let removed = Removed::by(&edit, &before).expect("removal");
    doc.apply(edit).expect("remove check-in");
    doc.apply(Edit::RemoveGoal { row: id(2) })
        .expect("remove goal");
    let saved = doc.read().expect("read");
    let err = doc
        .apply(Edit::Restore(removed))
        .expect_err("the goal is gone");
    assert!(err.to_string().contains("no goal row"), "{err}");
    assert_eq!(doc.read().expect("read"), saved, "nothing else changed");
}

#[test]
fn only_removals_of_what_is_there_can_be_undone() {
    let doc = sheet();
    let sheet = doc.read().expect("read");
    assert_eq!(Removed::by(&Edit::RemoveGoal { row: id(99) }, &sheet), None);
    assert_eq!(
        Removed::by(
            &Edit::RemoveCheckIn {
                row: id(1),
                id: id(101)
            },
            &sheet
        ),
        None
    );
    assert_eq!(
        Removed::by(
            &Edit::GoalWeight {
                row: id(1),
                weight: 5
            },
            &sheet
        ),
        None
    );
    assert!(
        Edit::Restore(Removed::by(&Edit::RemoveGoal { row: id(1) }, &sheet).expect("removal"))
            .changes_agreement()
    );
    assert!(!Edit::Restore(
        Removed::by(&Edit::RemoveDevItem { id: id(401) }, &sheet).expect("removal")
    )
    .changes_agreement());
}
