//! Dates written inside free text with their weekday — 「6月7日(日)」, 「6/7(土)」,
//! 「令和8年6月7日（日・祝）」 — found and checked against the calendar, because that weekday was
//! typed by hand and is where misprints hide.
//!
//! A date without its year is taken in the year that puts it nearest the issue's date (a June
//! issue's 「1月10日」 is next January's only when that is nearer than last January's). A day
//! written without its month (「6月7日(日)〜9日(火)」) takes the month written before it in the
//! same text; with none before it, it is left alone.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::holidays;
use crate::content::model::CalendarDate;

/// A date in free text that the calendar contradicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateSlip {
    /// Where in the text (bytes).
    pub span: Range<usize>,
    /// The date as written (「6月7日(土)」).
    pub written: String,
    /// What is wrong.
    pub fault: DateFault,
}

/// What the calendar says against a written date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFault {
    /// The weekday written is not the date's.
    WrongWeekday {
        /// The date meant (with the year koho took).
        date: CalendarDate,
        /// Its weekday (日).
        right: &'static str,
        /// The text as it should read (「6月7日(日)」).
        fix: String,
    },
    /// 祝 is written but the day is no holiday.
    NotAHoliday {
        /// The date meant.
        date: CalendarDate,
        /// The text without the 祝.
        fix: String,
    },
    /// No such day (6月31日).
    NoSuchDay {
        /// The month written.
        month: u8,
        /// The day written.
        day: u8,
    },
}

/// The pattern of a date with its weekday: an optional year (2026年, 令和8年, 2026/), an
/// optional month (6月, 6/), the day, then the weekday in brackets, maybe with 祝.
fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let digit = "[0-9０-９]";
        Regex::new(&format!(
            r"(?x)
            (?:
                (?: (?P<era>令和)(?P<era_year>{digit}{{1,2}}|元)年 | (?P<year>{digit}{{4}})年 )?
                (?: (?P<month>{digit}{{1,2}})月 )?
                (?P<day>{digit}{{1,2}})日
              |
                (?: (?P<s_year>{digit}{{4}})/ )?
                (?P<s_month>{digit}{{1,2}})/(?P<s_day>{digit}{{1,2}})
            )
            [\ 　]*
            (?P<open>[(（])
            (?P<weekday>[月火水木金土日])
            (?P<holiday>[・･]?祝)?
            (?P<close>[)）])"
        ))
        .expect("the date pattern is valid")
    })
}

/// A number written in ASCII or full-width digits.
fn number(text: &str) -> Option<u32> {
    text.chars()
        .map(|c| match c {
            '0'..='9' => Some(c as u32 - '0' as u32),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        })
        .try_fold(0u32, |n, d| Some(n * 10 + d?))
}

/// Every date with a weekday in `text` that the calendar contradicts, taking dates without a
/// year near `issue_date`.
pub fn slips(text: &str, issue_date: CalendarDate) -> Vec<DateSlip> {
    let mut found = Vec::new();
    let mut last_month: Option<u32> = None;
    let mut last_year: Option<u32> = None;
    for caps in pattern().captures_iter(text) {
        let whole = caps.get(0).expect("a match has its text");
        let written = whole.as_str().to_owned();
        let get = |name: &str| caps.name(name).and_then(|m| number(m.as_str()));
        let year = match (caps.name("era"), caps.name("era_year")) {
            (Some(_), Some(y)) if y.as_str() == "元" => Some(2019),
            (Some(_), Some(y)) => number(y.as_str()).map(|n| 2018 + n),
            _ => get("year").or_else(|| get("s_year")),
        };
        let month = get("month").or_else(|| get("s_month"));
        let day = get("day").or_else(|| get("s_day"));
        // A day without its month belongs to the month written before it (and its year).
        let (year, month) = match month {
            Some(m) => (year, m),
            None => match last_month {
                Some(m) => (year.or(last_year), m),
                None => continue,
            },
        };
        last_month = Some(month);
        last_year = year;
        let Some(day) = day else { continue };
        let (Ok(m), Ok(d)) = (u8::try_from(month), u8::try_from(day)) else {
            continue;
        };
        let date = match year {
            Some(y) => u16::try_from(y)
                .ok()
                .and_then(|y| CalendarDate::new(y, m, d)),
            None => nearest(issue_date, m, d),
        };
        let Some(date) = date else {
            // 2月29日 of a year without it, 6月31日: no such day.
            if (1..=12).contains(&m) {
                found.push(DateSlip {
                    span: whole.range(),
                    written,
                    fault: DateFault::NoSuchDay { month: m, day: d },
                });
            }
            continue;
        };
        let weekday = caps.name("weekday").expect("the pattern has a weekday");
        let right = date.weekday_ja();
        // The written date with one part of it replaced (positions relative to the match).
        let replaced = |part: regex::Match<'_>, with: &str| {
            let (start, end) = (part.start() - whole.start(), part.end() - whole.start());
            format!("{}{with}{}", &written[..start], &written[end..])
        };
        if weekday.as_str() != right {
            let fix = replaced(weekday, right);
            found.push(DateSlip {
                span: whole.range(),
                written,
                fault: DateFault::WrongWeekday { date, right, fix },
            });
        } else if let Some(mark) = caps.name("holiday")
            && holidays::coverage(date) == holidays::Coverage::Known
            && holidays::holiday(date).is_none()
        {
            let fix = replaced(mark, "");
            found.push(DateSlip {
                span: whole.range(),
                written,
                fault: DateFault::NotAHoliday { date, fix },
            });
        }
    }
    found
}

