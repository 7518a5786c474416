//! Reading `layouts/<kind>/schema.yaml` strictly: a schema is content too (for designers), so
//! a typo in it is an error naming the schema file, the line and the key, like any other.

use std::path::Path;

use super::{
    Default, EntryWords, Field, FieldType, Fields, Kind, ListType, Numbering, PageSpan, Rule,
    TYPE_NAMES, Words,
};
use crate::content::rollup::Rollup;
use crate::content::yaml::{self, Node, Value};
use crate::content::{self, Need, Reader};
use crate::diag::{Diagnostic, Expected, FieldPath, NumberTrap, Problem, SchemaFault};
use crate::layout::{FrameSize, read_length};

/// The schema file in each kind's folder.
pub const SCHEMA_FILE: &str = "schema.yaml";

const KIND_KEYS: &[&str] = &[
    "kind", "words", "pages", "title", "section", "fields", "rules",
];
const WORDS_KEYS: &[&str] = &["ja", "en"];
const FRAME_KEYS: &[&str] = &["width", "height"];
const MEAN_KEYS: &[&str] = &["rule", "of", "into", "mode"];
const SUM_KEYS: &[&str] = &["rule", "of", "into"];
const HOLIDAY_KEYS: &[&str] = &["rule", "of", "unless"];
const PREVIOUS_KEYS: &[&str] = &["rule", "of", "into", "dated"];
/// The rules a schema may name.
const RULE_NAMES: &[&str] = &["mean", "sum", "holiday", "previous"];
/// Keys every field may have.
const COMMON_KEYS: &[&str] = &["type", "words", "optional", "monthly"];
/// Names koho gives its own data beside the fields (and `layout`, which names the kind).
const RESERVED: &[&str] = &["layout", "field", "number", "folio"];
/// The most entries a list may be declared to hold: far more than a page prints.
const MAX_LIST: usize = 1000;

/// The keys a field of type `ty` may have besides [`COMMON_KEYS`].
fn keys_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "text" | "paragraphs" => &["max_chars", "default"],
        "integer" => &["min", "max", "unit", "default"],
        "percent" => &["default"],
        "choice" => &["of", "default"],
        "photo" => &["frame"],
        "ad" => &["slots"],
        "list" => &["min", "max", "numbering", "entry_words", "fields", "item"],
        "object" => &["fields"],
        _ => &[],
    }
}

/// Reads the schema of kind `name` in `layouts_dir/<name>/schema.yaml`, shown under
/// `shown_dir`.
pub fn load_kind(
    layouts_dir: &Path,
    shown_dir: &Path,
    name: &str,
) -> Result<Kind, Vec<Diagnostic>> {
    let relative = Path::new(name).join(SCHEMA_FILE);
    let shown = shown_dir.join(&relative);
    let source = yaml::read_source(
        &layouts_dir.join(&relative),
        &shown,
        &relative.to_string_lossy(),
    )
    .map_err(|problem| vec![Diagnostic::whole_file(shown.clone(), problem)])?;
    let root = yaml::parse(&source)?;
    let mut reader = Reader::new(&source);
    let kind = read_kind(&mut reader, &root, name);
    match kind {
        Some(kind) if reader.diagnostics.is_empty() => Ok(kind),
        _ => Err(reader.diagnostics),
    }
}

fn read_kind(reader: &mut Reader<'_>, root: &Node, folder: &str) -> Option<Kind> {
    let fields = reader.fields(root, &FieldPath::root(), KIND_KEYS)?;
    let written = reader.text(&fields, "kind", Need::Required);
    if let Some(written) = &written
        && written.as_str() != folder
    {
        let span = fields.value("kind").map_or(0..0, |n| n.span.clone());
        reader.report(
            span,
            fields.path("kind"),
            Problem::KindName {
                written: written.as_str().to_owned(),
                folder: folder.to_owned(),
            },
        );
    }
    let words = read_words(reader, &fields, "words");
    let pages = read_pages(reader, &fields);
    let page_fields = match fields.value("fields") {
        Some(node) => read_fields(reader, node, &fields.path("fields")),
        None => {
            reader.missing(&fields, "fields");
            None
        }
    };
    let title_field = text_field_named(reader, &fields, "title", page_fields.as_ref());
    let section_field = text_field_named(reader, &fields, "section", page_fields.as_ref());
    let rules = match &page_fields {
        Some(page_fields) => read_rules(reader, &fields, page_fields),
        None => None,
    };
    written?;
    Some(Kind {
        name: folder.to_owned(),
        words: words?,
        pages: pages?,
        title_field: title_field?,
        section_field: section_field?,
        fields: page_fields?,
        rules: rules?,
    })
}

