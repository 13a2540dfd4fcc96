//! The goal sheet and its Automerge document: edits, reading back, and merging copies.

mod common;
use common::*;

use domain::rules::{check_new_sheet, NewSheetError, WeightTotal};
use domain::{
    Cycle, CycleKind, DocError, Edit, Goal, GoalField, GoalType, NewSheet, RowId, SheetDoc,
    SheetField,
};

fn new_sheet() -> NewSheet {
    NewSheet {
        title: "Q3 goals".into(),
        employee: "Employee X".into(),
        manager: "Manager Y".into(),
        cycle: q3(),
    }
}

fn row(n: u64) -> RowId {
    RowId::from_random(n)
}

fn goal(n: u64, name: &str, weight: u32) -> Goal {
    Goal {
        name: name.into(),
        weight,
        ..Goal::blank(row(n))
    }
}

/// Template 1 of the seed, row by row.
fn template_sheet() -> SheetDoc {
    let mut doc = SheetDoc::create(&new_sheet()).expect("create");
    let rows = [
        (
            1,
            GoalType::Result,
            "South China: new customers in Q3",
            "8 new valid customers, signing rate ≥ 70%",
            50,
            date(2023, 9, 30),
            "Marketing provides a customer list; budget 5,000 for promotion",
        ),
        (
            2,
            GoalType::Process,
            "Raise customer satisfaction",
            "complaint rate ≤ 5%, satisfaction survey ≥ 90",
            30,
            date(2023, 9, 30),
            "Customer Service helps improve the complaint process",
        ),
        (
            3,
            GoalType::Development,
            "Product knowledge",
            "pass the company product certification (out of 100, ≥ 90)",
            20,
            date(2023, 8, 31),
            "Training provides 3 product-knowledge sessions",
        ),
    ];
    for (n, goal_type, name, measure, weight, deadline, support) in rows {
        doc.apply(Edit::AddGoal(Goal {
            goal_type,
            name: name.into(),
            measure: measure.into(),
            weight,
            deadline: Some(deadline),
            owner: "employee X".into(),
            support: support.into(),
            ..Goal::blank(row(n))
        }))
        .expect("add");
    }
    doc
}

fn names(doc: &SheetDoc) -> Vec<String> {
    doc.read()
        .expect("read")
        .goals
        .into_iter()
        .map(|g| g.name)
        .collect()
}

#[test]
fn a_new_sheet_reads_back_its_header_and_cycle() {
    let doc = SheetDoc::create(&new_sheet()).expect("create");
    let sheet = doc.read().expect("read");
    assert_eq!(sheet.title, "Q3 goals");
    assert_eq!(sheet.employee, "Employee X");
    assert_eq!(sheet.manager, "Manager Y");
    assert_eq!(sheet.cycle, q3());
    assert!(sheet.goals.is_empty());
}

#[test]
fn the_template_rows_round_trip_through_a_saved_document() {
    let mut doc = template_sheet();
    let bytes = doc.save();
    let loaded = SheetDoc::load(&bytes).expect("load");
    let sheet = loaded.read().expect("read");
    assert_eq!(sheet, doc.read().expect("read"));
    assert_eq!(sheet.goals.len(), 3);
    let first = &sheet.goals[0];
    assert_eq!(first.goal_type, GoalType::Result);
    assert_eq!(first.measure, "8 new valid customers, signing rate ≥ 70%");
    assert_eq!(first.weight, 50);
    assert_eq!(first.deadline, Some(date(2023, 9, 30)));
    assert_eq!(first.owner, "employee X");
    assert_eq!(sheet.goals[2].goal_type, GoalType::Development);
    assert_eq!(sheet.goals[2].deadline, Some(date(2023, 8, 31)));
}

#[test]
fn the_template_weights_total_100() {
    let sheet = template_sheet().read().expect("read");
    let total = WeightTotal::of(&sheet);
    assert_eq!(total.total, 100);
    assert!(total.is_complete());
    assert_eq!(total.hint(), None);
}

#[test]
fn weights_off_100_are_flagged_with_what_to_change() {
    let mut doc = template_sheet();
    doc.apply(Edit::GoalWeight {
        row: row(3),
        weight: 10,
    })
    .expect("edit");
    let total = WeightTotal::of(&doc.read().expect("read"));
    assert_eq!(total.total, 90);
    assert!(!total.is_complete());
    assert_eq!(
        total.hint().as_deref(),
        Some("Weights total 90%: add 10% so they total 100%.")
    );
    doc.apply(Edit::GoalWeight {
        row: row(3),
        weight: 40,
    })
    .expect("edit");
    let total = WeightTotal::of(&doc.read().expect("read"));
    assert_eq!(
        total.hint().as_deref(),
        Some("Weights total 120%: remove 20% so they total 100%.")
    );
}

