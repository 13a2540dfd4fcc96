//! One module per page.

pub mod home;
pub mod kb;
pub mod me;
pub mod print;
pub mod sheet;