/// `title: title` or `section: section`: the name of a top-level text field, if written
/// (`Some(None)` when not written, `None` when wrong).
fn text_field_named(
    reader: &mut Reader<'_>,
    fields: &content::Fields<'_>,
    key: &str,
    page_fields: Option<&Fields>,
) -> Option<Option<String>> {
    let node = match (page_fields, fields.value(key)) {
        (_, None) => return Some(None),
        (None, Some(_)) => return None,
        (Some(_), Some(node)) => node,
    };
    let name = reader.text(fields, key, Need::Required)?;
    let is_text = matches!(
        page_fields
            .and_then(|f| f.get(name.as_str()))
            .map(|f| &f.ty),
        Some(FieldType::Text { .. })
    );
    if is_text {
        Some(Some(name.as_str().to_owned()))
    } else {
        reader.report(
            node.span.clone(),
            fields.path(key),
            Problem::SchemaReference {
                written: name.as_str().to_owned(),
                fault: SchemaFault::NotTitleText,
            },
        );
        None
    }
}

/// `words: {ja: …, en: …}`, both required.
fn read_words(reader: &mut Reader<'_>, fields: &content::Fields<'_>, key: &str) -> Option<Words> {
    let Some(node) = fields.value(key) else {
        reader.missing(fields, key);
        return None;
    };
    let words = reader.fields(node, &fields.path(key), WORDS_KEYS)?;
    let ja = reader.text(&words, "ja", Need::Required);
    let en = reader.text(&words, "en", Need::Required);
    Some(Words::new(ja?.as_str(), en?.as_str()))
}

/// `pages: 1` or `pages: 2-4` (default 1).
fn read_pages(reader: &mut Reader<'_>, fields: &content::Fields<'_>) -> Option<PageSpan> {
    let Some(node) = fields.value("pages") else {
        return Some(PageSpan { min: 1, max: 1 });
    };
    let parsed = match &node.value {
        Value::Int(n) => u32::try_from(*n)
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| PageSpan { min: n, max: n }),
        Value::Str { text, .. } => text.split_once('-').and_then(|(a, b)| {
            let (min, max) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
            (min >= 1 && min <= max).then_some(PageSpan { min, max })
        }),
        _ => None,
    };
    if parsed.is_none() {
        reader.report(
            node.span.clone(),
            fields.path("pages"),
            Problem::WrongType {
                expected: Expected::PageCount,
                found: node.written(reader.source).to_owned(),
                trap: NumberTrap::Other,
                meant: None,
            },
        );
    }
    parsed
}

/// A `fields:` mapping: each name, checked, with its field definition.
pub(crate) fn read_fields(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
) -> Option<Fields> {
    let entries = reader.entries(node, path)?;
    let mut out = Vec::new();
    let mut sound = true;
    for entry in entries {
        let field_path = path.key(&entry.key);
        let name_ok = is_field_name(&entry.key) && !RESERVED.contains(&entry.key.as_str());
        if !name_ok {
            reader.report(
                entry.key_span.clone(),
                field_path.clone(),
                Problem::SchemaReference {
                    written: entry.key.clone(),
                    fault: SchemaFault::ReservedName,
                },
            );
            sound = false;
        }
        match read_field(reader, &entry.value, &field_path) {
            Some(field) => out.push((entry.key.clone(), field)),
            None => sound = false,
        }
    }
    sound.then_some(Fields(out))
}

