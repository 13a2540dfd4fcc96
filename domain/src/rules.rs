//! Rules over a sheet's plain data.

use crate::model::{NewSheet, Sheet};
use thiserror::Error;

/// The weights of a sheet's goals must total exactly this many percent.
pub const WEIGHT_TARGET: u32 = 100;

/// The sum of the goal weights, and whether it is the required 100%.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightTotal {
    pub total: u32,
}

impl WeightTotal {
    pub fn of(sheet: &Sheet) -> WeightTotal {
        WeightTotal {
            total: sheet
                .goals
                .iter()
                .fold(0u32, |acc, g| acc.saturating_add(g.weight)),
        }
    }

    pub fn is_complete(self) -> bool {
        self.total == WEIGHT_TARGET
    }

    /// What to do about the total, or `None` when it is right.
    pub fn hint(self) -> Option<String> {
        match self.total.cmp(&WEIGHT_TARGET) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Less => Some(format!(
                "Weights total {}%: add {}% so they total 100%.",
                self.total,
                WEIGHT_TARGET - self.total
            )),
            std::cmp::Ordering::Greater => Some(format!(
                "Weights total {}%: remove {}% so they total 100%.",
                self.total,
                self.total - WEIGHT_TARGET
            )),
        }
    }
}

/// Why a new sheet cannot be created as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NewSheetError {
    #[error("give the sheet a title")]
    MissingTitle,
    #[error("name the employee whose goals these are")]
    MissingEmployee,
    #[error("name the manager")]
    MissingManager,
    #[error("the cycle ends ({end}) before it starts ({start})")]
    CycleBackwards {
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    },
}

/// Every problem with a new sheet form, in form order; empty when it can be created.
pub fn check_new_sheet(new: &NewSheet) -> Vec<NewSheetError> {
    let mut errors = Vec::new();
    if new.title.trim().is_empty() {
        errors.push(NewSheetError::MissingTitle);
    }
    if new.employee.trim().is_empty() {
        errors.push(NewSheetError::MissingEmployee);
    }
    if new.manager.trim().is_empty() {
        errors.push(NewSheetError::MissingManager);
    }
    if new.cycle.end < new.cycle.start {
        errors.push(NewSheetError::CycleBackwards {
            start: new.cycle.start,
            end: new.cycle.end,
        });
    }
    errors
}
