//! The content stage: an issue folder read into the content model, with every problem found.
//!
//! It reads `issue.yaml`, the page files and the photos, and nothing outside the issue
//! folder. It knows the page kinds only through their schemas (`crate::schema`).

mod fields;
mod issue;
pub mod model;
pub mod page;
pub mod paths;
pub mod photo;
pub mod rollup;
pub mod value;
pub mod yaml;

pub use fields::{Fields, Need, Reader};

/// What a field holds while its value is still to be written: `koho new` puts it in place of
/// last month's value of every `monthly` field, and `koho check` lists each one left.
pub const TO_FILL: &str = "要記入";
pub use issue::{ISSUE_FILE, Listing, load, read_listing, read_other_page, read_page};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::schema::Kind;
use model::Issue;

/// The kinds a page may name (`layout:`), by name, with their schemas; `None` for a kind
/// whose schema has errors (reported on their own), so its pages are not read.
pub type AvailableLayouts = BTreeMap<String, Option<Arc<Kind>>>;

/// What loading an issue gave: the issue when nothing is wrong, and every problem found.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The issue, present only when `diagnostics` is empty.
    pub issue: Option<Issue>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// When the issue has problems: the page files that loaded clean, and the issue's date
    /// when it could be read — so that what is checked across pages (dates written in text)
    /// is checked in the same run, not after the other problems are fixed.
    pub partial: Option<Partial>,
}

/// The pages of an issue with problems that loaded clean.
#[derive(Debug)]
pub struct Partial {
    /// The issue's date (発行日).
    pub issue_date: model::CalendarDate,
    /// The page files without problems, in print order.
    pub pages: Vec<model::Page>,
}

impl LoadOutcome {
    /// An outcome with problems and no issue.
    pub fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            issue: None,
            diagnostics,
            partial: None,
        }
    }
}
