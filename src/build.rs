//! `koho build`: check, typeset, export the PDF and the previews, and put them in place only
//! when everything succeeded.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Problem};
use crate::output::Outputs;
use crate::print;
use crate::project::{Project, shown};
use crate::render::{self, export};

/// What `build` is asked for besides the issue.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Where to write the PDF instead of `out/<issue>/<issue>.pdf`.
    pub output: Option<PathBuf>,
    /// Also write the page as typst source and data into this folder.
    pub emit_typst: Option<PathBuf>,
}

/// The phases of a build, for progress and timing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Loading and checking the content.
    Check,
    /// Typesetting.
    Compile,
    /// Writing the PDF.
    Pdf,
    /// Print finishing.
    Finish,
    /// Rendering the previews.
    Previews,
    /// Of the previews being rendered, `done` of `total` pages drawn (pages an earlier build
    /// drew are taken, not counted).
    Drawn {
        /// Pages drawn so far.
        done: usize,
        /// Pages to draw.
        total: usize,
    },
    /// Making the web edition's pages and pictures.
    Web,
    /// Putting the files in place.
    Write,
}

/// How long each phase took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Loading and checking.
    pub check: Duration,
    /// Typesetting, the photos' conversion included.
    pub compile: Duration,
    /// Of which: converting the photos to press CMYK.
    pub photos: Duration,
    /// Of which: the 組版チェック (the typeset lines read back and proofread).
    pub proofread: Duration,
    /// PDF export.
    pub pdf: Duration,
    /// Print finishing.
    pub finish: Duration,
    /// Previews.
    pub previews: Duration,
    /// Writing files.
    pub write: Duration,
    /// Pages drawn for the previews (the others were taken as an earlier build drew them).
    pub pages_drawn: usize,
}

/// What a build did.
pub struct BuildReport {
    /// The issue folder, as shown.
    pub issue_dir: PathBuf,
    /// Every problem found; nothing was written when there is one.
    pub diagnostics: Vec<Diagnostic>,
    /// What was written, but likely not as meant.
    pub warnings: Vec<Diagnostic>,
    /// The files written, shown relative to where koho runs.
    pub written: Vec<PathBuf>,
    /// How long each phase took.
    pub timings: Timings,
    /// Pages typeset.
    pub pages: usize,
}

