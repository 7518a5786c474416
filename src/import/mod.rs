//! `koho import`: a page file drafted from what departments and open data already hold — the
//! Digital Agency's イベント一覧 CSV into a notices or calendar page ([`open_data`]), or any
//! sheet whose header row names a kind's fields ([`sheet`]), `.csv` in UTF-8 or Shift_JIS
//! or `.xlsx` ([`table`]). The draft is YAML an editor reads, each entry under a comment
//! naming its source row ([`draft`]); rows that cannot be entries are reported by number.
//!
//! The draft goes to stdout, to a new file, or into a page file of the same kind whose list
//! still holds 要記入 (as `koho new` leaves it): a field with content is never replaced.

pub mod draft;
pub mod open_data;
pub mod sheet;
pub mod table;
pub mod template;
pub mod values;

use std::path::{Path, PathBuf};

use draft::{Draft, DraftValue};

use crate::content::page::KIND_KEY;
use crate::content::yaml::{self, Value};
use crate::diag::words::Words;
use crate::diag::{Diagnostic, Source};
use crate::project::{Project, shown};
use crate::schema::Kind;
use crate::schema::json_schema::{self, SCHEMA_DIR};

/// What `koho import` was asked.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    /// The kind of page to draft (`notices`).
    pub kind: String,
    /// The sheet or CSV file.
    pub file: PathBuf,
    /// Where the draft goes (stdout when `None`).
    pub output: Option<PathBuf>,
}

/// Why one row is not in the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowFault {
    /// A column the entry needs is blank.
    Missing {
        /// The column's header.
        column: String,
    },
    /// Not a date.
    NotADate {
        /// The column's header.
        column: String,
        /// What it holds.
        written: String,
    },
    /// Not a time of day.
    NotATime {
        /// The column's header.
        column: String,
        /// What it holds.
        written: String,
    },
    /// Not a whole number.
    NotANumber {
        /// The column's header.
        column: String,
        /// What it holds.
        written: String,
    },
    /// An end before its start.
    EndsBeforeStart {
        /// The end's column.
        column: String,
    },
    /// The outer columns are blank and no row above gives them.
    NoGroup {
        /// The first outer column.
        column: String,
    },
}

/// One row left out of the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The row, as the spreadsheet numbers it.
    pub row: usize,
    /// Why.
    pub fault: RowFault,
}

/// What the file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The standard イベント一覧.
    EventList,
    /// A sheet whose headers name the kind's fields.
    Sheet,
}

/// Where the draft went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Written {
    /// To stdout: the text.
    Stdout(String),
    /// To a new file.
    NewFile(PathBuf),
    /// Into an existing page file: the fields filled.
    Into {
        /// The file, as shown.
        file: PathBuf,
        /// The fields written, by key.
        fields: Vec<String>,
    },
}

/// What `koho import` did.
#[derive(Clone, Debug)]
pub struct ImportReport {
    /// The file read, as shown.
    pub file: PathBuf,
    /// How it was read (`UTF-8`, `Shift_JIS`, `sheet Sheet1`).
    pub read_as: String,
    /// As what.
    pub source: SourceKind,
    /// The kind drafted (its folder's name).
    pub kind: String,
    /// The kind in the editor's words (お知らせ).
    pub kind_words: Words,
    /// How many rows became entries.
    pub rows_taken: usize,
    /// The rows left out.
    pub skipped: Vec<RowProblem>,
    /// Columns with values that the page does not print.
    pub unused_columns: Vec<String>,
    /// Columns that name nothing koho knows.
    pub unknown_columns: Vec<String>,
    /// Fields left 要記入 in the draft, by key.
    pub to_fill: Vec<String>,
    /// Where the draft went.
    pub written: Written,
}

