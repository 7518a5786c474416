//! Reading a YAML file into a tree of values that remember where they were written.
//!
//! The text is checked before parsing (size, encoding, tabs), then parsed by serde-saphyr
//! with tight bounds on nesting and aliases, into [`Node`]s that carry their byte span. The
//! typed model is built from the tree by `fields.rs`, which can then report every problem of
//! a file, not only the first one serde would stop at.

use std::fs;
use std::ops::Range;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use serde_saphyr::budget::Budget;
use serde_saphyr::options::{AliasLimits, DuplicateKeyPolicy, Options};

use crate::diag::{Diagnostic, FieldPath, Problem, Source, SyntaxTrap};

/// The largest content file koho reads: content files are a few kilobytes.
pub const MAX_YAML_BYTES: u64 = 1024 * 1024;
/// The deepest nesting koho accepts; its own formats need five levels.
const MAX_DEPTH: usize = 32;
/// The most values (scalars, lists, mappings) in one file, after alias expansion.
const MAX_NODES: usize = 50_000;
/// The most events alias expansion may replay in one file: enough for any honest use of
/// anchors, far too few for an alias bomb to cost memory or time.
const MAX_ALIAS_REPLAY: usize = 10_000;

/// A value in a YAML file and the bytes of the file it was written in.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Its bytes in the [`Source`] text (empty for an implicit null).
    pub span: Range<usize>,
}

/// A YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Nothing written (`key:`, `~`, `null`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number written without quotes.
    Int(i128),
    /// A number with a fraction written without quotes.
    Float(f64),
    /// Text; `quoted` when it was written in quotes.
    Str {
        /// The text.
        text: String,
        /// Whether it was written in `"…"` or `'…'`.
        quoted: bool,
    },
    /// A `- ` list.
    List(Vec<Node>),
    /// `key: value` lines, in the order written (duplicates kept, for reporting).
    Map(Vec<Entry>),
}

impl Node {
    /// Whether it is the marker of a value still to be written ([`super::TO_FILL`]).
    pub fn is_to_fill(&self) -> bool {
        matches!(&self.value, Value::Str { text, .. } if text.trim() == super::TO_FILL)
    }
}

/// One `key: value` pair of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// The key's bytes in the source.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

/// Reads `path` as UTF-8 text, shown to the user as `display`: refuses files that are too
/// large, UTF-16 or not text (the problem is about the whole file, or, when it cannot be
/// found or read, about the place that names it as `written_as`). A BOM is dropped and CRLF
/// becomes LF (lines and columns stay the same).
pub fn read_source(path: &Path, display: &Path, written_as: &str) -> Result<Source, Problem> {
    let unreadable = |e: std::io::Error| Problem::FileUnreadable {
        path: written_as.to_owned(),
        reason: e.to_string(),
    };
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Problem::FileMissing {
            path: written_as.to_owned(),
        },
        _ => unreadable(e),
    })?;
    if !metadata.is_file() {
        return Err(Problem::FileUnreadable {
            path: written_as.to_owned(),
            reason: "not a file".to_owned(),
        });
    }
    if metadata.len() > MAX_YAML_BYTES {
        return Err(Problem::FileTooLarge {
            bytes: metadata.len(),
            limit: MAX_YAML_BYTES,
        });
    }
    let bytes = fs::read(path).map_err(unreadable)?;
    decode_text(&bytes).map(|text| Source::new(display, text))
}

/// The text of a content file's bytes, or what is wrong with them.
pub fn decode_text(bytes: &[u8]) -> Result<String, Problem> {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(bytes)
    {
        return Err(Problem::Utf16);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Problem::NotText { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| Problem::NotText {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.contains('\0')
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        let offset = text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .map_or(0, |(i, _)| i);
        return Err(Problem::NotText { offset });
    }
    Ok(text.replace("\r\n", "\n"))
}

/// UTF-16 without a BOM: every other byte zero in the first bytes of text.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 4 && {
        let zeros_even = head.iter().step_by(2).filter(|&&b| b == 0).count();
        let zeros_odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        let half = head.len() / 2;
        zeros_even * 10 >= half * 9 || zeros_odd * 10 >= half * 9
    }
}

