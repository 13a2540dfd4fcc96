//! Step 5, the assessment: quantitative completion per goal, behaviour in the process, and the
//! final score, each figure traceable to its inputs.
//!
//! - A goal's completion is achieved ÷ target (a ceiling such as "complaint rate ≤ 5%" inverts
//!   it: target ÷ achieved), in whole points: the template's "+12% target, +10% achieved" scores
//!   83. Whether results above target count above 100 is the sheet's `cap` setting.
//! - The quantitative score is the weight-averaged goal points.
//! - Behaviour starts at 100 and loses its itemised deductions ("repeated late feedback, −10").
//! - Final = quantitative share × quantitative + behaviour share × behaviour (70/30 by default).

use crate::model::{Direction, Goal, Sheet};
use thiserror::Error;

/// Why a goal cannot be scored yet.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScoreError {
    #[error("set the target")]
    NoTarget,
    #[error("record what was achieved")]
    NoAchieved,
    #[error("a target of 0 cannot be divided by; state the target as a positive number")]
    ZeroTarget,
    #[error("a target and a result must not be negative")]
    Negative,
}

/// A goal's completion: points out of 100 (more if uncapped), and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalScore {
    /// Completion in percent, unrounded.
    pub ratio: f64,
    /// Whole points, capped at 100 when the sheet says so.
    pub points: u32,
    /// E.g. "10 ÷ 12 = 83.3% → 83".
    pub working: String,
}

fn num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else if (r * 10.0).fract() == 0.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.2}")
    }
}

/// Score one goal.
pub fn goal_score(goal: &Goal, cap: bool) -> Result<GoalScore, ScoreError> {
    let a = &goal.assessment;
    let target = a.target.ok_or(ScoreError::NoTarget)?;
    let achieved = a.achieved.ok_or(ScoreError::NoAchieved)?;
    if target < 0.0 || achieved < 0.0 {
        return Err(ScoreError::Negative);
    }
    let (ratio, formula) = match a.direction {
        Direction::AtLeast => {
            if target == 0.0 {
                return Err(ScoreError::ZeroTarget);
            }
            (
                achieved / target * 100.0,
                format!("{} ÷ {}", num(achieved), num(target)),
            )
        }
        Direction::AtMost => {
            if achieved == 0.0 {
                // Nothing over a ceiling: the best result there is.
                (
                    f64::INFINITY,
                    format!("{} ≤ {}", num(achieved), num(target)),
                )
            } else {
                (
                    target / achieved * 100.0,
                    format!("{} ÷ {} (ceiling)", num(target), num(achieved)),
                )
            }
        }
    };
    let mut points = if ratio.is_finite() {
        ratio.round() as u32
    } else {
        100
    };
    let mut working = if ratio.is_finite() {
        format!("{formula} = {}% → {points}", num(ratio))
    } else {
        format!("{formula} → 100")
    };
    if cap && points > 100 {
        points = 100;
        working.push_str(", capped at 100");
    }
    Ok(GoalScore {
        ratio,
        points,
        working,
    })
}

/// The sheet's assessment, figure by figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Each goal with its weight and score (or why it has none yet).
    pub goals: Vec<(String, u32, Result<GoalScore, ScoreError>)>,
    /// Weighted quantitative score, once every goal is scored.
    pub quantitative: Option<f64>,
    /// E.g. "50% × 83 + 30% × 100 + 20% × 95 = 90.5".
    pub quantitative_working: String,
    pub behaviour: u32,
    /// E.g. "100 − 10 (repeated late feedback) = 90".
    pub behaviour_working: String,
    /// The quantitative share in percent (70 by default); behaviour gets the rest.
    pub quantitative_share: u32,
    pub final_score: Option<f64>,
    /// E.g. "70% × 90.5 + 30% × 90 = 90.4".
    pub final_working: String,
}

/// Round to one decimal, as shown.
pub fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Assess the sheet with its current inputs.
pub fn assess(sheet: &Sheet) -> Assessment {
    let settings = &sheet.assessment;
    let goals: Vec<(String, u32, Result<GoalScore, ScoreError>)> = sheet
        .goals
        .iter()
        .map(|g| (g.name.clone(), g.weight, goal_score(g, settings.cap)))
        .collect();
    let total_weight: u32 = goals
        .iter()
        .fold(0u32, |acc, (_, w, _)| acc.saturating_add(*w));
    let all_scored = !goals.is_empty() && goals.iter().all(|(_, _, s)| s.is_ok());
    let (quantitative, quantitative_working) = if all_scored && total_weight > 0 {
        let sum: f64 = goals
            .iter()
            .filter_map(|(_, w, s)| s.as_ref().ok().map(|s| f64::from(*w) * f64::from(s.points)))
            .sum();
        let q = one_decimal(sum / f64::from(total_weight));
        let terms: Vec<String> = goals
            .iter()
            .filter_map(|(_, w, s)| s.as_ref().ok().map(|s| format!("{w}% × {}", s.points)))
            .collect();
        let working = if total_weight == 100 {
            format!("{} = {}", terms.join(" + "), num(q))
        } else {
            format!("({}) ÷ {}% = {}", terms.join(" + "), total_weight, num(q))
        };
        (Some(q), working)
    } else if goals.is_empty() {
        (None, "no goals to score".to_string())
    } else {
        let missing = goals.iter().filter(|(_, _, s)| s.is_err()).count();
        (
            None,
            format!("{missing} goal(s) still need a target and a result"),
        )
    };
    let deducted: u32 = settings
        .deductions
        .iter()
        .fold(0u32, |acc, d| acc.saturating_add(d.points));
    let behaviour = 100u32.saturating_sub(deducted);
    let behaviour_working = if settings.deductions.is_empty() {
        "100, no deductions".to_string()
    } else {
        let items: Vec<String> = settings
            .deductions
            .iter()
            .map(|d| {
                if d.reason.trim().is_empty() {
                    format!("{}", d.points)
                } else {
                    format!("{} ({})", d.points, d.reason.trim())
                }
            })
            .collect();
        format!("100 − {} = {behaviour}", items.join(" − "))
    };
    let share = settings.quantitative_share.min(100);
    let (final_score, final_working) = match quantitative {
        Some(q) => {
            let f = one_decimal(
                f64::from(share) / 100.0 * q
                    + f64::from(100 - share) / 100.0 * f64::from(behaviour),
            );
            (
                Some(f),
                format!(
                    "{share}% × {} + {}% × {behaviour} = {}",
                    num(q),
                    100 - share,
                    num(f)
                ),
            )
        }
        None => (None, "needs every goal scored".to_string()),
    };
    Assessment {
        goals,
        quantitative,
        quantitative_working,
        behaviour,
        behaviour_working,
        quantitative_share: share,
        final_score,
        final_working,
    }
}
