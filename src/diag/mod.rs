//! Diagnostics: problems found in the input, where they are, and how they are reported.
//!
//! Loaders never print. They return [`Diagnostic`]s; [`render`] is the one place that turns
//! them into the report an editor reads (Japanese or English) or the JSON a script reads.

pub mod ad_words;
mod lang;
mod messages;
mod path;
mod problem;
pub mod render;
mod source;
pub mod words;

pub use lang::Lang;
pub use messages::{hint, message};
pub use path::{FieldPath, Segment};
pub use problem::{
    AdFault, Expected, NumberTrap, PreviousGap, Problem, SchemaFault, SyntaxTrap, grouped,
};
pub use source::Source;

use std::ops::Range;
use std::path::PathBuf;

/// A line and column in a text file, both counted from 1; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Line number, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

/// The source line a diagnostic points into, with the part to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetLine {
    /// The line number, from 1.
    pub line: u32,
    /// The text of the line, without its line ending.
    pub text: String,
    /// The bytes of `text` to underline (may be empty: a caret at that point).
    pub underline: Range<usize>,
}

/// One problem in the input, with the file, the place and the field it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The file, as the user should see it (relative to where koho was run when possible).
    pub file: PathBuf,
    /// Where in the file; line 1, column 1 for a problem with the whole file.
    pub location: Location,
    /// The line shown under the message, when there is one.
    pub snippet: Option<SnippetLine>,
    /// The field the problem is about (the root path for whole-file problems).
    pub field: FieldPath,
    /// The field in the editors' words (ビジョン03 › 項目2 › 進捗), when the file's schema
    /// names it.
    pub words: Option<words::Words>,
    /// What is wrong.
    pub problem: Problem,
}

impl Diagnostic {
    /// A diagnostic about a whole file, with no line to point at.
    pub fn whole_file(file: impl Into<PathBuf>, problem: Problem) -> Self {
        Self {
            file: file.into(),
            location: Location { line: 1, column: 1 },
            snippet: None,
            field: FieldPath::root(),
            words: None,
            problem,
        }
    }
}