#[test]
fn every_field_of_a_row_can_be_edited() {
    let mut doc = SheetDoc::create(&new_sheet()).expect("create");
    doc.apply(Edit::AddGoal(Goal::blank(row(9)))).expect("add");
    let edits = [
        Edit::GoalText {
            row: row(9),
            field: GoalField::Name,
            value: "East China: 20 new customers".into(),
        },
        Edit::GoalText {
            row: row(9),
            field: GoalField::Measure,
            value: "renewal rate ≥ 85%".into(),
        },
        Edit::GoalText {
            row: row(9),
            field: GoalField::Owner,
            value: "A".into(),
        },
        Edit::GoalText {
            row: row(9),
            field: GoalField::Support,
            value: "2 ad placements".into(),
        },
        Edit::GoalType {
            row: row(9),
            goal_type: GoalType::Process,
        },
        Edit::GoalWeight {
            row: row(9),
            weight: 35,
        },
        Edit::GoalDeadline {
            row: row(9),
            deadline: Some(date(2023, 9, 15)),
        },
        Edit::Header {
            field: SheetField::Title,
            value: "Renamed".into(),
        },
        Edit::Cycle(Cycle {
            kind: CycleKind::Annual,
            start: date(2023, 1, 1),
            end: date(2023, 12, 31),
        }),
    ];
    for e in edits {
        doc.apply(e).expect("edit");
    }
    let sheet = doc.read().expect("read");
    let g = &sheet.goals[0];
    assert_eq!(g.name, "East China: 20 new customers");
    assert_eq!(g.measure, "renewal rate ≥ 85%");
    assert_eq!(g.owner, "A");
    assert_eq!(g.support, "2 ad placements");
    assert_eq!(g.goal_type, GoalType::Process);
    assert_eq!(g.weight, 35);
    assert_eq!(g.deadline, Some(date(2023, 9, 15)));
    assert_eq!(sheet.title, "Renamed");
    assert_eq!(sheet.cycle.kind, CycleKind::Annual);
    doc.apply(Edit::GoalDeadline {
        row: row(9),
        deadline: None,
    })
    .expect("clear");
    assert_eq!(doc.read().expect("read").goals[0].deadline, None);
}

#[test]
fn rows_move_up_and_down_and_stop_at_the_ends() {
    let mut doc = template_sheet();
    doc.apply(Edit::MoveGoal {
        row: row(3),
        up: true,
    })
    .expect("move");
    assert_eq!(
        names(&doc),
        [
            "South China: new customers in Q3",
            "Product knowledge",
            "Raise customer satisfaction"
        ]
    );
    doc.apply(Edit::MoveGoal {
        row: row(3),
        up: true,
    })
    .expect("move");
    assert_eq!(names(&doc)[0], "Product knowledge");
    let before = names(&doc);
    doc.apply(Edit::MoveGoal {
        row: row(3),
        up: true,
    })
    .expect("move at top");
    assert_eq!(names(&doc), before);
    doc.apply(Edit::MoveGoal {
        row: row(2),
        up: false,
    })
    .expect("move at bottom");
    assert_eq!(names(&doc), before);
    doc.apply(Edit::MoveGoal {
        row: row(1),
        up: false,
    })
    .expect("move");
    assert_eq!(
        names(&doc),
        [
            "Product knowledge",
            "Raise customer satisfaction",
            "South China: new customers in Q3"
        ]
    );
}

#[test]
fn removing_a_row_removes_only_it() {
    let mut doc = template_sheet();
    doc.apply(Edit::RemoveGoal { row: row(2) }).expect("remove");
    assert_eq!(
        names(&doc),
        ["South China: new customers in Q3", "Product knowledge"]
    );
    assert!(matches!(
        doc.apply(Edit::RemoveGoal { row: row(2) }),
        Err(DocError::NoSuchRow(_))
    ));
    assert!(matches!(
        doc.apply(Edit::GoalWeight {
            row: row(2),
            weight: 1
        }),
        Err(DocError::NoSuchRow(_))
    ));
}

#[test]
fn retyping_the_same_text_makes_no_change() {
    let mut doc = template_sheet();
    let heads = doc.heads();
    doc.apply(Edit::GoalText {
        row: row(1),
        field: GoalField::Name,
        value: "South China: new customers in Q3".into(),
    })
    .expect("edit");
    assert_eq!(doc.heads(), heads);
}

