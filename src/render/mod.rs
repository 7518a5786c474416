//! The render stage: the issue's pages typeset by embedded typst in a [`KohoWorld`], checked
//! for what typst does not report (text that does not fit, characters no font has), and
//! exported as PDF bytes and PNG previews.

pub mod compile;
pub mod export;
pub mod fonts;
pub mod softproof;
pub mod world;

use std::path::Path;
use std::sync::Arc;

use typst::foundations::Datetime;
use typst_layout::PagedDocument;

use crate::content::model::Issue;
use crate::diag::words::Words;
use crate::diag::{Diagnostic, FieldPath, Problem};
use crate::layout::Magazine;
use crate::layout::data::{self, PageData, PlacedPhoto};
use crate::print;
pub use fonts::Fonts;
pub use world::{KohoWorld, MAIN_FILE, VirtualFiles};

/// A typeset issue: the laid-out document and the files it was made from.
pub struct Typeset {
    /// The laid-out pages, in print order.
    pub document: PagedDocument,
    /// The generated files (`/main.typ`, `/data/…`, `/photos/…`).
    pub files: VirtualFiles,
    /// How long converting the photos for the press took (part of typesetting).
    pub photo_time: std::time::Duration,
}

/// What typesetting needs besides the issue.
pub struct RenderContext<'a> {
    /// The project folder (templates are read from its `layouts/`).
    pub project_root: &'a Path,
    /// Where koho runs, for showing paths.
    pub cwd: &'a Path,
    /// The magazine's format.
    pub format: &'a Magazine,
    /// The bundled fonts.
    pub fonts: Arc<Fonts>,
    /// On a proof, the stamp's words (`name`, `label`, `made`), printed in the slug; `None`
    /// for the print file.
    pub proof: Option<&'a serde_json::Value>,
}

/// The issue date as typst's `today()` and the PDF's timestamp.
pub fn issue_datetime(issue: &Issue) -> Datetime {
    let date = issue.issue_date;
    Datetime::from_ymd_hms(i32::from(date.year()), date.month(), date.day(), 0, 0, 0)
        .expect("a checked calendar date")
}

/// Typesets `issue`: every problem found (missing fonts or glyphs, template errors, content
/// that does not fit) is a diagnostic naming the field.
pub fn typeset(issue: &Issue, context: &RenderContext<'_>) -> Result<Typeset, Vec<Diagnostic>> {
    let mut problems = check_fonts(context.format, &context.fonts);
    problems.extend(check_glyphs(issue, &context.fonts));
    if !problems.is_empty() {
        return Err(problems);
    }
    let pages = data::pages(issue);
    let started = std::time::Instant::now();
    let files = generated_files(issue, context.format, &pages, context.proof)?;
    let photo_time = started.elapsed();
    let world = KohoWorld::new(
        context.project_root.to_path_buf(),
        files.clone(),
        context.fonts.clone(),
        issue_datetime(issue),
    );
    let document = compile::compile(&world, context.project_root, context.cwd)?;
    let problems = check_fit(issue, &document, context.format);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Typeset {
        document,
        files,
        photo_time,
    })
}

/// The format's font families must be among the bundled fonts.
fn check_fonts(format: &Magazine, fonts: &Fonts) -> Vec<Diagnostic> {
    [
        ("gothic", &format.fonts.gothic),
        ("mincho", &format.fonts.mincho),
    ]
    .into_iter()
    .filter(|(_, family)| !fonts.has_family(family.as_str()))
    .map(|(role, family)| {
        format.diagnostic(
            FieldPath::root().key("fonts").key(role),
            Problem::FontMissing {
                family: family.as_str().to_owned(),
            },
        )
    })
    .collect()
}

