//! The content model: an issue and its pages, in types that cannot hold a bad value.
//!
//! Values are built only by the loader (`issue.rs`, `pledge.rs`) after checking; a
//! [`Percent`] is 0–100, a [`Bounded`] list has a length within its bounds, a [`Text`] is
//! never blank, a [`CalendarDate`] is a real date.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use super::photo::PhotoPixels;
use super::rollup::Rollup;
use crate::diag::{FieldPath, Source};

/// A figure on the page: a whole number from 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Percent(u8);

impl Percent {
    /// The largest figure.
    pub const MAX: u8 = 100;

    /// The figure, if `value` is within 0–100.
    pub fn new(value: i128) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(Percent)
    }

    /// The figure as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Text that holds at least one visible character, trimmed at both ends.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// The text, if it holds more than white space.
    pub fn new(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| Text(trimmed.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A list whose length is between `MIN` and `MAX` (inclusive).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Bounded<T, const MIN: usize, const MAX: usize>(Vec<T>);

impl<T, const MIN: usize, const MAX: usize> Bounded<T, MIN, MAX> {
    /// The fewest entries.
    pub const MIN: usize = MIN;
    /// The most entries.
    pub const MAX: usize = MAX;

    /// The list, if its length is within bounds; otherwise it is handed back.
    pub fn new(items: Vec<T>) -> Result<Self, Vec<T>> {
        if (MIN..=MAX).contains(&items.len()) {
            Ok(Self(items))
        } else {
            Err(items)
        }
    }

    /// The entries.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The entries, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none (only possible when `MIN` is 0).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a, T, const MIN: usize, const MAX: usize> IntoIterator for &'a Bounded<T, MIN, MAX> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// A real calendar date (proleptic Gregorian), as written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CalendarDate {
    /// The date, if it exists on the calendar (years 1–9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days_in_month).contains(&day)).then_some(Self { year, month, day })
    }

    /// Reads `YYYY-MM-DD` exactly (ASCII digits, two-digit month and day).
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: Range<usize>| -> Option<u16> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        Self::new(number(0..4)?, number(5..7)? as u8, number(8..10)? as u8)
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where each value of a file was written: field path (as displayed) → bytes of the source.
///
/// Later stages use it to name the file and line of a field (an overflowing label, a proof
/// comment) without going back to the YAML.
#[derive(Clone, Debug, Default)]
pub struct FieldSpans(BTreeMap<String, Range<usize>>);

impl FieldSpans {
    /// Records where the value at `path` was written.
    pub fn record(&mut self, path: &FieldPath, span: Range<usize>) {
        self.0.insert(path.to_string(), span);
    }

    /// Where the value at `path` (as displayed, `visions[3].items[2].label`) was written.
    pub fn get(&self, path: &str) -> Option<Range<usize>> {
        self.0.get(path).cloned()
    }

    /// Every recorded field (as displayed) with where it was written.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Range<usize>)> {
        self.0.iter()
    }
}

/// An issue of the magazine: `issue.yaml` and the pages it lists.
#[derive(Clone, Debug)]
pub struct Issue {
    /// The issue folder.
    pub dir: PathBuf,
    /// The folder's name, which names the outputs (`2026-06`).
    pub name: String,
    /// The magazine's name, printed in the running foot.
    pub magazine: Text,
    /// 発行日.
    pub issue_date: CalendarDate,
    /// 通巻号数, when given.
    pub number: Option<NonZeroU32>,
    /// The pages in print order (at least one).
    pub pages: Bounded<Page, 1, { usize::MAX }>,
}

impl Issue {
    /// The files the issue is made from, by their path inside the issue folder: `issue.yaml`,
    /// the page files and the photos, each once, in print order.
    pub fn source_files(&self) -> Vec<PathBuf> {
        let mut files = vec![PathBuf::from(super::ISSUE_FILE)];
        for page in self.pages.iter() {
            files.push(PathBuf::from(&page.file));
            let PageContent::PledgeProgress(content) = &page.content;
            for highlight in content.highlights.iter().flat_map(|h| h.items.iter()) {
                if let Some(photo) = &highlight.photo {
                    files.push(PathBuf::from(&photo.file));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| seen.insert(f.clone()));
        files
    }
}

/// One page of an issue.
#[derive(Clone, Debug)]
pub struct Page {
    /// The page file, as written in `issue.yaml`.
    pub file: String,
    /// The printed page number (ノンブル).
    pub folio: NonZeroU32,
    /// The page file's text, for locating fields.
    pub source: Source,
    /// Where each field of the page file was written.
    pub spans: FieldSpans,
    /// What the page holds, by layout.
    pub content: PageContent,
}

/// A page's content, one variant per layout.
#[derive(Clone, Debug)]
pub enum PageContent {
    /// Layout `pledge-progress`: 市長公約の取組状況.
    PledgeProgress(PledgeProgress),
}

impl PageContent {
    /// The layout's name, as written in the page file.
    pub fn layout_name(&self) -> &'static str {
        match self {
            PageContent::PledgeProgress(_) => super::pledge::LAYOUT_NAME,
        }
    }
}

/// The `pledge-progress` page: visions with their progress figures, and highlights.
#[derive(Clone, Debug, Serialize)]
pub struct PledgeProgress {
    /// Section tab / running head (市政トピックス).
    pub section: Text,
    /// The page title.
    pub title: Text,
    /// Who to ask.
    pub contact: Option<Contact>,
    /// The lead paragraph.
    pub lead: Option<Text>,
    /// How a vision's figure follows from its items.
    pub rollup: Rollup,
    /// ビジョン01…, 1 to 8.
    pub visions: Bounded<Vision, 1, 8>,
    /// The initiatives shown with photos.
    pub highlights: Option<Highlights>,
    /// The closing line.
    pub note: Option<Text>,
}

impl PledgeProgress {
    /// Every text the page prints, with its field path, in reading order.
    pub fn text_fields(&self) -> Vec<(FieldPath, &str)> {
        let root = FieldPath::root();
        let mut out: Vec<(FieldPath, &str)> = vec![
            (root.key("section"), self.section.as_str()),
            (root.key("title"), self.title.as_str()),
        ];
        if let Some(contact) = &self.contact {
            let path = root.key("contact");
            out.push((path.key("label"), contact.label.as_str()));
            out.push((path.key("department"), contact.department.as_str()));
            if let Some(phone) = &contact.phone {
                out.push((path.key("phone"), phone.as_str()));
            }
        }
        if let Some(lead) = &self.lead {
            out.push((root.key("lead"), lead.as_str()));
        }
        for (v, vision) in self.visions.iter().enumerate() {
            let path = root.key("visions").index(v);
            out.push((path.key("title"), vision.title.as_str()));
            if let Some(slogan) = &vision.slogan {
                out.push((path.key("slogan"), slogan.as_str()));
            }
            for (i, item) in vision.items.iter().enumerate() {
                out.push((path.key("items").index(i).key("label"), item.label.as_str()));
            }
        }
        if let Some(highlights) = &self.highlights {
            let path = root.key("highlights");
            if let Some(heading) = &highlights.heading {
                out.push((path.key("heading"), heading.as_str()));
            }
            for (i, item) in highlights.items.iter().enumerate() {
                let path = path.key("items").index(i);
                out.push((path.key("title"), item.title.as_str()));
                if let Some(body) = &item.body {
                    out.push((path.key("body"), body.as_str()));
                }
                if let Some(photo) = &item.photo
                    && let Some(caption) = &photo.caption
                {
                    out.push((path.key("photo").key("caption"), caption.as_str()));
                }
            }
        }
        if let Some(note) = &self.note {
            out.push((root.key("note"), note.as_str()));
        }
        out
    }
}

/// The contact line (問 / 詳細 政策推進課 (32)6039).
#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    /// 問, 詳細 …
    pub label: Text,
    /// The department.
    pub department: Text,
    /// The phone number, as printed.
    pub phone: Option<Text>,
}

/// One vision of the pledge and its items.
#[derive(Clone, Debug, Serialize)]
pub struct Vision {
    /// Its title.
    pub title: Text,
    /// Its slogan.
    pub slogan: Option<Text>,
    /// Its figure: as stated, or derived from the items by the page's rollup.
    pub percent: Percent,
    /// Its items, 1 to 6.
    pub items: Bounded<Item, 1, 6>,
}

/// One item of a vision.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// What the item is.
    pub label: Text,
    /// How far it has come.
    pub percent: Percent,
}

