//! The project folder: the nearest folder upward that holds `layouts/` (DESIGN §3), and the
//! issues under its `content/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::ISSUE_FILE;
use crate::content::model::CalendarDate;
use crate::content::yaml::{self, Value};
use crate::error::KohoError;

/// A koho project: `layouts/` and its siblings `fonts/`, `content/`, `out/`, `archive/`.
#[derive(Clone, Debug)]
pub struct Project {
    root: PathBuf,
}

/// The issue `koho` works on when none is named, and the folders passed over.
#[derive(Clone, Debug)]
pub struct NewestIssue {
    /// The issue folder.
    pub dir: PathBuf,
    /// Folders under `content/` whose `issue.yaml` could not be read for its date.
    pub unreadable: Vec<PathBuf>,
}

impl Project {
    /// The project holding `start`: `start` or its nearest ancestor with a `layouts/` folder.
    pub fn find(start: &Path) -> Result<Self, KohoError> {
        start
            .ancestors()
            .find(|dir| dir.join("layouts").is_dir())
            .map(|root| Project {
                root: root.to_path_buf(),
            })
            .ok_or_else(|| KohoError::NoProject {
                from: start.to_path_buf(),
            })
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `layouts/`.
    pub fn layouts_dir(&self) -> PathBuf {
        self.root.join("layouts")
    }

    /// `content/`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `fonts/`.
    pub fn fonts_dir(&self) -> PathBuf {
        self.root.join("fonts")
    }

    /// `out/`.
    pub fn out_dir(&self) -> PathBuf {
        self.root.join("out")
    }

    /// The issue under `content/` with the latest `issue_date` (the folder name breaks a
    /// tie). Folders whose date cannot be read are passed over and listed.
    pub fn newest_issue(&self) -> Result<NewestIssue, KohoError> {
        let content = self.content_dir();
        let entries = fs::read_dir(&content).map_err(|_| KohoError::NoIssues {
            content_dir: content.clone(),
        })?;
        let mut best: Option<(CalendarDate, String, PathBuf)> = None;
        let mut unreadable = Vec::new();
        let mut folders: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join(ISSUE_FILE).is_file())
            .collect();
        folders.sort();
        for dir in folders {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match issue_date_of(&dir) {
                Some(date) => {
                    let candidate = (date, name, dir);
                    if best
                        .as_ref()
                        .is_none_or(|b| (&candidate.0, &candidate.1) > (&b.0, &b.1))
                    {
                        best = Some(candidate);
                    }
                }
                None => unreadable.push(dir),
            }
        }
        match best {
            Some((_, _, dir)) => Ok(NewestIssue { dir, unreadable }),
            None => Err(KohoError::NoIssues {
                content_dir: content,
            }),
        }
    }
}

/// Where a command works: the project, and the issue folder it was named or chose.
#[derive(Clone, Debug)]
pub struct Located {
    /// The project.
    pub project: Project,
    /// The issue folder, absolute.
    pub issue_dir: PathBuf,
    /// Folders passed over when choosing the newest issue (their date could not be read).
    pub skipped: Vec<PathBuf>,
}

/// The project holding `cwd` and the issue to work on: the folder `named` (it must be one),
/// or the newest under `content/`; relative paths are taken from `cwd`.
pub fn locate(cwd: &Path, named: Option<&Path>) -> Result<Located, KohoError> {
    let project = Project::find(cwd)?;
    let (dir, skipped) = match named {
        Some(dir) if !dir.is_dir() => {
            return Err(KohoError::NotAnIssueFolder {
                path: dir.to_path_buf(),
            });
        }
        Some(dir) => (dir.to_path_buf(), Vec::new()),
        None => {
            let newest = project.newest_issue()?;
            (newest.dir, newest.unreadable)
        }
    };
    let issue_dir = if dir.is_absolute() {
        dir
    } else {
        cwd.join(dir)
    };
    Ok(Located {
        project,
        issue_dir,
        skipped,
    })
}

/// The `issue_date` of the issue in `dir`, read leniently (nothing else is checked).
fn issue_date_of(dir: &Path) -> Option<CalendarDate> {
    let path = dir.join(ISSUE_FILE);
    let source = yaml::read_source(&path, &path, ISSUE_FILE).ok()?;
    let root = yaml::parse(&source).ok()?;
    let Value::Map(entries) = root.value else {
        return None;
    };
    let entry = entries.iter().find(|e| e.key == "issue_date")?;
    match &entry.value.value {
        Value::Str { text, .. } => CalendarDate::parse(text.trim()),
        _ => CalendarDate::parse(entry.value.written(&source).trim()),
    }
}

/// `path` as the user should see it: relative to `cwd` when it lies under it.
pub fn shown(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}