/// The date `month`/`day` in the year (the issue's, the one before or after) that puts it
/// nearest `issue_date`.
fn nearest(issue_date: CalendarDate, month: u8, day: u8) -> Option<CalendarDate> {
    let y = issue_date.year();
    [y.saturating_sub(1), y, y + 1]
        .into_iter()
        .filter_map(|year| CalendarDate::new(year, month, day))
        .min_by_key(|d| (d.days() - issue_date.days()).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue() -> CalendarDate {
        CalendarDate::parse("2026-06-01").unwrap()
    }

    #[test]
    fn right_weekdays_pass() {
        let text =
            "6月7日(日)、6/13(土)、令和8年6月14日（日）、2026年7月20日(月・祝)、６月２０日（土）";
        assert_eq!(slips(text, issue()), vec![]);
    }

    #[test]
    fn a_wrong_weekday_names_the_right_one() {
        let found = slips("日時は6月7日(土)午前10時から", issue());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].written, "6月7日(土)");
        assert_eq!(
            &"日時は6月7日(土)午前10時から"[found[0].span.clone()],
            "6月7日(土)"
        );
        match &found[0].fault {
            DateFault::WrongWeekday { date, right, fix } => {
                assert_eq!(date.to_string(), "2026-06-07");
                assert_eq!(*right, "日");
                assert_eq!(fix, "6月7日(日)");
            }
            other => panic!("{other:?}"),
        }
        let slash = slips("6/7（土）", issue());
        assert!(
            matches!(&slash[0].fault, DateFault::WrongWeekday { fix, .. } if fix == "6/7（日）")
        );
    }

    #[test]
    fn a_day_without_its_month_takes_the_one_before() {
        // 6月9日 is a Tuesday.
        assert_eq!(slips("6月7日(日)〜9日(火)", issue()), vec![]);
        let found = slips("6月7日(日)〜9日(水)", issue());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].written, "9日(水)");
        // With no month before it, a lone day is not guessed at.
        assert_eq!(slips("毎月9日(水)", issue()), vec![]);
    }

    #[test]
    fn the_year_is_the_nearest_to_the_issue() {
        // 2027-01-10 is a Sunday; 2026-01-10 a Saturday. A December issue means next January.
        let december = CalendarDate::parse("2026-12-01").unwrap();
        assert_eq!(slips("1月10日(日)", december), vec![]);
        assert_eq!(
            slips("1月10日(土)", CalendarDate::parse("2026-02-01").unwrap()),
            vec![]
        );
    }

    #[test]
    fn holiday_marks_and_impossible_days() {
        let found = slips("6月8日(月・祝)", issue());
        assert!(
            matches!(&found[0].fault, DateFault::NotAHoliday { fix, .. } if fix == "6月8日(月)")
        );
        let found = slips("6月31日(水)", issue());
        assert_eq!(found[0].fault, DateFault::NoSuchDay { month: 6, day: 31 });
    }
}
