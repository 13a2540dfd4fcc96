//! The template's steps 1, 2, 4 and 5, with each of its worked examples as a test.

mod common;
use common::*;

use chrono::NaiveDate;
use domain::cadence::{self, Cadence, CheckInStatus};
use domain::example::template_goals;
use domain::hints::{goal_hints, is_clean, is_vague, sheet_hints, Hint};
use domain::progress::{expected, PlanGap};
use domain::score::{assess, goal_score, ScoreError};
use domain::{
    CheckIn, CheckInField, Cycle, CycleKind, Deduction, Dimension, Direction, Edit, Goal,
    GoalAssessment, Milestone, NewSheet, PrepField, RowId, Sheet, SheetDoc,
};

fn cycle(kind: CycleKind, start: NaiveDate, end: NaiveDate) -> Cycle {
    Cycle { kind, start, end }
}

fn example_sheet(c: Cycle) -> SheetDoc {
    let mut doc = SheetDoc::create(&NewSheet {
        title: "Example".into(),
        employee: "Employee X".into(),
        manager: "Manager Y".into(),
        cycle: c,
    })
    .expect("create");
    for g in template_goals(&c, "Employee X", ids()) {
        doc.apply(Edit::AddGoal(g)).expect("add");
    }
    doc
}

fn sheet(doc: &SheetDoc) -> Sheet {
    doc.read().expect("read")
}

fn check_in(n: u64, d: NaiveDate, progress: u32) -> CheckIn {
    CheckIn {
        id: RowId::from_random(1000 + n),
        date: d,
        seq: 0,
        progress,
        done: String::new(),
        problems: String::new(),
        solution: String::new(),
        next: String::new(),
    }
}

// --- Step 2: SMART hints ---

#[test]
fn the_example_sheet_is_template_1_and_no_hint_fires_on_it() {
    for c in [
        q3(),
        cycle(CycleKind::Monthly, date(2026, 11, 1), date(2026, 11, 30)),
        cycle(CycleKind::Annual, date(2026, 1, 1), date(2026, 12, 31)),
    ] {
        let s = sheet(&example_sheet(c));
        let weights: Vec<u32> = s.goals.iter().map(|g| g.weight).collect();
        assert_eq!(weights, [50, 30, 20]);
        for g in &s.goals {
            assert_eq!(goal_hints(g, &s.cycle), vec![], "{}", g.name);
        }
        assert!(is_clean(&s), "{c:?}");
    }
    let s = sheet(&example_sheet(q3()));
    assert_eq!(s.goals[0].name, "South China: new customers in Q3");
    assert_eq!(s.goals[0].deadline, Some(date(2023, 9, 30)));
    assert_eq!(s.goals[2].name, "Product knowledge");
    assert_eq!(
        s.goals[2].deadline,
        Some(date(2023, 8, 31)),
        "the template's 31 August"
    );
}

#[test]
fn vague_wording_with_no_object_or_number_is_flagged() {
    for vague in [
        "提升业绩",
        "improve performance",
        "Improve the performance",
        "提高绩效",
        "do better work",
        "Increase efficiency",
    ] {
        assert!(is_vague(vague), "{vague}");
    }
    for specific in [
        "South China: new customers in Q3",
        "Raise customer satisfaction",
        "Product knowledge",
        "East China region, 20 new customers in Q3",
        "提升华南区业绩 15%",
        "Improve onboarding for the support team",
    ] {
        assert!(!is_vague(specific), "{specific}");
    }
}

#[test]
fn each_hint_says_what_to_change() {
    let c = q3();
    let mut g = Goal::blank(RowId::from_random(1));
    assert_eq!(
        goal_hints(&g, &c)
            .iter()
            .map(Hint::code)
            .collect::<Vec<_>>(),
        ["no-name", "no-measure", "no-deadline", "no-weight"]
    );
    g.name = "improve performance".into();
    g.measure = "customers are happier".into();
    g.deadline = Some(date(2023, 10, 15));
    g.weight = 40;
    let hints = goal_hints(&g, &c);
    assert_eq!(
        hints.iter().map(Hint::code).collect::<Vec<_>>(),
        [
            "vague-name",
            "measure-without-number",
            "deadline-outside-cycle"
        ]
    );
    assert!(hints[0].message().contains("“improve performance”"));
    assert!(hints[1].message().contains("number"));
    assert_eq!(
        hints[2].message(),
        "The deadline 2023-10-15 is outside the cycle (2023-07-01 – 2023-09-30): move it inside."
    );
    g.measure = "复购率达到八成".into();
    assert!(!goal_hints(&g, &c)
        .iter()
        .any(|h| h.code() == "measure-without-number"));
}

