//! `koho new`: next month's issue folder, started from the last one.
//!
//! The new folder is the old one's copy with what belongs to a month taken out: `issue.yaml`
//! gets the next issue date and 通巻 + 1; every page file is copied with each of its kind's
//! `monthly` fields replaced by [`TO_FILL`] (last month's value kept beside it in a comment),
//! and headed by the `# yaml-language-server: $schema=…` line that lets a text editor check
//! it as it is typed; photos and ads are copied as they are. The files are edited as text,
//! so every comment and the editor's layout of the file stay. The folder is made under a
//! temporary name and renamed into place whole: an existing folder is never touched.

use std::fs;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::content::model::CalendarDate;
use crate::content::yaml::{self, Node, Value};
use crate::content::{AvailableLayouts, ISSUE_FILE, TO_FILL, page::KIND_KEY};
use crate::diag::{Diagnostic, Problem};
use crate::project::{Project, shown};
use crate::schema::json_schema::{self, SCHEMA_DIR};
use crate::schema::{FieldType, Fields};

/// What the YAML language server reads on a file's first line.
const SCHEMA_LINE_START: &str = "# yaml-language-server: $schema=";

/// The longest piece of last month's value quoted in the comment beside 要記入.
const MAX_QUOTED_CHARS: usize = 40;

/// What `koho new` was asked.
#[derive(Clone, Debug, Default)]
pub struct NewIssueRequest {
    /// The folder to make (default: `content/<YYYY-MM>` of the new issue date).
    pub target: Option<PathBuf>,
    /// The new issue date (default: a month after the old one).
    pub date: Option<CalendarDate>,
}

/// One page file of the new issue.
#[derive(Clone, Debug)]
pub struct NewPage {
    /// Its name in the issue folder.
    pub file: String,
    /// How many of its fields hold 要記入 now, for the editor to fill.
    pub to_fill: usize,
    /// How many of those held 要記入 already in the issue started from (left unfilled there).
    pub left_unfilled: usize,
}

/// What `koho new` made.
#[derive(Clone, Debug)]
pub struct NewIssueReport {
    /// The issue started from, as shown.
    pub from: PathBuf,
    /// The new folder, as shown.
    pub dir: PathBuf,
    /// The new issue date.
    pub issue_date: CalendarDate,
    /// The new 通巻, when the old issue had one.
    pub number: Option<i128>,
    /// The page files, in print order.
    pub pages: Vec<NewPage>,
    /// Other files copied as they are (photos, ads).
    pub copied: usize,
}

impl NewIssueReport {
    /// Every field that holds 要記入 in the new issue.
    pub fn to_fill(&self) -> usize {
        self.pages.iter().map(|p| p.to_fill).sum()
    }

    /// The fields that held 要記入 already in the issue started from.
    pub fn left_unfilled(&self) -> usize {
        self.pages.iter().map(|p| p.left_unfilled).sum()
    }
}

/// Why `koho new` made nothing.
#[derive(Debug, thiserror::Error)]
pub enum NewIssueError {
    /// The folder to make exists already.
    #[error("{dir} exists already: koho new never overwrites a folder")]
    Exists {
        /// The folder, as shown.
        dir: PathBuf,
    },
    /// The issue started from has no readable issue date.
    #[error("{dir}/issue.yaml has no readable issue_date")]
    NoDate {
        /// The issue folder, as shown.
        dir: PathBuf,
    },
    /// Files of the old issue (or the layouts) could not be read.
    #[error("the issue to start from has problems")]
    Unreadable(Vec<Diagnostic>),
    /// The new folder could not be written.
    #[error("cannot write {dir}: {reason}")]
    Write {
        /// The folder, as shown.
        dir: PathBuf,
        /// The system's words.
        reason: String,
    },
}

