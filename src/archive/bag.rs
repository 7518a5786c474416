//! BagIt packages (RFC 8493): a folder of payload under `data/` with the SHA-256 of every file
//! in `manifest-sha256.txt`, metadata in `bag-info.txt`, and the tag files' own hashes in
//! `tagmanifest-sha256.txt` — readable with nothing but a text editor and `sha256sum`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::error::ArchiveError;
use super::store::{PackageId, Store};
use crate::hash::sha256_hex;

/// The bag declaration.
pub const BAGIT_TXT: &str = "bagit.txt";
/// The bag's metadata.
pub const BAG_INFO: &str = "bag-info.txt";
/// The payload manifest.
pub const MANIFEST: &str = "manifest-sha256.txt";
/// The tag manifest.
pub const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
/// The payload folder.
pub const DATA: &str = "data";

/// What `bagit.txt` says: version 1.0 of RFC 8493, tag files in UTF-8.
const DECLARATION: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// A bag in memory, ready to be written.
#[derive(Debug, Default)]
pub struct NewBag {
    /// `bag-info.txt`, label and value, in order (`Payload-Oxum` is added on writing).
    pub info: Vec<(String, String)>,
    /// The payload: paths under `data/` (with `/`) and their bytes.
    pub payload: Vec<(String, Vec<u8>)>,
}

impl NewBag {
    /// The payload manifest: every payload file's hash, sorted by path.
    pub fn manifest(&self) -> String {
        manifest(&self.payload)
    }
    /// Every file of the bag, by its path in the bag (with `/`): the tag files, `data/…`, and
    /// last the tag manifest, which seals the bag (a store that writes file by file writes it
    /// last, so that a bag without it is known to be unfinished).
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let octets: usize = self.payload.iter().map(|(_, b)| b.len()).sum();
        let mut info = String::new();
        for (label, value) in &self.info {
            info.push_str(&format!("{label}: {}\n", one_line(value)));
        }
        info.push_str(&format!("Payload-Oxum: {octets}.{}\n", self.payload.len()));
        let manifest = self.manifest();
        let tags = [
            (BAGIT_TXT, DECLARATION.as_bytes().to_vec()),
            (BAG_INFO, info.into_bytes()),
            (MANIFEST, manifest.into_bytes()),
        ];
        let tag_manifest: String = tags
            .iter()
            .map(|(name, bytes)| format!("{}  {name}\n", sha256_hex(bytes)))
            .collect();
        let mut files: Vec<(String, Vec<u8>)> = tags
            .into_iter()
            .map(|(name, bytes)| (name.to_owned(), bytes))
            .collect();
        for (path, bytes) in &self.payload {
            files.push((format!("{DATA}/{path}"), bytes.clone()));
        }
        files.push((TAG_MANIFEST.to_owned(), tag_manifest.into_bytes()));
        files
    }
}

/// The payload manifest of `payload` (paths under `data/`): every file's hash, sorted by path.
pub fn manifest(payload: &[(String, Vec<u8>)]) -> String {
    let mut lines: Vec<String> = payload
        .iter()
        .map(|(path, bytes)| {
            format!(
                "{}  {}\n",
                sha256_hex(bytes),
                encode_path(&format!("{DATA}/{path}"))
            )
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.concat()
}

/// A value on one line: line breaks would end the entry (RFC 8493 allows folding, but one
/// line reads better in ten years).
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// A path as a manifest writes it: `%`, CR and LF percent-encoded (RFC 8493 §2.1.3).
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A manifest's path back as it is on disk.
pub fn decode_path(path: &str) -> String {
    path.replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%25", "%")
}

/// What is wrong with a bag, one finding each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// A file whose bytes are not those its manifest records.
    Changed(String),
    /// A file a manifest lists that is not there.
    Missing(String),
    /// A file no manifest lists.
    Unexpected(String),
    /// A tag file that cannot be read as one (with the reason).
    Malformed(String, String),
}

impl Finding {
    /// The file the finding is about, relative to the bag.
    pub fn path(&self) -> &str {
        match self {
            Finding::Changed(p)
            | Finding::Missing(p)
            | Finding::Unexpected(p)
            | Finding::Malformed(p, _) => p,
        }
    }
}

/// A manifest's lines: path (decoded) → hash. A line that is not `HASH  PATH` is an error.
pub fn parse_manifest(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut entries = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((hash, path)) = line.split_once(char::is_whitespace) else {
            return Err(format!("line {}: no path", number + 1));
        };
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("line {}: not a SHA-256", number + 1));
        }
        entries.insert(decode_path(path.trim_start()), hash);
    }
    Ok(entries)
}