#[test]
fn weights_not_totalling_100_are_a_sheet_hint() {
    let mut doc = example_sheet(q3());
    let first = sheet(&doc).goals[0].id.clone();
    assert!(sheet_hints(&sheet(&doc)).is_empty());
    doc.apply(Edit::GoalWeight {
        row: first,
        weight: 40,
    })
    .expect("edit");
    assert_eq!(
        sheet_hints(&sheet(&doc)),
        ["Weights total 90%: add 10% so they total 100%."]
    );
}

// --- Step 4: cadence and plan versus actual ---

#[test]
fn check_ins_are_weekly_for_monthly_fortnightly_for_quarterly_monthly_for_annual() {
    assert_eq!(Cadence::of(CycleKind::Monthly), Cadence::Weekly);
    assert_eq!(Cadence::of(CycleKind::Quarterly), Cadence::Fortnightly);
    assert_eq!(Cadence::of(CycleKind::Annual), Cadence::Monthly);
    let monthly = cycle(CycleKind::Monthly, date(2026, 11, 1), date(2026, 11, 30));
    assert_eq!(cadence::next_check_in(&monthly, None), date(2026, 11, 8));
    assert_eq!(cadence::next_check_in(&q3(), None), date(2023, 7, 15));
    let annual = cycle(CycleKind::Annual, date(2026, 1, 31), date(2026, 12, 31));
    assert_eq!(
        cadence::next_check_in(&annual, None),
        date(2026, 2, 28),
        "a month after 31 January"
    );
    assert_eq!(
        cadence::next_check_in(&q3(), Some(date(2023, 9, 25))),
        date(2023, 9, 30),
        "capped at the end"
    );
}

#[test]
fn a_sheet_with_no_goals_has_no_check_in_due() {
    let mut doc = example_sheet(q3());
    for g in sheet(&doc).goals {
        doc.apply(Edit::RemoveGoal { row: g.id }).expect("remove");
    }
    let status = cadence::status(&sheet(&doc), date(2023, 8, 20));
    assert_eq!(status, CheckInStatus::NoGoals);
    assert!(!status.is_due());
    assert_eq!(status.date(), None);
}

#[test]
fn the_next_check_in_follows_the_last_and_an_overdue_one_is_flagged() {
    let mut doc = example_sheet(q3());
    let row = sheet(&doc).goals[0].id.clone();
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 7, 10)),
        CheckInStatus::Upcoming(date(2023, 7, 15))
    );
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 7, 15)),
        CheckInStatus::DueToday(date(2023, 7, 15))
    );
    assert!(cadence::status(&sheet(&doc), date(2023, 7, 20)).is_due());
    doc.apply(Edit::AddCheckIn {
        row,
        check_in: check_in(1, date(2023, 7, 17), 20),
    })
    .expect("check in");
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 7, 20)),
        CheckInStatus::Upcoming(date(2023, 7, 31))
    );
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 8, 2)),
        CheckInStatus::Overdue(date(2023, 7, 31))
    );
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 10, 1)),
        CheckInStatus::CycleEnded
    );
    assert_eq!(
        cadence::status(&sheet(&doc), date(2023, 6, 1)),
        CheckInStatus::NotStarted(date(2023, 7, 31))
    );
}

#[test]
fn sixty_percent_done_ten_percent_behind_plan() {
    // The plan runs from the cycle's start (1 July) to the deadline (10 August): 40 days.
    // On 29 July, 28 days in, 70% is expected; 60% is done.
    let mut g = Goal::blank(RowId::from_random(1));
    g.deadline = Some(date(2023, 8, 10));
    let c = q3();
    assert_eq!(expected(&g, &c, date(2023, 7, 29)), Some(70.0));
    let gap = PlanGap::new(&g, &c, date(2023, 7, 29), 60);
    assert_eq!(gap.gap(), Some(-10));
    assert_eq!(gap.describe(), "60% done, 10% behind plan");
    assert_eq!(
        PlanGap::new(&g, &c, date(2023, 7, 29), 75).describe(),
        "75% done, 5% ahead of plan"
    );
    assert_eq!(
        PlanGap::new(&g, &c, date(2023, 7, 29), 70).describe(),
        "70% done, on plan"
    );
    assert_eq!(
        PlanGap::new(&g, &c, date(2023, 8, 20), 90).describe(),
        "90% done, 10% behind plan"
    );
    g.deadline = None;
    assert_eq!(
        PlanGap::new(&g, &c, date(2023, 7, 29), 60).describe(),
        "60% done"
    );
}

