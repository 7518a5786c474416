//! The print stage: finishing typst's PDF into PDF/X-4 for Japan Color 2001 Coated, and the
//! checks of print-readiness (preflight) that every build runs on its own result.

pub mod ad;
pub mod ad_pages;
pub mod condition;
pub mod finish;
pub mod photo;
pub mod preflight;

pub use finish::{FinishError, PageBoxes, finish};
