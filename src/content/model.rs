//! The content model: an issue and its pages, in types that cannot hold a bad value.
//!
//! Values are built only by the loader (`issue.rs`, `page.rs`) after checking; a
//! [`Percent`] is 0–100, a [`Bounded`] list has a length within its bounds, a [`Text`] is
//! never blank, a [`CalendarDate`] is a real date.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::photo::PhotoPixels;
use super::value::{Object, Value};
use crate::diag::{FieldPath, Source};
use crate::schema::Kind;

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

    /// The entries, in order, to change (a rule across issues fills a figure).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.0.iter_mut()
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

    /// The same day of the next month, or that month's last day when it is shorter
    /// (2026-01-31 → 2026-02-28); `None` after 9999-12.
    pub fn next_month(self) -> Option<Self> {
        let (year, month) = if self.month == 12 {
            (self.year.checked_add(1)?, 1)
        } else {
            (self.year, self.month + 1)
        };
        (1..=self.day)
            .rev()
            .find_map(|day| Self::new(year, month, day))
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days(self) -> i64 {
        // H. Hinnant's days-from-civil.
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (before it when negative), in years 1–9999.
    pub fn from_days(days: i64) -> Option<Self> {
        // H. Hinnant's civil-from-days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(1..=9999).contains(&year) {
            return None;
        }
        Self::new(year as u16, month as u8, day as u8)
    }

    /// The day of the week, 0 for Monday to 6 for Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        (self.days() + 3).rem_euclid(7) as u8
    }

    /// The day of the week in one Japanese character (月 火 水 木 金 土 日).
    pub fn weekday_ja(self) -> &'static str {
        ["月", "火", "水", "木", "金", "土", "日"][usize::from(self.weekday())]
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

/// A 全国地方公共団体コード: six ASCII digits, the last a check digit (JIS X 0401/0402), as
/// 012131 for 苫小牧市.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalGovCode(String);

impl LocalGovCode {
    /// Reads a code; `Err` carries the check digit the first five digits call for, when they
    /// are five digits.
    pub fn parse(text: &str) -> Result<Self, Option<char>> {
        let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
        if text.len() != 6 || digits.len() != 6 {
            return Err(None);
        }
        let check = Self::check_digit(&digits[..5]);
        if digits[5] == check {
            Ok(LocalGovCode(text.to_owned()))
        } else {
            Err(char::from_digit(check, 10))
        }
    }

    /// The check digit of five digits: 11 less the weighted sum (6, 5, 4, 3, 2) modulo 11,
    /// its last digit.
    fn check_digit(five: &[u32]) -> u32 {
        let sum: u32 = five.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
        (11 - sum % 11) % 10
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The municipality that publishes the magazine (`municipality:` in issue.yaml): a shared
/// archive keeps many municipalities' magazines apart by it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Municipality {
    /// Its name (苫小牧市).
    pub name: Text,
    /// Its 全国地方公共団体コード.
    pub code: LocalGovCode,
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
    /// The municipality that publishes it, when given.
    pub municipality: Option<Municipality>,
    /// The pages in print order (at least one).
    pub pages: Bounded<Page, 1, { usize::MAX }>,
    /// 抜き刷り: the folder holds some pages of an issue, checked and printed alone, so its
    /// folios need not start at 1, run without gaps or add up to the binding.
    pub offprint: bool,
    /// `issue.yaml`'s text, for pointing at its fields.
    pub source: Source,
    /// The earlier issues' figures its changes since the previous issue were worked out from
    /// (empty until the check applies the rule across issues).
    pub earlier: crate::previous::EarlierFigures,
}

impl Issue {
    /// Every folio the issue prints, in print order (a flowing file's folios one by one): after
    /// a clean check, the typeset document has exactly these pages.
    pub fn folios(&self) -> impl Iterator<Item = u32> + '_ {
        self.pages.iter().flat_map(|p| p.folios.iter())
    }

    /// How many pages the issue prints.
    pub fn page_count(&self) -> u32 {
        self.pages.iter().map(|p| p.folios.count()).sum()
    }

    /// The page file that prints `folio`.
    pub fn page_at(&self, folio: u32) -> Option<&Page> {
        self.pages.iter().find(|p| p.folios.contains(folio))
    }

    /// How many entries the issue's lists hold, by the lists' words in the order the
    /// schemas name them (ビジョン 7, 項目 34…): what a clean check reports.
    pub fn counts(&self) -> Vec<(crate::schema::Words, usize)> {
        let mut counts: Vec<(crate::schema::Words, usize)> = Vec::new();
        for page in self.pages.iter() {
            count_lists(&page.content.fields, &page.content.kind.fields, &mut counts);
        }
        counts
    }

