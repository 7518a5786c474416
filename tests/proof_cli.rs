//! `koho proof` as editors run it: 初校 on the sample, an edit, 再校 — the changes list holds
//! exactly the edit and the diff picture boxes where it is; rounds are never overwritten; the
//! proof is the print page with a stamp outside the bleed; and the comments of a proof marked
//! up by another program come back with the field, file and line under each.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{copy_tree, files_under, link_fonts, pdf_text, squeeze, stderr, stdout};
use lopdf::{Document, Object, StringFormat, dictionary};
use serde_json::Value;

/// The stamp's clock, fixed (2026-05-20 10:30 JST) so every run stamps the same words.
const MADE_AT: &str = "1779240600";
const ISSUE: &str = "2026-06";
const PAGE_FILE: &str = "content/2026-06/p04-pledge-progress.yaml";
/// The previews' resolution (koho renders pages at 150 ppi).
const PX_PER_PT: f64 = 150.0 / 72.0;
/// The red koho draws its boxes and changed pixels in.
const RED: [u8; 3] = [220, 0, 30];

/// Runs koho in `dir` in Japanese with the stamp's clock fixed.
fn koho(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_koho"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "ja_JP.UTF-8")
        .env("SOURCE_DATE_EPOCH", MADE_AT)
        .output()
        .expect("koho runs")
}

/// A scratch project (layouts, the sample issue, fonts linked) in which 初校 has been made.
/// Made once; every test works on a copy of it.
fn with_first_round() -> &'static Path {
    static FIRST: OnceLock<tempfile::TempDir> = OnceLock::new();
    FIRST
        .get_or_init(|| {
            let project = common::scratch_project();
            let made = koho(project.path(), &["proof"]);
            assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
            project
        })
        .path()
}

/// A copy of the project holding 初校, to change and make 再校 in.
fn copy_of_first_round() -> tempfile::TempDir {
    let from = with_first_round();
    let dir = tempfile::tempdir().expect("temp dir");
    for part in ["layouts", "content", "out"] {
        copy_tree(&from.join(part), &dir.path().join(part));
    }
    link_fonts(dir.path());
    dir
}

fn round_dir(project: &Path, round: u32) -> PathBuf {
    project.join(format!("out/{ISSUE}/proof/r{round}"))
}

/// Replaces the one occurrence of `from` in the sample's page file with `to`.
fn edit_page(project: &Path, from: &str, to: &str) {
    let path = project.join(PAGE_FILE);
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The line (from 1) of the page file on which `text` stands.
fn line_of(project: &Path, text: &str) -> u64 {
    let page = fs::read_to_string(project.join(PAGE_FILE)).unwrap();
    let index = page.lines().position(|l| l.contains(text)).unwrap();
    index as u64 + 1
}

/// Makes the next round; it must succeed. Returns its `changes.json`.
fn next_round(project: &Path) -> Value {
    let made = koho(project, &["proof"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let changes = fs::read(round_dir(project, 2).join("changes.json")).unwrap();
    serde_json::from_slice(&changes).unwrap()
}

/// The changes of a `changes.json`, as (field, kind, old, new).
fn listed(changes: &Value) -> Vec<(String, String, Value, Value)> {
    changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_owned(),
                c["kind"].as_str().unwrap().to_owned(),
                c["old"].clone(),
                c["new"].clone(),
            )
        })
        .collect()
}

