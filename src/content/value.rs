//! A page's content as the generic loader reads it: checked values of the closed set of
//! types, shaped by the page's schema. A [`Value`] exists only once its checks passed.

use serde_json::{Map, Value as Json, json};

use super::model::{Ad, CalendarDate, Percent, Photo, Text};
use crate::diag::FieldPath;
use crate::schema::FieldType;

/// A time of day, 0:00–23:59.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
}

impl TimeOfDay {
    /// Reads `9:30` or `09:30` (ASCII digits; hours 0–23, minutes 00–59).
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.trim().split_once(':')?;
        let digits = |s: &str, max_len| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u8>().ok())
                .flatten()
        };
        let (hour, minute) = (digits(h, 2)?, digits(m, 2)?);
        (hour < 24 && minute < 60 && m.len() == 2).then_some(Self { hour, minute })
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{:02}", self.hour, self.minute)
    }
}

/// One occurrence of a schedule: a day (or a span of days), with an optional start time and
/// an optional end time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The (first) day.
    pub date: CalendarDate,
    /// The last day, for a span of days (after `date`).
    pub until: Option<CalendarDate>,
    /// When it starts.
    pub start: Option<TimeOfDay>,
    /// When it ends (after `start`).
    pub end: Option<TimeOfDay>,
}

/// Why a schedule cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleFault {
    /// Something that is not a date (YYYY-MM-DD) where a day is written.
    NotADate,
    /// Something that is not a time (9:30) where a time is written.
    NotATime,
    /// A span that ends before it starts.
    EndsBeforeStart,
}

impl ScheduleFault {
    /// What is wrong, in English words.
    pub fn describe(self) -> &'static str {
        match self {
            ScheduleFault::NotADate => "a day must be written YYYY-MM-DD",
            ScheduleFault::NotATime => "a time must be written 9:30",
            ScheduleFault::EndsBeforeStart => "it ends before it starts",
        }
    }
}

/// The dashes editors write between two days or two times.
const SPAN_DASHES: [char; 4] = ['-', '〜', '~', '～'];

impl Occurrence {
    /// Reads one occurrence: `DATE`, `DATE〜DATE`, `DATE TIME` or `DATE TIME-TIME`.
    pub fn parse(text: &str) -> Result<Self, ScheduleFault> {
        let text = text.trim();
        let (days, times) = match text.split_once(char::is_whitespace) {
            Some((d, t)) => (d, Some(t.trim())),
            None => (text, None),
        };
        // A day is ten characters (2026-08-02); a span of days has a dash after them.
        let (date, until) = match days.get(..10).zip(days.get(10..)) {
            Some((first, "")) => (first, None),
            Some((first, rest)) if rest.starts_with(SPAN_DASHES) => {
                (first, Some(rest.trim_start_matches(SPAN_DASHES)))
            }
            _ => (days, None),
        };
        let date = CalendarDate::parse(date).ok_or(ScheduleFault::NotADate)?;
        let until = until
            .map(|u| CalendarDate::parse(u).ok_or(ScheduleFault::NotADate))
            .transpose()?;
        if until.is_some_and(|u| u <= date) {
            return Err(ScheduleFault::EndsBeforeStart);
        }
        let (start, end) = match times {
            None => (None, None),
            Some(times) => match times.split_once(SPAN_DASHES) {
                Some((a, b)) => (
                    Some(TimeOfDay::parse(a).ok_or(ScheduleFault::NotATime)?),
                    Some(TimeOfDay::parse(b).ok_or(ScheduleFault::NotATime)?),
                ),
                None => (
                    Some(TimeOfDay::parse(times).ok_or(ScheduleFault::NotATime)?),
                    None,
                ),
            },
        };
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            return Err(ScheduleFault::EndsBeforeStart);
        }
        Ok(Self {
            date,
            until,
            start,
            end,
        })
    }

    /// Reads a whole schedule: at least one occurrence, several separated by `、` or `,`.
    pub fn parse_all(text: &str) -> Result<Vec<Self>, ScheduleFault> {
        let occurrences: Vec<Self> = text
            .split(['、', ','])
            .filter(|part| !part.trim().is_empty())
            .map(Self::parse)
            .collect::<Result<_, _>>()?;
        if occurrences.is_empty() {
            return Err(ScheduleFault::NotADate);
        }
        Ok(occurrences)
    }
}

impl std::fmt::Display for Occurrence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.date)?;
        if let Some(until) = self.until {
            write!(f, "〜{until}")?;
        }
        if let Some(start) = self.start {
            write!(f, " {start}")?;
        }
        if let Some(end) = self.end {
            write!(f, "-{end}")?;
        }
        Ok(())
    }
}

