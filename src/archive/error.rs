//! What stops an archive command, with its words for editors (Japanese and English).

use std::path::PathBuf;

use crate::diag::Lang;
use crate::error::KohoError;

/// Why an archive command could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The project or the issue could not be found.
    #[error(transparent)]
    Koho(#[from] KohoError),
    /// There is no archive at the folder named.
    #[error("there is no archive at {at}")]
    NoArchive {
        /// The folder or the bucket, as told.
        at: String,
    },
    /// The archive has no package of this issue.
    #[error("the archive has no issue {issue} (it has: {known})")]
    NoSuchIssue {
        /// The issue asked for.
        issue: String,
        /// The issues it has, comma-separated.
        known: String,
    },
    /// The issue has no such version.
    #[error("issue {issue} has no version {version} (the newest is {newest})")]
    NoSuchVersion {
        /// The issue.
        issue: String,
        /// The version asked for.
        version: u32,
        /// The newest version there is.
        newest: u32,
    },
    /// Restoring would write over a folder that exists.
    #[error("{dir} exists already; restore never writes over a folder")]
    TargetExists {
        /// The folder.
        dir: PathBuf,
    },
    /// A package is damaged: restoring from it would restore damage.
    #[error("the package {at} is damaged ({detail}); run koho archive verify")]
    Damaged {
        /// The package, as told.
        at: String,
        /// What is wrong, in short.
        detail: String,
    },
    /// The catalogue could not be read or written.
    #[error("the catalogue {at}: {reason}")]
    Catalog {
        /// The catalogue file or database, as told.
        at: String,
        /// The database's words.
        reason: String,
    },
    /// So many adds of one issue ran at once that this one never got a version to write.
    #[error("issue {issue}: other adds kept taking the next version; nothing was written")]
    Contended {
        /// The issue.
        issue: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's words.
        reason: String,
    },
}

impl ArchiveError {
    /// True for an error in how koho was asked (exit code 2), false for one found in the
    /// archive or on disk (exit code 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ArchiveError::Koho(_)
                | ArchiveError::NoArchive { .. }
                | ArchiveError::NoSuchIssue { .. }
                | ArchiveError::NoSuchVersion { .. }
                | ArchiveError::TargetExists { .. }
        )
    }

    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            ArchiveError::Koho(e) => e.message(lang),
            ArchiveError::NoArchive { at } => {
                format!("{at} に保存庫 (アーカイブ) がありません")
            }
            ArchiveError::NoSuchIssue { issue, known } => {
                format!("保存庫に {issue} の号はありません (あるのは: {known})")
            }
            ArchiveError::NoSuchVersion {
                issue,
                version,
                newest,
            } => format!("{issue} に第 {version} 版はありません (最新は第 {newest} 版)"),
            ArchiveError::TargetExists { dir } => format!(
                "{} はもうあります。復元はフォルダーを上書きしません",
                dir.display()
            ),
            ArchiveError::Damaged { at, detail } => {
                format!("保存された号 {at} が壊れています ({detail})")
            }
            ArchiveError::Catalog { at, reason } => {
                format!("目録 {at} を読み書きできません ({reason})")
            }
            ArchiveError::Contended { issue } => format!(
                "{issue} を保存しようとするたびに、ほかの保存が先に次の版を使いました。何も書いていません"
            ),
            ArchiveError::Io { path, reason } => {
                format!("{} を読み書きできません ({reason})", path.display())
            }
        }
    }

    /// How to fix it, in `lang`.
    pub fn hint(&self, lang: Lang) -> String {
        let (ja, en): (&str, &str) = match self {
            ArchiveError::Koho(e) => return e.hint(lang).to_owned(),
            ArchiveError::NoArchive { .. } => (
                "koho archive add で号を保存すると作られます。別の場所なら --archive で指定してください",
                "koho archive add creates it; name another folder with --archive",
            ),
            ArchiveError::NoSuchIssue { .. } => (
                "号の名前は koho archive list で確かめられます",
                "koho archive list shows the issues there are",
            ),
            ArchiveError::NoSuchVersion { .. } => (
                "--edition を付けなければ最新の版を使います",
                "without --edition the newest version is used",
            ),
            ArchiveError::TargetExists { .. } => (
                "--to で別のフォルダーを指定するか、いまのフォルダーの名前を変えてください",
                "name another folder with --to, or rename the one there",
            ),
            ArchiveError::Damaged { .. } => (
                "koho archive verify で壊れたファイルを確かめ、控えから戻してください",
                "koho archive verify names the damaged files; bring them back from a copy",
            ),
            ArchiveError::Catalog { .. } => (
                "目録は保存された号から作り直せます: koho archive reindex",
                "the catalogue can be rebuilt from the packages: koho archive reindex",
            ),
            ArchiveError::Contended { .. } => (
                "ほかの保存が終わってから、もう一度 koho archive add を実行してください",
                "run koho archive add again once the other adds are done",
            ),
            ArchiveError::Io { .. } => (
                "ディスクの空きと、フォルダーに書き込めるかを確かめてください",
                "check the disk's free space and that the folder can be written",
            ),
        };
        match lang {
            Lang::Ja => ja.to_owned(),
            Lang::En => en.to_owned(),
        }
    }
}

/// An I/O error with the path it happened at.
pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ArchiveError {
    let path = path.into();
    move |e| ArchiveError::Io {
        path,
        reason: e.to_string(),
    }
}

/// A catalogue error with where the catalogue is.
pub fn catalog<E: std::fmt::Display>(at: impl Into<String>) -> impl FnOnce(E) -> ArchiveError {
    let at = at.into();
    move |e| ArchiveError::Catalog {
        at,
        reason: e.to_string(),
    }
}