#[test]
fn milestones_replace_the_straight_line() {
    let mut g = Goal::blank(RowId::from_random(1));
    g.deadline = Some(date(2023, 9, 30));
    // Slow start: 20% by 31 July, then the rest.
    g.milestones.push(Milestone {
        id: RowId::from_random(2),
        date: date(2023, 7, 31),
        progress: 20,
    });
    let c = q3();
    assert_eq!(expected(&g, &c, date(2023, 7, 31)), Some(20.0));
    assert_eq!(expected(&g, &c, date(2023, 9, 30)), Some(100.0));
    let mid = expected(&g, &c, date(2023, 8, 30)).expect("planned");
    assert!((mid - 60.0).abs() < 1.0, "{mid}");
}

#[test]
fn the_plan_never_goes_backwards_a_milestone_after_the_deadline_is_ignored() {
    let c = q3();
    let mut g = Goal::blank(RowId::from_random(1));
    g.deadline = Some(date(2023, 8, 31));
    // Dated after the deadline, expecting 80%: it would pull the plan back from 100%.
    g.milestones.push(Milestone {
        id: RowId::from_random(2),
        date: date(2023, 9, 30),
        progress: 80,
    });
    assert!(domain::progress::after_deadline(&g, &g.milestones[0]));
    assert_eq!(expected(&g, &c, date(2023, 8, 31)), Some(100.0));
    assert_eq!(expected(&g, &c, date(2023, 9, 15)), Some(100.0));
    assert_eq!(expected(&g, &c, date(2023, 9, 30)), Some(100.0));
    assert_eq!(expected(&g, &c, date(2023, 10, 5)), Some(100.0));
    // The straight line to the deadline is untouched by it.
    let half = expected(&g, &c, date(2023, 7, 31)).expect("planned");
    assert!((half - 100.0 * 30.0 / 61.0).abs() < 1e-9, "{half}");
    // Two milestones that go down (60% by August, 40% by September): the plan holds at 60%.
    let mut h = Goal::blank(RowId::from_random(3));
    h.deadline = Some(date(2023, 9, 30));
    for (n, d, p) in [(4, date(2023, 8, 1), 60), (5, date(2023, 9, 1), 40)] {
        h.milestones.push(Milestone {
            id: RowId::from_random(n),
            date: d,
            progress: p,
        });
    }
    assert!(!domain::progress::after_deadline(&h, &h.milestones[1]));
    let mut last = 0.0;
    let mut day = c.start;
    while day <= c.end {
        let e = expected(&h, &c, day).expect("planned");
        assert!(e >= last, "{day}: {e} < {last}");
        last = e;
        day = day.succ_opt().expect("next day");
    }
    assert_eq!(expected(&h, &c, date(2023, 8, 15)), Some(60.0));
    // With no deadline, no milestone is "after" it.
    let mut free = Goal::blank(RowId::from_random(6));
    free.milestones = h.milestones.clone();
    assert!(!domain::progress::after_deadline(
        &free,
        &free.milestones[1]
    ));
}

