//! Steps 2 (cascade), 5 and 6 (results and the next cycle), and the knowledge base.

mod common;
use common::*;

use domain::cascade::{rollup, tree, Branch};
use domain::hints::sheet_goal_hints;
use domain::kb::{self, Practice};
use domain::results::{missed, next_cycle, period_label, plan_next, CarryOverLabels, PeriodNames};
use domain::{
    Cause, CheckIn, Cycle, CycleKind, DevItem, Direction, Edit, Goal, GoalAssessment, GoalLink,
    NewSheet, RowId, Sheet, SheetDoc, SheetKind, SheetRef,
};

fn new_doc(title: &str, employee: &str) -> SheetDoc {
    SheetDoc::create(&NewSheet {
        title: title.into(),
        employee: employee.into(),
        manager: "Manager".into(),
        cycle: q3(),
    })
    .expect("create")
}

fn goal(n: u64, name: &str, weight: u32) -> Goal {
    Goal {
        name: name.into(),
        weight,
        measure: "≥ 1".into(),
        deadline: Some(date(2023, 9, 30)),
        ..Goal::blank(RowId::from_random(n))
    }
}

fn check_in(n: u64, progress: u32) -> CheckIn {
    CheckIn {
        id: RowId::from_random(500 + n),
        date: date(2023, 8, 1),
        seq: 0,
        progress,
        done: String::new(),
        problems: String::new(),
        solution: String::new(),
        next: String::new(),
    }
}

const DEPT: &str = "dept-sheet-id";

/// The template's cascade: the department's "Q3 sales +15%", employee A (South China) and
/// employee B (East China) under it.
fn cascade() -> (Sheet, Vec<(String, Sheet)>) {
    let mut dept = new_doc("Sales department Q3", "Sales department");
    dept.apply(Edit::SetKind(SheetKind::Department))
        .expect("kind");
    dept.apply(Edit::AddGoal(goal(1, "Q3 sales +15%", 100)))
        .expect("add");
    let dept_goal = RowId::from_random(1);
    let mut employees = Vec::new();
    for (sid, who, name, weight, progress) in [
        (
            "sheet-a",
            "Employee A",
            "South China: 8 new customers in Q3, sales +12%",
            60,
            50,
        ),
        (
            "sheet-b",
            "Employee B",
            "East China: 12 new customers in Q3, sales +18%",
            40,
            80,
        ),
    ] {
        let mut doc = new_doc(&format!("{who} Q3"), who);
        doc.apply(Edit::SetDepartment(Some(SheetRef {
            sheet: DEPT.into(),
            name: "Sales department".into(),
        })))
        .expect("dept");
        let row = RowId::from_random(10);
        doc.apply(Edit::AddGoal(Goal {
            link: Some(GoalLink {
                sheet: DEPT.into(),
                row: dept_goal.clone(),
                name: "Q3 sales +15%".into(),
            }),
            ..goal(10, name, weight)
        }))
        .expect("add");
        doc.apply(Edit::AddCheckIn {
            row,
            check_in: check_in(1, progress),
        })
        .expect("check in");
        dept.apply(Edit::AddMember(SheetRef {
            sheet: sid.into(),
            name: who.into(),
        }))
        .expect("member");
        employees.push((sid.to_string(), doc.read().expect("read")));
    }
    (dept.read().expect("read"), employees)
}

#[test]
fn the_template_cascade_is_a_tree_with_a_weighted_roll_up() {
    let (dept, employees) = cascade();
    assert_eq!(dept.kind, SheetKind::Department);
    assert_eq!(
        dept.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["Employee A", "Employee B"]
    );
    let nodes = tree(DEPT, &dept, &employees);
    assert_eq!(nodes.len(), 1);
    let node = &nodes[0];
    assert_eq!(node.name, "Q3 sales +15%");
    let under: Vec<(&str, u32, u32)> = node
        .branches
        .iter()
        .map(|b| (b.employee.as_str(), b.weight, b.progress))
        .collect();
    assert_eq!(under, [("Employee A", 60, 50), ("Employee B", 40, 80)]);
    assert!(node.branches[0].name.contains("sales +12%"));
    assert!(node.branches[1].name.contains("sales +18%"));
    // (60 × 50 + 40 × 80) ÷ 100 = 62
    assert_eq!(node.rollup, Some(62.0));
}

#[test]
fn a_roll_up_without_weights_is_a_plain_average_and_none_without_goals() {
    let b = |p| Branch {
        sheet: "s".into(),
        employee: "e".into(),
        goal: RowId::from_random(1),
        name: "g".into(),
        weight: 0,
        progress: p,
    };
    assert_eq!(rollup(&[b(40), b(80)]), Some(60.0));
    assert_eq!(rollup(&[]), None);
}