/// Lower-case ASCII letters, digits and `_`, starting with a letter.
fn is_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// One field definition: its type first (which decides what else it may say).
fn read_field(reader: &mut Reader<'_>, node: &Node, path: &FieldPath) -> Option<Field> {
    let Value::Map(entries) = &node.value else {
        reader.wrong_type(node, path.clone(), Expected::Mapping);
        return None;
    };
    let Some(type_entry) = entries.iter().find(|e| e.key == "type") else {
        let span = node.span.start..node.span.start;
        reader.report(
            span,
            path.key("type"),
            Problem::MissingField {
                key: "type".to_owned(),
            },
        );
        return None;
    };
    let type_name = reader.text_value(&type_entry.value, path.key("type"))?;
    let type_name = type_name.as_str();
    if !TYPE_NAMES.contains(&type_name) {
        reader.report(
            type_entry.value.span.clone(),
            path.key("type"),
            Problem::UnknownType {
                found: type_name.to_owned(),
                suggestion: nearest_type(type_name),
                known: TYPE_NAMES.iter().map(|t| (*t).to_owned()).collect(),
            },
        );
        return None;
    }
    let allowed: Vec<&str> = COMMON_KEYS
        .iter()
        .chain(keys_of(type_name))
        .copied()
        .collect();
    let fields = reader.fields(node, path, &allowed)?;
    let words = read_words(reader, &fields, "words");
    let optional = read_flag(reader, &fields, "optional");
    let monthly = read_flag(reader, &fields, "monthly");
    let ty = read_type(reader, &fields, type_name);
    let default = match (&ty, fields.value("default")) {
        (_, None) => Some(None),
        (None, Some(_)) => None,
        (Some(ty), Some(node)) => read_default(reader, node, &fields.path("default"), ty).map(Some),
    };
    let default = default?;
    Some(Field {
        ty: ty?,
        // A field with a default may always be left out.
        optional: optional? || default.is_some(),
        default,
        words: words?,
        monthly: monthly?,
    })
}

/// `optional: true` / `false` (default false).
fn read_flag(reader: &mut Reader<'_>, fields: &content::Fields<'_>, key: &str) -> Option<bool> {
    match fields.value(key) {
        None => Some(false),
        Some(node) => match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                reader.report(
                    node.span.clone(),
                    fields.path(key),
                    Problem::NotOneOf {
                        found: node.written(reader.source).to_owned(),
                        allowed: vec!["true".to_owned(), "false".to_owned()],
                    },
                );
                None
            }
        },
    }
}

