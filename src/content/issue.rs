//! `issue.yaml` and the page files it lists.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::Path;

use super::fields::{Need, Reader};
use super::model::{Bounded, CalendarDate, FieldSpans, FolioRange, Issue, Page, PageContent};
use super::paths::resolve_inside;
use super::yaml::{self, Node};
use super::{AvailableLayouts, LoadOutcome, page};
use crate::diag::words::{Words, issue_words};
use crate::diag::{Diagnostic, FieldPath, Lang, Problem, Source};

/// The issue file's name inside an issue folder.
pub const ISSUE_FILE: &str = "issue.yaml";

const ISSUE_KEYS: &[&str] = &[
    "magazine",
    "municipality",
    "issue_date",
    "number",
    "offprint",
    "pages",
];
/// The keys of `municipality:`.
const MUNICIPALITY_KEYS: &[&str] = &["name", "code"];
const PAGE_ENTRY_KEYS: &[&str] = &["file", "folio", "folios"];

/// A page entry of `issue.yaml`, before its file is read.
struct PageEntry {
    file: String,
    folios: FolioRange,
    folios_span: std::ops::Range<usize>,
    file_span: std::ops::Range<usize>,
    path: FieldPath,
}

/// Loads the issue in `dir` (shown to the user as `shown_as`): `issue.yaml`, every page file
/// and every photo, checked against the rules of `layouts`, reporting every problem found.
pub fn load(dir: &Path, shown_as: &Path, layouts: &AvailableLayouts) -> LoadOutcome {
    let source = match yaml::read_source(
        &dir.join(ISSUE_FILE),
        &shown_as.join(ISSUE_FILE),
        ISSUE_FILE,
    ) {
        Ok(source) => source,
        Err(problem) => {
            return LoadOutcome::failed(vec![Diagnostic::whole_file(
                shown_as.join(ISSUE_FILE),
                problem,
            )]);
        }
    };
    let root = match yaml::parse(&source) {
        Ok(root) => root,
        Err(ds) => return LoadOutcome::failed(ds),
    };
    let mut reader = Reader::new(&source);
    let head = read_head(&mut reader, &root);
    let mut diagnostics = std::mem::take(&mut reader.diagnostics);
    for diagnostic in &mut diagnostics {
        diagnostic.words = (!diagnostic.field.is_root()).then(|| {
            Words::new(
                issue_words(&diagnostic.field, Lang::Ja),
                issue_words(&diagnostic.field, Lang::En),
            )
        });
    }
    // The page files are read whenever the page list is sound, even if another field of
    // issue.yaml is wrong, so that one run reports everything.
    let mut pages = Vec::new();
    let entries = head.pages.unwrap_or_default();
    let files: Vec<String> = entries.iter().map(|e| e.file.clone()).collect();
    for entry in entries {
        match load_page(dir, shown_as, &source, entry, layouts) {
            Ok(page) => pages.push(page),
            Err(mut ds) => diagnostics.append(&mut ds),
        }
    }
    if !diagnostics.is_empty() {
        // The clean pages are still proofread (dates in text) in this run.
        let partial = head
            .issue_date
            .map(|issue_date| super::Partial { issue_date, pages });
        return LoadOutcome {
            issue: None,
            diagnostics,
            partial,
        };
    }
    let (Some(magazine), Some(issue_date), Some(number), Some(municipality), Ok(pages)) = (
        head.magazine,
        head.issue_date,
        head.number,
        head.municipality,
        Bounded::new(pages),
    ) else {
        return LoadOutcome::failed(diagnostics);
    };
    // A page field must name one of the pages issue.yaml lists.
    for page in pages.iter() {
        for (path, file) in page.content.fields.pages_named(&FieldPath::root()) {
            if !files.iter().any(|f| f == file) {
                let span = page.spans.get(&path.to_string()).unwrap_or(0..0);
                diagnostics.push(page.diagnostic(
                    span,
                    path,
                    Problem::PageNotInIssue {
                        file: file.to_owned(),
                        known: files.clone(),
                    },
                ));
            }
        }
    }
    if !diagnostics.is_empty() {
        return LoadOutcome::failed(diagnostics);
    }
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "issue".to_owned());
    LoadOutcome {
        partial: None,
        issue: Some(Issue {
            dir: dir.to_path_buf(),
            name,
            magazine,
            issue_date,
            number,
            municipality,
            pages,
            offprint: head.offprint,
            source,
            earlier: Default::default(),
        }),
        diagnostics,
    }
}

