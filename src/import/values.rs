//! The ways departments and city systems write dates, times and numbers, read into the forms
//! a page file takes (`2026-07-04`, `9:30`, `1200`). Spreadsheet cells keep dates as serial
//! numbers (days since 1899-12-30, the time of day as the fraction).

use crate::content::model::CalendarDate;
use crate::content::value::TimeOfDay;

/// The day spreadsheet serial 0 stands for, as days since 1970-01-01 (1899-12-30).
const SERIAL_EPOCH_DAYS: i64 = -25_569;

/// Minutes in a day.
const MINUTES_PER_DAY: f64 = 24.0 * 60.0;

/// Full-width digits and punctuation as ASCII (`２０２６／７／４` → `2026/7/4`), the Japanese
/// date and time words left as they are.
pub fn narrow(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' | '：' | '／' | '－' | '（' | '）' | '．' | '，' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            'ー' | '−' | '‐' | '―' => '-',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// A date as written in a sheet: `2026-07-04`, `2026/7/4`, `2026.7.4`, `2026年7月4日`, with
/// full-width digits or a weekday in brackets after it (`7月4日(土)` needs its year: `None`).
pub fn date(text: &str) -> Option<CalendarDate> {
    let text = narrow(text);
    let text = text.split(['(', ' ', 'T']).next().unwrap_or("").trim();
    let parts: Vec<&str> = text
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty();
    if !(y.len() == 4 && digits(y) && m.len() <= 2 && digits(m) && d.len() <= 2 && digits(d)) {
        return None;
    }
    CalendarDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A time of day as written: `9:30`, `09:30`, `09:30:00`, `9時30分`, `9時`.
pub fn time(text: &str) -> Option<TimeOfDay> {
    let text = narrow(text);
    let text = text.trim();
    let written = if let Some((h, rest)) = text.split_once('時') {
        let m = rest.trim().trim_end_matches('分');
        format!("{h}:{:0>2}", if m.is_empty() { "0" } else { m })
    } else {
        match text.split(':').collect::<Vec<_>>().as_slice() {
            [h, m] => format!("{h}:{m}"),
            [h, m, s] if s.bytes().all(|b| b.is_ascii_digit()) => format!("{h}:{m}"),
            _ => return None,
        }
    };
    TimeOfDay::parse(&written)
}

/// A whole number as written: `1200`, `1,200`, `１２００`, with a unit after it (`30人`).
pub fn integer(text: &str, unit: Option<&str>) -> Option<i64> {
    let text = narrow(text).replace([',', ' '], "");
    let text = unit.map_or(text.as_str(), |u| text.trim_end_matches(u));
    text.parse().ok()
}

/// The date of a spreadsheet serial number.
pub fn serial_date(serial: f64) -> Option<CalendarDate> {
    if !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    CalendarDate::from_days(SERIAL_EPOCH_DAYS + serial.floor() as i64)
}

/// The time of day of a spreadsheet serial number's fraction, to the nearest minute.
pub fn serial_time(serial: f64) -> Option<TimeOfDay> {
    let minutes = (serial.fract() * MINUTES_PER_DAY).round() as u32;
    let minutes = minutes.min(24 * 60 - 1);
    TimeOfDay::parse(&format!("{}:{:02}", minutes / 60, minutes % 60))
}

/// A serial number as text: its date, its time, or both.
pub fn serial_text(serial: f64) -> String {
    let date = serial_date(serial);
    let time = (serial.fract() != 0.0)
        .then(|| serial_time(serial))
        .flatten();
    match (date, time) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        (Some(d), None) => d.to_string(),
        (None, Some(t)) => t.to_string(),
        (None, None) => serial.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_city_systems_write_them() {
        let want = CalendarDate::parse("2026-07-04");
        for written in [
            "2026-07-04",
            "2026/7/4",
            "2026/07/04",
            "2026.7.4",
            "2026年7月4日",
            "２０２６／７／４",
            "2026-07-04T00:00:00",
            "2026年7月4日(土)",
        ] {
            assert_eq!(date(written), want, "{written}");
        }
        for bad in ["2026/13/01", "7月4日", "2026-02-30", "令和8年7月4日", ""] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_as_city_systems_write_them() {
        let want = TimeOfDay::parse("9:30");
        for written in ["9:30", "09:30", "09:30:00", "9時30分", "９：３０"] {
            assert_eq!(time(written), want, "{written}");
        }
        assert_eq!(time("13時"), TimeOfDay::parse("13:00"));
        assert_eq!(time("25:00"), None);
        assert_eq!(time("午前"), None);
    }

    #[test]
    fn serial_numbers_are_days_since_1899_12_30() {
        // 2026-07-04 is serial 46207; 0.5 is noon.
        assert_eq!(serial_date(46_207.0), CalendarDate::parse("2026-07-04"));
        assert_eq!(serial_time(46_207.5), TimeOfDay::parse("12:00"));
        assert_eq!(serial_text(46_207.437_5), "2026-07-04 10:30");
    }

    #[test]
    fn numbers_with_commas_and_units() {
        assert_eq!(integer("1,200", None), Some(1200));
        assert_eq!(integer("３０人", Some("人")), Some(30));
        assert_eq!(integer("三十", None), None);
    }
}
