//! The information pages built alone: a calendar marks the month's holidays from koho's list
//! (in words, not by colour alone), and a duty doctor's working day is an error in the
//! editor's words.

mod common;

use common::{koho_in, pdf_text, scratch_project, squeeze, stderr, stdout, write_issue};
use koho::calendar::holidays;

/// A calendar page for July 2026 with one event.
const CALENDAR: &str = "layout: calendar
title: 7月の催し
period: 2026-07-01〜2026-07-31
events:
  - {date: 2026-07-20, start: \"10:00\", title: 海の日の記念行事}
";

#[test]
fn a_calendar_names_every_holiday_of_its_month_from_the_list() {
    let project = scratch_project();
    write_issue(project.path(), "2026-07", CALENDAR);
    let output = koho_in(project.path(), &["build", "content/2026-07"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = squeeze(&pdf_text(&project.path().join("out/2026-07/2026-07.pdf")));
    let july: Vec<_> = holidays::of_year(2026)
        .into_iter()
        .filter(|(d, _)| d.month() == 7)
        .collect();
    assert!(!july.is_empty(), "July 2026 has 海の日");
    for (day, holiday) in july {
        // The day's number, its weekday and the holiday's name, in that order.
        let row = format!("{}{}{}", day.day(), day.weekday_ja(), holiday.name);
        assert!(text.contains(&row), "no {row} in {text}");
    }
    // Every day of the month is printed, each with its weekday.
    assert!(text.contains("31金"), "{text}");
}

#[test]
fn a_duty_doctor_on_a_working_day_is_an_error_in_the_editors_words() {
    let project = scratch_project();
    write_issue(
        project.path(),
        "2026-07",
        "layout: duty-doctors
title: 休日当番医
days:
  - date: 2026-07-08
    clinics:
      - {department: 内科, name: 錦町内科, phone: 0144-30-1101, start: \"9:00\", end: \"17:00\"}
",
    );
    let output = koho_in(project.path(), &["check", "content/2026-07"], "ja_JP.UTF-8");
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output) + &stdout(&output);
    assert!(said.contains("p.yaml:4:11"), "{said}");
    assert!(said.contains("当番日1 › 日付"), "{said}");
    assert!(said.contains("2026年7月8日は水曜日"), "{said}");
    assert!(said.contains("当番の理由"), "{said}");
}