/// The labels and values of `bag-info.txt`.
pub fn parse_info(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(label, value)| (label.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Checks the bag of package `id` in `store`: every file a manifest lists is there with its
/// recorded hash (each read back from the store and hashed), and no file is there that no
/// manifest lists. Files are hashed on `threads` threads. A store that cannot be read is an
/// error, not a finding.
pub fn verify(
    store: &dyn Store,
    id: &PackageId,
    threads: usize,
) -> Result<Vec<Finding>, ArchiveError> {
    let mut findings = Vec::new();
    let mut read_manifest = |name: &str| -> Result<BTreeMap<String, String>, ArchiveError> {
        Ok(match store.read(id, name)? {
            Some(bytes) => match parse_manifest(&String::from_utf8_lossy(&bytes)) {
                Ok(entries) => entries,
                Err(reason) => {
                    findings.push(Finding::Malformed(name.to_owned(), reason));
                    BTreeMap::new()
                }
            },
            None => {
                findings.push(Finding::Missing(name.to_owned()));
                BTreeMap::new()
            }
        })
    };
    let tags = read_manifest(TAG_MANIFEST)?;
    let payload = read_manifest(MANIFEST)?;
    let stored: BTreeSet<String> = store.files(id)?.into_iter().map(|f| f.path).collect();
    if !stored.contains(BAGIT_TXT) {
        findings.push(Finding::Missing(BAGIT_TXT.to_owned()));
    }
    let listed: Vec<(&String, &String)> = tags.iter().chain(payload.iter()).collect();
    findings.extend(check_hashes(store, id, &listed, threads)?);

    // What is there that no manifest lists.
    for path in stored {
        let is_tag_manifest = path == TAG_MANIFEST;
        if !is_tag_manifest && !tags.contains_key(&path) && !payload.contains_key(&path) {
            // A tag file outside the tag manifest is allowed by RFC 8493 but not written by
            // koho: it is reported, like a stray payload file.
            findings.push(Finding::Unexpected(path));
        }
    }
    findings.sort_by(|a, b| a.path().cmp(b.path()));
    findings.dedup();
    Ok(findings)
}

/// Hashes the listed files as the store gives them back, on up to `threads` threads, and
/// reports those that differ or are missing.
fn check_hashes(
    store: &dyn Store,
    id: &PackageId,
    listed: &[(&String, &String)],
    threads: usize,
) -> Result<Vec<Finding>, ArchiveError> {
    let threads = threads.clamp(1, 16);
    let chunk = listed.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = listed
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<Vec<Finding>, ArchiveError> {
                    let mut found = Vec::new();
                    for (path, hash) in part {
                        let actual = if is_safe_relative(path) {
                            store.sha256(id, path)?
                        } else {
                            None
                        };
                        match actual {
                            Some(actual) if actual == **hash => {}
                            Some(_) => found.push(Finding::Changed((*path).clone())),
                            None => found.push(Finding::Missing((*path).clone())),
                        }
                    }
                    Ok(found)
                })
            })
            .collect();
        let mut all = Vec::new();
        for worker in workers {
            all.extend(worker.join().expect("a hashing thread does not panic")?);
        }
        Ok(all)
    })
}

/// A manifest path that stays inside the bag (no absolute path, no `..`).
fn is_safe_relative(path: &str) -> bool {
    let path = Path::new(path);
    !path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::fs;
    use std::path::PathBuf;

    use crate::archive::store::folder::FolderStore;

    const ID: &str = "2026-06";

    fn checked(root: &Path, threads: usize) -> Vec<Finding> {
        let archive = root.parent().unwrap().parent().unwrap();
        let store = FolderStore::new(archive, archive);
        verify(&store, &PackageId::new("", ID, 1), threads).unwrap()
    }

    fn written() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let bag = NewBag {
            info: vec![("Magazine".into(), "広報とまこまい".into())],
            payload: vec![
                ("print/2026-06.pdf".into(), b"%PDF-1.6".to_vec()),
                ("source/100%\nodd.yaml".into(), b"title: x".to_vec()),
            ],
        };
        let root = dir.path().join(ID).join("v1");
        let files: Vec<(PathBuf, Vec<u8>)> = bag
            .files()
            .into_iter()
            .map(|(path, bytes)| (PathBuf::from(path), bytes))
            .collect();
        crate::output::create_dir_with(&root, &files).unwrap();
        (dir, root)
    }

    #[test]
    fn a_written_bag_verifies_and_says_what_it_holds() {
        let (_dir, root) = written();
        assert_eq!(checked(&root, 2), []);
        let info = fs::read_to_string(root.join(BAG_INFO)).unwrap();
        assert_eq!(info, "Magazine: 広報とまこまい\nPayload-Oxum: 16.2\n");
        let manifest = fs::read_to_string(root.join(MANIFEST)).unwrap();
        assert!(
            manifest.contains("  data/source/100%25%0Aodd.yaml\n"),
            "{manifest}"
        );
        assert_eq!(
            fs::read_to_string(root.join(BAGIT_TXT)).unwrap(),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
        );
    }

    #[test]
    fn every_damage_is_named() {
        let (_dir, root) = written();
        let pdf = root.join("data/print/2026-06.pdf");
        let mut bytes = fs::read(&pdf).unwrap();
        bytes[2] ^= 1;
        fs::write(&pdf, bytes).unwrap();
        fs::remove_file(root.join("data/source/100%\nodd.yaml")).unwrap();
        fs::write(root.join("data/extra.txt"), b"?").unwrap();
        assert_eq!(
            checked(&root, 2),
            [
                Finding::Unexpected("data/extra.txt".into()),
                Finding::Changed("data/print/2026-06.pdf".into()),
                Finding::Missing("data/source/100%\nodd.yaml".into()),
            ]
        );
        // A changed tag file is caught by the tag manifest.
        fs::write(root.join(BAG_INFO), "Magazine: 別の誌名\n").unwrap();
        assert!(checked(&root, 1).contains(&Finding::Changed(BAG_INFO.into())));
    }

    #[test]
    fn a_manifest_cannot_reach_outside_its_bag() {
        let (_dir, root) = written();
        let mut manifest = fs::read_to_string(root.join(MANIFEST)).unwrap();
        manifest.push_str(&format!("{}  ../../etc/passwd\n", "0".repeat(64)));
        fs::write(root.join(MANIFEST), manifest).unwrap();
        let findings = checked(&root, 1);
        assert!(findings.contains(&Finding::Missing("../../etc/passwd".into())));
    }
}
