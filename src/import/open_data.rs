//! The Digital Agency's 自治体標準オープンデータセット「イベント一覧」: a city's events as CSV,
//! one row per event, read into the items of a notices page or the events of a calendar.
//!
//! The columns are the standard's names (イベント名, 開始日, 終了日, 開始時間, 終了時間, 場所名称,
//! 説明, 料金(基本), 定員, 参加申込方法, 連絡先名称, 連絡先電話番号 …), compared with spaces,
//! `_` and bracket widths ignored; two columns cities commonly add, カテゴリー and 対象者, are
//! read too. Standard columns a printed page has no place for (緯度, 経度 …) and columns the
//! standard does not name are reported, never dropped silently.

use std::collections::BTreeSet;

use super::draft::{DraftEntry, DraftValue};
use super::sheet::normal;
use super::table::{Row, Table};
use super::{RowFault, RowProblem, values};
use crate::content::model::CalendarDate;
use crate::content::value::TimeOfDay;

/// The standard's columns (2024 edition of the イベント一覧 definition), in its order.
pub const STANDARD_COLUMNS: [&str; 32] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
];

/// Columns outside the standard that cities often add, and koho reads.
const COMMON_EXTRA_COLUMNS: [&str; 2] = ["カテゴリー", "対象者"];

/// The standard's columns no printed page has a place for: reported when they hold values.
const UNPRINTED_COLUMNS: [&str; 11] = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名_カナ",
    "イベント名_英語",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
];

/// An event that runs longer than this many days is put in the calendar on its first day
/// only (an exhibition of a month would fill the table); shorter ones on each of their days.
pub const MAX_DAYS_LISTED: i64 = 7;

/// The category notices go under when the file has no カテゴリー.
pub const DEFAULT_CATEGORY: &str = "講座・催し";

/// Whether a header row is an イベント一覧's.
pub fn is_event_list(table: &Table) -> bool {
    let headers: BTreeSet<String> = table.headers.iter().map(|h| normal(h)).collect();
    ["イベント名", "開始日"]
        .iter()
        .all(|c| headers.contains(&normal(c)))
}

/// The columns of a table as the standard names them.
struct Columns {
    /// For each header, its standard (or common extra) name, when it has one.
    names: Vec<Option<&'static str>>,
}

impl Columns {
    fn of(table: &Table) -> Self {
        let known: Vec<&'static str> = STANDARD_COLUMNS
            .iter()
            .chain(COMMON_EXTRA_COLUMNS.iter())
            .copied()
            .collect();
        let names = table
            .headers
            .iter()
            .map(|h| known.iter().copied().find(|k| normal(k) == normal(h)))
            .collect();
        Self { names }
    }

    /// The text of column `name` in `row`, trimmed; empty when the column is absent.
    fn get(&self, row: &Row, name: &str) -> String {
        self.names
            .iter()
            .position(|n| *n == Some(name))
            .and_then(|i| row.cells.get(i))
            .map(|c| c.text())
            .unwrap_or_default()
    }
}

/// One event as a row gives it.
#[derive(Clone, Debug)]
pub struct Event {
    /// Its row.
    pub row: usize,
    /// イベント名.
    pub title: String,
    /// 開始日.
    pub date: CalendarDate,
    /// 終了日, when after 開始日.
    pub until: Option<CalendarDate>,
    /// 開始時間.
    pub start: Option<TimeOfDay>,
    /// 終了時間.
    pub end: Option<TimeOfDay>,
    /// What the rest of the row says, by the notices field it goes to.
    pub particulars: Vec<(&'static str, String)>,
    /// 連絡先名称 (with 内線), or 主催者.
    pub department: String,
    /// 連絡先電話番号.
    pub phone: String,
    /// カテゴリー.
    pub category: String,
    /// 場所名称, or 住所.
    pub place: String,
}

/// What an イベント一覧 gave: its events, the rows left out, the columns not read.
#[derive(Debug)]
pub struct Events {
    /// The events, in the file's order.
    pub events: Vec<Event>,
    /// Rows that are not events, and why.
    pub skipped: Vec<RowProblem>,
    /// Standard columns with values that no page prints.
    pub unused: Vec<String>,
    /// Columns the standard does not name.
    pub unknown: Vec<String>,
}

/// Reads the events of an イベント一覧 table.
pub fn events(table: &Table) -> Events {
    let columns = Columns::of(table);
    let mut unused = Vec::new();
    let mut unknown = Vec::new();
    for (index, (header, name)) in table.headers.iter().zip(&columns.names).enumerate() {
        let has_values = table
            .rows
            .iter()
            .any(|r| r.cells.get(index).is_some_and(|c| !c.is_blank()));
        match name {
            None if !header.trim().is_empty() => unknown.push(header.clone()),
            Some(name) if has_values && UNPRINTED_COLUMNS.contains(name) => {
                unused.push(header.clone())
            }
            _ => {}
        }
    }
    let mut events = Vec::new();
    let mut skipped = Vec::new();
    for row in &table.rows {
        match event(&columns, row) {
            Ok(event) => events.push(event),
            Err(fault) => skipped.push(RowProblem {
                row: row.number,
                fault,
            }),
        }
    }
    Events {
        events,
        skipped,
        unused,
        unknown,
    }
}

fn event(columns: &Columns, row: &Row) -> Result<Event, RowFault> {
    let get = |name| columns.get(row, name);
    let required = |name: &str| {
        let text = columns.get(row, name);
        if text.is_empty() {
            Err(RowFault::Missing {
                column: name.to_owned(),
            })
        } else {
            Ok(text)
        }
    };
    let title = required("イベント名")?;
    let date_of = |name: &str, text: String| {
        values::date(&text).ok_or(RowFault::NotADate {
            column: name.to_owned(),
            written: text,
        })
    };
    let time_of = |name: &str| -> Result<Option<TimeOfDay>, RowFault> {
        let text = columns.get(row, name);
        if text.is_empty() {
            return Ok(None);
        }
        values::time(&text).map(Some).ok_or(RowFault::NotATime {
            column: name.to_owned(),
            written: text,
        })
    };
    let date = date_of("開始日", required("開始日")?)?;
    let until = match get("終了日") {
        text if text.is_empty() => None,
        text => Some(date_of("終了日", text)?),
    };
    if until.is_some_and(|u| u < date) {
        return Err(RowFault::EndsBeforeStart {
            column: "終了日".to_owned(),
        });
    }
    let until = until.filter(|u| *u > date);
    let (start, end) = (time_of("開始時間")?, time_of("終了時間")?);
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        return Err(RowFault::EndsBeforeStart {
            column: "終了時間".to_owned(),
        });
    }
    let deadline = match get("参加申込終了日") {
        text if text.is_empty() => None,
        text => Some(date_of("参加申込終了日", text)?),
    };
    let deadline_time = time_of("参加申込終了時間")?;

