//! The embedded store: a folder, `<archive>/<issue>/v<N>/`, one magazine's issues side by side.
//! A package is written whole under a hidden temporary name (`.v2.koho-<pid>.tmp`) and renamed
//! into place: the rename is atomic, and refused when the place is taken, so two adders cannot
//! both write one version.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Leftover, PackageId, Put, Store, StoredFile};
use crate::archive::error::{ArchiveError, io};
use crate::project::shown;

/// The catalogue's file name, at the archive's root (the store leaves it alone).
pub const CATALOG_FILE: &str = "catalog.sqlite";

/// An archive folder.
#[derive(Clone, Debug)]
pub struct FolderStore {
    root: PathBuf,
    cwd: PathBuf,
}

impl FolderStore {
    /// The store in `root`, its places told relative to `cwd`.
    pub fn new(root: impl Into<PathBuf>, cwd: impl Into<PathBuf>) -> Self {
        FolderStore {
            root: root.into(),
            cwd: cwd.into(),
        }
    }

    /// The archive's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of a package.
    pub fn dir(&self, id: &PackageId) -> PathBuf {
        self.root.join(&id.issue).join(format!("v{}", id.version))
    }

    fn issue_versions(&self, issue: &str) -> Vec<PackageId> {
        let Ok(entries) = fs::read_dir(self.root.join(issue)) else {
            return Vec::new();
        };
        let mut found: Vec<PackageId> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                let version = version_of(&e.file_name().to_string_lossy())?;
                Some(PackageId::new("", issue, version))
            })
            .collect();
        found.sort_by_key(|p| p.version);
        found
    }

    fn issues(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut issues: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        issues.sort();
        issues
    }

    fn shown_path(&self, path: &Path) -> String {
        shown(path, &self.cwd).display().to_string()
    }
}

/// The version a package folder's name gives (`v2` → 2).
pub fn version_of(name: &str) -> Option<u32> {
    let digits = name.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|v| *v > 0)
}

/// The process a staging folder's name says wrote it (`.v2.koho-4711.tmp` → 4711).
fn writer_of(name: &str) -> Option<u32> {
    let (_, tail) = name.rsplit_once(crate::output::STAGING_MARK)?;
    tail.strip_suffix(".tmp")?.parse().ok()
}

/// Whether a process of this machine is running (a staging folder of a live add is not a
/// leftover).
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false; // this process leaves no staging folder while it asks
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only asks whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<StoredFile>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(StoredFile {
                path: relative.to_string_lossy().replace('\\', "/"),
                bytes: entry.metadata().map_or(0, |m| m.len()),
            });
        }
    }
}

