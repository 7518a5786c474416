//! The generic page loader: a page file read against its kind's schema (DESIGN §8).
//!
//! One walk of the schema's fields reads the YAML tree into checked [`Value`]s, recording
//! every problem on the way (unknown and duplicate keys, wrong types, bounds, photos, paths),
//! then applies the schema's rules. Nothing here knows any kind by name.

use std::ops::Range;
use std::path::Path;

use super::fields::{Fields as Mapping, Need, Reader};
use super::model::{Ad, CalendarDate, Percent, Photo, Text};
use super::paths::resolve_inside;
use super::photo::{self, PhotoRequirement};
use super::rollup::Rollup;
use super::value::{Object, Occurrence, TimeOfDay, Value};
use super::yaml::Node;
use crate::diag::words::Words;
use crate::diag::{Expected, FieldPath, Problem};
use crate::layout::{FrameSize, MIN_PHOTO_PPI};
use crate::schema::{self, Default, Field, FieldType, Fields, Kind, ListType, Rule};

/// The key naming a page file's kind, read before anything else.
pub const KIND_KEY: &str = "layout";

/// Reads a page file's top-level mapping against `kind`, with paths resolved inside
/// `issue_dir`. Returns the page's fields when nothing is wrong; every problem is in the
/// reader's diagnostics.
pub fn read(reader: &mut Reader<'_>, root: &Node, kind: &Kind, issue_dir: &Path) -> Option<Object> {
    let mut walk = Walk { reader, issue_dir };
    let mut object = walk.object(root, &FieldPath::root(), &kind.fields, true)?;
    for rule in &kind.rules {
        apply(walk.reader, &mut object, kind, rule);
    }
    walk.reader.diagnostics.is_empty().then_some(object)
}

/// One walk over a page file.
struct Walk<'r, 's, 'p> {
    reader: &'r mut Reader<'s>,
    issue_dir: &'p Path,
}