/// Every printed character must be in some bundled font; each one that is not is reported
/// once per field, at the field.
fn check_glyphs(issue: &Issue, fonts: &Fonts) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in issue.pages.iter() {
        for (path, text) in page.content.fields.printed_texts(&FieldPath::root()) {
            let mut seen = Vec::new();
            for (offset, ch) in text.char_indices() {
                if ch.is_whitespace() || ch.is_control() || fonts.covers(ch) || seen.contains(&ch) {
                    continue;
                }
                seen.push(ch);
                let span = page
                    .spans
                    .get(&path.to_string())
                    .map(|field| locate_in_field(&page.source.text, field, text, offset, ch))
                    .unwrap_or(0..0);
                found.push(page.diagnostic(span, path.clone(), Problem::MissingGlyph { ch }));
            }
        }
    }
    found
}

/// The bytes of `ch` inside a field's source, when the text is written there as is (it may
/// not be, in a folded block); else the field itself.
fn locate_in_field(
    source: &str,
    field: std::ops::Range<usize>,
    text: &str,
    offset: usize,
    ch: char,
) -> std::ops::Range<usize> {
    let written = source.get(field.clone()).unwrap_or("");
    let nth = text[..offset].matches(ch).count();
    written
        .match_indices(ch)
        .nth(nth)
        .map(|(i, _)| field.start + i..field.start + i + ch.len_utf8())
        .unwrap_or(field)
}

/// Content that did not fit, said once per page the way a layout program reports overset
/// text: how much is over (mm, and about how many lines and characters of body text), the
/// fields that were pushed off the page, and the field most likely to shorten (the page's
/// longest text). A block did not fit when its end marker landed on another page than its own.
fn check_fit(issue: &Issue, document: &PagedDocument, format: &Magazine) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let markers = compile::markers(document);
    let measure = Measure::of(format);
    for (index, page) in issue.pages.iter().enumerate() {
        let folio = page.folio.get();
        let own_page = index + 1;
        let mut spilled: Vec<&compile::Marker> = markers
            .iter()
            .filter(|m| m.folio == folio && m.page != own_page)
            .collect();
        if spilled.is_empty() {
            continue;
        }
        spilled.sort_by_key(|m| m.page);
        // How far the content runs past the page: whole pages beyond, then the last one.
        let last_page = spilled.iter().map(|m| m.page).max().unwrap_or(own_page);
        let deepest = spilled
            .iter()
            .filter(|m| m.page == last_page)
            .map(|m| m.y)
            .fold(0.0_f64, f64::max);
        let whole_pages = last_page.saturating_sub(own_page + 1) as f64;
        let over_pt = (whole_pages * measure.body_height_pt
            + (deepest - measure.top_pt).max(measure.line_pt))
        .max(measure.line_pt);
        let mut unfit: Vec<String> = Vec::new();
        for marker in &spilled {
            if !unfit.contains(&marker.field) {
                unfit.push(marker.field.clone());
            }
        }
        // A block pushed off the page is named, not each of its entries as well.
        let within = |inner: &str, outer: &str| {
            inner.len() > outer.len()
                && inner.starts_with(outer)
                && matches!(inner.as_bytes()[outer.len()], b'.' | b'[')
        };
        let outermost: Vec<String> = unfit
            .iter()
            .filter(|f| !unfit.iter().any(|g| within(f, g)))
            .cloned()
            .collect();
        let unfit = outermost;
        // The field to shorten: the longest text on the page (the first, of equals).
        let mut longest: Option<(FieldPath, &str)> = None;
        for (path, text) in page.content.fields.printed_texts(&FieldPath::root()) {
            let longer = longest
                .as_ref()
                .is_none_or(|(_, t)| text.chars().count() > t.chars().count());
            if longer {
                longest = Some((path, text));
            }
        }
        let kind = &page.content.kind;
        let (field, span, shorten, shorten_chars) = match &longest {
            Some((path, text)) => (
                path.clone(),
                page.spans.get(&path.to_string()).unwrap_or(0..0),
                kind.field_words(path),
                text.chars().count(),
            ),
            None => (FieldPath::root(), 0..0, None, 0),
        };
        let lines = (over_pt / measure.line_pt).ceil() as u32;
        found.push(
            page.diagnostic(
                span,
                field,
                Problem::Overflow {
                    folio,
                    over_mm: (over_pt * MM_PER_PT).ceil() as u32,
                    lines,
                    chars: lines * measure.chars_per_line,
                    unfit: unfit
                        .iter()
                        .map(|f| {
                            kind.field_words(&parse_field(f))
                                .unwrap_or_else(|| Words::new(f.clone(), f.clone()))
                        })
                        .collect(),
                    shorten,
                    shorten_chars,
                },
            ),
        );
    }
    if found.is_empty() && document.pages().len() != issue.pages.len() {
        // Something without a marker (a running foot, say) pushed a page over.
        if let Some(page) = issue.pages.iter().last() {
            found.push(page.source.diagnostic(
                0..0,
                FieldPath::root(),
                Problem::Overflow {
                    folio: page.folio.get(),
                    over_mm: 0,
                    lines: 0,
                    chars: 0,
                    unfit: Vec::new(),
                    shorten: None,
                    shorten_chars: 0,
                },
            ));
        }
    }
    for (page_number, ch) in compile::missing_glyphs(document) {
        let page = &issue.pages.as_slice()[(page_number - 1).min(issue.pages.len() - 1)];
        found.push(
            page.source
                .diagnostic(0..0, FieldPath::root(), Problem::MissingGlyph { ch }),
        );
    }
    found
}

