//! `koho build` on the sample and on variants of the page: one page each, every label and
//! figure in the PDF's text, errors for what does not fit or cannot be printed, and outputs
//! that are repeatable and never half-written.

mod common;

use std::fs;
use std::path::Path;

use common::{koho_in, pdf_pages, pdf_text, scratch_project, squeeze, stderr, write_issue};

/// A page file: `visions` visions of `items` items, labels made by `label`.
fn page_yaml(
    visions: usize,
    items: usize,
    label: impl Fn(usize, usize) -> String,
    tail: &str,
) -> String {
    let mut yaml = String::from(
        "layout: pledge-progress\nsection: 市政トピックス\ntitle: 公約の進み具合\nvisions:\n",
    );
    for v in 1..=visions {
        yaml.push_str(&format!("  - title: ビジョンの題{v}\n    items:\n"));
        for i in 1..=items {
            yaml.push_str(&format!(
                "      - label: \"{}\"\n        percent: {}\n",
                label(v, i),
                (v * 7 + i * 13) % 101
            ));
        }
    }
    yaml.push_str(tail);
    yaml
}

/// Builds `content/<name>` in `project`; returns the exit code, stderr and the PDF path.
fn build(project: &Path, name: &str) -> (Option<i32>, String, std::path::PathBuf) {
    let output = koho_in(
        project,
        &["build", &format!("content/{name}"), "--lang", "en"],
        "C",
    );
    let pdf = project.join("out").join(name).join(format!("{name}.pdf"));
    (output.status.code(), stderr(&output), pdf)
}

/// Every string of `expected`, in order, in the PDF's text (white space ignored).
fn assert_text_in_order(pdf: &Path, expected: &[String]) {
    let text = squeeze(&pdf_text(pdf));
    let mut from = 0;
    for piece in expected {
        let piece = squeeze(piece);
        match text[from..].find(&piece) {
            Some(at) => from += at + piece.len(),
            None => panic!("{piece:?} is not in the PDF's text after byte {from}:\n{text}"),
        }
    }
}

#[test]
fn the_sample_builds_one_page_with_every_label_and_figure() {
    let project = scratch_project();
    let (code, err, pdf) = build(project.path(), "2026-06");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pdf_pages(&pdf), 1);
    assert!(project.path().join("out/2026-06/preview/p4.png").is_file());
    let issue = koho::check(
        &koho::Project::find(project.path()).unwrap(),
        &project.path().join("content/2026-06"),
        project.path(),
    )
    .issue
    .unwrap();
    let page = issue.pages.as_slice()[0].content.fields.to_json();
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    let mut expected = vec![text(&page["title"])];
    for vision in page["visions"].as_array().unwrap() {
        expected.push(text(&vision["title"]));
        expected.push(format!("{}%", vision["percent"]));
        for item in vision["items"].as_array().unwrap() {
            expected.push(text(&item["label"]));
            expected.push(format!("{}%", item["percent"]));
        }
    }
    for highlight in page["highlights"]["items"].as_array().unwrap() {
        expected.push(text(&highlight["title"]));
    }
    expected.push(text(&page["note"]));
    assert_text_in_order(&pdf, &expected);
}

#[test]
fn eight_visions_of_six_items_fit_without_highlights() {
    let project = scratch_project();
    write_issue(
        project.path(),
        "full",
        &page_yaml(8, 6, |v, i| format!("項目{v}-{i}の取り組み"), ""),
    );
    let (code, err, pdf) = build(project.path(), "full");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pdf_pages(&pdf), 1);
    let expected: Vec<String> = (1..=8)
        .flat_map(|v| (1..=6).map(move |i| format!("項目{v}-{i}の取り組み")))
        .collect();
    assert_text_in_order(&pdf, &expected);
}

#[test]
fn one_vision_of_one_item_and_no_optional_fields() {
    let project = scratch_project();
    write_issue(
        project.path(),
        "one",
        &page_yaml(1, 1, |_, _| "ただ一つの項目".into(), ""),
    );
    let (code, err, pdf) = build(project.path(), "one");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pdf_pages(&pdf), 1);
    assert_text_in_order(
        &pdf,
        &[
            "ビジョンの題1".into(),
            "ただ一つの項目".into(),
            "20%".into(),
        ],
    );
}