/// The type's own settings.
fn read_type(
    reader: &mut Reader<'_>,
    fields: &content::Fields<'_>,
    name: &str,
) -> Option<FieldType> {
    let count = |reader: &mut Reader<'_>, key: &str| -> Option<Option<usize>> {
        if fields.value(key).is_none() {
            return Some(None);
        }
        reader
            .integer(fields, key, Need::Optional, (0, MAX_LIST as i64))
            .map(|n| Some(n as usize))
    };
    Some(match name {
        "text" | "paragraphs" => {
            let max_chars = match fields.value("max_chars") {
                None => None,
                Some(_) => Some(
                    reader.integer(fields, "max_chars", Need::Required, (1, 100_000))? as usize,
                ),
            };
            if name == "text" {
                FieldType::Text { max_chars }
            } else {
                FieldType::Paragraphs { max_chars }
            }
        }
        "integer" => {
            let bound = |reader: &mut Reader<'_>, key: &str| -> Option<Option<i64>> {
                match fields.value(key) {
                    None => Some(None),
                    Some(_) => reader
                        .integer(fields, key, Need::Required, (i64::MIN + 1, i64::MAX - 1))
                        .map(Some),
                }
            };
            let min = bound(reader, "min");
            let max = bound(reader, "max");
            let unit = reader.text(fields, "unit", Need::Optional);
            let (min, max) = (min?, max?);
            if let (Some(lo), Some(hi)) = (min, max)
                && lo > hi
            {
                min_over_max(reader, fields);
                return None;
            }
            FieldType::Integer {
                min,
                max,
                unit: unit.map(|u| u.as_str().to_owned()),
            }
        }
        "percent" => FieldType::Percent,
        "date" => FieldType::Date,
        "time" => FieldType::Time,
        "schedule" => FieldType::Schedule,
        "phone" => FieldType::Phone,
        "url" => FieldType::Url,
        "qr" => FieldType::Qr,
        "email" => FieldType::Email,
        "page" => FieldType::Page,
        "choice" => {
            let entries = reader.list(fields, "of", Need::Required, 1, MAX_LIST)?;
            let mut words = Vec::new();
            for (path, node) in entries {
                let word = reader.text_value(node, path)?;
                words.push(word.as_str().to_owned());
            }
            FieldType::Choice { of: words }
        }
        "photo" => {
            let Some(node) = fields.value("frame") else {
                reader.missing(fields, "frame");
                return None;
            };
            let frame = reader.fields(node, &fields.path("frame"), FRAME_KEYS)?;
            let width = read_length(reader, &frame, "width");
            let height = read_length(reader, &frame, "height");
            FieldType::Photo {
                frame: FrameSize {
                    width: width?,
                    height: height?,
                },
            }
        }
        "ad" => {
            let entries = reader.list(fields, "slots", Need::Required, 1, MAX_LIST)?;
            let mut slots = Vec::new();
            for (path, node) in entries {
                let slot = reader.text_value(node, path)?;
                slots.push(slot.as_str().to_owned());
            }
            FieldType::Ad { slots }
        }
        "object" => {
            let Some(node) = fields.value("fields") else {
                reader.missing(fields, "fields");
                return None;
            };
            FieldType::Object(read_fields(reader, node, &fields.path("fields"))?)
        }
        "list" => {
            let min = count(reader, "min");
            let max = count(reader, "max");
            let numbering = match fields.value("numbering") {
                None => Some(Numbering::plain()),
                Some(node) => read_numbering(reader, node, fields.path("numbering")),
            };
            let entry_words = match fields.value("entry_words") {
                None => Some(None),
                Some(node) => {
                    let words = reader.fields(node, &fields.path("entry_words"), WORDS_KEYS);
                    words.and_then(|w| {
                        let ja = w
                            .value("ja")
                            .map(|n| read_numbering(reader, n, w.path("ja")));
                        let en = w
                            .value("en")
                            .map(|n| read_numbering(reader, n, w.path("en")));
                        match (ja, en) {
                            (Some(ja), Some(en)) => Some(Some(EntryWords { ja: ja?, en: en? })),
                            _ => {
                                let key = if w.value("ja").is_none() { "ja" } else { "en" };
                                reader.missing(&w, key);
                                None
                            }
                        }
                    })
                }
            };
            let entry = match (fields.value("fields"), fields.value("item")) {
                (Some(node), None) => {
                    let entry = read_fields(reader, node, &fields.path("fields"));
                    if let Some(monthly) = entry.as_ref().and_then(Fields::first_monthly) {
                        // `koho new` marks whole fields: the list is what changes each month.
                        reader.report(
                            node.span.clone(),
                            fields.path("fields"),
                            Problem::SchemaReference {
                                written: monthly,
                                fault: SchemaFault::MonthlyInList,
                            },
                        );
                        return None;
                    }
                    entry.map(FieldType::Object)
                }
                (None, Some(node)) => {
                    let item = read_field(reader, node, &fields.path("item"))?;
                    let inner_monthly = match &item.ty {
                        FieldType::Object(inner) => inner.first_monthly(),
                        _ => None,
                    };
                    if let Some(monthly) = item.monthly.then(|| "item".to_owned()).or(inner_monthly)
                    {
                        reader.report(
                            node.span.clone(),
                            fields.path("item"),
                            Problem::SchemaReference {
                                written: monthly,
                                fault: SchemaFault::MonthlyInList,
                            },
                        );
                        return None;
                    }
                    Some(item.ty)
                }
                _ => {
                    let span = fields.node().span.start..fields.node().span.start;
                    reader.report(
                        span,
                        fields.path("fields"),
                        Problem::SchemaReference {
                            written: "fields / item".to_owned(),
                            fault: SchemaFault::FieldsOrItem,
                        },
                    );
                    None
                }
            };
            let (min, max) = (min?.unwrap_or(0), max?.unwrap_or(MAX_LIST));
            if min > max {
                min_over_max(reader, fields);
                return None;
            }
            FieldType::List(Box::new(ListType {
                min,
                max,
                numbering: numbering?,
                entry_words: entry_words?,
                entry: entry?,
            }))
        }
        _ => return None,
    })
}

fn min_over_max(reader: &mut Reader<'_>, fields: &content::Fields<'_>) {
    let span = fields.value("min").map_or(0..0, |n| n.span.clone());
    reader.report(
        span,
        fields.path("min"),
        Problem::SchemaReference {
            written: "min".to_owned(),
            fault: SchemaFault::MinOverMax,
        },
    );
}

