//! `koho archive …`, told: what was added, the list of packages as a table, search hits, the
//! findings of a verify, what a restore wrote and whether it rebuilds byte for byte, the
//! rebuilt catalogue; and what stopped the command.

use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::usage::error_with_hint;
use super::{Exit, Report, Said, json_errors, problems};
use crate::archive::bag::Finding;
use crate::archive::{
    AddNote, AddReport, Added, ArchiveError, CatalogFinding, Difference, Hit, Listed, Municipality,
    ReindexReport, RestoreReport, VerifyReport,
};
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;
use crate::project::shown;

/// An archive error as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    /// Always false.
    pub ok: bool,
    /// What is wrong.
    pub error: String,
    /// How to fix it.
    pub hint: String,
}

/// What stopped an archive command: exit code 2 for how koho was asked, 1 for what was found.
impl Report for ArchiveError {
    type Json<'a> = ErrorJson;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        said.err(error_with_hint(&self.message(lang), &self.hint(lang), lang));
        said
    }

    fn json(&self, lang: Lang) -> Option<ErrorJson> {
        Some(ErrorJson {
            ok: false,
            error: self.message(lang),
            hint: self.hint(lang),
        })
    }

    fn exit(&self) -> Exit {
        if self.is_usage() {
            Exit::Usage
        } else {
            Exit::Problems
        }
    }
}

/// `koho archive add` as `--json` prints it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AddJson {
    /// The issue has problems: nothing was added.
    Failed {
        /// `archive add`.
        command: &'static str,
        /// Always false.
        ok: bool,
        /// Every problem found.
        errors: Vec<JsonDiagnostic>,
    },
    /// A new package was written.
    New {
        /// `archive add`.
        command: &'static str,
        /// Always true.
        ok: bool,
        /// Always true.
        added: bool,
        /// Its version.
        version: u32,
        /// Its folder.
        dir: String,
        /// Files in its payload.
        files: usize,
        /// Bytes in its payload.
        bytes: u64,
    },
    /// The issue is as the newest package has it.
    Unchanged {
        /// `archive add`.
        command: &'static str,
        /// Always true.
        ok: bool,
        /// Always false.
        added: bool,
        /// That package's version.
        version: u32,
        /// Its folder.
        dir: String,
    },
}

const ADD: &str = "archive add";

impl Report for AddReport {
    type Json<'a> = AddJson;

    fn notes(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        if !self.diagnostics.is_empty() {
            return said;
        }
        for note in &self.notes {
            said.err(match (note, lang) {
                (AddNote::RemovedLeftover(at), Lang::Ja) => {
                    format!("note: 中断された保存の残りを消しました: {at}")
                }
                (AddNote::RemovedLeftover(at), Lang::En) => {
                    format!("note: removed what an interrupted add left: {at}")
                }
                (AddNote::RecordedLate(issue, version), Lang::Ja) => {
                    format!("note: 中断された保存の {issue} v{version} を目録に記録しました")
                }
                (AddNote::RecordedLate(issue, version), Lang::En) => format!(
                    "note: recorded {issue} v{version} in the catalogue (its add was cut off)"
                ),
            });
        }
        said
    }

    fn text(&self, lang: Lang) -> Said {
        if !self.diagnostics.is_empty() {
            let kept = match lang {
                Lang::Ja => "保存庫には何も入れていません",
                Lang::En => "nothing was added to the archive",
            };
            return problems(&self.diagnostics, lang, Some(kept));
        }
        let mut said = Said::new();
        let line = match &self.added {
            Some(Added::New {
                id,
                shown,
                files,
                bytes,
            }) => {
                let (version, kb) = (id.version, bytes / 1024);
                match lang {
                    Lang::Ja => format!(
                        "第 {version} 版として保存しました: {shown} ({files} ファイル、{kb} KB)"
                    ),
                    Lang::En => {
                        format!("added as version {version}: {shown} ({files} files, {kb} KB)")
                    }
                }
            }
            Some(Added::Unchanged { id, shown }) => match lang {
                Lang::Ja => format!(
                    "変わっていません: 第 {} 版 ({shown}) と同じなので、何も保存しませんでした",
                    id.version
                ),
                Lang::En => format!(
                    "unchanged: the same as version {} ({shown}); nothing was added",
                    id.version
                ),
            },
            None => return said,
        };
        said.out(line);
        said
    }

