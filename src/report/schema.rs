//! `koho schema`, told: the schema files written, or the problems that kept them from being
//! written.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Exit, Report, Said, json_errors, json_paths, problems};
use crate::diag::render::JsonDiagnostic;
use crate::diag::{Diagnostic, Lang};
use crate::project::shown;
use crate::schema::json_schema::ExportReport;

/// What `koho schema` wrote, the paths as the user sees them.
#[derive(Debug, Default)]
pub struct Schemas {
    /// The files written, in order, relative to where koho runs when under it.
    pub written: Vec<PathBuf>,
    /// The problems of the schemas (nothing was written when there are any).
    pub diagnostics: Vec<Diagnostic>,
}

impl Schemas {
    /// `report`'s files shown relative to `cwd`.
    pub fn new(report: ExportReport, cwd: &Path) -> Self {
        Self {
            written: report.written.iter().map(|p| shown(p, cwd)).collect(),
            diagnostics: report.diagnostics,
        }
    }
}

/// `koho schema` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct SchemaJson {
    /// `schema`.
    pub command: &'static str,
    /// True when every schema was written.
    pub ok: bool,
    /// The files written.
    pub written: Vec<String>,
    /// The problems found.
    pub errors: Vec<JsonDiagnostic>,
}

impl Report for Schemas {
    type Json<'a> = SchemaJson;

    fn text(&self, lang: Lang) -> Said {
        if !self.diagnostics.is_empty() {
            return problems(&self.diagnostics, lang, None);
        }
        let mut said = Said::new();
        for path in &self.written {
            said.out(path.display());
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<SchemaJson> {
        Some(SchemaJson {
            command: "schema",
            ok: self.diagnostics.is_empty(),
            written: json_paths(&self.written),
            errors: json_errors(&self.diagnostics, lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.diagnostics.is_empty())
    }
}