fn read_numbering(reader: &mut Reader<'_>, node: &Node, path: FieldPath) -> Option<Numbering> {
    let pattern = reader.text_value(node, path.clone())?;
    match Numbering::parse(pattern.as_str()) {
        Ok(numbering) => Some(numbering),
        Err(reason) => {
            reader.report(
                node.span.clone(),
                path,
                Problem::BadNumbering {
                    pattern: pattern.as_str().to_owned(),
                    reason,
                },
            );
            None
        }
    }
}

/// A default, checked against its field's type.
fn read_default(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
    ty: &FieldType,
) -> Option<Default> {
    match ty {
        FieldType::Text { .. } | FieldType::Paragraphs { .. } => reader
            .text_value(node, path.clone())
            .map(|t| Default::Text(t.as_str().to_owned())),
        FieldType::Choice { of } => {
            let word = reader.text_value(node, path.clone())?;
            if of.iter().any(|w| w == word.as_str()) {
                Some(Default::Text(word.as_str().to_owned()))
            } else {
                reader.report(
                    node.span.clone(),
                    path.clone(),
                    Problem::NotOneOf {
                        found: word.as_str().to_owned(),
                        allowed: of.clone(),
                    },
                );
                None
            }
        }
        FieldType::Percent => reader
            .percent_value(node, path.clone())
            .map(|p| Default::Integer(i64::from(p.get()))),
        FieldType::Integer { min, max, .. } => reader
            .integer_value(
                node,
                path.clone(),
                (min.unwrap_or(i64::MIN + 1), max.unwrap_or(i64::MAX - 1)),
            )
            .map(Default::Integer),
        // Other types take no default: `default` is not among their keys.
        _ => None,
    }
}

/// `rules:`, each checked against the fields it names.
fn read_rules(
    reader: &mut Reader<'_>,
    fields: &content::Fields<'_>,
    page: &Fields,
) -> Option<Vec<Rule>> {
    let Some(entries) = reader.list(fields, "rules", Need::Optional, 0, MAX_LIST) else {
        return fields.value("rules").is_none().then(Vec::new);
    };
    let mut rules = Vec::new();
    let mut sound = true;
    for (path, node) in entries {
        match read_rule(reader, node, &path, page) {
            Some(rule) => rules.push(rule),
            None => sound = false,
        }
    }
    sound.then_some(rules)
}

