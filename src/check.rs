//! `koho check`: everything that can be checked before typesetting, writing nothing.

use std::path::{Path, PathBuf};

use crate::content::{self, model::Issue};
use crate::diag::Diagnostic;
use crate::layout;
use crate::project::{Project, shown};

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// The issue folder, as shown to the user.
    pub issue_dir: PathBuf,
    /// The issue, when it has no problems.
    pub issue: Option<Issue>,
    /// Every problem found, in the issue and in the layouts it uses.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Checks the issue in `issue_dir` against the project's layouts. Paths in the report are
/// shown relative to `cwd` when they lie under it.
pub fn check(project: &Project, issue_dir: &Path, cwd: &Path) -> CheckReport {
    let issue_shown = shown(issue_dir, cwd);
    let layouts_dir = project.layouts_dir();
    let (layouts, mut diagnostics) =
        layout::available_rules(&layouts_dir, &shown(&layouts_dir, cwd));
    let outcome = content::load(issue_dir, &issue_shown, &layouts);
    diagnostics.extend(outcome.diagnostics);
    CheckReport {
        issue_dir: issue_shown,
        issue: outcome.issue.filter(|_| diagnostics.is_empty()),
        diagnostics,
    }
}
