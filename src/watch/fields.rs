//! What lies under the pointer in the preview: every previewed page with its size and file,
//! and every field on it with the area it takes (the regions the templates mark, the same the
//! proof carries) and the place it is written, linked so that a click opens that line in the
//! editor.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use typst_layout::PagedDocument;

use crate::content::model::Issue;
use crate::diag::{FieldPath, Lang};
use crate::render::compile::regions;

/// The editor link's scheme: Visual Studio Code (and editors that copy it) opens
/// `vscode://file/PATH:LINE:COLUMN` at that line.
const EDITOR_LINK: &str = "vscode://file";

/// What a path keeps as it is in the editor link; everything else (spaces, `#`, `?`, `%`,
/// and the bytes of non-ASCII names) is percent-encoded.
const LINK_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// A place in a file, as the browser offers it: shown, to copy, and to open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The file as koho shows it (from where it was started).
    pub file: String,
    /// The whole path, to copy.
    pub path: String,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// The link that opens the line in the editor.
    pub link: String,
}

impl Place {
    /// The place `line`:`column` of the file shown as `shown` (relative to `cwd`, or whole).
    pub fn new(shown: &Path, cwd: &Path, line: u32, column: u32) -> Self {
        let whole = whole_path(shown, cwd);
        Self {
            file: shown.display().to_string(),
            link: editor_link(&whole, line, column),
            path: whole.display().to_string(),
            line,
            column,
        }
    }
}

/// The file's whole path, without `.` and `..` where the disk can say.
fn whole_path(shown: &Path, cwd: &Path) -> PathBuf {
    let joined = cwd.join(shown);
    std::fs::canonicalize(&joined).unwrap_or(joined)
}

/// `vscode://file/PATH:LINE:COLUMN` for the file at `path`.
pub fn editor_link(path: &Path, line: u32, column: u32) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let path = path.trim_start_matches('/');
    format!(
        "{EDITOR_LINK}/{}:{line}:{column}",
        utf8_percent_encode(path, LINK_PATH)
    )
}

/// One field on a previewed page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldSpot {
    /// The field path (`visions[3].items[2]`).
    pub field: String,
    /// The field in the editors' words (ビジョン03 › 項目2), from the page's kind.
    pub words: Option<String>,
    /// Its area: left, top, right, bottom, in points from the trim's top-left corner.
    pub rect: [f64; 4],
    /// Where it is written.
    pub place: Place,
}

/// One previewed page: what the browser lists and needs to find points on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewPage {
    /// The printed page number.
    pub folio: u32,
    /// The page's title, from its file.
    pub title: String,
    /// The trimmed page's width and height in points (what the preview shows).
    pub size: [f64; 2],
    /// The page file.
    pub place: Place,
}

/// The pages of the typeset `issue` and the fields on each, by folio; places relative to
/// `cwd`, words in `lang`.
pub fn pages(
    issue: &Issue,
    document: &PagedDocument,
    cwd: &Path,
    lang: Lang,
) -> (Vec<PreviewPage>, BTreeMap<u32, Vec<FieldSpot>>) {
    let folios: Vec<u32> = issue.folios().collect();
    let file_of = |folio: u32| {
        issue
            .pages
            .iter()
            .find(|p| (p.folios.first().get()..=p.folios.last().get()).contains(&folio))
    };
    let shown = folios
        .iter()
        .zip(document.pages())
        .filter_map(|(folio, laid_out)| {
            let page = file_of(*folio)?;
            let size = laid_out.frame.size();
            Some(PreviewPage {
                folio: *folio,
                title: page.content.title().to_owned(),
                size: [size.x.to_pt(), size.y.to_pt()],
                place: Place::new(&page.source.path, cwd, 1, 1),
            })
        })
        .collect();
    let mut fields: BTreeMap<u32, Vec<FieldSpot>> = BTreeMap::new();
    for region in regions(document) {
        let (Some(folio), Some(page)) = (
            folios.get(region.page - 1).copied(),
            issue.pages.iter().find(|p| p.folio().get() == region.folio),
        ) else {
            continue;
        };
        let path = FieldPath::parse(&region.field);
        let written =
            written_at(&region.field, |f| page.spans.get(f)).map(|start| page.source.locate(start));
        let (line, column) = written.map_or((1, 1), |at| (at.line, at.column));
        fields.entry(folio).or_default().push(FieldSpot {
            words: page
                .content
                .kind
                .field_words(&path)
                .map(|w| w.get(lang).to_owned()),
            rect: region.rect,
            place: Place::new(&page.source.path, cwd, line, column),
            field: region.field,
        });
    }
    (shown, fields)
}

/// Where the field `field` of the page file shown as `file` is printed: the areas of its
/// spots, on each page (none for a warning about the whole file).
pub fn marks(
    fields: &BTreeMap<u32, Vec<FieldSpot>>,
    file: &Path,
    field: &str,
    cwd: &Path,
) -> Vec<super::state::Mark> {
    if field.is_empty() {
        return Vec::new();
    }
    let shown = Place::new(file, cwd, 1, 1).path;
    fields
        .iter()
        .flat_map(|(folio, spots)| {
            spots
                .iter()
                .filter(|s| s.field == field && s.place.path == shown)
                .map(|s| super::state::Mark {
                    folio: *folio,
                    rect: s.rect,
                })
        })
        .collect()
}

/// Where `field` was written, or the nearest field holding it (a label drawn from its item).
fn written_at(field: &str, span: impl Fn(&str) -> Option<std::ops::Range<usize>>) -> Option<usize> {
    let mut path = field;
    loop {
        if let Some(span) = span(path) {
            return Some(span.start);
        }
        let cut = path.rfind(['.', '['])?;
        path = &path[..cut];
    }
}

/// The field of `spots` under the point (`x`, `y`) in points from the trim's top-left corner:
/// the tightest holding it, as for a proof's comments.
pub fn field_at(spots: &[FieldSpot], x: f64, y: f64) -> Option<&FieldSpot> {
    crate::area::under((x, y), spots, |s| s.rect, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_link_names_the_whole_path_line_and_column_encoded() {
        assert_eq!(
            editor_link(Path::new("/home/広報/2026 06/p04.yaml"), 16, 14),
            "vscode://file/home/%E5%BA%83%E5%A0%B1/2026%2006/p04.yaml:16:14"
        );
        assert_eq!(
            editor_link(Path::new("C:\\広報誌\\p04#1.yaml"), 3, 1),
            "vscode://file/C:/%E5%BA%83%E5%A0%B1%E8%AA%8C/p04%231.yaml:3:1"
        );
    }

    #[test]
    fn a_field_not_written_itself_is_found_at_the_field_holding_it() {
        let spans = |f: &str| (f == "visions[3].items[2]").then_some(40..50);
        assert_eq!(written_at("visions[3].items[2].label", spans), Some(40));
        assert_eq!(written_at("visions[3].items[2]", spans), Some(40));
        assert_eq!(written_at("visions[1]", spans), None);
    }
}