#[test]
fn concurrent_edits_to_different_fields_both_survive_a_merge() {
    let mut a = template_sheet();
    let mut b = a.fork();
    a.apply(Edit::GoalWeight {
        row: row(1),
        weight: 40,
    })
    .expect("a");
    b.apply(Edit::GoalText {
        row: row(1),
        field: GoalField::Support,
        value: "more leads".into(),
    })
    .expect("b");
    b.apply(Edit::AddGoal(goal(7, "New from B", 10)))
        .expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    let (sa, sb) = (a.read().expect("a"), b.read().expect("b"));
    assert_eq!(sa, sb);
    assert_eq!(sa.goals[0].weight, 40);
    assert_eq!(sa.goals[0].support, "more leads");
    assert_eq!(sa.goals.len(), 4);
}

#[test]
fn concurrent_typing_in_one_field_keeps_both_sides_text() {
    let mut a = template_sheet();
    let mut b = a.fork();
    a.apply(Edit::GoalText {
        row: row(2),
        field: GoalField::Name,
        value: "Raise customer satisfaction (Q3)".into(),
    })
    .expect("a");
    b.apply(Edit::GoalText {
        row: row(2),
        field: GoalField::Name,
        value: "Strongly raise customer satisfaction".into(),
    })
    .expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    let name = a.read().expect("a").goals[1].name.clone();
    assert_eq!(name, b.read().expect("b").goals[1].name);
    assert_eq!(name, "Strongly raise customer satisfaction (Q3)");
}

#[test]
fn a_concurrent_move_and_edit_of_one_row_both_survive() {
    let mut a = template_sheet();
    let mut b = a.fork();
    a.apply(Edit::MoveGoal {
        row: row(3),
        up: true,
    })
    .expect("a");
    b.apply(Edit::GoalWeight {
        row: row(3),
        weight: 25,
    })
    .expect("b");
    a.merge(&mut b).expect("merge");
    let sheet = a.read().expect("read");
    assert_eq!(sheet.goals[1].name, "Product knowledge");
    assert_eq!(sheet.goals[1].weight, 25);
}

#[test]
fn rows_appended_concurrently_can_still_be_reordered() {
    let mut a = SheetDoc::create(&new_sheet()).expect("create");
    let mut b = a.fork();
    a.apply(Edit::AddGoal(goal(1, "from a", 50))).expect("a");
    b.apply(Edit::AddGoal(goal(2, "from b", 50))).expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    // Both rows took the same position; both peers still agree on one order.
    assert_eq!(names(&a), names(&b));
    let last = names(&a)[1].clone();
    let last_id = if last == "from a" { row(1) } else { row(2) };
    a.apply(Edit::MoveGoal {
        row: last_id,
        up: true,
    })
    .expect("move");
    assert_eq!(names(&a)[0], last);
}

#[test]
fn a_document_that_is_not_a_sheet_says_so() {
    let empty = SheetDoc::empty();
    assert!(matches!(empty.read(), Err(DocError::Empty)));
    let mut other = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(&mut other, automerge::ROOT, "title", "from js")
        .expect("put");
    assert!(matches!(
        SheetDoc::from_automerge(other).read(),
        Err(DocError::NotASheet)
    ));
    assert!(matches!(SheetDoc::load(b"garbage"), Err(DocError::Load(_))));
}

#[test]
fn a_newer_layout_is_refused_rather_than_misread() {
    let mut doc = SheetDoc::create(&new_sheet()).expect("create");
    automerge::transaction::Transactable::put(doc.automerge_mut(), automerge::ROOT, "schema", 2u64)
        .expect("put");
    assert!(matches!(doc.read(), Err(DocError::NewerSchema(2))));
}

/// The map of goal row `n`, to write into as another device might.
fn row_obj(doc: &SheetDoc, n: u64) -> automerge::ObjId {
    use automerge::ReadDoc;
    let goals = match doc.automerge().get(automerge::ROOT, "goals").expect("get") {
        Some((_, id)) => id,
        None => panic!("no goals"),
    };
    match doc.automerge().get(&goals, row(n).as_str()).expect("get") {
        Some((_, id)) => id,
        None => panic!("no row"),
    }
}

