//! `koho new`, told: the folder made, each page file with how many fields wait for this
//! month's values, and what to run next; or why nothing was made.

use serde::Serialize;

use super::usage::error_with_hint;
use super::{Exit, Report, Said, json_errors, problems};
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;
use crate::new_issue::{NewIssueError, NewIssueReport};

/// `koho new` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct NewIssueJson {
    /// `new`.
    pub command: &'static str,
    /// True when the folder was made.
    pub ok: bool,
    /// The folder made.
    pub issue: Option<String>,
    /// The issue it was started from.
    pub from: Option<String>,
    /// The new issue date.
    pub issue_date: Option<String>,
    /// The new 通巻.
    pub number: Option<i128>,
    /// Each page file and how many of its fields hold 要記入.
    pub pages: Vec<NewPageJson>,
    /// Every field that holds 要記入.
    pub to_fill: usize,
    /// How many of them held 要記入 already in the issue started from.
    pub left_unfilled: usize,
    /// Why nothing was made.
    pub error: Option<String>,
    /// Problems in the issue started from.
    pub errors: Vec<JsonDiagnostic>,
}

/// One page file in [`NewIssueJson`].
#[derive(Debug, Serialize)]
pub struct NewPageJson {
    /// Its name.
    pub file: String,
    /// Its fields that hold 要記入.
    pub to_fill: usize,
}

impl Report for NewIssueReport {
    type Json<'a> = NewIssueJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        let number = self.number.map(|n| match lang {
            Lang::Ja => format!("、通巻 {n} 号"),
            Lang::En => format!(", number {n}"),
        });
        said.out(match lang {
            Lang::Ja => format!(
                "{} を作りました ({} から。発行日 {}{})",
                self.dir.display(),
                self.from.display(),
                self.issue_date,
                number.unwrap_or_default()
            ),
            Lang::En => format!(
                "made {} (from {}; issue date {}{})",
                self.dir.display(),
                self.from.display(),
                self.issue_date,
                number.unwrap_or_default()
            ),
        });
        let width = self.pages.iter().map(|p| p.file.len()).max().unwrap_or(0);
        for page in &self.pages {
            let marked = match (page.to_fill, lang) {
                (0, Lang::Ja) => "そのまま".to_owned(),
                (n, Lang::Ja) => format!("要記入 {n}"),
                (0, Lang::En) => "as it was".to_owned(),
                (n, Lang::En) => format!("{n} to fill"),
            };
            said.out(format!("  {:width$}  {marked}", page.file));
        }
        let check = format!("koho check {}", self.dir.display());
        let left = self.left_unfilled();
        if left > 0 {
            said.out(match lang {
                Lang::Ja => format!(
                    "注意: そのうち {left} 件は、元にした {} でも要記入のままでした (前号が書き終わっていないかもしれません)。",
                    self.from.display()
                ),
                Lang::En => format!(
                    "note: {left} of them were still to fill in {} too (it may not be finished).",
                    self.from.display()
                ),
            });
        }
        said.out(match lang {
            Lang::Ja => format!(
                "要記入の項目は全部で {} 件です (写真・広告など {} 個のファイルはそのまま写しました)。\
                 一覧は {check} で出ます。",
                self.to_fill(),
                self.copied
            ),
            Lang::En => format!(
                "{} fields to fill in all ({} other files, photos and ads, copied as they were); \
                 {check} lists them.",
                self.to_fill(),
                self.copied
            ),
        });
        said
    }

    fn json(&self, _lang: Lang) -> Option<NewIssueJson> {
        Some(NewIssueJson {
            command: "new",
            ok: true,
            issue: Some(self.dir.display().to_string()),
            from: Some(self.from.display().to_string()),
            issue_date: Some(self.issue_date.to_string()),
            number: self.number,
            pages: self
                .pages
                .iter()
                .map(|p| NewPageJson {
                    file: p.file.clone(),
                    to_fill: p.to_fill,
                })
                .collect(),
            to_fill: self.to_fill(),
            left_unfilled: self.left_unfilled(),
            error: None,
            errors: Vec::new(),
        })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}

impl NewIssueError {
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (NewIssueError::Exists { dir }, Lang::Ja) => format!(
                "{} はもうあります。koho new は既にあるフォルダーを上書きしません",
                dir.display()
            ),
            (NewIssueError::NoDate { dir }, Lang::Ja) => format!(
                "{}/issue.yaml の発行日 (issue_date) が読めないため、次の号の日付が決められません",
                dir.display()
            ),
            (NewIssueError::Unreadable(_), Lang::Ja) => {
                "元にする号のファイルに問題があるため、何も作っていません".to_owned()
            }
            (NewIssueError::Write { dir, reason }, Lang::Ja) => {
                format!("{} を書き出せません: {reason}", dir.display())
            }
            (error, Lang::En) => error.to_string(),
        }
    }

    fn hint(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NewIssueError::Exists { .. }, Lang::Ja) => {
                "別のフォルダー名を指定するか (koho new content/2026-07b)、--date で発行日を指定してください"
            }
            (NewIssueError::Exists { .. }, Lang::En) => {
                "name another folder (koho new content/2026-07b), or give the issue date with --date"
            }
            (NewIssueError::NoDate { .. }, Lang::Ja) => {
                "issue_date: 2026-06-01 のように書くか、--date 2026-07-01 で新しい号の発行日を指定してください"
            }
            (NewIssueError::NoDate { .. }, Lang::En) => {
                "write issue_date: 2026-06-01 there, or give the new issue's date with --date 2026-07-01"
            }
            (NewIssueError::Unreadable(_), Lang::Ja) => {
                "上のエラーを直すか、--from で別の号を指定してください"
            }
            (NewIssueError::Unreadable(_), Lang::En) => {
                "fix the errors above, or start from another issue with --from"
            }
            (NewIssueError::Write { .. }, Lang::Ja) => {
                "フォルダーに書き込めるか、ディスクに空きがあるかを確かめてください (途中のものは残していません)"
            }
            (NewIssueError::Write { .. }, Lang::En) => {
                "check that the folder is writable and the disk has room (nothing half-made was left)"
            }
        }
    }
}

impl Report for NewIssueError {
    type Json<'a> = NewIssueJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = match self {
            NewIssueError::Unreadable(diagnostics) => problems(diagnostics, lang, None),
            _ => Said::new(),
        };
        said.err(error_with_hint(&self.message(lang), self.hint(lang), lang));
        said
    }

    fn json(&self, lang: Lang) -> Option<NewIssueJson> {
        let errors = match self {
            NewIssueError::Unreadable(diagnostics) => json_errors(diagnostics, lang),
            _ => Vec::new(),
        };
        Some(NewIssueJson {
            command: "new",
            ok: false,
            issue: None,
            from: None,
            issue_date: None,
            number: None,
            pages: Vec::new(),
            to_fill: 0,
            left_unfilled: 0,
            error: Some(self.message(lang)),
            errors,
        })
    }

    fn exit(&self) -> Exit {
        match self {
            NewIssueError::Unreadable(_) => Exit::Problems,
            _ => Exit::Usage,
        }
    }
}
