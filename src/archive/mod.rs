//! The archive stage: past issues kept readable, verifiable and searchable for decades
//! (DESIGN §6).
//!
//! Each issue is a BagIt package (`<archive>/<issue>/v<N>/`, [`package`]) written whole under a
//! temporary name and renamed into place, never overwritten: a changed issue becomes the next
//! version beside the last. The catalogue ([`catalog`]) indexes every text and figure and is
//! updated in the same transaction as the package it records; it is derived, and
//! [`reindex`] rebuilds it from the packages alone.

pub mod bag;
pub mod catalog;
pub mod error;
pub mod fields;
pub mod package;

use std::fs;
use std::path::{Path, PathBuf};

pub use catalog::{Hit, Listed, PackageRecord};
pub use error::ArchiveError;
use error::{catalog as catalog_error, io};
pub use package::{Difference, PackageDir};

use crate::build::{Phase, finished_pdf};
use crate::diag::Diagnostic;
use crate::print::finish::Rendition;
use crate::project::{Project, shown};
use crate::render::{self, export};

/// The catalogue's file name, at the archive's root.
pub const CATALOG_FILE: &str = "catalog.sqlite";

/// Threads that hash files while verifying (the machines koho runs on have two cores or more).
const VERIFY_THREADS: usize = 2;

/// An archive folder.
#[derive(Clone, Debug)]
pub struct Archive {
    root: PathBuf,
}

impl Archive {
    /// The archive in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Archive { root: dir.into() }
    }

    /// The project's own archive, `archive/` beside `layouts/`.
    pub fn of(project: &Project) -> Self {
        Archive::at(project.root().join("archive"))
    }

    /// The archive's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The catalogue file.
    pub fn catalog_path(&self) -> PathBuf {
        self.root.join(CATALOG_FILE)
    }

    /// The catalogue, opened (an archive that does not exist yet is an error).
    fn catalog(&self) -> Result<catalog::Catalog, ArchiveError> {
        if !self.catalog_path().is_file() {
            return Err(ArchiveError::NoArchive {
                dir: self.root.clone(),
            });
        }
        let mut catalog = catalog::Catalog::open(&self.catalog_path())
            .map_err(catalog_error(self.catalog_path()))?;
        if catalog.emptied() {
            // A catalogue of an older koho: made anew from the packages, the record.
            index_missing(&mut catalog, self)?;
        }
        Ok(catalog)
    }
}

/// What `add` did.
#[derive(Debug)]
pub enum Added {
    /// A new package was written.
    New {
        /// Its version.
        version: u32,
        /// Its folder.
        dir: PathBuf,
        /// Files in its payload.
        files: usize,
        /// Bytes in its payload.
        bytes: u64,
    },
    /// The issue is as the newest package has it: nothing was written.
    Unchanged {
        /// That package's version.
        version: u32,
        /// Its folder.
        dir: PathBuf,
    },
}

/// The outcome of `add`.
#[derive(Debug)]
pub struct AddReport {
    /// The issue folder, as shown.
    pub issue_dir: PathBuf,
    /// Problems in the issue; nothing was added when there is one.
    pub diagnostics: Vec<Diagnostic>,
    /// What was added (none when the issue has problems).
    pub added: Option<Added>,
    /// Things worth saying (an interrupted add cleaned up, a package recorded late).
    pub notes: Vec<AddNote>,
}

/// Something `add` did besides adding, worth telling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddNote {
    /// A temporary folder an interrupted add left was removed.
    RemovedLeftover(PathBuf),
    /// A package an interrupted add had put in place was recorded in the catalogue.
    RecordedLate(String, u32),
}