/// What an issue folder's `issue.yaml` says of the issue, read without its pages: enough to
/// find another issue's figures (the previous issue's, for 前月比).
#[derive(Clone, Debug)]
pub struct Listing {
    /// The magazine's name.
    pub magazine: String,
    /// The issue date.
    pub issue_date: CalendarDate,
    /// The page files, in print order.
    pub files: Vec<String>,
}

/// The listing of the issue in `dir`; `None` when it has no `issue.yaml` or one with errors
/// (an issue that cannot be read is no source of figures).
pub fn read_listing(dir: &Path) -> Option<Listing> {
    let path = dir.join(ISSUE_FILE);
    let source = yaml::read_source(&path, &path, ISSUE_FILE).ok()?;
    let root = yaml::parse(&source).ok()?;
    let mut reader = Reader::new(&source);
    let head = read_head(&mut reader, &root);
    if !reader.diagnostics.is_empty() {
        return None;
    }
    Some(Listing {
        magazine: head.magazine?.as_str().to_owned(),
        issue_date: head.issue_date?,
        files: head.pages?.into_iter().map(|e| e.file).collect(),
    })
}

/// The content of page file `file` of the issue in `dir`, when it is of a kind `wanted`
/// accepts and reads without errors; `None` otherwise.
pub fn read_other_page(
    dir: &Path,
    file: &str,
    layouts: &AvailableLayouts,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<PageContent> {
    let on_disk = resolve_inside(dir, file).ok()?;
    let source = yaml::read_source(&on_disk, &on_disk, file).ok()?;
    // The kind is looked at before the page is read against it.
    let root = yaml::parse(&source).ok()?;
    let yaml::Value::Map(entries) = &root.value else {
        return None;
    };
    let layout = entries.iter().find(|e| e.key == page::KIND_KEY)?;
    match &layout.value.value {
        yaml::Value::Str { text, .. } if wanted(text.trim()) => {}
        _ => return None,
    }
    read_page(&source, dir, layouts)
        .ok()
        .map(|(content, _)| content)
}

/// What `issue.yaml` holds; a field is `None` when it is wrong (and reported).
struct Head {
    magazine: Option<super::model::Text>,
    issue_date: Option<CalendarDate>,
    /// `Some(None)` when no number is written.
    number: Option<Option<NonZeroU32>>,
    /// `Some(None)` when no municipality is written.
    municipality: Option<Option<super::model::Municipality>>,
    /// `None` when the page list is wrong.
    pages: Option<Vec<PageEntry>>,
    /// `offprint: true`.
    offprint: bool,
}

fn read_head(reader: &mut Reader<'_>, root: &Node) -> Head {
    let Some(fields) = reader.fields(root, &FieldPath::root(), ISSUE_KEYS) else {
        return Head {
            magazine: None,
            issue_date: None,
            number: None,
            municipality: None,
            pages: None,
            offprint: false,
        };
    };
    let magazine = reader.text(&fields, "magazine", Need::Required);
    let issue_date = reader.date(&fields, "issue_date", Need::Required);
    let number = reader.positive(&fields, "number", Need::Optional);
    let number = if fields.value("number").is_none() || number.is_some() {
        Some(number)
    } else {
        None
    };
    let municipality = read_municipality(reader, &fields);
    let offprint = read_offprint(reader, &fields);
    let entries = reader.list(&fields, "pages", Need::Required, 1, usize::MAX);
    let mut pages = Vec::new();
    // Each folio taken so far, with the line of the entry that took it.
    let mut folios: HashMap<u32, u32> = HashMap::new();
    let mut files: HashMap<String, ()> = HashMap::new();
    let mut previous: Option<u32> = None;
    let mut pages_ok = entries.is_some();
    for (path, node) in entries.unwrap_or_default() {
        let Some(page) = reader.fields(node, &path, PAGE_ENTRY_KEYS) else {
            pages_ok = false;
            continue;
        };
        let file = reader.text(&page, "file", Need::Required);
        let range = read_folios(reader, &page);
        let (Some(file), Some((range, folios_node))) = (file, range) else {
            pages_ok = false;
            continue;
        };
        let key = if page.value("folio").is_some() {
            "folio"
        } else {
            "folios"
        };
        let line = reader.source.locate(folios_node.span.start).line;
        if let Some((folio, first_line)) = range
            .iter()
            .find_map(|f| folios.get(&f).map(|line| (f, *line)))
        {
            reader.report(
                folios_node.span.clone(),
                page.path(key),
                Problem::FolioTwice { folio, first_line },
            );
            pages_ok = false;
        } else if let Some(previous) = previous.filter(|p| *p > range.first().get()) {
            reader.report(
                folios_node.span.clone(),
                page.path(key),
                Problem::FolioOrder {
                    folio: range.first().get(),
                    previous,
                },
            );
            pages_ok = false;
        }
        for folio in range.iter() {
            folios.entry(folio).or_insert(line);
        }
        previous = Some(range.last().get());
        let file_span = page.value("file").map_or(0..0, |n| n.span.clone());
        if files.insert(file.as_str().to_owned(), ()).is_some() {
            reader.report(
                file_span,
                page.path("file"),
                Problem::PageTwice {
                    path: file.as_str().to_owned(),
                },
            );
            pages_ok = false;
            continue;
        }
        pages.push(PageEntry {
            file: file.as_str().to_owned(),
            folios: range,
            folios_span: folios_node.span.clone(),
            file_span,
            path,
        });
    }
    Head {
        magazine,
        issue_date,
        number,
        municipality,
        pages: pages_ok.then_some(pages),
        offprint,
    }
}

/// `municipality: {name: 苫小牧市, code: "012131"}`: `Some(None)` when left out, `None` when
/// wrong (and reported).
fn read_municipality(
    reader: &mut Reader<'_>,
    fields: &super::Fields<'_>,
) -> Option<Option<super::model::Municipality>> {
    let Some(node) = fields.value("municipality") else {
        return Some(None);
    };
    let inner = reader.fields(node, &fields.path("municipality"), MUNICIPALITY_KEYS)?;
    let name = reader.text(&inner, "name", Need::Required);
    let code_node = inner.value("code");
    let code = reader.text(&inner, "code", Need::Required)?;
    let code = match super::model::LocalGovCode::parse(code.as_str()) {
        Ok(code) => code,
        Err(expected_check) => {
            let span = code_node.map_or(0..0, |n| n.span.clone());
            reader.report(
                span,
                inner.path("code"),
                Problem::MunicipalityCode {
                    found: code.as_str().to_owned(),
                    expected_check,
                },
            );
            return None;
        }
    };
    Some(Some(super::model::Municipality { name: name?, code }))
}

/// `offprint: true` or `false` (left out: false).
fn read_offprint(reader: &mut Reader<'_>, fields: &super::Fields<'_>) -> bool {
    match fields.value("offprint") {
        None => false,
        Some(Node {
            value: yaml::Value::Bool(b),
            ..
        }) => *b,
        Some(node) => {
            reader.wrong_type(node, fields.path("offprint"), crate::diag::Expected::YesNo);
            false
        }
    }
}

/// A page entry's folios: `folio: 5` or `folios: 5-7`, exactly one of them.
fn read_folios<'n>(
    reader: &mut Reader<'_>,
    page: &super::Fields<'n>,
) -> Option<(FolioRange, &'n Node)> {
    match (page.value("folio"), page.value("folios")) {
        (Some(_), Some(both)) => {
            reader.report(
                both.span.clone(),
                page.path("folios"),
                Problem::FolioAndFolios,
            );
            None
        }
        (Some(node), None) => {
            let folio = reader.positive(page, "folio", Need::Required)?;
            Some((FolioRange::single(folio), node))
        }
        (None, Some(node)) => {
            let written = match &node.value {
                yaml::Value::Str { text, .. } => text.clone(),
                _ => node.written(reader.source).to_owned(),
            };
            match FolioRange::parse(&written) {
                Some(range) => Some((range, node)),
                None => {
                    reader.report(
                        node.span.clone(),
                        page.path("folios"),
                        Problem::WrongType {
                            expected: crate::diag::Expected::FolioRange,
                            found: written,
                            trap: crate::diag::NumberTrap::Other,
                            meant: None,
                        },
                    );
                    None
                }
            }
        }
        (None, None) => {
            reader.missing(page, "folio");
            None
        }
    }
}