/// Makes the next issue's folder from `from` (an issue folder, absolute) as `request` asks;
/// paths are shown relative to `cwd`.
pub fn make(
    project: &Project,
    from: &Path,
    request: &NewIssueRequest,
    cwd: &Path,
) -> Result<NewIssueReport, NewIssueError> {
    let from_shown = shown(from, cwd);
    let issue_text = read_text(&from.join(ISSUE_FILE), &from_shown.join(ISSUE_FILE))?;
    let issue_root = parse(&issue_text, &from_shown.join(ISSUE_FILE))?;
    let old_date = scalar(&issue_root, &issue_text, "issue_date")
        .and_then(|(text, _)| CalendarDate::parse(text.trim().trim_matches(['"', '\''])))
        .ok_or_else(|| NewIssueError::NoDate {
            dir: from_shown.clone(),
        })?;
    let issue_date = match request.date.or_else(|| old_date.next_month()) {
        Some(date) => date,
        None => return Err(NewIssueError::NoDate { dir: from_shown }),
    };
    let target = match &request.target {
        Some(dir) if dir.is_absolute() => dir.clone(),
        Some(dir) => cwd.join(dir),
        None => project.content_dir().join(format!(
            "{:04}-{:02}",
            issue_date.year(),
            issue_date.month()
        )),
    };
    let target_shown = shown(&target, cwd);
    if target.exists() {
        return Err(NewIssueError::Exists { dir: target_shown });
    }

    let layouts_dir = project.layouts_dir();
    let (kinds, problems) = crate::layout::available_kinds(&layouts_dir, &shown(&layouts_dir, cwd));
    if !problems.is_empty() {
        return Err(NewIssueError::Unreadable(problems));
    }
    let (issue_yaml, number) = next_listing(&issue_text, &issue_root, old_date, issue_date);
    let schema_dir = project.out_dir().join(SCHEMA_DIR);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![(
        PathBuf::from(ISSUE_FILE),
        with_schema_line(
            &issue_yaml,
            &schema_dir.join(json_schema::ISSUE_SCHEMA_FILE),
            &target,
        )
        .into_bytes(),
    )];
    let mut pages = Vec::new();
    let mut diagnostics = Vec::new();
    for file in page_files(&issue_root) {
        let shown_file = from_shown.join(&file);
        let text = match read_text(&from.join(&file), &shown_file) {
            Ok(text) => text,
            Err(NewIssueError::Unreadable(mut ds)) => {
                diagnostics.append(&mut ds);
                continue;
            }
            Err(other) => return Err(other),
        };
        match next_page(&text, &shown_file, &kinds) {
            Ok(next) => {
                let schema = schema_dir.join(json_schema::file_name(&next.kind));
                let text = with_schema_line(&next.text, &schema, &target);
                files.push((PathBuf::from(&file), text.into_bytes()));
                pages.push(NewPage {
                    file,
                    to_fill: next.marked + next.left_unfilled,
                    left_unfilled: next.left_unfilled,
                });
            }
            Err(mut ds) => diagnostics.append(&mut ds),
        }
    }
    if !diagnostics.is_empty() {
        return Err(NewIssueError::Unreadable(diagnostics));
    }
    let written: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    let copied =
        write_folder(from, &target, &files, &written).map_err(|e| NewIssueError::Write {
            dir: target_shown.clone(),
            reason: e.to_string(),
        })?;
    // The schema lines point at out/schema: written there so that they resolve at once
    // (a failure here leaves the issue as made: `koho schema` writes them again).
    let _ = json_schema::export(project, None, &schema_dir, cwd);
    Ok(NewIssueReport {
        from: from_shown,
        dir: target_shown,
        issue_date,
        number,
        pages,
        copied,
    })
}

/// The text of a file, or why it cannot be read.
fn read_text(path: &Path, shown_as: &Path) -> Result<String, NewIssueError> {
    let name = shown_as.to_string_lossy();
    yaml::read_source(path, shown_as, &name)
        .map(|source| source.text)
        .map_err(|problem| {
            NewIssueError::Unreadable(vec![Diagnostic::whole_file(shown_as, problem)])
        })
}

/// The tree of a file's text, or its syntax errors.
fn parse(text: &str, shown_as: &Path) -> Result<Node, NewIssueError> {
    let source = crate::diag::Source::new(shown_as, text.to_owned());
    yaml::parse(&source).map_err(NewIssueError::Unreadable)
}

/// A top-level scalar's text as written, and its span.
fn scalar<'t>(root: &Node, text: &'t str, key: &str) -> Option<(&'t str, Range<usize>)> {
    let Value::Map(entries) = &root.value else {
        return None;
    };
    let entry = entries.iter().find(|e| e.key == key)?;
    let span = entry.value.span.clone();
    (!span.is_empty()).then(|| (&text[span.clone()], span))
}

