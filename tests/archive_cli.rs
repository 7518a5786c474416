//! `koho archive` as a city would use it over the years: add the sample, find it by its words,
//! catch every kind of damage, add it again unchanged and changed, restore it and rebuild the
//! very same print file, and survive an add that is cut off.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use common::{copy_tree, files_under, link_fonts, pdf_text, squeeze, stderr, stdout};
use serde_json::Value;

const ISSUE: &str = "2026-06";
const PAGE_FILE: &str = "content/2026-06/p04-pledge-progress.yaml";
/// The time the packages say they were added (2026-07-01 09:00 JST).
const ADDED_AT: &str = "1782864000";

fn koho(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("koho runs")
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_koho"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        // The project's own archive, even in a shell pointed at a shared one.
        .env_remove("KOHO_ARCHIVE")
        .env_remove("KOHO_CATALOG")
        .env("LANG", "ja_JP.UTF-8")
        .env("SOURCE_DATE_EPOCH", ADDED_AT);
    command
}

/// Runs koho with `--json` and parses what it prints.
fn json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = koho(dir, &all);
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), value)
}

/// A scratch project whose archive holds the sample as version 1. Made once; tests copy it.
fn archived_once() -> &'static Path {
    static ONCE: OnceLock<tempfile::TempDir> = OnceLock::new();
    ONCE.get_or_init(|| {
        let project = common::scratch_project();
        let added = koho(project.path(), &["archive", "add"]);
        assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
        project
    })
    .path()
}

fn copy_of_archived() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["layouts", "content", "archive"] {
        copy_tree(&archived_once().join(part), &dir.path().join(part));
    }
    link_fonts(dir.path());
    dir
}

fn package(project: &Path, version: u32) -> PathBuf {
    project.join(format!("archive/{ISSUE}/v{version}"))
}

#[test]
fn the_package_is_a_bag_holding_print_archival_source_and_what_it_was_made_with() {
    let project = archived_once();
    let bag = package(project, 1);
    let files = files_under(&bag);
    for expected in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "data/print/2026-06.pdf",
        "data/archival/2026-06.pdf",
        "data/source/issue.yaml",
        "data/source/p04-pledge-progress.yaml",
        "data/source/images/entrance-gift.jpg",
        "data/source/images/grampus-camp.jpg",
        "data/made-with.sha256",
        "data/made-with/layouts/magazine.yaml",
        "data/fields.json",
    ] {
        assert!(
            files.contains_key(Path::new(expected)),
            "{expected} missing"
        );
    }
    // The manifest lists every payload file with its SHA-256, as sha256sum would.
    let manifest = String::from_utf8(files[Path::new("manifest-sha256.txt")].clone()).unwrap();
    let payload = files.keys().filter(|p| p.starts_with("data")).count();
    assert_eq!(manifest.lines().count(), payload);
    let check = Command::new("sha256sum")
        .args([
            "--check",
            "--quiet",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
        ])
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let info = String::from_utf8(files[Path::new("bag-info.txt")].clone()).unwrap();
    for line in [
        "Magazine: 広報とまこまい",
        "Issue: 2026-06",
        "Issue-Date: 2026-06-01",
        "Package-Version: 1",
        "Added: 2026-07-01T09:00:00+09:00",
        "Koho-Version: ",
    ] {
        assert!(info.contains(line), "{line:?} not in\n{info}");
    }
    // The print file is what koho build writes, byte for byte.
    let copy = copy_of_archived();
    let built = koho(copy.path(), &["build", "--quiet"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert_eq!(
        fs::read(copy.path().join("out/2026-06/2026-06.pdf")).unwrap(),
        files[Path::new("data/print/2026-06.pdf")]
    );
    // The archival rendition: PDF/A-2a, tagged, RGB, trimmed, with its text.
    let archival = bag.join("data/archival/2026-06.pdf");
    let info = Command::new("pdfinfo").arg(&archival).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let bytes = &files[Path::new("data/archival/2026-06.pdf")];
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        has("<pdfaid:part>2</pdfaid:part>") && has("<pdfaid:conformance>A</pdfaid:conformance>")
    );
    assert!(!has("DeviceCMYK"), "the archival file is RGB");
    let images = Command::new("pdfimages")
        .arg("-list")
        .arg(&archival)
        .output()
        .unwrap();
    let images = String::from_utf8_lossy(&images.stdout).into_owned();
    assert_eq!(
        images
            .lines()
            .filter(|l| l.contains(" icc ") && l.contains("  3  "))
            .count(),
        2,
        "{images}"
    );
    let text = squeeze(&pdf_text(&archival));
    assert!(
        text.contains("市長公約の取組状況(概要)") && text.contains("名古屋グランパス"),
        "{text}"
    );
}