/// Builds the issue in `issue_dir`: `out/<issue>/<issue>.pdf` (or `options.output`) and
/// `out/<issue>/preview/p<folio>.png`. Nothing is written unless everything succeeded.
pub fn build(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    options: &BuildOptions,
    progress: &(dyn Fn(Phase) + Sync),
) -> BuildReport {
    progress(Phase::Check);
    let options_for_check = crate::check::CheckOptions {
        photo_cache: Some(crate::cache::photos(project, true)),
        ..Default::default()
    };
    let mut checked =
        crate::check::check_with(project, issue_dir, cwd, progress, options_for_check);
    let mut timings = Timings {
        check: checked.load_time,
        compile: checked.compile_time,
        proofread: checked.proofread_time,
        ..Timings::default()
    };
    let shown_dir = checked.issue_dir.clone();
    let warnings = checked.warnings.clone();
    let failed = |diagnostics, timings| BuildReport {
        issue_dir: shown_dir.clone(),
        diagnostics,
        warnings: warnings.clone(),
        written: Vec::new(),
        timings,
        pages: 0,
    };
    let typeset = checked.typeset.take();
    let (Some(issue), Some(format), Some(typeset), true) = (
        &checked.issue,
        &checked.format,
        typeset,
        checked.diagnostics.is_empty(),
    ) else {
        return failed(checked.diagnostics.clone(), timings);
    };
    let render::Typeset {
        document,
        files,
        photo_time,
    } = typeset;
    timings.photos = photo_time;
    let page_count = document.pages().len();
    // typst's memo of this run (its layouts, and the press photos it decoded for them, which
    // only the PDF export still needs) is not needed again: a build makes one document.
    typst::comemo::evict(0);

    let proof = match render::softproof::SoftProof::new()
        .map(|p| p.with_disk_cache(crate::cache::soft_proofs(project, true)))
        .and_then(|p| p.with_photos(&files))
    {
        Ok(proof) => proof,
        Err(reason) => {
            let d = Diagnostic::whole_file(&shown_dir, Problem::ExportFailed { reason });
            return failed(vec![d], timings);
        }
    };
    // The pages as the previews show them, made before the document goes to the PDF: they
    // hold the soft proofs, not the press photos, so the document (and the photos typst
    // decoded) is let go as soon as the PDF is exported.
    progress(Phase::Pdf);
    progress(Phase::Previews);
    let started = Instant::now();
    // Pages drawn exactly so by an earlier build are taken from what it kept.
    let kept = crate::preview::KeptPictures::new(crate::cache::previews(project, &issue.name));
    let planned = {
        let pages: Vec<(u32, &typst_layout::Page)> = issue.folios().zip(document.pages()).collect();
        crate::preview::Planned::new(&pages, &proof, Some(&kept))
    };
    let planned = match planned {
        Ok(planned) => planned,
        Err(reason) => {
            let d = Diagnostic::whole_file(&shown_dir, Problem::ExportFailed { reason });
            return failed(vec![d], timings);
        }
    };
    timings.pages_drawn = planned.to_draw();
    // The print file (export, finishing, preflight) is made beside the previews: on two
    // cores the previews are most of a build's time after typesetting.
    let inks = crate::cache::image_inks(project, true);
    let (finished, pictures, pictured) = std::thread::scope(|scope| {
        let (shown, inks) = (&shown_dir, &inks);
        let pdf = scope.spawn(move || {
            finished_pdf(
                shown,
                issue,
                std::borrow::Cow::Owned(document),
                format,
                &print::finish::Rendition::Print,
                Some(inks),
                &|_| {},
            )
        });
        let drawn = |done, total| progress(Phase::Drawn { done, total });
        let pictures = planned.draw(Some(&kept), &drawn);
        // The spreads and the contact sheet are made while the PDF is still being finished,
        // the contact sheet (the largest picture) on a core of its own beside the spreads.
        let pictured = pictures
            .as_ref()
            .ok()
            .map(|pictures| composed(pictures, format.binding, &kept));
        let finished = pdf.join().unwrap_or_else(|_| {
            Err(vec![Diagnostic::whole_file(
                &shown_dir,
                Problem::ExportFailed {
                    reason: "making the PDF failed".to_owned(),
                },
            )])
        });
        (finished, pictures, pictured)
    });
    let finished = match finished {
        Ok(finished) => finished,
        Err(diagnostics) => return failed(diagnostics, timings),
    };
    timings.pdf = finished.export_time;
    timings.finish = finished.finish_time;
    let pdf = finished.pdf;
    let pictures = match pictures {
        Ok(pictures) => pictures,
        Err(reason) => {
            let d = Diagnostic::whole_file(&shown_dir, Problem::ExportFailed { reason });
            return failed(vec![d], timings);
        }
    };

    let out_dir = project.out_dir().join(&issue.name);
    let preview_dir = out_dir.join("preview");
    let mut outputs = Outputs::default();
    let pdf_path = options
        .output
        .clone()
        .map(|p| if p.is_absolute() { p } else { cwd.join(p) })
        .unwrap_or_else(|| out_dir.join(format!("{}.pdf", issue.name)));
    outputs.add(pdf_path, pdf);
    let mut previews = Vec::new();
    let pictured = pictured.unwrap_or_default();
    for picture in pictures {
        let path = preview_dir.join(format!("p{}.png", picture.folio));
        previews.push(path.clone());
        outputs.add(path, picture.png);
    }
    for (name, png) in pictured {
        match png {
            Ok(png) => {
                let path = preview_dir.join(&name);
                previews.push(path.clone());
                outputs.add(path, png);
            }
            Err(reason) => {
                let d =
                    Diagnostic::whole_file(&checked.issue_dir, Problem::ExportFailed { reason });
                return failed(vec![d], timings);
            }
        }
    }
    timings.previews = started.elapsed();

    if let Some(dir) = &options.emit_typst {
        let dir = if dir.is_absolute() {
            dir.clone()
        } else {
            cwd.join(dir)
        };
        if let Err(ds) = add_typst_sources(&mut outputs, project, &files, issue, &dir) {
            return failed(ds, timings);
        }
    }

    progress(Phase::Write);
    let started = Instant::now();
    let written = match outputs.commit() {
        Ok(written) => written,
        Err(e) => {
            let d = Diagnostic::whole_file(
                shown(&out_dir, cwd),
                Problem::WriteFailed {
                    reason: e.to_string(),
                },
            );
            return failed(vec![d], timings);
        }
    };
    remove_stale_previews(&preview_dir, &previews);
    kept.forget_others();
    timings.write = started.elapsed();
    BuildReport {
        issue_dir: checked.issue_dir.clone(),
        diagnostics: Vec::new(),
        warnings: checked.warnings.clone(),
        written: written.iter().map(|p| shown(p, cwd)).collect(),
        timings,
        pages: page_count,
    }
}

