//! A new kind of page added purely as a folder — a schema and a template written here, no
//! Rust — works in every command: check (with its own words in errors), build, proof (a
//! change list in its own words) and the archive (found by search).

mod common;

use std::fs;
use std::path::Path;

use common::{koho_in, pdf_text, scratch_project, squeeze, stderr, stdout};

/// The kind's schema: a board of notices, each with a date, a time, seats and a phone.
const SCHEMA: &str = r#"# A test kind: notices with dates, times, seats and phones.
kind: notice-board
words: {ja: お知らせ板, en: notice board}
title: title
fields:
  title: {type: text, max_chars: 20, words: {ja: ページの題, en: page title}}
  notices:
    type: list
    min: 1
    max: 4
    numbering: "{n:circled}"
    words: {ja: お知らせ, en: notice}
    fields:
      heading: {type: text, words: {ja: 見出し, en: heading}}
      date: {type: date, words: {ja: 日付, en: date}}
      start: {type: time, optional: true, words: {ja: 開始時刻, en: start}}
      when: {type: schedule, optional: true, words: {ja: 日時, en: when}}
      seats: {type: integer, min: 1, max: 500, unit: 人, optional: true, words: {ja: 定員, en: seats}}
      phone: {type: phone, words: {ja: 電話, en: phone}}
      body: {type: paragraphs, optional: true, words: {ja: 本文, en: text}}
  people:
    type: object
    optional: true
    words: {ja: 参加者, en: people}
    fields:
      adults: {type: integer, words: {ja: 大人, en: adults}}
      children: {type: integer, words: {ja: 子ども, en: children}}
      total: {type: integer, optional: true, unit: 人, words: {ja: 合計, en: total}}
rules:
  - {rule: sum, of: [people.adults, people.children], into: people.total}
"#;

/// The kind's template, built on the shared parts in layouts/lib.
const TEMPLATE: &str = r#"// notice-board: a test kind (tests/kind_as_folder.rs).
#import "../lib/frame.typ": page-frame
#import "../lib/format.typ": colour, with-units
#import "../lib/markers.typ": mark, region-bottom, region-top
#import "../lib/numbers.typ": date-words, schedule-words