impl Walk<'_, '_, '_> {
    /// The fields of an object. The object is returned with every field that could be read
    /// (so that rules can still be checked where the rest is sound); whether anything was
    /// wrong is in the reader's diagnostics.
    fn object(
        &mut self,
        node: &Node,
        path: &FieldPath,
        fields: &Fields,
        top: bool,
    ) -> Option<Object> {
        let mut allowed: Vec<&str> = fields.0.iter().map(|(k, _)| k.as_str()).collect();
        if top {
            allowed.insert(0, KIND_KEY);
        }
        let mapping = self.reader.fields(node, path, &allowed)?;
        let mut out = Vec::new();
        for (key, field) in fields.iter() {
            let value = self.field(&mapping, key, field);
            out.push((key.clone(), value));
        }
        Some(Object(out))
    }

    /// One field of `mapping`: its value, its default when left out, or `None` (left out,
    /// or wrong and reported).
    fn field(&mut self, mapping: &Mapping<'_>, key: &str, field: &Field) -> Option<Value> {
        if let Some(node) = mapping.value(key).filter(|node| node.is_to_fill()) {
            self.reader
                .report(node.span.clone(), mapping.path(key), Problem::StillToFill);
            return None;
        }
        let written = mapping.entry(key).is_some();
        let text_like = matches!(
            field.ty,
            FieldType::Text { .. } | FieldType::Paragraphs { .. }
        );
        if let Some(default) = &field.default {
            // Left out, or (for a choice or a figure) written empty: the default. A text
            // written empty is a mistake to report, as when it has no default.
            if !written || (mapping.value(key).is_none() && !text_like) {
                return default_value(default, &field.ty);
            }
        }
        let need = if field.optional && !(written && field.default.is_some()) {
            Need::Optional
        } else {
            Need::Required
        };
        let path = mapping.path(key);
        match &field.ty {
            FieldType::Percent => self.reader.percent(mapping, key, need).map(Value::Percent),
            FieldType::Integer { min, max, .. } => self
                .reader
                .integer(mapping, key, need, integer_bounds(*min, *max))
                .map(Value::Integer),
            FieldType::Date => self.reader.date(mapping, key, need).map(Value::Date),
            FieldType::Text { .. }
            | FieldType::Paragraphs { .. }
            | FieldType::Time
            | FieldType::Schedule
            | FieldType::Phone
            | FieldType::Url
            | FieldType::Qr
            | FieldType::Email
            | FieldType::Page => {
                let text = self.reader.text(mapping, key, need)?;
                let span = mapping.value(key).map_or(0..0, |n| n.span.clone());
                self.typed_text(text, span, &path, &field.ty)
            }
            FieldType::Choice { of } => {
                if mapping.value(key).is_none() {
                    if need == Need::Required {
                        self.reader.missing(mapping, key);
                    }
                    return None;
                }
                let names: Vec<&str> = of.iter().map(String::as_str).collect();
                self.reader
                    .word(mapping, key, &names, |w| {
                        of.iter().find(|o| o.as_str() == w).cloned()
                    })
                    .map(Value::Choice)
            }
            FieldType::Photo { frame } => {
                let node = self.present(mapping, key, need)?;
                self.photo(node, &path, requirement(frame))
                    .map(Value::Photo)
            }
            FieldType::Ad { slots } => {
                let node = self.present(mapping, key, need)?;
                self.ad(node, &path, slots).map(Value::Ad)
            }
            FieldType::Object(fields) => {
                let node = self.present(mapping, key, need)?;
                self.object(node, &path, fields, false).map(Value::Object)
            }
            FieldType::List(list) => self.list(mapping, key, need, list),
        }
    }

    /// The node of a mapping or list field, reporting it when required and left out.
    fn present<'n>(&mut self, mapping: &Mapping<'n>, key: &str, need: Need) -> Option<&'n Node> {
        let node = mapping.value(key);
        if node.is_none() && need == Need::Required {
            self.reader.missing(mapping, key);
        }
        node
    }

    /// A text read as a value of `ty` (written at `span`): within its length, or parsed as a
    /// time, a schedule, a phone number, an address or one of a choice's words; what does not
    /// pass is reported.
    fn typed_text(
        &mut self,
        text: Text,
        span: Range<usize>,
        path: &FieldPath,
        ty: &FieldType,
    ) -> Option<Value> {
        let found = || text.as_str().to_owned();
        let checked: Result<Value, Problem> = match ty {
            FieldType::Text { max_chars } => {
                within(&text, *max_chars).map(|()| Value::Text(text.clone()))
            }
            FieldType::Paragraphs { max_chars } => {
                within(&text, *max_chars).map(|()| Value::Paragraphs(paragraphs(text.as_str())))
            }
            FieldType::Time => TimeOfDay::parse(text.as_str())
                .map(Value::Time)
                .ok_or_else(|| Problem::BadTime { found: found() }),
            FieldType::Schedule => match Occurrence::parse_all(text.as_str()) {
                Ok(occurrences) => Ok(Value::Schedule(occurrences)),
                Err(fault) => Err(Problem::BadSchedule {
                    found: found(),
                    fault,
                }),
            },
            FieldType::Phone => phone(text.as_str())
                .map(Value::Phone)
                .ok_or_else(|| Problem::BadPhone { found: found() }),
            FieldType::Url => url(text.as_str())
                .map(Value::Url)
                .ok_or_else(|| Problem::BadUrl { found: found() }),
            // A QR code holds about 2,000 characters at the level printed matter uses.
            FieldType::Qr => url(text.as_str())
                .filter(|u| crate::layout::qr::encode(u.as_str()).is_some())
                .map(Value::Url)
                .ok_or_else(|| Problem::BadUrl { found: found() }),
            FieldType::Email => email(text.as_str())
                .map(Value::Email)
                .ok_or_else(|| Problem::BadEmail { found: found() }),
            // Whether the issue lists it is known once every page file is read.
            FieldType::Page => Ok(Value::Page(text.clone())),
            FieldType::Choice { of } => of
                .iter()
                .find(|o| o.as_str() == text.as_str())
                .map(|w| Value::Choice(w.clone()))
                .ok_or_else(|| Problem::NotOneOf {
                    found: found(),
                    allowed: of.clone(),
                }),
            // Not text-like: the callers read these otherwise.
            _ => return None,
        };
        match checked {
            Ok(value) => Some(value),
            Err(problem) => {
                self.reader.report(span, path.clone(), problem);
                None
            }
        }
    }

    /// A list's entries, each read as the list's entry type.
    fn list(
        &mut self,
        mapping: &Mapping<'_>,
        key: &str,
        need: Need,
        list: &ListType,
    ) -> Option<Value> {
        let Some(entries) = self.reader.list(mapping, key, need, list.min, list.max) else {
            // An optional list left out has no entries (a wrong one is reported).
            let left_out = mapping.value(key).is_none() && need == Need::Optional;
            return left_out.then(|| Value::List(Vec::new()));
        };
        let mut values = Vec::new();
        for (path, node) in entries {
            if let Some(value) = self.entry(node, &path, &list.entry) {
                values.push(value);
            }
        }
        // A list with a bad entry is wrong as a whole (and reported), but the entries that
        // are sound are kept for the rules: a vision's figure is checked even when another
        // vision is wrong.
        Some(Value::List(values))
    }

    /// One entry of a list.
    fn entry(&mut self, node: &Node, path: &FieldPath, ty: &FieldType) -> Option<Value> {
        match ty {
            FieldType::Object(fields) => self.object(node, path, fields, false).map(Value::Object),
            FieldType::Photo { frame } => {
                self.photo(node, path, requirement(frame)).map(Value::Photo)
            }
            FieldType::Ad { slots } => self.ad(node, path, slots).map(Value::Ad),
            FieldType::Percent => self
                .reader
                .percent_value(node, path.clone())
                .map(Value::Percent),
            FieldType::Integer { min, max, .. } => self
                .reader
                .integer_value(node, path.clone(), integer_bounds(*min, *max))
                .map(Value::Integer),
            FieldType::Date => {
                let text = self.reader.text_value(node, path.clone())?;
                let date = CalendarDate::parse(text.as_str());
                if date.is_none() {
                    self.reader.report(
                        node.span.clone(),
                        path.clone(),
                        Problem::BadDate {
                            found: text.as_str().to_owned(),
                        },
                    );
                }
                date.map(Value::Date)
            }
            FieldType::List(_) => {
                // A list of lists has no editor-facing meaning; the schema loader refuses
                // none, so it is read as text-free structure.
                self.reader
                    .wrong_type(node, path.clone(), Expected::Mapping);
                None
            }
            text_like => {
                let text = self.reader.text_value(node, path.clone())?;
                self.typed_text(text, node.span.clone(), path, text_like)
            }
        }
    }

    /// A photo: `file`, `alt`, `caption`; the file inside the issue folder, decoded under
    /// limits and fine enough for its frame.
    fn photo(
        &mut self,
        node: &Node,
        path: &FieldPath,
        requirement: PhotoRequirement,
    ) -> Option<Photo> {
        let fields = self.reader.fields(node, path, schema::PHOTO_KEYS)?;
        let file = self.reader.text(&fields, "file", Need::Required);
        let alt = self.reader.text(&fields, "alt", Need::Required);
        let caption = self.reader.text(&fields, "caption", Need::Optional);
        let file = file?;
        let file_span = fields.value("file").map_or(0..0, |n| n.span.clone());
        let located = resolve_inside(self.issue_dir, file.as_str()).and_then(|on_disk| {
            let pixels = photo::inspect(&on_disk, file.as_str())?;
            match requirement.check(&pixels, file.as_str()) {
                Some(too_coarse) => Err(too_coarse),
                None => Ok((on_disk, pixels)),
            }
        });
        let (on_disk, pixels) = match located {
            Ok(found) => found,
            Err(problem) => {
                self.reader.report(file_span, fields.path("file"), problem);
                return None;
            }
        };
        Some(Photo {
            file: file.as_str().to_owned(),
            path: on_disk,
            alt: alt?,
            caption,
            pixels,
            frame_mm: requirement.frame_mm,
        })
    }
}

