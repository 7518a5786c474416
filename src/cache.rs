//! Results kept on disk between runs (`out/.cache/<what>/`), so that work which depends only
//! on bytes already seen is not done again: photos converted for the press, their soft proofs
//! at a preview's size, the ink a preflight measured in an image.
//!
//! A file is named by everything its content depends on (the caller's key: a content hash,
//! sizes, the fingerprint of the code that made it) and holds the SHA-256 of its content
//! before it, so that a damaged file is made again rather than used. Files are written beside
//! their place and renamed, so a half-written one never appears; a cache that cannot be
//! written only means the next run does the work again.

use std::path::PathBuf;

use crate::project::Project;

/// The project's photos converted for the press by earlier runs (`out/.cache/photos/`);
/// `write`: whether this run keeps what it converts (commands that write outputs do; `check`
/// and `watch` do not).
pub fn photos(project: &Project, write: bool) -> DiskCache {
    DiskCache::new(folder(project, "photos"), write, "jpg")
}

/// The soft proofs of press photos made by earlier runs (`out/.cache/softproof/`): raw sRGB
/// pixels at the size a preview draws them.
pub fn soft_proofs(project: &Project, write: bool) -> DiskCache {
    DiskCache::new(folder(project, "softproof"), write, "rgb")
}

/// The web edition's pictures made by earlier runs (`out/.cache/web/`): both sizes of a photo
/// in one file ([`crate::web::images::WebPhoto::to_bytes`]).
pub fn web_pictures(project: &Project, write: bool) -> DiskCache {
    DiskCache::new(folder(project, "web"), write, "pictures")
}

/// What checking the photos learnt of them in earlier runs (`out/.cache/inspected/`): that the
/// bytes decode whole, their size and colours.
pub fn photo_inspections(project: &Project, write: bool) -> DiskCache {
    DiskCache::new(folder(project, "inspected"), write, "json")
}

/// The ink of the print file's images measured by earlier preflights (`out/.cache/inks/`).
pub fn image_inks(project: &Project, write: bool) -> DiskCache {
    DiskCache::new(folder(project, "inks"), write, "ink")
}

/// The pictures of one issue's pages drawn by earlier builds (`out/.cache/previews/<issue>/`).
pub fn previews(project: &Project, issue: &str) -> DiskCache {
    DiskCache::new(folder(project, "previews").join(issue), true, "pic")
}

fn folder(project: &Project, what: &str) -> PathBuf {
    project.out_dir().join(".cache").join(what)
}

/// Length of the hex SHA-256 that heads every kept file.
const DIGEST_LEN: usize = 64;

/// One folder of kept results.
#[derive(Clone, Debug)]
pub struct DiskCache {
    /// The folder.
    pub dir: PathBuf,
    /// Whether new results are kept (`koho check` only reads: it writes nothing).
    pub write: bool,
    /// The files' extension, saying what they hold (`jpg`, `rgb`, `ink`).
    pub extension: &'static str,
}

impl DiskCache {
    /// The cache in `dir`, its files ending in `extension`.
    pub fn new(dir: PathBuf, write: bool, extension: &'static str) -> Self {
        Self {
            dir,
            write,
            extension,
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.{}", self.extension))
    }

    /// What is kept under `key`, if it is there and whole.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.path(key)).ok()?;
        let (digest, content) = bytes.split_at_checked(DIGEST_LEN)?;
        if crate::hash::sha256_hex(content).as_bytes() != digest {
            return None;
        }
        bytes.drain(..DIGEST_LEN);
        Some(bytes)
    }

    /// Keeps `content` under `key` (written beside and renamed, so never half there).
    pub fn put(&self, key: &str, content: &[u8]) {
        if !self.write || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let target = self.path(key);
        let staged = self.dir.join(format!(".{key}.{}.tmp", std::process::id()));
        let mut bytes = crate::hash::sha256_hex(content).into_bytes();
        bytes.extend_from_slice(content);
        if std::fs::write(&staged, &bytes).is_err() || std::fs::rename(&staged, &target).is_err() {
            let _ = std::fs::remove_file(&staged);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_and_refuses_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(dir.path().join("c"), true, "bin");
        assert_eq!(cache.get("k"), None);
        cache.put("k", b"content");
        assert_eq!(cache.get("k").as_deref(), Some(&b"content"[..]));
        // One byte changed: not used.
        let path = dir.path().join("c/k.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(cache.get("k"), None);
        // A reading cache writes nothing.
        let reading = DiskCache::new(dir.path().join("r"), false, "bin");
        reading.put("k", b"content");
        assert!(!dir.path().join("r").exists());
    }
}
