//! One issue's package in the archive: where it lies (`<archive>/<issue>/v<N>/`), what its
//! payload holds, and what its `bag-info.txt` says.
//!
//! ```text
//! data/print/<issue>.pdf        the PDF/X file exactly as built for the press
//! data/archival/<issue>.pdf     PDF/A-2a: RGB soft proof, tagged, text extractable
//! data/source/…                 issue.yaml, the page files and the photos
//! data/made-with/layouts/…      the layouts it was set with (small, so kept whole)
//! data/made-with.sha256         SHA-256 of every layout and font file (sha256sum's format)
//! data/fields.json              every text and figure, page by page (the catalogue's source)
//! data/previous-figures.json    the previous issue's figures its 前月比 were worked out from
//!                               (when it has any), so that it rebuilds alike without them
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::bag::{self, NewBag};
use super::catalog::{Municipality, PackageRecord};
use super::fields::{self, PageFields};
use super::store::{PackageId, Store};
use crate::content::model::Issue;
use crate::hash::{sha256_file, sha256_hex};
use crate::project::Project;

/// The record of the layouts and fonts a package was made with, in its payload.
pub const MADE_WITH: &str = "made-with.sha256";
/// The folder of the layouts' copies, in the payload.
pub const MADE_WITH_DIR: &str = "made-with";
/// The source folder, in the payload.
pub const SOURCE_DIR: &str = "source";
/// The print file's folder, in the payload.
pub const PRINT_DIR: &str = "print";
/// The archival rendition's folder, in the payload.
pub const ARCHIVAL_DIR: &str = "archival";

/// What the issue was made with: every file under `layouts/` (copied whole, they are small)
/// and under `fonts/` (hashed), by their path from the project root.
#[derive(Clone, Debug, Default)]
pub struct MadeWith {
    /// Path from the project root → SHA-256.
    pub hashes: BTreeMap<String, String>,
    /// The layout files' bytes, by path from the project root.
    pub layouts: Vec<(String, Vec<u8>)>,
}

impl MadeWith {
    /// The layouts and fonts of `project` as they are now.
    pub fn of(project: &Project) -> std::io::Result<Self> {
        let mut made = MadeWith::default();
        for (folder, keep) in [("layouts", true), ("fonts", false)] {
            let mut files = Vec::new();
            list_files(&project.root().join(folder), &mut files)?;
            files.sort();
            for path in files {
                let relative = path
                    .strip_prefix(project.root())
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if keep {
                    let bytes = fs::read(&path)?;
                    made.hashes.insert(relative.clone(), sha256_hex(&bytes));
                    made.layouts.push((relative, bytes));
                } else {
                    made.hashes.insert(relative, sha256_file(&path)?.0);
                }
            }
        }
        Ok(made)
    }

    /// `made-with.sha256`: one `HASH  PATH` line a file, as `sha256sum` writes and checks.
    pub fn record(&self) -> String {
        self.hashes
            .iter()
            .map(|(path, hash)| format!("{hash}  {path}\n"))
            .collect()
    }

    /// The files that differ between `self` (as recorded) and `now`: changed, gone, new.
    pub fn differences(&self, now: &MadeWith) -> Vec<(String, Difference)> {
        let mut out = Vec::new();
        for (path, hash) in &self.hashes {
            match now.hashes.get(path) {
                Some(current) if current == hash => {}
                Some(_) => out.push((path.clone(), Difference::Changed)),
                None => out.push((path.clone(), Difference::Gone)),
            }
        }
        for path in now.hashes.keys() {
            if !self.hashes.contains_key(path) {
                out.push((path.clone(), Difference::New));
            }
        }
        out.sort();
        out
    }
}

/// How a layout or font file differs from the one an issue was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// Its bytes changed.
    Changed,
    /// It is no longer in the project.
    Gone,
    /// It was not there when the issue was made.
    New,
}