/// Adds the issue in `issue_dir` to `archive`: builds it in memory (the same bytes `koho
/// build` writes), and writes a new package unless the newest one holds the same payload.
pub fn add(
    project: &Project,
    issue_dir: &Path,
    cwd: &Path,
    archive: &Archive,
    progress: &dyn Fn(Phase),
) -> Result<AddReport, ArchiveError> {
    progress(Phase::Check);
    let options = crate::check::CheckOptions {
        photo_cache: Some(crate::cache::photos(project, true)),
        ..Default::default()
    };
    let checked = crate::check::check_with(project, issue_dir, cwd, progress, options);
    let mut report = AddReport {
        issue_dir: checked.issue_dir.clone(),
        diagnostics: checked.diagnostics.clone(),
        added: None,
        notes: Vec::new(),
    };
    let (Some(issue), Some(typeset), Some(format)) =
        (&checked.issue, &checked.typeset, &checked.format)
    else {
        return Ok(report);
    };
    let print_pdf = match finished_pdf(
        &checked.issue_dir,
        issue,
        std::borrow::Cow::Borrowed(&typeset.document),
        format,
        &Rendition::Print,
        Some(&crate::cache::image_inks(project, true)),
        progress,
    ) {
        Ok(finished) => finished.pdf,
        Err(diagnostics) => {
            report.diagnostics = diagnostics;
            return Ok(report);
        }
    };
    let archival_fail = |reason: String| {
        vec![Diagnostic::whole_file(
            &checked.issue_dir,
            crate::diag::Problem::ExportFailed { reason },
        )]
    };
    let soft = match render::softproof::SoftProof::new().and_then(|s| {
        s.with_disk_cache(crate::cache::soft_proofs(project, true))
            .with_photos(&typeset.files)
    }) {
        Ok(soft) => soft,
        Err(reason) => {
            report.diagnostics = archival_fail(reason);
            return Ok(report);
        }
    };
    let identity = crate::build::issue_identity(issue);
    let archival_pdf = match export::archival_pdf(&typeset.document, &soft, &identity) {
        Ok(pdf) => pdf,
        Err(reason) => {
            report.diagnostics = archival_fail(reason);
            return Ok(report);
        }
    };
    let made_with = package::MadeWith::of(project).map_err(io(project.root()))?;
    let (payload, fields) = package::payload(package::Ingredients {
        issue,
        print_pdf,
        archival_pdf,
        made_with,
    })
    .map_err(io(&issue.dir))?;

    progress(Phase::Write);
    report
        .notes
        .extend(remove_leftovers(&archive.root.join(&issue.name)));
    // Packages an earlier add put in place but could not record are recorded first.
    fs::create_dir_all(&archive.root).map_err(io(&archive.root))?;
    let catalog_path = archive.catalog_path();
    let mut catalog =
        catalog::Catalog::open(&catalog_path).map_err(catalog_error(&catalog_path))?;
    report.notes.extend(index_missing(&mut catalog, archive)?);
    let existing = package::versions(&archive.root, &issue.name);
    let new_manifest = bag::manifest(&payload);
    if let Some(newest) = existing.last() {
        let manifest = fs::read_to_string(newest.dir.join(bag::MANIFEST)).unwrap_or_default();
        if manifest == new_manifest {
            report.added = Some(Added::Unchanged {
                version: newest.version,
                dir: shown(&newest.dir, cwd),
            });
            return Ok(report);
        }
    }
    let version = existing.last().map_or(1, |p| p.version + 1);
    let added_at = crate::clock::now_iso();
    let bytes: u64 = payload.iter().map(|(_, b)| b.len() as u64).sum();
    let files = payload.len();
    let new_bag = package::bag(issue, version, &added_at, payload);
    let target = package::dir(&archive.root, &issue.name, version);
    let staged = crate::output::stage_dir(&target, &new_bag.files()).map_err(io(&target))?;

    // The catalogue records the package in the transaction that sees its folder renamed into
    // place: both happen, or neither (cut off in between, the package stands whole and the
    // next add records it).
    let record = PackageRecord {
        issue: issue.name.clone(),
        version,
        magazine: issue.magazine.as_str().to_owned(),
        issue_date: issue.issue_date.to_string(),
        number: issue.number.map(|n| n.get()),
        added: added_at,
        manifest_sha256: crate::hash::sha256_hex(new_manifest.as_bytes()),
    };
    let transaction = catalog
        .transaction()
        .map_err(catalog_error(&catalog_path))?;
    catalog::insert(&transaction, &record, &fields).map_err(catalog_error(&catalog_path))?;
    staged.commit().map_err(io(&target))?;
    if let Err(e) = transaction.commit() {
        // The package must not stand unrecorded: take it back out.
        let _ = fs::remove_dir_all(&target);
        return Err(catalog_error(&catalog_path)(e));
    }
    report.added = Some(Added::New {
        version,
        dir: shown(&target, cwd),
        files,
        bytes,
    });
    Ok(report)
}

