//! What typesetting finds, said about the content: characters no bundled font has (checked
//! before typesetting, so typst never falls back to a missing glyph) and pages whose content
//! does not fit (read from where the templates' markers landed). Render knows pages; this
//! module knows which field of which page file each finding is about.

use typst_layout::PagedDocument;

use crate::content::model::Issue;
use crate::diag::words::Words;
use crate::diag::{Diagnostic, FieldPath, Problem};
use crate::layout::Magazine;
use crate::render::{Fonts, compile};

/// Every printed character must be in some bundled font; each one that is not is reported
/// once per field, at the field.
pub fn glyphs(issue: &Issue, fonts: &Fonts) -> Vec<Diagnostic> {
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

/// What the laid-out pages say about the content: errors (what did not fit, what came out
/// without a glyph) and warnings (a flowing file that leaves pages empty).
#[derive(Debug, Default)]
pub struct Fit {
    /// Content that cannot be printed as it is.
    pub errors: Vec<Diagnostic>,
    /// Content that prints, but not as the editors likely meant.
    pub warnings: Vec<Diagnostic>,
}

/// Content that did not fit, said once per page file the way a layout program reports overset
/// text: how much is over (mm, and about how many lines and characters of body text), the
/// fields that were pushed off the file's pages, and the field most likely to shorten (the
/// file's longest text). A block did not fit when its end marker landed past the file's last
/// folio. A flowing file whose content ends a page or more early, or leaves much of its last
/// page empty, is a warning naming the empty space.
pub fn pages(issue: &Issue, document: &PagedDocument, format: &Magazine) -> Fit {
    let mut fit = Fit::default();
    let markers = compile::markers(document);
    let file_marks = compile::file_marks(document);
    let regions = compile::regions(document);
    let measure = Measure::of(format);
    // Where each file starts in the document: its start marker, else right after the last.
    let mut next_start = 1usize;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for page in issue.pages.iter() {
        let folio = page.folio().get();
        let start = file_marks
            .iter()
            .find(|m| m.folio == folio && !m.end)
            .map_or(next_start, |m| m.page);
        let own_last = start + page.folios.count() as usize - 1;
        spans.push((start, own_last));
        next_start = own_last + 1;
        let mut spilled: Vec<&compile::Marker> = markers
            .iter()
            .filter(|m| m.folio == folio && m.page > own_last)
            .collect();
        if spilled.is_empty() {
            if page.content.kind.pages.max > 1
                && let Some(end) = file_marks.iter().find(|m| m.folio == folio && m.end)
                && let Some(warning) = flow_short(page, end, own_last, &measure)
            {
                fit.warnings.push(warning);
            }
            continue;
        }
        spilled.sort_by_key(|m| m.page);
        // How far the content runs past the file's pages: whole pages beyond, then the last.
        let last_page = spilled.iter().map(|m| m.page).max().unwrap_or(own_last);
        let deepest = spilled
            .iter()
            .filter(|m| m.page == last_page)
            .map(|m| m.y)
            .fold(0.0_f64, f64::max);
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
        let whole_pages = last_page.saturating_sub(own_last + 1) as f64;
        // On the last page, how far the body ran: where it ended (in its column, as a share of
        // the whole text area), else the deepest block there.
        let end = file_marks
            .iter()
            .find(|m| m.folio == folio && m.end && m.page == last_page);
        let on_last_page = match end {
            Some(end) => measure.run_to(end),
            None => deepest - measure.top_pt,
        };
        let by_position = whole_pages * measure.body_height_pt + on_last_page.max(measure.line_pt);
        // What was pushed off may be a float (an article's box, set at the foot of the next
        // page): then the room its regions take, as full-width height, says more.
        let pushed_area: f64 = regions
            .iter()
            .filter(|r| r.folio == folio && r.page > own_last && unfit.contains(&r.field))
            .map(|r| (r.rect[2] - r.rect[0]).max(0.0) * (r.rect[3] - r.rect[1]).max(0.0))
            .sum();
        let over_pt = by_position
            .max(pushed_area / measure.body_width_pt)
            .max(measure.line_pt);

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
        fit.errors.push(
            page.diagnostic(
                span,
                field,
                Problem::Overflow {
                    pages: page.folios.to_string(),
                    over_mm: (over_pt * MM_PER_PT).ceil() as u32,
                    lines,
                    chars: lines * measure.chars_per_line,
                    unfit: unfit
                        .iter()
                        .map(|f| {
                            kind.field_words(&FieldPath::parse(f))
                                .unwrap_or_else(|| Words::new(f.clone(), f.clone()))
                        })
                        .collect(),
                    shorten,
                    shorten_chars,
                },
            ),
        );
    }
    if fit.errors.is_empty() && document.pages().len() != issue.page_count() as usize {
        // Something without a marker (a running foot, say) pushed a page over.
        if let Some(page) = issue.pages.iter().last() {
            fit.errors.push(page.source.diagnostic(
                0..0,
                FieldPath::root(),
                Problem::Overflow {
                    pages: page.folios.to_string(),
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
        let index = spans
            .iter()
            .position(|(first, last)| (*first..=*last).contains(&page_number))
            .unwrap_or(issue.pages.len() - 1);
        let page = &issue.pages.as_slice()[index];
        fit.errors.push(page.source.diagnostic(
            0..0,
            FieldPath::root(),
            Problem::MissingGlyph { ch },
        ));
    }
    fit
}

/// A flowing file's last page may leave this much of its columns empty (a share of all its
/// columns' length) before koho warns: less is the ordinary end of an article.
const FLOW_EMPTY_WARNED: f64 = 0.3;

/// The warning for a flowing file whose body ended (`end`) well before the bottom of its last
/// page (`own_last`, a document page), if it did. The empty space is measured as it is on the
/// page: the column the body ended in below its end, and each column after it whole — an
/// empty third column of a notices page is a column's length, not a third of it.
fn flow_short(
    page: &crate::content::model::Page,
    end: &compile::FileMark,
    own_last: usize,
    measure: &Measure,
) -> Option<Diagnostic> {
    let empty_pages = own_last.saturating_sub(end.page) as u32;
    let (empty_pt, empty_columns) = measure.left_after(end);
    let columns = f64::from(end.columns.max(1));
    if empty_pages == 0 && empty_pt < measure.body_height_pt * columns * FLOW_EMPTY_WARNED {
        return None;
    }
    Some(page.source.diagnostic(
        0..0,
        FieldPath::root(),
        Problem::FlowShort {
            folios: page.folios.to_string(),
            empty_pages,
            empty_mm: (empty_pt * MM_PER_PT).round() as u32,
            empty_columns,
            columns: end.columns.max(1),
        },
    ))
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
    /// The text area's width, and the margin on either side (which side is inside differs).
    body_width_pt: f64,
    inside_pt: f64,
    outside_pt: f64,
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
            body_width_pt: width,
            inside_pt: m.inside.pt(),
            outside_pt: m.outside.pt(),
            line_pt: body * LINE_PER_SIZE,
            // Japanese text sets one character per em.
            chars_per_line: (width / body).floor().max(1.0) as u32,
        }
    }
}

impl Measure {
    /// What a body ending at `end` leaves of its page's columns, at their real length: the
    /// space below the end in its column and every column after it, in points of column
    /// length, and how many columns after it are wholly empty.
    fn left_after(&self, end: &compile::FileMark) -> (f64, u32) {
        let columns = f64::from(end.columns.max(1));
        let column_width = self.body_width_pt / columns;
        let left = self.inside_pt.min(self.outside_pt);
        let column = ((end.x - left) / column_width)
            .floor()
            .clamp(0.0, columns - 1.0);
        let below = (self.body_height_pt - (end.y - self.top_pt).max(0.0)).max(0.0);
        let after = columns - 1.0 - column;
        (below + after * self.body_height_pt, after as u32)
    }

    /// How much of a page's text area a body ending at `end` filled, as full-width height: in
    /// columns, the columns before the one it ended in count whole.
    fn run_to(&self, end: &compile::FileMark) -> f64 {
        let columns = f64::from(end.columns);
        let column_width = self.body_width_pt / columns;
        // The text area starts after the left margin, inside or outside by the page's side;
        // the column is found either way when margins differ by less than a column.
        let left = self.inside_pt.min(self.outside_pt);
        let column = ((end.x - left) / column_width)
            .floor()
            .clamp(0.0, columns - 1.0);
        (column * self.body_height_pt + (end.y - self.top_pt).max(0.0)) / columns
    }
}