/// Why `koho import` drafted nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No such kind under `layouts/`.
    #[error("there is no page kind {kind}")]
    NoSuchKind {
        /// The kind asked for.
        kind: String,
        /// The kinds there are.
        known: Vec<String>,
    },
    /// The layouts have problems.
    #[error("the layouts have problems")]
    Layouts(Vec<Diagnostic>),
    /// The kind has no list a sheet could fill.
    #[error("{kind} has no list whose entries a sheet's rows could be")]
    NoList {
        /// The kind.
        kind: String,
    },
    /// An イベント一覧 for a kind it does not fit.
    #[error("an イベント一覧 can be imported into notices or calendar, not {kind}")]
    EventListNotForKind {
        /// The kind asked for.
        kind: String,
    },
    /// The file cannot be read as a table.
    #[error("{file}: {reason}")]
    Unreadable {
        /// The file, as shown.
        file: PathBuf,
        /// Why.
        reason: table::TableError,
    },
    /// The header row lacks columns that every entry needs.
    #[error("{file}: the header row has no column for {}", columns.join(", "))]
    MissingColumns {
        /// The file, as shown.
        file: PathBuf,
        /// The headers it should have.
        columns: Vec<String>,
    },
    /// No row became an entry.
    #[error("{file}: no row could be imported")]
    NothingImported {
        /// The file, as shown.
        file: PathBuf,
        /// Why each row could not.
        skipped: Vec<RowProblem>,
        /// Columns that name nothing koho knows.
        unknown_columns: Vec<String>,
    },
    /// The output file is a page of another kind.
    #[error("{file} is a page of kind {found}, not {kind}")]
    OutputOtherKind {
        /// The file, as shown.
        file: PathBuf,
        /// Its kind.
        found: String,
        /// The kind imported.
        kind: String,
    },
    /// The output file's field holds content already.
    #[error("{file}: {field} holds content already; koho import fills only fields left 要記入")]
    OutputHasContent {
        /// The file, as shown.
        file: PathBuf,
        /// The field's key.
        field: String,
    },
    /// The output file cannot be read as YAML.
    #[error("the page file to fill has problems")]
    OutputUnreadable(Vec<Diagnostic>),
    /// The template would replace a file outside `out/`.
    #[error("{file} exists already: koho writes a template only to a new file or under out/")]
    Exists {
        /// The file, as shown.
        file: PathBuf,
    },
    /// The draft cannot be written.
    #[error("cannot write {file}: {reason}")]
    Write {
        /// The file, as shown.
        file: PathBuf,
        /// The system's words.
        reason: String,
    },
}

/// Drafts a page as `request` asks; paths are taken and shown relative to `cwd`.
pub fn import(
    project: &Project,
    request: &ImportRequest,
    cwd: &Path,
) -> Result<ImportReport, ImportError> {
    let kind = kind(project, &request.kind, cwd)?;
    let file = cwd.join(&request.file);
    let file_shown = shown(&file, cwd);
    let name = file_shown
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let table = table::read(&file).map_err(|reason| ImportError::Unreadable {
        file: file_shown.clone(),
        reason,
    })?;
    let drafted = if open_data::is_event_list(&table) {
        from_event_list(&kind, &table, &name)?
    } else {
        from_sheet(&kind, &table, &name, &file_shown)?
    };
    if drafted.rows_taken == 0 {
        return Err(ImportError::NothingImported {
            file: file_shown,
            skipped: drafted.skipped,
            unknown_columns: drafted.unknown,
        });
    }
    let mut draft = drafted.draft;
    draft.head = vec![
        format!("koho import が {name} から作った下書き。確かめてから使ってください。"),
        "(a draft koho import made: check it before use)".to_owned(),
    ];
    let to_fill = draft
        .fields
        .iter()
        .filter(|(_, v)| matches!(v, DraftValue::ToFill(_)))
        .map(|(k, _)| k.clone())
        .collect();
    let written = write(project, &draft, request.output.as_deref(), cwd)?;
    Ok(ImportReport {
        file: file_shown,
        read_as: table.read_as,
        source: drafted.source,
        kind: kind.name.clone(),
        kind_words: kind.words.clone(),
        rows_taken: drafted.rows_taken,
        skipped: drafted.skipped,
        unused_columns: drafted.unused,
        unknown_columns: drafted.unknown,
        to_fill,
        written,
    })
}

/// The kind named `name`, loaded from the project's layouts.
pub fn kind(
    project: &Project,
    name: &str,
    cwd: &Path,
) -> Result<std::sync::Arc<Kind>, ImportError> {
    let layouts_dir = project.layouts_dir();
    let (kinds, problems) = crate::layout::available_kinds(&layouts_dir, &shown(&layouts_dir, cwd));
    match kinds.get(name) {
        Some(Some(kind)) => Ok(kind.clone()),
        Some(None) => Err(ImportError::Layouts(problems)),
        None => Err(ImportError::NoSuchKind {
            kind: name.to_owned(),
            known: kinds.keys().cloned().collect(),
        }),
    }
}

/// A draft and what making it found.
struct Drafted {
    draft: Draft,
    source: SourceKind,
    rows_taken: usize,
    skipped: Vec<RowProblem>,
    unused: Vec<String>,
    unknown: Vec<String>,
}

