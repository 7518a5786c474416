//! `koho preflight FILE.pdf --ad SLOT`, told: the slot checked against, one line per check
//! with what to ask the advertiser for under each that is not met, and the verdict.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Exit, Report, Said};
use crate::diag::{Diagnostic, Lang, ad_words, render};
use crate::layout::{AdSlot, Magazine, Plate};
use crate::print::ad::{self, AdCheck, AdReport, SlotSpec};
use crate::print::preflight::Status;

/// The outcome of checking one advertiser's file.
#[derive(Debug)]
pub enum AdPreflighted {
    /// The file could not be read from disk (a usage error).
    Unreadable {
        /// The file, as named.
        file: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// `magazine.yaml` has problems, so no slot can be known.
    Format(Vec<Diagnostic>),
    /// The file was judged.
    Judged {
        /// The file, as named.
        file: PathBuf,
        /// The slot, in the editors' words.
        slot: SlotSpec,
        /// The slot's name in page files.
        key: String,
        /// The verdict.
        report: AdReport,
    },
}

impl AdPreflighted {
    /// `koho preflight FILE --ad SLOT [--page N]` in `project`: the slot looked up in its
    /// `magazine.yaml`; with a page, the ad is held to that page's inks too.
    pub fn run(
        project: &crate::Project,
        cwd: &Path,
        file: &Path,
        slot: &str,
        page: Option<u32>,
    ) -> Result<Self, crate::KohoError> {
        let layouts = project.layouts_dir();
        let format =
            match crate::layout::load_format(&layouts, &crate::project::shown(&layouts, cwd)) {
                Ok(format) => format,
                Err(diagnostics) => return Ok(AdPreflighted::Format(diagnostics)),
            };
        let Some(found) = format.ads.slots.get(slot) else {
            return Err(crate::KohoError::UnknownSlot {
                name: slot.to_owned(),
                known: format
                    .ads
                    .slots
                    .values()
                    .map(|s| format!("{} ({})", s.key, s.name))
                    .collect(),
            });
        };
        let plates = page.map_or_else(|| Plate::ALL.to_vec(), |folio| format.plates(folio));
        Ok(Self::of(file, &format, found, &plates))
    }

    /// Reads `file` and judges it against `slot` on a page printed on `page_plates`.
    pub fn of(file: &Path, format: &Magazine, slot: &AdSlot, page_plates: &[Plate]) -> Self {
        let spec = crate::ad_placement::slot_spec(format, slot, page_plates);
        match std::fs::read(file) {
            Ok(bytes) => AdPreflighted::Judged {
                file: file.to_path_buf(),
                report: ad::check_ad(&bytes, &spec),
                slot: spec,
                key: slot.key.clone(),
            },
            Err(error) => AdPreflighted::Unreadable {
                file: file.to_path_buf(),
                error,
            },
        }
    }
}

/// The slot, as the report's first line names it.
fn slot_words(slot: &SlotSpec, key: &str, lang: Lang) -> String {
    let (w, h) = slot.size_mm;
    let inks = ad_words::plates_words(&slot.plates, lang);
    match lang {
        Lang::Ja => format!("広告枠 {} ({key}): {w} × {h} mm、{inks}", slot.name),
        Lang::En => format!("ad slot {} ({key}): {w} × {h} mm, {inks}", slot.name),
    }
}

fn verdict_words(report: &AdReport, lang: Lang) -> String {
    let failed = report.failures().count();
    let warned = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Warn)
        .count();
    match (lang, report.status()) {
        (Lang::Ja, Status::Pass) => "判定: このまま掲載できます".into(),
        (Lang::En, Status::Pass) => "verdict: ready to place as it is".into(),
        (Lang::Ja, Status::Warn) => {
            format!("判定: 掲載できます (注意 {warned} 件。上の → を広告主に伝えてください)")
        }
        (Lang::En, Status::Warn) => {
            format!("verdict: can be placed ({warned} warnings; pass the → notes on)")
        }
        (Lang::Ja, Status::Fail) => {
            format!(
                "判定: このままでは掲載できません ({failed} 件。上の → を広告主に依頼してください)"
            )
        }
        (Lang::En, Status::Fail) => format!(
            "verdict: cannot be placed as it is ({failed} problems; ask the advertiser for the → above)"
        ),
    }
}

/// One check as `--json` lists it: the finding's facts, its words and what to ask for.
#[derive(Debug, Serialize)]
pub struct AdCheckJson<'a> {
    /// The check's name.
    pub name: &'static str,
    /// The check and its facts.
    #[serde(flatten)]
    pub check: &'a AdCheck,
    /// What it found, in words.
    pub message: String,
    /// What to ask the advertiser for (when not met).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask: Option<String>,
}

/// `koho preflight --ad --json`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AdJson<'a> {
    /// `magazine.yaml` has problems.
    Format {
        /// Always false.
        ok: bool,
        /// The problems.
        errors: Vec<render::JsonDiagnostic>,
    },
    /// The verdict.
    Judged {
        /// The file.
        file: String,
        /// The slot's name in page files.
        slot: &'a str,
        /// True when no check failed.
        ok: bool,
        /// PASS, WARN or FAIL.
        verdict: Status,
        /// Every check.
        checks: Vec<AdCheckJson<'a>>,
    },
}

impl Report for AdPreflighted {
    type Json<'a> = AdJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        match self {
            AdPreflighted::Unreadable { file, error } => {
                said.err(match lang {
                    Lang::Ja => format!("error: {} を読めません ({error})", file.display()),
                    Lang::En => format!("error: cannot read {} ({error})", file.display()),
                });
            }
            AdPreflighted::Format(diagnostics) => {
                said.err(render::human_report(diagnostics, lang));
            }
            AdPreflighted::Judged {
                file,
                slot,
                key,
                report,
            } => {
                said.out(format!(
                    "{}  {}",
                    file.display(),
                    slot_words(slot, key, lang)
                ));
                for check in &report.checks {
                    said.out(format!(
                        "{:<4}  {}: {}",
                        check.status,
                        check.finding.name(),
                        ad_words::finding(&check.finding, lang)
                    ));
                    if check.status != Status::Pass {
                        said.out(format!("      → {}", ad_words::ask(&check.finding, lang)));
                    }
                }
                said.out(verdict_words(report, lang));
            }
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<AdJson<'_>> {
        match self {
            AdPreflighted::Unreadable { .. } => None,
            AdPreflighted::Format(diagnostics) => Some(AdJson::Format {
                ok: false,
                errors: super::json_errors(diagnostics, lang),
            }),
            AdPreflighted::Judged {
                file, key, report, ..
            } => Some(AdJson::Judged {
                file: file.display().to_string(),
                slot: key,
                ok: report.passed(),
                verdict: report.status(),
                checks: report
                    .checks
                    .iter()
                    .map(|check| AdCheckJson {
                        name: check.finding.name(),
                        check,
                        message: ad_words::finding(&check.finding, lang),
                        ask: (check.status != Status::Pass)
                            .then(|| ad_words::ask(&check.finding, lang)),
                    })
                    .collect(),
            }),
        }
    }

    fn exit(&self) -> Exit {
        match self {
            AdPreflighted::Unreadable { .. } => Exit::Usage,
            AdPreflighted::Format(_) => Exit::Problems,
            AdPreflighted::Judged { report, .. } => Exit::of(report.passed()),
        }
    }
}