/// A finished PDF and how long it took.
pub struct FinishedPdf {
    /// The file's bytes: exported, finished, and passing every print check.
    pub pdf: Vec<u8>,
    /// typst's PDF export.
    pub export_time: Duration,
    /// Finishing and preflight.
    pub finish_time: Duration,
}

/// The typeset issue as a finished PDF — the print file, or a proof of it — exported by typst,
/// finished for print and checked: a file that fails any print check is an error, never a
/// result. The same issue gives the same bytes (the identifier names the issue and, for a
/// proof, its round).
pub fn finished_pdf(
    issue_dir: &Path,
    issue: &crate::content::model::Issue,
    document: std::borrow::Cow<'_, typst_layout::PagedDocument>,
    format: &crate::layout::Magazine,
    rendition: &print::finish::Rendition,
    measured: Option<&crate::cache::DiskCache>,
    progress: &dyn Fn(Phase),
) -> Result<FinishedPdf, Vec<Diagnostic>> {
    let fail = |reason: String| {
        vec![Diagnostic::whole_file(
            issue_dir,
            Problem::ExportFailed { reason },
        )]
    };
    progress(Phase::Pdf);
    let started = Instant::now();
    let mut identity = issue_identity(issue);
    if let print::finish::Rendition::Proof(marks) = rendition {
        identity.ident = format!("{}/proof/r{}", identity.ident, marks.round);
    }
    let pdf = export::pdf(&document, &identity).map_err(fail)?;
    // The document is let go before finishing, when it was given.
    drop(document);
    let export_time = started.elapsed();

    progress(Phase::Finish);
    let started = Instant::now();
    let plates: Vec<Vec<crate::layout::Plate>> =
        issue.folios().map(|folio| format.plates(folio)).collect();
    // The advertisers' files, as checked before typesetting, to put back as delivered.
    let mut ads: Vec<Vec<u8>> = Vec::new();
    for page in issue.pages.iter() {
        for (_, ad) in page.content.fields.ads(&crate::diag::FieldPath::root()) {
            ads.push(std::fs::read(&ad.path).map_err(|e| fail(format!("{}: {e}", ad.file)))?);
        }
    }
    let ads: Vec<&[u8]> = ads.iter().map(Vec::as_slice).collect();
    let pdf = print::finish::finish_as(&pdf, format, rendition, &plates, &ads)
        .map_err(|e| fail(e.to_string()))?;
    // The finished file is checked before it may replace anything.
    let failures: Vec<Diagnostic> =
        match print::preflight::preflight_with(&pdf, &print_expectations(format), measured) {
            Ok(report) => report
                .failures()
                .map(|c| {
                    Diagnostic::whole_file(
                        issue_dir,
                        Problem::PrintCheck {
                            check: c.name.to_owned(),
                            detail: c.detail.clone(),
                        },
                    )
                })
                .collect(),
            Err(e) => vec![Diagnostic::whole_file(
                issue_dir,
                Problem::PrintCheck {
                    check: "readable".to_owned(),
                    detail: e.to_string(),
                },
            )],
        };
    if !failures.is_empty() {
        return Err(failures);
    }
    Ok(FinishedPdf {
        pdf,
        export_time,
        finish_time: started.elapsed(),
    })
}