#[test]
fn an_employee_goal_linked_to_no_department_goal_gets_a_relevance_hint() {
    let (_, employees) = cascade();
    let sheet = &employees[0].1;
    assert!(sheet_goal_hints(sheet, &sheet.goals[0]).is_empty());
    let unlinked = goal(11, "Something else entirely: 3 trainings", 10);
    assert_eq!(
        sheet_goal_hints(sheet, &unlinked)
            .iter()
            .map(|h| h.code())
            .collect::<Vec<_>>(),
        ["not-linked"]
    );
    // A sheet with no department needs no link.
    let mut lone = sheet.clone();
    lone.department = None;
    assert!(sheet_goal_hints(&lone, &unlinked).is_empty());
}

#[test]
fn the_link_survives_both_sheets_being_edited_offline() {
    // The department's sheet and an employee's sheet, each on two devices.
    let mut dept = new_doc("Sales department Q3", "Sales department");
    dept.apply(Edit::SetKind(SheetKind::Department))
        .expect("kind");
    dept.apply(Edit::AddGoal(goal(1, "Q3 sales +15%", 100)))
        .expect("add");
    let mut dept_other = dept.fork();
    let mut emp = new_doc("A", "Employee A");
    emp.apply(Edit::SetDepartment(Some(SheetRef {
        sheet: DEPT.into(),
        name: "Sales department".into(),
    })))
    .expect("dept");
    emp.apply(Edit::AddGoal(goal(10, "South China", 60)))
        .expect("add");
    let mut emp_other = emp.fork();

    // All four edit at once, offline. The employee links the goal on one device while the
    // other changes its weight and records a check-in; on the department's side one device
    // renames the linked department goal and the other adds a goal before it and moves it.
    emp.apply(Edit::LinkGoal {
        row: RowId::from_random(10),
        link: Some(GoalLink {
            sheet: DEPT.into(),
            row: RowId::from_random(1),
            name: "Q3 sales +15%".into(),
        }),
    })
    .expect("link");
    emp_other
        .apply(Edit::GoalWeight {
            row: RowId::from_random(10),
            weight: 70,
        })
        .expect("edit");
    emp_other
        .apply(Edit::AddCheckIn {
            row: RowId::from_random(10),
            check_in: check_in(1, 40),
        })
        .expect("check in");
    dept.apply(Edit::GoalText {
        row: RowId::from_random(1),
        field: domain::GoalField::Name,
        value: "Q3 sales +16%".into(),
    })
    .expect("rename");
    dept_other
        .apply(Edit::AddGoal(goal(2, "Key accounts renewal ≥ 90%", 0)))
        .expect("add");
    dept_other
        .apply(Edit::MoveGoal {
            row: RowId::from_random(2),
            up: true,
        })
        .expect("move");
    dept_other
        .apply(Edit::AddMember(SheetRef {
            sheet: "sheet-a".into(),
            name: "Employee A".into(),
        }))
        .expect("member");

    // Back online, each pair merges (both ways round, as each device would).
    let merged = |a: &mut SheetDoc, b: &mut SheetDoc| {
        let mut ab = a.clone();
        ab.merge(&mut b.clone()).expect("merge");
        let mut ba = b.clone();
        ba.merge(&mut a.clone()).expect("merge");
        let (x, y) = (ab.read().expect("read"), ba.read().expect("read"));
        assert_eq!(x, y, "both devices read the same merged sheet");
        x
    };
    let dept_sheet = merged(&mut dept, &mut dept_other);
    let emp_sheet = merged(&mut emp, &mut emp_other);
    let g = &emp_sheet.goals[0];
    assert_eq!(g.weight, 70);
    assert_eq!(
        g.link.as_ref().map(|l| (l.sheet.as_str(), l.row.clone())),
        Some((DEPT, RowId::from_random(1)))
    );

    // The tree, rebuilt from the merged copies: the renamed department goal (now second) with
    // the employee's goal, its merged weight and progress, under it; the new one has none.
    let nodes = tree(DEPT, &dept_sheet, &[("sheet-a".into(), emp_sheet.clone())]);
    type Under<'a> = Vec<(&'a str, u32, u32)>;
    let summary: Vec<(&str, Under)> = nodes
        .iter()
        .map(|n| {
            (
                n.name.as_str(),
                n.branches
                    .iter()
                    .map(|b| (b.name.as_str(), b.weight, b.progress))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Key accounts renewal ≥ 90%", vec![]),
            ("Q3 sales +16%", vec![("South China", 70, 40)]),
        ]
    );
    assert_eq!(nodes[1].rollup, Some(40.0));
    assert_eq!(dept_sheet.members.len(), 1);
}

