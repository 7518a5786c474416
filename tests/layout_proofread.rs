//! The 組版チェック (DESIGN §13): each fault it reports, made on purpose and found at its page,
//! field and with its lever; `--strict` makes the warnings errors; and both whole issues — the
//! sample and the second city's, written without tuning the templates to it — come out with no
//! date, time or figure broken across lines and no display line of one or two characters, read
//! back from the print file with poppler.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use common::{copy_tree, koho_in, link_fonts, stdout};

const PROJECT: &str = env!("CARGO_MANIFEST_DIR");

/// A test kind whose template sets each field the way the built-in rules never would, so that
/// every fault the 組版チェック knows shows on one page.
const PROBE_SCHEMA: &str = r#"# A test kind that sets its fields badly on purpose (tests/layout_proofread.rs).
kind: probe
words: {ja: 組版チェックの試験, en: layout proofread probe}
title: title
fields:
  title: {type: text, words: {ja: 題, en: title}}
  date_line: {type: text, words: {ja: 日付の行, en: date line}}
  small: {type: text, words: {ja: 小さな字, en: small text}}
  wide: {type: text, words: {ja: 長い語, en: long word}}
  over: {type: text, words: {ja: 重なる文, en: overlapping text}}
"#;

const PROBE_TEMPLATE: &str = r#"// probe: a test kind that sets its fields badly on purpose (tests/layout_proofread.rs).
#import "../lib/frame.typ": page-frame
#import "../lib/format.typ": with-units
#import "../lib/markers.typ": region-bottom, region-top

/// A field in a block of its own, its region marked.
#let field(data, key, width: 100%, body) = block(width: width, {
  region-top(data.folio, key)
  body
  region-bottom(data.folio, key)
})

