//! The archive stage: past issues kept readable, verifiable and searchable for decades
//! (DESIGN §6), on one machine or shared by many (§12).
//!
//! Each issue is a BagIt package ([`package`]) in a [`store::Store`], written whole and never
//! overwritten: a changed issue becomes the next version beside the last. The catalogue
//! ([`catalog::Catalog`]) indexes every text and figure; it is derived, and [`reindex`]
//! rebuilds it from the packages alone. An add claims its version in the catalogue, writes the
//! package, then records it: cut off anywhere, the next add (or reindex) finishes or clears
//! what was left, and nothing half-written is ever listed or searched.

pub mod address;
pub mod bag;
pub mod catalog;
pub mod error;
pub mod fields;
pub mod package;
pub mod store;

use std::path::{Path, PathBuf};
use std::time::Duration;

use catalog::{Catalog, Claim, Recorded};
pub use catalog::{Filter, Hit, Listed, Municipality, PackageRecord};
pub use error::ArchiveError;
use error::{Damage, io};
pub use package::Difference;
pub use store::folder::CATALOG_FILE;
use store::folder::FolderStore;
use store::{Leftover, PackageId, Put, Store};

use crate::build::{Phase, finished_pdf};
use crate::diag::Diagnostic;
use crate::print::finish::Rendition;
use crate::project::Project;
use crate::render::{self, export};

/// Threads that hash files while verifying (the machines koho runs on have two cores or more).
const VERIFY_THREADS: usize = 2;

/// How long an add waits before looking again when another add is writing the very version it
/// would write.
const BUSY_WAIT: Duration = Duration::from_millis(250);

/// How many times an add looks again for a version to write before it gives up (each look
/// follows another add's success, so many adds of one issue at once still all finish).
const CLAIM_ATTEMPTS: usize = 1000;

/// Where the catalogue is.
#[derive(Clone, Debug)]
enum CatalogAt {
    /// A SQLite file beside a folder store.
    File(PathBuf),
    /// A PostgreSQL database beside an object store (its `postgres://` address).
    Postgres(String),
}

/// An archive: a store of packages and the catalogue of what they hold.
pub struct Archive {
    store: Box<dyn Store>,
    catalog: CatalogAt,
}

impl Archive {
    /// The folder archive in `dir` (packages and `catalog.sqlite`), its places told relative
    /// to `cwd`.
    pub fn at(dir: impl Into<PathBuf>, cwd: &Path) -> Self {
        let dir = dir.into();
        Archive {
            catalog: CatalogAt::File(dir.join(CATALOG_FILE)),
            store: Box::new(FolderStore::new(dir, cwd)),
        }
    }

    /// The project's own archive, `archive/` beside `layouts/`.
    pub fn of(project: &Project, cwd: &Path) -> Self {
        Archive::at(project.root().join("archive"), cwd)
    }

    /// The archive at `address`: the project's own (found from `cwd` when asked for), a
    /// folder, or a shared archive reached through the object storage endpoint and key the
    /// environment names.
    pub fn open(address: address::Address, cwd: &Path) -> Result<Self, ArchiveError> {
        Ok(match address {
            address::Address::Project => Archive::of(&Project::find(cwd)?, cwd),
            address::Address::Folder(dir) => Archive::at(cwd.join(dir), cwd),
            address::Address::Shared { store, catalog } => Archive {
                store: Box::new(store::s3::S3Store::new(
                    store,
                    &store::s3::Endpoint::from_env(),
                )?),
                catalog: CatalogAt::Postgres(catalog),
            },
        })
    }