    let mut particulars = Vec::new();
    let mut push = |field: &'static str, text: String| {
        if !text.is_empty() {
            particulars.push((field, text));
        }
    };
    let body = [get("説明"), get("備考")]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    push("body", body);
    push("when_note", get("開始日時特記事項"));
    push("target", get("対象者"));
    push("capacity", capacity(&get("定員")));
    push("fee", fee(&get("料金(基本)"), &get("料金(詳細)")));
    push(
        "apply",
        apply(&get("参加申込方法"), deadline, deadline_time),
    );
    push("url", get("URL"));
    let department = match (get("連絡先名称"), get("連絡先内線番号")) {
        (name, _) if name.is_empty() => get("主催者"),
        (name, ext) if ext.is_empty() => name,
        (name, ext) => format!("{name}(内線{})", values::narrow(&ext)),
    };
    let place = match get("場所名称") {
        name if name.is_empty() => get("住所"),
        name => name,
    };
    Ok(Event {
        row: row.number,
        title,
        date,
        until,
        start,
        end,
        particulars,
        department,
        phone: values::narrow(&get("連絡先電話番号")),
        category: get("カテゴリー"),
        place,
    })
}

/// 定員 as printed: a bare number gets 人.
fn capacity(written: &str) -> String {
    match values::integer(written, None) {
        Some(n) => format!("{n}人"),
        None => written.to_owned(),
    }
}

/// 費用 as printed: 0 is 無料, a bare number gets 円, the details follow.
fn fee(basic: &str, detail: &str) -> String {
    let basic = match values::integer(basic.trim_end_matches('円'), None) {
        Some(0) => "無料".to_owned(),
        Some(n) => format!("{n}円"),
        None => basic.to_owned(),
    };
    match (basic.is_empty(), detail.is_empty()) {
        (_, true) => basic,
        (true, false) => detail.to_owned(),
        (false, false) => format!("{basic}。{detail}"),
    }
}

/// 申込 as printed: how, then the deadline (7月10日(金)17:00まで).
fn apply(how: &str, deadline: Option<CalendarDate>, at: Option<TimeOfDay>) -> String {
    let until = deadline.map(|d| {
        let time = at.map(|t| t.to_string()).unwrap_or_default();
        format!("{}月{}日({}){time}まで", d.month(), d.day(), d.weekday_ja())
    });
    match (how.is_empty(), until) {
        (_, None) => how.to_owned(),
        (true, Some(until)) => until,
        (false, Some(until)) => format!("{how}。{until}"),
    }
}

impl Event {
    /// 日時 as a schedule: `2026-07-04 10:00-12:00`, `2026-07-04〜2026-07-06`.
    pub fn schedule(&self) -> String {
        let mut text = self.date.to_string();
        if let Some(until) = self.until {
            text.push_str(&format!("〜{until}"));
        }
        if let Some(start) = self.start {
            text.push_str(&format!(" {start}"));
            if let Some(end) = self.end {
                text.push_str(&format!("-{end}"));
            }
        }
        text
    }

    fn comment(&self, file: &str) -> String {
        format!("{file} の {} 行目", self.row)
    }

