//! `koho check` and `koho build`, told: the clean summary or every problem; the files a build
//! wrote, or that it wrote none.

use serde::Serialize;

use super::{Exit, Report, Said, json_errors, json_paths, problems, warnings};
use crate::build::BuildReport;
use crate::check::CheckReport;
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;

/// A check as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    /// `check`.
    pub command: &'static str,
    /// The issue folder, as shown.
    pub issue: String,
    /// True when nothing is wrong.
    pub ok: bool,
    /// Every problem found.
    pub errors: Vec<JsonDiagnostic>,
    /// What prints, but likely not as meant (a flowing file leaving pages empty).
    pub warnings: Vec<JsonDiagnostic>,
}

impl Report for CheckReport {
    type Json<'a> = CheckJson;

    fn text(&self, lang: Lang) -> Said {
        if !self.is_clean() {
            return problems(&self.diagnostics, lang, None);
        }
        let mut said = warnings(&self.warnings, lang);
        said.out(clean_summary(self, lang));
        said
    }

    fn json(&self, lang: Lang) -> Option<CheckJson> {
        Some(CheckJson {
            command: "check",
            issue: self.issue_dir.display().to_string(),
            ok: self.is_clean(),
            errors: json_errors(&self.diagnostics, lang),
            warnings: json_errors(&self.warnings, lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.is_clean())
    }
}

/// `content/2026-06: エラーはありません (1 ページ、ビジョン 7、項目 34、取り組み 2、写真 2)`.
fn clean_summary(report: &CheckReport, lang: Lang) -> String {
    let counts = report
        .issue
        .as_ref()
        .map(|i| i.counts())
        .unwrap_or_default();
    let pages = report.issue.as_ref().map_or(0, |i| i.page_count() as usize);
    let photos = report.issue.as_ref().map_or(0, |i| i.photo_count());
    let dir = report.issue_dir.display();
    match lang {
        Lang::Ja => {
            let mut parts = vec![format!("{pages} ページ")];
            parts.extend(counts.iter().map(|(w, n)| format!("{} {n}", w.ja)));
            parts.push(format!("写真 {photos}"));
            format!("{dir}: エラーはありません ({})", parts.join("、"))
        }
        Lang::En => {
            let mut parts = vec![counted(pages, "page")];
            parts.extend(counts.iter().map(|(w, n)| counted(*n, &w.en)));
            parts.push(counted(photos, "photo"));
            format!("{dir}: no errors ({})", parts.join(", "))
        }
    }
}

/// `1 page`, `2 pages`, `2 boxes`, `5 categories`.
fn counted(n: usize, noun: &str) -> String {
    let consonant_y = noun.ends_with('y')
        && !["ay", "ey", "oy", "uy"]
            .iter()
            .any(|end| noun.ends_with(end));
    if n == 1 {
        format!("1 {noun}")
    } else if consonant_y {
        format!("{n} {}ies", &noun[..noun.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| noun.ends_with(end))
    {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// A build as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct BuildJson {
    /// `build`.
    pub command: &'static str,
    /// The issue folder, as shown.
    pub issue: String,
    /// True when everything was written.
    pub ok: bool,
    /// The files written.
    pub written: Vec<String>,
    /// Every problem found (nothing was written when there is one).
    pub errors: Vec<JsonDiagnostic>,
    /// What was written, but likely not as meant.
    pub warnings: Vec<JsonDiagnostic>,
}

impl Report for BuildReport {
    type Json<'a> = BuildJson;

    fn text(&self, lang: Lang) -> Said {
        if !self.diagnostics.is_empty() {
            let kept = match lang {
                Lang::Ja => "何も書き出していません (前の出力はそのまま残っています)",
                Lang::En => "nothing was written (earlier outputs are unchanged)",
            };
            return problems(&self.diagnostics, lang, Some(kept));
        }
        let mut said = warnings(&self.warnings, lang);
        for path in &self.written {
            said.out(path.display());
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<BuildJson> {
        Some(BuildJson {
            command: "build",
            issue: self.issue_dir.display().to_string(),
            ok: self.diagnostics.is_empty(),
            written: json_paths(&self.written),
            errors: json_errors(&self.diagnostics, lang),
            warnings: json_errors(&self.warnings, lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.diagnostics.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_are_counted_in_english() {
        assert_eq!(counted(1, "page"), "1 page");
        assert_eq!(counted(0, "photo"), "0 photos");
        assert_eq!(counted(34, "item"), "34 items");
        assert_eq!(counted(2, "box"), "2 boxes");
    }
}
