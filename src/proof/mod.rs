//! The proof stage: 校正刷 rounds of an issue, the changes between rounds, and the comments
//! editors write on a proof.
//!
//! A round (`out/<issue>/proof/r<N>/`) is the print page exactly as it will print with a
//! stamp in the slug and "proof" in its metadata, the pages as pictures, a contact sheet, and
//! a snapshot of the content it was made from; from round 2, the changes since the round
//! before, as a list and as pictures. A round is written whole under a temporary name and
//! renamed into place; an existing round is never written again.

pub mod changes;
pub mod comments;
pub mod marked;
pub mod picture;
pub mod round;
pub mod snapshot;

use std::path::{Path, PathBuf};

use crate::build::Phase;
use crate::check::{CheckOptions, check_with};
use crate::diag::{Diagnostic, Lang, Problem};
use crate::error::KohoError;
use crate::layout::Magazine;
use crate::print::finish;
use crate::project::{Project, shown};
use crate::render::compile::{self, Region};
use crate::render::{self, export};
pub use changes::Change;
pub use round::Round;
use snapshot::PageSnapshot;

/// The words on every proof's stamp, after the round's name.
pub const STAMP_LABEL: &str = "校正刷 PROOF — 印刷には使用しないでください / not for press";

/// What `koho proof` is asked for.
#[derive(Clone, Copy, Debug)]
pub struct ProofOptions {
    /// The round to make; the next free one when `None`.
    pub round: Option<u32>,
    /// The language of `changes.md`.
    pub lang: Lang,
}

/// What making a round did.
pub struct ProofReport {
    /// The issue folder, as shown.
    pub issue_dir: PathBuf,
    /// The round made (or attempted).
    pub round: Round,
    /// Its folder, as shown.
    pub dir: PathBuf,
    /// Every problem found; nothing was written when there is one.
    pub diagnostics: Vec<Diagnostic>,
    /// The files written, shown relative to where koho runs.
    pub written: Vec<PathBuf>,
    /// The changes since the round before (none for 初校).
    pub changes: Option<Vec<Change>>,
    /// Something worth saying that is not a failure (the last round could not be compared).
    pub notes: Vec<String>,
}

/// The folder holding an issue's rounds: `out/<issue>/proof`.
pub fn proof_dir(project: &Project, issue_dir: &Path) -> PathBuf {
    let name = issue_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    project.out_dir().join(name).join("proof")
}

/// The round to make: the one asked for, if it is the next free one, or the next free one.
pub fn choose_round(proof_dir: &Path, asked: Option<u32>, cwd: &Path) -> Result<Round, KohoError> {
    let next = round::next_free(proof_dir);
    let Some(asked) = asked else {
        return Ok(next);
    };
    let asked_round = Round::new(asked).ok_or(KohoError::RoundOutOfOrder {
        round: asked,
        next: next.get(),
    })?;
    let dir = round::dir(proof_dir, asked_round);
    if dir.exists() {
        return Err(KohoError::RoundExists {
            round: asked,
            dir: shown(&dir, cwd),
            next: next.get(),
        });
    }
    if asked_round != next {
        return Err(KohoError::RoundOutOfOrder {
            round: asked,
            next: next.get(),
        });
    }
    Ok(asked_round)
}

