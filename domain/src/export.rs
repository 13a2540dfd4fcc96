//! CSV exports: the goal-setting sheet (Template 1) and the follow-up records (Template 2).
//!
//! RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, lines end
//! with CRLF. The file starts with a UTF-8 byte order mark so that spreadsheet programs read
//! Chinese text right. Header labels come from the caller, in the user's language.
//!
//! A field that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) gets a leading `'`, so that text anyone with the sheet's link typed
//! opens as text, never as a formula (CSV injection).

use crate::model::Sheet;

/// The columns of Template 1, in order.
pub const GOAL_COLUMNS: usize = 7;
/// The columns of Template 2, in order.
pub const CHECK_IN_COLUMNS: usize = 7;

const BOM: &str = "\u{feff}";

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn field(out: &mut String, value: &str) {
    let guarded;
    let value = if value.starts_with(FORMULA_START) {
        guarded = format!("'{value}");
        guarded.as_str()
    } else {
        value
    };
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn row<S: AsRef<str>>(out: &mut String, values: &[S]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, v.as_ref());
    }
    out.push_str("\r\n");
}

/// Template 1 as CSV: goal type, goal name, measure, weight (%), deadline, owner, support.
/// `types` names the goal types (result, process, development) in the user's language.
pub fn goals_csv(
    sheet: &Sheet,
    headers: [&str; GOAL_COLUMNS],
    types: impl Fn(crate::GoalType) -> String,
) -> String {
    let mut out = String::from(BOM);
    row(&mut out, &headers);
    for g in &sheet.goals {
        row(
            &mut out,
            &[
                types(g.goal_type),
                g.name.clone(),
                g.measure.clone(),
                g.weight.to_string(),
                g.deadline.map(crate::date::format_iso).unwrap_or_default(),
                g.owner.clone(),
                g.support.clone(),
            ],
        );
    }
    out
}

/// Template 2 as CSV: goal name, check-in date, progress (%), main progress, problems,
/// solution, next step; goals in sheet order, each goal's check-ins oldest first.
pub fn check_ins_csv(sheet: &Sheet, headers: [&str; CHECK_IN_COLUMNS]) -> String {
    let mut out = String::from(BOM);
    row(&mut out, &headers);
    for g in &sheet.goals {
        for c in &g.check_ins {
            row(
                &mut out,
                &[
                    g.name.clone(),
                    crate::date::format_iso(c.date),
                    c.progress.to_string(),
                    c.done.clone(),
                    c.problems.clone(),
                    c.solution.clone(),
                    c.next.clone(),
                ],
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CheckIn, Cycle, CycleKind, Edit, Goal, GoalType, NewSheet, RowId, SheetDoc};
    use chrono::NaiveDate;

    fn sheet() -> Sheet {
        let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).expect("date");
        let mut doc = SheetDoc::create(&NewSheet {
            title: "Q3".into(),
            employee: "员工X".into(),
            manager: "M".into(),
            cycle: Cycle {
                kind: CycleKind::Quarterly,
                start: d(7, 1),
                end: d(9, 30),
            },
        })
        .expect("create");
        doc.apply(Edit::AddGoal(Goal {
            goal_type: GoalType::Result,
            name: "华南区域Q3新增客户".into(),
            measure: "新增有效客户8家, \"签约率\"≥70%".into(),
            weight: 50,
            deadline: Some(d(9, 30)),
            owner: "员工X".into(),
            support: "市场部提供客户名单\n预算5000元".into(),
            ..Goal::blank(RowId::from_random(1))
        }))
        .expect("add");
        doc.apply(Edit::AddCheckIn {
            row: RowId::from_random(1),
            check_in: CheckIn {
                id: RowId::from_random(2),
                date: d(7, 14),
                seq: 0,
                progress: 60,
                done: "3 signed".into(),
                problems: "客户资源不足".into(),
                solution: "ask Marketing".into(),
                next: "follow up, then report".into(),
            },
        })
        .expect("check in");
        doc.read().expect("read")
    }

    #[test]
    fn goals_are_quoted_where_they_must_be_and_start_with_a_bom() {
        let csv = goals_csv(
            &sheet(),
            [
                "目标类型",
                "目标名称",
                "衡量标准(关键成果)",
                "权重(%)",
                "完成时限",
                "责任人",
                "所需支持",
            ],
            |t| match t {
                GoalType::Result => "结果型".into(),
                other => other.label().into(),
            },
        );
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines[0],
            "目标类型,目标名称,衡量标准(关键成果),权重(%),完成时限,责任人,所需支持"
        );
        assert_eq!(
            lines[1],
            "结果型,华南区域Q3新增客户,\"新增有效客户8家, \"\"签约率\"\"≥70%\",50,2023-09-30,员工X,\"市场部提供客户名单\n预算5000元\""
        );
        assert_eq!(
            lines.len(),
            3,
            "a line break inside a field stays inside its quotes"
        );
    }

    #[test]
    fn fields_a_spreadsheet_would_run_as_formulas_are_kept_as_text() {
        let mut doc = SheetDoc::create(&NewSheet {
            title: "Q3".into(),
            employee: "X".into(),
            manager: "M".into(),
            cycle: Cycle {
                kind: CycleKind::Quarterly,
                start: NaiveDate::from_ymd_opt(2023, 7, 1).expect("date"),
                end: NaiveDate::from_ymd_opt(2023, 9, 30).expect("date"),
            },
        })
        .expect("create");
        let row = RowId::from_random(1);
        doc.apply(Edit::AddGoal(Goal {
            name: "=HYPERLINK(\"http://evil.example\",\"click\")".into(),
            measure: "+1 new customer".into(),
            owner: "@SUM(A1:A9)".into(),
            support: "-2+3".into(),
            ..Goal::blank(row.clone())
        }))
        .expect("add");
        doc.apply(Edit::AddCheckIn {
            row,
            check_in: CheckIn {
                id: RowId::from_random(2),
                date: NaiveDate::from_ymd_opt(2023, 7, 14).expect("date"),
                seq: 0,
                progress: 10,
                done: "\t=1+1".into(),
                problems: "\r=cmd|' /C calc'!A0".into(),
                solution: "a = b is fine inside".into(),
                next: "email me@example.com".into(),
            },
        })
        .expect("check in");
        let sheet = doc.read().expect("read");
        let goals = goals_csv(&sheet, ["t", "n", "m", "w", "d", "o", "s"], |t| {
            t.label().into()
        });
        let line = goals.split("\r\n").nth(1).expect("a row");
        assert_eq!(
            line,
            "Result,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\
             '+1 new customer,0,,'@SUM(A1:A9),'-2+3"
        );
        let records = check_ins_csv(&sheet, ["g", "d", "p", "x", "y", "z", "n"]);
        let line = records.split("\r\n").nth(1).expect("a row");
        assert_eq!(
            line,
            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",2023-07-14,10,'\t=1+1,\
             \"'\r=cmd|' /C calc'!A0\",a = b is fine inside,email me@example.com"
        );
    }

    #[test]
    fn check_ins_list_every_record_with_its_goal() {
        let csv = check_ins_csv(
            &sheet(),
            [
                "goal", "date", "progress", "done", "problems", "solution", "next",
            ],
        );
        let body = csv.trim_start_matches('\u{feff}');
        assert_eq!(
            body,
            "goal,date,progress,done,problems,solution,next\r\n华南区域Q3新增客户,2023-07-14,60,3 signed,客户资源不足,ask Marketing,\"follow up, then report\"\r\n"
        );
    }
}
