//! `koho proof` and `koho proof comments`, told: the round made and its changes since the
//! last one; the comments written on a proof, each with the field, file and line under it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::changes::{kind_words, round_name};
use super::{Exit, Report, Said, json_errors, json_paths, problems};
use crate::diag::Lang;
use crate::diag::render::JsonDiagnostic;
use crate::error::KohoError;
use crate::proof::changes::ISSUE_WIDE;
use crate::proof::marked::{self, MarkedComment, MarkedError};
use crate::proof::{Change, ProofReport};

/// One change as the round's report lists it: `p4 ビジョン01 › 項目2 › 進捗 [変更] 22 → 23`.
pub fn change_line(change: &Change, lang: Lang) -> String {
    let place = match (change.folio, lang) {
        (ISSUE_WIDE, Lang::Ja) => "号全体".to_owned(),
        (ISSUE_WIDE, Lang::En) => "issue".to_owned(),
        (folio, _) => format!("p{folio}"),
    };
    format!(
        "{place} {} [{}] {} → {}",
        change.words.get(lang),
        kind_words(change.kind, lang),
        change.old.as_deref().unwrap_or("—"),
        change.new.as_deref().unwrap_or("—"),
    )
}

/// A proof round as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct ProofJson<'a> {
    /// `proof`.
    pub command: &'static str,
    /// The issue folder, as shown.
    pub issue: String,
    /// True when the round was made.
    pub ok: bool,
    /// The round's number.
    pub round: u32,
    /// Its name (初校, 再校…).
    pub round_name: String,
    /// Its folder.
    pub dir: String,
    /// The files written.
    pub written: Vec<String>,
    /// The changes since the last round, as [`change_line`] says them (none for 初校).
    pub changes: Option<Vec<String>>,
    /// Things worth saying that are not failures.
    pub notes: &'a [String],
    /// Every problem found (no round was made when there is one).
    pub errors: Vec<JsonDiagnostic>,
}

impl Report for ProofReport {
    type Json<'a> = ProofJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        if !self.diagnostics.is_empty() {
            let kept = match lang {
                Lang::Ja => "校正刷は作っていません (作成済みの回はそのまま残っています)",
                Lang::En => "no proof was made (earlier rounds are unchanged)",
            };
            return problems(&self.diagnostics, lang, Some(kept));
        }
        let mut said = Said::new();
        let name = round_name(self.round, lang);
        let round = self.round.get();
        let dir = self.dir.display();
        said.out(match lang {
            Lang::Ja => format!("校正 r{round} ({name}) を作りました: {dir}"),
            Lang::En => format!("made proof round r{round} ({name}): {dir}"),
        });
        for path in &self.written {
            said.out(format!("  {}", path.display()));
        }
        if let Some(changes) = &self.changes {
            said.out(match lang {
                Lang::Ja => format!("前の回からの変更: {} か所 (changes.md)", changes.len()),
                Lang::En => format!(
                    "changes since the last round: {} (changes.md)",
                    changes.len()
                ),
            });
            for change in changes {
                said.out(format!("  {}", change_line(change, lang)));
            }
        }
        for note in &self.notes {
            said.err(format!("note: {note}"));
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<ProofJson<'_>> {
        Some(ProofJson {
            command: "proof",
            issue: self.issue_dir.display().to_string(),
            ok: self.diagnostics.is_empty(),
            round: self.round.get(),
            round_name: round_name(self.round, lang),
            dir: self.dir.display().to_string(),
            written: json_paths(&self.written),
            changes: self
                .changes
                .as_ref()
                .map(|cs| cs.iter().map(|c| change_line(c, lang)).collect()),
            notes: &self.notes,
            errors: json_errors(&self.diagnostics, lang),
        })
    }

    fn exit(&self) -> Exit {
        Exit::of(self.diagnostics.is_empty())
    }
}

/// The comments of a marked-up proof, as `koho proof comments` reports them.
#[derive(Debug)]
pub struct Comments {
    /// The proof, as named.
    pub file: PathBuf,
    /// Its comments, in order.
    pub comments: Vec<MarkedComment>,
}