/// The kind's top-level fields an editor must write, as 要記入, in schema order; `given`
/// are the values the import made, put in their places.
fn top_level(kind: &Kind, given: Vec<(String, DraftValue)>) -> Vec<(String, DraftValue)> {
    let mut fields = Vec::new();
    for (key, field) in kind.fields.iter() {
        if let Some((_, value)) = given.iter().find(|(k, _)| k == key) {
            fields.push((key.clone(), value.clone()));
        } else if !field.optional && field.default.is_none() {
            fields.push((key.clone(), DraftValue::ToFill(field.words.ja.clone())));
        }
    }
    fields
}

fn from_event_list(kind: &Kind, table: &table::Table, name: &str) -> Result<Drafted, ImportError> {
    let read = open_data::events(table);
    let mut given = Vec::new();
    match kind.name.as_str() {
        "notices" => given.push((
            "categories".to_owned(),
            open_data::notices(&read.events, name),
        )),
        "calendar" => {
            let (events, period) = open_data::calendar(&read.events, name);
            given.push(("events".to_owned(), events));
            if let Some((start, end)) = period {
                given.push((
                    "period".to_owned(),
                    DraftValue::Text(format!("{start}〜{end}")),
                ));
                if (start.year(), start.month()) == (end.year(), end.month()) {
                    given.push((
                        "title".to_owned(),
                        DraftValue::Text(format!("{}月の催し・行事", start.month())),
                    ));
                }
            }
        }
        _ => {
            return Err(ImportError::EventListNotForKind {
                kind: kind.name.clone(),
            });
        }
    }
    Ok(Drafted {
        draft: Draft {
            kind: kind.name.clone(),
            head: Vec::new(),
            fields: top_level(kind, given),
        },
        source: SourceKind::EventList,
        rows_taken: read.events.len(),
        skipped: read.skipped,
        unused: read.unused,
        unknown: read.unknown,
    })
}

fn from_sheet(
    kind: &Kind,
    table: &table::Table,
    name: &str,
    file_shown: &Path,
) -> Result<Drafted, ImportError> {
    let levels = sheet::levels(kind).ok_or_else(|| ImportError::NoList {
        kind: kind.name.clone(),
    })?;
    let got = sheet::entries(&levels, table, name);
    if !got.missing.is_empty() {
        return Err(ImportError::MissingColumns {
            file: file_shown.to_path_buf(),
            columns: got.missing,
        });
    }
    let given = vec![(levels[0].key.clone(), DraftValue::Entries(got.entries))];
    Ok(Drafted {
        draft: Draft {
            kind: kind.name.clone(),
            head: Vec::new(),
            fields: top_level(kind, given),
        },
        source: SourceKind::Sheet,
        rows_taken: got.rows_taken,
        skipped: got.skipped,
        unused: Vec::new(),
        unknown: got.unknown,
    })
}

/// Writes the draft where asked: stdout, a new file, or the 要記入 fields of an existing page
/// file of the same kind. The text is read back as YAML before anything is written.
fn write(
    project: &Project,
    draft: &Draft,
    output: Option<&Path>,
    cwd: &Path,
) -> Result<Written, ImportError> {
    let Some(output) = output else {
        let text = draft.to_yaml(None);
        readable(&text, Path::new("-"))?;
        return Ok(Written::Stdout(text));
    };
    let target = cwd.join(output);
    let target_shown = shown(&target, cwd);
    let write_error = |e: std::io::Error| ImportError::Write {
        file: target_shown.clone(),
        reason: e.to_string(),
    };
    let (text, written) = if target.exists() {
        let old = yaml::read_source(&target, &target_shown, &target_shown.to_string_lossy())
            .map_err(|p| {
                ImportError::OutputUnreadable(vec![Diagnostic::whole_file(&target_shown, p)])
            })?
            .text;
        let (text, fields) = fill(&old, draft, &target_shown)?;
        (
            text,
            Written::Into {
                file: target_shown.clone(),
                fields,
            },
        )
    } else {
        let schema_dir = project.out_dir().join(SCHEMA_DIR);
        let schema = schema_dir.join(json_schema::file_name(&draft.kind));
        let dir = target.parent().unwrap_or(cwd);
        let text = crate::new_issue::with_schema_line(&draft.to_yaml(None), &schema, dir);
        // The schema line should resolve at once (a failure leaves the draft usable).
        let _ = json_schema::export(project, None, &schema_dir, cwd);
        (text, Written::NewFile(target_shown.clone()))
    };
    readable(&text, &target_shown)?;
    let mut outputs = crate::output::Outputs::default();
    outputs.add(target.clone(), text.into_bytes());
    outputs.commit().map_err(write_error)?;
    Ok(written)
}

/// Fails (as a bug would) when `text` is not YAML koho reads.
fn readable(text: &str, shown_as: &Path) -> Result<(), ImportError> {
    yaml::parse(&Source::new(shown_as, text.to_owned()))
        .map(|_| ())
        .map_err(ImportError::OutputUnreadable)
}