    fn json(&self, lang: Lang) -> Option<AddJson> {
        if !self.diagnostics.is_empty() {
            return Some(AddJson::Failed {
                command: ADD,
                ok: false,
                errors: json_errors(&self.diagnostics, lang),
            });
        }
        match &self.added {
            Some(Added::New {
                id,
                shown,
                files,
                bytes,
            }) => Some(AddJson::New {
                command: ADD,
                ok: true,
                added: true,
                version: id.version,
                dir: shown.clone(),
                files: *files,
                bytes: *bytes,
            }),
            Some(Added::Unchanged { id, shown }) => Some(AddJson::Unchanged {
                command: ADD,
                ok: true,
                added: false,
                version: id.version,
                dir: shown.clone(),
            }),
            // Nothing to tell, in JSON as in text.
            None => None,
        }
    }

    fn exit(&self) -> Exit {
        Exit::of(self.diagnostics.is_empty())
    }
}

/// The packages an archive holds, as `koho archive list` tells them.
#[derive(Debug)]
pub struct Listing(pub Vec<Listed>);

/// `koho archive list` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct ListingJson<'a> {
    /// Every package, oldest first.
    pub issues: &'a [Listed],
}

impl Report for Listing {
    type Json<'a> = ListingJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        if self.0.is_empty() {
            said.out(match lang {
                Lang::Ja => "保存した号はありません",
                Lang::En => "no issues archived",
            });
            return said;
        }
        let head = match lang {
            Lang::Ja => [
                "号",
                "版",
                "発行日",
                "通巻",
                "ページ",
                "保存日時",
                "誌名",
                "自治体",
            ],
            Lang::En => [
                "issue",
                "ver",
                "date",
                "no.",
                "pages",
                "added",
                "magazine",
                "municipality",
            ],
        };
        let rows: Vec<[String; 8]> = self
            .0
            .iter()
            .map(|l| {
                let r = &l.record;
                [
                    r.issue.clone(),
                    format!("v{}", r.version),
                    r.issue_date.clone(),
                    r.number.map_or_else(|| "—".to_owned(), |n| n.to_string()),
                    l.pages.to_string(),
                    r.added.clone(),
                    r.magazine.clone(),
                    r.municipality
                        .as_ref()
                        .map_or_else(String::new, |m| format!("{} ({})", m.name, m.code)),
                ]
            })
            .collect();
        for line in table(&head, &rows) {
            said.out(line);
        }
        said
    }

    fn json(&self, _lang: Lang) -> Option<ListingJson<'_>> {
        Some(ListingJson { issues: &self.0 })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}

/// A table's lines: the header, then the rows, each column as wide as its widest cell
/// (Japanese counted double), no spaces at the ends of lines.
fn table<const N: usize>(head: &[&str; N], rows: &[[String; N]]) -> Vec<String> {
    let mut widths = head.map(UnicodeWidthStr::width);
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.width())))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut lines = vec![line(head.to_vec())];
    lines.extend(
        rows.iter()
            .map(|row| line(row.iter().map(String::as_str).collect())),
    );
    lines
}

/// What `koho archive search` found.
#[derive(Debug)]
pub struct Found {
    /// The words searched for.
    pub query: String,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// `koho archive search` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct FoundJson<'a> {
    /// The words searched for.
    pub query: &'a str,
    /// The hits.
    pub hits: Vec<HitJson<'a>>,
}