/// Millimetres in a point.
const MM_PER_PT: f64 = 25.4 / 72.0;
/// A line of body text is about this many times its type size (type plus leading): the
/// estimate an overflow report gives lines and characters by.
const LINE_PER_SIZE: f64 = 1.5;
/// The body size assumed when the format names none.
const FALLBACK_BODY_PT: f64 = 9.0;

/// What an overflow is measured in: the text area and a line of body text.
struct Measure {
    top_pt: f64,
    body_height_pt: f64,
    line_pt: f64,
    chars_per_line: u32,
}

impl Measure {
    fn of(format: &Magazine) -> Self {
        let body = format
            .type_sizes
            .get("body")
            .map_or(FALLBACK_BODY_PT, |pt| pt.get());
        let m = &format.margins;
        let width = format.trim.width.pt() - m.inside.pt() - m.outside.pt();
        Self {
            top_pt: m.top.pt(),
            body_height_pt: format.trim.height.pt() - m.top.pt() - m.bottom.pt(),
            line_pt: body * LINE_PER_SIZE,
            // Japanese text sets one character per em.
            chars_per_line: (width / body).floor().max(1.0) as u32,
        }
    }
}

/// A displayed field path (`visions[3].items[2]`) back as a [`FieldPath`].
pub fn parse_field(text: &str) -> FieldPath {
    let mut path = FieldPath::root();
    for part in text.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            path = path.key(key);
        }
        for number in rest.split('[').map(|n| n.trim_end_matches(']')) {
            if let Ok(n) = number.parse::<usize>() {
                path = path.index(n.saturating_sub(1));
            }
        }
    }
    path
}

/// The files the world serves besides the templates: `main.typ`, the data, the photos.
fn generated_files(
    issue: &Issue,
    format: &Magazine,
    pages: &[PageData],
    proof: Option<&serde_json::Value>,
) -> Result<VirtualFiles, Vec<Diagnostic>> {
    let mut files = VirtualFiles::default();
    let issue_json = data::issue_json(issue, proof);
    files.insert("/data/format.json", to_json(format));
    files.insert("/data/issue.json", to_json(&issue_json));
    for page in pages {
        files.insert(&data_path(page), to_json(&page.json));
    }
    // Converted for the press before typesetting (typst places JPEGs as they are), in parallel:
    // the conversion is most of what print adds to typst's own work. As many at once as there
    // are cores, since each decode may take up to 256 MB.
    let photos: Vec<&PlacedPhoto> = pages.iter().flat_map(|p| p.photos.iter()).collect();
    let at_once = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut converted: Vec<Result<Vec<u8>, String>> = Vec::new();
    for batch in photos.chunks(at_once) {
        converted.extend(convert_batch(batch));
    }
    for (photo, result) in photos.iter().zip(converted) {
        match result {
            Ok(jpeg) => files.insert(&photo.virtual_path, jpeg),
            Err(reason) => {
                return Err(vec![Diagnostic::whole_file(
                    photo.file.clone(),
                    Problem::FileUnreadable {
                        path: photo.file.display().to_string(),
                        reason,
                    },
                )]);
            }
        }
    }
    files.insert(MAIN_FILE, main_source(pages));
    Ok(files)
}

