//! Reading typed fields out of a YAML tree, collecting every problem on the way.
//!
//! A [`Reader`] walks one file. Each read either returns a checked value or records a
//! [`Diagnostic`] and returns `None`, so the loaders go on and report every problem of the
//! file in one run.

use std::num::NonZeroU32;
use std::ops::Range;

use super::model::{CalendarDate, FieldSpans, Percent, Text};
use super::yaml::{Entry, Node, Value};
use crate::diag::{Diagnostic, Expected, FieldPath, NumberTrap, Problem, Source};

/// Whether a field must be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// It must be there.
    Required,
    /// It may be left out.
    Optional,
}

/// Reads the fields of one file and collects what is wrong with them.
pub struct Reader<'s> {
    /// The file.
    pub source: &'s Source,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each value read was written.
    pub spans: FieldSpans,
}

/// The checked entries of one mapping: known keys only, each once.
pub struct Fields<'n> {
    node: &'n Node,
    path: FieldPath,
    entries: Vec<&'n Entry>,
}

impl<'n> Fields<'n> {
    /// The entry for `key`, if written.
    pub fn entry(&self, key: &str) -> Option<&'n Entry> {
        self.entries.iter().copied().find(|e| e.key == key)
    }

    /// The value of `key`, if written and not null.
    pub fn value(&self, key: &str) -> Option<&'n Node> {
        self.entry(key)
            .map(|e| &e.value)
            .filter(|v| v.value != Value::Null)
    }

    /// The path of `key` in this mapping.
    pub fn path(&self, key: &str) -> FieldPath {
        self.path.key(key)
    }

    /// The mapping node itself.
    pub fn node(&self) -> &'n Node {
        self.node
    }
}

impl<'s> Reader<'s> {
    /// A reader of `source`.
    pub fn new(source: &'s Source) -> Self {
        Self {
            source,
            diagnostics: Vec::new(),
            spans: FieldSpans::default(),
        }
    }

    /// Records a problem at `span`.
    pub fn report(&mut self, span: Range<usize>, field: FieldPath, problem: Problem) {
        self.diagnostics
            .push(self.source.diagnostic(span, field, problem));
    }

