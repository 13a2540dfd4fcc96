//! What the domain's test files share: dates and the template's Q3 2023 cycle.
#![allow(dead_code)] // each test file uses its own part of this

use chrono::NaiveDate;
use domain::{Cycle, CycleKind, RowId};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The template's examples are set in Q3 2023.
pub fn q3() -> Cycle {
    Cycle {
        kind: CycleKind::Quarterly,
        start: date(2023, 7, 1),
        end: date(2023, 9, 30),
    }
}

/// Row ids 1, 2, 3 … in turn: the same ids on every run.
pub fn ids() -> impl FnMut() -> RowId {
    let mut n = 0;
    move || {
        n += 1;
        RowId::from_random(n)
    }
}