/// Reads one page file, reporting problems against `issue.yaml` when the file cannot be
/// found and against the page file otherwise.
fn load_page(
    dir: &Path,
    shown_as: &Path,
    issue: &Source,
    entry: PageEntry,
    layouts: &AvailableLayouts,
) -> Result<Page, Vec<Diagnostic>> {
    let at_entry =
        |problem| vec![issue.diagnostic(entry.file_span.clone(), entry.path.key("file"), problem)];
    let on_disk = resolve_inside(dir, &entry.file).map_err(at_entry)?;
    let shown = shown_as.join(&entry.file);
    let source = match yaml::read_source(&on_disk, &shown, &entry.file) {
        Ok(source) => source,
        Err(problem @ (Problem::FileMissing { .. } | Problem::FileUnreadable { .. })) => {
            return Err(at_entry(problem));
        }
        Err(problem) => return Err(vec![Diagnostic::whole_file(shown, problem)]),
    };
    let (content, spans) = read_page(&source, dir, layouts)?;
    Ok(Page {
        file: entry.file,
        folios: entry.folios,
        entry: (entry.folios_span, entry.path),
        source,
        spans,
        content,
    })
}

/// Reads a page file's text: its layout, then the fields that layout has, checked against
/// the layout's rules. Paths in it are resolved inside `dir`.
pub fn read_page(
    source: &Source,
    dir: &Path,
    layouts: &AvailableLayouts,
) -> Result<(PageContent, FieldSpans), Vec<Diagnostic>> {
    let root = yaml::parse(source)?;
    let mut reader = Reader::new(source);
    let content = read_page_content(&mut reader, &root, dir, layouts);
    match content {
        Some(content) if reader.diagnostics.is_empty() => Ok((content, reader.spans)),
        _ => Err(reader.diagnostics),
    }
}

