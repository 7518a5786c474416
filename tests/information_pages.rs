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

/// Writes `content/<name>/` of the magazine 広報テスト, dated `issue_date`, with one
/// population page.
fn population_issue(project: &std::path::Path, name: &str, issue_date: &str, page: &str) {
    let dir = project.join("content").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("issue.yaml"),
        format!("magazine: 広報テスト\nissue_date: {issue_date}\noffprint: true\npages:\n  - file: p.yaml\n    folio: 12\n"),
    )
    .unwrap();
    std::fs::write(dir.join("p.yaml"), page).unwrap();
}

/// A population page counted on `as_of`, with `extra` lines after the figures.
fn population_page(as_of: &str, male: i64, female: i64, households: i64, extra: &str) -> String {
    let total = male + female;
    let (children, elderly) = (total / 10, total / 3);
    format!(
        "layout: population\nas_of: {as_of}\nmale: {male}\nfemale: {female}\nhouseholds: {households}\n\
         children: {children}\nworking_age: {}\nelderly: {elderly}\n{extra}",
        total - children - elderly
    )
}

/// The errors of `koho check --json` on `issue`: (line, field, kind, message).
fn check_errors(project: &std::path::Path, issue: &str) -> Vec<(u64, String, String, String)> {
    let output = koho_in(project, &["check", issue, "--json", "--lang", "ja"], "C");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_change_since_the_previous_issue_is_worked_out_checked_and_found_in_the_archive() {
    let project = scratch_project();
    let dir = project.path();
    // July: no earlier issue of 広報テスト (the sample's June issue is another magazine's), so
    // the changes are printed as written.
    let july_changes =
        "total_change: -4\nmale_change: -1\nfemale_change: -3\nhouseholds_change: 2\n";
    population_issue(
        dir,
        "2026-07",
        "2026-07-01",
        &population_page("2026-06-01", 1000, 1200, 900, july_changes),
    );
    // August, the changes left out: koho works them out from July's page and prints them.
    population_issue(
        dir,
        "2026-08",
        "2026-08-01",
        &population_page("2026-07-01", 998, 1205, 903, ""),
    );
    let built = koho_in(dir, &["build", "content/2026-08"], "C");
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let text = squeeze(&pdf_text(&dir.join("out/2026-08/2026-08.pdf")));
    for change in ["前月比3人増", "前月比2人減", "前月比5人増", "前月比3世帯増"]
    {
        assert!(text.contains(change), "no {change} in {text}");
    }

    // A change written wrong is an error at its line, showing the computation.
    let wrong = population_page("2026-07-01", 998, 1205, 903, "total_change: -3\n");
    std::fs::write(dir.join("content/2026-08/p.yaml"), &wrong).unwrap();
    let errors = check_errors(dir, "content/2026-08");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (line, field, kind, message) = &errors[0];
    assert_eq!(
        (*line, field.as_str(), kind.as_str()),
        (9, "total_change", "previous-mismatch")
    );
    assert!(
        message.contains("前の号 (2026-07) の人口は 2,200")
            && message.contains("2,203 − 2,200 = +3")
            && message.contains("−3 と書かれています"),
        "{message}"
    );

    // With July kept in the archive and its folder gone, the archive's copy is read.
    let added = koho_in(dir, &["archive", "add", "content/2026-07", "--quiet"], "C");
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    std::fs::remove_dir_all(dir.join("content/2026-07")).unwrap();
    let errors = check_errors(dir, "content/2026-08");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].3.contains("2,203 − 2,200 = +3"), "{errors:?}");

    // Figures counted on another day than one month before are not a 前月比.
    let later = population_page("2026-07-15", 998, 1205, 903, "");
    std::fs::write(dir.join("content/2026-08/p.yaml"), &later).unwrap();
    let errors = check_errors(dir, "content/2026-08");
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|(_, _, kind, message)| kind == "previous-missing"
                && message.contains("2026年6月1日 現在のもので、1か月前の 2026年6月15日")),
        "{errors:?}"
    );
}