/// One checked value.
#[derive(Clone, Debug)]
pub enum Value {
    /// One line of text.
    Text(Text),
    /// Paragraphs of text, in order.
    Paragraphs(Vec<Text>),
    /// A whole number within its field's bounds.
    Integer(i64),
    /// A figure 0–100.
    Percent(Percent),
    /// A real date.
    Date(CalendarDate),
    /// A time of day.
    Time(TimeOfDay),
    /// When an event happens (at least one occurrence).
    Schedule(Vec<Occurrence>),
    /// A phone number as printed.
    Phone(Text),
    /// A web address.
    Url(Text),
    /// An e-mail address.
    Email(Text),
    /// A page of the same issue, by its file (checked against `issue.yaml` once all are read).
    Page(Text),
    /// One of the field's words.
    Choice(String),
    /// A photo, decoded and measured.
    Photo(Photo),
    /// An advertiser's PDF in an ad slot.
    Ad(Ad),
    /// A list's entries.
    List(Vec<Value>),
    /// An object's fields.
    Object(Object),
}

/// The fields of an object (or a page), in schema order; `None` for a field left out.
#[derive(Clone, Debug, Default)]
pub struct Object(pub Vec<(String, Option<Value>)>);

impl Object {
    /// The value of `key`, when written (or defaulted).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_ref())
    }

    /// The value of `key`, to change (a rule fills a derived figure).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Option<Value>> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, Option<&Value>)> {
        self.0.iter().map(|(k, v)| (k, v.as_ref()))
    }

    /// The content as JSON, as the snapshot and the archive keep it: every field in schema
    /// order (`null` when left out), photos by their file, alt and caption.
    pub fn to_json(&self) -> Json {
        let mut map = Map::new();
        for (key, value) in &self.0 {
            map.insert(
                key.clone(),
                value.as_ref().map_or(Json::Null, Value::to_json),
            );
        }
        Json::Object(map)
    }

    /// Every printed text with its field path, in reading order: what a font must cover.
    pub fn printed_texts(&self, path: &FieldPath) -> Vec<(FieldPath, &str)> {
        let mut out = Vec::new();
        for (key, value) in self.iter() {
            if let Some(value) = value {
                value.collect_texts(&path.key(key), &mut out);
            }
        }
        out
    }

    /// Every page of the issue a `page` field names, with its field path, in reading order.
    pub fn pages_named(&self, path: &FieldPath) -> Vec<(FieldPath, &str)> {
        let mut out = Vec::new();
        for (key, value) in self.iter() {
            if let Some(value) = value {
                value.collect_pages(&path.key(key), &mut out);
            }
        }
        out
    }

    /// Every ad with its field path, in reading order.
    pub fn ads(&self, path: &FieldPath) -> Vec<(FieldPath, &Ad)> {
        let mut out = Vec::new();
        for (key, value) in self.iter() {
            if let Some(value) = value {
                value.collect_ads(&path.key(key), &mut out);
            }
        }
        out
    }

    /// Every photo with its field path, in reading order.
    pub fn photos(&self, path: &FieldPath) -> Vec<(FieldPath, &Photo)> {
        let mut out = Vec::new();
        for (key, value) in self.iter() {
            if let Some(value) = value {
                value.collect_photos(&path.key(key), &mut out);
            }
        }
        out
    }
}

