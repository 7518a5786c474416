//! Japan's public holidays (国民の祝日, 振替休日 and 国民の休日), from a maintained list rather
//! than a hand-typed one: `holidays.yml` of holiday-jp/holiday_jp (MIT, `holidays-LICENSE`),
//! which its authors check against the Cabinet Office's 「国民の祝日」CSV on every change. It
//! covers 1970–2050; a date outside it is [`Coverage::Unknown`], never silently a working day.
//!
//! To bring the list up to date, copy a newer `holidays.yml` over this one: the unit tests
//! check every line still reads, and `tests/holidays.rs` checks it against the law's rules.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::content::model::CalendarDate;

/// The list as vendored, one `YYYY-MM-DD: 名前` line per holiday.
const LIST: &str = include_str!("holidays.yml");

/// A holiday: its name as a calendar prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// 海の日, 振替休日, 国民の休日.
    pub name: &'static str,
}

/// Whether the list can say if a date is a holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The date is within the list's years: [`holiday`] is the answer.
    Known,
    /// The list does not reach that year (before 1970, after 2050).
    Unknown,
}

struct Table {
    days: BTreeMap<CalendarDate, Holiday>,
    first_year: u16,
    last_year: u16,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let days: BTreeMap<CalendarDate, Holiday> = LIST
            .lines()
            .filter_map(read_line)
            .map(|(date, name)| (date, Holiday { name }))
            .collect();
        let year = |d: Option<&CalendarDate>| d.map_or(0, |d| d.year());
        Table {
            first_year: year(days.keys().next()),
            last_year: year(days.keys().next_back()),
            days,
        }
    })
}

/// One line of the list: its date and the name a calendar prints. Lines that are not a
/// holiday (`---`, blank) give `None`.
fn read_line(line: &'static str) -> Option<(CalendarDate, &'static str)> {
    let (date, name) = line.split_once(": ")?;
    let date = CalendarDate::parse(date.trim())?;
    Some((date, printed_name(name.trim())))
}

/// The list's name as a calendar prints it: `こどもの日 振替休日` is a 振替休日, `休日` (the day
/// between two holidays) a 国民の休日, `休日（祝日扱い）` a 休日 (the list's notes in brackets are
/// left out).
fn printed_name(name: &'static str) -> &'static str {
    if name.ends_with("振替休日") {
        "振替休日"
    } else if name == "休日" {
        "国民の休日"
    } else if let Some((stem, _)) = name.split_once('（') {
        // 休日（祝日扱い）, 体育の日（スポーツの日）: the name without the list's note.
        stem
    } else {
        name
    }
}

/// The holiday on `date`, if it is one.
pub fn holiday(date: CalendarDate) -> Option<Holiday> {
    table().days.get(&date).copied()
}

/// Whether the list reaches `date`'s year.
pub fn coverage(date: CalendarDate) -> Coverage {
    let t = table();
    if (t.first_year..=t.last_year).contains(&date.year()) {
        Coverage::Known
    } else {
        Coverage::Unknown
    }
}

/// True for a day a clinic or city office is closed by the calendar: a Sunday, a holiday, or
/// 年末年始 (29 December to 3 January, closed by every city's ordinance). A date beyond the
/// list's years counts as a day off only when it is a Sunday or 年末年始.
pub fn is_day_off(date: CalendarDate) -> bool {
    const SUNDAY: u8 = 6;
    let new_year = matches!((date.month(), date.day()), (12, 29..=31) | (1, 1..=3));
    date.weekday() == SUNDAY || new_year || holiday(date).is_some()
}

/// Every holiday of `year`, in date order.
pub fn of_year(year: u16) -> Vec<(CalendarDate, Holiday)> {
    table()
        .days
        .iter()
        .filter(|(d, _)| d.year() == year)
        .map(|(d, h)| (*d, *h))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    #[test]
    fn every_line_of_the_list_reads() {
        let lines = LIST
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()));
        for line in lines {
            assert!(read_line(line).is_some(), "unreadable line: {line}");
        }
        assert_eq!(table().first_year, 1970);
        assert!(table().last_year >= 2050);
    }

    #[test]
    fn names_as_a_calendar_prints_them() {
        assert_eq!(holiday(date("2026-07-20")).unwrap().name, "海の日");
        assert_eq!(holiday(date("2026-05-06")).unwrap().name, "振替休日");
        assert_eq!(holiday(date("2026-09-22")).unwrap().name, "国民の休日");
        assert_eq!(holiday(date("2019-04-30")).unwrap().name, "国民の休日");
        // The day of the enthronement, a holiday by its own law.
        assert_eq!(holiday(date("2019-05-01")).unwrap().name, "休日");
        assert_eq!(holiday(date("2026-06-07")), None);
    }

    #[test]
    fn days_off() {
        assert!(is_day_off(date("2026-06-07"))); // Sunday
        assert!(is_day_off(date("2026-07-20"))); // 海の日, a Monday
        assert!(is_day_off(date("2026-12-30"))); // 年末年始, a Wednesday
        assert!(!is_day_off(date("2026-06-10"))); // a Wednesday
        assert!(!is_day_off(date("2026-06-13"))); // a Saturday
    }

    #[test]
    fn years_outside_the_list_are_unknown() {
        assert_eq!(coverage(date("2026-06-07")), Coverage::Known);
        assert_eq!(coverage(date("2099-06-07")), Coverage::Unknown);
        assert_eq!(coverage(date("1960-06-07")), Coverage::Unknown);
    }
}