/// `old`, a page file, with the draft's values in the fields it leaves out or holds 要記入
/// in; the keys written. A field with content is kept — unless it is the list the rows
/// filled, which is an error: nothing an editor wrote is replaced.
fn fill(old: &str, draft: &Draft, shown_as: &Path) -> Result<(String, Vec<String>), ImportError> {
    let root = yaml::parse(&Source::new(shown_as, old.to_owned()))
        .map_err(ImportError::OutputUnreadable)?;
    let Value::Map(entries) = &root.value else {
        return Err(ImportError::OutputUnreadable(vec![Diagnostic::whole_file(
            shown_as,
            crate::diag::Problem::MissingField {
                key: KIND_KEY.to_owned(),
            },
        )]));
    };
    let found = entries
        .iter()
        .find(|e| e.key == KIND_KEY)
        .and_then(|e| match &e.value.value {
            Value::Str { text, .. } => Some(text.trim().to_owned()),
            _ => None,
        })
        .unwrap_or_default();
    if found != draft.kind {
        return Err(ImportError::OutputOtherKind {
            file: shown_as.to_path_buf(),
            found,
            kind: draft.kind.clone(),
        });
    }
    let list_keys: Vec<&String> = draft
        .fields
        .iter()
        .filter(|(_, v)| matches!(v, DraftValue::Entries(_)))
        .map(|(k, _)| k)
        .collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    let mut written = Vec::new();
    for (key, value) in &draft.fields {
        if matches!(value, DraftValue::ToFill(_)) {
            continue;
        }
        match entries.iter().find(|e| e.key == *key) {
            None => {
                appended.push_str(&draft::field_yaml(key, value));
                written.push(key.clone());
            }
            Some(entry) if entry.value.is_to_fill() => {
                // `key: 要記入  # note` is one line: it becomes the value's lines.
                let start = line_start(old, entry.key_span.start);
                let end = line_end(old, entry.value.span.end);
                edits.push((start..end, draft::field_yaml(key, value)));
                written.push(key.clone());
            }
            Some(_) if list_keys.contains(&key) => {
                return Err(ImportError::OutputHasContent {
                    file: shown_as.to_path_buf(),
                    field: key.clone(),
                });
            }
            Some(_) => {}
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut text = old.to_owned();
    for (range, with) in edits {
        text.replace_range(range, &with);
    }
    if !appended.is_empty() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&appended);
    }
    Ok((text, written))
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The template `koho import --template` wrote.
#[derive(Clone, Debug)]
pub struct TemplateReport {
    /// The kind (its folder's name).
    pub kind: String,
    /// The kind in the editor's words (お知らせ).
    pub kind_words: Words,
    /// The workbook, as shown.
    pub file: PathBuf,
    /// Its header row.
    pub headers: Vec<String>,
}

/// The folder under `out/` templates go to by default.
pub const TEMPLATE_DIR: &str = "import";

/// Writes the `.xlsx` template of `kind_name` to `output` (default
/// `out/import/<kind>.xlsx`). A file outside `out/` is never replaced.
pub fn write_template(
    project: &Project,
    kind_name: &str,
    output: Option<&Path>,
    cwd: &Path,
) -> Result<TemplateReport, ImportError> {
    let kind = kind(project, kind_name, cwd)?;
    let out_dir = project.out_dir();
    let target = match output {
        Some(path) => cwd.join(path),
        None => out_dir
            .join(TEMPLATE_DIR)
            .join(format!("{}.xlsx", kind.name)),
    };
    let target_shown = shown(&target, cwd);
    if target.exists() && !target.starts_with(&out_dir) {
        return Err(ImportError::Exists { file: target_shown });
    }
    let levels = sheet::levels(&kind).ok_or_else(|| ImportError::NoList {
        kind: kind.name.clone(),
    })?;
    let headers = levels
        .iter()
        .flat_map(|l| l.columns.iter().map(|c| c.ja.clone()))
        .collect();
    let write_error = |reason: String| ImportError::Write {
        file: target_shown.clone(),
        reason,
    };
    let bytes = template::workbook(&kind)
        .ok_or_else(|| ImportError::NoList {
            kind: kind.name.clone(),
        })?
        .map_err(|e| write_error(e.to_string()))?;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| write_error(e.to_string()))?;
    }
    let mut outputs = crate::output::Outputs::default();
    outputs.add(target, bytes);
    outputs.commit().map_err(|e| write_error(e.to_string()))?;
    Ok(TemplateReport {
        kind: kind.name.clone(),
        kind_words: kind.words.clone(),
        file: target_shown,
        headers,
    })
}
