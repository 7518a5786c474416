//! The content stage: an issue folder read into the content model, with every problem found.
//!
//! It reads `issue.yaml`, the page files and the photos, and nothing outside the issue
//! folder. It knows nothing of layouts beyond the names of the page formats it can read.

mod fields;
mod issue;
pub mod model;
pub mod paths;
pub mod photo;
pub mod pledge;
pub mod rollup;
pub mod yaml;

pub use fields::{Fields, Need, Reader};
pub use issue::{ISSUE_FILE, LAYOUTS, load, read_page};

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use model::Issue;
use photo::PhotoRequirement;

/// What the content checks need to know of a layout, given by the layout stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutRules {
    /// What its photos must meet, when it places photos.
    pub photo: Option<PhotoRequirement>,
}

/// The layouts a page may name, with their rules.
pub type AvailableLayouts = BTreeMap<String, LayoutRules>;

/// What a page file is read against: its issue folder and its layout's rules.
#[derive(Clone, Copy, Debug)]
pub struct PageContext<'a> {
    /// The issue folder: every path in the page is inside it.
    pub issue_dir: &'a Path,
    /// The rules of the page's layout.
    pub rules: &'a LayoutRules,
}

/// What loading an issue gave: the issue when nothing is wrong, and every problem found.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The issue, present only when `diagnostics` is empty.
    pub issue: Option<Issue>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadOutcome {
    /// An outcome with problems and no issue.
    pub fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            issue: None,
            diagnostics,
        }
    }
}