    /// The store of packages.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The catalogue, opened: `create` makes it when there is none yet (an add); otherwise an
    /// archive that does not exist yet is an error. A catalogue of an older koho is made anew
    /// from the packages, the record.
    pub fn catalog(&self, create: bool) -> Result<Box<dyn Catalog>, ArchiveError> {
        if !create && !self.store.exists()? {
            return Err(ArchiveError::NoArchive {
                at: self.store.location(),
            });
        }
        // A catalogue file lives in its store's folder, made first; a shared catalogue is
        // asked which store it records before the store is touched.
        let inside = matches!(self.catalog, CatalogAt::File(_));
        if create && inside {
            self.store.prepare()?;
        }
        let mut catalog = self.open_catalog()?;
        let store = self.store.location();
        // Checked before anything is written: a mistyped store is never made.
        let indexes = match catalog.needs_rebuild() {
            true => None,
            false => catalog.indexed_store()?,
        };
        if let Some(indexes) = &indexes
            && *indexes != store
        {
            return Err(ArchiveError::CatalogOfAnotherStore {
                catalog: catalog.location(),
                indexes: indexes.clone(),
                store,
            });
        }
        if create && !inside {
            self.store.prepare()?;
        }
        if catalog.needs_rebuild() {
            rebuild(self.store(), catalog.as_mut(), &|_, _| {})?;
        }
        if indexes.is_none() {
            // A new pair, or a catalogue made anew: it notes its store.
            catalog.set_indexed_store(&store)?;
        }
        Ok(catalog)
    }

    /// The catalogue, opened as it is (whatever store it records).
    fn open_catalog(&self) -> Result<Box<dyn Catalog>, ArchiveError> {
        Ok(match &self.catalog {
            CatalogAt::File(path) => Box::new(catalog::sqlite::SqliteCatalog::open(path)?),
            CatalogAt::Postgres(url) => Box::new(catalog::postgres::PgCatalog::connect(url)?),
        })
    }
}