/// A path inside a package that stays inside it (no absolute path, no `..`).
fn inside(path: &str) -> bool {
    let path = Path::new(path);
    !path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

impl Store for FolderStore {
    fn location(&self) -> String {
        self.shown_path(&self.root)
    }

    fn exists(&self) -> Result<bool, ArchiveError> {
        Ok(self.root.join(CATALOG_FILE).is_file())
    }

    fn prepare(&self) -> Result<(), ArchiveError> {
        fs::create_dir_all(&self.root).map_err(io(&self.root))
    }

    fn shelf(&self, _magazine: &str, _municipality_code: Option<&str>) -> String {
        String::new()
    }

    fn packages(&self) -> Result<Vec<PackageId>, ArchiveError> {
        Ok(self
            .issues()
            .iter()
            .flat_map(|issue| self.issue_versions(issue))
            .collect())
    }

    fn versions(&self, _shelf: &str, issue: &str) -> Result<Vec<PackageId>, ArchiveError> {
        Ok(self.issue_versions(issue))
    }

    fn files(&self, id: &PackageId) -> Result<Vec<StoredFile>, ArchiveError> {
        let dir = self.dir(id);
        let mut files = Vec::new();
        collect_files(&dir, &dir, &mut files);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    fn read(&self, id: &PackageId, path: &str) -> Result<Option<Vec<u8>>, ArchiveError> {
        if !inside(path) {
            return Ok(None);
        }
        let file = self.dir(id).join(path);
        match fs::read(&file) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) if file.is_dir() => Err(io(&file)(e)),
            Err(_) => Ok(None),
        }
    }

    fn sha256(&self, id: &PackageId, path: &str) -> Result<Option<String>, ArchiveError> {
        if !inside(path) {
            return Ok(None);
        }
        // Hashed as it is read: a print PDF is not held in memory whole.
        Ok(crate::hash::sha256_file(&self.dir(id).join(path))
            .ok()
            .map(|(hex, _)| hex))
    }

    fn put(&self, id: &PackageId, files: &[(String, Vec<u8>)]) -> Result<Put, ArchiveError> {
        let target = self.dir(id);
        if target.exists() {
            return Ok(Put::Taken);
        }
        let files: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .map(|(path, bytes)| (PathBuf::from(path), bytes.clone()))
            .collect();
        let staged = crate::output::stage_dir(&target, &files).map_err(io(&target))?;
        match staged.commit() {
            Ok(()) => Ok(Put::Written),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists || target.exists() => {
                Ok(Put::Taken)
            }
            Err(e) => Err(io(&target)(e)),
        }
    }

    fn leftovers(&self, of: Option<(&str, &str)>) -> Result<Vec<Leftover>, ArchiveError> {
        let issues = match of {
            Some((_, issue)) => vec![issue.to_owned()],
            None => self.issues(),
        };
        let mut found = Vec::new();
        for issue in issues {
            let Ok(entries) = fs::read_dir(self.root.join(&issue)) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') || !name.contains(crate::output::STAGING_MARK) {
                    continue;
                }
                if writer_of(&name).is_some_and(is_running) {
                    continue; // another add, still at work
                }
                let path = entry.path();
                found.push(Leftover {
                    issue: issue.clone(),
                    shown: self.shown_path(&path),
                    key: path.display().to_string(),
                    package: None,
                });
            }
        }
        found.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(found)
    }

    fn remove_leftover(&self, leftover: &Leftover) -> Result<(), ArchiveError> {
        let path = PathBuf::from(&leftover.key);
        fs::remove_dir_all(&path).map_err(io(&path))
    }

    fn strays(&self, issue: Option<&str>) -> Result<Vec<String>, ArchiveError> {
        let mut strays: Vec<PathBuf> = Vec::new();
        let Ok(entries) = fs::read_dir(&self.root) else {
            return Ok(Vec::new());
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
            let Ok(inner) = fs::read_dir(&path) else {
                continue;
            };
            for entry in inner.filter_map(Result::ok) {
                let inner_name = entry.file_name().to_string_lossy().into_owned();
                let is_package = entry.path().is_dir() && version_of(&inner_name).is_some();
                let is_staging =
                    inner_name.starts_with('.') && inner_name.contains(crate::output::STAGING_MARK);
                if !is_package && !is_staging {
                    strays.push(entry.path());
                }
            }
        }
        strays.sort();
        Ok(strays.iter().map(|p| self.shown_path(p)).collect())
    }

    fn shown(&self, id: &PackageId) -> String {
        self.shown_path(&self.dir(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_the_v_folders_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["v1", "v10", "v2", "v0", "vx", ".v3.koho-1.tmp"] {
            fs::create_dir_all(dir.path().join("2026-06").join(name)).unwrap();
        }
        let store = FolderStore::new(dir.path(), dir.path());
        let found: Vec<u32> = store
            .versions("", "2026-06")
            .unwrap()
            .iter()
            .map(|p| p.version)
            .collect();
        assert_eq!(found, [1, 2, 10]);
        assert_eq!(store.packages().unwrap().len(), 3);
    }

    #[test]
    fn a_place_is_written_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = FolderStore::new(dir.path(), dir.path());
        let id = PackageId::new("", "2026-06", 1);
        let files = vec![("bagit.txt".to_owned(), b"BagIt-Version: 1.0\n".to_vec())];
        assert_eq!(store.put(&id, &files).unwrap(), Put::Written);
        let other = vec![("bagit.txt".to_owned(), b"other".to_vec())];
        assert_eq!(store.put(&id, &other).unwrap(), Put::Taken);
        assert_eq!(
            store.read(&id, "bagit.txt").unwrap().unwrap(),
            b"BagIt-Version: 1.0\n"
        );
        assert_eq!(store.read(&id, "../../etc/passwd").unwrap(), None);
    }

    #[test]
    fn a_staging_folder_of_a_running_add_is_not_a_leftover() {
        let dir = tempfile::tempdir().unwrap();
        let issue = dir.path().join("2026-06");
        // pid 1 is always running; a pid past the kernel's limit never is.
        for name in [".v2.koho-1.tmp", ".v2.koho-4294967.tmp"] {
            fs::create_dir_all(issue.join(name)).unwrap();
        }
        let store = FolderStore::new(dir.path(), dir.path());
        let left = store.leftovers(Some(("", "2026-06"))).unwrap();
        assert_eq!(left.len(), 1, "{left:?}");
        assert!(left[0].shown.ends_with(".v2.koho-4294967.tmp"));
        assert!(store.strays(None).unwrap().is_empty());
    }
}