#[test]
fn a_malformed_date_from_another_device_is_flagged_and_the_rest_of_the_sheet_reads() {
    use automerge::transaction::Transactable;
    use automerge::ObjType;
    use domain::{CheckIn, Damage, Edit, Milestone};
    let mut doc = template_sheet();
    // Good entries on goal 1: one check-in, one milestone.
    doc.apply(Edit::AddCheckIn {
        row: row(1),
        check_in: CheckIn {
            id: row(50),
            date: date(2023, 7, 14),
            seq: 0,
            progress: 20,
            done: "3 signed".into(),
            problems: String::new(),
            solution: String::new(),
            next: String::new(),
        },
    })
    .expect("check in");
    doc.apply(Edit::AddMilestone {
        row: row(1),
        milestone: Milestone {
            id: row(60),
            date: date(2023, 8, 31),
            progress: 50,
        },
    })
    .expect("milestone");
    // Another device writes a check-in dated "2023-13-45", one with no date, a milestone
    // dated "tomorrow", and goal 2's deadline as "soon".
    let goal1 = row_obj(&doc, 1);
    let goal2 = row_obj(&doc, 2);
    let am = doc.automerge_mut();
    let checkins = match automerge::ReadDoc::get(am, &goal1, "checkins").expect("get") {
        Some((_, id)) => id,
        None => panic!("no check-ins"),
    };
    let bad = am
        .put_object(&checkins, "bad-date", ObjType::Map)
        .expect("put");
    am.put(&bad, "date", "2023-13-45").expect("put");
    am.put(&bad, "progress", 90u64).expect("put");
    let undated = am
        .put_object(&checkins, "no-date", ObjType::Map)
        .expect("put");
    am.put(&undated, "progress", 95u64).expect("put");
    let milestones = match automerge::ReadDoc::get(am, &goal1, "milestones").expect("get") {
        Some((_, id)) => id,
        None => panic!("no milestones"),
    };
    let m = am
        .put_object(&milestones, "bad-milestone", ObjType::Map)
        .expect("put");
    am.put(&m, "date", "tomorrow").expect("put");
    am.put(&goal2, "deadline", "soon").expect("put");
    am.commit();

    for doc in [doc.clone(), SheetDoc::load(&doc.save()).expect("load")] {
        let sheet = doc.read().expect("the sheet still reads");
        assert_eq!(sheet.goals.len(), 3);
        let g1 = &sheet.goals[0];
        assert_eq!(g1.check_ins.len(), 1, "only the good check-in");
        assert_eq!(g1.check_ins[0].progress, 20);
        assert_eq!(g1.milestones.len(), 1, "only the good milestone");
        assert_eq!(sheet.goals[1].deadline, None);
        assert!(sheet.goals[2].deadline.is_some());
        let goal = "South China: new customers in Q3".to_string();
        let mut damaged = sheet.damaged.clone();
        damaged.sort_by_key(|d| format!("{d:?}"));
        assert_eq!(
            damaged,
            vec![
                Damage::CheckInDate {
                    goal: goal.clone(),
                    value: String::new()
                },
                Damage::CheckInDate {
                    goal: goal.clone(),
                    value: "2023-13-45".into()
                },
                Damage::Deadline {
                    goal: "Raise customer satisfaction".into(),
                    value: "soon".into()
                },
                Damage::MilestoneDate {
                    goal,
                    value: "tomorrow".into()
                },
            ]
        );
        assert_eq!(
            damaged[1].to_string(),
            "A check-in of “South China: new customers in Q3” is left out: its date \
             “2023-13-45” is not a date."
        );
    }
    // A clean sheet has nothing damaged.
    assert!(template_sheet().read().expect("read").damaged.is_empty());
}

#[test]
fn a_damaged_cycle_date_is_reported_with_where_it_is() {
    use automerge::transaction::Transactable;
    let mut doc = template_sheet();
    let cycle =
        match automerge::ReadDoc::get(doc.automerge(), automerge::ROOT, "cycle").expect("get") {
            Some((_, id)) => id,
            None => panic!("no cycle"),
        };
    doc.automerge_mut().put(&cycle, "end", "soon").expect("put");
    let err = doc.read().expect_err("damaged");
    assert_eq!(
        err.to_string(),
        "the sheet's cycle end is damaged: \"soon\" is not a date"
    );
}

#[test]
fn a_new_sheet_form_reports_every_problem() {
    let mut form = new_sheet();
    assert!(check_new_sheet(&form).is_empty());
    form.title = "  ".into();
    form.manager.clear();
    form.cycle.end = date(2023, 6, 1);
    assert_eq!(
        check_new_sheet(&form),
        vec![
            NewSheetError::MissingTitle,
            NewSheetError::MissingManager,
            NewSheetError::CycleBackwards {
                start: date(2023, 7, 1),
                end: date(2023, 6, 1)
            },
        ]
    );
}

