//! A drafted page file as a tree, and the YAML an editor reads: keys in the schema's order,
//! block style, one comment above each entry naming the row it came from, values quoted only
//! where YAML would read them as something else.

use crate::content::TO_FILL;

/// One value of a draft.
#[derive(Clone, Debug, PartialEq)]
pub enum DraftValue {
    /// Text, written plain when YAML reads it back as the same text, quoted otherwise; text
    /// with line breaks is a `|` block.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// [`TO_FILL`]: for the editor to write, with a note beside it.
    ToFill(String),
    /// A list of entries.
    Entries(Vec<DraftEntry>),
    /// Named values.
    Object(Vec<(String, DraftValue)>),
}

/// One entry of a list, with the comment above it.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftEntry {
    /// Where it came from (`events.csv の 5 行目`).
    pub comment: Option<String>,
    /// Its values.
    pub fields: Vec<(String, DraftValue)>,
}

/// A drafted page file.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Its kind (`layout:`).
    pub kind: String,
    /// Comment lines at its head.
    pub head: Vec<String>,
    /// Its top-level values, in the schema's order.
    pub fields: Vec<(String, DraftValue)>,
}

/// How far each level of a block is indented.
const INDENT: usize = 2;

impl Draft {
    /// The page file's text; `schema_line` (the `# yaml-language-server` line) heads it.
    pub fn to_yaml(&self, schema_line: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(line) = schema_line {
            out.push_str(line);
            out.push('\n');
        }
        for line in &self.head {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!("layout: {}\n", self.kind));
        write_fields(&mut out, &self.fields, 0);
        out
    }
}

/// The YAML of one top-level value (`key: value` and the lines under it), for writing into
/// an existing file.
pub fn field_yaml(key: &str, value: &DraftValue) -> String {
    let mut out = String::new();
    write_fields(&mut out, &[(key.to_owned(), value.clone())], 0);
    out
}

fn write_fields(out: &mut String, fields: &[(String, DraftValue)], indent: usize) {
    for (index, (key, value)) in fields.iter().enumerate() {
        // Inside a list entry the first key follows the `- ` already written.
        if !(index == 0 && out.ends_with("- ")) {
            out.push_str(&" ".repeat(indent));
        }
        write_value(out, key, value, indent);
    }
}

fn write_value(out: &mut String, key: &str, value: &DraftValue, indent: usize) {
    match value {
        DraftValue::Text(text) if text.contains('\n') => {
            out.push_str(&format!("{key}: |\n"));
            for line in text.trim_end_matches('\n').lines() {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent + INDENT)));
                }
            }
        }
        DraftValue::Text(text) => out.push_str(&format!("{key}: {}\n", scalar(text))),
        DraftValue::Integer(n) => out.push_str(&format!("{key}: {n}\n")),
        DraftValue::ToFill(note) if note.is_empty() => {
            out.push_str(&format!("{key}: {TO_FILL}\n"));
        }
        DraftValue::ToFill(note) => out.push_str(&format!("{key}: {TO_FILL}  # {note}\n")),
        DraftValue::Object(fields) => {
            out.push_str(&format!("{key}:\n"));
            write_fields(out, fields, indent + INDENT);
        }
        DraftValue::Entries(entries) => {
            out.push_str(&format!("{key}:\n"));
            let pad = " ".repeat(indent + INDENT);
            for entry in entries {
                if let Some(comment) = &entry.comment {
                    out.push_str(&format!("{pad}# {comment}\n"));
                }
                out.push_str(&format!("{pad}- "));
                write_fields(out, &entry.fields, indent + 2 * INDENT);
            }
        }
    }
}

/// `text` as a YAML scalar on one line: plain when YAML reads it back as this text and koho
/// takes it for text, double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        let mut quoted = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                '\t' => quoted.push_str("\\t"),
                c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", c as u32)),
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    }
}

/// Words YAML reads as something other than text.
const RESERVED: [&str; 11] = [
    "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", TO_FILL,
];

fn is_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let indicator = "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace();
    !indicator
        && !text.ends_with(char::is_whitespace)
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('\t')
        && !looks_sexagesimal(text)
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
        && text.parse::<f64>().is_err()
        && !text.starts_with("0x")
}

/// `9:30` or `1:02:03`: digits and colons, which YAML 1.1 readers take for a number (koho
/// asks for times to be quoted, as its sample pages write them).
fn looks_sexagesimal(text: &str) -> bool {
    text.contains(':') && text.chars().all(|c| c.is_ascii_digit() || c == ':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;
    use crate::diag::Source;
    use std::path::Path;

    #[test]
    fn scalars_read_back_as_the_same_text() {
        for text in [
            "市民会館",
            "9:30",
            "100",
            "no",
            "- 箇条",
            "a # not a comment",
            "\"引用\" と \\",
            " 前に空白",
            "1e3",
            "要記入",
            "0144-32-6039",
            "(32)6298",
            "2026-07-11 10:00-12:00",
            "https://www.city.tomakomai.hokkaido.jp/",
            "key: value",
            "終わり:",
            "#7119",
        ] {
            let yaml_text = format!("k: {}\n", scalar(text));
            let source = Source::new(Path::new("t.yaml"), yaml_text.clone());
            let node = yaml::parse(&source).unwrap_or_else(|e| panic!("{yaml_text}: {e:?}"));
            let yaml::Value::Map(entries) = node.value else {
                panic!("{yaml_text}")
            };
            match &entries[0].value.value {
                yaml::Value::Str { text: read, .. } => assert_eq!(read, text, "{yaml_text}"),
                other => panic!("{yaml_text} read as {other:?}"),
            }
        }
    }

    #[test]
    fn a_draft_is_block_yaml_with_row_comments() {
        let draft = Draft {
            kind: "calendar".into(),
            head: vec!["下書き".into()],
            fields: vec![
                ("title".into(), DraftValue::ToFill("ページの題".into())),
                (
                    "events".into(),
                    DraftValue::Entries(vec![DraftEntry {
                        comment: Some("events.csv の 2 行目".into()),
                        fields: vec![
                            ("date".into(), DraftValue::Text("2026-07-04".into())),
                            ("start".into(), DraftValue::Text("9:30".into())),
                            (
                                "contact".into(),
                                DraftValue::Object(vec![(
                                    "phone".into(),
                                    DraftValue::Text("0144-32-6039".into()),
                                )]),
                            ),
                            ("body".into(), DraftValue::Text("一行目\n\n二行目".into())),
                        ],
                    }]),
                ),
            ],
        };
        assert_eq!(
            draft.to_yaml(None),
            "\
# 下書き
layout: calendar
title: 要記入  # ページの題
events:
  # events.csv の 2 行目
  - date: 2026-07-04
    start: \"9:30\"
    contact:
      phone: 0144-32-6039
    body: |
      一行目

      二行目
"
        );
    }
}