#let page(format, issue, data) = {
  let f = with-units(format)
  page-frame(f, issue, data, {
    set par(justify: false)
    // A heading in a narrow box, neither balanced nor settled: it ends on a runt.
    field(data, "title", width: 30mm, text(size: 12pt, data.title))
    // A date whose figure and the rest are set in two styles, which the rules do not join.
    field(data, "date_line", width: 22mm, {
      let (head, tail) = data.date_line.split("|")
      text(weight: "bold", head)
      tail
    })
    // Text set below the format's smallest size.
    field(data, "small", text(size: 4pt, data.small))
    // A word too long for any line, after a wide space: it runs off the page.
    field(data, "wide", [#h(120mm)#data.wide])
    // Text placed at the top of the page, over the title's first line.
    place(top + left, field(data, "over", width: 40mm, text(size: 12pt, data.over)))
  })
}
"#;

const PROBE_ISSUE: &str = "magazine: 広報テスト\nissue_date: 2026-09-01\noffprint: true\npages:\n  - file: p.yaml\n    folio: 5\n";

/// Sample text, not from the seed.
const PROBE_PAGE: &str = "# Sample text for a test (not from the seed).
layout: probe
title: 名水百選に選ばれた城下町湧水群
date_line: 申込は9月30|日(水)まで
small: 小さすぎる字
wide: ThisWordIsMuchTooLongToStayOnThePageAndItRunsPastTheTrimAndOffTheSheetBecauseNothingInItMayBreakAtAllNotEvenOnceAlongItsWholeLengthOfManyLetters
over: 重なる見出し
";

/// A project with the built-in layouts, the probe kind and its issue `content/probe/`.
fn probe_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_tree(&Path::new(PROJECT).join("layouts"), &root.join("layouts"));
    link_fonts(root);
    fs::create_dir_all(root.join("layouts/probe")).unwrap();
    fs::write(root.join("layouts/probe/schema.yaml"), PROBE_SCHEMA).unwrap();
    fs::write(root.join("layouts/probe/page.typ"), PROBE_TEMPLATE).unwrap();
    fs::create_dir_all(root.join("content/probe")).unwrap();
    fs::write(root.join("content/probe/issue.yaml"), PROBE_ISSUE).unwrap();
    fs::write(root.join("content/probe/p.yaml"), PROBE_PAGE).unwrap();
    dir
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// `(line, field, kind, message)` of each entry of a report's `errors` or `warnings`.
fn rows(report: &serde_json::Value, list: &str) -> Vec<(u64, String, String, String)> {
    report[list]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["field"].as_str().unwrap().to_owned(),
                d["kind"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn each_fault_is_a_warning_at_its_page_and_field_with_the_lever_to_pull() {
    let project = probe_project();
    let output = koho_in(
        project.path(),
        &["--json", "check", "content/probe"],
        "C.UTF-8",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report = json(&output);
    let found = rows(&report, "warnings");
    // Line of p.yaml, field, kind: one each, and nothing else.
    let expected = [
        (3, "title", "display-runt"),
        (4, "date_line", "broken-token"),
        (5, "small", "set-too-small"),
        (6, "wide", "off-page"),
        (7, "over", "overprint"),
    ];
    let got: Vec<(u64, &str, &str)> = found
        .iter()
        .map(|(l, f, k, _)| (*l, f.as_str(), k.as_str()))
        .collect();
    assert_eq!(got, expected, "{found:#?}");
    for ((_, field, kind, message), warning) in
        found.iter().zip(report["warnings"].as_array().unwrap())
    {
        assert!(
            message.starts_with("page 5:"),
            "{kind} at {field} names its page: {message}"
        );
        let hint = warning["hint"].as_str().unwrap_or("");
        assert!(
            !hint.is_empty(),
            "{kind} at {field} says which lever to pull"
        );
        assert!(
            warning["words"].as_str().is_some(),
            "{kind} at {field} is named in the schema's words"
        );
    }
    // What each says, in the editors' words.
    let said = |kind: &str| &found.iter().find(|r| r.2 == kind).unwrap().3;
    assert!(
        said("broken-token").contains("「9月30日(水)」"),
        "{}",
        said("broken-token")
    );
    assert!(
        said("display-runt").contains("「群」"),
        "{}",
        said("display-runt")
    );
    assert!(
        said("set-too-small").contains("4.0 pt"),
        "{}",
        said("set-too-small")
    );

    // In Japanese, the same warnings in Japanese, each with its page.
    let ja = koho_in(project.path(), &["check", "content/probe"], "ja_JP.UTF-8");
    let text = common::stderr(&ja);
    for words in [
        "5 ページ: 「9月30日(水)」が 2 行に分かれています",
        "最後の行が「群」だけです",
        "ページの外に",
        "に重なっています",
        "最小の大きさ",
    ] {
        assert!(text.contains(words), "{words:?} missing from:\n{text}");
    }
}

#[test]
fn strict_makes_every_layout_warning_an_error() {
    let project = probe_project();
    let output = koho_in(
        project.path(),
        &["--json", "check", "--strict", "content/probe"],
        "C.UTF-8",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = json(&output);
    let kinds: Vec<String> = rows(&report, "errors").into_iter().map(|r| r.2).collect();
    for kind in [
        "display-runt",
        "broken-token",
        "set-too-small",
        "off-page",
        "overprint",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} is an error with --strict: {kinds:?}"
        );
    }
    assert!(rows(&report, "warnings").is_empty());
}

#[test]
fn a_word_too_long_for_any_column_is_reported_at_its_notice_not_cut_silently() {
    let project = probe_project();
    let issue = project.path().join("content/long");
    fs::create_dir_all(&issue).unwrap();
    fs::write(
        issue.join("issue.yaml"),
        PROBE_ISSUE.replace("folio: 5", "folio: 10"),
    )
    .unwrap();
    let word = "A".repeat(400);
    fs::write(
        issue.join("p.yaml"),
        format!(
            "# Sample text for a test (not from the seed).\nlayout: notices\ntitle: お知らせ\ncategories:\n  - name: 募集\n    items:\n      - title: 長い英数字\n        body: {word}\n"
        ),
    )
    .unwrap();
    let output = koho_in(
        project.path(),
        &["--json", "check", "content/long"],
        "C.UTF-8",
    );
    let report = json(&output);
    let found = rows(&report, "warnings");
    assert!(
        found
            .iter()
            .any(|(_, field, kind, message)| kind == "off-page"
                && field == "categories[1].items[1]"
                && message.starts_with("page 10:")),
        "{found:#?}"
    );
    // The item fills a little of the first column: the empty space is told as it is, two
    // whole columns and most of the first (not a third of that, as a full-width measure).
    let short = found
        .iter()
        .find(|r| r.2 == "flow-short")
        .expect("a flow-short warning");
    assert!(short.3.contains("2 of its 3 columns wholly"), "{}", short.3);
    let mm: u32 = short
        .3
        .split("about ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        mm > 700,
        "two columns and most of a third are over 700 mm: {}",
        short.3
    );
}

/// The tokens a proofreader checks for breaks: dates with their weekday, time spans, grouped
/// figures with their unit, phone numbers (written here independently of layouts/lib/rules.typ).
fn unbroken() -> regex::Regex {
    regex::Regex::new(concat!(
        r"\d{1,2}月\d{1,2}日[(（][月火水木金土日・祝]+[)）]",
        r"|\d{1,2}:\d{2}[〜~]\d{1,2}:\d{2}",
        r"|\d{1,3}(?:,\d{3})+(?:人|世帯|円)",
        r"|0\d{1,4}-\d{1,4}-\d{4}",
    ))
    .unwrap()
}

/// Every token of [`unbroken`] that `pdftotext -raw` finds split over two lines.
fn broken_tokens(text: &str) -> Vec<String> {
    let text = text.replace('\u{200B}', "");
    let lines: Vec<&str> = text.lines().collect();
    let pattern = unbroken();
    let mut broken = Vec::new();
    for pair in lines.windows(2) {
        let joined = format!("{}{}", pair[0], pair[1]);
        for m in pattern.find_iter(&joined) {
            // A token starts a word: not the 0 of P10 before a time in the next row.
            let inside = joined[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if m.start() < pair[0].len() && m.end() > pair[0].len() && !inside {
                broken.push(format!("{} | {}", pair[0], pair[1]));
            }
        }
    }
    broken
}

/// Blocks of display type (lines 11.5 pt high or more, as `pdftotext -bbox-layout` measures
/// them) whose last line holds one or two characters.
fn display_runts(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let html = String::from_utf8_lossy(&output.stdout);
    let number = |tag: &str, key: &str| -> f64 {
        let from = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
        tag[from..].split('"').next().unwrap().parse().unwrap()
    };
    let mut runts = Vec::new();
    for block in html.split("<block").skip(1) {
        let block = block.split("</block>").next().unwrap();
        let lines: Vec<(f64, String)> = block
            .split("<line ")
            .skip(1)
            .map(|line| {
                let tag = line.split('>').next().unwrap();
                let height = number(tag, "yMax") - number(tag, "yMin");
                let words: String = line
                    .split("<word")
                    .skip(1)
                    .map(|w| w.split('>').nth(1).unwrap().split('<').next().unwrap())
                    .collect::<String>()
                    .replace('\u{200B}', "");
                (height, words)
            })
            .collect();
        let display = lines.len() >= 2 && lines.iter().all(|(h, _)| *h >= 11.5);
        if let (true, Some((_, last))) = (display, lines.last())
            && (1..=2).contains(&last.chars().count())
        {
            runts.push(
                lines
                    .iter()
                    .map(|(_, w)| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" / "),
            );
        }
    }
    runts
}

/// Builds `issue` (a folder under the project) into a scratch copy, returning the PDF's path.
fn build(project: &Path, issue: &str) -> std::path::PathBuf {
    let output = koho_in(project, &["-q", "build", issue], "C.UTF-8");
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let name = Path::new(issue)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    project.join("out").join(&name).join(format!("{name}.pdf"))
}

/// A project with the built-in layouts and the second city's September issue with the August
/// offprint beside it, as `content/2026-08` and `content/2026-09`.
fn second_city_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_tree(&Path::new(PROJECT).join("layouts"), &root.join("layouts"));
    link_fonts(root);
    for month in ["2026-08", "2026-09"] {
        copy_tree(
            &Path::new(PROJECT).join("tests/second-city").join(month),
            &root.join("content").join(month),
        );
    }
    dir
}

/// Checks `issue` in `root` with `--strict` (no warning, exit 0), builds it, and reads the print
/// file back: no token split over two lines, no display runt. Returns the print file's text.
fn assert_prints_clean(root: &Path, issue: &str) -> String {
    let check = koho_in(root, &["--json", "check", "--strict", issue], "C.UTF-8");
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        rows(&json(&check), "warnings").is_empty(),
        "{}",
        stdout(&check)
    );
    let pdf = build(root, issue);
    let text = common::pdf_text(&pdf);
    assert_eq!(broken_tokens(&text), Vec::<String>::new());
    assert_eq!(display_runts(&pdf), Vec::<String>::new());
    text
}

#[test]
fn the_second_city_passes_strict_and_prints_no_broken_token_or_display_runt() {
    let dir = second_city_project();
    let text = assert_prints_clean(dir.path(), "content/2026-09");
    assert!(
        unbroken().find_iter(&text).count() > 100,
        "the issue prints its dates, times and figures"
    );
}

#[test]
fn the_sample_issue_passes_strict_and_prints_no_broken_token_or_display_runt() {
    let project = common::scratch_issue();
    assert_prints_clean(project.path(), "content/2026-06");
}

#[test]
fn the_proofreaders_token_check_finds_a_break_when_there_is_one() {
    // The check above must be able to fail: a date, a figure and a phone number split as
    // templates without the rules printed them.
    let text =
        "交付申請は10月30\n日(金)まで\n108,950世\n帯\n☎0263-31-\n1199\n→P10\n9:30〜12:00 教室\n";
    assert_eq!(broken_tokens(text).len(), 3, "{:?}", broken_tokens(text));
}

/// The calendar's lines that point at a page (`… →P11`), as `pdftotext -raw` reads them.
fn references(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .filter_map(|line| {
            let (before, folio) = line.rsplit_once("→P")?;
            Some((before.trim().to_owned(), folio.trim().parse().ok()?))
        })
        .collect()
}

/// The text `pdftotext -raw` reads on one page, without break marks.
fn page_text(pdf: &Path, page: u32) -> String {
    common::pdf_page_text(pdf, page).replace('\u{200B}', "")
}

#[test]
fn a_calendar_reference_names_the_page_its_notice_is_printed_on() {
    let project = common::scratch_issue();
    let root = project.path();
    let pdf = build(root, "content/2026-06");
    let calendar = page_text(&pdf, 13);
    let refs = references(&calendar);
    assert!(refs.len() > 10, "{refs:?}");
    // Each event and the notice it is about (notices flow over pages 10–11).
    for (event, notice) in [
        ("献血", "献血にご協力を"),
        ("離乳食教室", "離乳食教室"),
        ("軽自動車税の納期限", "軽自動車税の納期限は6月1日(月)"),
        ("いきいき体操教室", "介護予防 いきいき体操教室"),
        ("親子で楽しむ 木工教室", "親子で楽しむ 木工教室"),
    ] {
        let printed_on = (10..=11)
            .find(|&p| page_text(&pdf, p).contains(&format!("■{notice}")))
            .unwrap_or_else(|| panic!("{notice} is printed on page 10 or 11"));
        let (_, folio) = refs
            .iter()
            .find(|(line, _)| line.contains(event))
            .unwrap_or_else(|| panic!("{event} has a reference: {refs:?}"));
        assert_eq!(
            *folio, printed_on,
            "{event} → P{folio}, printed on {printed_on}"
        );
    }
    // The web edition's calendar and its reading text name the same page as the paper.
    let web = koho_in(root, &["-q", "web", "content/2026-06"], "C.UTF-8");
    assert_eq!(web.status.code(), Some(0), "{}", common::stderr(&web));
    let reading = fs::read_to_string(root.join("out/2026-06/web/p13.txt")).unwrap();
    let after = reading
        .split("\n献血\n")
        .nth(1)
        .expect("献血 in the reading text");
    let said = after.lines().find(|l| l.starts_with("掲載ページ")).unwrap();
    assert!(said.starts_with("掲載ページ 11ページ"), "{said}");
    let html = fs::read_to_string(root.join("out/2026-06/web/p13.html")).unwrap();
    let row = html
        .split("献血")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains(">11ページ</a>"), "{row}");
}

#[test]
fn a_photo_floated_from_before_its_heading_is_reported_away_from_its_chapter() {
    // The feature's template as it was: each chapter's photo floated from before its heading,
    // so that a heading kept with its text and pushed to page 9 left its photo at the foot of
    // page 8. The second city's health feature shows it at its second chapter.
    let dir = second_city_project();
    let root = dir.path();
    let parts = root.join("layouts/feature/parts.typ");
    let template = fs::read_to_string(&parts).unwrap();
    let floated_in_text = "        if i == 0 and c.photo != none {\n          chapter-photo(f, data.folio, c.photo, where: c.at(\"photo_place\", default: \"auto\"))\n        }\n";
    assert!(
        template.contains(floated_in_text),
        "the chapter's photo floats from its text"
    );
    let before_heading = template.replace(floated_in_text, "").replace(
        "    block(width: 100%, {\n      region-top(data.folio, c.field + \".body\")",
        "    if c.photo != none { chapter-photo(f, data.folio, c.photo) }\n    block(width: 100%, {\n      region-top(data.folio, c.field + \".body\")",
    );
    fs::write(&parts, before_heading).unwrap();

    let output = koho_in(root, &["--json", "check", "content/2026-09"], "C.UTF-8");
    let report = json(&output);
    let away: Vec<&serde_json::Value> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "photo-away")
        .collect();
    assert!(!away.is_empty(), "{report}");
    for warning in away {
        // "the photo is on page A, column B, but its text starts on page C, column D": in
        // reading order (two columns a page) the photo is before its text, or more than one
        // column after it.
        let message = warning["message"].as_str().unwrap();
        let numbers: Vec<i64> = message
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().unwrap())
            .collect();
        let [photo_page, photo_column, text_page, text_column] = numbers[..] else {
            panic!("{message}");
        };
        let away_by = (photo_page * 2 + photo_column) - (text_page * 2 + text_column);
        assert!(!(0..=1).contains(&away_by), "{message}");
        assert!(
            warning["field"].as_str().unwrap().ends_with(".photo"),
            "{warning}"
        );
        assert!(
            warning["hint"].as_str().unwrap().contains("photo_place"),
            "{warning}"
        );
    }
}

