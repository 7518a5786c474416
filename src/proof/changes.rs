//! What changed between two proof rounds, field by field: old → new values, added and
//! removed visions, items and highlights, replaced photos, in the words an editor knows
//! (ビジョン03 › 項目2 › 進捗).
//!
//! Lists are aligned, not compared position by position: an item added in the middle is one
//! added item, not a change to every item after it. Two entries are the same entry when they
//! are alike enough ([`SAME_ENTRY`]): a label with one word changed is that label, changed.

use serde::Serialize;
use serde_json::Value;

use super::snapshot::{PageSnapshot, Snapshot};
use crate::content::AvailableLayouts;
use crate::diag::{FieldPath, Lang};
use crate::schema::{FieldType, Kind, Words, object_fields};

/// How alike two list entries must be (0–1) to be taken for the same entry.
pub const SAME_ENTRY: f64 = 0.5;

/// What happened to a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// The value changed.
    Changed,
    /// A vision, item, highlight or other block is new.
    Added,
    /// A block is gone.
    Removed,
    /// The photo is another picture (another file, or new bytes under the same name).
    PhotoReplaced,
    /// The page is new in this round.
    PageAdded,
    /// The page is gone in this round.
    PageRemoved,
}

/// One change between two rounds.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The page's folio.
    pub folio: u32,
    /// What happened.
    pub kind: ChangeKind,
    /// The field in this round (for a removed one, in the previous round).
    #[serde(skip)]
    pub path: FieldPath,
    /// The field in the previous round, when it was there.
    #[serde(skip)]
    pub old_path: Option<FieldPath>,
    /// The field in the editors' words (ビジョン01 › 項目2 › 進捗), from the page's schema.
    #[serde(skip)]
    pub words: Words,
    /// The value before, as printed (none for an addition).
    pub old: Option<String>,
    /// The value now, as printed (none for a removal).
    pub new: Option<String>,
    /// The page file of this round and the line of the field in it.
    pub file: Option<String>,
    /// The line, from 1.
    pub line: Option<u32>,
}

/// Every change from `before` to `after`, page by page in print order, each field read
/// through its page's schema among `kinds` (its type decides how it prints, its words how
/// editors name it).
pub fn between(before: &Snapshot, after: &Snapshot, kinds: &AvailableLayouts) -> Vec<Change> {
    let mut changes = issue_changes(before, after);
    for page in &after.pages {
        let kind = kinds.get(&page.kind).cloned().flatten();
        let kind = kind.as_deref();
        match before.pages.iter().find(|p| p.folio == page.folio) {
            Some(old) => {
                let mut raw = Vec::new();
                let root = FieldPath::root();
                let mut walk = Diff {
                    kind,
                    out: &mut raw,
                };
                walk.diff(&old.content, &page.content, &root, &root);
                changes.extend(raw.into_iter().map(|r| r.placed(page, kind)));
            }
            None => changes.push(Change {
                folio: page.folio,
                kind: ChangeKind::PageAdded,
                path: FieldPath::root(),
                old_path: None,
                words: page_words(kind),
                old: None,
                new: Some(page.title.clone()),
                file: Some(page.file.clone()),
                line: None,
            }),
        }
    }
    for old in &before.pages {
        if !after.pages.iter().any(|p| p.folio == old.folio) {
            let kind = kinds.get(&old.kind).cloned().flatten();
            changes.push(Change {
                folio: old.folio,
                kind: ChangeKind::PageRemoved,
                path: FieldPath::root(),
                old_path: Some(FieldPath::root()),
                words: page_words(kind.as_deref()),
                old: Some(old.title.clone()),
                new: None,
                file: None,
                line: None,
            });
        }
    }
    changes
}

/// The `folio` of a change to the issue itself (`issue.yaml`: the magazine, the date, the
/// number), which every page's running foot prints.
pub const ISSUE_WIDE: u32 = 0;