fn read_rule(
    reader: &mut Reader<'_>,
    node: &Node,
    path: &FieldPath,
    page: &Fields,
) -> Option<Rule> {
    // The rule's name decides which keys it has.
    let keys = match &node.value {
        Value::Map(entries) => match entries.iter().find(|e| e.key == "rule") {
            Some(entry) => match entry.value.value {
                Value::Str { ref text, .. } if text.trim() == "sum" => SUM_KEYS,
                Value::Str { ref text, .. } if text.trim() == "holiday" => HOLIDAY_KEYS,
                Value::Str { ref text, .. } if text.trim() == "previous" => PREVIOUS_KEYS,
                _ => MEAN_KEYS,
            },
            None => MEAN_KEYS,
        },
        _ => MEAN_KEYS,
    };
    let fields = reader.fields(node, path, keys)?;
    let name = reader.word(&fields, "rule", RULE_NAMES, |w| {
        RULE_NAMES.contains(&w).then(|| w.to_owned())
    });
    if fields.value("rule").is_none() {
        reader.missing(&fields, "rule");
    }
    match name.as_deref() {
        Some("sum") => return read_sum(reader, &fields, page),
        Some("holiday") => return read_holiday(reader, &fields, page),
        Some("previous") => return read_previous(reader, &fields, page),
        _ => {}
    }
    let of = reader.text(&fields, "of", Need::Required);
    let into = reader.text(&fields, "into", Need::Required);
    let mode = reader.text(&fields, "mode", Need::Required);
    let (_, of, into, mode) = (name?, of?, into?, mode?);
    let span = |key: &str| fields.value(key).map_or(0..0, |n| n.span.clone());
    let fault = |reader: &mut Reader<'_>, key: &str, written: &str, fault: SchemaFault| {
        reader.report(
            span(key),
            fields.path(key),
            Problem::SchemaReference {
                written: written.to_owned(),
                fault,
            },
        );
    };
    // into = LIST.FIGURE, of = LIST.INNER….FIGURE
    let into_parts: Vec<String> = into.as_str().split('.').map(str::to_owned).collect();
    let of_parts: Vec<String> = of.as_str().split('.').map(str::to_owned).collect();
    let (into_figure, list) = into_parts.split_last()?;
    let Some(entry_fields) = list_entry_fields(page, list) else {
        fault(reader, "into", into.as_str(), SchemaFault::NotList);
        return None;
    };
    let mut ok = true;
    match entry_fields.get(into_figure) {
        None => {
            fault(reader, "into", into.as_str(), SchemaFault::NoSuchField);
            ok = false;
        }
        Some(field) if field.ty != FieldType::Percent => {
            fault(reader, "into", into.as_str(), SchemaFault::NotFigure);
            ok = false;
        }
        Some(field) if !field.optional => {
            fault(reader, "into", into.as_str(), SchemaFault::MustBeOptional);
            ok = false;
        }
        Some(_) => {}
    }
    let inner: Vec<String> = if of_parts.len() > list.len() + 1 && of_parts.starts_with(list) {
        of_parts[list.len()..of_parts.len() - 1].to_vec()
    } else {
        Vec::new()
    };
    let of_figure = of_parts.last().cloned().unwrap_or_default();
    match (!inner.is_empty())
        .then(|| list_entry_fields(entry_fields, &inner))
        .flatten()
    {
        None => {
            fault(reader, "of", of.as_str(), SchemaFault::NotList);
            ok = false;
        }
        Some(inner_fields) => match inner_fields.get(&of_figure) {
            None => {
                fault(reader, "of", of.as_str(), SchemaFault::NoSuchField);
                ok = false;
            }
            Some(field) if field.ty != FieldType::Percent => {
                fault(reader, "of", of.as_str(), SchemaFault::NotFigure);
                ok = false;
            }
            Some(field) if field.optional => {
                fault(reader, "of", of.as_str(), SchemaFault::MustBeRequired);
                ok = false;
            }
            Some(_) => {}
        },
    }
    let mode_ok = matches!(
        page.get(mode.as_str()).map(|f| &f.ty),
        Some(FieldType::Choice { of }) if of.iter().all(|w| Rollup::from_name(w).is_some())
    );
    if !mode_ok {
        fault(reader, "mode", mode.as_str(), SchemaFault::NotRollupChoice);
        ok = false;
    }
    ok.then(|| Rule::Mean {
        list: list.to_vec(),
        inner,
        of: of_figure,
        into: into_figure.clone(),
        mode: mode.as_str().to_owned(),
    })
}

/// `{rule: sum, of: [a.male, a.female], into: a.total}`: integers of one object (or of each
/// entry of a list) added up into another of the same object.
fn read_sum(reader: &mut Reader<'_>, fields: &content::Fields<'_>, page: &Fields) -> Option<Rule> {
    let terms = reader.list(fields, "of", Need::Required, 2, MAX_LIST);
    let into = reader.text(fields, "into", Need::Required);
    let (terms, into) = (terms?, into?);
    let mut of = Vec::new();
    for (path, node) in terms {
        of.push((
            reader.text_value(node, path.clone())?,
            path,
            node.span.clone(),
        ));
    }
    let split = |written: &str| -> (Vec<String>, String) {
        let mut parts: Vec<String> = written.split('.').map(str::to_owned).collect();
        let last = parts.pop().unwrap_or_default();
        (parts, last)
    };
    let (scope, total) = split(into.as_str());
    let into_span = fields.value("into").map_or(0..0, |n| n.span.clone());
    let mut ok = true;
    let mut fault = |reader: &mut Reader<'_>, span, path: FieldPath, written: &str, fault| {
        reader.report(
            span,
            path,
            Problem::SchemaReference {
                written: written.to_owned(),
                fault,
            },
        );
        ok = false;
    };
    let Some(scope_fields) = scope_fields(page, &scope) else {
        fault(
            reader,
            into_span,
            fields.path("into"),
            into.as_str(),
            SchemaFault::NoSuchField,
        );
        return None;
    };
    match scope_fields.get(&total) {
        None => fault(
            reader,
            into_span,
            fields.path("into"),
            into.as_str(),
            SchemaFault::NoSuchField,
        ),
        Some(f) if !matches!(f.ty, FieldType::Integer { .. }) => fault(
            reader,
            into_span,
            fields.path("into"),
            into.as_str(),
            SchemaFault::NotInteger,
        ),
        Some(_) => {}
    }
    let mut terms = Vec::new();
    for (written, path, span) in of {
        let (term_scope, name) = split(written.as_str());
        if term_scope != scope {
            fault(
                reader,
                span,
                path,
                written.as_str(),
                SchemaFault::NotSameObject,
            );
            continue;
        }
        match scope_fields.get(&name) {
            None => fault(
                reader,
                span,
                path,
                written.as_str(),
                SchemaFault::NoSuchField,
            ),
            Some(f) if !matches!(f.ty, FieldType::Integer { .. }) => fault(
                reader,
                span,
                path,
                written.as_str(),
                SchemaFault::NotInteger,
            ),
            Some(f) if f.optional => fault(
                reader,
                span,
                path,
                written.as_str(),
                SchemaFault::MustBeRequired,
            ),
            Some(_) => terms.push(name),
        }
    }
    ok.then_some(Rule::Sum {
        scope,
        of: terms,
        into: total,
    })
}

