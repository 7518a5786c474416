//! `koho check` as an editor runs it: the sample issue, the newest-issue default, languages,
//! exit codes, and the promise that checking writes nothing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{PROJECT, copy_tree, koho_in, scratch_project, stderr, stdout};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn the_sample_issue_checks_clean() {
    let output = koho_in(
        Path::new(PROJECT),
        &["check", "content/2026-06", "--lang", "en"],
        "C",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The pages, then each list's entries by its words across the kinds, then the photos.
    let said = stdout(&output);
    assert!(
        said.trim()
            .starts_with("content/2026-06: no errors (16 pages, "),
        "{said}"
    );
    assert!(said.contains("7 visions, 34 items, 2 highlights"), "{said}");
    assert!(said.trim().ends_with(" photos)"), "{said}");
    let ja = koho_in(
        Path::new(PROJECT),
        &["check", "content/2026-06"],
        "ja_JP.UTF-8",
    );
    let said = stdout(&ja);
    assert!(
        said.trim()
            .starts_with("content/2026-06: エラーはありません (16 ページ、"),
        "{said}"
    );
    assert!(said.contains("ビジョン 7、項目 34、取り組み 2"), "{said}");
}

#[test]
fn the_sample_issue_is_the_page_as_printed() {
    let project = koho::Project::find(Path::new(PROJECT)).unwrap();
    let dir = project.content_dir().join("2026-06");
    let report = koho::check(&project, &dir, Path::new(PROJECT));
    assert!(report.is_clean(), "{:?}", report.diagnostics);
    let issue = report.issue.expect("the sample loads");
    assert_eq!(issue.magazine.as_str(), "広報とまこまい");
    assert_eq!(issue.issue_date.to_string(), "2026-06-01");
    assert_eq!(issue.page_count(), 16);
    let pledge = issue.page_at(4).expect("the pledge page is page 4");
    let page = pledge.content.fields.to_json();
    let visions = page["visions"].as_array().unwrap();
    // The figures the rollup derives from the items, and those the page states.
    let figures: Vec<u64> = visions
        .iter()
        .map(|v| v["percent"].as_u64().unwrap())
        .collect();
    assert_eq!(figures, [49, 31, 24, 52, 44, 47, 42]);
    let items: Vec<usize> = visions
        .iter()
        .map(|v| v["items"].as_array().unwrap().len())
        .collect();
    assert_eq!(items, [5, 5, 5, 5, 5, 5, 4]);
    assert_eq!(visions[0]["title"], "子どもど真ん中のまち 苫小牧");
    assert_eq!(
        (&page["contact"]["label"], &page["contact"]["department"]),
        (&"詳細".into(), &"政策推進課".into())
    );
    // The OCR's misreadings are corrected everywhere, and exclamations are full width.
    let text = fs::read_to_string(dir.join("p04-pledge-progress.yaml")).unwrap();
    assert!(!text.contains('苦'), "苦小牧 is a misreading of 苫小牧");
    assert!(!text.contains("!!") && text.contains("！！"));
    assert!(
        page["note"]
            .as_str()
            .unwrap()
            .ends_with("中央図書館などでご覧いただけます。")
    );
    // The photos are placeholders and say so.
    let highlights = page["highlights"]["items"].as_array().unwrap();
    assert_eq!(highlights.len(), 2);
    for item in highlights {
        let photo = &item["photo"];
        assert!(photo["caption"].as_str().unwrap().contains("仮の画像"));
        assert!(photo["alt"].as_str().unwrap().contains("仮の画像"));
    }
    // Every other page is sample text written for koho and says so at its head, and every
    // photo is a placeholder that says so in its caption or its alt text.
    for page in issue.pages.iter().filter(|p| p.file != pledge.file) {
        let head: String = page.source.text.lines().take(3).collect();
        assert!(
            head.contains("サンプル"),
            "{} does not say it is sample text",
            page.file
        );
        for (path, photo) in page.content.fields.photos(&koho::diag::FieldPath::root()) {
            let said = [
                Some(photo.alt.as_str()),
                photo.caption.as_ref().map(|c| c.as_str()),
            ];
            assert!(
                said.iter().flatten().any(|t| t.contains("仮の")),
                "{} {path}: a placeholder photo must say so",
                page.file
            );
        }
    }
}

#[test]
fn checking_writes_nothing() {
    let project = scratch_project();
    let before = snapshot(project.path());
    let ok = koho_in(project.path(), &["check"], "C");
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(snapshot(project.path()), before);
    let page = project
        .path()
        .join("content/2026-06/p04-pledge-progress.yaml");
    let broken = fs::read_to_string(&page)
        .unwrap()
        .replace("percent: 49", "percent: 50");
    fs::write(&page, &broken).unwrap();
    let before_bad = snapshot(project.path());
    let bad = koho_in(project.path(), &["check"], "C");
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(snapshot(project.path()), before_bad);
}