/// One hit as `--json` lists it: the [`Hit`], its field's words in the chosen language.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    /// The issue.
    pub issue: &'a str,
    /// The package version.
    pub version: u32,
    /// The issue date.
    pub issue_date: &'a str,
    /// The magazine.
    pub magazine: &'a str,
    /// The municipality that publishes it, when known.
    pub municipality: Option<&'a Municipality>,
    /// The printed page number.
    pub folio: u32,
    /// The page's title.
    pub page_title: &'a str,
    /// The field path.
    pub field: &'a str,
    /// The whole text of the field.
    pub text: &'a str,
    /// The text around the match.
    pub snippet: &'a str,
    /// The figure beside the text, if any.
    pub figure: Option<&'a str>,
    /// The field in the editors' words ([`hit_words`]).
    pub words: String,
}

/// A search hit's field in the editors' words, as its schema named it; the path when the
/// package is older than the words.
pub fn hit_words(hit: &Hit, lang: Lang) -> String {
    hit.words
        .as_ref()
        .map_or_else(|| hit.field.clone(), |w| w.get(lang).to_owned())
}

impl Report for Found {
    type Json<'a> = FoundJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        let query = &self.query;
        if self.hits.is_empty() {
            said.out(match lang {
                Lang::Ja => format!("「{query}」は見つかりませんでした"),
                Lang::En => format!("no text holds \"{query}\""),
            });
            return said;
        }
        for hit in &self.hits {
            let page = match lang {
                Lang::Ja => format!("{}ページ", hit.folio),
                Lang::En => format!("p{}", hit.folio),
            };
            let figure = hit
                .figure
                .as_ref()
                .map(|f| format!(" ({f})"))
                .unwrap_or_default();
            // Which magazine first: a shared archive holds many, some of the same name.
            let magazine = match &hit.municipality {
                Some(m) => format!("{} ({})", hit.magazine, m.name),
                None => hit.magazine.clone(),
            };
            said.out(format!(
                "{magazine}  {} v{}  {}  {page}  {}\n    {}{figure}",
                hit.issue,
                hit.version,
                hit.issue_date,
                hit_words(hit, lang),
                hit.snippet
            ));
        }
        said.out(match lang {
            Lang::Ja => format!("{} 件", self.hits.len()),
            Lang::En => format!("{} found", self.hits.len()),
        });
        said
    }

    fn json(&self, lang: Lang) -> Option<FoundJson<'_>> {
        let hits = self
            .hits
            .iter()
            .map(|h| HitJson {
                issue: &h.issue,
                version: h.version,
                issue_date: &h.issue_date,
                magazine: &h.magazine,
                municipality: h.municipality.as_ref(),
                folio: h.folio,
                page_title: &h.page_title,
                field: &h.field,
                text: &h.text,
                snippet: &h.snippet,
                figure: h.figure.as_deref(),
                words: hit_words(h, lang),
            })
            .collect();
        Some(FoundJson {
            query: &self.query,
            hits,
        })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}

/// What a verify finding is, in `lang`, and the file it names (with the reason, for a tag
/// file that cannot be read).
pub fn finding_words(finding: &Finding, lang: Lang) -> (&'static str, String) {
    match (finding, lang) {
        (Finding::Changed(p), Lang::Ja) => ("変更", p.clone()),
        (Finding::Changed(p), Lang::En) => ("changed", p.clone()),
        (Finding::Missing(p), Lang::Ja) => ("欠落", p.clone()),
        (Finding::Missing(p), Lang::En) => ("missing", p.clone()),
        (Finding::Unexpected(p), Lang::Ja) => ("不明なファイル", p.clone()),
        (Finding::Unexpected(p), Lang::En) => ("unexpected", p.clone()),
        (Finding::Malformed(p, why), Lang::Ja) => ("読めない", format!("{p} ({why})")),
        (Finding::Malformed(p, why), Lang::En) => ("malformed", format!("{p} ({why})")),
    }
}

