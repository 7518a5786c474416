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
    /// A proof round asked for that exists already (rounds are never overwritten).
    #[error(
        "proof round r{round} exists already ({dir}); rounds are never overwritten: the next free round is r{next}"
    )]
    RoundExists {
        /// The round asked for.
        round: u32,
        /// Its folder.
        dir: PathBuf,
        /// The next free round.
        next: u32,
    },
    /// A proof round asked for beyond the next free one.
    #[error("proof round r{round} cannot be made yet: the next round is r{next}")]
    RoundOutOfOrder {
        /// The round asked for.
        round: u32,
        /// The next free round.
        next: u32,
    },
    /// A page kind named on the command line that the project does not have.
    #[error("no page kind `{name}` in layouts/ (this project has: {})", .known.join(", "))]
    UnknownKind {
        /// The name given.
        name: String,
        /// The kinds the project has.
        known: Vec<String>,
    },
    /// An ad slot named on the command line that `magazine.yaml` does not have.
    #[error("no ad slot `{name}` in layouts/magazine.yaml (it has: {})", .known.join(", "))]
    UnknownSlot {
        /// The name given.
        name: String,
        /// The slots there are, as `key (name)`.
        known: Vec<String>,
    },
    /// A file given as a proof that cannot be read as one.
    #[error("{path} cannot be read as a PDF: {reason}")]
    ProofUnreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
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
                KohoError::RoundExists { round, dir, next } => format!(
                    "校正の r{round} はもう作られています ({})。作成済みの回は上書きしません。次の回は r{next} です",
                    dir.display()
                ),
                KohoError::RoundOutOfOrder { round, next } => {
                    format!("校正の r{round} はまだ作れません。次の回は r{next} です")
                }
                KohoError::ProofUnreadable { path, reason } => {
                    format!("{} を PDF として読めません ({reason})", path.display())
                }
                KohoError::UnknownSlot { name, known } => {
                    if known.is_empty() {
                        format!(
                            "広告枠「{name}」はありません (layouts/magazine.yaml に広告枠 ads: slots: がありません)"
                        )
                    } else {
                        format!(
                            "広告枠「{name}」は layouts/magazine.yaml にありません (あるのは {})",
                            known.join("、")
                        )
                    }
                }
                KohoError::UnknownKind { name, known } => format!(
                    "ページの種類「{name}」は layouts/ にありません (あるのは {})",
                    known.join("、")
                ),
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
            (KohoError::RoundExists { .. } | KohoError::RoundOutOfOrder { .. }, Lang::Ja) => {
                "--round を付けずに実行すると、次の回が作られます"
            }
            (KohoError::RoundExists { .. } | KohoError::RoundOutOfOrder { .. }, Lang::En) => {
                "run koho proof without --round to make the next round"
            }
            (KohoError::ProofUnreadable { .. }, Lang::Ja) => {
                "koho proof で作った校正刷の PDF (コメントを書き込んだもの) を指定してください"
            }
            (KohoError::ProofUnreadable { .. }, Lang::En) => {
                "name a proof PDF made by koho proof (with the comments written on it)"
            }
            (KohoError::UnknownSlot { .. }, Lang::Ja) => {
                "--ad には magazine.yaml の ads: slots: に書かれた枠の名前 (例: foot) を指定してください"
            }
            (KohoError::UnknownSlot { .. }, Lang::En) => {
                "give --ad a slot named under ads: slots: in magazine.yaml (e.g. foot)"
            }
            (KohoError::UnknownKind { .. }, Lang::Ja) => {
                "種類の名前は layouts/ のフォルダー名です。省略するとすべての種類を書き出します"
            }
            (KohoError::UnknownKind { .. }, Lang::En) => {
                "a kind is named by its folder in layouts/; leave it out to write every kind"
            }
        }
    }
}