#[test]
fn check_ins_read_as_a_timeline_and_merge_from_both_sides() {
    let mut a = example_sheet(q3());
    let row = sheet(&a).goals[0].id.clone();
    let mut b = a.fork();
    let mut first = check_in(1, date(2023, 7, 14), 20);
    first.done = "3 customers signed".into();
    first.problems = "not enough customer leads".into();
    first.solution = "ask Marketing for 2 regional ad placements".into();
    first.next = "follow up 10 leads".into();
    a.apply(Edit::AddCheckIn {
        row: row.clone(),
        check_in: first.clone(),
    })
    .expect("a");
    b.apply(Edit::AddCheckIn {
        row: row.clone(),
        check_in: check_in(2, date(2023, 7, 28), 45),
    })
    .expect("b");
    a.merge(&mut b).expect("merge");
    let timeline = &sheet(&a).goals[0].check_ins;
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0], CheckIn { seq: 1, ..first });
    assert_eq!(timeline[1].progress, 45);
    let id = timeline[1].id.clone();
    a.apply(Edit::CheckInText {
        row: row.clone(),
        id: id.clone(),
        field: CheckInField::Problems,
        value: "none".into(),
    })
    .expect("edit");
    a.apply(Edit::CheckInProgress {
        row: row.clone(),
        id: id.clone(),
        progress: 150,
    })
    .expect("edit");
    a.apply(Edit::CheckInDate {
        row: row.clone(),
        id: id.clone(),
        date: date(2023, 7, 1),
    })
    .expect("edit");
    let timeline = &sheet(&a).goals[0].check_ins;
    assert_eq!(timeline[0].id, id, "reordered by date");
    assert_eq!(timeline[0].problems, "none");
    assert_eq!(timeline[0].progress, 100, "progress is at most 100%");
    a.apply(Edit::RemoveCheckIn { row, id }).expect("remove");
    assert_eq!(sheet(&a).goals[0].check_ins.len(), 1);
}

#[test]
fn two_check_ins_on_one_day_read_in_the_order_they_were_recorded() {
    let mut doc = example_sheet(q3());
    let row = sheet(&doc).goals[0].id.clone();
    let day = date(2023, 8, 15);
    // The second has the smaller (random) id: ids say nothing about which came first.
    for (n, progress) in [(9, 40), (3, 55)] {
        doc.apply(Edit::AddCheckIn {
            row: row.clone(),
            check_in: check_in(n, day, progress),
        })
        .expect("check in");
    }
    let check = |doc: &SheetDoc| {
        let s = sheet(doc);
        let g = &s.goals[0];
        let progress: Vec<u32> = g.check_ins.iter().map(|c| c.progress).collect();
        assert_eq!(progress, vec![40, 55], "the timeline, oldest first");
        assert_eq!(
            domain::progress::latest(g),
            Some((day, 55)),
            "current progress"
        );
        assert_eq!(PlanGap::new(g, &s.cycle, day, 55).actual, 55);
        // Roll-up and "missed" read the same latest entry.
        let branches = vec![domain::cascade::Branch {
            sheet: "s".into(),
            employee: "e".into(),
            goal: g.id.clone(),
            name: g.name.clone(),
            weight: 50,
            progress: domain::progress::latest(g).map_or(0, |(_, p)| p),
        }];
        assert_eq!(domain::cascade::rollup(&branches), Some(55.0));
    };
    check(&doc);
    check(&SheetDoc::load(&doc.save()).expect("load"));

    // A third, made on another device that has both, sorts after them; and one made at once
    // on two devices is ordered the same way on both.
    let mut other = doc.fork();
    other
        .apply(Edit::AddCheckIn {
            row: row.clone(),
            check_in: check_in(1, day, 70),
        })
        .expect("check in");
    doc.apply(Edit::AddCheckIn {
        row: row.clone(),
        check_in: check_in(2, day, 65),
    })
    .expect("check in");
    let mut merged_here = doc.clone();
    merged_here.merge(&mut other).expect("merge");
    let mut merged_there = other.clone();
    merged_there.merge(&mut doc).expect("merge");
    let order = |d: &SheetDoc| -> Vec<u32> {
        sheet(d).goals[0]
            .check_ins
            .iter()
            .map(|c| c.progress)
            .collect()
    };
    assert_eq!(order(&merged_here), order(&merged_there));
    assert_eq!(&order(&merged_here)[..2], &[40, 55]);
}

// --- Step 1: preparation ---

#[test]
fn the_preparation_pane_round_trips() {
    let mut doc = example_sheet(q3());
    doc.apply(Edit::Prep {
        field: PrepField::DeptTasks,
        value: "launch the new product in Q3; sales +15%".into(),
    })
    .expect("edit");
    doc.apply(Edit::Prep {
        field: PrepField::Wishes,
        value: "wants to grow project-management skills".into(),
    })
    .expect("edit");
    let loaded = SheetDoc::load(&doc.save()).expect("load");
    let prep = sheet(&loaded).prep;
    assert_eq!(prep.dept_tasks, "launch the new product in Q3; sales +15%");
    assert_eq!(prep.wishes, "wants to grow project-management skills");
    assert_eq!(prep.strategy, "");
}

// --- Step 5: assessment ---