/// Removes what an interrupted add left in an issue's folder (hidden temporary folders),
/// and says so.
fn remove_leftovers(issue_dir: &Path) -> Vec<AddNote> {
    leftovers(issue_dir)
        .into_iter()
        .filter(|path| fs::remove_dir_all(path).is_ok())
        .map(AddNote::RemovedLeftover)
        .collect()
}

/// The hidden temporary folders an interrupted add leaves.
fn leftovers(issue_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(issue_dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.starts_with('.') && name.contains(crate::output::STAGING_MARK)
        })
        .collect();
    found.sort();
    found
}

/// Records in the catalogue the packages that are on disk but not in it (an add stopped
/// between renaming its folder and committing), and says which.
fn index_missing(
    catalog: &mut catalog::Catalog,
    archive: &Archive,
) -> Result<Vec<AddNote>, ArchiveError> {
    let path = archive.catalog_path();
    let recorded: Vec<(String, u32)> = catalog
        .list()
        .map_err(catalog_error(&path))?
        .into_iter()
        .map(|l| (l.record.issue, l.record.version))
        .collect();
    let mut notes = Vec::new();
    for package in package::all(&archive.root) {
        if recorded.contains(&(package.issue.clone(), package.version)) {
            continue;
        }
        // Only a package that verifies is recorded; a damaged one is left to verify to name.
        if !bag::verify(&package.dir, VERIFY_THREADS).is_empty() {
            continue;
        }
        let Ok((record, fields)) = package::read_record(&package) else {
            continue;
        };
        let transaction = catalog.transaction().map_err(catalog_error(&path))?;
        catalog::insert(&transaction, &record, &fields).map_err(catalog_error(&path))?;
        transaction.commit().map_err(catalog_error(&path))?;
        notes.push(AddNote::RecordedLate(
            package.issue.clone(),
            package.version,
        ));
    }
    Ok(notes)
}

/// Every package the catalogue records.
pub fn list(archive: &Archive) -> Result<Vec<Listed>, ArchiveError> {
    let catalog = archive.catalog()?;
    catalog
        .list()
        .map_err(catalog_error(archive.catalog_path()))
}

/// The texts holding `query`, newest issue first, at most `limit`.
pub fn search(archive: &Archive, query: &str, limit: usize) -> Result<Vec<Hit>, ArchiveError> {
    let catalog = archive.catalog()?;
    catalog
        .search(query, limit)
        .map_err(catalog_error(archive.catalog_path()))
}

/// What the catalogue and the packages disagree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogFinding {
    /// A package the catalogue records that is not there.
    NoPackage(String, u32),
    /// A package whose manifest is not the one the catalogue recorded.
    ManifestDiffers(String, u32),
}

/// The outcome of `verify`.
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// Each package checked, with what is wrong in it (nothing when intact).
    pub packages: Vec<(PackageDir, Vec<bag::Finding>)>,
    /// Where the catalogue and the packages disagree.
    pub catalog: Vec<CatalogFinding>,
    /// Files or folders in the archive that belong to no package.
    pub strays: Vec<PathBuf>,
    /// Leftovers of interrupted adds (harmless; the next add removes them).
    pub leftovers: Vec<PathBuf>,
    /// Packages in place but not yet in the catalogue: an add cut off between putting its
    /// package in place and recording it. The package is whole; the next add (or reindex)
    /// records it.
    pub unrecorded: Vec<PackageDir>,
    /// Bytes hashed.
    pub bytes: u64,
}

impl VerifyReport {
    /// True when every package is intact and the catalogue agrees with them.
    pub fn is_intact(&self) -> bool {
        self.packages.iter().all(|(_, f)| f.is_empty())
            && self.catalog.is_empty()
            && self.strays.is_empty()
    }
}