/// What changed in `issue.yaml`.
fn issue_changes(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let number = |s: &Snapshot| s.number.map(|n| n.to_string());
    [
        (
            "magazine",
            Some(before.magazine.clone()),
            Some(after.magazine.clone()),
        ),
        (
            "issue_date",
            Some(before.issue_date.clone()),
            Some(after.issue_date.clone()),
        ),
        ("number", number(before), number(after)),
    ]
    .into_iter()
    .filter(|(_, old, new)| old != new)
    .map(|(key, old, new)| {
        let path = FieldPath::root().key(key);
        Change {
            folio: ISSUE_WIDE,
            kind: ChangeKind::Changed,
            words: Words::new(
                crate::diag::words::issue_words(&path, Lang::Ja),
                crate::diag::words::issue_words(&path, Lang::En),
            ),
            old_path: Some(path.clone()),
            path,
            old,
            new,
            file: Some(crate::content::ISSUE_FILE.to_owned()),
            line: None,
        }
    })
    .collect()
}

/// A change found inside one page, before it is given the page's file and line.
struct Raw {
    kind: ChangeKind,
    old_path: Option<FieldPath>,
    new_path: Option<FieldPath>,
    old: Option<String>,
    new: Option<String>,
}

/// A whole page in words: its kind's name.
fn page_words(kind: Option<&Kind>) -> Words {
    kind.map_or_else(
        || Words::new("ページ全体", "the whole page"),
        |k| k.words.clone(),
    )
}

/// A field path in the words of `kind`'s schema, or as written when there is none.
pub fn field_words(kind: Option<&Kind>, path: &FieldPath) -> Words {
    match kind {
        Some(kind) => Words::new(
            kind.path_words(path, Lang::Ja),
            kind.path_words(path, Lang::En),
        ),
        None => Words::new(path.to_string(), path.to_string()),
    }
}

impl Raw {
    fn placed(self, page: &PageSnapshot, kind: Option<&Kind>) -> Change {
        let path = self
            .new_path
            .clone()
            .or_else(|| self.old_path.clone())
            .unwrap_or_default();
        let line = self.new_path.as_ref().and_then(|p| line_of(page, p));
        Change {
            folio: page.folio,
            kind: self.kind,
            words: field_words(kind, &path),
            path,
            old_path: self.old_path,
            old: self.old,
            new: self.new,
            file: Some(page.file.clone()),
            line,
        }
    }
}

/// The line of `path` in the page file, or of the nearest field holding it.
fn line_of(page: &PageSnapshot, path: &FieldPath) -> Option<u32> {
    let mut text = path.to_string();
    loop {
        if let Some(line) = page.lines.get(&text) {
            return Some(*line);
        }
        let cut = text.rfind(['.', '['])?;
        text.truncate(cut);
    }
}

/// One comparison of two pages' content, with the page's schema.
struct Diff<'k, 'o> {
    kind: Option<&'k Kind>,
    out: &'o mut Vec<Raw>,
}

impl Diff<'_, '_> {
    /// The schema's type of the value at `path`, when the page has a schema.
    fn type_at(&self, path: &FieldPath) -> Option<&FieldType> {
        self.kind.and_then(|k| k.type_at(path))
    }

