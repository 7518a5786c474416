//! Compiling the world into a laid-out document, and reading back what the layout reports:
//! template errors, and where each content block landed (to find what did not fit).

use std::path::Path;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::{Frame, FrameItem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use super::world::KohoWorld;
use crate::diag::{Diagnostic, FieldPath, Problem, Source};

/// The label templates give the marker placed at the end of every content block.
pub const FIELD_MARKER: &str = "koho-field";

/// Where one content block ended up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// The folio of the page the block belongs to.
    pub folio: u32,
    /// The block's field path (`visions[3].items[2]`).
    pub field: String,
    /// The page (from 1) of the document it landed on.
    pub page: usize,
}

/// Compiles the world. Template errors and warnings (a template that warns is a template
/// bug: an unknown font, say) are diagnostics in the template files, shown relative to `cwd`.
pub fn compile(
    world: &KohoWorld,
    project_root: &Path,
    cwd: &Path,
) -> Result<PagedDocument, Vec<Diagnostic>> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let mut problems: Vec<SourceDiagnostic> = warnings.into_iter().collect();
    let document = match output {
        Ok(document) => Some(document),
        Err(errors) => {
            problems.extend(errors);
            None
        }
    };
    match document {
        Some(document) if problems.is_empty() => Ok(document),
        _ => Err(problems
            .iter()
            .map(|d| template_diagnostic(world, d, project_root, cwd))
            .collect()),
    }
}

fn template_diagnostic(
    world: &KohoWorld,
    d: &SourceDiagnostic,
    project_root: &Path,
    cwd: &Path,
) -> Diagnostic {
    let mut message = d.message.to_string();
    if d.severity == Severity::Warning {
        message = format!("warning: {message}");
    }
    let problem = Problem::Template {
        message,
        hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
    };
    let located = d.span.id().and_then(|id| {
        let source = world.source(id).ok()?;
        let range = world.range(d.span)?;
        let virtual_path = id.vpath().get_without_slash().to_owned();
        let real = project_root.join(&virtual_path);
        let shown = if real.exists() {
            crate::project::shown(&real, cwd)
        } else {
            // A file koho generated: name it as it appears in `--emit-typst`.
            Path::new("(koho)").join(&virtual_path)
        };
        Some(Source::new(shown, source.text()).diagnostic(
            range,
            FieldPath::root(),
            problem.clone(),
        ))
    });
    located.unwrap_or_else(|| Diagnostic::whole_file("(koho)/main.typ", problem))
}

/// Every content block's marker, with the page it landed on.
pub fn markers(document: &PagedDocument) -> Vec<Marker> {
    let introspector = document.introspector();
    let selector =
        Selector::Label(Label::new(PicoStr::intern(FIELD_MARKER)).expect("a valid label"));
    introspector
        .query(&selector)
        .iter()
        .filter_map(|content| {
            let metadata = content.to_packed::<MetadataElem>()?;
            let Value::Dict(dict) = &metadata.value else {
                return None;
            };
            let field = dict.get("field").ok()?.clone().cast::<String>().ok()?;
            let folio = dict.get("folio").ok()?.clone().cast::<i64>().ok()?;
            let location = content.location()?;
            let position = introspector.position(location)?;
            Some(Marker {
                folio: u32::try_from(folio).ok()?,
                field,
                page: position.page.get(),
            })
        })
        .collect()
}

/// Characters that came out as glyph 0 (no font had them), page by page (from 1).
pub fn missing_glyphs(document: &PagedDocument) -> Vec<(usize, char)> {
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        collect_missing(&page.frame, i + 1, &mut found);
    }
    found
}

fn collect_missing(frame: &Frame, page: usize, found: &mut Vec<(usize, char)>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => collect_missing(&group.frame, page, found),
            FrameItem::Text(text) => {
                for glyph in &text.glyphs {
                    if glyph.id == 0 {
                        let c = text.text[glyph.range()]
                            .chars()
                            .next()
                            .unwrap_or('\u{FFFD}');
                        found.push((page, c));
                    }
                }
            }
            _ => {}
        }
    }
}