/// Parses a source into a tree. Every tab in an indentation is reported (the parser would
/// stop at the first); a syntax error is reported with the parser's position.
pub fn parse(source: &Source) -> Result<Node, Vec<Diagnostic>> {
    let tabs = indentation_tabs(source);
    if !tabs.is_empty() {
        return Err(tabs);
    }
    if is_blank(&source.text) {
        return Err(vec![source.whole_file(Problem::EmptyFile)]);
    }
    if let Some(node) = parsed::recall(&source.text) {
        return Ok(node);
    }
    let raw: Spanned<RawNode> = serde_saphyr::from_str_with_options(&source.text, parser_options())
        .map_err(|e| vec![syntax_diagnostic(source, &e)])?;
    let node = into_node(raw, &source.text);
    parsed::remember(&source.text, &node);
    Ok(node)
}

/// The trees of texts this process has already parsed: `koho watch` reads every schema and
/// page file again on each save, and parsing is most of what reading them costs, while a save
/// changes one file. A tree depends on the text alone (spans are byte offsets into it), so
/// the text is the key, compared whole. Only trees are kept, never problems (their words
/// name the file).
mod parsed {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};

    use super::Node;

    /// The most texts kept: a few issues' page files and every layout's schema, a few
    /// hundred kilobytes. When full, all are forgotten and the next reads refill it.
    const MAX_KEPT: usize = 256;

    fn kept() -> &'static Mutex<HashMap<String, Node>> {
        static KEPT: OnceLock<Mutex<HashMap<String, Node>>> = OnceLock::new();
        KEPT.get_or_init(Default::default)
    }

    /// The tree of `text`, when it was parsed before.
    pub fn recall(text: &str) -> Option<Node> {
        let kept = kept().lock().unwrap_or_else(|e| e.into_inner());
        kept.get(text).cloned()
    }

    /// Keeps the tree parsed from `text`.
    pub fn remember(text: &str, node: &Node) {
        let mut kept = kept().lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_KEPT {
            kept.clear();
        }
        kept.insert(text.to_owned(), node.clone());
    }
}

fn parser_options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_NODES * 2;
    budget.max_aliases = MAX_ALIAS_REPLAY;
    budget.max_anchors = MAX_ALIAS_REPLAY;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_YAML_BYTES as usize * 4;
    let mut alias_limits = AliasLimits::default();
    alias_limits.max_total_replayed_events = MAX_ALIAS_REPLAY;
    alias_limits.max_replay_stack_depth = MAX_DEPTH;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits = alias_limits;
    // Duplicates are kept so that every one of them is reported, with both lines.
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    options
}

/// True when the text holds only blank lines and comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

/// Every tab that indents a line of the file's structure. A tab inside text is text: in a
/// quoted value that runs over several lines, or after the indentation of a `|` or `>` block
/// (editors paste text from Word and Excel with tabs in it).
fn indentation_tabs(source: &Source) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut state = LineState::Structure;
    for line in source.text.split('\n') {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let structural = match state {
            LineState::Quoted(quote) => {
                state = match closes_quote(line, quote) {
                    Some(rest) => scan(&line[rest..], spaces).unwrap_or(LineState::Structure),
                    None => LineState::Quoted(quote),
                };
                false
            }
            LineState::Block(parent) if line.trim().is_empty() || spaces > parent => {
                // Text of the block: what follows its indentation is the editor's.
                false
            }
            _ => true,
        };
        if structural {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            if let Some(tab) = line[..indent].find('\t') {
                let at = offset + tab;
                found.push(source.diagnostic(at..at + 1, FieldPath::root(), Problem::TabIndent));
            }
            state = scan(line, spaces).unwrap_or(LineState::Structure);
        }
        offset += line.len() + 1;
    }
    found
}

/// What the lines after a line are, as far as tabs go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineState {
    /// Keys, list entries and plain values: a tab may not indent them.
    Structure,
    /// Inside a quoted value opened on an earlier line (`"` or `'`).
    Quoted(char),
    /// Inside a `|` or `>` block opened by a line indented this many spaces.
    Block(usize),
}

