//! One module per page.

pub mod home;
pub mod me;
pub mod sheet;