/// `{rule: holiday, of: days.date, unless: days.reason}`: a required date and an optional text
/// of the entries of one list.
fn read_holiday(
    reader: &mut Reader<'_>,
    fields: &content::Fields<'_>,
    page: &Fields,
) -> Option<Rule> {
    let of = reader.text(fields, "of", Need::Required);
    let unless = reader.text(fields, "unless", Need::Required);
    let (of, unless) = (of?, unless?);
    let mut ok = true;
    let mut fault = |reader: &mut Reader<'_>, key: &str, written: &str, fault| {
        reader.report(
            fields.value(key).map_or(0..0, |n| n.span.clone()),
            fields.path(key),
            Problem::SchemaReference {
                written: written.to_owned(),
                fault,
            },
        );
        ok = false;
    };
    let parts = |written: &str| -> (Vec<String>, String) {
        let mut parts: Vec<String> = written.split('.').map(str::to_owned).collect();
        let last = parts.pop().unwrap_or_default();
        (parts, last)
    };
    let (list, date) = parts(of.as_str());
    let (unless_list, reason) = parts(unless.as_str());
    let Some(entry) = list_entry_fields(page, &list) else {
        fault(reader, "of", of.as_str(), SchemaFault::NotList);
        return None;
    };
    match entry.get(&date) {
        None => fault(reader, "of", of.as_str(), SchemaFault::NoSuchField),
        Some(f) if f.ty != FieldType::Date => {
            fault(reader, "of", of.as_str(), SchemaFault::NotDate)
        }
        Some(f) if f.optional => fault(reader, "of", of.as_str(), SchemaFault::MustBeRequired),
        Some(_) => {}
    }
    if unless_list != list {
        fault(
            reader,
            "unless",
            unless.as_str(),
            SchemaFault::NotSameObject,
        );
    } else {
        match entry.get(&reason) {
            None => fault(reader, "unless", unless.as_str(), SchemaFault::NoSuchField),
            Some(f) if !matches!(f.ty, FieldType::Text { .. }) || !f.optional => fault(
                reader,
                "unless",
                unless.as_str(),
                SchemaFault::NotOptionalText,
            ),
            Some(_) => {}
        }
    }
    ok.then_some(Rule::Holiday {
        list,
        date,
        unless: reason,
    })
}

