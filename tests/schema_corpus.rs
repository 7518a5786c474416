//! The schema corpus: every folder of `tests/schema/` is a bad `schema.yaml` with the errors
//! koho must report for it written beside it in `expect.txt` (as in `tests/check/`, with the
//! file relative to the kind's folder). A schema is loaded as strictly as content.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use koho::diag::{Lang, render};

/// One error: file, line, column, field, kind.
type Row = (String, u32, u32, String, String);

fn expected(case: &Path) -> BTreeSet<Row> {
    let text = fs::read_to_string(case.join("expect.txt"))
        .unwrap_or_else(|_| panic!("{} has no expect.txt", case.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{}: bad line {line:?}", case.display());
            let place: Vec<&str> = parts[0].rsplitn(3, ':').collect();
            (
                place[2].to_owned(),
                place[1].parse().unwrap(),
                place[0].parse().unwrap(),
                parts[1].to_owned(),
                parts[2].to_owned(),
            )
        })
        .collect()
}

/// What koho reports for the schema of `case`, laid out as the kind of the same name.
fn reported(case: &Path) -> (BTreeSet<Row>, bool) {
    let name = case.file_name().unwrap().to_str().unwrap();
    let layouts = tempfile::tempdir().unwrap();
    let kind = layouts.path().join(name);
    fs::create_dir_all(&kind).unwrap();
    fs::copy(case.join("schema.yaml"), kind.join("schema.yaml")).unwrap();
    fs::write(kind.join("page.typ"), "").unwrap();
    let (kinds, problems) = koho::layout::available_kinds(layouts.path(), Path::new(""));
    let refused = matches!(kinds.get(name), Some(None));
    let rows = problems
        .iter()
        .map(|d| {
            // Every problem renders, in both languages.
            assert!(!render::human(d, Lang::Ja).is_empty());
            let json = render::json(d, Lang::En);
            let file = json
                .file
                .strip_prefix(&format!("{name}/"))
                .unwrap_or(&json.file);
            let field = if json.field.is_empty() {
                "-".to_owned()
            } else {
                json.field
            };
            (
                file.to_owned(),
                json.line,
                json.column,
                field,
                json.kind.to_owned(),
            )
        })
        .collect();
    (rows, refused)
}

#[test]
fn every_bad_schema_reports_exactly_its_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the corpus has its cases");
    let mut wrong = Vec::new();
    for case in &cases {
        let (rows, refused) = reported(case);
        let want = expected(case);
        if rows != want || !refused {
            wrong.push(format!(
                "{}: refused {refused}\n  expected {want:?}\n  reported {rows:?}",
                case.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_projects_own_schemas_load_clean() {
    let layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts");
    let (kinds, problems) = koho::layout::available_kinds(&layouts, Path::new("layouts"));
    assert!(problems.is_empty(), "{problems:?}");
    assert!(kinds.get("pledge-progress").is_some_and(Option::is_some));
    assert!(!kinds.contains_key("lib"), "layouts/lib is not a kind");
}
