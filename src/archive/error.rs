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
    /// Several magazines of a shared archive have an issue of this name.
    #[error("several magazines have an issue {issue}: name one as {choices}")]
    AmbiguousIssue {
        /// The issue asked for.
        issue: String,
        /// Each magazine's `<shelf>/<issue>`, comma-separated.
        choices: String,
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
        /// What is wrong.
        detail: Damage,
    },
    /// The catalogue could not be read or written.
    #[error("the catalogue {at}: {reason}")]
    Catalog {
        /// The catalogue file or database, as told.
        at: String,
        /// The database's words.
        reason: String,
    },
    /// The object store did not answer, or refused.
    #[error("the object store {at}: {reason}")]
    ObjectStore {
        /// The bucket and prefix, or the object, as told.
        at: String,
        /// What the server or the network said.
        reason: String,
    },
    /// Where the archive is was told in a way koho cannot use.
    #[error("{setting} = {value}: {reason}")]
    Setting {
        /// The option or environment variable (`--archive`, `KOHO_CATALOG`).
        setting: String,
        /// What it was set to (a password hidden).
        value: String,
        /// What is wrong with it, in English (the Japanese is chosen by `kind`).
        reason: String,
        /// What is wrong with it.
        kind: SettingProblem,
    },
    /// The catalogue records the packages of another store than the one given with it.
    #[error("the catalogue {catalog} records the packages of {indexes}, not of {store}")]
    CatalogOfAnotherStore {
        /// The catalogue, as told.
        catalog: String,
        /// The store it records.
        indexes: String,
        /// The store it was given with.
        store: String,
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

/// What is wrong with a damaged package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Damage {
    /// Files that verify finds changed, missing or unknown: how many, and the first.
    Files {
        /// How many.
        count: usize,
        /// The first, by its path in the package.
        first: String,
    },
    /// A file that went missing while it was read (its path in the package).
    WentMissing(String),
    /// Its record of the layouts and fonts cannot be read (why, in English).
    MadeWith(String),
}

impl Damage {
    /// What is wrong, in Japanese.
    fn ja(&self) -> String {
        match self {
            Damage::Files { count, first } => format!("{count} ファイル、最初は {first}"),
            Damage::WentMissing(path) => format!("{path} が戻す途中でなくなりました"),
            Damage::MadeWith(reason) => format!("レイアウトとフォントの記録が読めません: {reason}"),
        }
    }
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::Files { count, first } => write!(f, "{count} file(s), first {first}"),
            Damage::WentMissing(path) => write!(f, "{path} went missing while restoring"),
            Damage::MadeWith(reason) => write!(f, "its record of layouts and fonts: {reason}"),
        }
    }
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
                | ArchiveError::AmbiguousIssue { .. }
                | ArchiveError::NoSuchVersion { .. }
                | ArchiveError::TargetExists { .. }
                | ArchiveError::Setting { .. }
                | ArchiveError::CatalogOfAnotherStore { .. }
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
            ArchiveError::AmbiguousIssue { issue, choices } => {
                format!("{issue} の号は複数の広報誌にあります。どれかを選んでください: {choices}")
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
                format!("保存された号 {at} が壊れています ({})", detail.ja())
            }
            ArchiveError::Catalog { at, reason } => {
                format!("目録 {at} を読み書きできません ({reason})")
            }
            ArchiveError::ObjectStore { at, reason } => {
                format!("オブジェクトストレージ {at} を読み書きできません ({reason})")
            }
            ArchiveError::Setting {
                setting,
                value,
                kind,
                ..
            } => format!("{setting} = {value}: {}", kind.ja()),
            ArchiveError::CatalogOfAnotherStore {
                catalog,
                indexes,
                store,
            } => format!(
                "目録 {catalog} は {indexes} の号の目録です。いっしょに指定した {store} の目録ではありません"
            ),
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
            ArchiveError::AmbiguousIssue { .. } => (
                "号の名前の前に「団体コード-誌名/」を付けます。例: koho archive restore 012131-広報とまこまい/2026-06",
                "put the shelf before the issue, e.g. koho archive restore 012131-広報とまこまい/2026-06",
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
            ArchiveError::ObjectStore { .. } => (
                "サーバーが動いているか、AWS_ENDPOINT_URL・AWS_REGION・AWS_ACCESS_KEY_ID・AWS_SECRET_ACCESS_KEY が正しいかを確かめてください (管理者向け: tools/archive-servers)",
                "check that the server runs and that AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are right (for admins: tools/archive-servers)",
            ),
            ArchiveError::Setting { .. } => (
                "保存庫はフォルダー (既定は archive/) か、s3://バケット/場所 と postgres://… の組で指定します (README「共有の保存庫」)",
                "an archive is a folder (archive/ by default), or s3://bucket/prefix together with postgres://… (README, shared archive)",
            ),
            ArchiveError::CatalogOfAnotherStore { .. } => (
                "KOHO_ARCHIVE (または --archive と --catalog) の二つの場所の組を確かめてください。この保存庫の目録として作り直すなら koho archive reindex を実行します",
                "check the pair of places in KOHO_ARCHIVE (or --archive and --catalog); to make it this store's catalogue, run koho archive reindex",
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

/// What is wrong with a setting that says where the archive is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingProblem {
    /// Not an address koho reads (`s3://bucket/prefix`, `postgres://…`, or a folder).
    NotAnAddress,
    /// Packages in object storage need the shared catalogue, and the other way round.
    MixedPair,
    /// An `s3://` archive without the key to reach it.
    NoCredentials,
}

impl SettingProblem {
    /// The problem in Japanese.
    pub fn ja(self) -> &'static str {
        match self {
            SettingProblem::NotAnAddress => {
                "保存庫の場所として読めません (s3://バケット/場所、postgres://…、またはフォルダー)"
            }
            SettingProblem::MixedPair => {
                "共有の保存庫は、号の置き場所 (s3://…) と目録 (postgres://…) を組で指定します"
            }
            SettingProblem::NoCredentials => {
                "オブジェクトストレージの鍵がありません (AWS_ACCESS_KEY_ID と AWS_SECRET_ACCESS_KEY)"
            }
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