fn scored(target: f64, achieved: f64, direction: Direction) -> Goal {
    Goal {
        weight: 100,
        assessment: GoalAssessment {
            target: Some(target),
            achieved: Some(achieved),
            direction,
        },
        ..Goal::blank(RowId::from_random(1))
    }
}

#[test]
fn a_12_percent_target_with_10_achieved_scores_83() {
    let s = goal_score(&scored(12.0, 10.0, Direction::AtLeast), true).expect("scored");
    assert_eq!(s.points, 83);
    assert_eq!(s.working, "10 ÷ 12 = 83.33% → 83");
}

#[test]
fn a_ceiling_inverts_the_ratio_and_the_cap_is_a_setting() {
    let s = goal_score(&scored(5.0, 6.0, Direction::AtMost), true).expect("scored");
    assert_eq!(s.points, 83, "complaint rate 6% against a 5% ceiling");
    let better = scored(5.0, 4.0, Direction::AtMost);
    assert_eq!(goal_score(&better, true).expect("scored").points, 100);
    assert_eq!(goal_score(&better, false).expect("scored").points, 125);
    assert!(goal_score(&better, true)
        .expect("scored")
        .working
        .ends_with("capped at 100"));
    assert_eq!(
        goal_score(&scored(5.0, 0.0, Direction::AtMost), false)
            .expect("scored")
            .points,
        100
    );
    assert_eq!(
        goal_score(&scored(10.0, 15.0, Direction::AtLeast), false)
            .expect("scored")
            .points,
        150
    );
}

#[test]
fn unscorable_goals_say_what_is_missing() {
    let mut g = Goal::blank(RowId::from_random(1));
    assert_eq!(goal_score(&g, true), Err(ScoreError::NoTarget));
    g.assessment.target = Some(12.0);
    assert_eq!(goal_score(&g, true), Err(ScoreError::NoAchieved));
    g.assessment = GoalAssessment {
        target: Some(0.0),
        achieved: Some(3.0),
        direction: Direction::AtLeast,
    };
    assert_eq!(goal_score(&g, true), Err(ScoreError::ZeroTarget));
    g.assessment.target = Some(-1.0);
    assert_eq!(goal_score(&g, true), Err(ScoreError::Negative));
}

#[test]
fn the_final_score_is_70_percent_quantitative_and_30_percent_behaviour() {
    let mut doc = example_sheet(q3());
    let rows: Vec<RowId> = sheet(&doc).goals.iter().map(|g| g.id.clone()).collect();
    let results = [
        (12.0, 10.0, Direction::AtLeast),
        (5.0, 4.0, Direction::AtMost),
        (90.0, 95.0, Direction::AtLeast),
    ];
    for (row, (t, a, d)) in rows.iter().zip(results) {
        doc.apply(Edit::GoalTarget {
            row: row.clone(),
            value: Some(t),
        })
        .expect("target");
        doc.apply(Edit::GoalAchieved {
            row: row.clone(),
            value: Some(a),
        })
        .expect("achieved");
        doc.apply(Edit::GoalDirection {
            row: row.clone(),
            direction: d,
        })
        .expect("direction");
    }
    doc.apply(Edit::AddDeduction(Deduction {
        id: RowId::from_random(77),
        dimension: Dimension::Communication,
        reason: "repeated late feedback".into(),
        points: 10,
    }))
    .expect("deduct");
    let a = assess(&sheet(&doc));
    let points: Vec<u32> = a
        .goals
        .iter()
        .map(|(_, _, s)| s.as_ref().expect("scored").points)
        .collect();
    assert_eq!(points, [83, 100, 100]);
    // 50% × 83 + 30% × 100 + 20% × 100 = 91.5
    assert_eq!(a.quantitative, Some(91.5));
    assert_eq!(
        a.quantitative_working,
        "50% × 83 + 30% × 100 + 20% × 100 = 91.5"
    );
    assert_eq!(a.behaviour, 90);
    assert_eq!(
        a.behaviour_working,
        "100 − 10 (repeated late feedback) = 90"
    );
    // 70% × 91.5 + 30% × 90 = 64.05 + 27 = 91.05 → 91.1 (one decimal, half away from zero)
    assert_eq!(a.final_score, Some(91.1));
    assert_eq!(a.final_working, "70% × 91.5 + 30% × 90 = 91.1");

    // The shares are the sheet's to change, and the cap too.
    doc.apply(Edit::SetQuantitativeShare(60)).expect("share");
    doc.apply(Edit::SetCap(false)).expect("cap");
    let a = assess(&sheet(&doc));
    let points: Vec<u32> = a
        .goals
        .iter()
        .map(|(_, _, s)| s.as_ref().expect("scored").points)
        .collect();
    assert_eq!(points, [83, 125, 106]);
    assert_eq!(a.quantitative, Some(100.2));
    assert_eq!(a.final_score, Some(96.1));
    assert_eq!(a.final_working, "60% × 100.2 + 40% × 90 = 96.1");
}