#[test]
fn the_watch_page_lists_each_warning_and_marks_it_where_its_field_is_printed() {
    let project = probe_project();
    let watch = common::watch::Watch::start(project.path());
    let status = watch.ready();
    let warnings = status["warnings"]
        .as_array()
        .expect("warnings in the status");
    let kinds: Vec<&str> = warnings
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "display-runt",
            "broken-token",
            "set-too-small",
            "off-page",
            "overprint"
        ],
        "{status}"
    );
    for warning in warnings {
        // Each is marked on page 5, at its field's area, and links to its line.
        let marks = warning["marks"].as_array().unwrap();
        assert!(!marks.is_empty(), "{warning}");
        assert!(marks.iter().all(|m| m["folio"] == 5), "{warning}");
        let rect: Vec<f64> = marks[0]["rect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert!(rect[2] > rect[0] && rect[3] > rect[1], "{warning}");
        assert!(
            warning["place"]["link"]
                .as_str()
                .unwrap()
                .starts_with("vscode://file/"),
            "{warning}"
        );
    }
    // The page the browser loads draws them.
    let (code, _, page) = watch.get("/");
    assert_eq!(code, 200);
    let page = String::from_utf8_lossy(&page);
    assert!(
        page.contains("showWarnings") && page.contains("組版チェックの注意"),
        "the watch page shows the warnings"
    );
    let _ = watch.interrupt();
}