#[test]
fn a_cycle_whose_dates_do_not_fit_its_kind_is_noticed() {
    let cycle = |kind, start, end| Cycle { kind, start, end };
    let q4 = (date(2026, 10, 1), date(2026, 12, 31));
    assert_eq!(q3().days(), 92);
    assert!(q3().fits_kind());
    assert!(cycle(CycleKind::Monthly, date(2026, 2, 1), date(2026, 2, 28)).fits_kind());
    // A quarter started three weeks late still fits (a new hire's first), as does an annual
    // cycle from 31 January; seven weeks called a quarter is worth a look.
    assert!(cycle(CycleKind::Quarterly, date(2026, 10, 20), date(2026, 12, 31)).fits_kind());
    assert!(!cycle(CycleKind::Quarterly, date(2026, 11, 10), date(2026, 12, 31)).fits_kind());
    assert!(cycle(CycleKind::Annual, date(2026, 1, 31), date(2026, 12, 31)).fits_kind());
    // A quarter's dates under another kind.
    assert!(!cycle(CycleKind::Monthly, q4.0, q4.1).fits_kind());
    assert!(!cycle(CycleKind::Annual, q4.0, q4.1).fits_kind());
    // The dates of a cycle made for its kind always fit.
    for kind in CycleKind::ALL {
        for month in 1..=12 {
            let c = Cycle::containing(kind, date(2027, month, 15));
            assert!(c.fits_kind(), "{c:?}");
        }
    }
    // Fitted: the whole period around today while the cycle includes it, else its start's.
    let monthly_q4 = cycle(CycleKind::Monthly, q4.0, q4.1);
    assert_eq!(
        monthly_q4.whole_period(date(2026, 12, 1)),
        cycle(CycleKind::Monthly, date(2026, 12, 1), date(2026, 12, 31))
    );
    assert_eq!(
        monthly_q4.whole_period(date(2027, 3, 5)),
        cycle(CycleKind::Monthly, date(2026, 10, 1), date(2026, 10, 31))
    );
    // Ending before it starts: no days.
    assert_eq!(
        cycle(CycleKind::Monthly, date(2026, 3, 1), date(2026, 2, 1)).days(),
        0
    );
}

#[test]
fn the_cycle_containing_a_day_is_its_calendar_period() {
    let day = date(2023, 8, 14);
    assert_eq!(
        Cycle::containing(CycleKind::Monthly, day),
        Cycle {
            kind: CycleKind::Monthly,
            start: date(2023, 8, 1),
            end: date(2023, 8, 31)
        }
    );
    assert_eq!(Cycle::containing(CycleKind::Quarterly, day), q3());
    assert_eq!(
        Cycle::containing(CycleKind::Annual, day),
        Cycle {
            kind: CycleKind::Annual,
            start: date(2023, 1, 1),
            end: date(2023, 12, 31)
        }
    );
    assert_eq!(
        Cycle::containing(CycleKind::Quarterly, date(2023, 12, 31)).end,
        date(2023, 12, 31)
    );
    assert!(q3().contains(date(2023, 9, 30)));
    assert!(!q3().contains(date(2023, 10, 1)));
}

#[test]
fn a_huge_weight_from_another_device_reads_as_100_and_totals_never_overflow() {
    use automerge::transaction::Transactable;
    let mut doc = template_sheet();
    let g1 = row_obj(&doc, 1);
    let g2 = row_obj(&doc, 2);
    doc.automerge_mut()
        .put(&g1, "weight", u64::MAX)
        .expect("put");
    doc.automerge_mut()
        .put(&g2, "weight", i64::from(u32::MAX) + 1)
        .expect("put");
    doc.automerge_mut().commit();
    let sheet = doc.read().expect("read");
    assert_eq!(sheet.goals[0].weight, 100);
    assert_eq!(sheet.goals[1].weight, 100);
    assert_eq!(WeightTotal::of(&sheet).total, 220);
    // The assessment adds the weights up: no overflow, the working shows the clamped ones.
    let mut scored = sheet.clone();
    for g in &mut scored.goals {
        g.assessment.target = Some(10.0);
        g.assessment.achieved = Some(10.0);
    }
    let a = domain::score::assess(&scored);
    assert_eq!(a.quantitative, Some(100.0));
    assert!(
        a.quantitative_working.contains("÷ 220%"),
        "{}",
        a.quantitative_working
    );
    // Weights beyond 100 are not written either.
    doc.apply(Edit::GoalWeight {
        row: row(3),
        weight: u32::MAX,
    })
    .expect("edit");
    assert_eq!(doc.read().expect("read").goals[2].weight, 100);
}