    /// How many photos the issue places.
    pub fn photo_count(&self) -> usize {
        self.pages
            .iter()
            .map(|p| p.content.fields.photos(&FieldPath::root()).len())
            .sum()
    }

    /// The kinds the issue's pages are of, by name.
    pub fn kinds(&self) -> super::AvailableLayouts {
        self.pages
            .iter()
            .map(|p| (p.content.kind.name.clone(), Some(p.content.kind.clone())))
            .collect()
    }

    /// The files the issue is made from, by their path inside the issue folder: `issue.yaml`,
    /// the page files and the photos, each once, in print order.
    pub fn source_files(&self) -> Vec<PathBuf> {
        let mut files = vec![PathBuf::from(super::ISSUE_FILE)];
        for page in self.pages.iter() {
            files.push(PathBuf::from(&page.file));
            for (_, photo) in page.content.fields.photos(&FieldPath::root()) {
                files.push(PathBuf::from(&photo.file));
            }
            for (_, ad) in page.content.fields.ads(&FieldPath::root()) {
                files.push(PathBuf::from(&ad.file));
            }
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| seen.insert(f.clone()));
        files
    }
}

/// Adds the entries of every list in `object` (read against `fields`) to `counts`.
fn count_lists(
    object: &Object,
    fields: &crate::schema::Fields,
    counts: &mut Vec<(crate::schema::Words, usize)>,
) {
    use crate::schema::FieldType;
    for (key, field) in fields.iter() {
        match (object.get(key), &field.ty) {
            (Some(Value::List(entries)), FieldType::List(list)) => {
                match counts.iter_mut().find(|(w, _)| *w == field.words) {
                    Some((_, n)) => *n += entries.len(),
                    None => counts.push((field.words.clone(), entries.len())),
                }
                if let FieldType::Object(inner) = &list.entry {
                    for entry in entries {
                        if let Value::Object(entry) = entry {
                            count_lists(entry, inner, counts);
                        }
                    }
                }
            }
            (Some(Value::Object(inner_object)), FieldType::Object(inner)) => {
                count_lists(inner_object, inner, counts)
            }
            _ => {}
        }
    }
}

/// The folios one page file fills: `first..=last`, at least one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct FolioRange {
    first: NonZeroU32,
    last: NonZeroU32,
}

impl FolioRange {
    /// The run from `first` to `last`, if `first <= last`.
    pub fn new(first: NonZeroU32, last: NonZeroU32) -> Option<Self> {
        (first <= last).then_some(Self { first, last })
    }

    /// One folio.
    pub fn single(folio: NonZeroU32) -> Self {
        Self {
            first: folio,
            last: folio,
        }
    }

    /// `5`, `5-7` or `5〜7` (spaces allowed around the dash); `None` for anything else.
    ///
    /// ```
    /// use koho::content::model::FolioRange;
    /// assert_eq!(FolioRange::parse("5-7").map(|r| (r.first().get(), r.last().get())), Some((5, 7)));
    /// assert_eq!(FolioRange::parse("7-5"), None);
    /// ```
    pub fn parse(written: &str) -> Option<Self> {
        let number = |t: &str| t.trim().parse::<u32>().ok().and_then(NonZeroU32::new);
        match written.split_once(['-', '〜', '~', '–']) {
            Some((a, b)) => Self::new(number(a)?, number(b)?),
            None => number(written).map(Self::single),
        }
    }

    /// The first folio.
    pub fn first(self) -> NonZeroU32 {
        self.first
    }

    /// The last folio.
    pub fn last(self) -> NonZeroU32 {
        self.last
    }

    /// How many pages: `last - first + 1`.
    pub fn count(self) -> u32 {
        self.last.get() - self.first.get() + 1
    }

    /// Whether `folio` is one of them.
    pub fn contains(self, folio: u32) -> bool {
        (self.first.get()..=self.last.get()).contains(&folio)
    }

    /// Every folio, in order.
    pub fn iter(self) -> impl Iterator<Item = u32> {
        self.first.get()..=self.last.get()
    }
}

impl std::fmt::Display for FolioRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// One page file of an issue: one page, or a run of pages its content flows over.
#[derive(Clone, Debug)]
pub struct Page {
    /// The page file, as written in `issue.yaml`.
    pub file: String,
    /// The printed page numbers (ノンブル) the file fills: one, or a run (`folios: 5-7`).
    pub folios: FolioRange,
    /// Where `issue.yaml` gives the folios (its `folio:` or `folios:` value), and that entry's
    /// path (`pages[3]`).
    pub entry: (Range<usize>, FieldPath),
    /// The page file's text, for locating fields.
    pub source: Source,
    /// Where each field of the page file was written.
    pub spans: FieldSpans,
    /// What the page holds, read against its kind's schema.
    pub content: PageContent,
}