#[test]
fn a_sheet_with_an_unscored_goal_has_no_final_score_yet() {
    let doc = example_sheet(q3());
    let a = assess(&sheet(&doc));
    assert_eq!(a.final_score, None);
    assert_eq!(
        a.quantitative_working,
        "3 goal(s) still need a target and a result"
    );
    assert_eq!(a.behaviour, 100);
}

#[test]
fn assessment_inputs_round_trip_and_deductions_can_be_edited() {
    let mut doc = example_sheet(q3());
    let id = RowId::from_random(5);
    doc.apply(Edit::AddDeduction(Deduction {
        id: id.clone(),
        dimension: Dimension::Teamwork,
        reason: "x".into(),
        points: 5,
    }))
    .expect("add");
    doc.apply(Edit::DeductionReason {
        id: id.clone(),
        value: "missed two stand-ups".into(),
    })
    .expect("edit");
    doc.apply(Edit::DeductionPoints {
        id: id.clone(),
        points: 7,
    })
    .expect("edit");
    doc.apply(Edit::DeductionDimension {
        id: id.clone(),
        dimension: Dimension::ProblemSolving,
    })
    .expect("edit");
    let loaded = SheetDoc::load(&doc.save()).expect("load");
    let d = &sheet(&loaded).assessment.deductions[0];
    assert_eq!(
        (d.reason.as_str(), d.points, d.dimension),
        ("missed two stand-ups", 7, Dimension::ProblemSolving)
    );
    assert!(sheet(&loaded).assessment.cap, "capped by default");
    assert_eq!(
        sheet(&loaded).assessment.quantitative_share,
        70,
        "70/30 by default"
    );
    doc.apply(Edit::RemoveDeduction { id }).expect("remove");
    assert!(sheet(&doc).assessment.deductions.is_empty());
}

#[test]
fn lists_made_on_two_devices_at_once_lose_no_entry() {
    // A row from before check-ins existed has no list: each device makes its own when it
    // records the first check-in, and the two lists conflict. Both entries must still show.
    let mut a = example_sheet(q3());
    let row = sheet(&a).goals[0].id.clone();
    {
        use automerge::transaction::Transactable;
        let doc = a.automerge_mut();
        let goals = match automerge::ReadDoc::get(doc, automerge::ROOT, "goals").expect("get") {
            Some((_, id)) => id,
            None => panic!("no goals"),
        };
        let row_obj = match automerge::ReadDoc::get(doc, &goals, row.as_str()).expect("get") {
            Some((_, id)) => id,
            None => panic!("no row"),
        };
        doc.delete(&row_obj, "checkins").expect("delete");
        doc.commit();
    }
    let mut b = a.fork();
    a.apply(Edit::AddCheckIn {
        row: row.clone(),
        check_in: check_in(1, date(2023, 7, 14), 20),
    })
    .expect("a");
    b.apply(Edit::AddCheckIn {
        row: row.clone(),
        check_in: check_in(2, date(2023, 7, 28), 45),
    })
    .expect("b");
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    for doc in [&a, &b] {
        let progress: Vec<u32> = sheet(doc).goals[0]
            .check_ins
            .iter()
            .map(|c| c.progress)
            .collect();
        assert_eq!(progress, [20, 45]);
    }
    // An entry in the losing list can still be edited and removed.
    let ids: Vec<RowId> = sheet(&a).goals[0]
        .check_ins
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for id in &ids {
        a.apply(Edit::CheckInProgress {
            row: row.clone(),
            id: id.clone(),
            progress: 50,
        })
        .expect("edit");
    }
    assert!(sheet(&a).goals[0]
        .check_ins
        .iter()
        .all(|c| c.progress == 50));
    for id in ids {
        a.apply(Edit::RemoveCheckIn {
            row: row.clone(),
            id,
        })
        .expect("remove");
    }
    assert!(sheet(&a).goals[0].check_ins.is_empty());
}
