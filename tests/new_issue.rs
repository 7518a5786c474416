//! `koho new`: next month's issue folder made from the sample, checked as an editor meets it.
//!
//! What must be filled is worked out here from the layouts' `schema.yaml` files and the
//! sample's page files, read with serde-saphyr into plain JSON values — not with koho's own
//! schema loader — so a field that loses (or gains) `monthly: true`, or a page that gains one,
//! changes the expectation without editing this file.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use common::{files_under, koho_in, scratch_issue, stdout};
use serde_json::Value;

/// Reads a YAML file into a JSON value.
fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The paths (`box.when`) of the `monthly` fields of `fields` that `page` writes, looking
/// into the object fields that are not monthly themselves.
fn monthly_paths(fields: &Value, page: &Value, prefix: &str, into: &mut BTreeSet<String>) {
    let (Some(fields), Some(page)) = (fields.as_object(), page.as_object()) else {
        return;
    };
    for (name, field) in fields {
        let Some(value) = page.get(name) else {
            continue;
        };
        let path = format!("{prefix}{name}");
        if field["monthly"] == Value::Bool(true) {
            into.insert(path);
        } else if field["type"] == "object" {
            monthly_paths(&field["fields"], value, &format!("{path}."), into);
        }
    }
}

/// `(page file, field path)` of every field the new issue should ask for, from the sample.
fn expected_to_fill(project: &Path) -> BTreeSet<(String, String)> {
    let issue = project.join("content/2026-06");
    let mut expected = BTreeSet::new();
    for page in yaml(&issue.join("issue.yaml"))["pages"].as_array().unwrap() {
        let file = page["file"].as_str().unwrap();
        let content = yaml(&issue.join(file));
        let kind = content["layout"].as_str().unwrap();
        let schema = yaml(&project.join("layouts").join(kind).join("schema.yaml"));
        let mut paths = BTreeSet::new();
        monthly_paths(&schema["fields"], &content, "", &mut paths);
        expected.extend(paths.into_iter().map(|p| (file.to_owned(), p)));
    }
    expected
}

#[test]
fn a_new_month_asks_for_exactly_the_month_bound_fields_and_is_never_made_twice() {
    let project = scratch_issue();
    let root = project.path();

    let made = koho_in(root, &["new", "--json", "--lang", "en"], "C");
    assert_eq!(made.status.code(), Some(0), "{}", stdout(&made));
    let report: Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(report["issue"], "content/2026-07", "{report}");
    assert_eq!(
        report["from"], "content/2026-06",
        "the newest issue is the default"
    );
    assert_eq!(report["issue_date"], "2026-07-01");

    let old_issue = yaml(&root.join("content/2026-06/issue.yaml"));
    let new_issue = yaml(&root.join("content/2026-07/issue.yaml"));
    assert_eq!(
        new_issue["number"].as_i64(),
        old_issue["number"].as_i64().map(|n| n + 1),
        "通巻 moves on by one"
    );
    assert_eq!(new_issue["pages"], old_issue["pages"], "the same pages");

    // Every page file names its JSON Schema on its first line, and the schema is there.
    for page in new_issue["pages"].as_array().unwrap() {
        let file = page["file"].as_str().unwrap();
        let text = fs::read_to_string(root.join("content/2026-07").join(file)).unwrap();
        let kind = yaml(&root.join("content/2026-07").join(file))["layout"]
            .as_str()
            .unwrap()
            .to_owned();
        let first = text.lines().next().unwrap();
        let schema = format!("../../out/schema/{kind}.schema.json");
        assert_eq!(first, format!("# yaml-language-server: $schema={schema}"));
        assert!(
            root.join("content/2026-07").join(&schema).is_file(),
            "{schema} is written"
        );
    }

    // koho check lists exactly the month-bound fields, and nothing else.
    let expected = expected_to_fill(root);
    assert!(
        expected.len() > 20,
        "the sample has month-bound fields: {expected:?}"
    );
    assert_eq!(report["to_fill"].as_u64(), Some(expected.len() as u64));
    let check = koho_in(root, &["check", "content/2026-07", "--json"], "C");
    assert_eq!(
        check.status.code(),
        Some(1),
        "fields to fill fail the check"
    );
    let checked: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut listed = BTreeSet::new();
    for error in checked["errors"].as_array().unwrap() {
        assert_eq!(error["kind"], "still-to-fill", "no other problem: {error}");
        let file = Path::new(error["file"].as_str().unwrap());
        let file = file.file_name().unwrap().to_string_lossy().into_owned();
        listed.insert((file, error["field"].as_str().unwrap().to_owned()));
    }
    assert_eq!(listed, expected);

    // Read by a person: one count, one line per field, not a wall of errors.
    let human = koho_in(root, &["check", "content/2026-07", "--lang", "ja"], "C");
    let said = String::from_utf8_lossy(&human.stderr).into_owned();
    assert!(
        said.contains(&format!("要記入の項目が {} 件あります", expected.len())),
        "{said}"
    );
    let field_lines = said.lines().filter(|l| l.contains(".yaml:")).count();
    assert_eq!(field_lines, expected.len(), "{said}");

    // Filling one field leaves one fewer to fill.
    let (file, field) = expected
        .iter()
        .find(|(_, f)| f == "title")
        .expect("a page title is month-bound")
        .clone();
    let path = root.join("content/2026-07").join(&file);
    let text = fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{field}: 要記入")))
        .unwrap();
    fs::write(&path, text.replace(line, "title: 港まつり (サンプル)")).unwrap();
    let again = koho_in(root, &["check", "content/2026-07", "--json"], "C");
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        again["errors"].as_array().unwrap().len(),
        expected.len() - 1
    );

    // A second koho new for the same month refuses and leaves the folder as it was.
    let before = files_under(&root.join("content/2026-07"));
    let twice = koho_in(
        root,
        &["new", "--from", "content/2026-06", "--lang", "ja"],
        "C",
    );
    assert_eq!(twice.status.code(), Some(2));
    let said = String::from_utf8_lossy(&twice.stderr).into_owned();
    assert!(said.contains("content/2026-07"), "{said}");
    assert_eq!(files_under(&root.join("content/2026-07")), before);
    let leftovers: Vec<_> = fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folder left: {leftovers:?}"
    );
}