#[test]
fn missed_goals_are_those_assessed_below_100_or_short_at_the_cycles_end() {
    let cycle = q3();
    let (mid, last_day, after) = (date(2023, 8, 15), date(2023, 9, 30), date(2023, 10, 9));
    let scored = |t, a| Goal {
        assessment: GoalAssessment {
            target: Some(t),
            achieved: Some(a),
            direction: Direction::AtLeast,
        },
        ..goal(1, "g", 50)
    };
    // Assessed: below target is missed, whenever it is asked.
    for today in [mid, after] {
        assert!(missed(&scored(12.0, 10.0), true, &cycle, today));
        assert!(!missed(&scored(12.0, 12.0), true, &cycle, today));
    }
    // Not assessed and no check-in: not missed, mid-cycle or after (nothing says so).
    let blank = goal(2, "g", 50);
    assert!(!missed(&blank, true, &cycle, mid), "unassessed mid-cycle");
    assert!(!missed(&blank, true, &cycle, after));
    // Not assessed, 60% done: on its way mid-cycle, missed once the cycle has ended.
    let mut partial = goal(3, "g", 50);
    partial.check_ins.push(check_in(1, 60));
    assert!(
        !missed(&partial, true, &cycle, mid),
        "in progress mid-cycle"
    );
    assert!(
        missed(&partial, true, &cycle, last_day),
        "short on the last day"
    );
    assert!(missed(&partial, true, &cycle, after), "short after the end");
    // Done: not missed.
    let mut done = goal(4, "g", 50);
    done.check_ins.push(check_in(1, 100));
    assert!(!missed(&done, true, &cycle, after));
    // A recorded cause (or plan) says it was missed, even mid-cycle.
    let mut analysed = goal(5, "g", 50);
    analysed.miss.cause = Some(Cause::Resources);
    assert!(
        missed(&analysed, true, &cycle, mid),
        "an analysed miss counts"
    );
}

#[test]
fn the_next_cycle_follows_the_calendar() {
    assert_eq!(
        next_cycle(&q3()),
        Cycle {
            kind: CycleKind::Quarterly,
            start: date(2023, 10, 1),
            end: date(2023, 12, 31)
        }
    );
    let dec = Cycle {
        kind: CycleKind::Monthly,
        start: date(2023, 12, 1),
        end: date(2023, 12, 31),
    };
    assert_eq!(next_cycle(&dec).end, date(2024, 1, 31));
    let odd = Cycle {
        kind: CycleKind::Monthly,
        start: date(2023, 12, 15),
        end: date(2024, 1, 14),
    };
    assert_eq!(
        next_cycle(&odd),
        Cycle {
            kind: CycleKind::Monthly,
            start: date(2024, 1, 15),
            end: date(2024, 2, 14)
        }
    );
    assert_eq!(period_label(&next_cycle(&q3())), "2023 Q4");
}

