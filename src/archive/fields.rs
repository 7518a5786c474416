//! Every text field and every figure of an issue, page by page: what the catalogue indexes and
//! what a package keeps as `data/fields.json`, so the catalogue can be rebuilt from the
//! packages alone.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::content::model::{Issue, PageContent};
use crate::diag::FieldPath;

/// The name of the file in a package's payload.
pub const FILE_NAME: &str = "fields.json";

/// One page's fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageFields {
    /// The printed page number.
    pub folio: u32,
    /// The page file, relative to the issue folder.
    pub file: String,
    /// The layout it is set in.
    pub layout: String,
    /// The page's title.
    pub title: String,
    /// Its fields, in the order the page file holds them.
    pub fields: Vec<FieldValue>,
}

/// One field: a text, a figure, or a text with the figure it stands beside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The field path (`visions[3].items[2].label`).
    pub field: String,
    /// The text, for a text field.
    pub text: Option<String>,
    /// The figure of the field (a percent), or for a text the figure of the block it names
    /// (an item's label carries the item's percent).
    pub percent: Option<u8>,
}

/// The fields of every page of `issue`.
pub fn of(issue: &Issue) -> Vec<PageFields> {
    issue
        .pages
        .iter()
        .map(|page| {
            let PageContent::PledgeProgress(content) = &page.content;
            let value = serde_json::to_value(content).unwrap_or(Value::Null);
            let mut fields = Vec::new();
            walk(&value, &FieldPath::root(), None, &mut fields);
            PageFields {
                folio: page.folio.get(),
                file: page.file.clone(),
                layout: page.content.layout_name().to_owned(),
                title: content.title.as_str().to_owned(),
                fields,
            }
        })
        .collect()
}

/// Collects the leaves of `value`: strings as texts, `percent` as figures. `figure` is the
/// percent of the block being walked.
fn walk(value: &Value, path: &FieldPath, figure: Option<u8>, out: &mut Vec<FieldValue>) {
    match value {
        Value::Object(map) => {
            let own = map
                .get("percent")
                .and_then(Value::as_u64)
                .and_then(|p| u8::try_from(p).ok());
            for (key, inner) in map {
                if key == "percent" {
                    if own.is_some() {
                        out.push(FieldValue {
                            field: path.key(key).to_string(),
                            text: None,
                            percent: own,
                        });
                    }
                    continue;
                }
                // The rollup rule is a setting, not a text of the page.
                if key == "rollup" {
                    continue;
                }
                walk(inner, &path.key(key), own, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &path.index(i), None, out);
            }
        }
        Value::String(text) if !text.trim().is_empty() => out.push(FieldValue {
            field: path.to_string(),
            text: Some(text.clone()),
            percent: figure,
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn walked(value: Value) -> Vec<(String, Option<String>, Option<u8>)> {
        let mut out = Vec::new();
        walk(&value, &FieldPath::root(), None, &mut out);
        out.into_iter()
            .map(|f| (f.field, f.text, f.percent))
            .collect()
    }

    #[test]
    fn texts_carry_the_figure_of_their_block_and_figures_stand_alone() {
        let page = json!({
            "title": "市長公約の取組状況",
            "rollup": "floor",
            "visions": [{"title": "子ども", "percent": 49, "items": [
                {"label": "子育て支援策の拡充", "percent": 95}
            ]}],
            "note": null
        });
        assert_eq!(
            walked(page),
            [
                (
                    "title".to_owned(),
                    Some("市長公約の取組状況".to_owned()),
                    None
                ),
                (
                    "visions[1].title".to_owned(),
                    Some("子ども".to_owned()),
                    Some(49)
                ),
                ("visions[1].percent".to_owned(), None, Some(49)),
                (
                    "visions[1].items[1].label".to_owned(),
                    Some("子育て支援策の拡充".to_owned()),
                    Some(95)
                ),
                ("visions[1].items[1].percent".to_owned(), None, Some(95)),
            ]
        );
    }
}
