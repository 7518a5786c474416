//! What koho says on stderr while it works: the issue folders it passed over, the issue it is
//! checking, and the words for the phase a build is in (shown by [`super::meter`]). Each is
//! said only when the person wants to hear it.

use std::path::{Path, PathBuf};

use super::Said;
use crate::build::Phase;
use crate::diag::Lang;

/// How much is said while a command works, in which language.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    lang: Lang,
    quiet: bool,
    json: bool,
}

impl Progress {
    /// Progress in `lang`; `quiet` (`--quiet`) says none of it, `json` (`--json`) only notes.
    pub fn new(lang: Lang, quiet: bool, json: bool) -> Self {
        Self { lang, quiet, json }
    }

    /// The issue folders passed over when choosing the newest (their date is unreadable):
    /// said unless quiet, beside JSON too.
    pub fn skipped(&self, dirs: &[PathBuf]) -> Said {
        let mut said = Said::new();
        if self.quiet {
            return said;
        }
        for dir in dirs {
            said.err(match self.lang {
                Lang::Ja => format!(
                    "注意: {} の issue.yaml から発行日を読めないため、候補から外しました",
                    dir.display()
                ),
                Lang::En => format!(
                    "note: skipped {}: its issue.yaml has no readable issue_date",
                    dir.display()
                ),
            });
        }
        said
    }

    /// `確認中: content/2026-06`, before `koho check` (neither quiet nor JSON).
    pub fn checking(&self, issue_dir: &Path) -> Said {
        let mut said = Said::new();
        if !self.quiet && !self.json {
            said.err(match self.lang {
                Lang::Ja => format!("確認中: {}", issue_dir.display()),
                Lang::En => format!("checking {}", issue_dir.display()),
            });
        }
        said
    }
}

/// What a phase is doing: `組版しています…` / `typesetting…`.
pub fn phase_words(phase: Phase, lang: Lang) -> &'static str {
    match (phase, lang) {
        (Phase::Check, Lang::Ja) => "原稿を確認しています…",
        (Phase::Check, Lang::En) => "checking the content…",
        (Phase::Compile, Lang::Ja) => "組版しています…",
        (Phase::Compile, Lang::En) => "typesetting…",
        (Phase::Pdf, Lang::Ja) => "PDF を作っています…",
        (Phase::Pdf, Lang::En) => "writing the PDF…",
        (Phase::Finish, Lang::Ja) => "印刷用に仕上げています…",
        (Phase::Finish, Lang::En) => "finishing for print…",
        (Phase::Previews | Phase::Drawn { .. }, Lang::Ja) => "プレビューを作っています…",
        (Phase::Previews | Phase::Drawn { .. }, Lang::En) => "rendering previews…",
        (Phase::Web, Lang::Ja) => "ウェブ版を作っています…",
        (Phase::Web, Lang::En) => "making the web edition…",
        (Phase::Write, Lang::Ja) => "書き出しています…",
        (Phase::Write, Lang::En) => "writing files…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_says_nothing_and_json_only_notes() {
        let dirs = [PathBuf::from("content/old")];
        let quiet = Progress::new(Lang::En, true, false);
        assert_eq!(quiet.skipped(&dirs), Said::new());
        let json = Progress::new(Lang::En, false, true);
        assert_eq!(
            json.skipped(&dirs).stderr(),
            "note: skipped content/old: its issue.yaml has no readable issue_date\n"
        );
        assert_eq!(json.checking(Path::new("content/new")), Said::new());
        let told = Progress::new(Lang::Ja, false, false);
        assert_eq!(
            told.checking(Path::new("content/new")).stderr(),
            "確認中: content/new\n"
        );
    }
}
