//! The time a proof is made or an issue archived, as koho writes it: Japan Standard Time, to
//! the minute.
//!
//! `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) fixes the
//! time, so tests and repeated runs stamp the same words.

use std::time::{SystemTime, UNIX_EPOCH};

/// Japan Standard Time's offset from UTC, in seconds (no daylight saving).
const JST_OFFSET_SECONDS: i64 = 9 * 3600;

/// Now (or `SOURCE_DATE_EPOCH`), as `2026-11-26 03:40 JST`.
pub fn now_stamp() -> String {
    jst_stamp(now_seconds())
}

/// Now (or `SOURCE_DATE_EPOCH`) as ISO 8601 in Japan time: `2026-11-26T03:40:00+09:00`.
pub fn now_iso() -> String {
    jst_iso(now_seconds())
}

/// Seconds since 1970 (UTC): `SOURCE_DATE_EPOCH` when set, else the system clock.
fn now_seconds() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        })
}

/// `seconds` since 1970 (UTC) as ISO 8601 in Japan time, to the second.
pub fn jst_iso(seconds: i64) -> String {
    let local = seconds + JST_OFFSET_SECONDS;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let second_of_day = local.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+09:00",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// `seconds` since 1970 (UTC) as a JST date and time to the minute.
pub fn jst_stamp(seconds: i64) -> String {
    let local = seconds + JST_OFFSET_SECONDS;
    let days = local.div_euclid(86_400);
    let minute_of_day = local.rem_euclid(86_400) / 60;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} JST",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_in_japan_time() {
        assert_eq!(jst_stamp(0), "1970-01-01 09:00 JST");
        // 2026-11-25 18:40 UTC is already the 26th in Japan.
        assert_eq!(jst_stamp(1_795_632_000), "2026-11-26 03:40 JST");
        // A leap day.
        assert_eq!(jst_stamp(1_709_164_800), "2024-02-29 09:00 JST");
        assert_eq!(jst_iso(1_795_632_005), "2026-11-26T03:40:05+09:00");
    }
}