#[test]
fn starting_the_next_cycle_carries_missed_goals_plans_and_development() {
    let mut doc = new_doc("Employee X Q3", "Employee X");
    let scored = |n, name: &str, t, a| Goal {
        assessment: GoalAssessment {
            target: Some(t),
            achieved: Some(a),
            direction: Direction::AtLeast,
        },
        support: "Marketing list".into(),
        ..goal(n, name, 50)
    };
    doc.apply(Edit::AddGoal(scored(
        1,
        "South China: new customers",
        12.0,
        10.0,
    )))
    .expect("add");
    doc.apply(Edit::AddGoal(scored(2, "Product knowledge", 90.0, 95.0)))
        .expect("add");
    doc.apply(Edit::MissCause {
        row: RowId::from_random(1),
        cause: Some(Cause::Resources),
    })
    .expect("cause");
    doc.apply(Edit::MissPlan {
        row: RowId::from_random(1),
        value: "two regional ad placements".into(),
    })
    .expect("plan");
    doc.apply(Edit::AddDevItem(DevItem {
        id: RowId::from_random(9),
        text: "2 data-analysis trainings next quarter".into(),
    }))
    .expect("dev");
    let sheet = doc.read().expect("read");
    let mut n = 100;
    let next = plan_next(
        &sheet,
        &CarryOverLabels::english(),
        date(2023, 10, 9),
        || {
            n += 1;
            RowId::from_random(n)
        },
    );
    assert_eq!(
        next.new.cycle,
        Cycle {
            kind: CycleKind::Quarterly,
            start: date(2023, 10, 1),
            end: date(2023, 12, 31)
        }
    );
    assert_eq!(next.new.title, "Employee X · 2023 Q4");
    let names: Vec<&str> = next.goals.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "South China: new customers",
            "2 data-analysis trainings next quarter"
        ],
        "the met goal stays behind"
    );
    let carried = &next.goals[0];
    assert_ne!(carried.id, RowId::from_random(1), "a new row");
    assert_eq!(carried.deadline, Some(date(2023, 12, 31)));
    assert_eq!(carried.assessment, GoalAssessment::default());
    assert!(carried.check_ins.is_empty());
    assert!(carried
        .support
        .contains("Improvement plan: two regional ad placements"));
    assert_eq!(next.goals[1].goal_type, domain::GoalType::Development);
    assert!(next.prep.last_results.contains(
        "South China: new customers (missed: resources); plan: two regional ad placements"
    ));
    assert!(next.prep.wishes.contains("2 data-analysis trainings"));
    assert_eq!(
        next.prep.last_results,
        "Carried over from Employee X Q3 (2023-07-01 – 2023-09-30).\nMissed goals:\n\
         • South China: new customers (missed: resources); plan: two regional ad placements"
    );

    // In Chinese, with the words the app passes for zh-CN: nothing of it is English.
    let zh = CarryOverLabels {
        carried_from: "承接自{}({} – {})。",
        missed_goals: "未达成的目标:",
        missed: "• {}(未达成)",
        missed_because: "• {}(未达成:{})",
        plan: ";改进计划:{}",
        improvement_plan: "改进计划:{}",
        cause: |c| match c {
            Cause::Resources => "资源不足".into(),
            Cause::SkillGap => "能力差距".into(),
            Cause::Other => "其他".into(),
        },
        date: |d| {
            use chrono::Datelike;
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        },
        period: PeriodNames {
            monthly: "{y}年{M}月",
            quarterly: "{y}年第{q}季度",
            annual: "{y}年度",
        },
    };
    let next = plan_next(&sheet, &zh, date(2023, 10, 9), || {
        n += 1;
        RowId::from_random(n)
    });
    assert_eq!(next.new.title, "Employee X · 2023年第4季度");
    assert_eq!(
        next.prep.last_results,
        "承接自Employee X Q3(2023年7月1日 – 2023年9月30日)。\n未达成的目标:\n\
         • South China: new customers(未达成:资源不足);改进计划:two regional ad placements"
    );
    assert_eq!(
        next.goals[0].support,
        "Marketing list\n改进计划:two regional ad placements"
    );
}

#[test]
fn results_and_development_plan_round_trip() {
    let mut doc = new_doc("X", "X");
    doc.apply(Edit::ResultsText {
        field: domain::ResultsField::Training,
        value: "priority for leadership training".into(),
    })
    .expect("edit");
    doc.apply(Edit::ResultsText {
        field: domain::ResultsField::Interview,
        value: "acknowledged results".into(),
    })
    .expect("edit");
    let id = RowId::from_random(3);
    doc.apply(Edit::AddDevItem(DevItem {
        id: id.clone(),
        text: "x".into(),
    }))
    .expect("add");
    doc.apply(Edit::DevItemText {
        id: id.clone(),
        value: "2 trainings".into(),
    })
    .expect("edit");
    doc.apply(Edit::SetNext("next-id".into())).expect("next");
    let loaded = SheetDoc::load(&doc.save()).expect("load");
    let s = loaded.read().expect("read");
    assert_eq!(s.results.training, "priority for leadership training");
    assert_eq!(s.results.interview, "acknowledged results");
    assert_eq!(s.development[0].text, "2 trainings");
    assert_eq!(s.next.as_deref(), Some("next-id"));
    doc.apply(Edit::RemoveDevItem { id }).expect("remove");
    assert!(doc.read().expect("read").development.is_empty());
}

fn practice(n: u64, text: &str, at: &str) -> Practice {
    Practice {
        id: RowId::from_random(n),
        text: text.into(),
        tags: "collaboration".into(),
        source: "Employee A Q3".into(),
        sheet: "sheet-a".into(),
        author: "Manager".into(),
        at: at.into(),
    }
}