/// The initiatives section.
#[derive(Clone, Debug, Serialize)]
pub struct Highlights {
    /// The section's heading.
    pub heading: Option<Text>,
    /// ①②…, 0 to 3.
    pub items: Bounded<Highlight, 0, 3>,
}

/// One initiative.
#[derive(Clone, Debug, Serialize)]
pub struct Highlight {
    /// Its title.
    pub title: Text,
    /// Its text.
    pub body: Option<Text>,
    /// Its photo.
    pub photo: Option<Photo>,
}

/// A photo inside the issue folder, checked to decode.
#[derive(Clone, Debug, Serialize)]
pub struct Photo {
    /// The path as written, relative to the issue folder.
    pub file: String,
    /// The file on disk.
    #[serde(skip)]
    pub path: PathBuf,
    /// What the photo shows, for screen readers.
    pub alt: Text,
    /// The caption printed under it.
    pub caption: Option<Text>,
    /// Its pixels.
    #[serde(skip)]
    pub pixels: PhotoPixels,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_zero_to_hundred() {
        assert_eq!(Percent::new(0).map(Percent::get), Some(0));
        assert_eq!(Percent::new(100).map(Percent::get), Some(100));
        assert_eq!(Percent::new(101), None);
        assert_eq!(Percent::new(-1), None);
    }

    #[test]
    fn dates_must_exist() {
        assert!(CalendarDate::parse("2026-06-01").is_some());
        assert!(CalendarDate::parse("2024-02-29").is_some());
        assert!(CalendarDate::parse("2026-02-29").is_none());
        assert!(CalendarDate::parse("1900-02-29").is_none());
        assert!(CalendarDate::parse("2026-13-01").is_none());
        assert!(CalendarDate::parse("2026-6-1").is_none());
        assert!(CalendarDate::parse("２０２６-06-01").is_none());
    }

    #[test]
    fn bounded_lists_keep_their_bounds() {
        assert!(Bounded::<u8, 1, 2>::new(vec![]).is_err());
        assert!(Bounded::<u8, 1, 2>::new(vec![1, 2, 3]).is_err());
        assert_eq!(Bounded::<u8, 1, 2>::new(vec![1]).unwrap().len(), 1);
    }

    #[test]
    fn text_is_never_blank() {
        assert!(Text::new("  \n").is_none());
        assert_eq!(Text::new(" 苫小牧 ").unwrap().as_str(), "苫小牧");
    }
}