impl Walk<'_, '_, '_> {
    /// An ad: its slot (one the schema allows here), its file inside the issue folder and its
    /// advertiser. Whether the file suits its slot is checked once the format is known.
    fn ad(&mut self, node: &Node, path: &FieldPath, slots: &[String]) -> Option<Ad> {
        let fields = self.reader.fields(node, path, schema::AD_KEYS)?;
        let names: Vec<&str> = slots.iter().map(String::as_str).collect();
        let slot = self.reader.word(&fields, "slot", &names, |w| {
            slots.iter().find(|s| s.as_str() == w).cloned()
        });
        if fields.value("slot").is_none() {
            self.reader.missing(&fields, "slot");
        }
        let file = self.reader.text(&fields, "file", Need::Required);
        let advertiser = self.reader.text(&fields, "advertiser", Need::Required);
        let file = file?;
        let file_span = fields.value("file").map_or(0..0, |n| n.span.clone());
        let on_disk =
            resolve_inside(self.issue_dir, file.as_str()).and_then(
                |on_disk| match std::fs::metadata(&on_disk) {
                    Ok(meta) if meta.is_file() => Ok(on_disk),
                    Ok(_) => Err(Problem::FileUnreadable {
                        path: file.as_str().to_owned(),
                        reason: "not a file".to_owned(),
                    }),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        Err(Problem::FileMissing {
                            path: file.as_str().to_owned(),
                        })
                    }
                    Err(e) => Err(Problem::FileUnreadable {
                        path: file.as_str().to_owned(),
                        reason: e.to_string(),
                    }),
                },
            );
        let path_on_disk = match on_disk {
            Ok(found) => found,
            Err(problem) => {
                self.reader.report(file_span, fields.path("file"), problem);
                return None;
            }
        };
        Some(Ad {
            slot: slot?,
            file: file.as_str().to_owned(),
            path: path_on_disk,
            advertiser: advertiser?,
        })
    }
}