/// What makes every PDF of `issue` repeatable: `koho/<magazine>/<issue>` and the issue's date
/// (renditions add their own part to the identifier).
pub fn issue_identity(issue: &crate::content::model::Issue) -> export::ExportIdentity {
    let date = issue.issue_date;
    export::ExportIdentity {
        ident: format!("koho/{}/{}", issue.magazine, issue.name),
        date: render::datetime(date.year(), date.month(), date.day()),
    }
}

/// What the print checks expect of a page in `format`.
pub fn print_expectations(format: &crate::layout::Magazine) -> print::preflight::Expectations {
    print::preflight::Expectations {
        trim_mm: (format.trim.width.mm(), format.trim.height.mm()),
        bleed_mm: format.bleed.mm(),
        min_slug_mm: print::preflight::Expectations::default().min_slug_mm,
        min_ppi: f64::from(crate::layout::MIN_PHOTO_PPI),
        max_ink: print::condition::MAX_TOTAL_INK,
    }
}

/// `--emit-typst DIR`: the generated files and the templates of the layouts used, laid out as
/// in koho's world, so `typst compile DIR/main.typ --font-path fonts --ignore-system-fonts`
/// sets the same page.
fn add_typst_sources(
    outputs: &mut Outputs,
    project: &Project,
    files: &render::world::VirtualFiles,
    issue: &crate::content::model::Issue,
    dir: &Path,
) -> Result<(), Vec<Diagnostic>> {
    for (path, bytes) in files.iter() {
        outputs.add(dir.join(path.trim_start_matches('/')), bytes.to_vec());
    }
    let mut layouts: Vec<&str> = issue
        .pages
        .iter()
        .map(|p| p.content.layout_name())
        .collect();
    layouts.sort_unstable();
    layouts.dedup();
    // The templates of the layouts used, and the shared ones beside them (lib/).
    let mut folders: Vec<PathBuf> = vec![PathBuf::new(), PathBuf::from(crate::layout::SHARED_DIR)];
    folders.extend(layouts.iter().map(PathBuf::from));
    let unreadable = |path: &Path, e: std::io::Error| {
        vec![Diagnostic::whole_file(
            path.to_path_buf(),
            Problem::FileUnreadable {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
        )]
    };
    for folder in folders {
        let from = project.layouts_dir().join(&folder);
        let entries = fs::read_dir(&from).map_err(|e| unreadable(&from, e))?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_file() && path.extension().is_some_and(|e| e == "typ") {
                let bytes = fs::read(&path).map_err(|e| unreadable(&path, e))?;
                outputs.add(
                    dir.join("layouts").join(&folder).join(entry.file_name()),
                    bytes,
                );
            }
        }
    }
    Ok(())
}

/// Previews of pages the issue no longer has (after a successful build only).
fn remove_stale_previews(dir: &Path, current: &[PathBuf]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_preview =
            (name.starts_with('p') || name.starts_with("spread-") || name == "contact-sheet.png")
                && name.ends_with(".png");
        if is_preview && !current.contains(&path) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The spreads and the contact sheet of `pictures`, named as their files (`spread-2-3.png`,
/// `contact-sheet.png`): the contact sheet made on a thread of its own beside the spreads.
fn composed(
    pictures: &[crate::preview::PagePicture],
    binding: crate::layout::Binding,
    kept: &crate::preview::KeptPictures,
) -> Vec<(String, Result<Vec<u8>, String>)> {
    std::thread::scope(|scope| {
        let sheet = scope.spawn(|| crate::preview::contact_sheet_png(pictures, Some(kept)));
        let mut pictured: Vec<(String, Result<Vec<u8>, String>)> =
            crate::preview::spread_pngs(pictures, binding, Some(kept))
                .into_iter()
                .map(|(name, png)| (format!("spread-{name}.png"), png))
                .collect();
        let sheet = sheet
            .join()
            .unwrap_or_else(|_| Err("making the contact sheet failed".to_owned()));
        pictured.push(("contact-sheet.png".to_owned(), sheet));
        pictured
    })
}
