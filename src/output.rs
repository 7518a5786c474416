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
        let mut staged = Vec::new();
        for (target, bytes) in &self.files {
            match stage(target, bytes) {
                Ok(temp) => staged.push((temp, target.clone())),
                Err(e) => {
                    for (temp, _) in &staged {
                        let _ = fs::remove_file(temp);
                    }
                    return Err(e);
                }
            }
        }
        let mut written = Vec::new();
        for (temp, target) in staged {
            fs::rename(&temp, &target)?;
            written.push(target);
        }
        Ok(written)
    }
}

/// Writes `bytes` to a hidden temporary file beside `target` and flushes it to disk.
fn stage(target: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.koho-{}.tmp", std::process::id()));
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
}
