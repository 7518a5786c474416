//! Errors that stop koho before it can report on the content: no project, no issue, a path
//! that does not exist. Problems in the content itself are [`crate::diag::Diagnostic`]s.

use std::path::PathBuf;

use crate::diag::Lang;

/// A failure to start the work (a usage error: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum KohoError {
    /// No folder from here upward holds `layouts/`.
    #[error("no koho project here: no folder from {from} upward holds layouts/")]
    NoProject {
        /// Where the search started.
        from: PathBuf,
    },
    /// `content/` holds no issue folder with a readable `issue.yaml`.
    #[error("no issue found under {content_dir} (a folder with issue.yaml)")]
    NoIssues {
        /// The content folder searched.
        content_dir: PathBuf,
    },
    /// The issue folder named on the command line does not exist.
    #[error("{path} is not a folder")]
    NotAnIssueFolder {
        /// The path given.
        path: PathBuf,
    },
}

impl KohoError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ja => match self {
                KohoError::NoProject { from } => format!(
                    "koho のプロジェクトが見つかりません ({} から上のフォルダーに layouts/ がありません)",
                    from.display()
                ),
                KohoError::NoIssues { content_dir } => format!(
                    "{} に号のフォルダー (issue.yaml のあるフォルダー) がありません",
                    content_dir.display()
                ),
                KohoError::NotAnIssueFolder { path } => {
                    format!("{} はフォルダーではありません", path.display())
                }
            },
        }
    }

    /// How to get going.
    pub fn hint(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KohoError::NoProject { .. }, Lang::Ja) => {
                "koho のプロジェクトフォルダー (layouts/ と content/ のあるフォルダー) に移動してから実行してください"
            }
            (KohoError::NoProject { .. }, Lang::En) => {
                "run koho inside a project folder (the one holding layouts/ and content/)"
            }
            (KohoError::NoIssues { .. }, Lang::Ja) => {
                "content/ の中に号のフォルダー (例: content/2026-06/issue.yaml) を作ってください"
            }
            (KohoError::NoIssues { .. }, Lang::En) => {
                "create an issue folder under content/, e.g. content/2026-06/issue.yaml"
            }
            (KohoError::NotAnIssueFolder { .. }, Lang::Ja) => {
                "号のフォルダーを指定してください。例: koho check content/2026-06"
            }
            (KohoError::NotAnIssueFolder { .. }, Lang::En) => {
                "name an issue folder, e.g. koho check content/2026-06"
            }
        }
    }
}
