//! The whole 16-page sample issue (DESIGN §9, issue 13), built once and read back with poppler:
//! every page with its boxes, the contents page naming the pages it lists, left and right
//! pages mirrored, spreads and the contact sheet, two-colour pages checked plate by plate; then
//! flowing files too long and too short, the proof, archive and typst sources of the whole
//! issue, and a rebuild that draws only the page that changed. The slow end-to-end suite of
//! the whole issue: kept to these.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{koho_in, scratch_issue, squeeze, stderr, stdout};

/// Millimetres in a point.
const MM_PER_PT: f64 = 25.4 / 72.0;

/// The sample issue, built once for the tests that only read what it wrote.
fn built() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let project = scratch_issue();
            let output = koho_in(project.path(), &["build", "content/2026-06"], "C");
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            assert!(
                !stderr(&output).contains("warning:"),
                "the sample builds without warnings: {}",
                stderr(&output)
            );
            project
        })
        .path()
}

fn pdf() -> PathBuf {
    built().join("out/2026-06/2026-06.pdf")
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (apt-get install poppler-utils): {e}"));
    assert!(output.status.success(), "{program} {args:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text of pages `first..=last`.
fn text_of(first: u32, last: u32) -> String {
    let (f, l) = (first.to_string(), last.to_string());
    let pdf = pdf();
    run(
        "pdftotext",
        &[
            "-f",
            &f,
            "-l",
            &l,
            "-enc",
            "UTF-8",
            pdf.to_str().unwrap(),
            "-",
        ],
    )
}

/// A box of `pdfinfo -box`, in millimetres: (width, height) and its origin.
fn boxes() -> Vec<(String, [f64; 4])> {
    let pdf = pdf();
    let info = run(
        "pdfinfo",
        &["-box", "-f", "1", "-l", "99", pdf.to_str().unwrap()],
    );
    info.lines()
        .filter_map(|line| {
            let (name, values) = line.split_once(':')?;
            let name = name.trim();
            if !name.starts_with("Page") || !name.ends_with("Box") {
                return None;
            }
            let v: Vec<f64> = values
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            (v.len() == 4).then(|| (name.to_owned(), [v[0], v[1], v[2], v[3]]))
        })
        .collect()
}

#[test]
fn the_issue_is_sixteen_pages_each_trimmed_to_a4_with_3mm_bleed() {
    let boxes = boxes();
    let of = |kind: &str| -> Vec<[f64; 4]> {
        boxes
            .iter()
            .filter(|(name, _)| name.ends_with(kind))
            .map(|(_, b)| *b)
            .collect()
    };
    let (trims, bleeds) = (of("TrimBox"), of("BleedBox"));
    assert_eq!(trims.len(), 16, "{boxes:?}");
    assert_eq!(bleeds.len(), 16);
    for (page, (trim, bleed)) in trims.iter().zip(&bleeds).enumerate() {
        let mm = |a: f64, b: f64| (b - a) * MM_PER_PT;
        assert!(
            (mm(trim[0], trim[2]) - 210.0).abs() < 0.1,
            "page {}: {trim:?}",
            page + 1
        );
        assert!(
            (mm(trim[1], trim[3]) - 297.0).abs() < 0.1,
            "page {}: {trim:?}",
            page + 1
        );
        for side in 0..2 {
            assert!(
                (mm(bleed[side], trim[side]) - 3.0).abs() < 0.05,
                "page {}",
                page + 1
            );
            assert!((mm(trim[side + 2], bleed[side + 2]) - 3.0).abs() < 0.05);
        }
    }
}

#[test]
fn the_contents_page_lists_every_titled_page_at_its_folio() {
    let issue = koho::check(
        &koho::Project::find(built()).unwrap(),
        &built().join("content/2026-06"),
        built(),
    )
    .issue
    .expect("the sample checks");
    let contents = koho::layout::data::contents(&issue);
    let entries = contents.as_array().unwrap();
    assert!(entries.len() >= 8, "{contents}");
    let page_two = squeeze(&text_of(2, 2));
    for entry in entries {
        let title = squeeze(entry["title"].as_str().unwrap());
        let folio = entry["folio"].as_u64().unwrap() as u32;
        // The title is on the contents page, followed by the folio it starts on…
        let at = page_two
            .find(&title)
            .unwrap_or_else(|| panic!("{title} is not on the contents page: {page_two}"));
        // (The leader dots between them are text: ・・・.)
        let after = page_two[at + title.len()..].trim_start_matches('・');
        assert!(
            after.starts_with(&folio.to_string()),
            "{title} is followed by {:?}, not its folio {folio}",
            after.chars().take(8).collect::<String>()
        );
        // … and the page at that folio carries the title.
        assert!(
            squeeze(&text_of(folio, folio)).contains(&title),
            "page {folio} does not carry {title}"
        );
    }
}

/// Where the folio `folio` is printed on its page: (xMin, xMax) in points, from
/// `pdftotext -bbox`, the word in the running foot (the lowest word that is the folio).
fn folio_box(folio: u32) -> (f64, f64, f64) {
    let f = folio.to_string();
    let html = bbox_of(folio);
    let page_width: f64 = html
        .split("<page width=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|w| w.parse().ok())
        .expect("a page width");
    let word = html
        .lines()
        .filter(|l| l.contains("<word") && l.contains(&format!(">{f}</word>")))
        .max_by(|a, b| attr(a, "yMin").total_cmp(&attr(b, "yMin")))
        .unwrap_or_else(|| panic!("no folio {f} on page {f}"));
    (attr(word, "xMin"), attr(word, "xMax"), page_width)
}

/// `pdftotext -bbox` of page `folio`: every word with its box, in points.
fn bbox_of(folio: u32) -> String {
    let f = folio.to_string();
    let pdf = pdf();
    run(
        "pdftotext",
        &["-bbox", "-f", &f, "-l", &f, pdf.to_str().unwrap(), "-"],
    )
}

/// The number in attribute `name` of one line of `pdftotext -bbox`.
fn attr(line: &str, name: &str) -> f64 {
    line.split(&format!("{name}=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[test]
fn left_and_right_pages_mirror_the_folio_to_the_outer_side() {
    // Bound on the left, page 2 is a left-hand page and page 3 a right-hand one: each folio sits
    // at the outer margin, the same distance from the trim.
    let slug_pt = 13.0 / MM_PER_PT;
    let (left_min, _, width) = folio_box(2);
    let (_, right_max, _) = folio_box(3);
    let from_left_trim = (left_min - slug_pt) * MM_PER_PT;
    let from_right_trim = (width - slug_pt - right_max) * MM_PER_PT;
    assert!(
        from_left_trim < 30.0,
        "folio 2 is on the left: {from_left_trim} mm"
    );
    assert!(
        from_right_trim < 30.0,
        "folio 3 is on the right: {from_right_trim} mm"
    );
    assert!(
        (from_left_trim - from_right_trim).abs() < 0.5,
        "the outer margins mirror: {from_left_trim:.2} mm and {from_right_trim:.2} mm"
    );
    // The cover carries no folio and no running foot.
    assert!(!squeeze(&text_of(1, 1)).contains("通巻第850号広報とまこまい"));
}

#[test]
fn previews_spreads_and_the_contact_sheet_show_the_issue_as_read() {
    let dir = built().join("out/2026-06/preview");
    let mut expected: Vec<String> = (1..=16).map(|f| format!("p{f}.png")).collect();
    expected.push("spread-1.png".into());
    for left in (2..=14).step_by(2) {
        expected.push(format!("spread-{left}-{}.png", left + 1));
    }
    expected.push("spread-16.png".into());
    expected.push("contact-sheet.png".into());
    for name in &expected {
        assert!(dir.join(name).is_file(), "{name} is missing");
    }
    // A spread shows its two pages at half the previews' size, page 2 on the left.
    let page = koho::preview::halved(&image::open(dir.join("p2.png")).unwrap().to_rgb8());
    let spread = image::open(dir.join("spread-2-3.png")).unwrap().to_rgb8();
    assert_eq!(spread.width(), page.width() * 2);
    assert_eq!(spread.height(), page.height());
    let left = image::imageops::crop_imm(&spread, 0, 0, page.width(), page.height()).to_image();
    assert!(left == page, "the left half of spread 2-3 is page 2");
}

#[test]
fn the_two_colour_pages_print_on_black_and_cyan_alone() {
    let pdf = pdf();
    let output = koho_in(
        built(),
        &["preflight", pdf.to_str().unwrap(), "--json"],
        "C",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let separations = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "separations")
        .unwrap_or_else(|| panic!("no separations check: {report}"));
    assert_eq!(separations["status"], "PASS", "{separations}");
    assert!(
        separations["detail"]
            .as_str()
            .unwrap()
            .starts_with("4 pages")
    );
}

/// A kind that prints what a two-colour page must not: a magenta rule, or a four-colour
/// photo placed as it is (from the kind's folder, so koho does not convert it).
fn rogue_kind(project: &Path, body: &str) {
    let dir = project.join("layouts/rogue");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("schema.yaml"),
        "kind: rogue\nwords: {ja: 試験, en: test}\nfields:\n  title: {type: text, words: {ja: 題, en: title}}\n",
    )
    .unwrap();
    fs::write(
        dir.join("page.typ"),
        format!(
            "#import \"../lib/frame.typ\": page-frame\n#import \"../lib/format.typ\": with-units\n\
             #let page(format, issue, data) = {{\n  let f = with-units(format)\n  \
             page-frame(f, issue, data, {{\n    [#data.title]\n    {body}\n  }})\n}}\n"
        ),
    )
    .unwrap();
    fs::copy(
        Path::new(common::PROJECT).join("tests/accept/cmyk-jpeg-and-rgba-png/images/cmyk.jpg"),
        dir.join("cmyk.jpg"),
    )
    .unwrap();
    let issue = project.join("content/rogue");
    fs::create_dir_all(&issue).unwrap();
    fs::write(
        issue.join("issue.yaml"),
        "magazine: 広報テスト\nissue_date: 2026-06-01\noffprint: true\npages:\n  - file: p.yaml\n    folio: 9\n",
    )
    .unwrap();
    fs::write(
        issue.join("p.yaml"),
        "layout: rogue\ntitle: 2 色刷りのページ\n",
    )
    .unwrap();
}

#[test]
fn a_two_colour_page_touching_another_plate_fails_preflight_by_plate() {
    for (body, plate) in [
        (
            "line(length: 50mm, stroke: 1pt + cmyk(0%, 100%, 0%, 0%))",
            "magenta plate",
        ),
        ("image(\"cmyk.jpg\", width: 40mm)", "yellow plate"),
    ] {
        let said = rogue_build(body);
        assert!(said.contains("separations"), "{body}: {said}");
        assert!(said.contains(&format!("page 1: {plate}")), "{body}: {said}");
    }
}

#[test]
fn a_photo_or_a_band_that_meets_the_trim_without_bleed_fails_preflight() {
    // A black band from the trim's top-left corner (the page is a right-hand one: inside
    // margin on the left), stopping at the trim instead of running 3 mm on.
    let band = "place(top + left, dx: -12mm, dy: -11mm, rect(width: 60mm, height: 20mm, fill: cmyk(0%, 0%, 0%, 100%)))";
    let said = rogue_build(band);
    assert!(said.contains("bleed"), "{said}");
    assert!(
        said.contains("page 1: a filled area meets the left trim without bleed"),
        "{said}"
    );
    assert!(
        said.contains("page 1: a filled area meets the top trim without bleed"),
        "{said}"
    );
    // The same band run on into the bleed passes.
    let bleeding = "place(top + left, dx: -15mm, dy: -14mm, rect(width: 63mm, height: 23mm, fill: cmyk(0%, 0%, 0%, 100%)))";
    let project = scratch_issue();
    rogue_kind(project.path(), bleeding);
    let output = koho_in(project.path(), &["build", "content/rogue"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Builds the rogue page with `body` and returns what koho said; the build must fail and
/// write nothing.
fn rogue_build(body: &str) -> String {
    let project = scratch_issue();
    rogue_kind(project.path(), body);
    let output = koho_in(
        project.path(),
        &["build", "content/rogue", "--lang", "en"],
        "C",
    );
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{body}: {said}");
    assert!(
        !project.path().join("out/rogue").exists(),
        "nothing is written"
    );
    said
}

/// `koho check --json` of an offprint holding `page_file` (from the sample) at `folios`, its
/// text changed by `edit`.
fn check_article(
    page_file: &str,
    folios: &str,
    edit: impl Fn(String) -> String,
) -> serde_json::Value {
    let project = scratch_issue();
    let issue = project.path().join("content/2026-06");
    fs::write(
        issue.join("issue.yaml"),
        format!(
            "magazine: 広報とまこまい\nissue_date: 2026-06-01\noffprint: true\npages:\n  - file: {page_file}\n    folios: {folios}\n"
        ),
    )
    .unwrap();
    let path = issue.join(page_file);
    fs::write(&path, edit(fs::read_to_string(&path).unwrap())).unwrap();
    let output = koho_in(
        project.path(),
        &["check", "content/2026-06", "--json", "--lang", "en"],
        "C",
    );
    serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)))
}

#[test]
fn an_article_too_long_for_its_folios_is_an_error_and_too_short_a_warning() {
    // The feature fills pages 5-7: four long paragraphs more do not fit.
    let last_body = "\n  - heading: 試験のための段落\n    body: |\n      ".to_owned()
        + &"これは入りきらないことを確かめるための、サンプルの段落です。".repeat(48)
        + "\n";
    let over = check_article("p05-feature.yaml", "5-7", |text| {
        let at = text.find("\naside:").unwrap_or(text.len());
        format!("{}{last_body}{}", &text[..at], &text[at..])
    });
    assert_eq!(over["ok"], false, "{over}");
    let error = &over["errors"][0];
    assert_eq!(error["kind"], "overflow", "{over}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("pages 5-7 are over by about"), "{message}");
    // What was pushed off the page is named in the kind's words (the chapter added, then the
    // box and the contact line after the chapters), and the error points at the text to
    // shorten.
    let pushed = message.split("pushed off the page: ").nth(1).unwrap_or("");
    assert!(
        pushed.contains("box") && pushed.contains("contact"),
        "{message}"
    );
    assert!(
        error["field"].as_str().unwrap().starts_with("chapters["),
        "{error}"
    );
    assert!(
        error["hint"].as_str().unwrap().contains("Chapter"),
        "{error}"
    );
    // The same feature given a fourth folio (4, before them: 8 prints in two colours) leaves
    // one empty: printable, with a warning.
    let short = check_article("p05-feature.yaml", "4-7", |text| text);
    assert_eq!(short["ok"], true, "{short}");
    let warning = &short["warnings"][0];
    assert_eq!(warning["kind"], "flow-short", "{short}");
    assert!(
        warning["message"].as_str().unwrap().contains("pages 4-7"),
        "{warning}"
    );
}

#[test]
fn a_notices_page_too_short_for_its_folios_keeps_the_pages_after_it_in_place() {
    // The notices fill pages 10-11 in three columns with the ad floating at the foot; cut to
    // their first category they end on page 10. The empty page 11 must stay, or every page
    // after it moves up one and the back cover is blamed for not fitting (a bug seen once:
    // typst drops an empty page when the next file's page settings follow it).
    let project = scratch_issue();
    let path = project.path().join("content/2026-06/p10-notices.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let second = text.find("\n  - name: ").and_then(|first| {
        text[first + 1..]
            .find("\n  - name: ")
            .map(|second| first + 1 + second)
    });
    let ad = text.find("\nad:").unwrap();
    let cut = format!("{}{}", &text[..second.unwrap()], &text[ad..]);
    fs::write(&path, cut).unwrap();
    let output = koho_in(
        project.path(),
        &["check", "content/2026-06", "--json", "--lang", "en"],
        "C",
    );
    let said: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}", stderr(&output)));
    assert_eq!(said["ok"], true, "{said}");
    let warnings = said["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{said}");
    assert_eq!(warnings[0]["kind"], "flow-short", "{said}");
    assert!(
        warnings[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("p10-notices.yaml"),
        "{said}"
    );
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("pages 10-11"),
        "{said}"
    );
}

#[test]
fn the_population_page_prints_the_changes_worked_out_from_the_previous_issue() {
    // p12 leaves its 前月比 out; koho works them out from content/2026-05 (166,229 人,
    // 80,455 男, 85,774 女, 88,914 世帯 on 2026-04-01).
    let text = squeeze(&text_of(12, 12));
    for change in [
        "前月比84人減",
        "前月比43人減",
        "前月比41人減",
        "前月比12世帯増",
    ] {
        assert!(text.contains(change), "no {change} in {text}");
    }
    // The age groups and each area's share are worked out on the page.
    assert!(text.contains("31.5%"), "{text}");
    assert!(text.contains("18.1%"), "{text}");
}

#[test]
fn proofs_archive_and_typst_sources_cover_the_whole_issue() {
    let project = scratch_issue();
    let dir = project.path();
    let first = koho_in(dir, &["proof", "content/2026-06"], "C");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let round = dir.join("out/2026-06/proof/r1");
    for folio in 1..=16 {
        assert!(
            round.join(format!("p{folio}.png")).is_file(),
            "proof page {folio}"
        );
    }
    // A change on a two-colour page deep in the issue is named by page, file and field.
    let page = dir.join("content/2026-06/p08-childcare.yaml");
    let text = fs::read_to_string(&page).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("a title line")
        .to_owned();
    fs::write(
        &page,
        text.replacen(&format!("title: {title}"), "title: 子育ての相談窓口", 1),
    )
    .unwrap();
    let second = koho_in(dir, &["proof", "content/2026-06"], "C");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let changes: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("out/2026-06/proof/r2/changes.json")).unwrap())
            .unwrap();
    let listed = changes["changes"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{changes}");
    assert_eq!(listed[0]["file"], "p08-childcare.yaml");
    assert_eq!(listed[0]["field"], "title");
    assert_eq!(listed[0]["page"], 8);
    // The archive keeps the whole issue, and finds a word from its last page.
    let added = koho_in(dir, &["archive", "add", "content/2026-06"], "C");
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    let verify = koho_in(dir, &["archive", "verify"], "C");
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    let found = koho_in(dir, &["archive", "search", "市民おどり", "--json"], "C");
    assert!(
        stdout(&found).contains("\"folio\": 16"),
        "{}",
        stdout(&found)
    );
    // The typst sources of the whole issue: the main file, every page's data, both formats.
    let emitted = koho_in(
        dir,
        &["build", "content/2026-06", "--emit-typst", "out/typst"],
        "C",
    );
    assert_eq!(emitted.status.code(), Some(0), "{}", stderr(&emitted));
    let typst = dir.join("out/typst");
    let main = fs::read_to_string(typst.join("main.typ")).unwrap();
    assert_eq!(main.matches(".page(").count(), 12, "{main}");
    assert!(typst.join("data/format-2c.json").is_file());
    assert!(typst.join("data/p5.json").is_file());
}

#[test]
fn a_headline_naming_a_page_the_issue_does_not_have_is_an_error() {
    let project = scratch_issue();
    let cover = project.path().join("content/2026-06/p01-cover.yaml");
    let text = fs::read_to_string(&cover).unwrap();
    fs::write(
        &cover,
        text.replacen("page: p05-feature.yaml", "page: p05-featur.yaml", 1),
    )
    .unwrap();
    let output = koho_in(
        project.path(),
        &["check", "content/2026-06", "--json", "--lang", "en"],
        "C",
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["kind"], "page-not-in-issue");
    assert_eq!(errors[0]["file"], "content/2026-06/p01-cover.yaml");
    assert_eq!(errors[0]["field"], "headlines[1].page");
    assert!(
        errors[0]["hint"]
            .as_str()
            .unwrap()
            .contains("p05-feature.yaml"),
        "the hint lists the pages: {}",
        errors[0]["hint"]
    );
}

/// Every file a build of the sample wrote under `out/2026-06/`, by its path there.
fn outputs(project: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = project.join("out/2026-06");
    let mut files = std::collections::BTreeMap::new();
    for dir in [out.clone(), out.join("preview")] {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            if entry.file_type().unwrap().is_file() {
                let name = entry
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .display()
                    .to_string();
                files.insert(name, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_rebuild_draws_only_the_pages_that_changed_and_what_is_kept_changes_no_byte() {
    let scratch = scratch_issue();
    let dir = scratch.path();
    let project = koho::Project::find(dir).unwrap();
    let build = || {
        let issue = dir.join("content/2026-06");
        let options = koho::BuildOptions::default();
        let report = koho::build(&project, &issue, dir, &options, &|_| {});
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        report.timings.pages_drawn
    };
    assert_eq!(build(), 16, "a first build draws every page");
    let first = outputs(dir);
    assert_eq!(build(), 0, "nothing changed: nothing is drawn again");
    assert!(outputs(dir) == first, "and every file is the same");

    // One figure of the pledge page (folio 4) changed: that page alone is drawn again.
    let page = dir.join("content/2026-06/p04-pledge-progress.yaml");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("percent: 95", "percent: 96", 1)).unwrap();
    assert_eq!(build(), 1);
    let changed = outputs(dir);
    let differing: Vec<&str> = changed
        .iter()
        .filter(|(name, bytes)| first.get(*name) != Some(*bytes))
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        differing,
        [
            "2026-06.pdf",
            "preview/contact-sheet.png",
            "preview/p4.png",
            "preview/spread-4-5.png"
        ]
    );

    // Without anything kept (converted photos, soft proofs, measured inks, pictures), the
    // same bytes again.
    std::fs::remove_dir_all(dir.join("out/.cache")).unwrap();
    assert_eq!(build(), 16);
    assert!(outputs(dir) == changed, "what was kept changed nothing");
}

#[test]
fn the_notices_qr_codes_decode_back_to_their_urls() {
    // The URLs the page file asks a code for, as written.
    let page = fs::read_to_string(built().join("content/2026-06/p10-notices.yaml")).unwrap();
    let mut asked: Vec<String> = page
        .lines()
        .filter_map(|l| l.trim().strip_prefix("qr: "))
        .map(|u| u.trim().to_owned())
        .collect();
    asked.sort();
    assert!(asked.len() >= 2, "the sample asks for QR codes: {asked:?}");
    // Pages 10-11 rendered by poppler and read by rqrr, a decoder that shares no code with the
    // encoder koho uses. At 150 dpi a 0.5 mm module is three pixels: a poor phone camera's
    // view (rqrr's finder search also misses codes on a whole page at 300 dpi).
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let pdf = pdf();
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-gray",
            "-png",
            "-f",
            "10",
            "-l",
            "11",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut decoded = Vec::new();
    for entry in fs::read_dir(dir.path()).unwrap() {
        let picture = image::open(entry.unwrap().path()).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(picture);
        for grid in prepared.detect_grids() {
            let (_, content) = grid.decode().expect("a QR code on the page decodes");
            decoded.push(content);
        }
    }
    decoded.sort();
    assert_eq!(decoded, asked);
}

/// The words of page `folio` with their top-left corner in millimetres from the trim's
/// corner, from `pdftotext -bbox`.
fn words_mm(folio: u32) -> Vec<(f64, f64, String)> {
    let html = bbox_of(folio);
    // The sheet is the trim plus the slug on every side (layouts/magazine.yaml).
    const SLUG_MM: f64 = 13.0;
    html.lines()
        .filter(|l| l.contains("<word"))
        .map(|l| {
            let text = l.split('>').nth(1).unwrap_or("").trim_end_matches("</word");
            (
                attr(l, "xMin") * MM_PER_PT - SLUG_MM,
                attr(l, "yMin") * MM_PER_PT - SLUG_MM,
                text.to_owned(),
            )
        })
        .collect()
}

#[test]
fn notices_flow_over_two_pages_and_every_column_starts_with_a_whole_item() {
    // The notices page's geometry: 12 mm margins both sides, three columns with 4.5 mm
    // gutters (layouts/notices/page.typ), the running foot below 287 mm.
    const MARGIN_MM: f64 = 12.0;
    const COLUMN_MM: f64 = (210.0 - 2.0 * MARGIN_MM + 4.5) / 3.0;
    const FOOT_MM: f64 = 287.0;
    let page = fs::read_to_string(built().join("content/2026-06/p10-notices.yaml")).unwrap();
    let categories: Vec<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("  - name: "))
        .map(|n| n.trim().to_owned())
        .collect();
    let titles = page
        .lines()
        .filter(|l| l.trim_start().starts_with("- title: "))
        .count();
    let starts_item = |w: &str| w.starts_with('■') || categories.iter().any(|c| c == w);
    let mut seen_titles = 0;
    for folio in [10, 11] {
        let words: Vec<_> = words_mm(folio)
            .into_iter()
            .filter(|(_, y, _)| *y < FOOT_MM)
            .collect();
        seen_titles += words.iter().filter(|(_, _, w)| w.starts_with('■')).count();
        // Below the page's header (title and lead, across the columns on page 10).
        let top = words
            .iter()
            .filter(|(_, _, w)| starts_item(w))
            .map(|(_, y, _)| *y)
            .fold(f64::MAX, f64::min);
        for column in 0..3 {
            let first = words
                .iter()
                .filter(|(x, y, _)| {
                    // A word at a column's left edge belongs to it (half a millimetre of slack
                    // for the extracted coordinates).
                    *y >= top - 0.5
                        && ((x - MARGIN_MM + 0.5) / COLUMN_MM).floor() as usize == column
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or_else(|| panic!("page {folio} column {} is empty", column + 1));
            assert!(
                starts_item(&first.2),
                "page {folio} column {} starts inside an item, with {:?}",
                column + 1,
                first.2
            );
        }
    }
    // Every notice is printed (its title on page 10 or 11).
    assert_eq!(
        seen_titles, titles,
        "every notice's title is on pages 10-11"
    );
}