/// Recomputes every checksum of every package (or of `issue`'s) and checks the catalogue
/// against the packages.
pub fn verify(
    archive: &Archive,
    issue: Option<&str>,
    counted: &dyn Fn(usize, usize),
) -> Result<VerifyReport, ArchiveError> {
    let catalog = archive.catalog()?;
    let catalog_path = archive.catalog_path();
    let recorded: Vec<PackageRecord> = catalog
        .list()
        .map_err(catalog_error(&catalog_path))?
        .into_iter()
        .map(|l| l.record)
        .filter(|r| issue.is_none_or(|i| r.issue == i))
        .collect();
    let packages: Vec<PackageDir> = package::all(&archive.root)
        .into_iter()
        .filter(|p| issue.is_none_or(|i| p.issue == i))
        .collect();
    if let Some(issue) = issue
        && packages.is_empty()
        && recorded.is_empty()
    {
        return Err(no_such_issue(archive, issue));
    }
    let mut report = VerifyReport::default();
    counted(0, packages.len());
    for (done, package) in packages.iter().enumerate() {
        let findings = bag::verify(&package.dir, VERIFY_THREADS);
        counted(done + 1, packages.len());
        report.bytes += folder_bytes(&package.dir);
        match recorded
            .iter()
            .find(|r| r.issue == package.issue && r.version == package.version)
        {
            None => report.unrecorded.push(package.clone()),
            Some(record) => {
                let manifest = fs::read(package.dir.join(bag::MANIFEST)).unwrap_or_default();
                if crate::hash::sha256_hex(&manifest) != record.manifest_sha256 {
                    report.catalog.push(CatalogFinding::ManifestDiffers(
                        package.issue.clone(),
                        package.version,
                    ));
                }
            }
        }
        report.packages.push((package.clone(), findings));
    }
    for record in &recorded {
        if !packages
            .iter()
            .any(|p| p.issue == record.issue && p.version == record.version)
        {
            report.catalog.push(CatalogFinding::NoPackage(
                record.issue.clone(),
                record.version,
            ));
        }
    }
    let (strays, leftovers) = strays(archive, issue);
    report.strays = strays;
    report.leftovers = leftovers;
    Ok(report)
}

/// Entries of the archive that are neither a package, the catalogue nor an issue folder
/// (and, apart, the leftovers of interrupted adds).
fn strays(archive: &Archive, issue: Option<&str>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut strays = Vec::new();
    let mut leftover = Vec::new();
    let Ok(entries) = fs::read_dir(&archive.root) else {
        return (strays, leftover);
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(CATALOG_FILE) {
            continue; // the catalogue and SQLite's journal beside it
        }
        if !path.is_dir() {
            if issue.is_none() {
                strays.push(path);
            }
            continue;
        }
        if issue.is_some_and(|i| i != name) {
            continue;
        }
        let found = leftovers(&path);
        let packages = package::versions(&archive.root, &name);
        let Ok(inner) = fs::read_dir(&path) else {
            continue;
        };
        for entry in inner.filter_map(Result::ok) {
            let inner_path = entry.path();
            let is_package = packages.iter().any(|p| p.dir == inner_path);
            if !is_package && !found.contains(&inner_path) {
                strays.push(inner_path);
            }
        }
        leftover.extend(found);
    }
    strays.sort();
    (strays, leftover)
}

fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                folder_bytes(&path)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn no_such_issue(archive: &Archive, issue: &str) -> ArchiveError {
    let mut known: Vec<String> = package::all(&archive.root)
        .into_iter()
        .map(|p| p.issue)
        .collect();
    known.dedup();
    ArchiveError::NoSuchIssue {
        issue: issue.to_owned(),
        known: if known.is_empty() {
            "—".to_owned()
        } else {
            known.join(", ")
        },
    }
}

/// The outcome of `restore`.
#[derive(Debug)]
pub struct RestoreReport {
    /// The package restored from.
    pub package: PackageDir,
    /// The issue folder written.
    pub dir: PathBuf,
    /// Files written.
    pub files: usize,
    /// Layout and font files that are not as the issue was made with.
    pub differences: Vec<(String, Difference)>,
}

