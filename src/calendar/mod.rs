//! The Japanese calendar as proofreaders use it: which days are holidays, and whether a date
//! written with its weekday inside free text is right.

pub mod holidays;
pub mod in_text;

pub use holidays::{Coverage, Holiday, coverage, holiday};
pub use in_text::{DateFault, DateSlip, slips};