/// Makes a proof round of the issue in `issue_dir`.
pub fn proof(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    options: ProofOptions,
    progress: &dyn Fn(Phase),
) -> Result<ProofReport, KohoError> {
    let proofs = proof_dir(project, issue_dir);
    let round = choose_round(&proofs, options.round, cwd)?;
    let dir = round::dir(&proofs, round);
    let made = crate::clock::now_stamp();
    let stamp = serde_json::json!({
        "name": crate::report::changes::round_name(round, Lang::Ja),
        "label": STAMP_LABEL,
        "made": made,
    });

    progress(Phase::Check);
    let check_options = CheckOptions {
        proof: Some(&stamp),
        fonts: None,
        photo_cache: Some(crate::cache::photos(project, true)),
        hide_ads: false,
    };
    let checked = check_with(project, issue_dir, cwd, progress, check_options);
    let mut report = ProofReport {
        issue_dir: checked.issue_dir.clone(),
        round,
        dir: shown(&dir, cwd),
        diagnostics: checked.diagnostics.clone(),
        written: Vec::new(),
        changes: None,
        notes: Vec::new(),
    };
    let (Some(issue), Some(typeset), Some(format)) =
        (&checked.issue, &checked.typeset, &checked.format)
    else {
        return Ok(report);
    };
    let fail = |mut report: ProofReport, reason: String| {
        report.diagnostics.push(Diagnostic::whole_file(
            &checked.issue_dir,
            Problem::ExportFailed { reason },
        ));
        report
    };

    // The marks need the regions, which the typeset document already holds.
    let regions = compile::regions(&typeset.document);
    let snap = snapshot::take(issue, round.get(), &made, &regions);
    let marks = finish::ProofMarks {
        round: round.get(),
        subject: format!(
            "{} {}",
            crate::report::changes::round_name(round, Lang::Ja),
            STAMP_LABEL
        ),
        page_data: snap
            .pages
            .iter()
            .map(|page| {
                let file = project_relative(project, issue_dir, &page.file);
                let kind = issue
                    .pages
                    .iter()
                    .find(|p| p.folio().get() == page.folio)
                    .map(|p| p.content.kind.as_ref());
                marked::page_data(&snap, page, format, &file, kind)
            })
            .collect(),
    };
    // The proof is the print page: made and checked exactly as the print file is.
    let rendition = finish::Rendition::Proof(marks);
    let pdf = match crate::build::finished_pdf(
        &checked.issue_dir,
        issue,
        std::borrow::Cow::Borrowed(&typeset.document),
        format,
        &rendition,
        Some(&crate::cache::image_inks(project, true)),
        progress,
    ) {
        Ok(finished) => finished.pdf,
        Err(diagnostics) => {
            report.diagnostics = diagnostics;
            return Ok(report);
        }
    };

    progress(Phase::Previews);
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    files.push((
        PathBuf::from(format!("{}-{}.pdf", issue.name, round.dir_name())),
        pdf,
    ));
    let soft = match render::softproof::SoftProof::new()
        .map(|p| p.with_disk_cache(crate::cache::soft_proofs(project, true)))
        .and_then(|p| p.with_photos(&typeset.files))
    {
        Ok(soft) => soft,
        Err(reason) => return Ok(fail(report, reason)),
    };
    // Each sheet rendered and encoded on its own core.
    let pages: Vec<(u32, &typst_layout::Page)> =
        issue.folios().zip(typeset.document.pages()).collect();
    let laid_out: Vec<&typst_layout::Page> = pages.iter().map(|(_, page)| *page).collect();
    if let Err(reason) = soft.prepare(
        &laid_out,
        crate::render::softproof::PhotoPixels::Rendered(export::PREVIEW_PPI),
    ) {
        return Ok(fail(report, reason));
    }
    let made = crate::parallel::map(&pages, |(folio, laid_out)| {
        let sheet = export::picture(laid_out, &soft, export::PREVIEW_PPI, true)?;
        let png = picture::png(&sheet)?;
        Ok::<_, String>((*folio, sheet, png))
    });
    let mut sheets = Vec::new();
    for result in made {
        match result {
            Ok((folio, sheet, png)) => {
                files.push((PathBuf::from(format!("p{folio}.png")), png));
                sheets.push((folio, sheet));
            }
            Err(reason) => return Ok(fail(report, reason)),
        }
    }
    match picture::png(&picture::contact_sheet(sheets.iter().map(|(_, s)| s))) {
        Ok(png) => files.push((PathBuf::from("contact-sheet.png"), png)),
        Err(reason) => return Ok(fail(report, reason)),
    }

    // The snapshot, and the source it was made from.
    files.push((
        PathBuf::from(snapshot::FILE_NAME),
        serde_json::to_vec_pretty(&snap).expect("a snapshot serialises"),
    ));
    for relative in issue.source_files() {
        match std::fs::read(issue.dir.join(&relative)) {
            Ok(bytes) => files.push((PathBuf::from("source").join(&relative), bytes)),
            Err(e) => return Ok(fail(report, format!("{}: {e}", relative.display()))),
        }
    }

    // What changed since the round before.
    if let Some(previous) = round.previous() {
        let previous_dir = round::dir(&proofs, previous);
        match snapshot::read(&previous_dir) {
            Ok(before) => {
                let found = changes::between(&before, &snap, &issue.kinds());
                let geometry = Geometry::of(format);
                for (folio, sheet) in &sheets {
                    let (Some(old), Some(new)) = (
                        before.pages.iter().find(|p| p.folio == *folio),
                        snap.pages.iter().find(|p| p.folio == *folio),
                    ) else {
                        continue;
                    };
                    let earlier = image::open(previous_dir.join(format!("p{folio}.png")))
                        .map(|i| picture::on_paper(&i.to_rgba8()));
                    let Ok(earlier) = earlier else {
                        report.notes.push(format!(
                            "p{folio}.png of {} is missing: no diff picture",
                            previous.dir_name()
                        ));
                        continue;
                    };
                    let page_changes: Vec<&Change> =
                        found.iter().filter(|c| c.folio == *folio).collect();
                    let diff = diff_picture(&geometry, &earlier, sheet, old, new, &page_changes);
                    match picture::png(&diff) {
                        Ok(png) => files.push((PathBuf::from(format!("p{folio}-diff.png")), png)),
                        Err(reason) => return Ok(fail(report, reason)),
                    }
                }
                files.push((
                    PathBuf::from("changes.md"),
                    crate::report::changes::changes_markdown(&before, &snap, &found, options.lang)
                        .into_bytes(),
                ));
                files.push((
                    PathBuf::from("changes.json"),
                    crate::report::changes::changes_json(&before, &snap, &found, options.lang),
                ));
                report.changes = Some(found);
            }
            Err(reason) => report.notes.push(reason),
        }
    }

    progress(Phase::Write);
    if let Err(e) = crate::output::create_dir_with(&dir, &files) {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(KohoError::RoundExists {
                round: round.get(),
                dir: shown(&dir, cwd),
                next: round::next_free(&proofs).get(),
            });
        }
        report.diagnostics.push(Diagnostic::whole_file(
            shown(&dir, cwd),
            Problem::WriteFailed {
                reason: e.to_string(),
            },
        ));
        return Ok(report);
    }
    report.written = files
        .iter()
        .map(|(p, _)| shown(&dir.join(p), cwd))
        .collect();
    Ok(report)
}

