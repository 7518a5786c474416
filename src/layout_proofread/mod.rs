//! 組版チェック — the layout proofread (DESIGN §13): the typeset pages read back line by line,
//! and every typographic fault the rules in `layouts/lib/` could not prevent reported as a
//! warning at the field it is in, with the lever in the content file that fixes it.
//!
//! What it reads: the lines of text typst set (`lines.rs`), the regions the templates mark
//! for each field (`render::compile::regions`, the same the proofs and the preview pointer
//! use), and the pattern of tokens that must not break, as `layouts/lib/rules.typ` wrote it
//! into the document (so a project's own rules are checked as its own).
//!
//! What it finds:
//! - a date with its weekday, a time span, a figure with its unit, a phone number or a
//!   postcode broken across two lines;
//! - a title, heading, table cell or short paragraph whose last line holds one or two
//!   characters (a runt);
//! - text set below `type_limits.minimum` (a box that shrank its text to fit);
//! - text running off the page, and text printed over other text;
//! - a chapter's photo before the column its text starts in, or more than one column after.

mod lines;

use std::collections::BTreeMap;

use regex::Regex;
use typst_layout::PagedDocument;

use crate::area;
use crate::content::model::{Issue, Page};
use crate::diag::{Diagnostic, FieldPath, Problem};
use crate::layout::Magazine;
use crate::render::compile::{self, Region};
use crate::schema::FieldType;
use lines::Line;

pub use lines::is_visible;

/// Millimetres in a point.
const MM_PER_PT: f64 = 25.4 / 72.0;
/// How much text runs past the trim before it counts (points): a glyph's side bearing does not.
const OFF_PAGE_SLACK_PT: f64 = 0.5;
/// How much two lines' boxes must overlap (as a share of the smaller's height and at least
/// this many points across) to count as one printed over the other.
const OVERPRINT_SHARE: f64 = 0.35;
const OVERPRINT_MIN_PT: f64 = 2.0;
/// A paragraph of running text longer than this many lines may end on a short line.
const SHORT_PARAGRAPH_LINES: usize = 3;
/// Lines of one paragraph are set in one size (points of difference allowed).
const SAME_SIZE_PT: f64 = 0.3;
/// At most this many characters of a line are quoted in a warning.
const QUOTED_CHARS: usize = 24;
/// A display line of at most this many characters is a runt (JLREQ: a last line of one or two
/// characters).
const RUNT_CHARS: usize = 2;

/// Every fault the 組版チェック finds in the typeset `document` of `issue`, as warnings.
pub fn proofread(issue: &Issue, document: &PagedDocument, format: &Magazine) -> Vec<Diagnostic> {
    let regions = compile::regions(document);
    let lines = lines::lines(document);
    let folios: Vec<u32> = issue.folios().collect();
    let sheet = Sheet {
        issue,
        regions: &regions,
        folios: &folios,
        width_pt: format.trim.width.pt(),
        height_pt: format.trim.height.pt(),
    };
    let placed: Vec<Placed> = lines
        .iter()
        .filter(|line| sheet.on_the_page(line))
        .map(|line| sheet.place(line))
        .collect();
    let mut found = Found::default();
    if let Some(pattern) = compile::rules_pattern(document)
        && let Ok(unbroken) = Regex::new(&pattern)
    {
        broken_tokens(&placed, &unbroken, &mut found);
    }
    runts(&placed, &mut found);
    set_too_small(&placed, format.type_limits.minimum.get(), &mut found);
    off_page(&placed, &sheet, &mut found);
    overprints(&placed, &mut found);
    let mut diagnostics = found.into_diagnostics();
    diagnostics.extend(photos_away(
        issue,
        &regions,
        &compile::file_marks(document),
        format,
    ));
    diagnostics
}

/// Where a region lies in the order a reader takes an article: the page, then the column.
fn column_order(region: &Region, columns: u32, format: &Magazine) -> (usize, u32) {
    let margins = &format.margins;
    let left = margins.inside.pt().min(margins.outside.pt());
    let width = format.trim.width.pt() - margins.inside.pt() - margins.outside.pt();
    let column_width = width / f64::from(columns.max(1));
    let column = ((region.rect[0] + 1.0 - left) / column_width)
        .floor()
        .clamp(0.0, f64::from(columns.max(1) - 1));
    (region.page, column as u32)
}