/// Writes the source of `issue` (its newest version, or `version`) back as `to/<issue>/`,
/// from an intact package only, and says which layouts and fonts differ from those it was
/// made with (when none do, building it gives the archived print file byte for byte).
pub fn restore(
    project: &Project,
    archive: &Archive,
    issue: &str,
    version: Option<u32>,
    to: &Path,
) -> Result<RestoreReport, ArchiveError> {
    let versions = package::versions(&archive.root, issue);
    let Some(newest) = versions.last() else {
        return Err(no_such_issue(archive, issue));
    };
    let package = match version {
        None => newest.clone(),
        Some(v) => versions.iter().find(|p| p.version == v).cloned().ok_or(
            ArchiveError::NoSuchVersion {
                issue: issue.to_owned(),
                version: v,
                newest: newest.version,
            },
        )?,
    };
    let findings = bag::verify(&package.dir, VERIFY_THREADS);
    if let Some(first) = findings.first() {
        return Err(ArchiveError::Damaged {
            dir: package.dir.clone(),
            detail: format!("{} file(s), first {}", findings.len(), first.path()),
        });
    }
    let target = to.join(issue);
    if target.exists() {
        return Err(ArchiveError::TargetExists { dir: target });
    }
    let source = package.dir.join(bag::DATA).join(package::SOURCE_DIR);
    let mut files = Vec::new();
    collect(&source, &source, &mut files).map_err(io(&source))?;
    crate::output::create_dir_with(&target, &files).map_err(io(&target))?;
    let recorded =
        package::read_made_with(&package.dir).map_err(|reason| ArchiveError::Damaged {
            dir: package.dir.clone(),
            detail: reason,
        })?;
    let now = package::MadeWith::of(project).map_err(io(project.root()))?;
    Ok(RestoreReport {
        differences: recorded.differences(&now),
        package,
        dir: target,
        files: files.len(),
    })
}

/// Every file under `dir` with its bytes, by its path relative to `root`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((relative, fs::read(&path)?));
        }
    }
    Ok(())
}

/// The outcome of `reindex`.
#[derive(Debug, Default)]
pub struct ReindexReport {
    /// Packages recorded.
    pub packages: usize,
    /// Fields recorded.
    pub fields: u64,
    /// Packages that could not be read, with the reason (left out of the catalogue).
    pub skipped: Vec<(PathBuf, String)>,
}

/// Rebuilds the catalogue from the packages alone, under a temporary name, then puts it in
/// place of the old one.
pub fn reindex(
    archive: &Archive,
    counted: &dyn Fn(usize, usize),
) -> Result<ReindexReport, ArchiveError> {
    if !archive.root.is_dir() {
        return Err(ArchiveError::NoArchive {
            dir: archive.root.clone(),
        });
    }
    let path = archive.catalog_path();
    let temp = crate::output::staging_path(&path);
    let _ = fs::remove_file(&temp);
    let mut report = ReindexReport::default();
    let built = (|| -> Result<u64, ArchiveError> {
        let mut catalog = catalog::Catalog::open(&temp).map_err(catalog_error(&temp))?;
        let transaction = catalog.transaction().map_err(catalog_error(&temp))?;
        let packages = package::all(&archive.root);
        for (done, package) in packages.iter().enumerate() {
            counted(done, packages.len());
            match package::read_record(package) {
                Ok((record, fields)) => {
                    catalog::insert(&transaction, &record, &fields)
                        .map_err(catalog_error(&temp))?;
                    report.packages += 1;
                }
                Err(reason) => report.skipped.push((package.dir.clone(), reason)),
            }
        }
        counted(packages.len(), packages.len());
        transaction.commit().map_err(catalog_error(&temp))?;
        catalog.field_count().map_err(catalog_error(&temp))
    })();
    match built {
        Ok(fields) => {
            report.fields = fields;
            fs::rename(&temp, &path).map_err(io(&path))?;
            Ok(report)
        }
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}