/// What follows a structural line indented `spaces`: a block it opens, a quote it leaves
/// open, or `None` for more structure.
fn scan(line: &str, spaces: usize) -> Option<LineState> {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    // Where a value may start: at the line's start, after `- `, after `: `, inside flow
    // brackets after `[`, `{` or `,`.
    let mut value_start = true;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' if i == 0 || chars[i - 1].is_whitespace() => return None,
            '"' | '\'' if value_start => {
                let quote = c;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Some(LineState::Quoted(quote)),
                        Some('\\') if quote == '"' => i += 2,
                        Some('\'') if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 2,
                        Some(&q) if q == quote => break,
                        Some(_) => i += 1,
                    }
                }
                value_start = false;
            }
            '|' | '>' if value_start => {
                let rest: String = chars[i + 1..].iter().collect();
                let rest = rest.split(" #").next().unwrap_or("").trim();
                if rest
                    .chars()
                    .all(|c| matches!(c, '-' | '+') || c.is_ascii_digit())
                {
                    return Some(LineState::Block(spaces));
                }
                value_start = false;
            }
            ' ' => {}
            '-' if value_start && chars.get(i + 1).is_none_or(|n| *n == ' ') => {}
            ':' if chars.get(i + 1).is_none_or(|n| *n == ' ') => value_start = true,
            '[' | '{' | ',' => value_start = true,
            _ => value_start = false,
        }
        i += 1;
    }
    None
}

/// The byte after the quote that closes a quoted value continued on `line`, if it closes here.
fn closes_quote(line: &str, quote: char) -> Option<usize> {
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().map(|(_, n)| *n) == Some('\'') {
                chars.next();
                continue;
            }
            return Some(i + c.len_utf8());
        }
    }
    None
}

fn syntax_diagnostic(source: &Source, error: &serde_saphyr::Error) -> Diagnostic {
    let detail = bare_message(&error.to_string());
    // Some limits reach us wrapped in other variants; their words still say so.
    let says_limit = ["limit exceeded", "budget"]
        .iter()
        .any(|w| detail.to_ascii_lowercase().contains(w));
    let is_limit = says_limit
        || matches!(
            error,
            serde_saphyr::Error::Budget { .. }
                | serde_saphyr::Error::AliasReplayLimitExceeded { .. }
                | serde_saphyr::Error::AliasExpansionLimitExceeded { .. }
                | serde_saphyr::Error::AliasReplayStackDepthExceeded { .. }
                | serde_saphyr::Error::AliasReplayCounterOverflow { .. }
        );
    let problem = if is_limit {
        Problem::Limits { detail }
    } else {
        let trap = classify_syntax(source, error, &detail);
        Problem::Syntax { detail, trap }
    };
    match error.location() {
        Some(location) if location.line() > 0 => {
            let line = source.line_range(location.line() as u32).unwrap_or(0..0);
            let column_byte = source.text[line.clone()]
                .char_indices()
                .nth(location.column().saturating_sub(1) as usize)
                .map_or(line.end, |(i, _)| line.start + i);
            source.diagnostic(column_byte..column_byte + 1, FieldPath::root(), problem)
        }
        _ => source.whole_file(problem),
    }
}

/// The parser's message without its `error: line N column M:` prefix.
fn bare_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first.find(": ") {
        Some(i) if first.starts_with("line ") => first[i + 2..].to_owned(),
        _ => first.to_owned(),
    }
}

fn classify_syntax(source: &Source, error: &serde_saphyr::Error, detail: &str) -> SyntaxTrap {
    let line_text = error
        .location()
        .and_then(|l| source.line_range(l.line() as u32))
        .map(|r| source.text[r].to_owned())
        .unwrap_or_default();
    let lower = detail.to_ascii_lowercase();
    if lower.contains("quote") {
        return SyntaxTrap::UnclosedQuote;
    }
    if lower.contains("mapping values are not allowed") {
        return SyntaxTrap::ColonInValue;
    }
    if looks_like_key_without_space(&line_text) {
        return SyntaxTrap::NoSpaceAfterColon;
    }
    if lower.contains("indent") || lower.contains("did not find expected key") {
        return SyntaxTrap::Indentation;
    }
    SyntaxTrap::Other
}