/// Where the catalogue and the packages disagree, in `lang`.
pub fn catalog_words(finding: &CatalogFinding, lang: Lang) -> String {
    match (finding, lang) {
        (CatalogFinding::NoPackage(i, v), Lang::Ja) => {
            format!("目録にある {i} v{v} のフォルダーがありません")
        }
        (CatalogFinding::NoPackage(i, v), Lang::En) => {
            format!("the catalogue's {i} v{v} has no package")
        }
        (CatalogFinding::ManifestDiffers(i, v), Lang::Ja) => {
            format!("{i} v{v} の manifest が目録の記録と違います")
        }
        (CatalogFinding::ManifestDiffers(i, v), Lang::En) => {
            format!("{i} v{v}'s manifest is not the one the catalogue recorded")
        }
    }
}

/// `koho archive verify` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct VerifyJson<'a> {
    /// True when every package is intact and the catalogue agrees.
    pub ok: bool,
    /// Each package checked.
    pub packages: Vec<PackageJson<'a>>,
    /// Where the catalogue and the packages disagree ([`catalog_words`]).
    pub catalog: Vec<String>,
    /// Files or folders that belong to no package.
    pub strays: Vec<String>,
    /// Leftovers of interrupted adds.
    pub leftovers: Vec<String>,
    /// Packages in place but not yet in the catalogue.
    pub unrecorded: Vec<PackageIdJson<'a>>,
    /// Bytes hashed.
    pub bytes: u64,
}

/// A package verified, as `--json` lists it.
#[derive(Debug, Serialize)]
pub struct PackageJson<'a> {
    /// The issue.
    pub issue: &'a str,
    /// The version.
    pub version: u32,
    /// True when it is intact.
    pub ok: bool,
    /// What is wrong in it.
    pub problems: Vec<ProblemJson>,
}

/// A verify finding as `--json` lists it.
#[derive(Debug, Serialize)]
pub struct ProblemJson {
    /// What it is ([`finding_words`]).
    pub what: &'static str,
    /// The file.
    pub file: String,
    /// The file relative to its package.
    pub path: String,
}

/// A package named by its issue and version.
#[derive(Debug, Serialize)]
pub struct PackageIdJson<'a> {
    /// The issue.
    pub issue: &'a str,
    /// The version.
    pub version: u32,
}

