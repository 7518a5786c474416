//! What koho tells the person who ran it: every command's report as a typed value, and the one
//! place each is put into words, Japanese or English, or into JSON for `--json`.
//!
//! A command's outcome implements [`Report`]: [`Report::said`] is what goes to stdout and
//! stderr ([`Said`], in the order it is said) and [`Report::exit`] the exit code. `main.rs`
//! only prints what it is given. While a command works, [`progress`] says how far it got.

pub mod ad;
pub mod archive;
pub mod changes;
pub mod check;
pub mod import;
pub mod meter;
pub mod new_issue;
pub mod preflight;
pub mod progress;
pub mod proof;
pub mod schema;
pub mod usage;
pub mod watch;
pub mod web;

use std::fmt::Display;

use serde::Serialize;

use crate::diag::render::{self, JsonDiagnostic};
use crate::diag::{Diagnostic, Lang};

/// Where a piece of what koho says goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// The report itself.
    Stdout,
    /// Progress, notes, warnings and errors.
    Stderr,
}

/// What koho says: text for stdout and stderr, in the order it is said (a note on stderr may
/// come between two lines of the report).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Said {
    pieces: Vec<(Stream, String)>,
}

impl Said {
    /// Nothing said yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `text` as it is, on `stream`.
    pub fn push(&mut self, stream: Stream, text: impl Into<String>) -> &mut Self {
        let text = text.into();
        match self.pieces.last_mut() {
            Some((last, said)) if *last == stream => said.push_str(&text),
            _ if text.is_empty() => {}
            _ => self.pieces.push((stream, text)),
        }
        self
    }

    /// One line on stdout.
    pub fn out(&mut self, line: impl Display) -> &mut Self {
        self.push(Stream::Stdout, format!("{line}\n"))
    }

    /// One line on stderr.
    pub fn err(&mut self, line: impl Display) -> &mut Self {
        self.push(Stream::Stderr, format!("{line}\n"))
    }

    /// Everything `other` says, after this.
    pub fn append(&mut self, other: Said) -> &mut Self {
        for (stream, text) in other.pieces {
            self.push(stream, text);
        }
        self
    }

    /// The pieces in the order they are said, each with its stream.
    pub fn pieces(&self) -> impl Iterator<Item = (Stream, &str)> {
        self.pieces.iter().map(|(s, t)| (*s, t.as_str()))
    }

    /// Everything said on stdout.
    pub fn stdout(&self) -> String {
        self.on(Stream::Stdout)
    }

    /// Everything said on stderr.
    pub fn stderr(&self) -> String {
        self.on(Stream::Stderr)
    }

    fn on(&self, stream: Stream) -> String {
        self.pieces()
            .filter(|(s, _)| *s == stream)
            .map(|(_, t)| t)
            .collect()
    }
}

/// How a command ended, as its exit code tells scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// All went well (0).
    Success,
    /// Problems were found in the input and reported (1).
    Problems,
    /// koho was asked for something it cannot do: no project, no such file, a port in use (2).
    Usage,
}

impl Exit {
    /// [`Exit::Success`] when `ok`, [`Exit::Problems`] otherwise.
    pub fn of(ok: bool) -> Self {
        if ok { Exit::Success } else { Exit::Problems }
    }

    /// The exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Problems => 1,
            Exit::Usage => 2,
        }
    }
}

/// A command's outcome, as it is told: to a person in words, to a program in JSON.
pub trait Report {
    /// The JSON form (`--json`).
    type Json<'a>: Serialize
    where
        Self: 'a;

    /// What a person reads, in `lang`.
    fn text(&self, lang: Lang) -> Said;

    /// What a program reads with `--json`, in `lang`; `None` when this outcome has no JSON
    /// form and is told as text either way.
    fn json(&self, lang: Lang) -> Option<Self::Json<'_>>;

    /// How the command ended.
    fn exit(&self) -> Exit;

    /// What is said on stderr before the report, with `--json` or without: things the command
    /// did besides its work. Nothing, unless the report says otherwise.
    fn notes(&self, _lang: Lang) -> Said {
        Said::new()
    }

    /// Everything said: the notes, then the JSON document on stdout when `json` is asked for
    /// (and the report has one), the text otherwise.
    fn said(&self, lang: Lang, json: bool) -> Said {
        let mut said = self.notes(lang);
        let document = if json { self.json(lang) } else { None };
        match document {
            Some(value) => said.push(Stream::Stdout, json_text(&value)),
            None => said.append(self.text(lang)),
        };
        said
    }
}

/// A JSON document as koho prints it: pretty, with a final newline.
pub fn json_text(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Diagnostics as `--json` lists them.
pub fn json_errors(diagnostics: &[Diagnostic], lang: Lang) -> Vec<JsonDiagnostic> {
    diagnostics.iter().map(|d| render::json(d, lang)).collect()
}

/// Problems in the input, on stderr: every diagnostic and the count, then what was left
/// undone (`kept`: nothing was written, nothing was added…).
fn problems(diagnostics: &[Diagnostic], lang: Lang, kept: Option<&str>) -> Said {
    let mut said = Said::new();
    said.push(Stream::Stderr, render::human_report(diagnostics, lang));
    if let Some(kept) = kept {
        said.err(kept);
    }
    said
}

/// Warnings, on stderr: each one, then a blank line.
fn warnings(diagnostics: &[Diagnostic], lang: Lang) -> Said {
    let mut said = Said::new();
    for d in diagnostics {
        said.push(Stream::Stderr, render::human_warning(d, lang));
        said.push(Stream::Stderr, "\n\n");
    }
    said
}

/// Paths as `--json` lists them.
fn json_paths(paths: &[std::path::PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.display().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_said_keeps_its_order_across_streams() {
        let mut said = Said::new();
        said.out("a").out("b").err("note").out("c");
        let pieces: Vec<_> = said.pieces().collect();
        assert_eq!(
            pieces,
            [
                (Stream::Stdout, "a\nb\n"),
                (Stream::Stderr, "note\n"),
                (Stream::Stdout, "c\n")
            ]
        );
        assert_eq!(said.stdout(), "a\nb\nc\n");
        assert_eq!(said.stderr(), "note\n");
    }
}
