//! `koho check`: everything `build` checks — content, layouts, format, and the typeset page
//! itself (what does not fit, what no font has) — writing nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::Phase;
use crate::content::{self, model::Issue};
use crate::diag::{Diagnostic, Problem};
use crate::fit;
use crate::layout::{self, Magazine};
use crate::project::{Project, shown};
use crate::render::{self, Fonts, RenderContext, Typeset};

/// What a check found.
pub struct CheckReport {
    /// The issue folder, as shown to the user.
    pub issue_dir: PathBuf,
    /// The issue, when it has no problems.
    pub issue: Option<Issue>,
    /// The magazine's format, when it has no problems.
    pub format: Option<Magazine>,
    /// The typeset issue, when everything before it was clean.
    pub typeset: Option<Typeset>,
    /// Every problem found, in the issue, the layouts, the format and the typeset page.
    pub diagnostics: Vec<Diagnostic>,
    /// What prints but is likely not meant (a flowing file leaving pages empty).
    pub warnings: Vec<Diagnostic>,
    /// How long loading and checking took.
    pub load_time: Duration,
    /// How long typesetting took (the 組版チェック included).
    pub compile_time: Duration,
    /// How long the 組版チェック took.
    pub proofread_time: Duration,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The report of `check --strict`: every warning (組版チェック, empty space) counts as an
    /// error.
    pub fn strict(mut self) -> Self {
        self.diagnostics.append(&mut self.warnings);
        self
    }
}

/// Checks the issue in `issue_dir` against the project's layouts and format, and typesets it
/// when the content is clean. Paths in the report are shown relative to `cwd` when they lie
/// under it.
pub fn check(project: &Project, issue_dir: &Path, cwd: &Path) -> CheckReport {
    check_with_progress(project, issue_dir, cwd, &|_| {})
}

/// [`check`], telling `progress` when typesetting starts.
pub fn check_with_progress(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    progress: &dyn Fn(Phase),
) -> CheckReport {
    let options = CheckOptions {
        photo_cache: Some(crate::cache::photos(project, false)),
        ..CheckOptions::default()
    };
    check_with(project, issue_dir, cwd, progress, options)
}

/// What a check may be given besides the issue.
#[derive(Clone, Default)]
pub struct CheckOptions<'a> {
    /// On a proof, the stamp's words (`name`, `label`, `made`), typeset in the slug.
    pub proof: Option<&'a serde_json::Value>,
    /// The project's fonts, already loaded (a long-running koho loads them once); `None`
    /// loads them from `fonts/`.
    pub fonts: Option<Arc<Fonts>>,
    /// Photos converted by earlier runs ([`crate::cache::photos`]); `None` converts every
    /// photo.
    pub photo_cache: Option<crate::cache::DiskCache>,
    /// Keep the ads' slots empty (their room kept, so what fits is the same): for an edition
    /// that leaves ads out.
    pub hide_ads: bool,
}