impl Report for VerifyReport {
    type Json<'a> = VerifyJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        for package in &self.packages {
            let status = match (package.findings.is_empty(), lang) {
                (true, Lang::Ja) => "正常",
                (true, Lang::En) => "ok",
                (false, Lang::Ja) => "異常",
                (false, Lang::En) => "DAMAGED",
            };
            said.out(format!(
                "{} v{}  {status}",
                package.id.issue, package.id.version
            ));
            for finding in &package.findings {
                let (what, path) = finding_words(finding, lang);
                said.out(format!("  {what}: {}/{path}", package.shown));
            }
        }
        let catalogue = match lang {
            Lang::Ja => "目録",
            Lang::En => "catalogue",
        };
        for finding in &self.catalog {
            said.out(format!("{catalogue}: {}", catalog_words(finding, lang)));
        }
        for stray in &self.strays {
            said.out(match lang {
                Lang::Ja => format!("不明なファイル: {stray}"),
                Lang::En => format!("unexpected: {stray}"),
            });
        }
        for leftover in &self.leftovers {
            said.err(match lang {
                Lang::Ja => {
                    format!("note: 中断された保存の残り (次の保存で消えます): {leftover}")
                }
                Lang::En => {
                    format!(
                        "note: left by an interrupted add (the next add removes it): {leftover}"
                    )
                }
            });
        }
        for package in &self.unrecorded {
            said.err(match lang {
                Lang::Ja => format!(
                    "note: {} v{} は目録にまだありません (保存が途中で止まりました)。次の koho archive add か reindex で記録されます",
                    package.issue, package.version
                ),
                Lang::En => format!(
                    "note: {} v{} is not in the catalogue yet (its add was cut off); the next koho archive add or reindex records it",
                    package.issue, package.version
                ),
            });
        }
        let mb = self.bytes as f64 / 1_048_576.0;
        let count = self.packages.len();
        said.out(match (self.is_intact(), lang) {
            (true, Lang::Ja) => format!("すべて正常です ({count} 号、{mb:.1} MB を確かめました)"),
            (true, Lang::En) => format!("all intact ({count} packages, {mb:.1} MB checked)"),
            (false, Lang::Ja) => {
                "異常があります。壊れたファイルを控えから戻してください".to_owned()
            }
            (false, Lang::En) => {
                "the archive is damaged: bring the files named back from a copy".to_owned()
            }
        });
        said
    }

    fn json(&self, lang: Lang) -> Option<VerifyJson<'_>> {
        let packages = self
            .packages
            .iter()
            .map(|p| PackageJson {
                issue: &p.id.issue,
                version: p.id.version,
                ok: p.findings.is_empty(),
                problems: p
                    .findings
                    .iter()
                    .map(|f| {
                        let (what, path) = finding_words(f, lang);
                        ProblemJson {
                            what,
                            file: format!("{}/{}", p.shown, f.path()),
                            path,
                        }
                    })
                    .collect(),
            })
            .collect();
        Some(VerifyJson {
            ok: self.is_intact(),
            packages,
            catalog: self
                .catalog
                .iter()
                .map(|f| catalog_words(f, lang))
                .collect(),
            strays: self.strays.clone(),
            leftovers: self.leftovers.clone(),
            unrecorded: self
                .unrecorded
                .iter()
                .map(|p| PackageIdJson {
                    issue: &p.issue,
                    version: p.version,
                })
                .collect(),
            bytes: self.bytes,
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.is_intact())
    }
}

/// What `koho archive restore` did, with what it needs to tell it: the issue as asked for,
/// and where koho runs (paths are shown relative to it).
#[derive(Debug)]
pub struct Restored {
    /// The issue, as named.
    pub issue: String,
    /// What the restore did.
    pub report: RestoreReport,
    /// Where koho runs.
    pub cwd: PathBuf,
}

/// How a layout or font file differs from the one an issue was made with, in `lang`.
pub fn difference_words(difference: Difference, lang: Lang) -> &'static str {
    match (difference, lang) {
        (Difference::Changed, Lang::Ja) => "変更",
        (Difference::Changed, Lang::En) => "changed",
        (Difference::Gone, Lang::Ja) => "削除",
        (Difference::Gone, Lang::En) => "gone",
        (Difference::New, Lang::Ja) => "追加",
        (Difference::New, Lang::En) => "new",
    }
}

/// `koho archive restore` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct RestoredJson<'a> {
    /// The issue.
    pub issue: &'a str,
    /// The package version restored from.
    pub version: u32,
    /// The issue folder written.
    pub dir: String,
    /// Files written.
    pub files: usize,
    /// The archived print file.
    pub print_pdf: String,
    /// True when a rebuild gives the archived print file byte for byte.
    pub same_layouts_and_fonts: bool,
    /// The layout and font files that differ.
    pub differences: Vec<DifferenceJson<'a>>,
}

/// A differing layout or font file as `--json` lists it.
#[derive(Debug, Serialize)]
pub struct DifferenceJson<'a> {
    /// The file, relative to the project.
    pub file: &'a str,
    /// How it differs ([`difference_words`]).
    pub what: &'static str,
}

impl Restored {
    fn shown(&self, path: &Path) -> PathBuf {
        shown(path, &self.cwd)
    }
}

/// The archived print file of the package restored from, as told.
fn print_pdf(report: &RestoreReport) -> String {
    format!("{}/data/print/{}.pdf", report.shown, report.package.issue)
}

