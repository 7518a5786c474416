//! Every text field and every figure of an issue, page by page, walked along each page's
//! schema: what the catalogue indexes and what a package keeps as `data/fields.json`, so the
//! catalogue can be rebuilt from the packages alone, and a reader decades on knows what each
//! value was (its type, its words) without koho's source.

use serde::{Deserialize, Serialize};

use crate::content::model::Issue;
use crate::content::value::{Object, Value};
use crate::diag::FieldPath;
use crate::schema::{FieldType, Fields, Kind, Words};

/// The name of the file in a package's payload.
pub const FILE_NAME: &str = "fields.json";

/// One page's fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageFields {
    /// The printed page number.
    pub folio: u32,
    /// The page file, relative to the issue folder.
    pub file: String,
    /// The kind it is set in.
    pub layout: String,
    /// The page's title.
    pub title: String,
    /// Its fields, in the order the page's schema lists them.
    pub fields: Vec<FieldValue>,
}

impl PageFields {
    /// The page's texts, what search looks in.
    pub fn texts(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter_map(|f| f.text.as_deref())
            .collect()
    }
}

/// One field: a text (searched), or another value as printed (a figure, a date), with its
/// type and words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldValue {
    /// The field path (`visions[3].items[2].label`).
    pub field: String,
    /// The schema type of the value (`text`, `percent`, `date`…); empty in packages made
    /// before kinds were data.
    #[serde(rename = "type", default)]
    pub ty: String,
    /// The text, for a text field (what search looks in).
    pub text: Option<String>,
    /// The value as printed, for any other field (`95%`, `2026-06-01`, `1,234人`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a text, the printed figure of the block it names (an item's label carries its
    /// progress, `95%`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// The field in the editors' words, when the package was made with a schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Words>,
    /// How packages made before kinds were data stored a figure (a percent); read, never
    /// written.
    #[serde(default, skip_serializing)]
    pub percent: Option<u8>,
}

impl FieldValue {
    /// A text field (searched), with the printed figure of its block if it has one.
    pub fn text(field: impl Into<String>, text: impl Into<String>, figure: Option<String>) -> Self {
        Self {
            field: field.into(),
            ty: "text".to_owned(),
            text: Some(text.into()),
            value: None,
            figure,
            words: None,
            percent: None,
        }
    }

    /// Any other field: its type and its value as printed (`95%`).
    pub fn value(field: impl Into<String>, ty: &str, value: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            ty: ty.to_owned(),
            text: None,
            value: Some(value.into()),
            figure: None,
            words: None,
            percent: None,
        }
    }

    /// The field as this version of koho records it, whatever version wrote it: a legacy
    /// `percent` becomes a value (for a figure) or the figure beside a text.
    pub fn upgraded(mut self) -> Self {
        if let Some(p) = self.percent.take() {
            let printed = format!("{p}%");
            if self.text.is_some() {
                self.figure.get_or_insert(printed);
            } else {
                self.value.get_or_insert(printed);
                if self.ty.is_empty() {
                    self.ty = "percent".to_owned();
                }
            }
        }
        if self.ty.is_empty() && self.text.is_some() {
            self.ty = "text".to_owned();
        }
        self
    }
}

/// The fields of every page of `issue`.
pub fn of(issue: &Issue) -> Vec<PageFields> {
    issue
        .pages
        .iter()
        .map(|page| {
            let kind = &page.content.kind;
            let mut fields = Vec::new();
            let walk = Walk { kind };
            walk.object(
                &page.content.fields,
                &kind.fields,
                &FieldPath::root(),
                &mut fields,
            );
            PageFields {
                folio: page.folio().get(),
                file: page.file.clone(),
                layout: page.content.layout_name().to_owned(),
                title: page.content.title().to_owned(),
                fields,
            }
        })
        .collect()
}

/// A walk over one page's values.
struct Walk<'k> {
    kind: &'k Kind,
}