impl Comments {
    /// Reads the comments of the proof `file`; a file that is not a readable koho proof is a
    /// usage error whose reason is in `lang`.
    pub fn read(file: &Path, lang: Lang) -> Result<Self, KohoError> {
        let unreadable = |reason: String| KohoError::ProofUnreadable {
            path: file.to_path_buf(),
            reason,
        };
        let bytes = std::fs::read(file).map_err(|e| unreadable(e.to_string()))?;
        let comments = marked::read(&bytes).map_err(|e| unreadable(refusal_words(e, lang)))?;
        Ok(Self {
            file: file.to_path_buf(),
            comments,
        })
    }
}

/// Why a PDF's comments cannot be read, in `lang`.
fn refusal_words(error: MarkedError, lang: Lang) -> String {
    match (lang, error) {
        (Lang::Ja, MarkedError::NotAProof) => "koho proof で作った校正刷ではありません".to_owned(),
        (_, error) => error.to_string(),
    }
}

/// The field a comment is on, in the editors' words when the proof names it.
fn field_words(comment: &MarkedComment, lang: Lang) -> Option<String> {
    comment.field.as_deref().map(|f| {
        comment
            .words
            .as_ref()
            .map_or_else(|| f.to_owned(), |w| w.get(lang).to_owned())
    })
}

/// The printed page a comment is on (the PDF page when the page is not a proof page).
fn page_of(comment: &MarkedComment) -> u32 {
    comment.folio.unwrap_or(comment.page as u32)
}

/// `koho proof comments` as `--json` prints it.
#[derive(Debug, Serialize)]
pub struct CommentsJson<'a> {
    /// The proof, as named.
    pub file: String,
    /// Its comments.
    pub comments: Vec<CommentJson<'a>>,
}

/// One comment as `--json` lists it.
#[derive(Debug, Serialize)]
pub struct CommentJson<'a> {
    /// The printed page.
    pub page: u32,
    /// The PDF page, from 1.
    pub pdf_page: usize,
    /// The kind of mark.
    pub kind: &'a str,
    /// What the editor wrote.
    pub text: &'a str,
    /// Who wrote it.
    pub author: Option<&'a str>,
    /// The field under it.
    pub field: Option<&'a str>,
    /// That field in the editors' words.
    pub words: Option<String>,
    /// The page file holding that field.
    pub file: Option<&'a str>,
    /// The field's line in it.
    pub line: Option<u32>,
    /// The comment it answers (its position in the list, from 1).
    pub reply_to: Option<usize>,
}

impl Report for Comments {
    type Json<'a> = CommentsJson<'a>;

    fn text(&self, lang: Lang) -> Said {
        let mut said = Said::new();
        if self.comments.is_empty() {
            said.out(match lang {
                Lang::Ja => format!("{}: コメントはありません", self.file.display()),
                Lang::En => format!("{}: no comments", self.file.display()),
            });
            return said;
        }
        for (i, c) in self.comments.iter().enumerate() {
            let page = page_of(c);
            let place = match (field_words(c, lang), lang) {
                (Some(words), _) => words,
                (None, Lang::Ja) => "(欄の外)".to_owned(),
                (None, Lang::En) => "(outside any field)".to_owned(),
            };
            let at = match (&c.file, c.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => String::new(),
            };
            let page_word = match lang {
                Lang::Ja => format!("{page}ページ"),
                Lang::En => format!("page {page}"),
            };
            said.out(format!("{}. {page_word}  {place}  {at}", i + 1));
            let who = c
                .author
                .as_deref()
                .map(|a| format!(" — {a}"))
                .unwrap_or_default();
            let reply = match (c.reply_to, lang) {
                (Some(n), Lang::Ja) => format!(" ({n}. への返信)"),
                (Some(n), Lang::En) => format!(" (reply to {n}.)"),
                (None, _) => String::new(),
            };
            let text = if c.text.is_empty() {
                format!("[{}]", c.kind)
            } else {
                c.text.replace('\n', "\n   ")
            };
            said.out(format!("   {text}{who}{reply}"));
        }
        said
    }

    fn json(&self, lang: Lang) -> Option<CommentsJson<'_>> {
        let comments = self
            .comments
            .iter()
            .map(|c| CommentJson {
                page: page_of(c),
                pdf_page: c.page,
                kind: &c.kind,
                text: &c.text,
                author: c.author.as_deref(),
                field: c.field.as_deref(),
                words: field_words(c, lang),
                file: c.file.as_deref(),
                line: c.line,
                reply_to: c.reply_to,
            })
            .collect();
        Some(CommentsJson {
            file: self.file.display().to_string(),
            comments,
        })
    }

    fn exit(&self) -> Exit {
        Exit::Success
    }
}
