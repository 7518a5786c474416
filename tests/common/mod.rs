//! Helpers shared by the integration tests: running koho, scratch projects, PDF text.
#![allow(dead_code)]

pub mod ads;
pub mod browser;
pub mod watch;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub const PROJECT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs koho in `dir` with `LANG` set to `lang` (and no other locale variable).
pub fn koho_in(dir: &Path, args: &[&str], lang: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_koho"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOHO_ARCHIVE")
        .env_remove("KOHO_CATALOG")
        .env("LANG", lang)
        .output()
        .expect("koho runs")
}

/// What `koho archive verify --json` names: (what, path) of every problem in every package.
pub fn verify_problems(report: &serde_json::Value) -> Vec<(String, String)> {
    report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["problems"].as_array().unwrap().clone())
        .map(|p| {
            (
                p["what"].as_str().unwrap().to_owned(),
                p["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The sample's pledge page checked alone (an offprint at its folio, 4): what the tests of
/// one page's content, proofs, archive and watch work on, quicker than the whole issue.
pub const PLEDGE_OFFPRINT: &str = "magazine: 広報とまこまい\nissue_date: 2026-06-01\nnumber: 850\n\
offprint: true\npages:\n  - file: p04-pledge-progress.yaml\n    folio: 4\n";

/// A copy of the project's layouts and the sample's pledge page alone ([`PLEDGE_OFFPRINT`],
/// as `content/2026-06/`) in a temporary folder, fonts linked.
pub fn scratch_project() -> tempfile::TempDir {
    let dir = scratch_issue();
    let issue = dir.path().join("content/2026-06");
    fs::write(issue.join("issue.yaml"), PLEDGE_OFFPRINT).unwrap();
    for entry in fs::read_dir(&issue).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".yaml") && name != "issue.yaml" && name != "p04-pledge-progress.yaml" {
            fs::remove_file(path).unwrap();
        }
    }
    // The sample's ads are not on the pledge page.
    let _ = fs::remove_dir_all(issue.join("ads"));
    // Only the page's own photos: the folder holds what the issue uses, as a restored one does.
    let page = fs::read_to_string(issue.join("p04-pledge-progress.yaml")).unwrap();
    for entry in fs::read_dir(issue.join("images")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !page.contains(&format!("images/{name}")) {
            fs::remove_file(path).unwrap();
        }
    }
    dir
}

/// A copy of the project's layouts and the whole 16-page sample issue in a temporary folder
/// (with the issue before it, whose figures its 前月比 come from), fonts linked.
pub fn scratch_issue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(PROJECT).join("layouts"),
        &dir.path().join("layouts"),
    );
    copy_tree(
        &Path::new(PROJECT).join("content"),
        &dir.path().join("content"),
    );
    link_fonts(dir.path());
    dir
}

/// The project's fonts, linked rather than copied (they are large).
pub fn link_fonts(project: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(Path::new(PROJECT).join("fonts"), project.join("fonts")).unwrap();
    #[cfg(not(unix))]
    copy_tree(&Path::new(PROJECT).join("fonts"), &project.join("fonts"));
}

/// Copies a folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes an issue folder `content/<name>/` with one page file.
pub fn write_issue(project: &Path, name: &str, page_yaml: &str) -> PathBuf {
    let dir = project.join("content").join(name);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("issue.yaml"),
        "magazine: 広報テスト\nissue_date: 2026-07-01\nnumber: 1240\noffprint: true\npages:\n  - file: p.yaml\n    folio: 3\n",
    )
    .unwrap();
    fs::write(dir.join("p.yaml"), page_yaml).unwrap();
    dir
}

/// The text of a PDF in content order (poppler's `pdftotext -raw`).
pub fn pdf_text(pdf: &Path) -> String {
    pdftotext(pdf, &[])
}

/// The text of one page of a PDF in content order (`pdftotext -raw -f N -l N`).
pub fn pdf_page_text(pdf: &Path, page: u32) -> String {
    let page = page.to_string();
    pdftotext(pdf, &["-f", &page, "-l", &page])
}

fn pdftotext(pdf: &Path, pages: &[&str]) -> String {
    let output = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .args(pages)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The number of pages of a PDF (poppler's `pdfinfo`).
pub fn pdf_pages(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo runs (apt-get install poppler-utils)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .expect("pdfinfo prints Pages:")
}

/// Text without any white space, for comparing wrapped lines.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every file under `dir` with its bytes, by its path relative to `dir`.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}