/// What a photo must meet in `frame`.
fn requirement(frame: &FrameSize) -> PhotoRequirement {
    PhotoRequirement {
        frame_mm: (frame.width.get(), frame.height.get()),
        min_ppi: MIN_PHOTO_PPI,
    }
}

/// An integer field's bounds: 0 and no upper bound unless the schema says otherwise.
fn integer_bounds(min: Option<i64>, max: Option<i64>) -> (i64, i64) {
    (min.unwrap_or(0), max.unwrap_or(i64::MAX))
}

/// `Err(TooLong)` when `text` has more than `max_chars` characters (spaces not counted).
fn within(text: &Text, max_chars: Option<usize>) -> Result<(), Problem> {
    let chars = text.as_str().chars().filter(|c| !c.is_whitespace()).count();
    match max_chars {
        Some(max) if chars > max => Err(Problem::TooLong { chars, max }),
        _ => Ok(()),
    }
}

/// The value of a default, for a field left out.
fn default_value(default: &Default, ty: &FieldType) -> Option<Value> {
    match (default, ty) {
        (Default::Text(t), FieldType::Choice { .. }) => Some(Value::Choice(t.clone())),
        (Default::Text(t), FieldType::Paragraphs { .. }) => Some(Value::Paragraphs(paragraphs(t))),
        (Default::Text(t), _) => Text::new(t).map(Value::Text),
        (Default::Integer(n), FieldType::Percent) => {
            Percent::new(i128::from(*n)).map(Value::Percent)
        }
        (Default::Integer(n), _) => Some(Value::Integer(*n)),
    }
}

/// Text split at blank lines into paragraphs (each trimmed; never empty).
fn paragraphs(text: &str) -> Vec<Text> {
    text.split("\n\n").filter_map(Text::new).collect()
}

/// A phone number as printed: digits (ASCII), with hyphens, brackets, spaces, and a leading
/// `#` (#7119) or `+`; at least three digits.
fn phone(text: &str) -> Option<Text> {
    let t = text.trim();
    let body = t.strip_prefix(['#', '+']).unwrap_or(t);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' '));
    (allowed && digits >= 3).then(|| Text::new(t)).flatten()
}

/// A web address: `https://` or `http://`, a host, no spaces.
fn url(text: &str) -> Option<Text> {
    let t = text.trim();
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let sound = host.contains('.')
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
        && t.is_ascii();
    sound.then(|| Text::new(t)).flatten()
}

/// An e-mail address: one `@`, a dotted domain, ASCII, no spaces.
fn email(text: &str) -> Option<Text> {
    let t = text.trim();
    let (local, domain) = t.split_once('@')?;
    let sound = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && t.is_ascii()
        && !t.chars().any(|c| c.is_whitespace() || c.is_control());
    sound.then(|| Text::new(t)).flatten()
}