/// Converts a batch of photos for the press, each on its own thread.
fn convert_batch(batch: &[&PlacedPhoto]) -> Vec<Result<Vec<u8>, String>> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .iter()
            .map(|photo| {
                scope.spawn(move || {
                    let bytes = std::fs::read(&photo.file).map_err(|e| e.to_string())?;
                    press_photo(&bytes, photo.frame_mm)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("the conversion failed".to_owned()))
            })
            .collect()
    })
}

/// Press photos already converted in this process, by the source's hash and the frame: a
/// long-running koho (`koho watch`) converts a photo once, not on every save.
static PRESS_PHOTOS: std::sync::Mutex<Vec<PressPhotoEntry>> = std::sync::Mutex::new(Vec::new());

/// A converted photo: the source's SHA-256, the frame (as bits), the press JPEG.
type PressPhotoEntry = (String, Option<(u64, u64)>, Vec<u8>);
/// How many converted photos are kept.
const PRESS_PHOTOS_KEPT: usize = 32;

/// `bytes` converted for the press into `frame_mm`, from the cache when it was done before.
fn press_photo(bytes: &[u8], frame_mm: Option<(f64, f64)>) -> Result<Vec<u8>, String> {
    let key = (
        crate::hash::sha256_hex(bytes),
        frame_mm.map(|(w, h)| (w.to_bits(), h.to_bits())),
    );
    let cached = PRESS_PHOTOS.lock().ok().and_then(|cache| {
        cache
            .iter()
            .find(|(hash, frame, _)| *hash == key.0 && *frame == key.1)
            .map(|(_, _, jpeg)| jpeg.clone())
    });
    if let Some(jpeg) = cached {
        return Ok(jpeg);
    }
    let jpeg = print::photo::to_press(bytes, frame_mm)
        .map(|press| press.jpeg)
        .map_err(|e| e.to_string())?;
    if let Ok(mut cache) = PRESS_PHOTOS.lock() {
        if cache.len() >= PRESS_PHOTOS_KEPT {
            cache.remove(0);
        }
        cache.push((key.0, key.1, jpeg.clone()));
    }
    Ok(jpeg)
}

fn data_path(page: &PageData) -> String {
    format!("/data/p{}.json", page.folio)
}

fn to_json(value: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).expect("koho's data serialises")
}

/// The main file: imports each layout used and calls it once per page, in print order. It
/// holds no content text, only koho's own names and paths.
fn main_source(pages: &[PageData]) -> String {
    let mut layouts: Vec<&str> = pages.iter().map(|p| p.layout.as_str()).collect();
    layouts.sort_unstable();
    layouts.dedup();
    let mut source = String::from(
        "// Generated by koho: the issue's pages in print order.\n\
         // Every text comes from data/*.json; the templates are in layouts/.\n",
    );
    for (i, layout) in layouts.iter().enumerate() {
        source.push_str(&format!(
            "#import \"/layouts/{layout}/page.typ\" as layout-{i}\n"
        ));
    }
    source.push_str("#let format = json(\"/data/format.json\")\n");
    source.push_str("#let issue = json(\"/data/issue.json\")\n");
    source.push_str("#set document(title: issue.title)\n");
    for page in pages {
        let index = layouts.iter().position(|l| *l == page.layout).unwrap_or(0);
        source.push_str(&format!(
            "#layout-{index}.page(format, issue, json(\"{}\"))\n",
            data_path(page)
        ));
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_read_back() {
        assert_eq!(
            parse_field("visions[3].items[2]").to_string(),
            "visions[3].items[2]"
        );
        assert_eq!(
            parse_field("highlights.items[1]").to_string(),
            "highlights.items[1]"
        );
        assert_eq!(parse_field("note").to_string(), "note");
    }
}
