//! A text file held in memory so diagnostics can name its lines and show them.

use std::ops::Range;
use std::path::PathBuf;

use super::{Diagnostic, FieldPath, Location, Problem, SnippetLine};

/// A text file's display path and its text (BOM removed, line endings normalised to `\n`).
#[derive(Clone, Debug)]
pub struct Source {
    /// The path shown to the user.
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

impl Source {
    /// Holds `text` as the content of `path`.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The line and column (from 1; the column in characters) of a byte offset.
    pub fn locate(&self, byte: usize) -> Location {
        let byte = self.floor_char_boundary(byte.min(self.text.len()));
        let before = &self.text[..byte];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count() + 1;
        let column = self.text[line_start..byte].chars().count() + 1;
        Location {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte range of line `line` (from 1), without its `\n`.
    pub fn line_range(&self, line: u32) -> Option<Range<usize>> {
        let mut start = 0;
        for (i, text) in self.text.split('\n').enumerate() {
            if i + 1 == line as usize {
                return Some(start..start + text.len());
            }
            start += text.len() + 1;
        }
        None
    }

    /// A diagnostic pointing at the bytes `range` of this file.
    ///
    /// The range is clipped to its first line, so a value spanning several lines underlines
    /// where it starts.
    pub fn diagnostic(
        &self,
        range: Range<usize>,
        field: FieldPath,
        problem: Problem,
    ) -> Diagnostic {
        let start = self.floor_char_boundary(range.start.min(self.text.len()));
        let location = self.locate(start);
        let line = self.line_range(location.line).unwrap_or(start..start);
        let end = self
            .floor_char_boundary(range.end.clamp(start, line.end.max(start)))
            .max(start);
        let snippet = SnippetLine {
            line: location.line,
            text: self.text[line.clone()].to_owned(),
            underline: (start - line.start)..(end - line.start),
        };
        Diagnostic {
            file: self.path.clone(),
            location,
            snippet: Some(snippet),
            field,
            words: None,
            problem,
        }
    }

    /// A diagnostic about the whole file.
    pub fn whole_file(&self, problem: Problem) -> Diagnostic {
        Diagnostic::whole_file(self.path.clone(), problem)
    }

    fn floor_char_boundary(&self, mut byte: usize) -> usize {
        while byte > 0 && !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        byte
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_by_characters_not_bytes() {
        let source = Source::new("p.yaml", "title: 苫小牧\npercent: ５５\n");
        let at = source.text.find('５').unwrap();
        assert_eq!(
            source.locate(at),
            Location {
                line: 2,
                column: 10
            }
        );
        let d = source.diagnostic(at..at + 6, FieldPath::root(), Problem::EmptyText);
        let snippet = d.snippet.unwrap();
        assert_eq!(snippet.text, "percent: ５５");
        assert_eq!(&snippet.text[snippet.underline], "５５");
    }

    #[test]
    fn clips_multi_line_ranges_to_the_first_line() {
        let source = Source::new("p.yaml", "a: |\n  one\n  two\n");
        let d = source.diagnostic(3..source.text.len(), FieldPath::root(), Problem::EmptyText);
        let snippet = d.snippet.unwrap();
        assert_eq!(snippet.line, 1);
        assert_eq!(&snippet.text[snippet.underline], "|");
    }
}
