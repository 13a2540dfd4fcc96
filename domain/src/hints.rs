//! Step 2's SMART hints: what to change so that a goal is specific, measurable and time-bound.
//!
//! Hints never block: they are shown beside the goal while it is typed, each saying what to
//! change. They are heuristics over the words of the goal, in English and Chinese.

use crate::model::{Cycle, Goal, Sheet};
use crate::rules::WeightTotal;
use chrono::NaiveDate;

/// One thing to improve about a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// The goal has no name yet.
    NoName,
    /// The name is vague: no object and no number ("improve performance").
    VagueName,
    /// No measure (key results) yet.
    NoMeasure,
    /// The measure has no number, percentage or threshold.
    MeasureWithoutNumber,
    NoDeadline,
    /// The deadline falls outside the sheet's cycle.
    DeadlineOutsideCycle {
        deadline: NaiveDate,
        cycle: Cycle,
    },
    /// The goal has no weight.
    NoWeight,
    /// On a sheet attached to a department: the goal links to no department goal.
    NotLinked,
}

impl Hint {
    /// Which of SMART the hint is about.
    pub fn letter(&self) -> &'static str {
        match self {
            Hint::NoName | Hint::VagueName => "S",
            Hint::NoMeasure | Hint::MeasureWithoutNumber => "M",
            Hint::NoDeadline | Hint::DeadlineOutsideCycle { .. } => "T",
            Hint::NoWeight => "W",
            Hint::NotLinked => "R",
        }
    }

    /// A short stable code, for styling and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Hint::NoName => "no-name",
            Hint::VagueName => "vague-name",
            Hint::NoMeasure => "no-measure",
            Hint::MeasureWithoutNumber => "measure-without-number",
            Hint::NoDeadline => "no-deadline",
            Hint::DeadlineOutsideCycle { .. } => "deadline-outside-cycle",
            Hint::NoWeight => "no-weight",
            Hint::NotLinked => "not-linked",
        }
    }

    /// What to change, in a sentence.
    pub fn message(&self) -> String {
        match self {
            Hint::NoName => "Name the goal: what, where, how much.".into(),
            Hint::VagueName => "Too vague: say what and where, with a number — e.g. “East China \
                                region: 20 new customers in Q3” rather than “improve performance”."
                .into(),
            Hint::NoMeasure => "Add a measure: how will you both know it is done?".into(),
            Hint::MeasureWithoutNumber => "Make the measure measurable: add a number, a \
                                           percentage or a threshold (e.g. “renewal rate ≥ 85%”)."
                .into(),
            Hint::NoDeadline => "Set a deadline within the cycle.".into(),
            Hint::DeadlineOutsideCycle { deadline, cycle } => format!(
                "The deadline {} is outside the cycle ({} – {}): move it inside.",
                crate::date::format_iso(*deadline),
                crate::date::format_iso(cycle.start),
                crate::date::format_iso(cycle.end)
            ),
            Hint::NoWeight => "Give the goal a weight: the weights of all goals total 100%.".into(),
            Hint::NotLinked => {
                "Relevant to what? Link this goal to the department goal it serves.".into()
            }
        }
    }
}

/// Whether text contains a number: digits (also full-width) or Chinese numerals.
pub fn has_number(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || "一二两三四五六七八九十百千万亿半".contains(c)
    })
}

/// Verbs that promise change without saying of what.
const VAGUE_VERBS: [&str; 10] = [
    "improve",
    "increase",
    "enhance",
    "raise",
    "boost",
    "grow",
    "better",
    "optimize",
    "optimise",
    "strengthen",
];
/// Objects too general to say what will change.
const VAGUE_OBJECTS: [&str; 12] = [
    "performance",
    "results",
    "result",
    "work",
    "quality",
    "efficiency",
    "ability",
    "abilities",
    "skills",
    "output",
    "business",
    "things",
];
/// Chinese phrases with no object or number: 提升业绩, 提高绩效 …
const VAGUE_ZH: [&str; 14] = [
    "提升业绩",
    "提高业绩",
    "提升绩效",
    "提高绩效",
    "提升能力",
    "提高能力",
    "提高效率",
    "提升效率",
    "做得更好",
    "做好工作",
    "努力工作",
    "加强管理",
    "提高质量",
    "提升质量",
];

/// True when a goal's name has no object and no number, such as "improve performance".
pub fn is_vague(name: &str) -> bool {
    if has_number(name) {
        return false;
    }
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if VAGUE_ZH.iter().any(|p| compact.contains(p)) && compact.chars().count() <= 8 {
        return true;
    }
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| {
            !matches!(
                w.as_str(),
                "the" | "a" | "an" | "my" | "our" | "overall" | "general" | "to" | "do"
            )
        })
        .collect();
    match words.as_slice() {
        [] => false,
        [only] => VAGUE_VERBS.contains(&only.as_str()) || VAGUE_OBJECTS.contains(&only.as_str()),
        [verb, rest @ ..] if VAGUE_VERBS.contains(&verb.as_str()) => {
            rest.iter().all(|w| VAGUE_OBJECTS.contains(&w.as_str()))
        }
        _ => words
            .iter()
            .all(|w| VAGUE_OBJECTS.contains(&w.as_str()) || VAGUE_VERBS.contains(&w.as_str())),
    }
}

/// Every hint for one goal of a sheet over `cycle`.
pub fn goal_hints(goal: &Goal, cycle: &Cycle) -> Vec<Hint> {
    let mut hints = Vec::new();
    let name = goal.name.trim();
    if name.is_empty() {
        hints.push(Hint::NoName);
    } else if is_vague(name) {
        hints.push(Hint::VagueName);
    }
    let measure = goal.measure.trim();
    if measure.is_empty() {
        hints.push(Hint::NoMeasure);
    } else if !has_number(measure) {
        hints.push(Hint::MeasureWithoutNumber);
    }
    match goal.deadline {
        None => hints.push(Hint::NoDeadline),
        Some(d) if !cycle.contains(d) => hints.push(Hint::DeadlineOutsideCycle {
            deadline: d,
            cycle: *cycle,
        }),
        Some(_) => {}
    }
    if goal.weight == 0 {
        hints.push(Hint::NoWeight);
    }
    hints
}

/// Every hint for a goal of `sheet`, relevance included: on a sheet attached to a department,
/// a goal should serve one of the department's goals.
pub fn sheet_goal_hints(sheet: &Sheet, goal: &Goal) -> Vec<Hint> {
    let mut hints = goal_hints(goal, &sheet.cycle);
    if sheet.department.is_some() && goal.link.is_none() {
        hints.push(Hint::NotLinked);
    }
    hints
}

/// Hints about the sheet as a whole (the weight total).
pub fn sheet_hints(sheet: &Sheet) -> Vec<String> {
    WeightTotal::of(sheet).hint().into_iter().collect()
}

/// True when no goal and no sheet-level rule has a hint.
pub fn is_clean(sheet: &Sheet) -> bool {
    sheet_hints(sheet).is_empty()
        && sheet
            .goals
            .iter()
            .all(|g| sheet_goal_hints(sheet, g).is_empty())
}
