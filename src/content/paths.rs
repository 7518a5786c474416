//! Paths written in content files: they must name files inside the issue folder.

use std::path::{Component, Path, PathBuf};

use crate::diag::Problem;

/// The file `written` names, relative to `issue_dir`, if it stays inside the folder.
///
/// Refused without touching the file system: an absolute path (`/etc/passwd`, `C:\…`,
/// `\\server\…`) and a path whose `..` steps climb out of the folder. A path that exists is
/// also resolved through symbolic links and refused if it lands outside. Nothing is read.
pub fn resolve_inside(issue_dir: &Path, written: &str) -> Result<PathBuf, Problem> {
    let is_windows_absolute = {
        let b = written.as_bytes();
        written.starts_with('\\') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
    };
    let relative = Path::new(written);
    if relative.is_absolute() || relative.has_root() || is_windows_absolute {
        return Err(Problem::PathAbsolute {
            path: written.to_owned(),
        });
    }
    let mut depth: usize = 0;
    for component in relative.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth = depth.checked_sub(1).ok_or_else(|| Problem::PathEscapes {
                    path: written.to_owned(),
                })?;
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(Problem::PathAbsolute {
                    path: written.to_owned(),
                });
            }
        }
    }
    if written.contains('\\') && written.split('\\').any(|part| part == "..") {
        return Err(Problem::PathEscapes {
            path: written.to_owned(),
        });
    }
    let joined = issue_dir.join(relative);
    if let (Ok(real), Ok(real_dir)) = (joined.canonicalize(), issue_dir.canonicalize())
        && !real.starts_with(&real_dir)
    {
        return Err(Problem::PathEscapes {
            path: written.to_owned(),
        });
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_outside_the_folder() {
        let dir = Path::new("content/2026-06");
        assert!(matches!(
            resolve_inside(dir, "/etc/passwd"),
            Err(Problem::PathAbsolute { .. })
        ));
        assert!(matches!(
            resolve_inside(dir, "C:\\photos\\a.jpg"),
            Err(Problem::PathAbsolute { .. })
        ));
        assert!(matches!(
            resolve_inside(dir, "../../etc/passwd"),
            Err(Problem::PathEscapes { .. })
        ));
        assert!(matches!(
            resolve_inside(dir, "images/../../x.jpg"),
            Err(Problem::PathEscapes { .. })
        ));
        assert!(matches!(
            resolve_inside(dir, "..\\..\\x.jpg"),
            Err(Problem::PathEscapes { .. })
        ));
        assert_eq!(
            resolve_inside(dir, "images/../p04.yaml").unwrap(),
            dir.join("images/../p04.yaml")
        );
    }
}