#let page(format, issue, data) = {
  let f = with-units(format)
  page-frame(f, issue, data, {
    text(size: f.type.title, weight: "bold", data.title)
    for n in data.notices {
      block(width: 100%, inset: 2mm, stroke: 0.5pt + colour(f, "rule"), {
        region-top(data.folio, n.field)
        text(weight: "bold")[#n.number #n.heading]
        linebreak()
        [#date-words(n.date)]
        if n.start != none [ #n.start〜]
        [　☎#n.phone]
        if n.seats != none [　定員 #str(n.seats)人]
        if n.when != none [　日時 #schedule-words(n.when)]
        if n.body != none { for p in n.body { par(p) } }
        mark(data.folio, n.field)
        region-bottom(data.folio, n.field)
      })
    }
  })
}
"#;

const ISSUE: &str = "magazine: 広報テスト\nissue_date: 2026-08-01\noffprint: true\npages:\n  - file: p10-notices.yaml\n    folio: 10\n";

/// Sample text, not from the seed.
const PAGE: &str = "# Sample notices (not from the seed).
layout: notice-board
title: 今月のお知らせ
notices:
  - heading: 夏休み工作教室
    date: 2026-08-02
    start: 9:30
    when: 2026-08-02 9:30-12:00、2026-08-09 13:00〜15:00
    seats: 30
    phone: 0144-32-6039
    body: |
      小学生が対象です。

      申込は7月25日まで。
  - heading: 図書館の休館
    date: 2026-08-17
    phone: (32)6039
people:
  adults: 1200
  children: 345
  total: 1545
";

fn project_with_kind() -> tempfile::TempDir {
    let project = scratch_project();
    let kind = project.path().join("layouts/notice-board");
    fs::create_dir_all(&kind).unwrap();
    fs::write(kind.join("schema.yaml"), SCHEMA).unwrap();
    fs::write(kind.join("page.typ"), TEMPLATE).unwrap();
    write(project.path(), "2026-08", PAGE);
    project
}

fn write(project: &Path, issue: &str, page: &str) {
    let dir = project.join("content").join(issue);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("issue.yaml"), ISSUE).unwrap();
    fs::write(dir.join("p10-notices.yaml"), page).unwrap();
}

fn koho(project: &Path, args: &[&str]) -> std::process::Output {
    koho_in(project, args, "ja_JP.UTF-8")
}

#[test]
fn a_kind_added_as_a_folder_checks_builds_proofs_and_is_archived() {
    let project = project_with_kind();
    let dir = project.path();

    // check: clean, counted in the kind's own words.
    let checked = koho(dir, &["check", "content/2026-08"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(
        stdout(&checked).contains("(1 ページ、お知らせ 2、写真 0)"),
        "{}",
        stdout(&checked)
    );

    // build: the page prints every notice, its weekday computed by koho.
    let built = koho(dir, &["build", "content/2026-08", "--quiet"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let text = squeeze(&pdf_text(&dir.join("out/2026-08/2026-08.pdf")));
    for expected in [
        "今月のお知らせ",
        "①夏休み工作教室",
        "8月2日(日)9:30〜",
        "定員30人",
        "日時8月2日(日)9:30〜12:00、8月9日(日)13:00〜15:00",
        "申込は7月25日まで。",
        "②図書館の休館",
        "8月17日(月)",
        "☎(32)6039",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }

    // proof: round 1, an edit, round 2 lists the change in the kind's words.
    let first = koho(dir, &["proof", "content/2026-08", "--quiet"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    write(
        dir,
        "2026-08",
        &PAGE
            .replace("seats: 30", "seats: 40")
            .replace("図書館の休館", "中央図書館の休館"),
    );
    let second = koho(dir, &["proof", "content/2026-08", "--quiet"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let changes = fs::read_to_string(dir.join("out/2026-08/proof/r2/changes.md")).unwrap();
    assert!(
        changes.contains("お知らせ① › 定員")
            && changes.contains("30人")
            && changes.contains("40人"),
        "{changes}"
    );
    assert!(
        changes.contains("お知らせ② › 見出し") && changes.contains("中央図書館の休館"),
        "{changes}"
    );

    // archive: added, and found by a search in the kind's words.
    let added = koho(dir, &["archive", "add", "content/2026-08", "--quiet"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let found = koho(dir, &["archive", "search", "工作教室", "--json"]);
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{found}");
    assert_eq!(hits[0]["field"], "notices[1].heading");
    assert_eq!(hits[0]["words"], "お知らせ① › 見出し");
    assert_eq!(
        hits[0]["figure"], "40人",
        "the seats stand beside the heading"
    );
}

#[test]
fn mistakes_in_a_page_of_the_new_kind_are_named_in_its_words() {
    let project = project_with_kind();
    let dir = project.path();
    let bad = PAGE
        .replace("date: 2026-08-17", "date: 2026-02-30")
        .replace("start: 9:30", "start: 9:75")
        .replace("seats: 30", "seats: ３０")
        .replace(
            "    phone: (32)6039",
            "    phone: 電話してください\n    headnig: x",
        )
        .replace(
            "title: 今月のお知らせ",
            "title: 今月のお知らせと夏休みの催しと図書館の休館のご案内",
        )
        .replace("total: 1545", "total: 1500")
        .replace("13:00〜15:00", "15:00〜13:00");
    write(dir, "bad", &bad);
    let out = koho(dir, &["check", "content/bad", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<(String, String, String, u64)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["words"].as_str().unwrap_or("").to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("title", "ページの題", "too-long", 3),
        ("notices[1].start", "お知らせ① › 開始時刻", "bad-time", 7),
        ("notices[1].when", "お知らせ① › 日時", "bad-schedule", 8),
        ("notices[1].seats", "お知らせ① › 定員", "wrong-type", 9),
        ("notices[2].date", "お知らせ② › 日付", "bad-date", 16),
        ("notices[2].phone", "お知らせ② › 電話", "bad-phone", 17),
        (
            "notices[2].headnig",
            "お知らせ② › headnig",
            "unknown-key",
            18,
        ),
        ("people.total", "参加者 › 合計", "sum-mismatch", 22),
    ];
    for (field, words, kind, line) in expected {
        assert!(
            errors
                .iter()
                .any(|e| (e.0.as_str(), e.1.as_str(), e.2.as_str(), e.3)
                    == (field, words, kind, line)),
            "{field} {kind} not in {errors:?}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{errors:?}");
    // As people read it: the path, its words, and the hint for full-width digits.
    let text = koho(dir, &["check", "content/bad"]);
    let text = stderr(&text);
    assert!(
        text.contains("notices[1].seats (お知らせ① › 定員): "),
        "{text}"
    );
    assert!(
        text.contains("数字は半角で書いてください。例: seats: 30"),
        "{text}"
    );
    assert!(text.contains("「heading」の書き間違いでは?"), "{text}");
    // The sum shows its computation in the kind's words.
    assert!(
        text.contains(
            "大人 1,200 + 子ども 345 = 1,545 ですが、ファイルには 1,500 と書かれています"
        ),
        "{text}"
    );
}