    /// The mapping at `node`, checked: it must be a mapping, every key must be in `allowed`
    /// (a near miss gets a suggestion), and no key may be written twice.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        path: &FieldPath,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        // Duplicates first: the same typo twice is one unknown key and one duplicate.
        let mut kept = self.entries(node, path)?;
        for entry in &kept {
            if !allowed.contains(&entry.key.as_str()) {
                self.report(
                    entry.key_span.clone(),
                    path.key(&entry.key),
                    Problem::UnknownKey {
                        key: entry.key.clone(),
                        suggestion: nearest(&entry.key, allowed),
                        allowed: allowed.iter().map(|k| (*k).to_owned()).collect(),
                    },
                );
            }
        }
        kept.retain(|e| allowed.contains(&e.key.as_str()));
        Some(Fields {
            node,
            path: path.clone(),
            entries: kept,
        })
    }

    /// The entries of a mapping whose keys are names chosen by its writer (a schema's field
    /// names): it must be a mapping, and no key may be written twice.
    pub fn entries<'n>(&mut self, node: &'n Node, path: &FieldPath) -> Option<Vec<&'n Entry>> {
        let Value::Map(entries) = &node.value else {
            self.wrong_type(node, path.clone(), Expected::Mapping);
            return None;
        };
        self.spans.record(path, node.span.clone());
        let mut kept: Vec<&Entry> = Vec::new();
        for entry in entries {
            if let Some(first) = kept.iter().find(|e| e.key == entry.key) {
                let first_line = self.source.locate(first.key_span.start).line;
                self.report(
                    entry.key_span.clone(),
                    path.key(&entry.key),
                    Problem::DuplicateKey {
                        key: entry.key.clone(),
                        first_line,
                    },
                );
                continue;
            }
            kept.push(entry);
        }
        Some(kept)
    }

    /// A whole number within `bounds` (inclusive); the message names both bounds.
    pub fn integer(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        need: Need,
        bounds: (i64, i64),
    ) -> Option<i64> {
        let node = self.required_value(fields, key, need)?;
        self.integer_value(node, fields.path(key), bounds)
    }

    /// A whole number written at `node`, within `bounds` (inclusive).
    pub fn integer_value(
        &mut self,
        node: &Node,
        path: FieldPath,
        bounds: (i64, i64),
    ) -> Option<i64> {
        let shown_max = (bounds.1 != i64::MAX).then_some(i128::from(bounds.1));
        self.whole_number(
            node,
            path,
            (i128::from(bounds.0), i128::from(bounds.1)),
            shown_max,
            Expected::Integer,
        )
        .and_then(|n| i64::try_from(n).ok())
    }

    /// Reports that `key` is missing from `fields` (pointing at the mapping).
    pub fn missing(&mut self, fields: &Fields<'_>, key: &str) {
        let span = self.start_of(fields.node());
        self.report(
            span,
            fields.path(key),
            Problem::MissingField {
                key: key.to_owned(),
            },
        );
    }

    /// A text field. A null value is a missing field, unless what follows the colon is an
    /// unquoted `#…`, which YAML read as a comment: that gets its own message.
    pub fn text(&mut self, fields: &Fields<'_>, key: &str, need: Need) -> Option<Text> {
        let path = fields.path(key);
        let Some(entry) = fields.entry(key) else {
            if need == Need::Required {
                self.missing(fields, key);
            }
            return None;
        };
        self.spans.record(&path, entry.value.span.clone());
        if entry.value.value == Value::Null {
            if let Some(hash) = self.comment_after_key(entry) {
                self.report(hash..hash + 1, path, Problem::CommentedOut);
            } else if need == Need::Required {
                self.report(entry.key_span.clone(), path, Problem::EmptyText);
            }
            return None;
        }
        self.text_value(&entry.value, path)
    }

    /// Any scalar as text: quoted or not, a plain `2026` or `yes` is the text as written.
    pub fn text_value(&mut self, node: &Node, path: FieldPath) -> Option<Text> {
        let raw = match &node.value {
            Value::Str { text, .. } => text.as_str(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => node.written(self.source),
            Value::Null => "",
            Value::List(_) | Value::Map(_) => {
                self.wrong_type(node, path, Expected::Text);
                return None;
            }
        };
        let text = Text::new(raw);
        if text.is_none() {
            let span = self.start_of(node);
            self.report(span, path, Problem::EmptyText);
        }
        text
    }

    /// A figure: a whole number 0–100. Figures written as text get a hint of their own.
    pub fn percent(&mut self, fields: &Fields<'_>, key: &str, need: Need) -> Option<Percent> {
        let node = self.required_value(fields, key, need)?;
        self.percent_value(node, fields.path(key))
    }

    /// A figure written at `node` (a list element, say): a whole number 0–100.
    pub fn percent_value(&mut self, node: &Node, path: FieldPath) -> Option<Percent> {
        let max = i128::from(Percent::MAX);
        self.whole_number(node, path, (0, max), Some(max), Expected::Percent)
            .and_then(Percent::new)
    }

    /// A whole number of 1 or more.
    pub fn positive(&mut self, fields: &Fields<'_>, key: &str, need: Need) -> Option<NonZeroU32> {
        let node = self.required_value(fields, key, need)?;
        let bounds = (1, i128::from(u32::MAX));
        self.whole_number(
            node,
            fields.path(key),
            bounds,
            None,
            Expected::PositiveInteger,
        )
        .and_then(|n| u32::try_from(n).ok())
        .and_then(NonZeroU32::new)
    }

    /// A whole number within `bounds` (inclusive); `shown_max` is the upper bound the
    /// message names, if one is worth naming.
    fn whole_number(
        &mut self,
        node: &Node,
        path: FieldPath,
        bounds: (i128, i128),
        shown_max: Option<i128>,
        expected: Expected,
    ) -> Option<i128> {
        match &node.value {
            Value::Int(n) if (bounds.0..=bounds.1).contains(n) => Some(*n),
            Value::Int(n) => {
                self.report(
                    node.span.clone(),
                    path,
                    Problem::OutOfRange {
                        value: *n,
                        min: bounds.0 as i64,
                        max: shown_max.map(|m| m as i64),
                    },
                );
                None
            }
            _ => {
                self.not_a_number(node, path, expected);
                None
            }
        }
    }

    /// A date written `YYYY-MM-DD` that exists on the calendar.
    pub fn date(&mut self, fields: &Fields<'_>, key: &str, need: Need) -> Option<CalendarDate> {
        let node = self.required_value(fields, key, need)?;
        let path = fields.path(key);
        let written = match &node.value {
            Value::Str { text, .. } => text.clone(),
            Value::List(_) | Value::Map(_) => {
                self.wrong_type(node, path, Expected::Date);
                return None;
            }
            _ => node.written(self.source).to_owned(),
        };
        let date = CalendarDate::parse(written.trim());
        if date.is_none() {
            self.report(node.span.clone(), path, Problem::BadDate { found: written });
        }
        date
    }

    /// One of a fixed set of words.
    pub fn word<T>(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let node = fields.value(key)?;
        self.spans.record(&fields.path(key), node.span.clone());
        let written = match &node.value {
            Value::Str { text, .. } => text.clone(),
            _ => node.written(self.source).to_owned(),
        };
        let parsed = parse(written.trim());
        if parsed.is_none() {
            self.report(
                node.span.clone(),
                fields.path(key),
                Problem::NotOneOf {
                    found: written,
                    allowed: names.iter().map(|s| (*s).to_owned()).collect(),
                },
            );
        }
        parsed
    }

    /// A list with `min..=max` entries: its entries and their paths. Too few or too many
    /// is reported (too many at the first entry that does not fit); the entries are still
    /// returned, so each can be checked too.
    pub fn list<'n>(
        &mut self,
        fields: &Fields<'n>,
        key: &str,
        need: Need,
        min: usize,
        max: usize,
    ) -> Option<Vec<(FieldPath, &'n Node)>> {
        let path = fields.path(key);
        let Some(node) = fields.value(key) else {
            match fields.entry(key) {
                Some(entry) if min > 0 => self.report(
                    entry.key_span.clone(),
                    path,
                    Problem::TooFew { found: 0, min },
                ),
                None if need == Need::Required => self.missing(fields, key),
                _ => {}
            }
            return None;
        };
        let Value::List(items) = &node.value else {
            self.wrong_type(node, path, Expected::List);
            return None;
        };
        self.spans.record(&path, node.span.clone());
        if items.len() < min {
            let span = self.start_of(node);
            self.report(
                span,
                path.clone(),
                Problem::TooFew {
                    found: items.len(),
                    min,
                },
            );
        } else if items.len() > max {
            let extra = &items[max];
            let span = self.start_of(extra);
            self.report(
                span,
                path.index(max),
                Problem::TooMany {
                    found: items.len(),
                    max,
                },
            );
        }
        Some(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (path.index(i), item))
                .collect(),
        )
    }

    /// Reports `node` as not being what `expected` says.
    pub fn wrong_type(&mut self, node: &Node, path: FieldPath, expected: Expected) {
        let found = self.describe(node);
        let span = self.start_of(node);
        self.report(
            span,
            path,
            Problem::WrongType {
                expected,
                found,
                trap: NumberTrap::Other,
                meant: None,
            },
        );
    }

    fn required_value<'n>(
        &mut self,
        fields: &Fields<'n>,
        key: &str,
        need: Need,
    ) -> Option<&'n Node> {
        let path = fields.path(key);
        match fields.entry(key) {
            None => {
                if need == Need::Required {
                    self.missing(fields, key);
                }
                None
            }
            Some(entry) if entry.value.value == Value::Null => {
                if let Some(hash) = self.comment_after_key(entry) {
                    self.report(hash..hash + 1, path, Problem::CommentedOut);
                } else if need == Need::Required {
                    self.report(
                        entry.key_span.clone(),
                        path,
                        Problem::MissingField {
                            key: key.to_owned(),
                        },
                    );
                }
                None
            }
            Some(entry) => {
                self.spans.record(&path, entry.value.span.clone());
                Some(&entry.value)
            }
        }
    }

    /// A would-be number that is not one: `"55"`, `55%`, `５５`, `55.5`, `yes`…
    fn not_a_number(&mut self, node: &Node, path: FieldPath, expected: Expected) {
        let (trap, meant) = match &node.value {
            Value::Float(_) => (NumberTrap::Decimal, None),
            Value::Str { text, quoted } => number_trap(text, *quoted),
            _ => (NumberTrap::Other, None),
        };
        let found = self.describe(node);
        let span = self.start_of(node);
        self.report(
            span,
            path,
            Problem::WrongType {
                expected,
                found,
                trap,
                meant,
            },
        );
    }

    /// The value as the editor wrote it, shortened for a message.
    fn describe(&self, node: &Node) -> String {
        const MAX_CHARS: usize = 30;
        let written = match &node.value {
            Value::List(_) | Value::Map(_) => self
                .source
                .text
                .get(node.span.start..)
                .and_then(|rest| rest.lines().next())
                .unwrap_or(""),
            _ => node.written(self.source),
        };
        let written = written.trim();
        if written.chars().count() > MAX_CHARS {
            let cut: String = written.chars().take(MAX_CHARS).collect();
            format!("{cut}…")
        } else {
            written.to_owned()
        }
    }

    /// A span for pointing at a node: its bytes, or one character where it starts.
    fn start_of(&self, node: &Node) -> Range<usize> {
        if node.span.is_empty() {
            node.span.start..node.span.start
        } else if matches!(node.value, Value::List(_) | Value::Map(_)) {
            let len = self.source.text[node.span.start..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
            node.span.start..node.span.start + len
        } else {
            node.span.clone()
        }
    }

    /// The byte of an unquoted `#` right after `key:`, when YAML read the value as a comment.
    fn comment_after_key(&self, entry: &Entry) -> Option<usize> {
        let text = &self.source.text;
        let after_key = &text[entry.key_span.end..];
        let line_end = after_key.find('\n').unwrap_or(after_key.len());
        let rest = &after_key[..line_end];
        let colon = rest.find(':')?;
        let value = &rest[colon + 1..];
        let trimmed = value.trim_start();
        (trimmed.starts_with('#') && value.len() > trimmed.len())
            .then(|| entry.key_span.end + colon + 1 + (value.len() - trimmed.len()))
    }
}

