//! `koho import`: drafts from an イベント一覧 CSV (UTF-8 and CP932 made here), from an `.xlsx`
//! written here with a spreadsheet writer, and from the template koho makes; rows that cannot
//! be entries reported by number; a drafted page checked by `koho check` as the editor would.

mod common;

use std::fs;
use std::path::Path;

use common::{files_under, koho_in, scratch_issue, stderr, stdout};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// The standard's header row, as a city portal publishes it, with カテゴリー added.
const HEADER: &str = "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,\
イベント名_英語,開始日,終了日,開始時間,終了時間,開始日時特記事項,説明,料金(基本),料金(詳細),連絡先名称,\
連絡先電話番号,連絡先内線番号,主催者,場所名称,住所,方書,緯度,経度,アクセス方法,駐車場情報,定員,\
参加申込終了日,参加申込終了時間,参加申込方法,URL,備考,カテゴリー";

/// One row of the standard's 33 columns (sample events, not a city's).
fn event_row(
    no: u32,
    name: &str,
    start: &str,
    end: &str,
    times: (&str, &str),
    place: &str,
) -> String {
    format!(
        "012131,{no},北海道,苫小牧市,{name},,,{start},{end},{},{},,{name}の説明 (サンプル),0,,市民課,\
0144-32-6274,,,{place},,,42.63,141.60,,,20,,,電話で,,,講座・催し",
        times.0, times.1
    )
}

/// The first event of every list here: a one-day workshop, row 2 of the file.
fn workshop_row() -> String {
    event_row(
        1,
        "夏の工作教室",
        "2026-07-11",
        "",
        ("10:00", "12:00"),
        "市民活動センター",
    )
}

/// An イベント一覧 of three events, the second one spanning three days.
fn event_list() -> String {
    [
        HEADER.to_owned(),
        workshop_row(),
        event_row(
            2,
            "港まつり",
            "2026/7/31",
            "2026/8/2",
            ("10:00", "21:00"),
            "苫小牧港",
        ),
        event_row(
            3,
            "救命講習",
            "2026-07-18",
            "2026-07-18",
            ("9:30", "12:30"),
            "消防本部",
        ),
    ]
    .join("\r\n")
        + "\r\n"
}