/// What `add` did.
#[derive(Debug)]
pub enum Added {
    /// A new package was written.
    New {
        /// Which.
        id: PackageId,
        /// Where, as told to the editor.
        shown: String,
        /// Files in its payload.
        files: usize,
        /// Bytes in its payload.
        bytes: u64,
    },
    /// The issue is as the newest package has it: nothing was written.
    Unchanged {
        /// That package.
        id: PackageId,
        /// Where, as told to the editor.
        shown: String,
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
    /// What an interrupted add left was removed (where it was, as told).
    RemovedLeftover(String),
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
    let mut catalog = archive.catalog(true)?;
    let store = archive.store();
    let shelf = store.shelf(
        issue.magazine.as_str(),
        issue.municipality.as_ref().map(|m| m.code.as_str()),
    );
    let new_manifest = bag::manifest(&payload);
    let manifest_sha256 = crate::hash::sha256_hex(new_manifest.as_bytes());
    let added_at = crate::clock::now_iso();
    let bytes: u64 = payload.iter().map(|(_, b)| b.len() as u64).sum();
    let files = payload.len();

    for _ in 0..CLAIM_ATTEMPTS {
        // What an earlier add left of this issue is finished or cleared first.
        report
            .notes
            .extend(repair(store, catalog.as_mut(), &shelf, &issue.name)?);
        let stored = store.versions(&shelf, &issue.name)?;
        if let Some(newest) = stored.last()
            && store.read(newest, bag::MANIFEST)?.as_deref() == Some(new_manifest.as_bytes())
        {
            report.added = Some(Added::Unchanged {
                shown: store.shown(newest),
                id: newest.clone(),
            });
            return Ok(report);
        }
        let version = stored.last().map_or(1, |p| p.version + 1);
        let id = PackageId::new(&shelf, &issue.name, version);
        let ticket = match catalog.claim(&id, &manifest_sha256)? {
            Claim::Granted(ticket) => ticket,
            Claim::Busy => {
                std::thread::sleep(BUSY_WAIT);
                continue;
            }
            Claim::Taken => continue,
        };
        let bag = package::bag(issue, version, &added_at, payload.clone());
        match store.put(&id, &bag.files()) {
            Ok(Put::Written) => {}
            Ok(Put::Taken) => {
                catalog.release(ticket)?;
                continue;
            }
            Err(e) => {
                let _ = catalog.release(ticket);
                return Err(e);
            }
        }
        // Recorded at once: the package is in place, whole. Cut off before this, the next
        // add (or reindex) records it from the package.
        let record = PackageRecord {
            shelf: shelf.clone(),
            issue: issue.name.clone(),
            version,
            magazine: issue.magazine.as_str().to_owned(),
            municipality: issue.municipality.as_ref().map(|m| catalog::Municipality {
                code: m.code.as_str().to_owned(),
                name: m.name.as_str().to_owned(),
            }),
            issue_date: issue.issue_date.to_string(),
            number: issue.number.map(|n| n.get()),
            added: added_at.clone(),
            manifest_sha256: manifest_sha256.clone(),
        };
        catalog.record(&record, &fields)?;
        report.added = Some(Added::New {
            shown: store.shown(&id),
            id,
            files,
            bytes,
        });
        return Ok(report);
    }
    Err(ArchiveError::Contended {
        issue: issue.name.clone(),
    })
}

/// Finishes or clears what interrupted adds left of one issue: packages in place but not
/// recorded are recorded (when they verify), leftovers no running add is writing are
/// removed.
fn repair(
    store: &dyn Store,
    catalog: &mut dyn Catalog,
    shelf: &str,
    issue: &str,
) -> Result<Vec<AddNote>, ArchiveError> {
    let mut notes = Vec::new();
    let filter = Filter::default();
    let recorded: Vec<(String, u32)> = catalog
        .list(&filter)?
        .into_iter()
        .filter(|l| l.record.shelf == shelf && l.record.issue == issue)
        .map(|l| (l.record.issue, l.record.version))
        .collect();
    for id in store.versions(shelf, issue)? {
        if recorded.contains(&(id.issue.clone(), id.version)) {
            continue;
        }
        if record_found(store, catalog, &id)? {
            notes.push(AddNote::RecordedLate(id.issue.clone(), id.version));
        }
    }
    for leftover in store.leftovers(Some((shelf, issue)))? {
        if is_live(catalog, &leftover)? {
            continue;
        }
        store.remove_leftover(&leftover)?;
        notes.push(AddNote::RemovedLeftover(leftover.shown));
    }
    Ok(notes)
}

/// Whether a running add is still writing what looks left over.
fn is_live(catalog: &mut dyn Catalog, leftover: &Leftover) -> Result<bool, ArchiveError> {
    match &leftover.package {
        Some(id) => catalog.is_being_written(id),
        None => Ok(false),
    }
}

/// Records a package found in place but not in the catalogue, if it verifies (a damaged
/// one is left for verify to name). True when it was recorded now.
fn record_found(
    store: &dyn Store,
    catalog: &mut dyn Catalog,
    id: &PackageId,
) -> Result<bool, ArchiveError> {
    if !bag::verify(store, id, VERIFY_THREADS)?.is_empty() {
        return Ok(false);
    }
    let Ok((record, fields)) = package::read_record(store, id) else {
        return Ok(false);
    };
    Ok(catalog.record(&record, &fields)? == Recorded::Now)
}

/// Every package the catalogue records that passes `filter`.
pub fn list(archive: &Archive, filter: &Filter) -> Result<Vec<Listed>, ArchiveError> {
    archive.catalog(false)?.list(filter)
}

/// The texts holding `query`, newest issue first, at most `limit`.
pub fn search(
    archive: &Archive,
    query: &str,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<Hit>, ArchiveError> {
    archive.catalog(false)?.search(query, filter, limit)
}

/// What the catalogue and the packages disagree on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogFinding {
    /// A package the catalogue records that is not there.
    NoPackage(String, u32),
    /// A package whose manifest is not the one the catalogue recorded.
    ManifestDiffers(String, u32),
}

/// One package as verify found it.
#[derive(Debug)]
pub struct Verified {
    /// Which.
    pub id: PackageId,
    /// Where, as told to the editor.
    pub shown: String,
    /// What is wrong in it (nothing when intact).
    pub findings: Vec<bag::Finding>,
}

/// The outcome of `verify`.
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// Each package checked.
    pub packages: Vec<Verified>,
    /// Where the catalogue and the packages disagree.
    pub catalog: Vec<CatalogFinding>,
    /// Files, folders or objects in the store that belong to no package.
    pub strays: Vec<String>,
    /// Leftovers of interrupted adds (harmless; the next add removes them).
    pub leftovers: Vec<String>,
    /// Packages in place but not yet in the catalogue: an add cut off between putting its
    /// package in place and recording it. The package is whole; the next add (or reindex)
    /// records it.
    pub unrecorded: Vec<PackageId>,
    /// Bytes read back and hashed.
    pub bytes: u64,
}