#[test]
fn without_a_folder_the_newest_issue_by_date_is_checked() {
    let project = scratch_project();
    // A folder whose name sorts later but whose issue is older.
    let older = project.path().join("content/zz-old");
    copy_tree(&project.path().join("content/2026-06"), &older);
    let issue = older.join("issue.yaml");
    let text = fs::read_to_string(&issue)
        .unwrap()
        .replace("2026-06-01", "2025-06-01");
    fs::write(&issue, text).unwrap();
    // Run from a subfolder: the project is found upward.
    let output = koho_in(&project.path().join("content"), &["check"], "C");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("checking 2026-06"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_language_follows_lang_unless_told() {
    let dir = "tests/check/percent-with-sign";
    let ja = koho_in(Path::new(PROJECT), &["check", dir], "ja_JP.UTF-8");
    assert!(
        stderr(&ja).contains("「%」は付けずに数字だけを書いてください"),
        "{}",
        stderr(&ja)
    );
    let en = koho_in(Path::new(PROJECT), &["check", dir], "en_US.UTF-8");
    assert!(
        stderr(&en).contains("write the number without `%`"),
        "{}",
        stderr(&en)
    );
    let told = koho_in(
        Path::new(PROJECT),
        &["check", dir, "--lang", "ja"],
        "en_US.UTF-8",
    );
    assert!(stderr(&told).contains("ヒント"), "{}", stderr(&told));
}

#[test]
fn usage_errors_exit_2() {
    let nowhere = tempfile::tempdir().unwrap();
    let no_project = koho_in(nowhere.path(), &["check", "--lang", "ja"], "C");
    assert_eq!(no_project.status.code(), Some(2));
    assert!(
        stderr(&no_project).contains("layouts/"),
        "{}",
        stderr(&no_project)
    );

    let no_folder = koho_in(
        Path::new(PROJECT),
        &["check", "content/1999-01", "--lang", "en"],
        "C",
    );
    assert_eq!(no_folder.status.code(), Some(2));
    assert!(stderr(&no_folder).contains("content/1999-01 is not a folder"));

    let bad_flag = koho_in(Path::new(PROJECT), &["check", "--colour"], "C");
    assert_eq!(bad_flag.status.code(), Some(2));

    let empty = tempfile::tempdir().unwrap();
    fs::create_dir(empty.path().join("layouts")).unwrap();
    let no_issue = koho_in(empty.path(), &["check", "--lang", "en"], "C");
    assert_eq!(no_issue.status.code(), Some(2));
    assert!(
        stderr(&no_issue).contains("no issue found"),
        "{}",
        stderr(&no_issue)
    );
}

#[test]
fn json_reports_the_same_errors_for_machines() {
    let output = koho_in(
        Path::new(PROJECT),
        &[
            "check",
            "tests/check/errors-in-two-files",
            "--json",
            "--lang",
            "ja",
        ],
        "C",
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 4);
    let first = &errors[0];
    assert_eq!(first["file"], "tests/check/errors-in-two-files/issue.yaml");
    assert_eq!(first["kind"], "bad-date");
    assert!(
        first["message"]
            .as_str()
            .unwrap()
            .contains("正しい日付ではありません")
    );
    assert!(first["hint"].as_str().unwrap().contains("2026-06-01"));
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_issue_folder_is_refused_unread() {
    let project = scratch_project();
    let issue = project.path().join("content/2026-06");
    let outside = project.path().join("secret.jpg");
    fs::copy(issue.join("images/entrance-gift.jpg"), &outside).unwrap();
    fs::remove_file(issue.join("images/entrance-gift.jpg")).unwrap();
    std::os::unix::fs::symlink(&outside, issue.join("images/entrance-gift.jpg")).unwrap();
    let output = koho_in(project.path(), &["check", "--json", "--lang", "en"], "C");
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["kind"], "path-escapes");
    assert_eq!(errors[0]["field"], "highlights.items[1].photo.file");
}

#[test]
fn a_missing_layout_folder_names_what_there_is() {
    let project = scratch_project();
    fs::remove_dir_all(project.path().join("layouts/pledge-progress")).unwrap();
    let output = koho_in(project.path(), &["check", "--lang", "ja"], "C");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("レイアウト「pledge-progress」はありません"),
        "{}",
        stderr(&output)
    );
}