impl Value {
    /// The value as JSON (see [`Object::to_json`]).
    pub fn to_json(&self) -> Json {
        match self {
            Value::Text(t) | Value::Phone(t) | Value::Url(t) | Value::Email(t) | Value::Page(t) => {
                Json::String(t.as_str().to_owned())
            }
            Value::Paragraphs(ps) => {
                Json::String(ps.iter().map(Text::as_str).collect::<Vec<_>>().join("\n\n"))
            }
            Value::Integer(n) => json!(n),
            Value::Percent(p) => json!(p.get()),
            Value::Date(d) => Json::String(d.to_string()),
            Value::Time(t) => Json::String(t.to_string()),
            Value::Schedule(occurrences) => Json::String(
                occurrences
                    .iter()
                    .map(Occurrence::to_string)
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            Value::Choice(word) => Json::String(word.clone()),
            Value::Photo(photo) => json!({
                "file": photo.file,
                "alt": photo.alt.as_str(),
                "caption": photo.caption.as_ref().map(Text::as_str),
            }),
            Value::Ad(ad) => json!({
                "slot": ad.slot,
                "file": ad.file,
                "advertiser": ad.advertiser.as_str(),
            }),
            Value::List(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Object(object) => object.to_json(),
        }
    }

    /// The value as a page prints it, for a change list or a search hit (`95%`).
    pub fn printed(&self) -> String {
        match self {
            Value::Percent(p) => format!("{p}%"),
            Value::Photo(photo) => photo.file.clone(),
            Value::Ad(ad) => format!("{} ({})", ad.file, ad.advertiser.as_str()),
            other => match other.to_json() {
                Json::String(s) => s,
                json => json.to_string(),
            },
        }
    }

    /// The value as printed in a field of type `ty`: an integer with its unit (`30人`).
    pub fn printed_as(&self, ty: &FieldType) -> String {
        match (self, ty) {
            (
                Value::Integer(n),
                FieldType::Integer {
                    unit: Some(unit), ..
                },
            ) => format!("{n}{unit}"),
            _ => self.printed(),
        }
    }

    fn collect_texts<'v>(&'v self, path: &FieldPath, out: &mut Vec<(FieldPath, &'v str)>) {
        match self {
            Value::Text(t) | Value::Phone(t) | Value::Url(t) | Value::Email(t) => {
                out.push((path.clone(), t.as_str()));
            }
            Value::Paragraphs(ps) => {
                for p in ps {
                    out.push((path.clone(), p.as_str()));
                }
            }
            Value::Photo(photo) => {
                if let Some(caption) = &photo.caption {
                    out.push((path.key("caption"), caption.as_str()));
                }
            }
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect_texts(&path.index(i), out);
                }
            }
            Value::Object(object) => out.extend(object.printed_texts(path)),
            Value::Integer(_)
            | Value::Percent(_)
            | Value::Date(_)
            | Value::Time(_)
            | Value::Schedule(_)
            | Value::Page(_)
            | Value::Choice(_)
            | Value::Ad(_) => {}
        }
    }

    fn collect_pages<'v>(&'v self, path: &FieldPath, out: &mut Vec<(FieldPath, &'v str)>) {
        match self {
            Value::Page(file) => out.push((path.clone(), file.as_str())),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect_pages(&path.index(i), out);
                }
            }
            Value::Object(object) => out.extend(object.pages_named(path)),
            _ => {}
        }
    }

    fn collect_ads<'v>(&'v self, path: &FieldPath, out: &mut Vec<(FieldPath, &'v Ad)>) {
        match self {
            Value::Ad(ad) => out.push((path.clone(), ad)),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect_ads(&path.index(i), out);
                }
            }
            Value::Object(object) => out.extend(object.ads(path)),
            _ => {}
        }
    }

    fn collect_photos<'v>(&'v self, path: &FieldPath, out: &mut Vec<(FieldPath, &'v Photo)>) {
        match self {
            Value::Photo(photo) => out.push((path.clone(), photo)),
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect_photos(&path.index(i), out);
                }
            }
            Value::Object(object) => out.extend(object.photos(path)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules() {
        let read = |t: &str| {
            Occurrence::parse_all(t).map(|o| {
                o.iter()
                    .map(Occurrence::to_string)
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
        };
        assert_eq!(
            read("2026-08-02 9:30-12:00").unwrap(),
            "2026-08-02 9:30-12:00"
        );
        assert_eq!(
            read("2026-08-02 9:30〜12:00").unwrap(),
            "2026-08-02 9:30-12:00"
        );
        assert_eq!(
            read("2026-08-01〜2026-08-03").unwrap(),
            "2026-08-01〜2026-08-03"
        );
        assert_eq!(
            read("2026-08-02 10:00、2026-08-09").unwrap(),
            "2026-08-02 10:00 | 2026-08-09"
        );
        assert_eq!(read("2026-02-30"), Err(ScheduleFault::NotADate));
        assert_eq!(read("8月2日"), Err(ScheduleFault::NotADate));
        assert_eq!(read("2026-08-02 9時"), Err(ScheduleFault::NotATime));
        assert_eq!(
            read("2026-08-02 12:00-9:30"),
            Err(ScheduleFault::EndsBeforeStart)
        );
        assert_eq!(
            read("2026-08-03〜2026-08-01"),
            Err(ScheduleFault::EndsBeforeStart)
        );
    }

    #[test]
    fn times_of_day() {
        assert_eq!(TimeOfDay::parse("9:30").unwrap().to_string(), "9:30");
        assert_eq!(TimeOfDay::parse("09:05").unwrap().to_string(), "9:05");
        assert!(TimeOfDay::parse("24:00").is_none());
        assert!(TimeOfDay::parse("9:60").is_none());
        assert!(TimeOfDay::parse("9:5").is_none());
        assert!(TimeOfDay::parse("９:３０").is_none());
        assert!(TimeOfDay::parse("930").is_none());
    }
}