#[test]
fn very_long_labels_wrap_and_still_fit() {
    let project = scratch_project();
    let long = |v: usize, i: usize| {
        format!(
            "{v}-{i} {}",
            "市民の皆さんとともに進める長い名前の取り組み".repeat(3)
        )
    };
    write_issue(project.path(), "long", &page_yaml(4, 3, long, ""));
    let (code, err, pdf) = build(project.path(), "long");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(pdf_pages(&pdf), 1);
    let expected: Vec<String> = (1..=4)
        .flat_map(|v| (1..=3).map(move |i| long(v, i)))
        .collect();
    assert_text_in_order(&pdf, &expected);
}

#[test]
fn content_that_cannot_fit_names_its_fields() {
    let project = scratch_project();
    let long = |v: usize, i: usize| {
        format!(
            "{v}-{i} {}",
            "市民の皆さんとともに進める長い名前の取り組み".repeat(3)
        )
    };
    let highlights = "highlights:\n  heading: 取り組み\n  items:\n".to_owned()
        + &"    - title: 取り組みの題\n      body: 本文の文章がここに入ります。本文の文章がここに入ります。\n".repeat(3);
    write_issue(
        project.path(),
        "overfull",
        &page_yaml(8, 6, long, &highlights),
    );
    let output = koho_in(
        project.path(),
        &["build", "content/overfull", "--json", "--lang", "en"],
        "C",
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    // One problem for the page, as a layout program reports overset text: not one per field
    // pushed off it.
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error["kind"], "overflow", "{error}");
    assert_eq!(error["file"], "content/overfull/p.yaml");
    // It points at the field most likely to shorten: the longest text on the page.
    assert_eq!(error["field"], "visions[1].items[1].label", "{error}");
    assert!(error["line"].as_u64().unwrap() > 1, "{error}");
    let message = error["message"].as_str().unwrap();
    let over_mm: u32 = message
        .split("about ")
        .nth(1)
        .and_then(|s| s.split(" mm").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no mm in {message}"));
    assert!(over_mm > 0, "{message}");
    assert!(
        message.contains("lines") && message.contains("characters"),
        "{message}"
    );
    // What spills is what comes last in each column, named by its block (a vision, not
    // each of its items).
    assert!(message.contains("Vision 08"), "{message}");
    assert!(!message.contains("Vision 08 › Item"), "{message}");
    let hint = error["hint"].as_str().unwrap();
    assert!(hint.contains("Vision 01 › Item 1 › label"), "{hint}");
    assert!(
        !project.path().join("out/overfull").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn a_lead_that_pushes_the_page_over_is_named_once() {
    let project = scratch_project();
    let page = project
        .path()
        .join("content/2026-06/p04-pledge-progress.yaml");
    let text = fs::read_to_string(&page).unwrap();
    let lead = "金澤市長が市民の皆さんと約束した公約の進捗状況をまとめましたので、お知らせします。";
    let long = text
        .lines()
        .map(|l| {
            if l.starts_with("lead:") {
                format!("lead: {}", lead.repeat(22))
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&page, long).unwrap();
    let output = koho_in(project.path(), &["check", "--json"], "ja_JP.UTF-8");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "one problem for the page: {errors:?}");
    assert_eq!(errors[0]["field"], "lead");
    assert_eq!(errors[0]["words"], "リード文");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("4 ページに収まりません") && message.contains(" mm"),
        "{message}"
    );
    assert!(message.contains("取り組み紹介"), "{message}");
    let hint = errors[0]["hint"].as_str().unwrap();
    assert!(hint.contains("いちばん長い文章は「リード文」"), "{hint}");
}

#[test]
fn a_character_no_font_has_is_named_with_its_field() {
    let project = scratch_project();
    let yaml = page_yaml(
        1,
        2,
        |_, i| {
            if i == 2 {
                "𠮷野家の前の道".into()
            } else {
                "ふつうの項目".into()
            }
        },
        "",
    );
    write_issue(project.path(), "tofu", &yaml);
    let output = koho_in(
        project.path(),
        &["build", "content/tofu", "--lang", "en"],
        "C",
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    // Line 9 holds the second label; the column is that of 𠮷 inside the quotes. The field
    // is named as the editors know it beside its path.
    assert!(
        err.contains("error: content/tofu/p.yaml:9:17: visions[1].items[2].label (Vision 01 › Item 2 › label): no bundled font has the character `𠮷` (U+20BB7)"),
        "{err}"
    );
}

#[test]
fn markup_in_content_prints_as_itself() {
    let project = scratch_project();
    let label = r#"#set text(red) $x^2$ *太字* _斜体_ @ref <tag> // 注 \\ 100%"#;
    let yaml = page_yaml(
        1,
        1,
        |_, _| label.replace('\\', "\\\\"),
        "note: '#1 のお知らせ'\n",
    );
    write_issue(project.path(), "markup", &yaml);
    let (code, err, pdf) = build(project.path(), "markup");
    assert_eq!(code, Some(0), "{err}");
    assert_text_in_order(&pdf, &[label.to_owned(), "#1 のお知らせ".to_owned()]);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let project = scratch_project();
    let (code, err, pdf) = build(project.path(), "2026-06");
    assert_eq!(code, Some(0), "{err}");
    let first = fs::read(&pdf).unwrap();
    let first_png = fs::read(project.path().join("out/2026-06/preview/p4.png")).unwrap();
    let (code, _, _) = build(project.path(), "2026-06");
    assert_eq!(code, Some(0));
    assert!(
        fs::read(&pdf).unwrap() == first,
        "the PDF changed between two builds"
    );
    assert!(fs::read(project.path().join("out/2026-06/preview/p4.png")).unwrap() == first_png);
}

#[test]
fn a_failed_build_leaves_the_earlier_output_as_it_was() {
    let project = scratch_project();
    let (code, err, pdf) = build(project.path(), "2026-06");
    assert_eq!(code, Some(0), "{err}");
    let preview = project.path().join("out/2026-06/preview/p4.png");
    let (before_pdf, before_png) = (fs::read(&pdf).unwrap(), fs::read(&preview).unwrap());
    let page = project
        .path()
        .join("content/2026-06/p04-pledge-progress.yaml");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("percent: 95", "percent: 59")).unwrap();
    let (code, err, _) = build(project.path(), "2026-06");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(fs::read(&pdf).unwrap() == before_pdf);
    assert!(fs::read(&preview).unwrap() == before_png);
    let stray: Vec<_> = walk(&project.path().join("out"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn output_and_typst_sources_go_where_asked() {
    let project = scratch_project();
    let output = koho_in(
        project.path(),
        &[
            "build",
            "content/2026-06",
            "-o",
            "print/june.pdf",
            "--emit-typst",
            "typst-src",
            "--quiet",
        ],
        "C",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).is_empty(),
        "--quiet prints no progress: {}",
        stderr(&output)
    );
    let printed = common::stdout(&output);
    assert!(printed.lines().any(|l| l == "print/june.pdf"), "{printed}");
    assert!(
        printed.lines().any(|l| l == "out/2026-06/preview/p4.png"),
        "{printed}"
    );
    assert_eq!(pdf_pages(&project.path().join("print/june.pdf")), 1);
    let src = project.path().join("typst-src");
    for file in [
        "main.typ",
        "data/format.json",
        "data/issue.json",
        "data/p4.json",
        "layouts/pledge-progress/page.typ",
        "layouts/pledge-progress/parts.typ",
        "layouts/lib/marks.typ",
        "layouts/lib/frame.typ",
        "photos/p4-1.jpg",
        "photos/p4-2.jpg",
    ] {
        assert!(src.join(file).is_file(), "{file} was not written");
    }
    let main = fs::read_to_string(src.join("main.typ")).unwrap();
    assert!(!main.contains("苫小牧"), "main.typ holds no content text");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}
