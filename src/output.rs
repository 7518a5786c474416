//! Writing outputs so that nothing half-written ever appears: each file is written to a
//! temporary name beside its target, then renamed into place, all after the work succeeded.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files to put in place together.
#[derive(Debug, Default)]
pub struct Outputs {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Outputs {
    /// Adds a file to write at `path`.
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// The files' paths, in the order added.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Writes every file to a temporary name beside its target, then renames them all into
    /// place. If any write fails, the temporary files are removed and no target changes.
    pub fn commit(self) -> std::io::Result<Vec<PathBuf>> {
        // Written and flushed on every core (the disk takes several flushes at once); a file
        // whose target already holds exactly its bytes is left as it is.
        let results = crate::parallel::map(&self.files, |(target, bytes)| {
            if holds(target, bytes) {
                return Ok(None);
            }
            stage(target, bytes).map(Some)
        });
        // In the order added: each target with its staged file (none when unchanged).
        let mut staged: Vec<(Option<PathBuf>, PathBuf)> = Vec::new();
        let mut failure = None;
        for ((target, _), result) in self.files.iter().zip(results) {
            match result {
                Ok(temp) => staged.push((temp, target.clone())),
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        if let Some(e) = failure {
            for temp in staged.iter().filter_map(|(temp, _)| temp.as_ref()) {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
        let mut written = Vec::new();
        for (temp, target) in staged {
            if let Some(temp) = temp {
                fs::rename(&temp, &target)?;
            }
            written.push(target);
        }
        Ok(written)
    }
}

/// Writes `files` (paths relative to the folder) into the new folder `target`: first into a
/// hidden temporary folder beside it, renamed to `target` once every file is on disk. An
/// existing `target` is never touched (the error is `AlreadyExists`); on any failure the
/// temporary folder is removed.
pub fn create_dir_with(target: &Path, files: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    stage_dir(target, files)?.commit()
}

/// A new folder written whole under a hidden temporary name beside its target, waiting to be
/// renamed into place by [`StagedDir::commit`]. Dropped uncommitted, it is removed.
#[derive(Debug)]
pub struct StagedDir {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// The prefix of the hidden temporary folders [`stage_dir`] makes: `.<name>.koho-<pid>.tmp`.
pub const STAGING_MARK: &str = ".koho-";

/// The hidden temporary name beside `target` under which it is written:
/// `.<name>.koho-<pid>.tmp`.
pub fn staging_path(target: &Path) -> PathBuf {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent.join(format!(".{name}{STAGING_MARK}{}.tmp", std::process::id()))
}

fn already_exists(target: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{} exists already", target.display()),
    )
}

/// Writes `files` into a hidden temporary folder beside `target` and flushes them to disk.
/// Refused (`AlreadyExists`) when `target` exists.
pub fn stage_dir(target: &Path, files: &[(PathBuf, Vec<u8>)]) -> std::io::Result<StagedDir> {
    if target.exists() {
        return Err(already_exists(target));
    }
    write_staged(staging_path(target), target, files)
}

/// Writes `files` into the folder `temp` (made afresh), flushed to disk, to become `target`.
fn write_staged(
    temp: PathBuf,
    target: &Path,
    files: &[(PathBuf, Vec<u8>)],
) -> std::io::Result<StagedDir> {
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let _ = fs::remove_dir_all(&temp);
    let staged = StagedDir {
        temp,
        target: target.to_path_buf(),
        committed: false,
    };
    for (relative, bytes) in files {
        let path = staged.temp.join(relative);
        fs::create_dir_all(path.parent().unwrap_or(&staged.temp))?;
        let mut file = fs::File::create(&path)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    Ok(staged)
}

impl StagedDir {
    /// Renames the folder into place. Checked again just before: a folder made meanwhile by
    /// another koho is kept, and this one is refused.
    pub fn commit(mut self) -> std::io::Result<()> {
        if self.target.exists() {
            return Err(already_exists(&self.target));
        }
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

/// Writes `files` as the whole new content of the folder `target`, replacing what was there
/// at once: the new folder is written beside it under a hidden name, the old one is moved
/// aside, the new one renamed into place, and only then the old one removed. On any failure
/// the old folder stays as it was (moved back if it had been moved aside).
pub fn replace_dir(target: &Path, files: &[(PathBuf, Vec<u8>)]) -> std::io::Result<()> {
    let mut staged = write_staged(staging_path(target), target, files)?;
    let aside = staging_path(target).with_extension("old");
    let had = target.exists();
    if had {
        let _ = fs::remove_dir_all(&aside);
        fs::rename(target, &aside)?;
    }
    if let Err(e) = fs::rename(&staged.temp, target) {
        if had {
            let _ = fs::rename(&aside, target);
        }
        return Err(e);
    }
    staged.committed = true;
    if had {
        let _ = fs::remove_dir_all(&aside);
    }
    Ok(())
}

/// Whether the file at `target` holds exactly `bytes` (read only when the sizes agree).
fn holds(target: &Path, bytes: &[u8]) -> bool {
    let same_size =
        fs::metadata(target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_size && fs::read(target).is_ok_and(|held| held == bytes)
}

/// Writes `bytes` to a hidden temporary file beside `target` and flushes it to disk.
fn stage(target: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let temp = staging_path(target);
    let mut file = fs::File::create(&temp)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    Ok(temp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_folder_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r1");
        let files = vec![
            (PathBuf::from("a.pdf"), b"pdf".to_vec()),
            (PathBuf::from("source/p.yaml"), b"yaml".to_vec()),
        ];
        create_dir_with(&target, &files).unwrap();
        assert_eq!(fs::read(target.join("source/p.yaml")).unwrap(), b"yaml");
        // A second time: refused, and nothing in it changes.
        let other = vec![(PathBuf::from("a.pdf"), b"other".to_vec())];
        let error = create_dir_with(&target, &other).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(target.join("a.pdf")).unwrap(), b"pdf");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["r1"]);
    }

    #[test]
    fn writes_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.pdf");
        fs::write(&good, b"old").unwrap();
        let mut outputs = Outputs::default();
        outputs.add(good.clone(), b"new".to_vec());
        // A target whose folder cannot be made: a file stands where the folder would be.
        fs::write(dir.path().join("blocker"), b"").unwrap();
        outputs.add(dir.path().join("blocker/b.png"), b"png".to_vec());
        assert!(outputs.commit().is_err());
        assert_eq!(fs::read(&good).unwrap(), b"old");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_already_holding_its_bytes_is_left_as_it_is() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let (same, other) = (dir.path().join("same.png"), dir.path().join("other.png"));
        fs::write(&same, b"picture").unwrap();
        fs::write(&other, b"picturf").unwrap();
        let inode = |p: &Path| fs::metadata(p).unwrap().ino();
        let (same_before, other_before) = (inode(&same), inode(&other));
        let mut outputs = Outputs::default();
        outputs.add(same.clone(), b"picture".to_vec());
        outputs.add(other.clone(), b"picture".to_vec());
        let written = outputs.commit().unwrap();
        assert_eq!(written.len(), 2, "both are reported as the build's files");
        assert_eq!(
            inode(&same),
            same_before,
            "the same bytes: not written again"
        );
        assert_ne!(
            inode(&other),
            other_before,
            "other bytes (same size): replaced"
        );
        assert_eq!(fs::read(&other).unwrap(), b"picture");
    }
}