#[test]
fn the_knowledge_base_collects_practices_from_two_devices_and_searches_them() {
    let mut a = kb::create("Sales department").expect("create");
    let mut b = a.fork();
    kb::add(
        &mut a,
        &practice(
            1,
            "Cross-department collaboration delivered the project early",
            "2023-09-01",
        ),
    )
    .expect("add");
    kb::add(
        &mut b,
        &practice(2, "跨部门协作使项目提前交付", "2023-09-02"),
    )
    .expect("add");
    a.merge(&mut b).expect("merge");
    let base = kb::read(&a).expect("read");
    assert_eq!(base.name, "Sales department");
    assert_eq!(base.practices.len(), 2);
    assert_eq!(
        base.practices[0].text, "跨部门协作使项目提前交付",
        "newest first"
    );
    assert_eq!(base.search("project EARLY").len(), 1);
    assert_eq!(base.search("协作").len(), 1);
    assert_eq!(base.search("collaboration").len(), 2, "tags are searched");
    assert!(base.search("nothing like this").is_empty());
    assert!(kb::is_knowledge_base(&a));
    assert!(!kb::is_knowledge_base(new_doc("s", "e").automerge()));
}

#[test]
fn a_roll_up_of_huge_weights_does_not_overflow() {
    let branch = |weight, progress| domain::cascade::Branch {
        sheet: "s".into(),
        employee: "e".into(),
        goal: RowId::from_random(1),
        name: "g".into(),
        weight,
        progress,
    };
    let r = domain::cascade::rollup(&[branch(u32::MAX, 50), branch(u32::MAX, 100)]);
    assert_eq!(r, Some(75.0));
}

#[test]
fn a_link_keeps_the_department_goals_name_for_devices_without_the_department_sheet() {
    let mut emp = new_doc("Employee A Q3", "Employee A");
    emp.apply(Edit::AddGoal(goal(1, "South China +12%", 100)))
        .expect("add");
    emp.apply(Edit::LinkGoal {
        row: RowId::from_random(1),
        link: Some(GoalLink {
            sheet: DEPT.into(),
            row: RowId::from_random(7),
            name: "Q3 sales +15%".into(),
        }),
    })
    .expect("link");
    // Another device with only the employee's sheet reads the name from the link itself.
    let fresh = SheetDoc::load(&emp.save()).expect("load");
    let link = fresh.read().expect("read").goals[0].link.clone();
    assert_eq!(
        link,
        Some(GoalLink {
            sheet: DEPT.into(),
            row: RowId::from_random(7),
            name: "Q3 sales +15%".into(),
        })
    );
}

#[test]
fn a_practice_captured_on_a_device_without_the_knowledge_base_merges_into_it() {
    // The knowledge base exists on the manager's device, with one practice.
    let mut manager = kb::create("Sales department").expect("create");
    kb::add(
        &mut manager,
        &practice(1, "Weekly pipeline review", "2023-09-01"),
    )
    .expect("add");
    // A fresh device has never had it: it starts its own copy and captures a practice there.
    let mut fresh = automerge::AutoCommit::new();
    assert!(
        kb::add(&mut fresh, &practice(2, "x", "2023-09-02")).is_err(),
        "not a KB yet"
    );
    kb::start_copy(&mut fresh).expect("start");
    kb::add(
        &mut fresh,
        &practice(2, "Cross-department collaboration", "2023-09-02"),
    )
    .expect("add");
    assert_eq!(kb::read(&fresh).expect("read").practices.len(), 1);
    // Meanwhile the manager adds another.
    kb::add(&mut manager, &practice(3, "Shared calendar", "2023-09-03")).expect("add");
    // They meet (either way round): the name and all three practices, on both.
    let mut one = manager.clone();
    one.merge(&mut fresh.clone()).expect("merge");
    let mut two = fresh.clone();
    two.merge(&mut manager.clone()).expect("merge");
    for doc in [&one, &two] {
        let base = kb::read(doc).expect("read");
        assert_eq!(base.name, "Sales department");
        let mut texts: Vec<&str> = base.practices.iter().map(|p| p.text.as_str()).collect();
        texts.sort_unstable();
        assert_eq!(
            texts,
            [
                "Cross-department collaboration",
                "Shared calendar",
                "Weekly pipeline review"
            ]
        );
    }
    // And adding after the merge still works, on either copy.
    kb::add(&mut two, &practice(4, "Pair selling", "2023-09-04")).expect("add");
    assert_eq!(kb::read(&two).expect("read").practices.len(), 4);
    // start_copy leaves a real knowledge base alone; add refuses a goal sheet.
    let before = kb::read(&manager).expect("read");
    kb::start_copy(&mut manager).expect("start");
    assert_eq!(kb::read(&manager).expect("read"), before);
    let mut sheet = new_doc("s", "e");
    assert!(matches!(
        kb::add(sheet.automerge_mut(), &practice(5, "x", "2023-09-05")),
        Err(domain::DocError::NotAKnowledgeBase)
    ));
}