/// Reads a package's `made-with.sha256`.
pub fn read_made_with(store: &dyn Store, id: &PackageId) -> Result<MadeWith, String> {
    let path = format!("{}/{MADE_WITH}", bag::DATA);
    let text = read_text(store, id, &path)?;
    let hashes = bag::parse_manifest(&text).map_err(|e| format!("{path}: {e}"))?;
    Ok(MadeWith {
        hashes: hashes.into_iter().collect(),
        layouts: Vec::new(),
    })
}

/// One file of a package, which must be there.
fn read_bytes(store: &dyn Store, id: &PackageId, path: &str) -> Result<Vec<u8>, String> {
    match store.read(id, path) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(format!("{}: not there", store.shown(id) + "/" + path)),
        Err(e) => Err(e.to_string()),
    }
}

fn read_text(store: &dyn Store, id: &PackageId, path: &str) -> Result<String, String> {
    read_bytes(store, id, path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// A payload: paths under `data/` (with `/`) and bytes.
pub type Payload = Vec<(String, Vec<u8>)>;

/// Everything that goes into an issue's package.
pub struct Ingredients<'a> {
    /// The issue as checked.
    pub issue: &'a Issue,
    /// The print file as built.
    pub print_pdf: Vec<u8>,
    /// The archival rendition.
    pub archival_pdf: Vec<u8>,
    /// The layouts and fonts it was made with.
    pub made_with: MadeWith,
}

/// The payload of an issue's package (paths under `data/`), and the fields it indexes.
pub fn payload(ingredients: Ingredients<'_>) -> std::io::Result<(Payload, Vec<PageFields>)> {
    let issue = ingredients.issue;
    let mut files = vec![
        (
            format!("{PRINT_DIR}/{}.pdf", issue.name),
            ingredients.print_pdf,
        ),
        (
            format!("{ARCHIVAL_DIR}/{}.pdf", issue.name),
            ingredients.archival_pdf,
        ),
    ];
    for relative in issue.source_files() {
        let bytes = fs::read(issue.dir.join(&relative))?;
        let shown = relative.to_string_lossy().replace('\\', "/");
        files.push((format!("{SOURCE_DIR}/{shown}"), bytes));
    }
    files.push((
        MADE_WITH.to_owned(),
        ingredients.made_with.record().into_bytes(),
    ));
    for (path, bytes) in ingredients.made_with.layouts {
        files.push((format!("{MADE_WITH_DIR}/{path}"), bytes));
    }
    let fields = fields::of(issue);
    let json = serde_json::to_vec_pretty(&fields).expect("fields serialise");
    files.push((fields::FILE_NAME.to_owned(), json));
    if let Some(earlier) = issue.earlier.to_json() {
        files.push((crate::previous::PACKAGE_FILE.to_owned(), earlier));
    }
    Ok((files, fields))
}

/// The labels of `bag-info.txt` koho writes (RFC 8493's reserved ones and koho's own).
mod label {
    pub const BAGGING_DATE: &str = "Bagging-Date";
    pub const AGENT: &str = "Bag-Software-Agent";
    pub const IDENTIFIER: &str = "External-Identifier";
    pub const GROUP: &str = "Bag-Group-Identifier";
    pub const MAGAZINE: &str = "Magazine";
    pub const MUNICIPALITY: &str = "Municipality";
    pub const MUNICIPALITY_CODE: &str = "Municipality-Code";
    pub const ISSUE: &str = "Issue";
    pub const ISSUE_DATE: &str = "Issue-Date";
    pub const ISSUE_NUMBER: &str = "Issue-Number";
    pub const VERSION: &str = "Package-Version";
    pub const KOHO: &str = "Koho-Version";
    pub const ADDED: &str = "Added";
}

/// The bag of an issue's package, version `version`, added at `added` (ISO 8601).
pub fn bag(issue: &Issue, version: u32, added: &str, payload: Payload) -> NewBag {
    let koho = env!("CARGO_PKG_VERSION");
    let mut info = vec![
        (
            label::BAGGING_DATE,
            added.get(..10).unwrap_or(added).to_owned(),
        ),
        (label::AGENT, format!("koho {koho}")),
        (
            label::IDENTIFIER,
            format!("{} {} v{version}", issue.magazine, issue.name),
        ),
        (label::GROUP, issue.magazine.as_str().to_owned()),
        (label::MAGAZINE, issue.magazine.as_str().to_owned()),
        (label::ISSUE, issue.name.clone()),
        (label::ISSUE_DATE, issue.issue_date.to_string()),
    ];
    if let Some(number) = issue.number {
        info.push((label::ISSUE_NUMBER, number.to_string()));
    }
    if let Some(municipality) = &issue.municipality {
        info.push((label::MUNICIPALITY, municipality.name.as_str().to_owned()));
        info.push((
            label::MUNICIPALITY_CODE,
            municipality.code.as_str().to_owned(),
        ));
    }
    info.extend([
        (label::VERSION, version.to_string()),
        (label::KOHO, koho.to_owned()),
        (label::ADDED, added.to_owned()),
    ]);
    NewBag {
        info: info.into_iter().map(|(l, v)| (l.to_owned(), v)).collect(),
        payload,
    }
}

/// What the catalogue records of package `id`, read from the package alone: its
/// `bag-info.txt`, its manifest and `data/fields.json`.
pub fn read_record(
    store: &dyn Store,
    id: &PackageId,
) -> Result<(PackageRecord, Vec<PageFields>), String> {
    let info = bag::parse_info(&read_text(store, id, bag::BAG_INFO)?);
    let get = |label: &str| {
        info.iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
    };
    let required = |label: &str| {
        get(label).ok_or_else(|| format!("{}/{}: no {label}", store.shown(id), bag::BAG_INFO))
    };
    let manifest = read_bytes(store, id, bag::MANIFEST)?;
    let fields_path = format!("{}/{}", bag::DATA, fields::FILE_NAME);
    let mut fields: Vec<PageFields> = serde_json::from_slice(&read_bytes(store, id, &fields_path)?)
        .map_err(|e| format!("{}/{fields_path}: {e}", store.shown(id)))?;
    for page in &mut fields {
        page.fields = std::mem::take(&mut page.fields)
            .into_iter()
            .map(super::fields::FieldValue::upgraded)
            .collect();
    }
    let municipality = match (get(label::MUNICIPALITY_CODE), get(label::MUNICIPALITY)) {
        (Some(code), Some(name)) => Some(Municipality { code, name }),
        _ => None,
    };
    let record = PackageRecord {
        shelf: id.shelf.clone(),
        issue: id.issue.clone(),
        version: id.version,
        magazine: required(label::MAGAZINE)?,
        municipality,
        issue_date: required(label::ISSUE_DATE)?,
        number: get(label::ISSUE_NUMBER).and_then(|n| n.parse().ok()),
        added: required(label::ADDED)?,
        manifest_sha256: sha256_hex(&manifest),
    };
    Ok((record, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_changed_gone_and_new_files() {
        let made = |pairs: &[(&str, &str)]| MadeWith {
            hashes: pairs
                .iter()
                .map(|(p, h)| ((*p).to_owned(), (*h).to_owned()))
                .collect(),
            layouts: Vec::new(),
        };
        let then = made(&[
            ("layouts/a.typ", "1"),
            ("fonts/f.ttf", "2"),
            ("layouts/b.typ", "3"),
        ]);
        let now = made(&[
            ("layouts/a.typ", "1"),
            ("fonts/f.ttf", "9"),
            ("layouts/c.typ", "4"),
        ]);
        assert_eq!(
            then.differences(&now),
            [
                ("fonts/f.ttf".to_owned(), Difference::Changed),
                ("layouts/b.typ".to_owned(), Difference::Gone),
                ("layouts/c.typ".to_owned(), Difference::New),
            ]
        );
        assert!(then.differences(&then).is_empty());
    }
}