impl VerifyReport {
    /// True when every package is intact and the catalogue agrees with them.
    pub fn is_intact(&self) -> bool {
        self.packages.iter().all(|p| p.findings.is_empty())
            && self.catalog.is_empty()
            && self.strays.is_empty()
    }
}

/// Reads every file of every package (or of `issue`'s) back from the store, checks its hash,
/// and checks the catalogue against the packages.
pub fn verify(
    archive: &Archive,
    issue: Option<&str>,
    counted: &dyn Fn(usize, usize),
) -> Result<VerifyReport, ArchiveError> {
    let mut catalog = archive.catalog(false)?;
    let store = archive.store();
    let recorded: Vec<PackageRecord> = catalog
        .list(&Filter::default())?
        .into_iter()
        .map(|l| l.record)
        .filter(|r| issue.is_none_or(|i| r.issue == i))
        .collect();
    let packages: Vec<PackageId> = store
        .packages()?
        .into_iter()
        .filter(|p| issue.is_none_or(|i| p.issue == i))
        .collect();
    if let Some(issue) = issue
        && packages.is_empty()
        && recorded.is_empty()
    {
        return Err(no_such_issue(&issues_held(archive)?, None, issue));
    }
    let mut report = VerifyReport::default();
    counted(0, packages.len());
    for (done, id) in packages.iter().enumerate() {
        let findings = bag::verify(store, id, VERIFY_THREADS)?;
        counted(done + 1, packages.len());
        report.bytes += store.files(id)?.iter().map(|f| f.bytes).sum::<u64>();
        match recorded
            .iter()
            .find(|r| r.shelf == id.shelf && r.issue == id.issue && r.version == id.version)
        {
            None => report.unrecorded.push(id.clone()),
            Some(record) => {
                let manifest = store.read(id, bag::MANIFEST)?.unwrap_or_default();
                if crate::hash::sha256_hex(&manifest) != record.manifest_sha256 {
                    report.catalog.push(CatalogFinding::ManifestDiffers(
                        id.issue.clone(),
                        id.version,
                    ));
                }
            }
        }
        report.packages.push(Verified {
            shown: store.shown(id),
            id: id.clone(),
            findings,
        });
    }
    for record in &recorded {
        if !packages.iter().any(|p| {
            p.shelf == record.shelf && p.issue == record.issue && p.version == record.version
        }) {
            report.catalog.push(CatalogFinding::NoPackage(
                record.issue.clone(),
                record.version,
            ));
        }
    }
    report.strays = store.strays(issue)?;
    report.leftovers = store
        .leftovers(None)?
        .into_iter()
        .filter(|l| issue.is_none_or(|i| l.issue == i))
        .map(|l| l.shown)
        .collect();
    Ok(report)
}

/// How many issue names an error about a missing issue lists, newest first.
const KNOWN_SHOWN: usize = 12;

/// Every issue the archive holds, as (shelf, issue), oldest first: the catalogue's to say, in
/// one query (a shared archive's store would list every object of every magazine) — or,
/// when the catalogue cannot be read, the store's own listing, so that packages are restored
/// whatever became of the catalogue.
fn issues_held(archive: &Archive) -> Result<Vec<(String, String)>, ArchiveError> {
    let listed = archive
        .catalog(false)
        .and_then(|mut catalog| catalog.list(&Filter::default()));
    match listed {
        Ok(listed) => Ok(listed
            .into_iter()
            .map(|l| (l.record.shelf, l.record.issue))
            .collect()),
        Err(e @ ArchiveError::NoArchive { .. }) => Err(e),
        Err(_) => Ok(archive
            .store()
            .packages()?
            .into_iter()
            .map(|p| (p.shelf, p.issue))
            .collect()),
    }
}