/// Photos of a list entry (an article's chapter) that landed away from their entry's text:
/// before the column the entry starts in, or more than one column after it (DESIGN §13: at
/// the top or foot of the column the chapter starts in, or the top of the next).
fn photos_away(
    issue: &Issue,
    regions: &[Region],
    marks: &[compile::FileMark],
    format: &Magazine,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in issue.pages.iter() {
        let folio = page.folio().get();
        // The end of the file's body says how many columns it is set in.
        let columns = marks
            .iter()
            .find(|m| m.folio == folio && m.end)
            .map_or(1, |m| m.columns);
        if columns < 2 {
            continue;
        }
        let kind = &page.content.kind;
        let own: Vec<&Region> = regions.iter().filter(|r| r.folio == folio).collect();
        for photo in &own {
            let path = FieldPath::parse(&photo.field);
            if !matches!(kind.type_at(&path), Some(FieldType::Photo { .. })) {
                continue;
            }
            let Some((entry, _)) = photo.field.rsplit_once('.') else {
                continue;
            };
            // Where the entry's other fields begin: its heading, its text.
            let prefix = format!("{entry}.");
            let Some(start) = own
                .iter()
                .filter(|r| r.field.starts_with(&prefix) && r.field != photo.field)
                .map(|r| (column_order(r, columns, format), r.rect[1]))
                .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
                .map(|(order, _)| order)
            else {
                continue;
            };
            let ordinal =
                |(page, column): (usize, u32)| page as i64 * i64::from(columns) + i64::from(column);
            let at = column_order(photo, columns, format);
            let away = ordinal(at) - ordinal(start);
            if !(0..=1).contains(&away) {
                let printed = |page: usize| issue.folios().nth(page - 1).unwrap_or(folio);
                let span = page.spans.get(&photo.field).unwrap_or(0..0);
                found.push(page.diagnostic(
                    span,
                    path,
                    Problem::PhotoAway {
                        folio: printed(at.0),
                        column: at.1 + 1,
                        text_folio: printed(start.0),
                        text_column: start.1 + 1,
                    },
                ));
            }
        }
    }
    found
}

/// The document's pages and what is known of where each field landed.
struct Sheet<'a> {
    issue: &'a Issue,
    regions: &'a [Region],
    /// The folio of each document page (index 0 is page 1).
    folios: &'a [u32],
    width_pt: f64,
    height_pt: f64,
}

/// A line with the page file and the field it was found in.
struct Placed<'a> {
    line: &'a Line,
    /// The folio printed on the line's page.
    folio: u32,
    /// The page file the line belongs to (by the region it lies in, else the page's file).
    page: Option<&'a Page>,
    /// The field whose region holds it, when one does.
    field: Option<&'a str>,
}

impl Placed<'_> {
    /// The schema's type of the line's field.
    fn field_type(&self) -> Option<&FieldType> {
        self.page?
            .content
            .kind
            .type_at(&FieldPath::parse(self.field?))
    }

    /// Whether the line's field holds one value (not a list or a group of fields).
    fn is_scalar(&self) -> bool {
        !matches!(
            self.field_type(),
            None | Some(FieldType::List(_) | FieldType::Object(_))
        )
    }

    /// The key two lines share when they are of one field of one page file.
    fn key(&self) -> (u32, &str) {
        (
            self.page.map_or(0, |p| p.folio().get()),
            self.field.unwrap_or(""),
        )
    }
}

impl<'a> Sheet<'a> {
    /// Whether any of the line lies on the trimmed page (the slug holds marks and the stamp).
    fn on_the_page(&self, line: &Line) -> bool {
        line.right > 0.0
            && line.left < self.width_pt
            && line.baseline > 0.0
            && line.baseline < self.height_pt
    }