/// Applies one rule to the page read so far, reporting where stated figures disagree.
fn apply(reader: &mut Reader<'_>, page: &mut Object, kind: &Kind, rule: &Rule) {
    match rule {
        Rule::Mean {
            list,
            inner,
            of,
            into,
            mode,
        } => mean(reader, page, list, inner, of, into, mode),
        Rule::Sum { scope, of, into } => {
            each_object(page, scope, &FieldPath::root(), &mut |object, path| {
                sum(reader, kind, object, path, of, into)
            });
        }
        Rule::Holiday { list, date, unless } => days_off(reader, kind, page, list, date, unless),
        // Read against the previous issue once the whole issue is read (`crate::previous`).
        Rule::Previous { .. } => {}
    }
}

/// In every entry of `list`, the date `date` is a day off (Sunday, holiday, 年末年始) unless
/// the entry's `unless` says why not.
fn days_off(
    reader: &mut Reader<'_>,
    kind: &Kind,
    page: &Object,
    list: &[String],
    date: &str,
    unless: &str,
) {
    let list_path = list
        .iter()
        .fold(FieldPath::root(), |path, key| path.key(key));
    let Some(Value::List(entries)) = value_at(page, list) else {
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let (Some(Value::Date(day)), None) = (entry.get(date), entry.get(unless)) else {
            continue;
        };
        if crate::calendar::holidays::is_day_off(*day) {
            continue;
        }
        let path = list_path.index(i).key(date);
        let words = kind
            .field_at(&list_path.index(i).key(unless))
            .map_or_else(|| Words::new(unless, unless), |f| f.words.clone());
        let span = reader.spans.get(&path.to_string()).unwrap_or(0..0);
        reader.report(
            span,
            path,
            Problem::WorkingDay {
                date: day.to_string(),
                weekday: day.weekday_ja().to_owned(),
                unless: words,
            },
        );
    }
}

/// Calls `visit` on every object at `keys` under `object` (through objects and every entry of
/// lists), with its path.
fn each_object(
    object: &mut Object,
    keys: &[String],
    path: &FieldPath,
    visit: &mut dyn FnMut(&mut Object, &FieldPath),
) {
    let Some((first, rest)) = keys.split_first() else {
        visit(object, path);
        return;
    };
    let inner = path.key(first);
    match object.get_mut(first).and_then(Option::as_mut) {
        Some(Value::Object(o)) => each_object(o, rest, &inner, visit),
        Some(Value::List(entries)) => {
            for (i, entry) in entries.iter_mut().enumerate() {
                if let Value::Object(o) = entry {
                    each_object(o, rest, &inner.index(i), visit);
                }
            }
        }
        _ => {}
    }
}

/// In `object` (at `path`), the integers `of` add up to `into`: computed when it is left
/// out, checked when it is written.
fn sum(
    reader: &mut Reader<'_>,
    kind: &Kind,
    object: &mut Object,
    path: &FieldPath,
    of: &[String],
    into: &str,
) {
    let terms: Option<Vec<(String, i64)>> = of
        .iter()
        .map(|key| match object.get(key) {
            Some(Value::Integer(n)) => Some((key.clone(), *n)),
            _ => None,
        })
        .collect();
    // A term was wrong or missing (and reported): nothing to add up.
    let Some(terms) = terms else {
        return;
    };
    let computed: i64 = terms.iter().map(|(_, n)| *n).sum();
    let into_path = path.key(into);
    match object.get(into) {
        Some(Value::Integer(stated)) if *stated != computed => {
            let span = reader.spans.get(&into_path.to_string()).unwrap_or(0..0);
            let terms = terms
                .iter()
                .map(|(key, n)| {
                    // Each figure by its own field's words (大人), the object being the total's.
                    let words = kind
                        .field_at(&path.key(key))
                        .map_or_else(|| Words::new(key.clone(), key.clone()), |f| f.words.clone());
                    (words, *n)
                })
                .collect();
            let stated = *stated;
            reader.report(
                span,
                into_path,
                Problem::SumMismatch {
                    terms,
                    computed,
                    stated,
                },
            );
        }
        Some(_) => {}
        None => {
            let reported = reader.diagnostics.iter().any(|d| d.field == into_path);
            if !reported && let Some(slot) = object.get_mut(into) {
                *slot = Some(Value::Integer(computed));
            }
        }
    }
}

