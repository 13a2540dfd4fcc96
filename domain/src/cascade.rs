//! Step 2's cascade (层级对齐): department goals, the employee goals that link to them, and a
//! roll-up of their progress.
//!
//! Sheets are separate documents: an employee goal names its department goal by sheet id and
//! row id, so the link survives either sheet being edited offline, and the tree is assembled
//! from whichever sheets this device holds.

use crate::model::{Goal, RowId, Sheet};
use crate::progress;

/// One employee goal under a department goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    /// The employee sheet's id.
    pub sheet: String,
    pub employee: String,
    pub goal: RowId,
    pub name: String,
    pub weight: u32,
    /// Latest recorded progress, in percent.
    pub progress: u32,
}

/// A department goal with the employee goals that link to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub goal: RowId,
    pub name: String,
    pub measure: String,
    pub weight: u32,
    pub branches: Vec<Branch>,
    /// Progress of the employee goals, weighted by their weights (a plain average when every
    /// weight is 0); `None` with no linked goal.
    pub rollup: Option<f64>,
}

/// The progress of the employee goals under a department goal, weighted by their weights.
pub fn rollup(branches: &[Branch]) -> Option<f64> {
    if branches.is_empty() {
        return None;
    }
    // Summed as f64: weights come from other people's sheets and must not overflow.
    let total: f64 = branches.iter().map(|b| f64::from(b.weight)).sum();
    Some(if total == 0.0 {
        branches.iter().map(|b| f64::from(b.progress)).sum::<f64>() / branches.len() as f64
    } else {
        branches
            .iter()
            .map(|b| f64::from(b.weight) * f64::from(b.progress))
            .sum::<f64>()
            / total
    })
}

fn latest_progress(goal: &Goal) -> u32 {
    progress::latest(goal).map_or(0, |(_, p)| p)
}

/// The tree of a department sheet: each of its goals with the goals of `employees` (sheet id
/// and sheet) that link to it, employees in name order.
pub fn tree(dept_id: &str, dept: &Sheet, employees: &[(String, Sheet)]) -> Vec<Node> {
    dept.goals
        .iter()
        .map(|dg| {
            let mut branches: Vec<Branch> = employees
                .iter()
                .flat_map(|(sid, sheet)| {
                    sheet.goals.iter().filter_map(move |g| {
                        let link = g.link.as_ref()?;
                        (link.sheet == dept_id && link.row == dg.id).then(|| Branch {
                            sheet: sid.clone(),
                            employee: sheet.employee.clone(),
                            goal: g.id.clone(),
                            name: g.name.clone(),
                            weight: g.weight,
                            progress: latest_progress(g),
                        })
                    })
                })
                .collect();
            crate::sort::sort_by(&mut branches, |a, b| {
                a.employee
                    .cmp(&b.employee)
                    .then_with(|| a.name.cmp(&b.name))
            });
            Node {
                goal: dg.id.clone(),
                name: dg.name.clone(),
                measure: dg.measure.clone(),
                weight: dg.weight,
                rollup: rollup(&branches),
                branches,
            }
        })
        .collect()
}