/// `percent:55` or `- label:x`: a key, a colon and no space.
fn looks_like_key_without_space(line: &str) -> bool {
    let line = line.trim_start().trim_start_matches("- ");
    match line.find(':') {
        Some(i) if i > 0 => {
            let key = &line[..i];
            let after = &line[i + 1..];
            key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && after.chars().next().is_some_and(|c| !c.is_whitespace())
        }
        _ => false,
    }
}

/// What serde-saphyr hands us: a value with its location, children likewise.
#[derive(Debug)]
enum RawNode {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawNode, E> {
        Ok(i128::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value()?;
            entries.push((
                Spanned::new(key.value.0, key.referenced, key.defined),
                value,
            ));
        }
        Ok(RawNode::Map(entries))
    }
}

/// A mapping key read as text whatever it looks like (`1:`, `true:` and `~:` included).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_owned()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<KeyText, E> {
                Ok(KeyText(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyText, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(KeyText("[…]".to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyText, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(KeyText("{…}".to_owned()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

fn byte_span(location: &serde_saphyr::Location, text: &str) -> Range<usize> {
    let span = location.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = (start as usize).min(text.len());
            start..(start + len as usize).min(text.len())
        }
        _ => {
            let start = text
                .char_indices()
                .nth(span.offset() as usize)
                .map_or(text.len(), |(i, _)| i);
            start..start
        }
    }
}

/// The tree of [`Node`]s for a parsed value, spans turned into byte ranges of `text`.
fn into_node(raw: Spanned<RawNode>, text: &str) -> Node {
    let span = byte_span(&raw.referenced, text);
    let value = match raw.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => {
            let quoted = text[span.start..].starts_with(['"', '\'']);
            Value::Str { text: s, quoted }
        }
        RawNode::List(items) => {
            Value::List(items.into_iter().map(|n| into_node(n, text)).collect())
        }
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key_span: byte_span(&key.referenced, text),
                    key: key.value,
                    value: into_node(value, text),
                })
                .collect(),
        ),
    };
    Node { value, span }
}

impl Node {
    /// The text of this node as written in `source` (for plain scalars used as text).
    pub fn written<'s>(&self, source: &'s Source) -> &'s str {
        source.text.get(self.span.clone()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Result<Node, Vec<Diagnostic>> {
        parse(&Source::new("t.yaml", text))
    }

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "title: 苫小牧\npercent: 55\n";
        let node = tree(text).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(&text[entries[0].key_span.clone()], "title");
        assert_eq!(&text[entries[0].value.span.clone()], "苫小牧");
        assert_eq!(entries[1].value.value, Value::Int(55));
    }

    #[test]
    fn reports_every_tab_in_indentation() {
        let errors = tree("a:\n\tb: 1\n\tc: 2\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|d| d.problem == Problem::TabIndent));
        assert_eq!(errors[1].location.line, 3);
    }

    #[test]
    fn a_tab_in_text_is_text() {
        // Pasted from Excel: tabs inside a `|` block and a quoted value over two lines.
        let text = "body: |\n  氏名\t電話\n  \t苫小牧\nlead: \"一行目\n\t二行目\"\nnote: a\tb\n";
        let node = tree(text).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].value.value,
            Value::Str {
                text: "氏名\t電話\n\t苫小牧\n".to_owned(),
                quoted: false
            }
        );
        // After the block, a tab indents structure again.
        let errors = tree("body: |\n  text\n\tnote: x\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].problem, Problem::TabIndent);
        assert_eq!(errors[0].location.line, 3);
    }

    #[test]
    fn refuses_alias_bombs_quickly() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let errors = tree(&bomb).unwrap_err();
        assert_eq!(errors[0].problem.kind(), "limits", "{errors:?}");
    }

    #[test]
    fn refuses_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let errors = tree(&deep).unwrap_err();
        assert_eq!(errors[0].problem.kind(), "limits", "{errors:?}");
    }

    #[test]
    fn decodes_bom_and_crlf_and_refuses_utf16() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa: 1\r\n").unwrap(), "a: 1\n");
        assert_eq!(decode_text(b"\xFF\xFEa\0:\0").unwrap_err(), Problem::Utf16);
        assert_eq!(decode_text(b"a\0:\0 \x001\0").unwrap_err(), Problem::Utf16);
        assert_eq!(
            decode_text(b"a: \xC3\x28").unwrap_err(),
            Problem::NotText { offset: 3 }
        );
    }
}