/// The error for an issue the archive (or the named shelf) does not have, with the issues
/// it holds (`held`, oldest first): the newest [`KNOWN_SHOWN`], and how many more.
fn no_such_issue(held: &[(String, String)], shelf: Option<&str>, issue: &str) -> ArchiveError {
    let shelves: std::collections::BTreeSet<&str> = held.iter().map(|(s, _)| s.as_str()).collect();
    // Named with their shelves where several magazines could have the same issue name.
    let name = |(s, i): &(String, String)| match shelves.len() {
        0 | 1 => i.clone(),
        _ => format!("{s}/{i}"),
    };
    let mut known: Vec<String> = held
        .iter()
        .rev()
        .filter(|(s, _)| shelf.is_none_or(|named| s == named))
        .map(name)
        .collect();
    known.dedup();
    let more = known.len().saturating_sub(KNOWN_SHOWN);
    known.truncate(KNOWN_SHOWN);
    let mut known = known.join(", ");
    if known.is_empty() {
        known = "—".to_owned();
    } else if more > 0 {
        known.push_str(&format!(", … (+{more})"));
    }
    ArchiveError::NoSuchIssue {
        issue: issue.to_owned(),
        known,
    }
}

/// The outcome of `restore`.
#[derive(Debug)]
pub struct RestoreReport {
    /// The package restored from.
    pub package: PackageId,
    /// Where it is, as told to the editor.
    pub shown: String,
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
    let store = archive.store();
    // In a shared archive many magazines have a 2026-06: `<shelf>/2026-06` names one.
    let (shelf, issue) = match issue.rsplit_once('/') {
        Some((shelf, issue)) => (Some(shelf), issue),
        None => (None, issue),
    };
    // Every issue the archive holds is asked for only when no shelf is named, or to tell
    // which there are.
    let versions: Vec<PackageId> = match shelf {
        Some(shelf) => store.versions(shelf, issue)?,
        None => {
            let mut shelves: Vec<String> = issues_held(archive)?
                .into_iter()
                .filter(|(_, i)| i == issue)
                .map(|(shelf, _)| shelf)
                .collect();
            shelves.sort_unstable();
            shelves.dedup();
            let mut versions = Vec::new();
            for shelf in &shelves {
                versions.extend(store.versions(shelf, issue)?);
            }
            versions
        }
    };
    let mut shelves: Vec<&str> = versions.iter().map(|p| p.shelf.as_str()).collect();
    shelves.dedup();
    if shelves.len() > 1 {
        return Err(ArchiveError::AmbiguousIssue {
            issue: issue.to_owned(),
            choices: shelves
                .iter()
                .map(|s| format!("{s}/{issue}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let Some(newest) = versions.iter().max_by_key(|p| p.version) else {
        return Err(no_such_issue(&issues_held(archive)?, shelf, issue));
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
    let findings = bag::verify(store, &package, VERIFY_THREADS)?;
    if let Some(first) = findings.first() {
        return Err(ArchiveError::Damaged {
            at: store.shown(&package),
            detail: Damage::Files {
                count: findings.len(),
                first: first.path().to_owned(),
            },
        });
    }
    let target = to.join(issue);
    if target.exists() {
        return Err(ArchiveError::TargetExists { dir: target });
    }
    let source = format!("{}/{}/", bag::DATA, package::SOURCE_DIR);
    let mut files = Vec::new();
    for file in store.files(&package)? {
        let Some(relative) = file.path.strip_prefix(&source) else {
            continue;
        };
        let bytes = store
            .read(&package, &file.path)?
            .ok_or_else(|| ArchiveError::Damaged {
                at: store.shown(&package),
                detail: Damage::WentMissing(file.path.clone()),
            })?;
        files.push((PathBuf::from(relative), bytes));
    }
    // The previous issue's figures it was made with: its 前月比 are worked out from them
    // again, wherever it is rebuilt.
    let earlier = format!("{}/{}", bag::DATA, crate::previous::PACKAGE_FILE);
    if let Some(bytes) = store.read(&package, &earlier)? {
        files.push((PathBuf::from(crate::previous::RECORDED_FILE), bytes));
    }
    crate::output::create_dir_with(&target, &files).map_err(io(&target))?;
    let recorded =
        package::read_made_with(store, &package).map_err(|reason| ArchiveError::Damaged {
            at: store.shown(&package),
            detail: Damage::MadeWith(reason),
        })?;
    let now = package::MadeWith::of(project).map_err(io(project.root()))?;
    Ok(RestoreReport {
        differences: recorded.differences(&now),
        shown: store.shown(&package),
        package,
        dir: target,
        files: files.len(),
    })
}

/// The outcome of `reindex`.
#[derive(Debug, Default)]
pub struct ReindexReport {
    /// Packages recorded.
    pub packages: usize,
    /// Fields recorded.
    pub fields: u64,
    /// Packages that could not be read, with where they are and why (left out of the
    /// catalogue).
    pub skipped: Vec<(String, String)>,
}

/// Rebuilds the catalogue from the packages alone and puts it in place of the old one at once.
pub fn reindex(
    archive: &Archive,
    counted: &dyn Fn(usize, usize),
) -> Result<ReindexReport, ArchiveError> {
    let store = archive.store();
    if !store.exists()? && store.packages()?.is_empty() {
        return Err(ArchiveError::NoArchive {
            at: store.location(),
        });
    }
    store.prepare()?;
    // Made anew from this store's packages, whichever store it recorded before.
    let mut catalog = archive.open_catalog()?;
    let report = rebuild(store, catalog.as_mut(), counted)?;
    catalog.set_indexed_store(&store.location())?;
    Ok(report)
}

/// Makes `catalog` anew from the packages in `store`.
fn rebuild(
    store: &dyn Store,
    catalog: &mut dyn Catalog,
    counted: &dyn Fn(usize, usize),
) -> Result<ReindexReport, ArchiveError> {
    let packages = store.packages()?;
    let mut report = ReindexReport::default();
    let skipped = std::cell::RefCell::new(Vec::new());
    let read = std::cell::Cell::new(0usize);
    let total = packages.len();
    let mut records = packages.iter().enumerate().filter_map(|(done, id)| {
        counted(done, total);
        match package::read_record(store, id) {
            Ok(found) => {
                read.set(read.get() + 1);
                Some(found)
            }
            Err(reason) => {
                skipped.borrow_mut().push((store.shown(id), reason));
                None
            }
        }
    });
    report.fields = catalog.rebuild(&mut records)?;
    drop(records);
    counted(total, total);
    report.packages = read.get();
    report.skipped = skipped.into_inner();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(shelf: &str, issue: &str) -> (String, String) {
        (shelf.to_owned(), issue.to_owned())
    }

    fn known(error: ArchiveError) -> String {
        match error {
            ArchiveError::NoSuchIssue { known, .. } => known,
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_missing_issue_is_told_with_the_newest_there_are() {
        assert_eq!(known(no_such_issue(&[], None, "2031-01")), "—");
        // Oldest first, as the catalogue lists them; two versions of one issue are one name.
        let mut one_shelf: Vec<(String, String)> = (1..=12)
            .map(|m| held("", &format!("2025-{m:02}")))
            .collect();
        one_shelf.push(held("", "2025-12"));
        assert_eq!(
            known(no_such_issue(&one_shelf, None, "2031-01")),
            "2025-12, 2025-11, 2025-10, 2025-09, 2025-08, 2025-07, 2025-06, 2025-05, \
             2025-04, 2025-03, 2025-02, 2025-01"
        );
        one_shelf.insert(0, held("", "2024-12"));
        assert!(known(no_such_issue(&one_shelf, None, "2031-01")).ends_with("2025-01, … (+1)"));
        // Several shelves: each name with its shelf; a named shelf's issues only.
        let two = [held("a", "2026-05"), held("b", "2026-06")];
        assert_eq!(
            known(no_such_issue(&two, None, "x")),
            "b/2026-06, a/2026-05"
        );
        assert_eq!(known(no_such_issue(&two, Some("a"), "x")), "a/2026-05");
    }
}