    /// The event as an item of a notices page.
    pub fn notice(&self, file: &str) -> DraftEntry {
        let mut fields = vec![("title".to_owned(), DraftValue::Text(self.title.clone()))];
        let text = |s: &String| DraftValue::Text(s.clone());
        for (key, value) in &self.particulars {
            if *key == "body" {
                fields.push((key.to_string(), text(value)));
            }
        }
        fields.push(("when".to_owned(), DraftValue::Text(self.schedule())));
        for (key, value) in &self.particulars {
            if *key == "when_note" {
                fields.push((key.to_string(), text(value)));
            }
        }
        if !self.place.is_empty() {
            fields.push(("place".to_owned(), text(&self.place)));
        }
        for (key, value) in &self.particulars {
            if !matches!(*key, "body" | "when_note" | "url") {
                fields.push((key.to_string(), text(value)));
            }
        }
        if !self.department.is_empty() {
            let mut contact = vec![("department".to_owned(), text(&self.department))];
            if !self.phone.is_empty() {
                contact.push(("phone".to_owned(), text(&self.phone)));
            }
            fields.push(("contact".to_owned(), DraftValue::Object(contact)));
        }
        for (key, value) in &self.particulars {
            if *key == "url" {
                fields.push((key.to_string(), text(value)));
            }
        }
        DraftEntry {
            comment: Some(self.comment(file)),
            fields,
        }
    }

    /// The days the event is listed on in a calendar.
    pub fn calendar_days(&self) -> Vec<CalendarDate> {
        let Some(until) = self.until else {
            return vec![self.date];
        };
        let span = until.days() - self.date.days() + 1;
        if span > MAX_DAYS_LISTED {
            return vec![self.date];
        }
        (0..span)
            .filter_map(|d| CalendarDate::from_days(self.date.days() + d))
            .collect()
    }

    /// The event's entries in a calendar's events, one per day it is listed on.
    pub fn calendar_entries(
        &self,
        file: &str,
    ) -> Vec<(CalendarDate, Option<TimeOfDay>, DraftEntry)> {
        let days = self.calendar_days();
        let runs_longer = self.until.is_some() && days.len() == 1;
        days.into_iter()
            .map(|day| {
                let mut fields = vec![("date".to_owned(), DraftValue::Text(day.to_string()))];
                if let Some(start) = self.start {
                    fields.push(("start".to_owned(), DraftValue::Text(start.to_string())));
                }
                if let Some(end) = self.end {
                    fields.push(("end".to_owned(), DraftValue::Text(end.to_string())));
                }
                fields.push(("title".to_owned(), DraftValue::Text(self.title.clone())));
                if !self.place.is_empty() {
                    fields.push(("place".to_owned(), DraftValue::Text(self.place.clone())));
                }
                let mut comment = self.comment(file);
                if runs_longer && let Some(until) = self.until {
                    comment.push_str(&format!(
                        " (〜{until}: {MAX_DAYS_LISTED} 日より長いので初日だけ)"
                    ));
                }
                (
                    day,
                    self.start,
                    DraftEntry {
                        comment: Some(comment),
                        fields,
                    },
                )
            })
            .collect()
    }
}

/// The categories of a notices page made from `events`: by カテゴリー in the order each first
/// comes, [`DEFAULT_CATEGORY`] for events without one.
pub fn notices(events: &[Event], file: &str) -> DraftValue {
    let mut categories: Vec<(String, Vec<DraftEntry>)> = Vec::new();
    for event in events {
        let name = if event.category.is_empty() {
            DEFAULT_CATEGORY.to_owned()
        } else {
            event.category.clone()
        };
        let item = event.notice(file);
        match categories.iter_mut().find(|(n, _)| *n == name) {
            Some((_, items)) => items.push(item),
            None => categories.push((name, vec![item])),
        }
    }
    DraftValue::Entries(
        categories
            .into_iter()
            .map(|(name, items)| DraftEntry {
                comment: None,
                fields: vec![
                    ("name".to_owned(), DraftValue::Text(name)),
                    ("items".to_owned(), DraftValue::Entries(items)),
                ],
            })
            .collect(),
    )
}

/// A calendar's events made from `events`, by day and start time, and the month span
/// they fall in (first day of the first month to the last day of the last).
pub fn calendar(
    events: &[Event],
    file: &str,
) -> (DraftValue, Option<(CalendarDate, CalendarDate)>) {
    let mut entries: Vec<(CalendarDate, Option<TimeOfDay>, usize, DraftEntry)> = events
        .iter()
        .flat_map(|e| e.calendar_entries(file))
        .enumerate()
        .map(|(i, (day, start, entry))| (day, start, i, entry))
        .collect();
    entries.sort_by_key(|(day, start, i, _)| (*day, *start, *i));
    let first = entries.first().map(|e| e.0);
    let last = entries.last().map(|e| e.0);
    let period = first.zip(last).and_then(|(first, last)| {
        let start = CalendarDate::new(first.year(), first.month(), 1)?;
        let end = CalendarDate::new(last.year(), last.month(), 1)?
            .next_month()
            .and_then(|d| CalendarDate::from_days(d.days() - 1))?;
        Some((start, end))
    });
    (
        DraftValue::Entries(entries.into_iter().map(|e| e.3).collect()),
        period,
    )
}