    fn place(&self, line: &'a Line) -> Placed<'a> {
        let folio = self.folios.get(line.page - 1).copied().unwrap_or(0);
        let on_page: Vec<&Region> = self
            .regions
            .iter()
            .filter(|r| r.page == line.page)
            .collect();
        // By the line's middle; a line that runs far out of its field (off the page, say) by
        // where it starts.
        let region = area::under(line.anchor(), &on_page, |r| r.rect, 0.0)
            .or_else(|| area::under(line.start(), &on_page, |r| r.rect, 0.0));
        let page = match region {
            Some(r) => self.issue.pages.iter().find(|p| p.folio().get() == r.folio),
            None => self.issue.page_at(folio),
        };
        Placed {
            line,
            folio,
            page,
            field: region.map(|r| r.field.as_str()),
        }
    }
}

/// The warnings found, one per fault and field (the first place it shows).
#[derive(Default)]
struct Found<'a> {
    seen: BTreeMap<(u32, String, &'static str, String), ()>,
    list: Vec<(&'a Placed<'a>, Problem)>,
}

impl<'a> Found<'a> {
    /// Records `problem` at `at`, once per field and kind of fault and `what`.
    fn add(&mut self, at: &'a Placed<'a>, problem: Problem, what: &str) {
        let (folio, field) = at.key();
        let key = (folio, field.to_owned(), problem.kind(), what.to_owned());
        if self.seen.insert(key, ()).is_none() {
            self.list.push((at, problem));
        }
    }

    /// The warnings in the order an editor reads them: page file by page file, and within
    /// one by where its fields are written.
    fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut located: Vec<(u32, usize, Diagnostic)> = self
            .list
            .into_iter()
            .filter_map(|(at, problem)| {
                let page = at.page?;
                let path = at.field.map_or_else(FieldPath::root, FieldPath::parse);
                let span = page.spans.get(&path.to_string()).unwrap_or(0..0);
                Some((
                    page.folio().get(),
                    span.start,
                    page.diagnostic(span, path, problem),
                ))
            })
            .collect();
        located.sort_by_key(|(folio, start, _)| (*folio, *start));
        located.into_iter().map(|(_, _, d)| d).collect()
    }
}

/// Whether `next` continues `line`'s paragraph: of the same field and size where they meet,
/// and the line below it (starting at the same left edge, or left of it after a first-line
/// indent), the top of the next column, or the next page. Table cells side by side, and a
/// figure over its label in another size, are not. A scalar field (a figure with its unit, a
/// date) prints as one run of words even where its parts differ in size and alignment
/// (108,950 and 世帯, set right): its next line is below it, wherever it starts.
fn continues(line: &Placed, next: &Placed) -> bool {
    let (a, b) = (line.line, next.line);
    let scalar = line.is_scalar();
    let size = a.last_size.max(b.first_size);
    let sizes_agree = (a.last_size - b.first_size).abs() <= SAME_SIZE_PT;
    if line.key() != next.key() || !(sizes_agree || scalar) {
        return false;
    }
    let step = b.baseline - a.baseline;
    let aligned = b.left <= a.left + a.first_size * 0.5 && b.left >= a.left - a.first_size * 2.5;
    let below = b.page == a.page && step > size * 0.8 && step < size * 2.5 && (aligned || scalar);
    let next_column = b.page == a.page && step < -size && b.left > a.right - size;
    below || next_column || b.page == a.page + 1
}