/// The page files `issue.yaml` lists, in order.
fn page_files(root: &Node) -> Vec<String> {
    let Value::Map(entries) = &root.value else {
        return Vec::new();
    };
    let Some(Value::List(pages)) = entries
        .iter()
        .find(|e| e.key == "pages")
        .map(|e| &e.value.value)
    else {
        return Vec::new();
    };
    pages
        .iter()
        .filter_map(|page| match &page.value {
            Value::Map(fields) => fields.iter().find(|f| f.key == "file"),
            _ => None,
        })
        .filter_map(|f| match &f.value.value {
            Value::Str { text, .. } => Some(text.trim().to_owned()),
            _ => None,
        })
        .collect()
}

/// `issue.yaml` for the next issue: the new date, 通巻 + 1, and `2026年6月号` in its comments
/// made the new month's; with the new 通巻.
fn next_listing(
    text: &str,
    root: &Node,
    old: CalendarDate,
    new: CalendarDate,
) -> (String, Option<i128>) {
    let mut edits = Vec::new();
    if let Some((_, span)) = scalar(root, text, "issue_date") {
        edits.push((span, new.to_string()));
    }
    let number = match root_entry(root, "number") {
        Some(Node {
            value: Value::Int(n),
            span,
        }) => {
            edits.push((span.clone(), (n + 1).to_string()));
            Some(n + 1)
        }
        _ => None,
    };
    let edited = apply(text, edits);
    let name = |d: CalendarDate| format!("{}年{}月号", d.year(), d.month());
    (edited.replace(&name(old), &name(new)), number)
}

/// A top-level value.
fn root_entry<'n>(root: &'n Node, key: &str) -> Option<&'n Node> {
    match &root.value {
        Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
        _ => None,
    }
}

/// A page file made for the next issue.
struct NextPage {
    /// Its kind's name.
    kind: String,
    /// Its text, every `monthly` field of the kind marked.
    text: String,
    /// How many fields were marked.
    marked: usize,
    /// How many `monthly` fields held 要記入 already.
    left_unfilled: usize,
}

/// The page file for the next issue made from `text`, a page file of the last one.
fn next_page(
    text: &str,
    shown_as: &Path,
    kinds: &AvailableLayouts,
) -> Result<NextPage, Vec<Diagnostic>> {
    let source = crate::diag::Source::new(shown_as, text.to_owned());
    let root = yaml::parse(&source)?;
    let kind_name = match root_entry(&root, KIND_KEY).map(|n| &n.value) {
        Some(Value::Str { text, .. }) => text.trim().to_owned(),
        _ => {
            return Err(vec![Diagnostic::whole_file(
                shown_as,
                Problem::MissingField {
                    key: KIND_KEY.to_owned(),
                },
            )]);
        }
    };
    let Some(Some(kind)) = kinds.get(&kind_name) else {
        return Err(vec![Diagnostic::whole_file(
            shown_as,
            Problem::UnknownLayout {
                name: kind_name.clone(),
                known: kinds.keys().cloned().collect(),
            },
        )]);
    };
    let mut edits = Vec::new();
    let previous = shown_as.display().to_string();
    let left_unfilled = mark_monthly(text, &root, &kind.fields, &previous, &mut edits);
    Ok(NextPage {
        kind: kind_name,
        marked: edits.len(),
        text: apply(text, edits),
        left_unfilled,
    })
}

/// The edits that put 要記入 in place of every `monthly` field of `fields` written in `node`
/// (and of the object fields inside it); `previous` names the file the old values stay in.
/// Returns how many `monthly` fields held 要記入 already (they are left as they are).
fn mark_monthly(
    text: &str,
    node: &Node,
    fields: &Fields,
    previous: &str,
    edits: &mut Vec<(Range<usize>, String)>,
) -> usize {
    let Value::Map(entries) = &node.value else {
        return 0;
    };
    let mut left_unfilled = 0;
    for entry in entries {
        let Some((_, field)) = fields.iter().find(|(name, _)| **name == entry.key) else {
            continue;
        };
        if field.monthly {
            if entry.value.is_to_fill() {
                left_unfilled += 1;
            } else {
                edits.push(to_fill(text, entry.key_span.end, &entry.value, previous));
            }
        } else if let FieldType::Object(inner) = &field.ty {
            left_unfilled += mark_monthly(text, &entry.value, inner, previous, edits);
        }
    }
    left_unfilled
}