/// [`check_with_progress`] with [`CheckOptions`].
pub fn check_with(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    progress: &dyn Fn(Phase),
    options: CheckOptions<'_>,
) -> CheckReport {
    let CheckOptions {
        proof,
        fonts: loaded_fonts,
        photo_cache,
        hide_ads,
    } = options;
    let started = Instant::now();
    let issue_shown = shown(issue_dir, cwd);
    let layouts_dir = project.layouts_dir();
    let layouts_shown = shown(&layouts_dir, cwd);
    let (layouts, mut diagnostics) = layout::available_kinds(&layouts_dir, &layouts_shown);
    let format = match layout::load_format(&layouts_dir, &layouts_shown) {
        Ok(format) => Some(format),
        Err(mut ds) => {
            diagnostics.append(&mut ds);
            None
        }
    };
    let fonts =
        match loaded_fonts.map_or_else(|| Fonts::load(&project.fonts_dir()).map(Arc::new), Ok) {
            Ok(fonts) if !fonts.is_empty() => Some(fonts),
            result => {
                let reason = result
                    .err()
                    .map_or("no font files".to_owned(), |e| e.to_string());
                let dir = shown(&project.fonts_dir(), cwd);
                diagnostics.push(Diagnostic::whole_file(
                    dir.clone(),
                    Problem::FileUnreadable {
                        path: dir.display().to_string(),
                        reason,
                    },
                ));
                None
            }
        };
    // Written by the commands that write outputs (as the converted photos are).
    let writes = photo_cache.as_ref().is_some_and(|c| c.write);
    content::photo::keep_inspections_in(crate::cache::photo_inspections(project, writes));
    let mut outcome = content::load(issue_dir, &issue_shown, &layouts);
    diagnostics.append(&mut outcome.diagnostics);
    // An issue with problems: its clean pages' dates are proofread all the same, so that one
    // run reports every content error.
    if let Some(partial) = &outcome.partial {
        diagnostics.extend(crate::proofread::check_pages(
            partial.pages.iter(),
            partial.issue_date,
        ));
    }
    let mut warnings = Vec::new();
    let mut placements = crate::ad_placement::Placements::default();
    if let (Some(issue), Some(format)) = (&mut outcome.issue, &format) {
        diagnostics.extend(crate::book::check(issue, format));
        let (placed, mut refused) = crate::ad_placement::check(issue, format);
        diagnostics.append(&mut refused);
        placements = if hide_ads { placed.hidden() } else { placed };
        diagnostics.extend(crate::proofread::check(issue));
        // The project's own folder archive (a shared archive is not read for 前月比).
        let archive = project.root().join("archive");
        // Canonical, so that an issue checked from inside its folder (`koho check .`) still
        // finds its neighbours.
        let beside = issue
            .dir
            .canonicalize()
            .ok()
            .and_then(|d| d.parent().map(Path::to_path_buf));
        let sources = crate::previous::Sources {
            issues: beside.as_deref(),
            archive: Some(&archive),
        };
        let mut previous = crate::previous::apply(issue, &layouts, sources);
        diagnostics.append(&mut previous.errors);
        warnings.append(&mut previous.warnings);
    }
    let load_time = started.elapsed();

    let started = Instant::now();
    let mut typeset = None;
    let mut proofread_time = Duration::ZERO;
    if let (true, Some(issue), Some(format), Some(fonts)) =
        (diagnostics.is_empty(), &outcome.issue, &format, fonts)
    {
        progress(Phase::Compile);
        // What no font can print is found before typesetting, with the fonts the format names.
        let mut found = render::check_fonts(format, &fonts);
        found.extend(fit::glyphs(issue, &fonts));
        if found.is_empty() {
            let context = RenderContext {
                project_root: project.root(),
                cwd,
                format,
                fonts,
                photo_cache: photo_cache.as_ref(),
            };
            let pages = layout::data::pages(issue, format, &placements);
            let issue_json = layout::data::issue_json(issue, proof);
            let date = issue.issue_date;
            let today = render::datetime(date.year(), date.month(), date.day());
            match render::typeset(&pages, &issue_json, today, &context) {
                Ok(done) => {
                    let fit = fit::pages(issue, &done.document, format);
                    found = fit.errors;
                    warnings.extend(fit.warnings);
                    if found.is_empty() {
                        let started = Instant::now();
                        warnings.extend(crate::layout_proofread::proofread(
                            issue,
                            &done.document,
                            format,
                        ));
                        proofread_time = started.elapsed();
                    }
                    if found.is_empty() {
                        typeset = Some(done);
                    }
                }
                Err(ds) => found = ds,
            }
        }
        diagnostics.append(&mut found);
    }
    let compile_time = started.elapsed();
    let clean = diagnostics.is_empty();
    CheckReport {
        issue_dir: issue_shown,
        issue: outcome.issue.filter(|_| clean),
        format: format.filter(|_| clean),
        typeset,
        diagnostics,
        warnings,
        load_time,
        compile_time,
        proofread_time,
    }
}