/// In every entry of `list`, the figure `into` is the mean of `of` over the entries of
/// `inner`, rounded as the choice `mode` says: computed when left out, checked when written.
#[allow(clippy::too_many_arguments)]
fn mean(
    reader: &mut Reader<'_>,
    page: &mut Object,
    list: &[String],
    inner: &[String],
    of: &str,
    into: &str,
    mode: &str,
) {
    let mode_path = FieldPath::root().key(mode);
    // A misspelt rounding is reported once; the figures are then not checked against a guess.
    let misspelt = reader.diagnostics.iter().any(|d| d.field == mode_path);
    let (rollup, check) = match page.get(mode) {
        Some(Value::Choice(word)) => (Rollup::from_name(word).unwrap_or_default(), true),
        _ => (Rollup::default(), !misspelt),
    };
    let list_path = list
        .iter()
        .fold(FieldPath::root(), |path, key| path.key(key));
    let Some(Value::List(entries)) = value_at_mut(page, list) else {
        return;
    };
    for (i, entry) in entries.iter_mut().enumerate() {
        let Value::Object(entry) = entry else {
            continue;
        };
        let entry_path = list_path.index(i);
        let figures: Option<Vec<Percent>> = match value_at(entry, inner) {
            Some(Value::List(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Object(o) => match o.get(of) {
                        Some(Value::Percent(p)) => Some(*p),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        let Some(figures) = figures else {
            // An inner entry was wrong (and reported): nothing to compare.
            continue;
        };
        let into_path = entry_path.key(into);
        let stated = match entry.get(into) {
            Some(Value::Percent(p)) => Some(*p),
            _ => None,
        };
        let derived = rollup.derive(&figures);
        match (stated, derived) {
            (Some(stated), Some(derived)) if check && stated != derived => {
                let span = reader.spans.get(&into_path.to_string()).unwrap_or(0..0);
                reader.report(
                    span,
                    into_path,
                    Problem::RollupMismatch {
                        computation: rollup.explain(&figures),
                        computed: derived.get(),
                        stated: stated.get(),
                        rule: rollup.name(),
                    },
                );
            }
            (Some(_), _) => {}
            (None, Some(derived)) => {
                if let Some(slot) = entry.get_mut(into) {
                    *slot = Some(Value::Percent(derived));
                }
            }
            (None, None) => {
                // No rounding (none) and no figure written: nothing to print. Said once,
                // unless the figure was written and is wrong (reported already).
                let reported = reader.diagnostics.iter().any(|d| d.field == into_path);
                if !reported {
                    let span = reader.spans.get(&entry_path.to_string()).unwrap_or(0..0);
                    let span = span.start..span.start + 1;
                    reader.report(
                        span,
                        into_path,
                        Problem::MissingField {
                            key: into.to_owned(),
                        },
                    );
                }
            }
        }
    }
}

/// The value at a key path (no positions) inside `object`.
fn value_at<'o>(object: &'o Object, keys: &[String]) -> Option<&'o Value> {
    let (first, rest) = keys.split_first()?;
    let value = object.get(first)?;
    if rest.is_empty() {
        return Some(value);
    }
    match value {
        Value::Object(inner) => value_at(inner, rest),
        _ => None,
    }
}

fn value_at_mut<'o>(object: &'o mut Object, keys: &[String]) -> Option<&'o mut Value> {
    let (first, rest) = keys.split_first()?;
    let value = object.get_mut(first)?.as_mut()?;
    if rest.is_empty() {
        return Some(value);
    }
    match value {
        Value::Object(inner) => value_at_mut(inner, rest),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_printed() {
        for good in [
            "0144-32-6039",
            "(32)6039",
            "#7119",
            "0120 123 456",
            "+81-144-32-6039",
        ] {
            assert!(phone(good).is_some(), "{good}");
        }
        for bad in ["32", "０１４４", "電話 32-6039", "12-ab"] {
            assert!(phone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn web_and_mail_addresses() {
        assert!(url("https://www.city.tomakomai.hokkaido.jp/").is_some());
        assert!(url("www.city.example.jp").is_none());
        assert!(url("https://a b.jp").is_none());
        assert!(email("koho@city.example.jp").is_some());
        assert!(email("koho@city").is_none());
        assert!(email("ko ho@city.example.jp").is_none());
    }
}