impl Report for Restored {
    type Json<'a> = RestoredJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        let report = &self.report;
        let (issue, version, files) = (&self.issue, report.package.version, report.files);
        let dir = self.shown(&report.dir);
        said.out(match lang {
            Lang::Ja => format!(
                "{issue} (第 {version} 版) の原稿 {files} ファイルを {} に戻しました",
                dir.display()
            ),
            Lang::En => format!(
                "restored {files} files of {issue} v{version} to {}",
                dir.display()
            ),
        });
        let archived = print_pdf(report);
        if report.differences.is_empty() {
            said.out(match lang {
                Lang::Ja => format!(
                    "レイアウトとフォントは保存したときと同じです。koho build で作り直すと、保存した印刷用 PDF ({archived}) とバイト単位で同じものができます"
                ),
                Lang::En => format!(
                    "layouts and fonts are as they were: koho build makes {archived} again, byte for byte"
                ),
            });
            return said;
        }
        said.out(match lang {
            Lang::Ja => format!(
                "次のレイアウト・フォントが保存したときと違います。作り直した PDF は保存したもの ({archived}) と違うことがあります:"
            ),
            Lang::En => format!(
                "these layouts and fonts differ from those it was made with; a rebuilt PDF may differ from {archived}:"
            ),
        });
        for (path, difference) in &report.differences {
            said.out(format!("  {}: {path}", difference_words(*difference, lang)));
        }
        let copies = format!("{}/data/made-with/layouts", report.shown);
        said.out(match lang {
            Lang::Ja => format!("保存したときのレイアウトは {copies} にあります"),
            Lang::En => format!("the layouts it was made with are in {copies}"),
        });
        said
    }

    fn json(&self, lang: Lang) -> Option<RestoredJson<'_>> {
        let report = &self.report;
        Some(RestoredJson {
            issue: &self.issue,
            version: report.package.version,
            dir: self.shown(&report.dir).display().to_string(),
            files: report.files,
            print_pdf: print_pdf(report),
            same_layouts_and_fonts: report.differences.is_empty(),
            differences: report
                .differences
                .iter()
                .map(|(file, d)| DifferenceJson {
                    file,
                    what: difference_words(*d, lang),
                })
                .collect(),
        })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}

/// `koho archive reindex` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct ReindexJson<'a> {
    /// Packages recorded.
    pub packages: usize,
    /// Fields recorded.
    pub fields: u64,
    /// Packages left out, with the reason.
    pub skipped: Vec<SkippedJson<'a>>,
}

/// A package reindex left out, as `--json` lists it.
#[derive(Debug, Serialize)]
pub struct SkippedJson<'a> {
    /// The package's folder.
    pub package: String,
    /// Why it could not be read.
    pub reason: &'a str,
}

impl Report for ReindexReport {
    type Json<'a> = ReindexJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        said.out(match lang {
            Lang::Ja => format!(
                "目録を作り直しました: {} 号分、{} 項目",
                self.packages, self.fields
            ),
            Lang::En => format!(
                "rebuilt the catalogue: {} packages, {} fields",
                self.packages, self.fields
            ),
        });
        for (package, reason) in &self.skipped {
            said.err(format!("warning: {package}: {reason}"));
        }
        said
    }

    fn json(&self, _lang: Lang) -> Option<ReindexJson<'_>> {
        Some(ReindexJson {
            packages: self.packages,
            fields: self.fields,
            skipped: self
                .skipped
                .iter()
                .map(|(p, reason)| SkippedJson {
                    package: p.clone(),
                    reason,
                })
                .collect(),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.skipped.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_pads_japanese_by_its_width_and_trims_line_ends() {
        let lines = table(
            &["号", "誌名"],
            &[
                ["2026-06".to_owned(), "広報".to_owned()],
                ["x".to_owned(), String::new()],
            ],
        );
        assert_eq!(lines, ["号       誌名", "2026-06  広報", "x"]);
    }
}
