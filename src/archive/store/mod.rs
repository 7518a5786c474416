//! Where the packages are kept: a [`Store`] holds whole BagIt packages, each written once and
//! never overwritten. Two stores exist: the project's folder ([`folder::FolderStore`], the
//! default) and S3-compatible object storage shared by many machines (DESIGN §12).
//!
//! A store knows nothing of the catalogue. It lists, reads and writes packages; deciding which
//! version an add may write is the catalogue's part ([`super::catalog::Catalog::claim`]), since
//! object storage cannot make two writers agree on its own.

pub mod folder;
pub mod s3;

use serde::Serialize;

use super::error::ArchiveError;

/// A package's place: which magazine's shelf, which issue, which version.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PackageId {
    /// The magazine's shelf ([`shelf_of`]): empty in a folder archive, which keeps one
    /// magazine's issues side by side.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub shelf: String,
    /// The issue folder's name (`2026-06`).
    pub issue: String,
    /// The version, from 1.
    pub version: u32,
}

impl PackageId {
    /// Version `version` of `issue` on `shelf`.
    pub fn new(shelf: &str, issue: &str, version: u32) -> Self {
        PackageId {
            shelf: shelf.to_owned(),
            issue: issue.to_owned(),
            version,
        }
    }

    /// The package's key below the store's root: `<shelf>/<issue>/v<N>` (no shelf in a folder
    /// archive).
    pub fn key(&self) -> String {
        let tail = format!("{}/v{}", self.issue, self.version);
        if self.shelf.is_empty() {
            tail
        } else {
            format!("{}/{tail}", self.shelf)
        }
    }
}

/// The shelf a magazine's issues are kept on in a shared archive: the 全国地方公共団体コード
/// before the magazine's name when it is known (two towns may call their magazines alike),
/// the name alone otherwise.
pub fn shelf_of(magazine: &str, municipality_code: Option<&str>) -> String {
    let name: String = magazine
        .chars()
        .map(|c| if c == '/' || c.is_control() { '_' } else { c })
        .collect();
    match municipality_code {
        Some(code) => format!("{code}-{name}"),
        None => name,
    }
}

/// What writing a package came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// The package was written whole.
    Written,
    /// Something is already at that place: nothing was written.
    Taken,
}

/// What an interrupted add left behind: never a package, harmless, removed by the next add.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Leftover {
    /// Where it is, as told to the editor (a folder, an object prefix).
    pub shown: String,
    /// The store's own handle on it.
    #[serde(skip)]
    pub key: String,
    /// The issue it is of.
    #[serde(skip)]
    pub issue: String,
    /// The package it would have become, when its place says so.
    #[serde(skip)]
    pub package: Option<PackageId>,
}

/// One file of a package as the store holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// Its path in the bag (`data/print/2026-06.pdf`, `bag-info.txt`).
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Where packages are kept, written once, never overwritten.
pub trait Store: Send + Sync {
    /// Where the store is, as told to the editor (a folder, `s3://bucket/prefix`).
    fn location(&self) -> String;

    /// Whether the store holds an archive yet.
    fn exists(&self) -> Result<bool, ArchiveError>;

    /// Makes the store ready to be written to (a folder made; a bucket that answers).
    fn prepare(&self) -> Result<(), ArchiveError>;

    /// The shelf an issue of `magazine` goes on in this store.
    fn shelf(&self, magazine: &str, municipality_code: Option<&str>) -> String;

    /// Every whole package, by shelf, issue, then version.
    fn packages(&self) -> Result<Vec<PackageId>, ArchiveError>;

    /// The whole packages of one issue, oldest version first.
    fn versions(&self, shelf: &str, issue: &str) -> Result<Vec<PackageId>, ArchiveError>;

    /// Every file the store holds under a package's place (listed or not in its manifests).
    fn files(&self, id: &PackageId) -> Result<Vec<StoredFile>, ArchiveError>;

    /// The bytes of one file of a package, `None` when it is not there.
    fn read(&self, id: &PackageId, path: &str) -> Result<Option<Vec<u8>>, ArchiveError>;

    /// The SHA-256 (hex) of one file of a package, read back from the store, `None` when it
    /// is not there.
    fn sha256(&self, id: &PackageId, path: &str) -> Result<Option<String>, ArchiveError> {
        Ok(self
            .read(id, path)?
            .map(|bytes| crate::hash::sha256_hex(&bytes)))
    }

    /// Writes a new package whole (its tag manifest last: a package without one is not a
    /// package), or nothing when its place is taken.
    fn put(&self, id: &PackageId, files: &[(String, Vec<u8>)]) -> Result<Put, ArchiveError>;

    /// What interrupted adds left of one issue on one shelf (`Some((shelf, issue))`, what an
    /// add looks at: only that issue's place is listed), or anywhere.
    fn leftovers(&self, of: Option<(&str, &str)>) -> Result<Vec<Leftover>, ArchiveError>;

    /// Removes a leftover.
    fn remove_leftover(&self, leftover: &Leftover) -> Result<(), ArchiveError>;

    /// What is in the store that is neither a package nor a leftover nor the store's own
    /// (under `issue`, or anywhere), as told to the editor.
    fn strays(&self, issue: Option<&str>) -> Result<Vec<String>, ArchiveError>;

    /// Where a package is, as told to the editor.
    fn shown(&self, id: &PackageId) -> String;
}
