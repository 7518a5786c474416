//! `koho web`, told: where the web edition was written and how many pages it has, or what
//! kept it from being written (then the earlier web edition is left as it was).

use serde::Serialize;

use super::{Exit, Report, Said, json_errors, problems, warnings};
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;
use crate::web::WebReport;

/// `koho web` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct WebJson {
    /// `web`.
    pub command: &'static str,
    /// The issue folder, as shown.
    pub issue: String,
    /// True when the web edition was written.
    pub ok: bool,
    /// Its front page.
    pub index: Option<String>,
    /// Every file of it, relative to its folder.
    pub files: Vec<String>,
    /// The page files made into web pages.
    pub pages: usize,
    /// Every problem found (nothing was written when there is one).
    pub errors: Vec<JsonDiagnostic>,
    /// What was written, but likely not as meant.
    pub warnings: Vec<JsonDiagnostic>,
}

impl Report for WebReport {
    type Json<'a> = WebJson;

    fn text(&self, lang: Lang) -> Said {
        if !self.diagnostics.is_empty() {
            let kept = match lang {
                Lang::Ja => "ウェブ版は書き出していません (前のウェブ版はそのまま残っています)",
                Lang::En => "the web edition was not written (an earlier one is unchanged)",
            };
            return problems(&self.diagnostics, lang, Some(kept));
        }
        let mut said = warnings(&self.warnings, lang);
        if let Some(index) = &self.index {
            said.out(index.display());
        }
        let files = self.files.len();
        said.err(match lang {
            Lang::Ja => format!(
                "ウェブ版: {} ページ分 ({files} ファイル)。ブラウザーで index.html を開いてください",
                self.pages
            ),
            Lang::En => format!(
                "web edition: {} page files ({files} files); open index.html in a browser",
                self.pages
            ),
        });
        said
    }

    fn json(&self, lang: Lang) -> Option<WebJson> {
        Some(WebJson {
            command: "web",
            issue: self.issue_dir.display().to_string(),
            ok: self.diagnostics.is_empty(),
            index: self.index.as_ref().map(|p| p.display().to_string()),
            files: self
                .files
                .iter()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .collect(),
            pages: self.pages,
            errors: json_errors(&self.diagnostics, lang),
            warnings: json_errors(&self.warnings, lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.diagnostics.is_empty())
    }
}