#[test]
fn list_and_search_find_the_issue_by_long_short_and_missing_words() {
    let project = archived_once();
    let (code, listed) = json(project, &["archive", "list"]);
    assert_eq!(code, Some(0));
    let issues = listed["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["issue"], ISSUE);
    assert_eq!(issues[0]["version"], 1);
    assert_eq!(issues[0]["pages"], 1);

    let search = |query: &str| {
        let (code, found) = json(project, &["archive", "search", query]);
        assert_eq!(code, Some(0));
        found["hits"].as_array().unwrap().clone()
    };
    let grampus = search("グランパス");
    assert!(!grampus.is_empty());
    assert!(
        grampus
            .iter()
            .all(|h| h["snippet"].as_str().unwrap().contains("【グランパス】"))
    );
    assert!(
        grampus
            .iter()
            .any(|h| h["field"] == "highlights.items[2].title"
                && h["words"] == "取り組み紹介 › 取り組み② › 題"
                && h["folio"] == 4
                && h["issue"] == ISSUE)
    );
    // Two characters, and one: no trigram can hold them, they are found all the same.
    let pledge = search("公約");
    assert!(pledge.iter().any(|h| h["field"] == "title"), "{pledge:?}");
    let port = search("港");
    assert_eq!(port.len(), 1, "{port:?}");
    assert_eq!(port[0]["field"], "visions[2].items[5].label");
    assert_eq!(
        port[0]["figure"], "25%",
        "the figure beside the label comes with it"
    );
    assert!(search("宇宙開発").is_empty());

    // The same for people, in Japanese.
    let out = koho(project, &["archive", "search", "公約"]);
    let text = stdout(&out);
    assert!(
        text.contains("2026-06 v1  2026-06-01  4ページ  ページの題"),
        "{text}"
    );
    assert!(text.contains("市長【公約】の取組状況(概要)"), "{text}");
    let none = stdout(&koho(project, &["archive", "search", "宇宙開発"]));
    assert!(none.contains("見つかりませんでした"), "{none}");
}

/// Runs verify in `project` and returns its exit code and the files it names.
fn verify_names(project: &Path) -> (Option<i32>, Vec<(String, String)>) {
    let (code, report) = json(project, &["archive", "verify"]);
    let named = common::verify_problems(&report);
    (code, named)
}

#[test]
fn verify_names_a_flipped_byte_a_deleted_file_and_an_added_file() {
    let project = copy_of_archived();
    assert_eq!(verify_names(project.path()), (Some(0), vec![]));
    let bag = package(project.path(), 1);

    // One flipped bit in the middle of the print file.
    let pdf = bag.join("data/print/2026-06.pdf");
    let mut bytes = fs::read(&pdf).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(&pdf, bytes).unwrap();
    assert_eq!(
        verify_names(project.path()),
        (
            Some(1),
            vec![("変更".to_owned(), "data/print/2026-06.pdf".to_owned())]
        )
    );
    // A deleted photo and a file slipped in.
    fs::remove_file(bag.join("data/source/images/grampus-camp.jpg")).unwrap();
    fs::write(bag.join("data/source/notes.txt"), "メモ").unwrap();
    let (code, named) = verify_names(project.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        named,
        [
            ("変更".to_owned(), "data/print/2026-06.pdf".to_owned()),
            (
                "欠落".to_owned(),
                "data/source/images/grampus-camp.jpg".to_owned()
            ),
            (
                "不明なファイル".to_owned(),
                "data/source/notes.txt".to_owned()
            ),
        ]
    );
    // People read the full paths.
    let out = koho(project.path(), &["archive", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("2026-06 v1  異常"), "{text}");
    assert!(
        text.contains("欠落: ") && text.contains("grampus-camp.jpg"),
        "{text}"
    );
    // A damaged package is not restored from.
    let refused = koho(
        project.path(),
        &["archive", "restore", ISSUE, "--to", "restored"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("壊れています"),
        "{}",
        stderr(&refused)
    );
    assert!(!project.path().join("restored").exists());
}

#[test]
fn the_catalogue_is_checked_against_the_packages_and_rebuilt_from_them() {
    let project = copy_of_archived();
    let before = json(project.path(), &["archive", "search", "グランパス"]).1;
    // A changed manifest (with its tag manifest fixed up to match) is caught by the catalogue.
    let bag = package(project.path(), 1);
    let manifest = bag.join("manifest-sha256.txt");
    let original = fs::read(&manifest).unwrap();
    fs::write(&manifest, [original.as_slice(), b"\n"].concat()).unwrap();
    let (code, report) = json(project.path(), &["archive", "verify"]);
    assert_eq!(code, Some(1));
    assert!(report.to_string().contains("manifest"), "{report}");
    fs::write(&manifest, &original).unwrap();

    // The catalogue lost: reindex makes it again from the packages alone.
    fs::remove_file(project.path().join("archive/catalog.sqlite")).unwrap();
    let (code, _) = json(project.path(), &["archive", "search", "グランパス"]);
    assert_eq!(code, Some(2), "no catalogue, no archive");
    let (code, reindexed) = json(project.path(), &["archive", "reindex"]);
    assert_eq!(code, Some(0));
    assert_eq!(reindexed["packages"], 1);
    assert_eq!(
        json(project.path(), &["archive", "search", "グランパス"]).1,
        before
    );
    assert_eq!(verify_names(project.path()), (Some(0), vec![]));
}

#[test]
fn adding_again_unchanged_is_a_no_op_and_changed_makes_version_2() {
    let project = copy_of_archived();
    let v1 = files_under(&package(project.path(), 1));
    let (code, again) = json(project.path(), &["archive", "add"]);
    assert_eq!(code, Some(0));
    assert_eq!(again["added"], false);
    assert!(!package(project.path(), 2).exists());
    let said = stdout(&koho(project.path(), &["archive", "add", "--quiet"]));
    assert!(said.contains("変わっていません"), "{said}");

    // The port item reaches 50 %: a corrected issue is a new version beside the first.
    let page = project.path().join(PAGE_FILE);
    let text = fs::read_to_string(&page).unwrap();
    let edited = text.replacen(
        "世界から選ばれる苫小牧港を目指して更なる機能強化\n        percent: 25",
        "世界から選ばれる苫小牧港を目指して更なる機能強化\n        percent: 50",
        1,
    );
    assert_ne!(edited, text);
    // The vision's figure follows: (30+43+27+30+50)/5 = 36.
    let edited = edited.replacen("    percent: 31\n", "    percent: 36\n", 1);
    fs::write(&page, edited).unwrap();
    let (code, added) = json(project.path(), &["archive", "add"]);
    assert_eq!(code, Some(0), "{added}");
    assert_eq!(added["added"], true);
    assert_eq!(added["version"], 2);
    assert_eq!(
        files_under(&package(project.path(), 1)),
        v1,
        "version 1 is untouched"
    );
    let port = json(project.path(), &["archive", "search", "港"]).1;
    assert_eq!(port["hits"][0]["version"], 2);
    assert_eq!(port["hits"][0]["figure"], "50%");
    let listed = json(project.path(), &["archive", "list"]).1;
    assert_eq!(listed["issues"].as_array().unwrap().len(), 2);
    assert_eq!(verify_names(project.path()), (Some(0), vec![]));
}

#[test]
fn a_restored_issue_builds_the_archived_print_file_byte_for_byte() {
    let project = copy_of_archived();
    fs::remove_dir_all(project.path().join("content")).unwrap();
    let out = koho(project.path(), &["archive", "restore", ISSUE]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("バイト単位で同じ"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        files_under(&project.path().join("content/2026-06")),
        files_under(&archived_once().join("content/2026-06"))
    );
    let built = koho(project.path(), &["build", "--quiet"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert_eq!(
        fs::read(project.path().join("out/2026-06/2026-06.pdf")).unwrap(),
        fs::read(package(project.path(), 1).join("data/print/2026-06.pdf")).unwrap()
    );

    // Restoring over a folder is refused; elsewhere it works, and a changed layout is named.
    let refused = koho(project.path(), &["archive", "restore", ISSUE]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("上書きしません"),
        "{}",
        stderr(&refused)
    );
    let marks = project.path().join("layouts/lib/marks.typ");
    let mut typ = fs::read_to_string(&marks).unwrap();
    typ.push_str("\n// a later change\n");
    fs::write(&marks, typ).unwrap();
    let (code, restored) = json(
        project.path(),
        &["archive", "restore", ISSUE, "--to", "elsewhere"],
    );
    assert_eq!(code, Some(0), "{restored}");
    assert_eq!(restored["same_layouts_and_fonts"], false);
    assert_eq!(
        restored["differences"],
        serde_json::json!([{"file": "layouts/lib/marks.typ", "what": "変更"}])
    );
    assert!(
        project
            .path()
            .join("elsewhere/2026-06/issue.yaml")
            .is_file()
    );
    let unknown = koho(project.path(), &["archive", "restore", "1999-01"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("2026-06"),
        "names the issues there are"
    );

    // Whatever became of the catalogue, the packages are restored from.
    fs::write(
        project.path().join("archive/catalog.sqlite"),
        "not a database",
    )
    .unwrap();
    let out = koho(
        project.path(),
        &["archive", "restore", ISSUE, "--to", "without-catalogue"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        project
            .path()
            .join("without-catalogue/2026-06/issue.yaml")
            .is_file()
    );
}

/// The population page alone, whose 前月比 come from the issue before it.
const POPULATION_OFFPRINT: &str = "magazine: 広報とまこまい\nissue_date: 2026-06-01\n\
offprint: true\npages:\n  - file: p12-population.yaml\n    folio: 12\n";

#[test]
fn an_issue_restored_without_the_issue_before_it_rebuilds_alike() {
    // Added beside 2026-05, whose figures its changes since the previous issue come from.
    let project = common::scratch_project();
    let issue = project.path().join("content/2026-06");
    fs::write(issue.join("issue.yaml"), POPULATION_OFFPRINT).unwrap();
    fs::copy(
        Path::new(common::PROJECT).join("content/2026-06/p12-population.yaml"),
        issue.join("p12-population.yaml"),
    )
    .unwrap();
    copy_tree(
        &Path::new(common::PROJECT).join("content/2026-05"),
        &project.path().join("content/2026-05"),
    );
    let added = koho(project.path(), &["archive", "add", "content/2026-06"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));

    // Ten years on, in a project that has only the layouts and fonts.
    let later = tempfile::tempdir().unwrap();
    copy_tree(
        &project.path().join("layouts"),
        &later.path().join("layouts"),
    );
    link_fonts(later.path());
    let archive = project.path().join("archive");
    let restored = koho(
        later.path(),
        &[
            "archive",
            "restore",
            ISSUE,
            "--archive",
            archive.to_str().unwrap(),
            "--to",
            "content",
        ],
    );
    assert_eq!(restored.status.code(), Some(0), "{}", stderr(&restored));
    let built = koho(later.path(), &["build", "--quiet"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(
        fs::read(later.path().join("out/2026-06/2026-06.pdf")).unwrap()
            == fs::read(package(project.path(), 1).join("data/print/2026-06.pdf")).unwrap(),
        "the rebuilt print file differs from the archived one"
    );

    // It is the recorded figures that did it: without them the changes cannot be worked out.
    fs::remove_file(later.path().join("content/2026-06/.previous-figures.json")).unwrap();
    let refused = koho(later.path(), &["build", "--quiet"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("total_change"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn an_add_cut_off_at_any_moment_leaves_the_archive_valid() {
    let project = copy_of_archived();
    // A changed issue, so that every add has a version 2 to write.
    let page = project.path().join(PAGE_FILE);
    let text = fs::read_to_string(&page).unwrap();
    fs::write(
        &page,
        text.replacen("lead: 金澤市長が", "lead: 金澤市長が、", 1),
    )
    .unwrap();

    // Cut off at several moments through its work, from the first instant to near the end.
    for delay_ms in [0, 300, 1000, 2500, 4000] {
        let mut child = command(project.path(), &["archive", "add", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (code, report) = json(project.path(), &["archive", "verify"]);
        assert_eq!(code, Some(0), "after a cut at {delay_ms} ms: {report}");
        // No half-written package: every version folder is a whole, valid bag.
        for version in [1, 2] {
            let bag = package(project.path(), version);
            if bag.exists() {
                assert!(bag.join("tagmanifest-sha256.txt").is_file());
            }
        }
    }
    // The next add finishes the work and cleans up what was left.
    let out = koho(project.path(), &["archive", "add", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(package(project.path(), 2).is_dir());
    assert!(
        !package(project.path(), 3).exists(),
        "the issue is archived once"
    );
    let (code, report) = json(project.path(), &["archive", "verify"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["leftovers"], serde_json::json!([]));
    let listed = json(project.path(), &["archive", "list"]).1;
    assert_eq!(listed["issues"].as_array().unwrap().len(), 2);

    // Cut off in the one instant between putting version 2 in place and recording it: the
    // package is whole, verify says it is not recorded yet, and the next add records it.
    let v2 = package(project.path(), 2);
    let aside = project.path().join("v2-aside");
    fs::rename(&v2, &aside).unwrap();
    assert_eq!(json(project.path(), &["archive", "reindex"]).0, Some(0));
    fs::rename(&aside, &v2).unwrap();
    let (code, report) = json(project.path(), &["archive", "verify"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(
        report["unrecorded"],
        serde_json::json!([{"issue": ISSUE, "version": 2}])
    );
    let out = koho(project.path(), &["archive", "add", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2026-06 v2 を目録に記録しました"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("変わっていません"),
        "{}",
        stdout(&out)
    );
    let (code, report) = json(project.path(), &["archive", "verify"]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["unrecorded"], serde_json::json!([]));
}

/// Runs koho with `args` in `dir` on a pseudo-terminal (util-linux's `script`), as a person at
/// a terminal would: everything the terminal received.
fn on_a_terminal(dir: &Path, args: &[&str]) -> String {
    assert!(
        Path::new("/usr/bin/script").exists(),
        "this test needs script (apt-get install bsdutils; .ci/run installs it)"
    );
    let line = std::iter::once(env!("CARGO_BIN_EXE_koho"))
        .chain(args.iter().copied())
        .map(|word| format!("'{word}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("/usr/bin/script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOHO_ARCHIVE")
        .env_remove("KOHO_CATALOG")
        .env("LANG", "ja_JP.UTF-8")
        .env("TERM", "xterm")
        .output()
        .expect("script runs");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    stdout(&out)
}

#[test]
fn long_work_shows_a_bar_on_a_terminal_plain_lines_on_a_pipe_and_nothing_when_quiet() {
    let project = copy_of_archived();
    // Into a pipe (a log, a script): one line per step, the report as ever.
    let piped = koho(project.path(), &["archive", "verify"]);
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert_eq!(
        stderr(&piped),
        "パッケージを検査しています 0/1\nパッケージを検査しています 1/1\n"
    );
    assert!(stdout(&piped).contains("2026-06 v1"), "{}", stdout(&piped));
    let built = koho(project.path(), &["build"]);
    let told = stderr(&built);
    for phase in [
        "原稿を確認しています…",
        "組版しています…",
        "書き出しています…",
    ] {
        assert!(told.lines().any(|l| l == phase), "{phase:?} not in {told}");
    }
    // --quiet: the report only.
    for args in [&["archive", "verify", "--quiet"][..], &["build", "-q"]] {
        let quiet = koho(project.path(), args);
        assert_eq!(quiet.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&quiet), "", "{args:?}");
    }
    // On a terminal: a bar redrawn in place (carriage returns, lines cleared) that is gone
    // when the report is printed; no plain progress lines.
    let seen = on_a_terminal(project.path(), &["archive", "reindex"]);
    assert!(seen.contains("目録に登録しています"), "{seen:?}");
    assert!(seen.contains("\r\u{1b}[2K"), "{seen:?}");
    assert!(!seen.contains("目録に登録しています 0/1\r\n"), "{seen:?}");
    let report = seen.rsplit("\u{1b}[2K").next().unwrap();
    assert!(
        report.starts_with("目録を作り直しました: 1 号分") && !report.contains("登録しています"),
        "the report stands alone after the bar: {report:?}"
    );
    let seen = on_a_terminal(project.path(), &["build"]);
    assert!(seen.contains("組版しています…"), "{seen:?}");
    assert!(!seen.contains("組版しています…\r\n"), "{seen:?}");
}
