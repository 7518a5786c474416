//! The typeset text read back as lines: every run of glyphs typst placed, with its page,
//! position and size, gathered into the lines a reader sees, in the order typst set them.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// One run of glyphs as placed on its page.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    page: usize,
    x: f64,
    baseline: f64,
    width: f64,
    size: f64,
    text: String,
}

/// One line of typeset text: runs on one baseline, each starting where the last ended (or
/// a little after: a space, a boxed token).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The page of the document (from 1).
    pub page: usize,
    /// Left edge, in points from the trim's left.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// The baseline, in points from the trim's top.
    pub baseline: f64,
    /// The largest type size on the line, in points, as printed (scaling included).
    pub size: f64,
    /// The smallest type size on the line, as printed.
    pub smallest: f64,
    /// The size of its first run and of its last: where a line's text meets the line before
    /// and the line after.
    pub first_size: f64,
    /// The size of its last run.
    pub last_size: f64,
    /// The line's characters.
    pub text: String,
    /// Each run's box (left, top, right, bottom), by its own size: a line that holds a big
    /// figure beside small words is not as tall as the figure all along.
    pub boxes: Vec<[f64; 4]>,
}

impl Line {
    /// Where a field's region is looked up for the line: a little above its baseline, at its
    /// middle.
    pub fn anchor(&self) -> (f64, f64) {
        (
            (self.left + self.right) / 2.0,
            self.baseline - self.size * 0.4,
        )
    }

    /// Where the line starts: its first character, a little above its baseline.
    pub fn start(&self) -> (f64, f64) {
        (
            self.left + self.first_size * 0.5,
            self.baseline - self.first_size * 0.4,
        )
    }

    /// The characters a reader sees (no spaces or invisible break marks).
    pub fn visible_chars(&self) -> usize {
        self.text.chars().filter(|c| is_visible(*c)).count()
    }
}

impl Run {
    /// The run's box: from the baseline up and down by shares of its size.
    fn rect(&self) -> [f64; 4] {
        [
            self.x,
            self.baseline - self.size * ASCENT,
            self.x + self.width,
            self.baseline + self.size * DESCENT,
        ]
    }
}

/// Whether `c` prints: not a space, not a break mark (U+200B) or a word joiner.
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}'))
}

/// The share of a type size above the baseline and below it, for a line's box.
const ASCENT: f64 = 0.88;
const DESCENT: f64 = 0.12;
/// Runs whose baselines differ by less than this (points) are on one line.
const SAME_BASELINE: f64 = 0.6;
/// A run starting further than this many type sizes after the last one's end starts a new
/// line (another column or table cell on the same baseline).
const MAX_GAP_EMS: f64 = 1.2;

/// Every line of text of the document, page by page, in the order typst set them.
pub fn lines(document: &PagedDocument) -> Vec<Line> {
    let mut runs = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        collect(&page.frame, Transform::identity(), index + 1, &mut runs);
    }
    let mut lines: Vec<Line> = Vec::new();
    for run in runs {
        if let Some(line) = lines.last_mut()
            && line.page == run.page
            && (line.baseline - run.baseline).abs() < SAME_BASELINE
            && run.x >= line.right - SAME_BASELINE
            && run.x - line.right < MAX_GAP_EMS * run.size.max(line.size)
        {
            line.right = line.right.max(run.x + run.width);
            line.size = line.size.max(run.size);
            line.smallest = line.smallest.min(run.size);
            line.last_size = run.size;
            line.text.push_str(&run.text);
            line.boxes.push(run.rect());
            continue;
        }
        let boxes = vec![run.rect()];
        lines.push(Line {
            page: run.page,
            left: run.x,
            right: run.x + run.width,
            baseline: run.baseline,
            size: run.size,
            smallest: run.size,
            first_size: run.size,
            last_size: run.size,
            text: run.text,
            boxes,
        });
    }
    lines
}

fn collect(frame: &Frame, ts: Transform, page: usize, runs: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                collect(&group.frame, here.pre_concat(group.transform), page, runs)
            }
            FrameItem::Text(text) if !text.glyphs.is_empty() => {
                let origin = Point::zero().transform(here);
                let scale = here.sy.get().abs();
                let width = text.width().to_pt() * here.sx.get().abs();
                runs.push(Run {
                    page,
                    x: origin.x.to_pt(),
                    baseline: origin.y.to_pt(),
                    width,
                    size: text.size.to_pt() * scale,
                    text: text.text.to_string(),
                });
            }
            _ => {}
        }
    }
}