impl Walk<'_> {
    fn words(&self, path: &FieldPath) -> Option<Words> {
        self.kind.field_words(path)
    }

    fn push(
        &self,
        out: &mut Vec<FieldValue>,
        path: &FieldPath,
        ty: &str,
        text: Option<String>,
        value: Option<String>,
        figure: Option<String>,
    ) {
        out.push(FieldValue {
            field: path.to_string(),
            ty: ty.to_owned(),
            text,
            value,
            figure,
            words: self.words(path),
            percent: None,
        });
    }

    /// The fields of an object; its texts carry the object's first figure.
    fn object(
        &self,
        object: &Object,
        fields: &Fields,
        path: &FieldPath,
        out: &mut Vec<FieldValue>,
    ) {
        let own = fields
            .iter()
            .filter(|(_, f)| f.ty.is_figure())
            .find_map(|(k, f)| object.get(k).map(|v| v.printed_as(&f.ty)));
        for (key, field) in fields.iter() {
            if let Some(value) = object.get(key) {
                self.value(value, &field.ty, &path.key(key), own.as_ref(), out);
            }
        }
    }

    fn value(
        &self,
        value: &Value,
        ty: &FieldType,
        path: &FieldPath,
        figure: Option<&String>,
        out: &mut Vec<FieldValue>,
    ) {
        match (value, ty) {
            (Value::Object(object), FieldType::Object(fields)) => {
                self.object(object, fields, path, out)
            }
            (Value::List(entries), FieldType::List(list)) => {
                for (i, entry) in entries.iter().enumerate() {
                    self.value(entry, &list.entry, &path.index(i), None, out);
                }
            }
            (Value::Photo(photo), _) => {
                self.push(
                    out,
                    &path.key("alt"),
                    "text",
                    Some(photo.alt.as_str().to_owned()),
                    None,
                    None,
                );
                if let Some(caption) = &photo.caption {
                    self.push(
                        out,
                        &path.key("caption"),
                        "text",
                        Some(caption.as_str().to_owned()),
                        None,
                        None,
                    );
                }
            }
            // An ad: who placed it, and its file, so that an issue's ads can be found again
            // (its artwork is the advertiser's, not text koho set).
            (Value::Ad(ad), _) => {
                for (key, text) in [("advertiser", ad.advertiser.as_str()), ("file", &ad.file)] {
                    self.push(
                        out,
                        &path.key(key),
                        "text",
                        Some(text.to_owned()),
                        None,
                        None,
                    );
                }
            }
            // A choice is a setting (how figures are rounded), not something the page says.
            (Value::Choice(_), _) => {}
            (value, ty) if ty.is_printed_text() => {
                self.push(
                    out,
                    path,
                    ty.name(),
                    Some(value.printed()),
                    None,
                    figure.cloned(),
                );
            }
            (
                value,
                FieldType::Integer {
                    unit: Some(unit), ..
                },
            ) => {
                self.push(
                    out,
                    path,
                    ty.name(),
                    None,
                    Some(format!("{}{unit}", value.printed())),
                    None,
                );
            }
            (value, ty) => self.push(out, path, ty.name(), None, Some(value.printed_as(ty)), None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_from_before_kinds_were_data_read_as_today() {
        let legacy = r#"[
            {"field": "visions[1].title", "text": "子ども", "percent": 49},
            {"field": "visions[1].percent", "text": null, "percent": 49}
        ]"#;
        let fields: Vec<FieldValue> = serde_json::from_str(legacy).unwrap();
        let fields: Vec<FieldValue> = fields.into_iter().map(FieldValue::upgraded).collect();
        assert_eq!(fields[0].ty, "text");
        assert_eq!(fields[0].figure.as_deref(), Some("49%"));
        assert_eq!(fields[1].ty, "percent");
        assert_eq!(fields[1].value.as_deref(), Some("49%"));
        assert_eq!(fields[1].text, None);
    }
}