/// The edit replacing one value (its key ends at `key_end`) with 要記入: a value on the key's
/// line is quoted in a comment after it (any comment already there stays after ours); a
/// block (a list, an object, a `|` text) is replaced up to the end of its last line, the
/// comment naming the line of the previous issue's file it was on.
fn to_fill(text: &str, key_end: usize, value: &Node, previous: &str) -> (Range<usize>, String) {
    // After the key's colon.
    let start = text[key_end..]
        .find(':')
        .map_or(key_end, |i| key_end + i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i);
    if value.span.is_empty() && !matches!(value.value, Value::List(_) | Value::Map(_)) {
        return (start..start, format!(" {TO_FILL}"));
    }
    let first = value.span.start;
    let end = extent_end(value);
    let written = &text[first..end];
    let scalar = !matches!(value.value, Value::List(_) | Value::Map(_));
    let one_line = !text[start..end].contains('\n') && !written.starts_with(['|', '>']);
    if one_line {
        let after = text[end..line_end(end)].trim_start();
        if !(after.is_empty() || after.starts_with('#')) {
            // Inside a `{…}` written on one line: a comment would swallow the rest.
            return (first..end, TO_FILL.to_owned());
        }
        // A `{…}` or `[…]` runs to its closing bracket, before any comment.
        let end = if scalar {
            end
        } else {
            first
                + text[first..line_end(end)]
                    .find(" #")
                    .unwrap_or(line_end(end) - first)
        };
        let old = text[first..end].trim_end();
        let quoted: String = old.chars().take(MAX_QUOTED_CHARS).collect();
        let cut = if quoted.len() < old.len() { "…" } else { "" };
        return (start..end, format!(" {TO_FILL}  # 前号: {quoted}{cut}"));
    }
    let last = text[..end].trim_end().len();
    let key_line = text[..key_end].matches('\n').count() + 1;
    (
        start..line_end(last),
        format!(" {TO_FILL}  # 前号の内容は {previous} の {key_line} 行目から"),
    )
}

/// Where a value's text ends: a list's or a mapping's span is only its start, so the end of
/// the last thing written inside it.
fn extent_end(node: &Node) -> usize {
    let inner = match &node.value {
        Value::List(items) => items.iter().map(extent_end).max(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| e.key_span.end.max(extent_end(&e.value)))
            .max(),
        _ => None,
    };
    inner.unwrap_or(0).max(node.span.end)
}

/// `text` with `edits` (non-overlapping spans) applied.
fn apply(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, with) in edits {
        out.replace_range(span, &with);
    }
    out
}

/// `text` headed by the schema line for `schema` (relative to the new folder `dir`): an old
/// schema line is replaced, any other first line kept below it.
pub(crate) fn with_schema_line(text: &str, schema: &Path, dir: &Path) -> String {
    let line = format!("{SCHEMA_LINE_START}{}", relative(dir, schema).display());
    let body = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with(SCHEMA_LINE_START) => rest,
        _ if text.starts_with(SCHEMA_LINE_START) => "",
        _ => text,
    };
    format!("{line}\n{body}")
}

/// `to` as seen from the folder `from` (both absolute): `../../out/schema/cover.schema.json`.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to_parts[common..] {
        out.push(part);
    }
    out
}

/// Makes `target` holding `files` and a copy of every other file under `from` (except
/// those named in `files`, and hidden ones): built under a temporary name beside it, then
/// renamed into place. Returns how many files were copied as they were.
fn write_folder(
    from: &Path,
    target: &Path,
    files: &[(PathBuf, Vec<u8>)],
    written: &[PathBuf],
) -> std::io::Result<usize> {
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.koho-new-{}", std::process::id()));
    let result = (|| {
        fs::create_dir(&staging)?;
        for (path, bytes) in files {
            fs::write(staging.join(path), bytes)?;
        }
        let copied = copy_others(from, &staging, Path::new(""), written)?;
        if target.exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the folder appeared while it was being made",
            ));
        }
        fs::rename(&staging, target)?;
        Ok(copied)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Copies the files under `from/below` into `to/below`, but those in `skip` and hidden ones.