/// The region (in points from the trim's top-left) of `field` in a round's snapshot.
fn region(project: &Path, round: u32, field: &str) -> [f64; 4] {
    let snapshot: Value =
        serde_json::from_slice(&fs::read(round_dir(project, round).join("snapshot.json")).unwrap())
            .unwrap();
    let regions = snapshot["pages"][0]["regions"].as_array().unwrap();
    let found = regions
        .iter()
        .find(|r| r["field"] == field)
        .unwrap_or_else(|| panic!("no region for {field}"));
    let rect: Vec<f64> = found["rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    [rect[0], rect[1], rect[2], rect[3]]
}

/// The three panels of a diff picture: the red pixels of each, in the panel's own pixels.
struct DiffPanels {
    before: Vec<(u32, u32)>,
    changes: Vec<(u32, u32)>,
    after: Vec<(u32, u32)>,
}

/// Reads `p4-diff.png` of round 2: three trimmed A4 pages side by side, with equal gaps.
fn diff_panels(project: &Path) -> DiffPanels {
    let picture = image::open(round_dir(project, 2).join("p4-diff.png"))
        .expect("the diff picture is a PNG")
        .to_rgb8();
    let page_width = (595.275_590_551_181_2 * PX_PER_PT).round() as u32;
    let gap = (picture.width() - 3 * page_width) / 4;
    assert_eq!(
        picture.width(),
        3 * page_width + 4 * gap,
        "three panels, four gaps"
    );
    let mut panels = [Vec::new(), Vec::new(), Vec::new()];
    for (x, y, pixel) in picture.enumerate_pixels() {
        if pixel.0 != RED || y < gap {
            continue;
        }
        for (i, panel) in panels.iter_mut().enumerate() {
            let left = gap + i as u32 * (page_width + gap);
            if (left..left + page_width).contains(&x) {
                panel.push((x - left, y - gap));
            }
        }
    }
    let [before, changes, after] = panels;
    DiffPanels {
        before,
        changes,
        after,
    }
}

/// Whether a pixel lies within a region (points), allowing `margin` pixels around it.
fn within(pixel: (u32, u32), rect: [f64; 4], margin: f64) -> bool {
    let (x, y) = (f64::from(pixel.0), f64::from(pixel.1));
    x >= rect[0] * PX_PER_PT - margin
        && x <= rect[2] * PX_PER_PT + margin
        && y >= rect[1] * PX_PER_PT - margin
        && y <= rect[3] * PX_PER_PT + margin
}

/// The box koho draws sits a few pixels outside the field; this much room is allowed.
const BOX_MARGIN: f64 = 10.0;

/// Every red pixel of `pixels` lies at `rect`, and there is some.
fn all_at(pixels: &[(u32, u32)], rect: [f64; 4], what: &str) {
    assert!(!pixels.is_empty(), "{what}: nothing is marked");
    let stray: Vec<_> = pixels
        .iter()
        .filter(|p| !within(**p, rect, BOX_MARGIN))
        .take(5)
        .collect();
    assert!(
        stray.is_empty(),
        "{what}: marks outside {rect:?}: {stray:?}"
    );
}

#[test]
fn a_changed_figure_is_the_one_change_and_is_boxed_where_it_stands() {
    let project = copy_of_first_round();
    // 22 → 23 leaves the vision's figure at 49 (floor of 49.6), so this is the only change.
    edit_page(project.path(), "percent: 22", "percent: 23");
    let changes = next_round(project.path());
    assert_eq!(
        listed(&changes),
        [(
            "visions[1].items[2].percent".to_owned(),
            "changed".to_owned(),
            Value::from("22%"),
            Value::from("23%")
        )]
    );
    let change = &changes["changes"][0];
    assert_eq!(change["words"], "ビジョン01 › 項目2 › 進捗");
    assert_eq!(change["file"], "p04-pledge-progress.yaml");
    assert_eq!(change["line"], line_of(project.path(), "percent: 23"));
    let markdown = fs::read_to_string(round_dir(project.path(), 2).join("changes.md")).unwrap();
    assert!(
        markdown.contains("| ビジョン01 › 項目2 › 進捗 | 変更 | 22% | 23% |"),
        "{markdown}"
    );
    assert!(markdown.contains("p4-diff.png"), "{markdown}");

    // The picture: the figure and its bar changed, inside the item's row, nowhere else.
    let item = region(project.path(), 2, "visions[1].items[2]");
    let panels = diff_panels(project.path());
    all_at(&panels.changes, item, "changed pixels");
    all_at(&panels.after, item, "the box after");
    all_at(
        &panels.before,
        region(project.path(), 1, "visions[1].items[2]"),
        "the box before",
    );
}

#[test]
fn a_reworded_label_is_one_change_of_that_label() {
    let project = copy_of_first_round();
    edit_page(
        project.path(),
        "子ども若者のメンタルヘルスケアの推進",
        "子ども・若者のメンタルヘルスケアの推進",
    );
    let changes = next_round(project.path());
    assert_eq!(
        listed(&changes),
        [(
            "visions[1].items[3].label".to_owned(),
            "changed".to_owned(),
            Value::from("子ども若者のメンタルヘルスケアの推進"),
            Value::from("子ども・若者のメンタルヘルスケアの推進")
        )]
    );
    assert_eq!(
        changes["changes"][0]["words"],
        "ビジョン01 › 項目3 › 見出し"
    );
    let item = region(project.path(), 2, "visions[1].items[3]");
    let panels = diff_panels(project.path());
    all_at(&panels.changes, item, "changed pixels");
    all_at(&panels.after, item, "the box after");
}

#[test]
fn an_added_item_is_one_addition_boxed_where_it_now_stands() {
    let project = copy_of_first_round();
    // A sixth item at 49% keeps vision 1 at 49 (floor of 296 / 6).
    edit_page(
        project.path(),
        "      - label: 医療的ケア児への支援体制強化\n        percent: 45\n",
        "      - label: 医療的ケア児への支援体制強化\n        percent: 45\n      - label: 発達支援の充実\n        percent: 49\n",
    );
    let changes = next_round(project.path());
    assert_eq!(
        listed(&changes),
        [(
            "visions[1].items[6]".to_owned(),
            "added".to_owned(),
            Value::Null,
            Value::from("発達支援の充実 (49%)")
        )]
    );
    assert_eq!(changes["changes"][0]["words"], "ビジョン01 › 項目6");
    assert_eq!(
        changes["changes"][0]["line"],
        line_of(project.path(), "発達支援の充実")
    );
    // The new row is boxed in the page now; the cards below it moved, so the changed pixels
    // reach further, but they start at the new row.
    let item = region(project.path(), 2, "visions[1].items[6]");
    let panels = diff_panels(project.path());
    all_at(&panels.after, item, "the box after");
    assert!(panels.changes.iter().any(|p| within(*p, item, 0.0)));
    assert!(panels.before.is_empty(), "nothing was there before");
}

#[test]
fn a_photo_with_new_bytes_under_the_same_name_is_replaced() {
    let project = copy_of_first_round();
    let images = project.path().join("content/2026-06/images");
    fs::copy(
        images.join("entrance-gift.jpg"),
        images.join("grampus-camp.jpg"),
    )
    .unwrap();
    let changes = next_round(project.path());
    assert_eq!(
        listed(&changes),
        [(
            "highlights.items[2].photo".to_owned(),
            "photo-replaced".to_owned(),
            Value::from("images/grampus-camp.jpg"),
            Value::from("images/grampus-camp.jpg")
        )]
    );
    assert_eq!(
        changes["changes"][0]["words"],
        "取り組み紹介 › 取り組み② › 写真"
    );
    // The round keeps the photo it was made from: r1 the old picture, r2 the new one.
    let kept = |round| {
        fs::read(round_dir(project.path(), round).join("source/images/grampus-camp.jpg")).unwrap()
    };
    assert_eq!(kept(2), fs::read(images.join("grampus-camp.jpg")).unwrap());
    assert_ne!(kept(1), kept(2));
    let highlight = region(project.path(), 2, "highlights.items[2]");
    let panels = diff_panels(project.path());
    all_at(&panels.changes, highlight, "changed pixels");
    all_at(&panels.after, highlight, "the box after");
}

#[test]
fn a_round_is_never_made_twice_and_a_refused_round_changes_nothing() {
    let project = copy_of_first_round();
    let proofs = project.path().join(format!("out/{ISSUE}/proof"));
    let before = files_under(&proofs);
    assert!(before.keys().any(|p| p.ends_with("2026-06-r1.pdf")));

    // The round that exists, and one beyond the next: both refused, naming r2.
    for asked in ["1", "3"] {
        let refused = koho(project.path(), &["proof", "--round", asked]);
        assert_eq!(refused.status.code(), Some(2), "--round {asked}");
        let err = stderr(&refused);
        assert!(err.contains("r2"), "{err}");
        if asked == "1" {
            assert!(err.contains("上書きしません"), "{err}");
        }
    }
    // A round whose content has an error: reported, nothing written.
    edit_page(project.path(), "percent: 95", "percent: 195");
    let failed = koho(project.path(), &["proof"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("p04-pledge-progress.yaml:"),
        "{}",
        stderr(&failed)
    );

    // r1 is byte for byte what it was, and no other folder (half-written or not) appeared.
    assert_eq!(files_under(&proofs), before);
    let names: Vec<_> = fs::read_dir(&proofs)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["r1"]);

    // Asking for the next round by number works.
    edit_page(project.path(), "percent: 195", "percent: 95");
    let made = koho(project.path(), &["proof", "--round", "2"]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert!(stdout(&made).contains("再校"), "{}", stdout(&made));
}

/// A page of a PDF rendered by poppler at 72 ppi (one pixel a point), cropped to a rectangle
/// given in points from the sheet's top-left corner, as PPM bytes.
fn render_area(pdf: &Path, x: u32, y: u32, w: u32, h: u32) -> Vec<u8> {
    let output = Command::new("pdftoppm")
        .args(["-r", "72", "-f", "1", "-l", "1", "-singlefile"])
        .args(["-x", &x.to_string(), "-y", &y.to_string()])
        .args(["-W", &w.to_string(), "-H", &h.to_string()])
        .arg(pdf)
        .output()
        .expect("pdftoppm runs (apt-get install poppler-utils)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The words poppler finds on page 1, with their boxes in points from the sheet's top-left.
fn words(pdf: &Path) -> Vec<(String, [f64; 4])> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&output.stdout).into_owned();
    let attr = |line: &str, name: &str| -> f64 {
        let from = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[from..].split('"').next().unwrap().parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let text = l
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_owned();
            let rect = [
                attr(l, "xMin"),
                attr(l, "yMin"),
                attr(l, "xMax"),
                attr(l, "yMax"),
            ];
            (text, rect)
        })
        .collect()
}

#[test]
fn the_proof_is_the_print_page_with_a_stamp_outside_the_bleed() {
    let project = copy_of_first_round();
    let built = koho(project.path(), &["build", "--quiet"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let print = project.path().join(format!("out/{ISSUE}/{ISSUE}.pdf"));
    let proof = round_dir(project.path(), 1).join("2026-06-r1.pdf");

    // Inside the bleed (13 mm slug, 3 mm bleed: from 28.35 pt in), the two print the same.
    let (slug_pt, bleed_pt) = (36.85, 8.5);
    let inset = (slug_pt - bleed_pt) as u32 + 1;
    let (width, height) = (595 + 2 * 8, 842 + 2 * 8);
    assert_eq!(
        render_area(&print, inset, inset, width, height),
        render_area(&proof, inset, inset, width, height),
        "the proof's page differs from the print file's"
    );
    // The strip above the bleed differs: the stamp is there.
    assert_ne!(
        render_area(&print, 0, 0, 660, inset - 1),
        render_area(&proof, 0, 0, 660, inset - 1)
    );
    // The stamp names the round, the magazine, the issue, the page and when it was made, and
    // lies wholly above the bleed.
    let stamp_words: Vec<_> = words(&proof)
        .into_iter()
        .filter(|(_, r)| r[3] < slug_pt - bleed_pt)
        .collect();
    let stamp: String = stamp_words.iter().map(|(w, _)| w.as_str()).collect();
    // … and between the corner marks and the centre mark (its crossbar reaches 5 mm either side
    // of the sheet's centre).
    let centre_bar = slug_pt + 595.28 / 2.0 - 14.17;
    assert!(
        stamp_words
            .iter()
            .all(|(_, r)| r[0] > slug_pt && r[2] < centre_bar),
        "{stamp_words:?}"
    );
    for expected in [
        "初校",
        "校正刷",
        "広報とまこまい",
        "2026年6月1日号",
        "4ページ",
        "2026-05-2010:30JST",
    ] {
        assert!(
            squeeze(&stamp).contains(expected),
            "{expected:?} not in the stamp {stamp:?}"
        );
    }
    assert!(
        !pdf_text(&print).contains("校正刷"),
        "the print file has no stamp"
    );

    // The metadata says proof; preflight warns about it and passes the print file.
    let info = Command::new("pdfinfo").arg(&proof).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(
        info.lines()
            .any(|l| l.starts_with("Subject:") && l.contains("校正刷")),
        "{info}"
    );
    assert!(info.contains("PDF/X-4"), "{info}");
    let check = |pdf: &Path| {
        let out = koho(
            project.path(),
            &["preflight", "--json", pdf.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let checks = report["checks"].as_array().unwrap().clone();
        checks.into_iter().find(|c| c["name"] == "proof").unwrap()["status"].clone()
    };
    assert_eq!(check(&proof), "WARN");
    assert_eq!(check(&print), "PASS");
}

/// A text string in UTF-16BE, as viewers write Japanese comments.
fn utf16(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn numbers(values: [f64; 4]) -> Object {
    Object::Array(values.iter().map(|v| Object::Real(*v as f32)).collect())
}

#[test]
fn comments_on_a_proof_marked_up_elsewhere_name_their_field_file_and_line() {
    let project = copy_of_first_round();
    let proof = round_dir(project.path(), 1).join("2026-06-r1.pdf");
    let found = words(&proof);
    let sheet_height = 915.591;
    // Where a word stands, found by poppler, in PDF coordinates (from the bottom-left).
    let at = |wanted: &str| -> [f64; 4] {
        let (_, r) = found
            .iter()
            .find(|(w, _)| w == wanted)
            .unwrap_or_else(|| panic!("{wanted:?} is not on the page"));
        [r[0], sheet_height - r[3], r[2], sheet_height - r[1]]
    };
    // Another program marks the proof up, as an editor in a PDF viewer would.
    let mut doc = Document::load(&proof).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let mut annots = Vec::new();
    let mut add = |dict: lopdf::Dictionary| annots.push(Object::Reference(doc.add_object(dict)));
    // A sticky note pinned on "22%": its icon hangs below and to the right of the point.
    let figure = at("22%");
    let (x, y) = ((figure[0] + figure[2]) / 2.0, (figure[1] + figure[3]) / 2.0);
    add(dictionary! {
        "Type" => "Annot", "Subtype" => "Text", "Rect" => numbers([x, y - 20.0, x + 20.0, y]),
        "Contents" => utf16("30% に更新 (6月末の数字)"), "T" => utf16("政策推進課"),
    });
    // A highlight over an item's label, with the comment typed in it.
    let label = at("子ども若者のメンタルヘルスケアの推進");
    let quad = [
        label[0], label[3], label[2], label[3], label[0], label[1], label[2], label[1],
    ];
    add(dictionary! {
        "Type" => "Annot", "Subtype" => "Highlight", "Rect" => numbers(label),
        "QuadPoints" => Object::Array(quad.iter().map(|v| Object::Real(*v as f32)).collect()),
        "Contents" => utf16("「子ども・若者」に"),
    });
    // A box drawn round the figure of vision 03.
    let vision = at("24");
    add(dictionary! {
        "Type" => "Annot", "Subtype" => "Square",
        "Rect" => numbers([vision[0] - 3.0, vision[1] - 3.0, vision[2] + 12.0, vision[3] + 3.0]),
        "Contents" => utf16("数字を確認"),
    });
    // A note typed in the margin beside the crop marks: about no field.
    add(dictionary! {
        "Type" => "Annot", "Subtype" => "FreeText", "Rect" => numbers([600.0, 20.0, 660.0, 30.0]),
        "Contents" => utf16("全体に色校正を"),
    });
    doc.get_dictionary_mut(page)
        .unwrap()
        .set("Annots", Object::Array(annots));
    let marked = project.path().join("marked-up.pdf");
    doc.save(&marked).unwrap();

    let out = koho(
        project.path(),
        &["proof", "comments", "--json", marked.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let comments = report["comments"].as_array().unwrap();
    let seen: Vec<(Value, Value, Value, Value)> = comments
        .iter()
        .map(|c| {
            (
                c["page"].clone(),
                c["text"].clone(),
                c["field"].clone(),
                c["words"].clone(),
            )
        })
        .collect();
    let expect = |text: &str, field: Option<&str>, words: Option<&str>| {
        (
            Value::from(4),
            Value::from(text),
            Value::from(field),
            Value::from(words),
        )
    };
    assert_eq!(
        seen,
        [
            expect(
                "30% に更新 (6月末の数字)",
                Some("visions[1].items[2]"),
                Some("ビジョン01 › 項目2")
            ),
            expect(
                "「子ども・若者」に",
                Some("visions[1].items[3]"),
                Some("ビジョン01 › 項目3")
            ),
            expect(
                "数字を確認",
                Some("visions[3].percent"),
                Some("ビジョン03 › 進捗")
            ),
            expect("全体に色校正を", None, None),
        ]
    );
    let file = format!("content/{ISSUE}/p04-pledge-progress.yaml");
    assert_eq!(comments[0]["file"], file.as_str());
    assert_eq!(comments[0]["author"], "政策推進課");
    assert_eq!(
        comments[0]["line"],
        line_of(project.path(), "子育て機能の拠点形成")
    );
    assert_eq!(
        comments[1]["line"],
        line_of(project.path(), "子ども若者のメンタルヘルスケアの推進")
    );
    assert_eq!(comments[2]["line"], line_of(project.path(), "percent: 24"));

    // The same list for people, in Japanese.
    let out = koho(
        project.path(),
        &["proof", "comments", marked.to_str().unwrap()],
    );
    let text = stdout(&out);
    assert!(
        text.contains("1. 4ページ  ビジョン01 › 項目2  content/2026-06/p04-pledge-progress.yaml:"),
        "{text}"
    );
    assert!(
        text.contains("30% に更新 (6月末の数字) — 政策推進課"),
        "{text}"
    );
    assert!(text.contains("(欄の外)"), "{text}");

    // A PDF that is not a koho proof is refused with a reason.
    let built = koho(project.path(), &["build", "--quiet"]);
    assert_eq!(built.status.code(), Some(0));
    let print = project.path().join(format!("out/{ISSUE}/{ISSUE}.pdf"));
    let refused = koho(
        project.path(),
        &["proof", "comments", print.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("校正刷ではありません"),
        "{}",
        stderr(&refused)
    );
}