#[test]
fn an_event_list_in_utf8_and_in_cp932_drafts_the_same_notices() {
    let project = scratch_issue();
    let root = project.path();
    let text = event_list();
    for dir in ["utf8", "cp932"] {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(text.as_bytes());
    fs::write(root.join("utf8/events.csv"), with_bom).unwrap();
    let (cp932, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable, "the sample text is all in CP932");
    fs::write(root.join("cp932/events.csv"), &cp932).unwrap();

    let utf8 = koho_in(
        root,
        &["import", "notices", "utf8/events.csv", "--lang", "ja"],
        "C",
    );
    let sjis = koho_in(
        root,
        &["import", "notices", "cp932/events.csv", "--lang", "ja"],
        "C",
    );
    assert_eq!(utf8.status.code(), Some(0), "{}", stderr(&utf8));
    assert_eq!(sjis.status.code(), Some(0), "{}", stderr(&sjis));
    assert_eq!(
        stdout(&utf8),
        stdout(&sjis),
        "the same draft from either encoding"
    );
    assert!(stderr(&sjis).contains("Shift_JIS"), "{}", stderr(&sjis));
    let draft = stdout(&utf8);
    // Each item names its source row; the dates are read as the city wrote them.
    for (row, title) in [(2, "夏の工作教室"), (3, "港まつり"), (4, "救命講習")] {
        let comment = format!("# events.csv の {row} 行目\n");
        let at = draft
            .find(&comment)
            .unwrap_or_else(|| panic!("{comment} in\n{draft}"));
        assert!(
            draft[at..].contains(&format!("- title: {title}")),
            "{draft}"
        );
    }
    assert!(
        draft.contains("when: 2026-07-31〜2026-08-02 10:00-21:00"),
        "{draft}"
    );
    assert!(draft.contains("fee: 無料"), "0 is printed 無料: {draft}");
    assert!(draft.contains("capacity: 20人"), "{draft}");
    // Standard columns no page prints are named, not dropped silently.
    let said = stderr(&utf8);
    assert!(said.contains("「緯度」「経度」"), "{said}");

    // Into the notices page of next month's issue, where koho new left the list 要記入.
    assert_eq!(koho_in(root, &["new"], "C").status.code(), Some(0));
    let page = "content/2026-07/p10-notices.yaml";
    let before = check_errors(root);
    let filled = koho_in(
        root,
        &["import", "notices", "utf8/events.csv", "-o", page],
        "C",
    );
    assert_eq!(filled.status.code(), Some(0), "{}", stderr(&filled));
    let after = check_errors(root);
    let gone: Vec<_> = before.iter().filter(|e| !after.contains(e)).collect();
    assert_eq!(
        gone,
        [&(
            page.to_owned(),
            "categories".to_owned(),
            "still-to-fill".to_owned()
        )]
    );
    assert!(
        after.iter().all(|(_, _, kind)| kind == "still-to-fill"),
        "the imported items raise no error: {after:?}"
    );
    let text = fs::read_to_string(root.join(page)).unwrap();
    assert!(
        text.starts_with("# yaml-language-server: $schema="),
        "its head is kept"
    );

    // A second import finds the list written and replaces nothing.
    let again = koho_in(
        root,
        &["import", "notices", "utf8/events.csv", "-o", page],
        "C",
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("categories"), "{}", stderr(&again));
    assert_eq!(fs::read_to_string(root.join(page)).unwrap(), text);
}

/// `(file, field, kind)` of every error `koho check` reports for next month's issue.
fn check_errors(root: &Path) -> Vec<(String, String, String)> {
    let output = koho_in(root, &["check", "content/2026-07", "--json"], "C");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["field"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_row_with_a_bad_date_is_reported_by_its_number_and_the_rest_drafted() {
    let project = scratch_issue();
    let root = project.path();
    let text = [
        HEADER.to_owned(),
        workshop_row(),
        event_row(2, "港まつり", "2026/13/01", "", ("", ""), "苫小牧港"),
        event_row(
            3,
            "救命講習",
            "2026-07-18",
            "",
            ("12:30", "9:30"),
            "消防本部",
        ),
        event_row(4, "朗読会", "2026-07-19", "", ("14:00", ""), "中央図書館"),
    ]
    .join("\n");
    fs::write(root.join("events.csv"), text).unwrap();
    let output = koho_in(
        root,
        &[
            "import",
            "calendar",
            "events.csv",
            "-o",
            "calendar.yaml",
            "--lang",
            "ja",
        ],
        "C",
    );
    assert_eq!(output.status.code(), Some(1), "rows left out are errors");
    let said = stderr(&output);
    assert!(
        said.contains("events.csv の 3 行目: 「開始日」の「2026/13/01」は日付として読めません"),
        "{said}"
    );
    assert!(
        said.contains("events.csv の 4 行目: 「終了時間」が始まりより前"),
        "{said}"
    );
    let draft = fs::read_to_string(root.join("calendar.yaml")).unwrap();
    assert!(
        draft.contains("title: 夏の工作教室") && draft.contains("title: 朗読会"),
        "{draft}"
    );
    assert!(
        !draft.contains("港まつり") && !draft.contains("救命講習"),
        "{draft}"
    );
    // The calendar's month and title are worked out from the events' days.
    assert!(draft.contains("period: 2026-07-01〜2026-07-31"), "{draft}");
    assert!(draft.contains("title: 7月の催し・行事"), "{draft}");

    let json = koho_in(root, &["import", "calendar", "events.csv", "--json"], "C");
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    let rows: Vec<u64> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [3, 4]);
    assert_eq!(json["rows_taken"], 2);
}

/// The header row of the first sheet of an `.xlsx`.
fn xlsx_headers(path: &Path) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn a_spreadsheet_with_real_date_cells_drafts_duty_days_grouped_by_date() {
    let project = scratch_issue();
    let root = project.path();
    // The template names the columns; this sheet is written in their words, with date and
    // time cells as Excel keeps them and the date written once per group of rows.
    let template = koho_in(
        root,
        &["import", "--template", "duty-doctors", "--json"],
        "C",
    );
    assert_eq!(template.status.code(), Some(0), "{}", stderr(&template));
    let made: Value = serde_json::from_slice(&template.stdout).unwrap();
    let template_path = root.join(made["template"].as_str().unwrap());
    let headers = xlsx_headers(&template_path);
    for wanted in ["日付", "診療科", "医療機関名", "電話", "診療開始"] {
        assert!(
            headers.iter().any(|h| h == wanted),
            "{wanted} in {headers:?}"
        );
    }

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    let time = Format::new().set_num_format("h:mm");
    let columns = [
        "日付",
        "診療科",
        "医療機関名",
        "電話",
        "診療開始",
        "診療終了",
        "メモ",
    ];
    for (c, h) in columns.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // Sample clinics, not real ones: (date or none for "same day as above",
    // department, clinic, phone, (opening hour, closing hour)).
    type DutyRow<'a> = (Option<(u16, u8, u8)>, &'a str, &'a str, &'a str, (u16, u16));
    let rows: [DutyRow; 4] = [
        (
            Some((2026, 7, 5)),
            "内科",
            "サンプル内科医院",
            "0144-30-0001",
            (9, 17),
        ),
        (None, "歯科", "サンプル歯科医院", "0144-30-0002", (9, 12)),
        (
            Some((2026, 7, 12)),
            "内科",
            "見本クリニック",
            "0144-30-0003",
            (9, 17),
        ),
        (
            Some((2026, 7, 12)),
            "外科",
            "見本外科",
            "0144-30-0004",
            (9, 17),
        ),
    ];
    for (r, (day, department, name, phone, (from, to))) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        if let Some((y, m, d)) = day {
            let cell = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
            sheet
                .write_datetime_with_format(r, 0, &cell, &date)
                .unwrap();
        }
        sheet.write_string(r, 1, *department).unwrap();
        sheet.write_string(r, 2, *name).unwrap();
        sheet.write_string(r, 3, *phone).unwrap();
        let open = ExcelDateTime::from_hms(*from, 0, 0).unwrap();
        let close = ExcelDateTime::from_hms(*to, 0, 0).unwrap();
        sheet
            .write_datetime_with_format(r, 4, &open, &time)
            .unwrap();
        sheet
            .write_datetime_with_format(r, 5, &close, &time)
            .unwrap();
        sheet.write_string(r, 6, "社内メモ").unwrap();
    }
    book.save(root.join("当番表.xlsx")).unwrap();

    let output = koho_in(
        root,
        &["import", "duty-doctors", "当番表.xlsx", "--lang", "ja"],
        "C",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let draft = stdout(&output);
    assert!(
        stderr(&output).contains("「メモ」"),
        "an unknown column is named: {}",
        stderr(&output)
    );
    assert_eq!(
        draft.matches("- date: ").count(),
        2,
        "two duty days: {draft}"
    );
    assert_eq!(
        draft.matches("- department: ").count(),
        4,
        "four clinics: {draft}"
    );
    assert!(draft.contains("- date: 2026-07-05"), "{draft}");
    assert!(
        draft.contains("start: \"9:00\"") && draft.contains("end: \"17:00\""),
        "{draft}"
    );
    assert!(
        draft.contains("title: 要記入"),
        "the page title is for the editor: {draft}"
    );

    // Into the sample's duty-doctors page, its days emptied to 要記入: the issue checks clean.
    let page = root.join("content/2026-06/p14-duty-doctors.yaml");
    let old = fs::read_to_string(&page).unwrap();
    let start = old.find("\ndays:\n").unwrap() + 1;
    let end = start + old[start..].find("\nemergency:").unwrap() + 1;
    fs::write(
        &page,
        format!("{}days: 要記入\n{}", &old[..start], &old[end..]),
    )
    .unwrap();
    let filled = koho_in(
        root,
        &[
            "import",
            "duty-doctors",
            "当番表.xlsx",
            "-o",
            "content/2026-06/p14-duty-doctors.yaml",
        ],
        "C",
    );
    assert_eq!(filled.status.code(), Some(0), "{}", stderr(&filled));
    let check = koho_in(root, &["check", "content/2026-06"], "C");
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn a_notices_sheet_from_the_template_groups_rows_under_their_category() {
    let project = scratch_issue();
    let root = project.path();
    let made = koho_in(
        root,
        &["import", "--template", "notices", "-o", "notices.xlsx"],
        "C",
    );
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let headers = xlsx_headers(&root.join("notices.xlsx"));
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {headers:?}")) as u16
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    // The category written once, on the first of its rows, as editors write sheets.
    let rows = [
        (
            "募集",
            "市民委員の募集 (サンプル)",
            "2026-07-01〜2026-07-31",
        ),
        ("", "花壇ボランティア (サンプル)", ""),
        (
            "健康",
            "がん検診のお知らせ (サンプル)",
            "2026-07-15 9:00-11:00",
        ),
    ];
    for (r, (category, title, when)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        if !category.is_empty() {
            sheet.write_string(r, at("分類名"), *category).unwrap();
        }
        sheet.write_string(r, at("題"), *title).unwrap();
        if !when.is_empty() {
            sheet.write_string(r, at("日時"), *when).unwrap();
        }
        sheet.write_string(r, at("問合せ・担当"), "市民課").unwrap();
        sheet
            .write_string(r, at("問合せ・電話"), "０１４４－３２－６２７４")
            .unwrap();
    }
    book.save(root.join("お知らせ.xlsx")).unwrap();

    let before = files_under(&root.join("content"));
    let output = koho_in(
        root,
        &["import", "notices", "お知らせ.xlsx", "-o", "draft.yaml"],
        "C",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        files_under(&root.join("content")),
        before,
        "only the draft is written"
    );
    let draft = fs::read_to_string(root.join("draft.yaml")).unwrap();
    assert_eq!(draft.matches("- name: ").count(), 2, "{draft}");
    let health = draft.find("- name: 健康").unwrap();
    assert!(
        draft[..health].contains("花壇ボランティア"),
        "a row without a category joins the one above: {draft}"
    );
    assert!(
        draft.contains("phone: 0144-32-6274"),
        "full-width digits narrowed: {draft}"
    );
    assert!(draft.contains("# お知らせ.xlsx の 3 行目"), "{draft}");
}