impl Page {
    /// The file's first folio, which names it in previews, proofs and the archive.
    pub fn folio(&self) -> NonZeroU32 {
        self.folios.first()
    }

    /// A diagnostic at `span` of the page file about `field`, with the field's words.
    pub fn diagnostic(
        &self,
        span: Range<usize>,
        field: FieldPath,
        problem: crate::diag::Problem,
    ) -> crate::diag::Diagnostic {
        let words = self.content.kind.field_words(&field);
        let mut diagnostic = self.source.diagnostic(span, field, problem);
        diagnostic.words = words;
        diagnostic
    }
}

/// A page's content: its kind (the schema it was read against) and its checked fields.
#[derive(Clone, Debug)]
pub struct PageContent {
    /// The page's kind, from `layouts/<kind>/schema.yaml`.
    pub kind: Arc<Kind>,
    /// The page file's fields, in schema order.
    pub fields: Object,
}

impl PageContent {
    /// The kind's name, as written `layout:` in the page file.
    pub fn layout_name(&self) -> &str {
        &self.kind.name
    }

    /// The page's title: the field the schema names as its title, else the kind's words.
    pub fn title(&self) -> &str {
        self.kind
            .title_field
            .as_deref()
            .and_then(|key| match self.fields.get(key) {
                Some(Value::Text(text)) => Some(text.as_str()),
                _ => None,
            })
            .unwrap_or(&self.kind.words.ja)
    }
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
    /// The frame it fills, in millimetres (width, height), from its field in the schema.
    #[serde(skip)]
    pub frame_mm: (f64, f64),
}

/// An advertiser's PDF a page places in an ad slot, found inside the issue folder. It is
/// checked against its slot (in `magazine.yaml`) once the format is known: `crate::ad_placement`.
#[derive(Clone, Debug, Serialize)]
pub struct Ad {
    /// The slot's name, as `magazine.yaml` names it (`foot`).
    pub slot: String,
    /// The path as written, relative to the issue folder.
    pub file: String,
    /// The file on disk.
    #[serde(skip)]
    pub path: PathBuf,
    /// Who placed it (kept in the archive; not printed by koho: the ad is its own artwork).
    pub advertiser: Text,
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
    fn days_and_dates_convert_both_ways() {
        for text in [
            "1970-01-01",
            "1899-12-30",
            "2000-02-29",
            "2026-07-04",
            "2100-03-01",
        ] {
            let date = CalendarDate::parse(text).unwrap();
            assert_eq!(CalendarDate::from_days(date.days()), Some(date), "{text}");
        }
        assert_eq!(
            CalendarDate::from_days(0),
            CalendarDate::parse("1970-01-01")
        );
        assert_eq!(
            CalendarDate::from_days(-1),
            CalendarDate::parse("1969-12-31")
        );
    }

    #[test]
    fn weekdays() {
        let day = |t: &str| CalendarDate::parse(t).unwrap().weekday_ja();
        assert_eq!(day("2026-06-01"), "月");
        assert_eq!(day("1970-01-01"), "木");
        assert_eq!(day("2024-02-29"), "木");
        assert_eq!(day("2000-01-01"), "土");
        assert_eq!(day("2026-12-06"), "日");
    }

    #[test]
    fn bounded_lists_keep_their_bounds() {
        assert!(Bounded::<u8, 1, 2>::new(vec![]).is_err());
        assert!(Bounded::<u8, 1, 2>::new(vec![1, 2, 3]).is_err());
        assert_eq!(Bounded::<u8, 1, 2>::new(vec![1]).unwrap().len(), 1);
    }

    #[test]
    fn a_local_government_code_carries_its_check_digit() {
        for code in ["012131", "011002", "131016", "271004"] {
            assert_eq!(LocalGovCode::parse(code).unwrap().as_str(), code);
        }
        assert_eq!(LocalGovCode::parse("012132"), Err(Some('1')));
        assert_eq!(LocalGovCode::parse("01213"), Err(None));
        assert_eq!(
            LocalGovCode::parse("０１２１３１"),
            Err(None),
            "full-width digits"
        );
    }

    #[test]
    fn text_is_never_blank() {
        assert!(Text::new("  \n").is_none());
        assert_eq!(Text::new(" 苫小牧 ").unwrap().as_str(), "苫小牧");
    }
}
