//! `koho preflight`, told: one line per check and the count, or why the file could not be
//! checked at all.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Exit, Report, Said};
use crate::diag::Lang;
use crate::print::preflight::{self, Check, Expectations, PreflightError, Status};

/// The outcome of preflighting one file.
#[derive(Debug)]
pub enum Preflighted {
    /// The file could not be read (a usage error, told as text even with `--json`).
    Unreadable {
        /// The file, as named.
        file: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not a PDF preflight can look into (damaged, encrypted).
    Refused {
        /// The file, as named.
        file: PathBuf,
        /// Why.
        error: PreflightError,
    },
    /// The file was checked.
    Checked {
        /// The file, as named.
        file: PathBuf,
        /// The checks.
        report: preflight::Report,
    },
}

impl Preflighted {
    /// Reads `file` and checks it for print against the default [`Expectations`].
    pub fn of(file: &Path) -> Self {
        let file = file.to_path_buf();
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(error) => return Preflighted::Unreadable { file, error },
        };
        match preflight::preflight(&bytes, &Expectations::default()) {
            Ok(report) => Preflighted::Checked { file, report },
            Err(error) => Preflighted::Refused { file, error },
        }
    }
}

/// Why a PDF could not be checked, in `lang`.
fn refusal_words(error: &PreflightError, lang: Lang) -> String {
    match (lang, error) {
        (Lang::Ja, PreflightError::Encrypted) => {
            "PDF が暗号化されています。印刷用の PDF は暗号化できません".to_owned()
        }
        (Lang::Ja, PreflightError::Unreadable(why)) => {
            format!("PDF として読めません (途中で切れているか壊れています: {why})")
        }
        (Lang::En, error) => error.to_string(),
    }
}

/// A preflight as `--json` prints it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PreflightJson<'a> {
    /// The file could not be checked.
    Refused {
        /// The file.
        file: String,
        /// Always false.
        ok: bool,
        /// Why.
        error: String,
    },
    /// The file was checked.
    Checked {
        /// The file.
        file: String,
        /// True when no check failed.
        ok: bool,
        /// Pages in the file.
        pages: usize,
        /// Every check.
        checks: &'a [Check],
    },
}

impl Report for Preflighted {
    type Json<'a> = PreflightJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        match self {
            Preflighted::Unreadable { file, error } => {
                said.err(match lang {
                    Lang::Ja => format!("error: {} を読めません ({error})", file.display()),
                    Lang::En => format!("error: cannot read {} ({error})", file.display()),
                });
            }
            Preflighted::Refused { file, error } => {
                said.err(format!(
                    "error: {}: {}",
                    file.display(),
                    refusal_words(error, lang)
                ));
            }
            Preflighted::Checked { report, .. } => {
                for check in &report.checks {
                    said.out(format!(
                        "{:<4}  {}: {}",
                        check.status, check.name, check.detail
                    ));
                }
                let failed = report.failures().count();
                let passed = report
                    .checks
                    .iter()
                    .filter(|c| c.status == Status::Pass)
                    .count();
                said.out(format!("{passed} passed, {failed} failed"));
            }
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<PreflightJson<'_>> {
        match self {
            Preflighted::Unreadable { .. } => None,
            Preflighted::Refused { file, error } => Some(PreflightJson::Refused {
                file: file.display().to_string(),
                ok: false,
                error: refusal_words(error, lang),
            }),
            Preflighted::Checked { file, report } => Some(PreflightJson::Checked {
                file: file.display().to_string(),
                ok: report.passed(),
                pages: report.pages,
                checks: &report.checks,
            }),
        }
    }

    fn exit(&self) -> Exit {
        match self {
            Preflighted::Unreadable { .. } => Exit::Usage,
            Preflighted::Refused { .. } => Exit::Problems,
            Preflighted::Checked { report, .. } => Exit::of(report.passed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_a_usage_error_told_as_text_even_in_json() {
        let outcome = Preflighted::of(Path::new("/nonexistent/koho.pdf"));
        assert_eq!(outcome.exit(), Exit::Usage);
        let said = outcome.said(Lang::En, true);
        assert_eq!(said.stdout(), "");
        assert!(
            said.stderr()
                .starts_with("error: cannot read /nonexistent/koho.pdf ("),
            "{}",
            said.stderr()
        );
    }
}
