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

/// The label `layouts/lib/frame.typ` gives the start and the end of each page file's body.
pub const FILE_MARKER: &str = "koho-file";

/// The label templates give the corners of a field's region (see [`regions`]).
pub const REGION_MARKER: &str = "koho-region";

/// The area a field takes on its page, in points from the top-left corner of the page's
/// frame (the trimmed page: typst places the bleed outside it).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Region {
    /// The folio of the page the field belongs to.
    pub folio: u32,
    /// The field path (`visions[3].items[2]`).
    pub field: String,
    /// The page (from 1) of the document it landed on.
    pub page: usize,
    /// Left, top, right, bottom, in points.
    pub rect: [f64; 4],
}

/// How far a region whose corners sit on one line of text reaches above and below them.
const LINE_ABOVE_PT: f64 = 8.0;
const LINE_BELOW_PT: f64 = 2.5;

/// The regions of the fields the templates mark with `start`, `right` and `end` corners: from
/// the top-left corner to the right edge (or the end, if further right) and the bottom.
pub fn regions(document: &PagedDocument) -> Vec<Region> {
    let mut found: Vec<(Region, bool)> = Vec::new();
    for (dict, position) in placed(document, REGION_MARKER) {
        let (Some(field), Some(at)) = (text(&dict, "field"), text(&dict, "at")) else {
            continue;
        };
        let Some(folio) = number(&dict, "folio").and_then(|f| u32::try_from(f).ok()) else {
            continue;
        };
        let (x, y) = (position.point.x.to_pt(), position.point.y.to_pt());
        let page = position.page.get();
        let index = match found
            .iter()
            .position(|(r, _)| r.folio == folio && r.field == field && r.page == page)
        {
            Some(index) => index,
            None => {
                found.push((
                    Region {
                        folio,
                        field,
                        page,
                        rect: [
                            f64::INFINITY,
                            f64::INFINITY,
                            f64::NEG_INFINITY,
                            f64::NEG_INFINITY,
                        ],
                    },
                    false,
                ));
                found.len() - 1
            }
        };
        let (region, placed) = &mut found[index];
        let r = &mut region.rect;
        match at.as_str() {
            "start" => {
                r[0] = r[0].min(x);
                r[1] = r[1].min(y);
            }
            "right" => {
                r[2] = r[2].max(x);
                *placed = true;
            }
            _ => {
                r[2] = r[2].max(x);
                r[3] = r[3].max(y);
            }
        }
    }
    found
        .into_iter()
        .filter(|(r, _)| r.rect.iter().all(|v| v.is_finite()))
        .map(|(mut region, placed)| {
            // Corners inside a line of text mark its baseline: reach up and down to the glyphs.
            if !placed {
                region.rect[1] -= LINE_ABOVE_PT;
                region.rect[3] += LINE_BELOW_PT;
            }
            region
        })
        .collect()
}

/// Where one content block ended up.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The folio of the page the block belongs to.
    pub folio: u32,
    /// The block's field path (`visions[3].items[2]`).
    pub field: String,
    /// The page (from 1) of the document it landed on.
    pub page: usize,
    /// How far down that page it landed, in points from the top of the trim.
    pub y: f64,
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

/// The label `layouts/lib/rules.typ` gives the typesetting rules it set the pages by.
pub const RULES_MARKER: &str = "koho-rules";

/// The pattern of the tokens the typesetting rules keep on one line, as the templates wrote
/// it into the document (`rules-marker()` in `layouts/lib/rules.typ`); `None` when a
/// project's templates set none.
pub fn rules_pattern(document: &PagedDocument) -> Option<String> {
    placed(document, RULES_MARKER)
        .into_iter()
        .find_map(|(dict, _)| text(&dict, "unbroken"))
}

/// Every content block's marker, with the page it landed on.
pub fn markers(document: &PagedDocument) -> Vec<Marker> {
    placed(document, FIELD_MARKER)
        .into_iter()
        .filter_map(|(dict, position)| {
            Some(Marker {
                folio: u32::try_from(number(&dict, "folio")?).ok()?,
                field: text(&dict, "field")?,
                page: position.page.get(),
                y: position.point.y.to_pt(),
            })
        })
        .collect()
}

/// Every metadata marker labelled `label`, with where it landed, in document order.
fn placed(
    document: &PagedDocument,
    label: &str,
) -> Vec<(
    typst::foundations::Dict,
    typst::introspection::PagedPosition,
)> {
    let introspector = document.introspector();
    let selector = Selector::Label(Label::new(PicoStr::intern(label)).expect("a valid label"));
    introspector
        .query(&selector)
        .iter()
        .filter_map(|content| {
            let metadata = content.to_packed::<MetadataElem>()?;
            let Value::Dict(dict) = &metadata.value else {
                return None;
            };
            let position = introspector.position(content.location()?)?;
            Some((dict.clone(), position))
        })
        .collect()
}

/// A marker's text entry.
fn text(dict: &typst::foundations::Dict, key: &str) -> Option<String> {
    dict.get(key).ok()?.clone().cast::<String>().ok()
}

/// A marker's whole-number entry.
fn number(dict: &typst::foundations::Dict, key: &str) -> Option<i64> {
    dict.get(key).ok()?.clone().cast::<i64>().ok()
}

/// Where a page file's body started or ended.
#[derive(Clone, Debug, PartialEq)]
pub struct FileMark {
    /// The file's first folio.
    pub folio: u32,
    /// True at the end of the body, false at its start.
    pub end: bool,
    /// The page (from 1) of the document it landed on.
    pub page: usize,
    /// How far down that page, in points from the top of the trim.
    pub y: f64,
    /// How far across, in points from the left of the trim.
    pub x: f64,
    /// The columns the body is set in (the room left below the end is in the last of them).
    pub columns: u32,
}

/// The start and end of every page file's body, in document order.
pub fn file_marks(document: &PagedDocument) -> Vec<FileMark> {
    placed(document, FILE_MARKER)
        .into_iter()
        .filter_map(|(dict, position)| {
            let columns = number(&dict, "columns")
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(1)
                .max(1);
            Some(FileMark {
                columns,
                folio: u32::try_from(number(&dict, "folio")?).ok()?,
                end: text(&dict, "at")? == "end",
                page: position.page.get(),
                y: position.point.y.to_pt(),
                x: position.point.x.to_pt(),
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