/// Why text is not a figure, and the figure it probably means.
fn number_trap(text: &str, quoted: bool) -> (NumberTrap, Option<i64>) {
    let trimmed = text.trim();
    let without_percent = trimmed.trim_end_matches(['%', '%', '％']).trim_end();
    let has_full_width = without_percent.chars().any(|c| ('０'..='９').contains(&c));
    let ascii: String = without_percent
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' | 'ー' => '-',
            other => other,
        })
        .collect();
    let meant = ascii.parse::<i64>().ok();
    let trap = if without_percent.len() != trimmed.len() {
        NumberTrap::PercentSign
    } else if has_full_width {
        NumberTrap::FullWidthDigits
    } else if quoted && meant.is_some() {
        NumberTrap::Quoted
    } else if ascii.parse::<f64>().is_ok() && meant.is_none() {
        NumberTrap::Decimal
    } else {
        NumberTrap::Other
    };
    (trap, meant)
}

/// The allowed key closest to a misspelt one, if it is close enough to be a typo.
fn nearest(key: &str, allowed: &[&str]) -> Option<String> {
    const MAX_EDITS: usize = 2;
    let lower = key.to_lowercase();
    allowed
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(&lower, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= MAX_EDITS.min(candidate.len() / 2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_written_as_text_are_explained() {
        assert_eq!(
            number_trap("55%", false),
            (NumberTrap::PercentSign, Some(55))
        );
        assert_eq!(
            number_trap("５５", false),
            (NumberTrap::FullWidthDigits, Some(55))
        );
        assert_eq!(
            number_trap("５５％", false),
            (NumberTrap::PercentSign, Some(55))
        );
        assert_eq!(number_trap("55", true), (NumberTrap::Quoted, Some(55)));
        assert_eq!(number_trap("abc", false), (NumberTrap::Other, None));
    }

    #[test]
    fn suggests_near_keys_only() {
        let allowed = &["label", "percent"];
        assert_eq!(nearest("precent", allowed).as_deref(), Some("percent"));
        assert_eq!(nearest("Percent", allowed).as_deref(), Some("percent"));
        assert_eq!(nearest("colour", allowed), None);
    }
}
