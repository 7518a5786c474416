//! `koho schema` writes JSON Schemas that an independent validator (the `jsonschema` crate,
//! as an editor's YAML language server would) uses to accept every content file koho accepts
//! and to reject every case of the check corpus whose errors are schema-level (a wrong type,
//! a number out of range, an unknown key, a missing field, too many or too few entries).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{PROJECT, koho_in, stderr, stdout};
use koho::content::yaml::{self, Node, Value};
use koho::diag::Source;
use serde_json::{Value as Json, json};

/// Problems a JSON Schema can express.
const SCHEMA_LEVEL: &[&str] = &[
    "wrong-type",
    "out-of-range",
    "unknown-key",
    "missing-field",
    "too-many",
    "too-few",
    "not-one-of",
];

/// Corpus cases whose errors have a schema-level name but come from a rule, which a JSON
/// Schema cannot express.
const RULE_LEVEL: &[&str] = &[
    // The figure is needed only because rollup is none: the mean rule, not the type.
    "rollup-none-without-figure",
    // 4-1 is written like a range; that it runs backwards is koho's to say, not a pattern's.
    "folios-backwards",
];

/// The schemas `koho schema` writes, by file name.
fn schemas() -> (tempfile::TempDir, BTreeMap<String, Json>) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("schemas");
    let run = koho_in(
        Path::new(PROJECT),
        &["schema", "-o", dir.to_str().unwrap()],
        "C.UTF-8",
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).contains("pledge-progress.schema.json"));
    let mut found = BTreeMap::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let schema: Json = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema",
            "{}",
            path.display()
        );
        found.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            schema,
        );
    }
    (out, found)
}

/// A YAML file as the data a validator sees (YAML 1.2 core types), or `None` when it is no
/// YAML at all (a syntax error is not a schema's business).
fn as_json(path: &Path) -> Option<Json> {
    let text = yaml::decode_text(&fs::read(path).ok()?).ok()?;
    let node = yaml::parse(&Source::new(path, text)).ok()?;
    Some(to_json(&node))
}

fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => i64::try_from(*i).map_or(json!(*i as f64), |i| json!(i)),
        Value::Float(f) => json!(f),
        Value::Str { text, .. } => json!(text),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// The schemas a file is validated against: issue.yaml's, the kind's its `layout:` names, or
/// (a page that names no kind the project has) every kind's.
fn schemas_for<'s>(path: &Path, data: &Json, schemas: &'s BTreeMap<String, Json>) -> Vec<&'s Json> {
    if path.file_name().is_some_and(|n| n == "issue.yaml") {
        return vec![&schemas["issue.schema.json"]];
    }
    let named = data["layout"]
        .as_str()
        .and_then(|kind| schemas.get(&format!("{kind}.schema.json")));
    match named {
        Some(schema) => vec![schema],
        None => schemas
            .iter()
            .filter(|(name, _)| *name != "issue.schema.json")
            .map(|(_, s)| s)
            .collect(),
    }
}

/// The YAML files of a folder, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn folders(under: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(Path::new(PROJECT).join(under))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Whether `data` is valid against one of the schemas given, with the reasons it is not.
fn valid(schemas: &[&Json], data: &Json) -> Result<(), String> {
    let mut errors = Vec::new();
    for schema in schemas {
        let validator = jsonschema::draft202012::new(schema).expect("a valid JSON Schema");
        match validator.validate(data) {
            Ok(()) => return Ok(()),
            Err(e) => errors.push(format!("{e} at {}", e.instance_path())),
        }
    }
    Err(errors.join("; "))
}

#[test]
fn every_file_koho_accepts_is_valid_against_its_schema() {
    let (_out, schemas) = schemas();
    let mut dirs = folders("content");
    dirs.extend(folders("tests/accept"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for dir in dirs {
        for file in yaml_files(&dir) {
            let data = as_json(&file).unwrap_or_else(|| panic!("{} is YAML", file.display()));
            if let Err(e) = valid(&schemas_for(&file, &data, &schemas), &data) {
                wrong.push(format!("{}: {e}", file.display()));
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} files");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_schema_level_mistake_of_the_corpus_is_refused() {
    let (_out, schemas) = schemas();
    let mut refused = 0;
    let mut wrong = Vec::new();
    for case in folders("tests/check") {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = fs::read_to_string(case.join("expect.txt")).unwrap();
        let kinds: Vec<&str> = expect
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_whitespace().nth(2))
            .collect();
        let schema_level = !kinds.is_empty() && kinds.iter().all(|k| SCHEMA_LEVEL.contains(k));
        if !schema_level || RULE_LEVEL.contains(&name.as_str()) {
            continue;
        }
        let any_refused = yaml_files(&case).iter().any(|file| {
            as_json(file)
                .is_some_and(|data| valid(&schemas_for(file, &data, &schemas), &data).is_err())
        });
        if any_refused {
            refused += 1;
        } else {
            wrong.push(name);
        }
    }
    assert!(refused >= 15, "only {refused} cases refused");
    assert!(wrong.is_empty(), "valid against their schemas: {wrong:?}");
}

#[test]
fn an_unknown_kind_is_a_usage_error_and_one_kind_can_be_written_alone() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let unknown = koho_in(
        Path::new(PROJECT),
        &["schema", "weather", "-o", dir],
        "ja_JP.UTF-8",
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("ページの種類「weather」は layouts/ にありません"));
    assert_eq!(
        fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );
    let one = koho_in(
        Path::new(PROJECT),
        &["schema", "pledge-progress", "-o", dir],
        "C.UTF-8",
    );
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    let mut names: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["issue.schema.json", "pledge-progress.schema.json"]);
}
