//! The data-driven corpus: every folder of `tests/check/` is a bad issue with the errors koho
//! must report written beside it in `expect.txt`; every folder of `tests/accept/` must pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One expected or reported error: file (relative to the case), line, column, field, kind.
type Row = (String, u32, u32, String, String);

fn koho(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_koho"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("koho runs")
}

fn case_dirs(under: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(under);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn relative(case: &Path) -> String {
    case.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("case inside the project")
        .to_string_lossy()
        .into_owned()
}

fn expected_rows(case: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(case.join("expect.txt"))
        .unwrap_or_else(|_| panic!("{} has no expect.txt", case.display()));
    let mut rows: Vec<Row> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                parts.len(),
                3,
                "{}: bad expect line {line:?}",
                case.display()
            );
            let place: Vec<&str> = parts[0].rsplitn(3, ':').collect();
            (
                place[2].to_owned(),
                place[1].parse().expect("line"),
                place[0].parse().expect("column"),
                parts[1].to_owned(),
                parts[2].to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn reported_rows(case: &Path, output: &Output) -> Result<Vec<Row>, String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })?;
    let prefix = format!("{}/", relative(case));
    let mut rows: Vec<Row> = json["errors"]
        .as_array()
        .ok_or("no errors array")?
        .iter()
        .map(|e| {
            let file = e["file"].as_str().unwrap_or_default();
            let field = e["field"].as_str().unwrap_or_default();
            (
                file.strip_prefix(&prefix).unwrap_or(file).to_owned(),
                e["line"].as_u64().unwrap_or(0) as u32,
                e["column"].as_u64().unwrap_or(0) as u32,
                if field.is_empty() {
                    "-".to_owned()
                } else {
                    field.to_owned()
                },
                e["kind"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    rows.sort();
    Ok(rows)
}

/// The issue folder a case checks: the case itself, or — for a case holding several issues of
/// one magazine (this month and the month before) — the last of its folders by name.
fn checked_issue(case: &Path) -> String {
    if case.join("issue.yaml").is_file() {
        return relative(case);
    }
    let mut issues: Vec<PathBuf> = std::fs::read_dir(case)
        .expect("case folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("issue.yaml").is_file())
        .collect();
    issues.sort();
    relative(
        issues
            .last()
            .unwrap_or_else(|| panic!("{} holds no issue", case.display())),
    )
}

/// Checks one bad case in every output form; returns what is wrong with koho's answer.
fn check_case(case: &Path) -> Vec<String> {
    let mut wrong = Vec::new();
    let dir = relative(case);
    let issue = checked_issue(case);
    let expected = expected_rows(case);
    for lang in ["en", "ja"] {
        let output = koho(&["check", &issue, "--json", "--lang", lang]);
        if output.status.code() != Some(1) {
            wrong.push(format!(
                "--json --lang {lang}: exit {:?}, want 1",
                output.status.code()
            ));
        }
        match reported_rows(case, &output) {
            Ok(rows) if rows == expected => {}
            Ok(rows) => wrong.push(format!(
                "--lang {lang}: reported {rows:?}\n      expected {expected:?}"
            )),
            Err(e) => wrong.push(e),
        }
        let text = koho(&["check", &issue, "--lang", lang]);
        if text.status.code() != Some(1) {
            wrong.push(format!(
                "--lang {lang}: exit {:?}, want 1",
                text.status.code()
            ));
        }
        let stderr = String::from_utf8_lossy(&text.stderr);
        for (file, line, column, field, kind) in &expected {
            let head = format!("error: {dir}/{file}:{line}:{column}: ");
            // The field path, then the editors' words for it in brackets when it has any;
            // fields still to fill are listed one short line each, under their count.
            let found = if kind == "still-to-fill" {
                let head = format!("  {dir}/{file}:{line}:{column}  ");
                stderr.lines().any(|l| l.starts_with(&head))
            } else if field == "-" {
                stderr.contains(&head)
            } else {
                stderr.contains(&format!("{head}{field}: "))
                    || stderr.contains(&format!("{head}{field} ("))
            };
            if !found {
                wrong.push(format!(
                    "--lang {lang}: no line starting {head:?} in:\n{stderr}"
                ));
            }
        }
    }
    wrong
}

#[test]
fn every_bad_case_reports_exactly_its_errors() {
    let cases = case_dirs("check");
    assert!(
        cases.len() >= 30,
        "the corpus keeps at least 30 bad inputs, has {}",
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .flat_map(|case| {
            check_case(case)
                .into_iter()
                .map(move |w| format!("{}: {w}", relative(case)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_covers_every_kind_of_input_error() {
    let kinds: BTreeSet<String> = case_dirs("check")
        .iter()
        .flat_map(|c| expected_rows(c))
        .map(|row| row.4)
        .collect();
    let required = [
        "unknown-key",
        "duplicate-key",
        "wrong-type",
        "out-of-range",
        "missing-field",
        "tab-indent",
        "syntax",
        "empty-file",
        "not-text",
        "utf16",
        "limits",
        "rollup-mismatch",
        "not-one-of",
        "file-missing",
        "path-absolute",
        "path-escapes",
        "photo-broken",
        "photo-too-large",
        "photo-format",
        "photo-low-resolution",
        "too-few",
        "too-many",
        "bad-date",
        "commented-out",
        "empty-text",
        "unknown-layout",
        "folio-twice",
        "folio-order",
        "sum-mismatch",
        "previous-mismatch",
        "previous-missing",
        "wrong-weekday",
        "working-day",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !kinds.contains(*k))
        .collect();
    assert!(missing.is_empty(), "no case for: {missing:?}");
}

#[test]
fn accepted_inputs_check_clean() {
    let cases = case_dirs("accept");
    assert!(!cases.is_empty());
    for case in cases {
        let output = koho(&["check", &relative(&case), "--lang", "en"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}:\n{}",
            case.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