/// A page file's path from the project root (`content/2026-06/p04.yaml`), as comments name it.
fn project_relative(project: &Project, issue_dir: &Path, file: &str) -> String {
    let path = issue_dir.join(file);
    path.strip_prefix(project.root())
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Where the trimmed page lies on a rendered sheet, and how big a point is there.
struct Geometry {
    /// Pixels per point of the previews.
    scale: f64,
    /// The trim's corner on the sheet, in pixels from its top-left.
    trim_origin: f64,
    /// The trim's size, in pixels.
    trim_size: (f64, f64),
}

impl Geometry {
    fn of(format: &Magazine) -> Self {
        let scale = export::PREVIEW_PPI / 72.0;
        Geometry {
            scale,
            trim_origin: format.slug.pt() * scale,
            trim_size: (
                format.trim.width.pt() * scale,
                format.trim.height.pt() * scale,
            ),
        }
    }

    /// The trimmed page of a sheet (the stamp and the marks differ every round; they are not
    /// content).
    fn trimmed(&self, sheet: &image::RgbImage) -> image::RgbImage {
        let o = self.trim_origin.round() as u32;
        picture::crop(
            sheet,
            [
                o,
                o,
                o + self.trim_size.0.round() as u32,
                o + self.trim_size.1.round() as u32,
            ],
        )
    }

    /// A region in pixels of the trimmed page.
    fn pixels(&self, region: &Region) -> picture::PixelRect {
        region
            .rect
            .map(|v| (v * self.scale).max(0.0).round() as u32)
    }
}

/// The page's diff picture: the changed fields boxed where they were and where they are.
fn diff_picture(
    geometry: &Geometry,
    before: &image::RgbImage,
    after: &image::RgbImage,
    old: &PageSnapshot,
    new: &PageSnapshot,
    changes: &[&Change],
) -> image::RgbImage {
    use changes::ChangeKind;
    let mut before_boxes = Vec::new();
    let mut after_boxes = Vec::new();
    for change in changes {
        if let Some(path) = &change.old_path
            && matches!(
                change.kind,
                ChangeKind::Changed | ChangeKind::Removed | ChangeKind::PhotoReplaced
            )
            && let Some(region) = old.region_of(&path.to_string())
        {
            before_boxes.push(geometry.pixels(region));
        }
        if change.kind != ChangeKind::Removed
            && let Some(region) = new.region_of(&change.path.to_string())
        {
            after_boxes.push(geometry.pixels(region));
        }
    }
    before_boxes.dedup();
    after_boxes.dedup();
    let (picture, _) = picture::diff_picture(&picture::DiffPicture {
        before: &geometry.trimmed(before),
        after: &geometry.trimmed(after),
        before_boxes: &before_boxes,
        after_boxes: &after_boxes,
    });
    picture
}