/// `{rule: previous, of: total, into: total_change, dated: as_of}`: an integer of an object
/// (reached through objects only), the optional integer holding its change since the previous
/// issue, and optionally the required date the figures are counted at, all in that object.
fn read_previous(
    reader: &mut Reader<'_>,
    fields: &content::Fields<'_>,
    page: &Fields,
) -> Option<Rule> {
    let of = reader.text(fields, "of", Need::Required);
    let into = reader.text(fields, "into", Need::Required);
    let dated = reader.text(fields, "dated", Need::Optional);
    let (of, into) = (of?, into?);
    if fields.value("dated").is_some() && dated.is_none() {
        return None;
    }
    let mut ok = true;
    let mut fault = |reader: &mut Reader<'_>, key: &str, written: &str, fault| {
        reader.report(
            fields.value(key).map_or(0..0, |n| n.span.clone()),
            fields.path(key),
            Problem::SchemaReference {
                written: written.to_owned(),
                fault,
            },
        );
        ok = false;
    };
    let parts = |written: &str| -> (Vec<String>, String) {
        let mut parts: Vec<String> = written.split('.').map(str::to_owned).collect();
        let last = parts.pop().unwrap_or_default();
        (parts, last)
    };
    let (scope, figure) = parts(of.as_str());
    let Some(object) = object_chain_fields(page, &scope) else {
        fault(reader, "of", of.as_str(), SchemaFault::NotOutsideLists);
        return None;
    };
    match object.get(&figure) {
        None => fault(reader, "of", of.as_str(), SchemaFault::NoSuchField),
        Some(f) if !matches!(f.ty, FieldType::Integer { .. }) => {
            fault(reader, "of", of.as_str(), SchemaFault::NotInteger)
        }
        Some(_) => {}
    }
    let (into_scope, change) = parts(into.as_str());
    if into_scope != scope {
        fault(reader, "into", into.as_str(), SchemaFault::NotSameObject);
    } else {
        match object.get(&change) {
            None => fault(reader, "into", into.as_str(), SchemaFault::NoSuchField),
            Some(f) if !matches!(f.ty, FieldType::Integer { .. }) => {
                fault(reader, "into", into.as_str(), SchemaFault::NotInteger)
            }
            Some(f) if !f.optional => {
                fault(reader, "into", into.as_str(), SchemaFault::MustBeOptional)
            }
            Some(_) => {}
        }
    }
    let dated = match dated {
        None => None,
        Some(dated) => {
            let (dated_scope, date) = parts(dated.as_str());
            if dated_scope != scope {
                fault(reader, "dated", dated.as_str(), SchemaFault::NotSameObject);
            } else {
                match object.get(&date) {
                    None => fault(reader, "dated", dated.as_str(), SchemaFault::NoSuchField),
                    Some(f) if f.ty != FieldType::Date => {
                        fault(reader, "dated", dated.as_str(), SchemaFault::NotDate)
                    }
                    Some(f) if f.optional => {
                        fault(reader, "dated", dated.as_str(), SchemaFault::MustBeRequired)
                    }
                    Some(_) => {}
                }
            }
            Some(date)
        }
    };
    ok.then_some(Rule::Previous {
        scope,
        of: figure,
        into: change,
        dated,
    })
}

/// The fields of the object at `keys`, reached through objects only (no list on the way);
/// the page's own for no keys.
fn object_chain_fields<'f>(page: &'f Fields, keys: &[String]) -> Option<&'f Fields> {
    let mut scope = page;
    for key in keys {
        match &scope.get(key)?.ty {
            FieldType::Object(inner) => scope = inner,
            _ => return None,
        }
    }
    Some(scope)
}

/// The fields of the object at `keys` (through objects and lists of objects), the page's
/// own for no keys.
fn scope_fields<'f>(page: &'f Fields, keys: &[String]) -> Option<&'f Fields> {
    let mut scope = page;
    for key in keys {
        scope = super::object_fields(&scope.get(key)?.ty)?;
    }
    Some(scope)
}

/// The fields of each entry of the list at `path` (keys from `fields`, no positions), when
/// that path names a list of entries with fields.
fn list_entry_fields<'f>(fields: &'f Fields, path: &[String]) -> Option<&'f Fields> {
    let (last, outer) = path.split_last()?;
    let mut scope = fields;
    for key in outer {
        scope = super::object_fields(&scope.get(key)?.ty)?;
    }
    match &scope.get(last)?.ty {
        FieldType::List(list) => match &list.entry {
            FieldType::Object(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// The type name closest to a misspelt one.
fn nearest_type(found: &str) -> Option<String> {
    const MAX_EDITS: usize = 2;
    let lower = found.to_lowercase();
    TYPE_NAMES
        .iter()
        .map(|t| (strsim::damerau_levenshtein(&lower, t), *t))
        .filter(|(d, t)| *d <= MAX_EDITS.min(t.len() / 2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, t)| t.to_owned())
}