    fn diff(&mut self, old: &Value, new: &Value, old_path: &FieldPath, new_path: &FieldPath) {
        let ty = self.type_at(new_path).cloned();
        let is_photo = matches!(ty, Some(FieldType::Photo { .. }));
        match (old, new) {
            (Value::Object(a), Value::Object(b)) => {
                if is_photo {
                    let same_picture =
                        a.get("file") == b.get("file") && a.get("sha256") == b.get("sha256");
                    if !same_picture {
                        self.out.push(Raw {
                            kind: ChangeKind::PhotoReplaced,
                            old_path: Some(old_path.clone()),
                            new_path: Some(new_path.clone()),
                            old: a.get("file").map(|v| shown(v, None)),
                            new: b.get("file").map(|v| shown(v, None)),
                        });
                    }
                }
                for (key, value) in b {
                    if is_photo && matches!(key.as_str(), "file" | "sha256") {
                        continue;
                    }
                    let (op, np) = (old_path.key(key), new_path.key(key));
                    self.diff(a.get(key).unwrap_or(&Value::Null), value, &op, &np);
                }
                for (key, value) in a {
                    if !b.contains_key(key) {
                        self.diff(value, &Value::Null, &old_path.key(key), &new_path.key(key));
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for step in align(a, b) {
                    match step {
                        Step::Same(i, j) => {
                            self.diff(&a[i], &b[j], &old_path.index(i), &new_path.index(j))
                        }
                        Step::Removed(i) => {
                            let old = Some(self.summary(&a[i], &old_path.index(i)));
                            self.out.push(Raw {
                                kind: ChangeKind::Removed,
                                old_path: Some(old_path.index(i)),
                                new_path: None,
                                old,
                                new: None,
                            })
                        }
                        Step::Added(j) => {
                            let new = Some(self.summary(&b[j], &new_path.index(j)));
                            self.out.push(Raw {
                                kind: ChangeKind::Added,
                                old_path: None,
                                new_path: Some(new_path.index(j)),
                                old: None,
                                new,
                            })
                        }
                    }
                }
            }
            (Value::Null, Value::Object(_) | Value::Array(_)) => {
                let summary = self.summary(new, new_path);
                self.out.push(Raw {
                    kind: ChangeKind::Added,
                    old_path: None,
                    new_path: Some(new_path.clone()),
                    old: None,
                    new: Some(summary),
                })
            }
            (Value::Object(_) | Value::Array(_), Value::Null) => {
                let summary = self.summary(old, old_path);
                self.out.push(Raw {
                    kind: ChangeKind::Removed,
                    old_path: Some(old_path.clone()),
                    new_path: None,
                    old: Some(summary),
                    new: None,
                })
            }
            _ if old != new => {
                self.out.push(Raw {
                    kind: ChangeKind::Changed,
                    old_path: Some(old_path.clone()),
                    new_path: Some(new_path.clone()),
                    old: (!old.is_null()).then(|| shown(old, ty.as_ref())),
                    new: (!new.is_null()).then(|| shown(new, ty.as_ref())),
                });
            }
            _ => {}
        }
    }

    /// A block in a few words: its first text (title, label…) with its first figure, in the
    /// order its schema lists its fields; a photo by its file.
    fn summary(&self, value: &Value, path: &FieldPath) -> String {
        let Value::Object(map) = value else {
            return shown(value, self.type_at(path));
        };
        let ty = self.type_at(path);
        if let Some(FieldType::Photo { .. }) = ty {
            return map.get("file").map_or_else(String::new, |v| shown(v, None));
        }
        let Some(fields) = ty.and_then(object_fields) else {
            // No schema: the first text written.
            return map
                .values()
                .find_map(Value::as_str)
                .unwrap_or("")
                .to_owned();
        };
        let name = fields
            .iter()
            .filter(|(_, f)| f.ty.is_printed_text())
            .find_map(|(k, _)| map.get(k.as_str()).and_then(Value::as_str))
            .unwrap_or("");
        let figure = fields
            .iter()
            .filter(|(_, f)| f.ty.is_figure())
            .find_map(|(k, f)| {
                map.get(k.as_str())
                    .filter(|v| !v.is_null())
                    .map(|v| shown(v, Some(&f.ty)))
            });
        match figure {
            Some(figure) => format!("{name} ({figure})"),
            None => name.to_owned(),
        }
    }
}

/// A value as the page prints it: a percentage with its sign, an integer with its unit.
fn shown(value: &Value, ty: Option<&FieldType>) -> String {
    match (value, ty) {
        (Value::String(text), _) => text.clone(),
        (Value::Number(n), Some(FieldType::Percent)) => format!("{n}%"),
        (
            Value::Number(n),
            Some(FieldType::Integer {
                unit: Some(unit), ..
            }),
        ) => {
            format!("{n}{unit}")
        }
        (Value::Null, _) => String::new(),
        (other, _) => other.to_string(),
    }
}

/// One step of an alignment of two lists.
#[derive(Debug, PartialEq)]
enum Step {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// Aligns two lists so that the entries taken for the same are as alike as possible in all,
/// keeping their order (a weighted longest common subsequence).
fn align(a: &[Value], b: &[Value]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    let alike: Vec<Vec<f64>> = a
        .iter()
        .map(|x| b.iter().map(|y| similarity(x, y)).collect())
        .collect();
    let mut best = vec![vec![0.0_f64; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let mut score = best[i - 1][j].max(best[i][j - 1]);
            if alike[i - 1][j - 1] >= SAME_ENTRY {
                score = score.max(best[i - 1][j - 1] + alike[i - 1][j - 1]);
            }
            best[i][j] = score;
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0
            && j > 0
            && alike[i - 1][j - 1] >= SAME_ENTRY
            && (best[i][j] - (best[i - 1][j - 1] + alike[i - 1][j - 1])).abs() < 1e-9
        {
            steps.push(Step::Same(i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if j > 0 && (i == 0 || best[i][j - 1] >= best[i - 1][j]) {
            steps.push(Step::Added(j - 1));
            j -= 1;
        } else {
            steps.push(Step::Removed(i - 1));
            i -= 1;
        }
    }
    steps.reverse();
    steps
}

/// How alike two values are, from 0 (nothing in common) to 1 (equal).
fn similarity(a: &Value, b: &Value) -> f64 {
    match (a, b) {
        (Value::String(x), Value::String(y)) => strsim::normalized_levenshtein(x, y),
        (Value::Object(x), Value::Object(y)) => {
            let keys: Vec<&String> = x
                .keys()
                .chain(y.keys().filter(|k| !x.contains_key(*k)))
                .collect();
            if keys.is_empty() {
                return 1.0;
            }
            let total: f64 = keys
                .iter()
                .map(|k| match (x.get(*k), y.get(*k)) {
                    (Some(p), Some(q)) => similarity(p, q),
                    _ => 0.0,
                })
                .sum();
            total / keys.len() as f64
        }
        (Value::Array(x), Value::Array(y)) => {
            let longest = x.len().max(y.len());
            if longest == 0 {
                return 1.0;
            }
            let total: f64 = x.iter().zip(y).map(|(p, q)| similarity(p, q)).sum();
            total / longest as f64
        }
        _ => f64::from(u8::from(a == b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::path::Path;
    use std::sync::Arc;

    /// The project's own pledge-progress kind.
    fn kinds() -> AvailableLayouts {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts");
        let kind = crate::schema::load_kind(&dir, &dir, "pledge-progress").expect("the schema");
        BTreeMap::from([("pledge-progress".to_owned(), Some(Arc::new(kind)))])
    }

    fn snapshot(content: Value) -> Snapshot {
        Snapshot {
            koho: String::new(),
            round: 1,
            issue: "2026-06".into(),
            magazine: "m".into(),
            issue_date: "2026-06-01".into(),
            number: None,
            made: String::new(),
            pages: vec![PageSnapshot {
                folio: 4,
                file: "p04.yaml".into(),
                title: "t".into(),
                kind: "pledge-progress".into(),
                content,
                lines: BTreeMap::from([("visions[1].items[2].percent".to_owned(), 9)]),
                regions: Vec::new(),
            }],
        }
    }

    fn page(items: Value) -> Value {
        json!({"title": "市長公約", "visions": [{"title": "子ども", "percent": 40, "items": items}]})
    }

    fn listed(
        before: Value,
        after: Value,
    ) -> Vec<(String, ChangeKind, Option<String>, Option<String>)> {
        between(&snapshot(before), &snapshot(after), &kinds())
            .into_iter()
            .map(|c| (c.words.ja.clone(), c.kind, c.old, c.new))
            .collect()
    }

    #[test]
    fn a_figure_is_one_change_with_its_line() {
        let before = page(
            json!([{"label": "子育て支援", "percent": 95}, {"label": "拠点形成", "percent": 22}]),
        );
        let after = page(
            json!([{"label": "子育て支援", "percent": 95}, {"label": "拠点形成", "percent": 30}]),
        );
        let changes = between(&snapshot(before), &snapshot(after), &kinds());
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].words.ja, "ビジョン01 › 項目2 › 進捗");
        assert_eq!(changes[0].words.en, "Vision 01 › Item 2 › progress");
        assert_eq!(
            (changes[0].old.as_deref(), changes[0].new.as_deref()),
            (Some("22%"), Some("30%"))
        );
        assert_eq!(changes[0].line, Some(9));
    }

    #[test]
    fn an_item_added_in_the_middle_is_one_addition() {
        let before = page(
            json!([{"label": "子育て支援", "percent": 95}, {"label": "拠点形成", "percent": 22}]),
        );
        let after = page(json!([
            {"label": "子育て支援", "percent": 95},
            {"label": "医療的ケア児", "percent": 45},
            {"label": "拠点形成", "percent": 22}
        ]));
        assert_eq!(
            listed(before.clone(), after.clone()),
            [(
                "ビジョン01 › 項目2".to_owned(),
                ChangeKind::Added,
                None,
                Some("医療的ケア児 (45%)".to_owned())
            )]
        );
        assert_eq!(
            listed(after, before),
            [(
                "ビジョン01 › 項目2".to_owned(),
                ChangeKind::Removed,
                Some("医療的ケア児 (45%)".to_owned()),
                None
            )]
        );
    }

    #[test]
    fn a_reworded_label_is_a_change_not_a_new_item() {
        let before = page(json!([{"label": "子育て機能の拠点形成", "percent": 22}]));
        let after = page(json!([{"label": "子育て機能の拠点整備", "percent": 22}]));
        assert_eq!(
            listed(before, after),
            [(
                "ビジョン01 › 項目1 › 見出し".to_owned(),
                ChangeKind::Changed,
                Some("子育て機能の拠点形成".to_owned()),
                Some("子育て機能の拠点整備".to_owned())
            )]
        );
    }

    #[test]
    fn a_photo_with_new_bytes_is_replaced() {
        let with = |sha: &str| {
            json!({"highlights": {"heading": null, "items": [
                {"title": "キャンプ", "body": null, "photo": {"file": "images/a.jpg", "alt": "練習", "caption": null, "sha256": sha}}
            ]}})
        };
        assert_eq!(
            listed(with("aa"), with("bb")),
            [(
                "取り組み紹介 › 取り組み① › 写真".to_owned(),
                ChangeKind::PhotoReplaced,
                Some("images/a.jpg".to_owned()),
                Some("images/a.jpg".to_owned())
            )]
        );
        assert!(listed(with("aa"), with("aa")).is_empty());
    }

    #[test]
    fn a_change_in_issue_yaml_is_a_change_to_the_whole_issue() {
        let before = snapshot(json!({}));
        let mut after = snapshot(json!({}));
        after.magazine = "広報とまこまい 特別号".into();
        after.number = Some(1240);
        let changes = between(&before, &after, &kinds());
        let listed: Vec<_> = changes
            .iter()
            .map(|c| (c.folio, c.words.ja.clone(), c.old.clone(), c.new.clone()))
            .collect();
        assert_eq!(
            listed,
            [
                (
                    ISSUE_WIDE,
                    "誌名".to_owned(),
                    Some("m".to_owned()),
                    Some("広報とまこまい 特別号".to_owned())
                ),
                (
                    ISSUE_WIDE,
                    "通巻号数".to_owned(),
                    None,
                    Some("1240".to_owned())
                ),
            ]
        );
        assert_eq!(changes[0].file.as_deref(), Some("issue.yaml"));
    }

    #[test]
    fn an_optional_text_appearing_is_a_change_from_nothing() {
        let before = json!({"lead": null});
        let after = json!({"lead": "お知らせします。"});
        assert_eq!(
            listed(before, after),
            [(
                "リード文".to_owned(),
                ChangeKind::Changed,
                None,
                Some("お知らせします。".to_owned())
            )]
        );
    }
}