fn read_page_content(
    reader: &mut Reader<'_>,
    root: &Node,
    dir: &Path,
    layouts: &AvailableLayouts,
) -> Option<PageContent> {
    // The layout decides which fields the page has, so it is read on its own first.
    let yaml::Value::Map(entries) = &root.value else {
        reader.wrong_type(root, FieldPath::root(), crate::diag::Expected::Mapping);
        return None;
    };
    let layout = entries.iter().find(|e| e.key == "layout");
    let Some(layout) = layout else {
        let span = root.span.start..root.span.start;
        reader.report(
            span,
            FieldPath::root().key("layout"),
            Problem::MissingField {
                key: "layout".to_owned(),
            },
        );
        return None;
    };
    let name = reader.text_value(&layout.value, FieldPath::root().key("layout"))?;
    let Some(kind) = layouts.get(name.as_str()) else {
        reader.report(
            layout.value.span.clone(),
            FieldPath::root().key("layout"),
            Problem::UnknownLayout {
                name: name.as_str().to_owned(),
                known: layouts.keys().cloned().collect(),
            },
        );
        return None;
    };
    let Some(kind) = kind else {
        reader.report(
            layout.value.span.clone(),
            FieldPath::root().key("layout"),
            Problem::KindBroken {
                name: name.as_str().to_owned(),
            },
        );
        return None;
    };
    let fields = page::read(reader, root, kind, dir);
    for diagnostic in &mut reader.diagnostics {
        diagnostic.words = kind.field_words(&diagnostic.field);
    }
    Some(PageContent {
        kind: kind.clone(),
        fields: fields?,
    })
}