/// Tokens the rules keep whole (dates with weekdays, time spans, figures with units, phone
/// numbers, postcodes) that came out broken across two lines.
fn broken_tokens<'a>(placed: &'a [Placed<'a>], unbroken: &Regex, found: &mut Found<'a>) {
    for pair in placed.windows(2) {
        let (line, next) = (&pair[0], &pair[1]);
        if !continues(line, next) {
            continue;
        }
        let head: String = line
            .line
            .text
            .trim_end_matches(|c| !is_visible(c))
            .to_owned();
        let tail = next.line.text.trim_start_matches(|c| !is_visible(c));
        let seam = head.len();
        let joined = format!("{head}{tail}");
        for m in unbroken.find_iter(&joined) {
            // A token starts at a word's start: not inside a longer number (P10 then 9:30 in
            // the next row is no time 09:30).
            let inside_number = joined[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
            if m.start() < seam && m.end() > seam && !inside_number {
                let token: String = m.as_str().chars().filter(|c| is_visible(*c)).collect();
                found.add(
                    line,
                    Problem::BrokenToken {
                        folio: line.folio,
                        token: token.clone(),
                    },
                    &token,
                );
            }
        }
    }
}

/// Short texts — titles, headings, table cells, a lead of a few lines — whose last line
/// holds one or two characters. Running text (a `paragraphs` field's paragraphs of more than
/// [`SHORT_PARAGRAPH_LINES`] lines) is left to typst's own runt cost.
fn runts<'a>(placed: &'a [Placed<'a>], found: &mut Found<'a>) {
    let mut start = 0;
    for end in 1..=placed.len() {
        if end < placed.len() && continues(&placed[end - 1], &placed[end]) {
            continue;
        }
        let paragraph = &placed[start..end];
        start = end;
        let (Some(last), true) = (paragraph.last(), paragraph.len() >= 2) else {
            continue;
        };
        let running = paragraph.len() > SHORT_PARAGRAPH_LINES
            && matches!(last.field_type(), Some(FieldType::Paragraphs { .. }));
        let chars = last.line.visible_chars();
        if running || chars == 0 || chars > RUNT_CHARS || last.field.is_none() {
            continue;
        }
        let text: String = last.line.text.chars().filter(|c| is_visible(*c)).collect();
        found.add(
            last,
            Problem::DisplayRunt {
                folio: last.folio,
                lines: paragraph.len(),
                last: text.clone(),
            },
            &text,
        );
    }
}

/// Text set below the format's smallest size (a box that shrank its text to fit).
fn set_too_small<'a>(placed: &'a [Placed<'a>], minimum_pt: f64, found: &mut Found<'a>) {
    for p in placed {
        if p.line.smallest + 0.05 < minimum_pt && p.line.visible_chars() > 0 {
            found.add(
                p,
                Problem::SetTooSmall {
                    folio: p.folio,
                    size_pt: format!("{:.1}", p.line.smallest),
                    minimum_pt: format!("{minimum_pt:.1}"),
                },
                "",
            );
        }
    }
}

/// Text that runs past the trim.
fn off_page<'a>(placed: &'a [Placed<'a>], sheet: &Sheet, found: &mut Found<'a>) {
    for p in placed {
        let over = (p.line.right - sheet.width_pt).max(-p.line.left);
        if over > OFF_PAGE_SLACK_PT {
            found.add(
                p,
                Problem::OffPage {
                    folio: p.folio,
                    text: quoted(&p.line.text),
                    over_mm: (over * MM_PER_PT).ceil() as u32,
                },
                "",
            );
        }
    }
}

/// Lines printed over other lines.
fn overprints<'a>(placed: &'a [Placed<'a>], found: &mut Found<'a>) {
    let mut by_page: BTreeMap<usize, Vec<&'a Placed<'a>>> = BTreeMap::new();
    for p in placed.iter().filter(|p| p.line.visible_chars() > 0) {
        by_page.entry(p.line.page).or_default().push(p);
    }
    for lines in by_page.values_mut() {
        lines.sort_by(|a, b| a.line.baseline.total_cmp(&b.line.baseline));
        for (i, a) in lines.iter().enumerate() {
            for b in &lines[i + 1..] {
                if b.line.baseline - a.line.baseline > a.line.size.max(b.line.size) {
                    break;
                }
                let overlapping = a.line.boxes.iter().any(|ra| {
                    b.line.boxes.iter().any(|rb| {
                        let across = ra[2].min(rb[2]) - ra[0].max(rb[0]);
                        let down = ra[3].min(rb[3]) - ra[1].max(rb[1]);
                        let smaller = (ra[3] - ra[1]).min(rb[3] - rb[1]);
                        across > OVERPRINT_MIN_PT && down > smaller * OVERPRINT_SHARE
                    })
                });
                if overlapping {
                    // The later line (in reading order) is the one that ran into the other.
                    let (runner, under) = if a.line.left <= b.line.left {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    found.add(
                        runner,
                        Problem::Overprint {
                            folio: runner.folio,
                            text: quoted(&runner.line.text),
                            other: quoted(&under.line.text),
                        },
                        "",
                    );
                }
            }
        }
    }
}

/// The start of a line, as a warning quotes it.
fn quoted(text: &str) -> String {
    let visible: String = text.chars().filter(|c| *c != '\u{200B}').collect();
    let mut chars = visible.trim().chars();
    let head: String = chars.by_ref().take(QUOTED_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
