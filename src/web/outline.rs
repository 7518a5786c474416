//! A page's content as the generic web template walks it: every field that was written, in
//! schema order, with its type and its words, so that a kind without its own `web.html` still
//! comes out as headings, paragraphs, lists, figures and labelled particulars — never nothing.

use serde_json::{Value as Json, json};

use crate::diag::Lang;
use crate::schema::numbering::Numbering;
use crate::schema::{FieldType, Fields, ListType};

/// Field names whose text heads the object that holds them (a notice's `title`, a category's
/// `name`), in the order they are tried.
const HEADING_KEYS: [&str; 4] = ["title", "heading", "name", "label"];

/// The outline of `data` (a page's template data) along `fields`: a list of nodes, each
/// `{key, type, label, field, value}` and, for an object, its `heading` (the text that heads
/// it) and `children`; for a list, its `entries` (objects: `{number, heading, children}`) or
/// `items` (scalars). `skip` are the fields the page prints elsewhere (its title, its section).
pub fn outline(data: &Json, fields: &Fields, lang: Lang, skip: &[&str]) -> Json {
    nodes(data, fields, lang, skip, 0)
}

/// The nodes of an object's fields at `depth` (0: the page's own fields), the particulars
/// among them gathered into `particulars` nodes (a description list: 日時, 場所, 電話…).
fn nodes(data: &Json, fields: &Fields, lang: Lang, skip: &[&str], depth: usize) -> Json {
    let mut out: Vec<Json> = Vec::new();
    let found = fields
        .iter()
        .filter(|(key, _)| !skip.contains(&key.as_str()))
        .filter_map(|(key, field)| {
            let node = node(
                key,
                &field.ty,
                field.words.get(lang),
                &data[key],
                lang,
                depth,
            )?;
            Some((is_particular(&field.ty, depth), node))
        });
    for (particular, node) in found {
        match out.last_mut() {
            Some(last) if particular && last["type"] == "particulars" => {
                if let Some(rows) = last["rows"].as_array_mut() {
                    rows.push(node);
                }
            }
            _ if particular => out.push(json!({"type": "particulars", "rows": [node]})),
            _ => out.push(node),
        }
    }
    Json::Array(out)
}

/// Whether a field reads as one labelled line (日時 6月7日(日)): figures, dates, addresses;
/// inside an item also its short texts (場所, 対象) and the groups that have no heading of
/// their own (問合せ: 担当, 電話). A page's own text (its lead, a note) reads as a paragraph.
fn is_particular(ty: &FieldType, depth: usize) -> bool {
    match ty {
        FieldType::Paragraphs { .. }
        | FieldType::Photo { .. }
        | FieldType::Ad { .. }
        | FieldType::List(_) => false,
        FieldType::Text { .. } => depth > 0,
        FieldType::Object(fields) => depth > 0 && heading_keys(fields).next().is_none(),
        _ => true,
    }
}

/// One field's node, or `None` when it has nothing to show (left out — as an ad is unless the
/// web edition carries ads —, or a kind of value a reader does not need on the web: a choice
/// of how to compute, a QR code's modules).
fn node(
    key: &str,
    ty: &FieldType,
    label: &str,
    value: &Json,
    lang: Lang,
    depth: usize,
) -> Option<Json> {
    if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
        return None;
    }
    let field = value.get("field").cloned().unwrap_or(Json::Null);
    let mut node = json!({
        "key": key,
        "type": FieldType::name(ty),
        "label": label,
        "field": field,
    });
    match (ty, value) {
        (FieldType::Choice { .. } | FieldType::Qr, _) => return None,
        (FieldType::Object(fields), Json::Object(_)) => {
            let (heading, children) = headed(value, fields, lang, depth + 1);
            node["heading"] = heading;
            node["children"] = children;
        }
        (FieldType::List(list), Json::Array(entries)) => match &list.entry {
            FieldType::Object(fields) => {
                let entries: Vec<Json> = entries
                    .iter()
                    .enumerate()
                    .map(|(i, entry)| {
                        let (heading, children) = headed(entry, fields, lang, depth + 1);
                        json!({
                            "name": entry_name(list, label, i + 1, lang),
                            "number": entry.get("number").cloned().unwrap_or(Json::Null),
                            "heading": heading,
                            "children": children,
                            "field": entry.get("field").cloned().unwrap_or(Json::Null),
                        })
                    })
                    .collect();
                // A list of labelled lines (会場: …, 対象: …) reads as one description list.
                if let Some(rows) = labelled_lines(&entries) {
                    return Some(json!({"type": "particulars", "rows": rows}));
                }
                node["entries"] = Json::Array(entries);
                node["entry_type"] = json!("object");
            }
            entry => {
                node["items"] = Json::Array(entries.clone());
                node["entry_type"] = json!(FieldType::name(entry));
            }
        },
        (FieldType::Integer { unit, .. }, value) => {
            node["value"] = value.clone();
            node["unit"] = json!(unit);
        }
        (_, value) => node["value"] = value.clone(),
    }
    Some(node)
}

/// When every entry is a heading and one line of text under it (a label and its text), the
/// entries as the rows of one description list: the heading as the label.
fn labelled_lines(entries: &[Json]) -> Option<Vec<Json>> {
    entries
        .iter()
        .map(|entry| {
            let heading = entry["heading"].as_str()?;
            let [only] = entry["children"].as_array()?.as_slice() else {
                return None;
            };
            let [row] = only["rows"].as_array()?.as_slice() else {
                return None;
            };
            (row["type"] == "text").then(|| {
                json!({
                    "key": row["key"],
                    "type": "text",
                    "label": heading,
                    "value": row["value"],
                })
            })
        })
        .collect()
}

/// How the page names entry `n` of a list when it prints a number with it (ビジョン01,
/// 取り組み①): by the schema's `entry_words`, or the list's words and its numbering. `None`
/// when the list numbers plainly (the page prints no number).
fn entry_name(list: &ListType, label: &str, n: usize, lang: Lang) -> Option<String> {
    if let Some(words) = &list.entry_words {
        let pattern = match lang {
            Lang::Ja => &words.ja,
            Lang::En => &words.en,
        };
        return Some(pattern.format(n));
    }
    (list.numbering != Numbering::plain()).then(|| format!("{label}{}", list.numbering.format(n)))
}

/// The [`HEADING_KEYS`] that `fields` has as text fields, in order.
fn heading_keys(fields: &Fields) -> impl Iterator<Item = &'static str> + '_ {
    HEADING_KEYS
        .into_iter()
        .filter(|key| matches!(fields.get(key).map(|f| &f.ty), Some(FieldType::Text { .. })))
}

/// An object's heading (the first of [`HEADING_KEYS`] it holds as text) and the nodes of its
/// other fields.
fn headed(value: &Json, fields: &Fields, lang: Lang, depth: usize) -> (Json, Json) {
    let heading_key = heading_keys(fields).find(|key| value[*key].is_string());
    let heading = heading_key.map_or(Json::Null, |key| value[key].clone());
    let skip: Vec<&str> = heading_key.into_iter().collect();
    (heading, nodes(value, fields, lang, &skip, depth))
}
