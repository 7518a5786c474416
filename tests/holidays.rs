//! koho's holiday list (holiday-jp's, vendored) against the law itself: 国民の祝日に関する法律
//! as amended (2007 onward: 昭和の日, みどりの日 on 5/4, 振替休日 after any Sunday holiday), the
//! Happy Monday days, the equinox days by the formula the National Astronomical Observatory's
//! dates follow, the Olympic moves of 2020 and 2021, and the 2019 days of the enthronement by
//! their own law. Computed here independently, year by year, and compared day by day.

use std::collections::BTreeMap;

use koho::calendar::holidays;
use koho::content::model::CalendarDate;

fn date(y: u16, m: u8, d: u8) -> CalendarDate {
    CalendarDate::new(y, m, d).unwrap()
}

/// The `n`th Monday of a month.
fn monday(y: u16, m: u8, n: u8) -> CalendarDate {
    let first = date(y, m, 1).weekday(); // 0 = Monday
    date(y, m, 1 + (7 - first) % 7 + 7 * (n - 1))
}

/// 春分の日 and 秋分の日 (valid 1980–2099).
fn equinox(y: u16, base: f64) -> u8 {
    let t = f64::from(y - 1980);
    (base + 0.242194 * t - (t / 4.0).floor()).floor() as u8
}

/// The holidays of `year` as the law makes them, by date.
fn by_law(y: u16) -> BTreeMap<CalendarDate, &'static str> {
    let mut days = BTreeMap::new();
    let mut add = |d: CalendarDate, name: &'static str| {
        days.insert(d, name);
    };
    add(date(y, 1, 1), "元日");
    add(monday(y, 1, 2), "成人の日");
    add(date(y, 2, 11), "建国記念の日");
    match y {
        2020.. => add(date(y, 2, 23), "天皇誕生日"),
        2019 => {}
        _ => add(date(y, 12, 23), "天皇誕生日"),
    }
    add(date(y, 3, equinox(y, 20.8431)), "春分の日");
    add(date(y, 4, 29), "昭和の日");
    add(date(y, 5, 3), "憲法記念日");
    add(date(y, 5, 4), "みどりの日");
    add(date(y, 5, 5), "こどもの日");
    match y {
        2020 => add(date(y, 7, 23), "海の日"),
        2021 => add(date(y, 7, 22), "海の日"),
        _ => add(monday(y, 7, 3), "海の日"),
    }
    match y {
        2020 => add(date(y, 8, 10), "山の日"),
        2021 => add(date(y, 8, 8), "山の日"),
        2016.. => add(date(y, 8, 11), "山の日"),
        _ => {}
    }
    add(monday(y, 9, 3), "敬老の日");
    add(date(y, 9, equinox(y, 23.2488)), "秋分の日");
    let sports = if y >= 2020 {
        "スポーツの日"
    } else {
        "体育の日"
    };
    match y {
        2020 => add(date(y, 7, 24), sports),
        2021 => add(date(y, 7, 23), sports),
        _ => add(monday(y, 10, 2), sports),
    }
    add(date(y, 11, 3), "文化の日");
    add(date(y, 11, 23), "勤労感謝の日");
    if y == 2019 {
        // 天皇の即位の日及び即位礼正殿の儀の行われる日を休日とする法律.
        add(date(y, 5, 1), "休日");
        add(date(y, 10, 22), "休日");
    }
    let named: Vec<CalendarDate> = days.keys().copied().collect();
    // 振替休日: a holiday on a Sunday moves the next day that is not a holiday.
    for d in &named {
        if d.weekday() == 6 {
            let mut next = *d;
            loop {
                next = after(next);
                if !days.contains_key(&next) {
                    break;
                }
            }
            days.insert(next, "振替休日");
        }
    }
    // 国民の休日: a day between two holidays that is none itself (and not a Sunday).
    let all: Vec<CalendarDate> = days.keys().copied().collect();
    for pair in all.windows(2) {
        let between = after(pair[0]);
        if after(between) == pair[1] && between.weekday() != 6 {
            days.insert(between, "国民の休日");
        }
    }
    days
}

fn after(d: CalendarDate) -> CalendarDate {
    let (y, m, day) = (d.year(), d.month(), d.day());
    CalendarDate::new(y, m, day + 1)
        .or_else(|| CalendarDate::new(y, m + 1, 1))
        .unwrap_or_else(|| date(y + 1, 1, 1))
}

#[test]
fn the_list_is_the_law_from_2007_to_2050() {
    let mut wrong = Vec::new();
    for y in 2007..=2050 {
        let law = by_law(y);
        let list: BTreeMap<CalendarDate, &str> = holidays::of_year(y)
            .into_iter()
            .map(|(d, h)| (d, h.name))
            .collect();
        let days: Vec<&CalendarDate> = law.keys().chain(list.keys()).collect();
        for d in days {
            let (a, b) = (law.get(d), list.get(d));
            let same = matches!((a, b), (Some(a), Some(b)) if a == b);
            if !same {
                wrong.push(format!("{d}: law {a:?}, list {b:?}"));
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_june_2026_sunday_and_the_marine_day() {
    assert!(holidays::is_day_off(date(2026, 6, 7)));
    assert_eq!(holidays::holiday(date(2026, 7, 20)).unwrap().name, "海の日");
    assert!(!holidays::is_day_off(date(2026, 6, 10)));
}