fn copy_others(from: &Path, to: &Path, below: &Path, skip: &[PathBuf]) -> std::io::Result<usize> {
    let mut copied = 0;
    let mut entries: Vec<_> = fs::read_dir(from.join(below))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let relative = below.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            fs::create_dir_all(to.join(&relative))?;
            copied += copy_others(from, to, &relative, skip)?;
        } else if kind.is_file() && !skip.contains(&relative) {
            fs::copy(entry.path(), to.join(&relative))?;
            copied += 1;
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FieldPath;

    /// The text marked, how many fields were marked and how many were left unfilled.
    fn marked(text: &str, schema: &str) -> (String, usize, usize) {
        let kind_source = crate::diag::Source::new(Path::new("schema.yaml"), schema.to_owned());
        let kind_root = yaml::parse(&kind_source).unwrap();
        let mut reader = crate::content::Reader::new(&kind_source);
        let fields =
            crate::schema::load::read_fields(&mut reader, &kind_root, &FieldPath::root()).unwrap();
        let source = crate::diag::Source::new(Path::new("p.yaml"), text.to_owned());
        let root = yaml::parse(&source).unwrap();
        let mut edits = Vec::new();
        let left = mark_monthly(text, &root, &fields, "content/2026-06/p.yaml", &mut edits);
        let n = edits.len();
        (apply(text, edits), n, left)
    }

    const SCHEMA: &str = "\
title: {type: text, words: {ja: 題, en: title}}
as_of: {type: date, monthly: true, words: {ja: 基準日, en: as of}}
box:
  type: object
  words: {ja: 囲み, en: box}
  fields:
    when: {type: text, monthly: true, words: {ja: 日時, en: when}}
    where: {type: text, words: {ja: 場所, en: where}}
events:
  type: list
  monthly: true
  words: {ja: 行事, en: event}
  item: {type: text, words: {ja: 行事, en: event}}
";

    #[test]
    fn monthly_fields_are_marked_and_the_rest_kept() {
        let page = "\
# a comment stays
title: 6月の催し   # kept
as_of: 2026-05-31  # 月末
box:
  when: 6月7日(日)
  where: 市民会館
events:
  # the list goes
  - 一つ目
  - 二つ目
";
        let (text, n, left) = marked(page, SCHEMA);
        assert_eq!((n, left), (3, 0));
        assert_eq!(
            text,
            "\
# a comment stays
title: 6月の催し   # kept
as_of: 要記入  # 前号: 2026-05-31  # 月末
box:
  when: 要記入  # 前号: 6月7日(日)
  where: 市民会館
events: 要記入  # 前号の内容は content/2026-06/p.yaml の 7 行目から
"
        );
    }

    #[test]
    fn long_values_are_cut_in_the_comment() {
        let page = format!("as_of: {}\n", "長".repeat(60));
        let (text, n, _) = marked(&page, SCHEMA);
        assert_eq!(n, 1);
        assert!(text.ends_with("…\n"), "{text}");
        assert_eq!(text.matches('長').count(), MAX_QUOTED_CHARS);
    }

    #[test]
    fn a_field_already_to_fill_is_not_marked_again() {
        let (text, n, left) = marked("as_of: 要記入  # 前号: 2026-05-31\n", SCHEMA);
        assert_eq!((n, left), (0, 1));
        assert_eq!(text, "as_of: 要記入  # 前号: 2026-05-31\n");
    }

    #[test]
    fn the_schema_line_heads_the_file_once() {
        let dir = Path::new("/p/content/2026-07");
        let schema = Path::new("/p/out/schema/cover.schema.json");
        let once = with_schema_line("layout: cover\n", schema, dir);
        assert_eq!(
            once,
            "# yaml-language-server: $schema=../../out/schema/cover.schema.json\nlayout: cover\n"
        );
        assert_eq!(with_schema_line(&once, schema, dir), once);
    }

    #[test]
    fn months_move_on_with_the_day_kept_where_it_exists() {
        let d = |s| CalendarDate::parse(s).unwrap();
        assert_eq!(d("2026-06-01").next_month(), Some(d("2026-07-01")));
        assert_eq!(d("2026-12-15").next_month(), Some(d("2027-01-15")));
        assert_eq!(d("2026-01-31").next_month(), Some(d("2026-02-28")));
        assert_eq!(d("2028-01-31").next_month(), Some(d("2028-02-29")));
    }
}
